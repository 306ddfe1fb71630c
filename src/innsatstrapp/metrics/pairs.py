"""Secondary suppression of movement between two periods (contract §5–6), decided once per
pair of periods and unit.

The levels of each period and the by-age counts are decided with their period (`publish`)
and are frozen here: only the pair's own cells (matrix, totals, totals per age band) can be
withheld. Since the same level appears in many pairs (a month against every month it is
compared with), a pair must not only keep its own withheld cells undetermined; it must add
no constraint at all on the withheld levels beyond what their period already publishes.
Otherwise two views could be combined (L_then − L_now known from one pair, L_then published
in its own month) to give a withheld level back.

Test per connected group of withheld cells, with A = the pair's relations over its withheld
cells, B = the same relations over the withheld frozen cells, and P = the period's own
relations over those: the pair adds nothing on the frozen cells iff
rank([[A, B], [0, P]]) = rank(A) + rank(P). When no cell of the pair is left to withhold
and the test still fails (cells of 0 are never withheld, and their place in the matrix is
public), the matrix of that unit is withheld as a whole, its shape included.
"""

from __future__ import annotations

from collections.abc import Iterator

from innsatstrapp.metrics import secondary
from innsatstrapp.metrics.secondary import Relation, _Table

MOVES = ("moved_down", "moved_up", "stayed", "entered", "left")
_FROZEN = ("levels", "by_age", "headline")


_BACKWARDS = {"moved_down": "moved_up", "moved_up": "moved_down", "entered": "left",
              "left": "entered"}


def transpose(t: dict, steps: list[str]) -> dict:
    """Movement decided from the earlier month to the later, seen the other way (a report
    compared with a later month): the same figures, so the same statuses; the matrix in the
    order of `steps`, «ingen» first."""
    rank = {s: i for i, s in enumerate(steps)}
    out = {_BACKWARDS.get(k, k): v for k, v in t.items()}
    out["suppressed"] = [_BACKWARDS.get(f, f) for f in t["suppressed"]]
    out["matrix"] = sorted((c | {"from": c["to"], "to": c["from"]} for c in t["matrix"]),
                           key=lambda c: (rank.get(c["from"], -1), rank.get(c["to"], -1)))
    return out


def relations(pair: dict) -> list[Relation]:
    """A pair dict: levels (persons now, previous then), by_age now, transitions, bands."""
    out: list[Relation] = []
    levels = list(enumerate(pair["levels"]))
    by_age = list(enumerate(pair["by_age"]))
    for i, e in levels:  # the period's own: a level is the sum of its by-age counts
        out.append(Relation(("levels", i, "persons"), tuple(
            ("by_age", k, "persons_by_level", e["step"]) for k, a in by_age
            if e["step"] in a["persons_by_level"])))
    out += secondary.transition_relations(pair)
    if levels:
        now, then = ("stayed", "moved_down", "moved_up", "entered"), (
            "stayed", "moved_down", "moved_up", "left")
        for field, moves in (("persons", now), ("previous", then)):
            out.append(Relation(("levels", 0, field), tuple(("transitions", f) for f in moves),
                                minus=tuple(("levels", i, field) for i, _ in levels[1:])))
    bands = list(enumerate(pair["bands"]))
    for f in MOVES:
        out.append(Relation(("transitions", f), tuple(("bands", j, f) for j, _ in bands)))
    for j, b in bands:  # persons on the staircase now in a band: by age, and by movement
        cells = [("by_age", k, "persons_by_level", s) for k, a in by_age
                 if a["age_band"] == b["age_band"] for s in a["persons_by_level"]]
        if cells:
            out.append(Relation(cells[0], tuple(("bands", j, f) for f in MOVES[:4]),
                                minus=tuple(cells[1:])))
    return out


def _table(pair: dict) -> _Table:
    rels = [Relation((0, *r.total), tuple((0, *c) for c in r.parts), None,
                     tuple((0, *c) for c in r.minus)) for r in relations(pair)]
    return _Table([pair], rels, frozen=lambda cell: cell[1] in _FROZEN)


def _faults(t: _Table) -> Iterator[list[int]]:
    """Per faulty group: the relations it spans (to take the next complement from)."""
    for members, rels in t.groups():
        own = [r for r in rels if any(not t.frozen[i] for i, _ in t.row(r))]
        period = [r for r in rels if r not in own]
        m = [i for i in members if not t.frozen[i]]
        f = [i for i in members if t.frozen[i]]
        joint = t.matrix(members, rels)
        adds = secondary.rank(joint) != (secondary.rank(t.matrix(m, own))
                                         + secondary.rank(t.matrix(f, period)))
        fixed = secondary.determined_columns(joint)
        determined = any(fixed[j] for j, i in enumerate(members) if not t.frozen[i])
        if adds or determined:
            yield own


def suppress(pair: dict) -> dict:
    """Withhold the pair's cells until it exposes nothing and adds nothing on the frozen
    cells; the matrix as a whole (shape too) when that is the only way."""
    t = _table(pair)
    while True:
        t.greedy()
        more = []
        for rels in _faults(t):
            cells = {i for r in rels for i, _ in t.row(r) if t.usable(i)}
            if not cells:
                return _withhold_all(pair)
            more.append(min(cells, key=lambda i: (not t.val[i], abs(t.val[i] or 0), i)))
        if not more:
            return pair
        for i in dict.fromkeys(more):
            t.hide(i)


def _withhold_all(pair: dict) -> dict:
    """No cell of the pair is shown, and the matrix's shape is not either."""
    t = pair["transitions"]
    t["matrix"] = []
    for node in (t, *pair["bands"]):
        for f in MOVES:
            node[f] = None
        node["suppressed"] = list(dict.fromkeys([*node["suppressed"], *MOVES]))
    t["suppressed"].append("matrix")
    return pair
