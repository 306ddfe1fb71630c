"""The population projection (contract §7) as SSB's statistics bank exports it, or the same
figures typed by hand: persons per year, age and gender, for one projection alternative.

SSB's exports carry codes and labels («2 Kvinner», «067 67 år», «105 år eller eldre») and
several alternatives in one file; a hand-made file has plain values. Both read to the same
table, so they give identical plans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from innsatstrapp.errors import InputFileError, Problem
from innsatstrapp.plan.cells import number
from innsatstrapp.tables import ROW, read_input

_COLUMNS = {"year": ("år", "year"), "age": ("alder", "age"), "gender": ("kjønn", "gender"),
            "value": ("personer", "persons", "value"),
            "alternative": ("alternativ", "statistikkvariabel")}
_GENDERS = {"k": "K", "kvinne": "K", "kvinner": "K", "2": "K", "m": "M", "mann": "M",
            "menn": "M", "1": "M"}
_FIRST_INT = re.compile(r"\d+")


@dataclass(frozen=True)
class Population:
    """Persons on 1 January of each year, by age (0 … the file's oldest) and gender K/M."""

    file_name: str
    alternative: str | None
    persons: dict[tuple[int, int, str], float]

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _, _ in self.persons})


def _gender(text: str) -> str | None:
    """«2 Kvinner», «1 Menn», «K», «Mann» …: the code or the word decides."""
    words = text.strip().lower().split()
    for w in words:
        if w in _GENDERS:
            return _GENDERS[w]
    return None


def _persons(text: str) -> float | None:
    """A count of persons; None when it is not one (empty, not a number, negative)."""
    try:
        value = number(text)
    except ValueError:
        return None
    return value if value is not None and value >= 0 else None


def _spans(years: list[int]) -> str:
    """«2026–2040, 2045» from a sorted list of years."""
    spans: list[list[int]] = []
    for y in years:
        if spans and y == spans[-1][1] + 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in spans)


def _holes(persons: dict[tuple[int, int, str], float], years: range, column: str
           ) -> list[Problem]:
    """Every year must have the ages and genders of the first: a year with a gender or an
    age group missing would silently shrink the projection."""
    cells: dict[int, set[tuple[int, str]]] = {}
    for year, age, gender in persons:
        cells.setdefault(year, set()).add((age, gender))
    first = cells.get(years[0], set())
    out = []
    for year in years[1:]:
        missing = sorted(first - cells.get(year, set()))
        if missing:
            age, gender = missing[0]
            out.append(Problem(None, column, None, f"{year} mangler {len(missing)} av aldrene "
                               f"og kjønnene som {years[0]} har (for eksempel alder {age}, "
                               f"kjønn {gender})"))
    return out


def read_population(path: Path | str, alternative: str = "MMMM",
                    years: range | None = None) -> Population:
    """Read and check the projection; every problem names the file, row, column and value."""
    path = Path(path)
    raw = read_input(path, "Befolkningsfilen")
    assert raw is not None
    names = [h.strip().lower() for h in raw.headers]
    where: dict[str, int] = {}
    for key, options in _COLUMNS.items():
        found = next((i for i, n in enumerate(names) if n in options), None)
        if found is not None:
            where[key] = found
    if "value" not in where:  # an SSB export: the figures are in the last column
        where["value"] = len(names) - 1
    missing = [f"«{_COLUMNS[k][0]}»" for k in ("year", "age", "gender") if k not in where]
    if missing:
        raise InputFileError(raw.file_name, [Problem(1, None, None, "mangler kolonnen "
                                                     + " og ".join(missing))],
                             what="Befolkningsfilen")
    columns = {k: raw.table.column(f"c{i}").to_pylist() for k, i in where.items()}
    rows = raw.table.column(ROW).to_pylist()
    header = {k: raw.headers[i] for k, i in where.items()}
    problems: list[Problem] = []
    persons: dict[tuple[int, int, str], float] = {}
    for k, row in enumerate(rows):
        if "alternative" in columns and alternative.lower() not in (
                columns["alternative"][k] or "").lower():
            continue
        cells = {key: (values[k] or "").strip() for key, values in columns.items()}
        if not any(cells.values()):
            continue
        year, age = _FIRST_INT.search(cells["year"]), _FIRST_INT.search(cells["age"])
        gender, value = _gender(cells["gender"]), _persons(cells["value"])
        for key, ok, message in (
                ("year", year, "er ikke et årstall"),
                ("age", age, "er ikke en alder (første heltall i teksten er alderen)"),
                ("gender", gender, "er ikke et kjønn (K/M, Kvinne/Mann, «1 Menn», «2 Kvinner»)"),
                ("value", value is not None, "er ikke et antall personer")):
            if not ok:
                problems.append(Problem(row, header[key], cells[key], message))
        if year and age and gender and value is not None:
            key = (int(year.group()), int(age.group()), gender)
            if key in persons:
                problems.append(Problem(row, header["age"], cells["age"],
                                        f"står to ganger for {key[0]}, kjønn {gender}"))
            persons[key] = value
    if not problems and not persons:
        problems.append(Problem(None, header.get("alternative"), alternative,
                                "ingen rader med dette framskrivingsalternativet"))
    if years is not None and persons:
        have = {y for y, _, _ in persons}
        gaps = [y for y in years if y not in have]
        if gaps:
            problems.append(Problem(None, header["year"], None, "mangler årene "
                                    + _spans(gaps) + f" (filen har {_spans(sorted(have))}; "
                                    "velg et annet --to, eller hent flere år fra SSB)"))
    if years is not None and persons and not problems:
        problems += _holes(persons, years, header["age"])
    if problems:
        raise InputFileError(raw.file_name, problems, what="Befolkningsfilen")
    return Population(raw.file_name, alternative if "alternative" in columns else None,
                      persons)
