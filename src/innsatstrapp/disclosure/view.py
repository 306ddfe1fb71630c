"""Where each figure of a report comes from, and `apply`: every report, plan and dashboard
view passes through it, so a figure has one status wherever it is shown.

A figure's identity is (when, unit, table, key, field): `when` is its period ("2024-01") or,
for movement, its pair of periods (later, earlier); the rest is its cell (`names`). A
report's `previous` is the compared period's cell, the history holds each period's cells,
and a report compared with a later month shows the pair's movement backwards.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from innsatstrapp.disclosure.names import (
    AGE,
    BANDS,
    CELL,
    CONC,
    COUNT,
    DQ,
    FIG,
    HIST,
    LEVEL,
    LT,
    MATRIX,
    MOVES,
    PERSONS_BY_LEVEL,
    STEP,
    UNMAPPED,
    VALUE,
    WARN,
    WARNINGS,
    R,
)
from innsatstrapp.model.report import BACKWARDS, forward

Figure = tuple  # (when, unit, table, key, field)
Setter = Callable[[], None]
_KEYS = {R.steps: STEP.step, R.groups: "group", R.services: "service",
         R.levels: LEVEL.step, R.long_term_stays: LT.service}
_SKIP = {"suppressed", "step", "order", "category", "group", "service", "role", "scope",
         "scope_type", "code", "message", "age_band", "gender", "period", "before"}


def locate(data: dict, history: bool = True, rows: set[tuple] | frozenset[tuple] | None = None
           ) -> Iterator[tuple[dict, str, Figure]]:
    """(node, field, figure) for every figure of a report dict (`model.base.dump`): node[field]
    holds it, the history's too unless `history` is false. Changes are not figures (they
    follow their value and previous). With `rows` ((unit, table, key) of some cells), a
    row of steps, groups, services, levels or long-term stays is passed by unless it is
    one of them (`apply` looks for a few withheld cells among a thousand figures)."""
    unit, p, c = data["unit"], data["period"], data.get("previous_period")
    for name, row in data[R.headline].items():
        yield row, FIG.value, (p, unit, R.headline, name, FIG.value)
        if c is not None:
            yield row, FIG.previous, (c, unit, R.headline, name, FIG.value)
    for table, key in _KEYS.items():
        for row in data.get(table) or []:
            if rows is not None and (unit, table, row[key]) not in rows:
                continue
            for fld, v in row.items():
                if fld in _SKIP or fld in ("change", "change_pct") or (
                        fld == "previous" and c is None):
                    continue
                if fld == "previous":
                    yield row, fld, (c, unit, table, row[key], VALUE[table])
                elif isinstance(v, int | float | list) or v is None:
                    yield row, fld, (p, unit, table, row[key], fld)
    for row in data.get(R.concentration) or []:
        key = (row[CONC.scope_type], row[CONC.scope])
        for fld in row:
            if fld not in _SKIP:
                yield row, fld, (p, unit, R.concentration, key, fld)
    dq = data[R.data_quality]
    for fld in (DQ.rows, DQ.active):
        yield dq, fld, (p, unit, R.data_quality, "", fld)
    for row in dq[DQ.unmapped_services]:
        for fld in (UNMAPPED.rows, UNMAPPED.active):
            yield row, fld, (p, unit, DQ.unmapped_services, row[UNMAPPED.service], fld)
    for row in dq[DQ.warnings]:
        yield row, WARN.count, (p, unit, WARNINGS, (row[WARN.code], row[WARN.service]),
                                WARN.count)
    for row in data.get(R.by_age) or []:
        key = (row[AGE.age_band], row[AGE.gender])
        yield row, AGE.users, (p, unit, R.by_age, key, AGE.users)
        levels = row[AGE.persons_by_level]
        for step in levels:
            yield levels, step, (p, unit, PERSONS_BY_LEVEL, (*key, step), LEVEL.persons)
    t = data.get(R.transitions)
    if t is not None and c is not None:
        pair = forward(p, c)
        back = c > p
        for cell in t[MATRIX]:
            a, b = cell["from"], cell[CELL.to]
            yield cell, CELL.persons, (pair, unit, MATRIX, (b, a) if back else (a, b),
                                       CELL.persons)
        for f in MOVES:
            yield t, f, (pair, unit, R.transitions, "", BACKWARDS.get(f, f) if back else f)
    h = data.get(R.history)
    if h and history:
        yield from _history(h, unit)


# a history table's series: (the table its figures are cells of, their field)
_SERIES = {HIST.headline: (R.headline, FIG.value), HIST.steps: (R.steps, STEP.services),
           HIST.groups: (R.groups, STEP.services), HIST.services: (R.services, "count"),
           HIST.levels: (R.levels, LEVEL.persons), HIST.steps_new: (HIST.steps_new, COUNT),
           HIST.steps_ended: (HIST.steps_ended, COUNT)}


def _history(h: dict, unit: str | None) -> Iterator[tuple[dict, str, Figure]]:
    for table, (own, fld) in _SERIES.items():
        for series in h.get(table) or []:
            counts = series["counts"]
            for q in counts:
                yield counts, q, (q, unit, own, series["name"], fld)
    for row in h.get(HIST.flows) or []:
        pair = (row["period"], row["before"])
        for f in MOVES:
            if row["age_band"] is None:
                yield row, f, (pair, unit, R.transitions, "", f)
            else:
                yield row, f, (pair, unit, BANDS, row["age_band"], f)


def withheld_in(data: dict) -> Iterator[Figure]:
    """The figures a report dict withholds (null and named, or null in a plain mapping)."""
    for node, fld, fig in locate(data):
        if node.get(fld) is None and (fld in node.get("suppressed", ())
                                      or "suppressed" not in node):
            yield fig


def hide(node: dict, fld: str) -> None:
    node[fld] = None
    names = node.get("suppressed")
    if isinstance(names, list) and fld not in names:
        names.append(fld)


class Withheld:
    """Withheld figures, and the same by cell: (unit, table, key, field) → the periods or
    pairs it is withheld in. A history shows each cell in every period; looking its cells
    up here costs one lookup a series, where testing each of its figures cost one a
    period. Made once for the many reports of a build."""

    def __init__(self, figures: set[Figure] | frozenset[Figure]) -> None:
        self.figures = figures
        self.by_cell: dict[tuple, set] = {}
        by_cell = self.by_cell
        for figure in figures:  # tens of thousands in the dashboard's view of every month
            cell = figure[1:]
            whens = by_cell.get(cell)
            if whens is None:
                by_cell[cell] = {figure[0]}
            else:
                whens.add(figure[0])
        self.rows = frozenset(cell[:3] for cell in self.by_cell)  # (unit, table, key)


def apply(data: dict, withheld: set[Figure] | frozenset[Figure] | Withheld) -> dict:
    """Withhold in a report dict (in place, and returned) every figure in `withheld`, and
    what follows from them: a change next to a withheld value or previous, services per
    user next to a withheld total, a matrix withheld whole (its shape too)."""
    cells = withheld if isinstance(withheld, Withheld) else Withheld(withheld)
    for node, fld, fig in list(locate(data, history=False, rows=cells.rows)):
        if fig in cells.figures:
            hide(node, fld)
    h = data.get(R.history)
    if h:
        _hide_history(h, data["unit"], cells.by_cell)
    _whole_matrix(data, cells.figures)
    _derived(data)
    return data


def _hide_history(h: dict, unit: str | None, by_cell: dict[tuple, set]) -> None:
    """`apply` on the history: the figures `_history` locates, looked up by cell."""
    for table, (own, fld) in _SERIES.items():
        for series in h.get(table) or []:
            counts = series["counts"]
            for q in by_cell.get((unit, own, series["name"], fld), ()):
                if q in counts:
                    counts[q] = None
    for f in MOVES:
        every = by_cell.get((unit, R.transitions, "", f), ())
        for row in h.get(HIST.flows) or []:
            whens = every if row["age_band"] is None else by_cell.get(
                (unit, BANDS, row["age_band"], f), ())
            if (row["period"], row["before"]) in whens:
                hide(row, f)


def _whole_matrix(data: dict, withheld) -> None:
    t, c = data.get(R.transitions), data.get("previous_period")
    if t is None or c is None:
        return
    if (forward(data["period"], c), data["unit"], R.transitions, "", MATRIX) in withheld:
        t[MATRIX] = []
        for f in MOVES:
            hide(t, f)
        if MATRIX not in t["suppressed"]:
            t["suppressed"].append(MATRIX)


def _derived(data: dict) -> None:
    head = data[R.headline]
    spu = head.get("services_per_user")
    for fld in (FIG.value, FIG.previous):
        if spu is not None and spu[fld] is not None and any(
                fld in head[n]["suppressed"] for n in ("services_total", "unique_users")):
            hide(spu, fld)
    h = data.get(R.history)
    if h and h.get(HIST.headline):
        series = {s["name"]: s["counts"] for s in h[HIST.headline]}
        for q in h["periods"]:
            if "services_per_user" in series and any(
                    series.get(n, {}).get(q, 0) is None
                    for n in ("services_total", "unique_users")):
                series["services_per_user"][q] = None
    for table, value in VALUE.items():
        rows = data[table].values() if table == R.headline else (data.get(table) or [])
        for row in rows:
            if "change" in row and ({value, "previous"} & set(row["suppressed"])):
                hide(row, "change")
                hide(row, "change_pct")
