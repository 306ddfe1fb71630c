"""The scenarios workbook (contract §7): named sets of shifts, each moving a share of one
step's users to another step, phased in from a start year to a full year.

A scenario's shifts all start from the constant-rate projection («Uendret praksis»), so the
order of rows never matters; what one step gives away in one scenario may not exceed 100 %."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from innsatstrapp.catalog import Catalog
from innsatstrapp.errors import InputFileError, Problem
from innsatstrapp.plan.cells import YEARS, number
from innsatstrapp.tables import ROW, read_input
from innsatstrapp.text import plain

BASELINE = "Uendret praksis"
_COLUMNS = {"scenario": "scenario", "source": "fra trinn", "target": "til trinn",
            "share": "andel", "start": "startår", "full": "fullt år"}
_YEAR = re.compile(r"\d{4}")
WHAT = "Scenariofilen"


@dataclass(frozen=True)
class Shift:
    source: str  # the step users are moved from
    target: str
    share: float  # percent of the source step's users, 0–100, once fully phased in
    start: int
    full: int

    def fraction(self, year: int) -> float:
        """The part of the source step's users moved in `year` (0–1)."""
        phase = (year - self.start + 1) / (self.full - self.start + 1)
        return self.share / 100 * min(max(phase, 0.0), 1.0)


@dataclass(frozen=True)
class Scenario:
    name: str
    shifts: tuple[Shift, ...]


def share(text: str) -> float | None:
    """A share in percent, 0–100 («12,5», «15 %»); None when it is not one."""
    try:
        value = number(text.strip().rstrip("%").strip())
    except ValueError:
        return None
    return value if value is not None and 0 <= value <= 100 else None


def year(text: str) -> int | None:
    """A year of four digits in 1900–2200 (not «²027», which isdigit() accepts)."""
    value = int(text) if _YEAR.fullmatch(text.strip()) else None
    return value if value in YEARS else None


def moved_out(shifts: tuple[Shift, ...] | list[Shift]) -> dict[str, float]:
    """Percent moved out of each step by a scenario's shifts, once fully phased in."""
    out: dict[str, float] = {}
    for s in shifts:
        out[s.source] = out.get(s.source, 0.0) + s.share
    return out


def _pct(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def read_scenarios(path: Path | str, catalog: Catalog) -> list[Scenario]:
    """Scenarios in order of first appearance; every problem names file, row, column, value."""
    raw = read_input(path, WHAT, empty=True)
    if raw is None:
        return []
    names = [h.strip().lower() for h in raw.headers]
    missing = [f"«{c[0].upper() + c[1:]}»" for c in _COLUMNS.values() if c not in names]
    if missing:
        raise InputFileError(raw.file_name, [Problem(1, None, None, "mangler kolonnen "
                                                     + " og ".join(missing))], what=WHAT)
    col = {k: raw.table.column(f"c{names.index(c)}").to_pylist() for k, c in _COLUMNS.items()}
    header = {k: raw.headers[names.index(c)] for k, c in _COLUMNS.items()}
    steps = {s.name.lower(): s.name for s in catalog.steps}
    problems: list[Problem] = []
    found: dict[str, list[Shift]] = {}
    last_row: dict[tuple[str, str], int] = {}  # (scenario, from step) -> its last row
    for k, row in enumerate(raw.table.column(ROW).to_pylist()):
        cells = {key: plain(values[k] or "") for key, values in col.items()}
        if not any(cells.values()):
            continue
        before = len(problems)

        def bad(key: str, message: str, row: int = row, cells: dict = cells) -> None:
            problems.append(Problem(row, header[key], cells[key], message))

        name = cells["scenario"]
        if not name:
            bad("scenario", "mangler navn på scenarioet")
        elif name.lower() == BASELINE.lower():
            bad("scenario", f"«{BASELINE}» er navnet på grunnlaget og kan ikke brukes")
        chosen = {}
        for key in ("source", "target"):
            chosen[key] = steps.get(cells[key].lower())
            if chosen[key] is None:
                bad(key, "trinnet finnes ikke i katalogen (trinn: "
                    + ", ".join(s.name for s in catalog.steps) + ")")
        if chosen["source"] and chosen["source"] == chosen["target"]:
            bad("target", "er det samme trinnet som «Fra trinn»")
        percent = share(cells["share"])
        if percent is None:
            bad("share", "er ikke en andel i prosent fra 0 til 100")
        years = {key: year(cells[key]) for key in ("start", "full")}
        for key, value in years.items():
            if value is None:
                bad(key, "er ikke et årstall")
        if years["start"] is not None and years["full"] is not None and \
                years["full"] < years["start"]:
            bad("full", f"kommer før startåret {years['start']}")
        if len(problems) > before:
            continue
        assert percent is not None and years["start"] is not None and years["full"] is not None
        shift = Shift(chosen["source"], chosen["target"], percent, years["start"],  # type: ignore[arg-type]
                      years["full"])
        found.setdefault(name, []).append(shift)
        last_row[(name, shift.source)] = row
    for name, shifts in found.items():
        for step, total in moved_out(shifts).items():
            if total > 100 + 1e-9:
                problems.append(Problem(last_row[(name, step)], header["share"], None,
                                        f"scenarioet «{name}» flytter til sammen "
                                        f"{_pct(total)} % av brukerne på {step}; mer enn "
                                        "100 % går ikke"))
    if problems:
        raise InputFileError(raw.file_name, problems, what=WHAT)
    return [Scenario(name, tuple(shifts)) for name, shifts in found.items()]
