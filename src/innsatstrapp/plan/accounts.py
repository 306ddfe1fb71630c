"""The accounts per step (contract §7, seed 004's «matrise»): cost in NOK per year and FTE
(årsverk) for each step of the staircase. Steps missing from the file get no cost; a step the
catalog does not know is an error, since it would be silently left out of the plan."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from innsatstrapp.catalog import Catalog
from innsatstrapp.errors import InputFileError, Problem
from innsatstrapp.plan.cells import number
from innsatstrapp.tables import ROW, read_input

_COLUMNS = {"step": "trinn", "cost": "kostnad", "fte": "årsverk"}


@dataclass(frozen=True)
class StepAccount:
    cost: float | None  # NOK per year
    fte: float | None


def read_accounts(path: Path | str, catalog: Catalog) -> dict[str, StepAccount]:
    """Cost and FTE per step name; every problem names the file, row, column and value."""
    raw = read_input(path, "Regnskapsfilen", empty=True)
    if raw is None:
        return {}
    names = [h.strip().lower() for h in raw.headers]
    missing = [f"«{c.capitalize()}»" for c in _COLUMNS.values() if c not in names]
    if missing:
        raise InputFileError(raw.file_name, [Problem(1, None, None, "mangler kolonnen "
                                                     + " og ".join(missing))],
                             what="Regnskapsfilen")
    col = {k: raw.table.column(f"c{names.index(c)}").to_pylist() for k, c in _COLUMNS.items()}
    header = {k: raw.headers[names.index(c)] for k, c in _COLUMNS.items()}
    steps = {s.name.lower(): s.name for s in catalog.steps}
    problems: list[Problem] = []
    out: dict[str, StepAccount] = {}
    for k, row in enumerate(raw.table.column(ROW).to_pylist()):
        cells = {key: (values[k] or "").strip() for key, values in col.items()}
        if not any(cells.values()):
            continue
        step = steps.get(cells["step"].lower())
        if step is None:
            problems.append(Problem(row, header["step"], cells["step"],
                                    "trinnet finnes ikke i katalogen (trinn: "
                                    + ", ".join(s.name for s in catalog.steps) + ")"))
            continue
        if step in out:
            problems.append(Problem(row, header["step"], cells["step"], "står to ganger"))
            continue
        values = {}
        for key in ("cost", "fte"):
            try:
                values[key] = number(cells[key])
            except ValueError:
                values[key] = None
                problems.append(Problem(row, header[key], cells[key], "er ikke et tall"))
                continue
            if values[key] is not None and values[key] < 0:
                problems.append(Problem(row, header[key], cells[key], "kan ikke være negativ"))
        out[step] = StepAccount(values["cost"], values["fte"])
    if problems:
        raise InputFileError(raw.file_name, problems, what="Regnskapsfilen")
    return out
