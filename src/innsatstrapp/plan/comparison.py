"""The comparison file (contract §8): which of the plan's own figures stands beside
which KOSTRA or KPR indicator. An explicit rule the analyst can read and change, because
an indicator's name alone does not say which steps of this municipality's staircase it
covers («hjemmetjenester» is Trinn 2 and 3 in one catalog, one step in another).

One row per step: the rows naming the same indicator make one figure, counting a person on
several of its steps once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from innsatstrapp.catalog import Catalog
from innsatstrapp.errors import InputFileError, Problem
from innsatstrapp.model.report import AGE_BANDS
from innsatstrapp.tables import ROW, read_input
from innsatstrapp.text import plain

WHAT = "Sammenligningsfilen"
_COLUMNS = {"indicator": ("indikator", "kostra-indikator", "kostra"),
            "computation": ("beregning",), "step": ("trinn",), "ages": ("alder",)}
SHARE, PER_1000, COST = "andel", "per 1000", "kostnad per bruker"
_COMPUTATIONS = {"andel": SHARE, "prosent": SHARE, "andel i prosent": SHARE,
                 "per 1000": PER_1000, "per 1 000": PER_1000, "promille": PER_1000,
                 "kostnad per bruker": COST, "kostnad per mottaker": COST}
_LOWER = {int(b.split("-")[0].rstrip("+")): b for b in AGE_BANDS}  # 0, 18, … 90
_UPPER = {int(b.split("-")[1]): b for b in AGE_BANDS if "-" in b}  # 17, 49, … 89
_OVER = re.compile(r"(\d+)\s*(\+|år og (over|eldre))")
_RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)(\s*år)?")


@dataclass(frozen=True)
class Rule:
    """One own figure: the indicator it stands beside, how it is computed, the steps it
    counts and (for coverage) the age bands of §6 it covers."""

    indicator: str
    computation: str  # SHARE, PER_1000 or COST
    steps: tuple[str, ...]
    ages: str | None  # as written, normalised: «80+», «67-79», «alle»; None for COST
    bands: tuple[str, ...]  # the age bands it covers (every band for «alle»)


def age_bands(text: str) -> tuple[str, tuple[str, ...]] | None:
    """«80+», «80 år og over», «67-79», «alle» → (normalised, bands); None when the group
    does not follow §6's band limits, so it cannot be counted from them."""
    t = text.strip().lower()
    if t in ("alle", "alle aldre"):
        return "alle", AGE_BANDS
    if m := _OVER.fullmatch(t):
        low = int(m.group(1))
        if low in _LOWER:
            return f"{low}+", AGE_BANDS[AGE_BANDS.index(_LOWER[low]):]
    elif m := _RANGE.fullmatch(t):
        low, high = int(m.group(1)), int(m.group(2))
        if low in _LOWER and high in _UPPER and low <= high:
            first, last = AGE_BANDS.index(_LOWER[low]), AGE_BANDS.index(_UPPER[high])
            return f"{low}-{high}", AGE_BANDS[first:last + 1]
    return None


def read_comparison(path: Path | str, catalog: Catalog) -> list[Rule]:
    """The rules in the file's order of first appearance; every problem names the row, the
    column and the value, and the file is rejected whole."""
    raw = read_input(path, WHAT, empty=True)
    if raw is None:
        return []
    names = [plain(h).strip().lower() for h in raw.headers]
    index = {key: next((names.index(a) for a in aliases if a in names), None)
             for key, aliases in _COLUMNS.items()}
    missing = [f"«{_COLUMNS[k][0].capitalize()}»" for k in ("indicator", "computation",
                                                              "step") if index[k] is None]
    if missing:
        raise InputFileError(raw.file_name, [Problem(1, None, None, "mangler kolonnen "
                                                     + " og ".join(missing))], what=WHAT)
    col = {k: (raw.table.column(f"c{i}").to_pylist() if i is not None
               else [None] * raw.table.num_rows) for k, i in index.items()}
    header = {k: raw.headers[i] if i is not None else "Alder" for k, i in index.items()}
    steps = {s.name.lower(): s.name for s in catalog.steps}
    problems: list[Problem] = []
    found: dict[str, dict] = {}  # indicator (case-insensitive) -> what its rows say
    for k, row in enumerate(raw.table.column(ROW).to_pylist()):
        cells = {key: plain(values[k] or "").strip() for key, values in col.items()}
        if not any(cells.values()):
            continue
        bad = _row_problems(row, cells, header, steps, catalog)
        if bad:
            problems += bad
            continue
        computation = _COMPUTATIONS[cells["computation"].lower()]
        ages = age_bands(cells["ages"]) if computation != COST else None
        step = steps[cells["step"].lower()]
        rule = found.setdefault(cells["indicator"].lower(), {
            "indicator": cells["indicator"], "computation": computation, "ages": ages,
            "steps": [], "row": row})
        if rule["computation"] != computation:
            problems.append(Problem(row, header["computation"], cells["computation"],
                                    f"er ulik rad {rule['row']} for samme indikator"))
        elif rule["ages"] != ages:
            problems.append(Problem(row, header["ages"], cells["ages"],
                                    f"er ulik rad {rule['row']} for samme indikator"))
        elif step in rule["steps"]:
            problems.append(Problem(row, header["step"], cells["step"],
                                    "står to ganger for samme indikator"))
        else:
            rule["steps"].append(step)
    if problems:
        raise InputFileError(raw.file_name, problems, what=WHAT)
    return [Rule(r["indicator"], r["computation"], tuple(r["steps"]),
                 r["ages"][0] if r["ages"] else None, r["ages"][1] if r["ages"] else ())
            for r in found.values()]


def _row_problems(row: int, cells: dict[str, str], header: dict[str, str],
                  steps: dict[str, str], catalog: Catalog) -> list[Problem]:
    out = []
    if not cells["indicator"]:
        out.append(Problem(row, header["indicator"], "", "mangler indikatorens navn (som i "
                           "«innsatstrapp kostra list»)"))
    computation = _COMPUTATIONS.get(cells["computation"].lower())
    if computation is None:
        out.append(Problem(row, header["computation"], cells["computation"],
                           "må være «andel», «per 1000» eller «kostnad per bruker»"))
    if cells["step"].lower() not in steps:
        out.append(Problem(row, header["step"], cells["step"],
                           "trinnet finnes ikke i katalogen (trinn: "
                           + ", ".join(s.name for s in catalog.steps) + ")"))
    if computation in (SHARE, PER_1000) and age_bands(cells["ages"]) is None:
        out.append(Problem(row, header["ages"], cells["ages"],
                           "må være en aldersgruppe som «80+», «67-79» eller «alle», med "
                           "grensene 0, 18, 50, 67, 75, 80, 85 og 90 år"))
    if computation == COST and cells["ages"] and cells["ages"].lower() not in ("alle",
                                                                                "alle aldre"):
        out.append(Problem(row, header["ages"], cells["ages"],
                           "kostnad per bruker regnes for alle aldre (la feltet stå tomt)"))
    return out
