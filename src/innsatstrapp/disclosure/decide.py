"""Deciding what is withheld: once per period (the whole municipality and its units
together) and once per pair of periods (movement), as frozen sets of figures.

Candidates are offered for publication in this order (contract §5: small figures are
withheld before large ones, headline and step figures only when nothing else can protect a
cell): the whole municipality before its units; within each, headline, step and level
figures first, then groups, age bands and flows per step, then services, then the rest;
larger values before smaller ones.
"""

from __future__ import annotations

from collections.abc import Hashable

from innsatstrapp.disclosure import gauss
from innsatstrapp.disclosure.names import (
    BANDS,
    CONC,
    LEVEL,
    MATRIX,
    MOVES,
    PERSONS_BY_LEVEL,
    SERVICE,
    STEPS_ENDED,
    STEPS_NEW,
    Cell,
    R,
)
from innsatstrapp.disclosure.period import Model, period_model
from innsatstrapp.disclosure.view import Figure, withheld_in

_CLASS = {R.headline: 0, R.steps: 0, R.levels: 0, R.groups: 1, R.by_age: 1, STEPS_NEW: 1,
          STEPS_ENDED: 1, R.data_quality: 1, R.transitions: 0, BANDS: 1, R.services: 2,
          MATRIX: 2}


def priority(cell: Cell, value: float) -> tuple:
    """Sort key: the first is the most wanted published."""
    return (cell[0] is not None, _CLASS.get(cell[1], 3), -abs(value or 0), repr(cell))


def decide_period(period: str, scopes: list[tuple[str | None, dict, dict]], threshold: int,
                  *, singletons: bool = True) -> frozenset[Figure]:
    """The withheld figures of `period`. `scopes`: (unit, figures without suppression,
    figures with the primary rule at `threshold`) for the whole (first) and every unit, as
    report dicts of the period alone (no compared period, no history)."""
    primary = _primary(scopes)
    model = period_problem(scopes, threshold, primary)
    secondary = _gauss(model, singletons)
    withheld = primary | secondary
    # a concentration's top 10 % and Lorenz curve would say roughly how many persons
    for cell in list(withheld):
        if cell[1] == R.concentration and cell[3] == CONC.users:
            withheld |= {(*cell[:3], CONC.top10_users), (*cell[:3], CONC.lorenz)}
    return frozenset((period, *c) for c in withheld)


def _primary(scopes: list[tuple[str | None, dict, dict]]) -> set[Cell]:
    """Every figure the primary rule withholds (also those no sum holds: shares, means)."""
    return {f[1:] for _, _, p in scopes for f in withheld_in(p)}


def period_problem(scopes: list[tuple[str | None, dict, dict]], threshold: int,
                   primary: set[Cell] | None = None) -> Model:
    """The period's model matrix with every figure the primary rule withholds (and every sum
    of 0 hours over one) marked primary: what the secondary rule must protect."""
    model = period_model(scopes, threshold)
    model.primary |= (_primary(scopes) if primary is None else primary) & set(model.columns)
    _zero_sums(model)
    return model


_HOURS = (SERVICE.approved_hours, SERVICE.resource_hours, CONC.hours)


def _zero_sums(model: Model) -> None:
    """Hours are never negative, so a sum of hours shown as 0 says each of its parts is 0:
    a sum of 0 over a withheld part is withheld too (counts of 0 hold no inner cell)."""
    hidden = {k for c in model.primary for k in model.columns[c]}
    while True:
        more = [c for c, col in model.columns.items() if c not in model.primary
                and not model.values[c] and (c[3] in _HOURS or (
                    c[1] == R.headline and str(c[2]).startswith("home_nursing")))
                and hidden & set(col)]
        if not more:
            return
        for c in more:
            model.primary.add(c)
            hidden |= set(model.columns[c])


def _gauss(model: Model, singletons: bool) -> set[Cell]:
    """The secondary cells: duplicate columns (the same figure in two places) are one
    figure, withheld or shown together."""
    same: dict[Hashable, list[Cell]] = {}
    for cell, col in model.columns.items():
        if col:
            same.setdefault(gauss.key(col), []).append(cell)
    columns, protect, candidates, members = {}, [], [], {}
    rank = {c: priority(c, model.values[c]) for cells in same.values() for c in cells}
    for cells in same.values():
        cells.sort(key=rank.__getitem__)
        head = cells[0]
        members[head] = cells
        columns[head] = model.columns[head]
        if any(c in model.primary for c in cells):
            protect.append(head)
        else:
            candidates.append(head)
    candidates.sort(key=rank.__getitem__)
    secondary, _ = gauss.suppress(columns, candidates=candidates, protect=protect,
                                  singletons=model.singletons if singletons else ())
    out = {c for head in secondary for c in members[head]}
    # a figure that is another's duplicate takes its status
    return out | {c for head in protect for c in members[head]}


def decide_pair(pair: tuple[str, str], unit: str | None, cells: dict,
                orders: dict[str, int]) -> frozenset[Figure]:
    """The withheld figures of movement between `pair` = (later, earlier) in one unit scope,
    given `cells`: (table, key, field) → (value, primary withheld, frozen) for the pair's
    own cells (frozen None) and the months' levels and persons by level (frozen "shown" or
    "withheld": decided with their month); `orders`: each staircase step's Nr.

    The pair must keep its own withheld cells undetermined and add no information at all on
    the months' withheld cells (the same level is in many pairs). When the matrix's shape
    alone (its cells of 0 are public) would add some, the matrix is withheld whole."""
    rels = pair_relations(cells, orders)
    frozen_pub = [c for c, (_, _, fz) in cells.items() if fz == "shown"]
    frozen_wh = [c for c, (_, _, fz) in cells.items() if fz == "withheld"]
    own = [c for c, (_, _, fz) in cells.items() if not fz]
    month = [r for r in rels if not any(c in own for c in r)]
    full_cols = gauss.null_space(rels, list(cells))
    month_cols = gauss.null_space(month, [c for c in cells if cells[c][2]])
    whole = (gauss.rank_after(full_cols, frozen_pub, frozen_wh)
             < gauss.rank_after(month_cols, frozen_pub, frozen_wh))
    zeros = [c for c in own if cells[c][0] == 0]
    primary = [c for c in own if cells[c][1]]
    out = set(own) | {(R.transitions, "", MATRIX)}  # withheld whole
    if not whole:
        candidates = sorted((c for c in own if not cells[c][1] and cells[c][0]),
                            key=lambda c: priority((None, *c), cells[c][0]))
        secondary, unsafe = gauss.suppress(full_cols, candidates=candidates, protect=primary,
                                           given=frozen_pub, forced=zeros, guard=frozen_wh)
        if not unsafe:  # else the shape and the months' levels alone give something away
            out = set(primary) | secondary
    return frozenset((pair, unit, *c) for c in out)


def pair_relations(cells: dict, order: dict[str, int]) -> list[dict]:
    """Contract §6 as sums, each {cell: coefficient} = 0: a level is its persons by age and
    the matrix's column (now) or row (then); the matrix adds up to the movements; the
    movements to their age bands; and the persons on the staircase now in a band are those
    who stayed or moved into it plus those who entered."""
    levels = sorted({k for (t, k, f) in cells if t == R.levels}, key=lambda s: order[s])
    matrix = [k for (t, k, _) in cells if t == MATRIX]
    pbl = [k for (t, k, _) in cells if t == PERSONS_BY_LEVEL]
    bands = sorted({k for (t, k, _) in cells if t == BANDS})
    out: list[dict] = []

    def rel(total: tuple, parts: list[tuple], minus: list[tuple] = ()) -> None:
        r: dict = {total: 1}
        for p in parts:
            r[p] = r.get(p, 0) - 1
        for p in minus:
            r[p] = r.get(p, 0) + 1
        out.append({k: v for k, v in r.items() if v})

    now, then = (R.levels, LEVEL.persons), (R.levels, LEVEL.previous)
    for s in levels:
        rel((now[0], s, now[1]), [(PERSONS_BY_LEVEL, k, LEVEL.persons) for k in pbl
                                  if k[2] == s])
        rel((now[0], s, now[1]), [(MATRIX, k, "persons") for k in matrix if k[1] == s])
        rel((then[0], s, then[1]), [(MATRIX, k, "persons") for k in matrix if k[0] == s])
    on = lambda s: s in order  # noqa: E731
    tests = {
        "entered": lambda a, b: not on(a),
        "left": lambda a, b: not on(b),
        "moved_down": lambda a, b: on(a) and on(b) and order[b] < order[a],
        "moved_up": lambda a, b: on(a) and on(b) and order[b] > order[a],
        "stayed": lambda a, b: on(a) and on(b) and order[b] == order[a],
    }
    for f, test in tests.items():
        rel((R.transitions, "", f), [(MATRIX, k, "persons") for k in matrix if test(*k)])
        rel((R.transitions, "", f), [(BANDS, b, f) for b in bands])
    if levels:
        for fld, last in ((LEVEL.persons, "entered"), (LEVEL.previous, "left")):
            rel((R.levels, levels[0], fld), [(R.transitions, "", f) for f in MOVES[:3]]
                + [(R.transitions, "", last)],
                [(R.levels, s, fld) for s in levels[1:]])
    for b in bands:
        mine = [(PERSONS_BY_LEVEL, k, LEVEL.persons) for k in pbl if k[0] == b]
        if mine:
            rel(mine[0], [(BANDS, b, f) for f in MOVES[:4]], mine[1:])
    return [r for r in out if r]


__all__ = ["decide_pair", "decide_period", "pair_relations", "period_problem", "priority"]
