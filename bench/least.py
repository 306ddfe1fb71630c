"""The least any secondary suppression can withhold: a lower bound, by integer programming.

A sum relation is a published figure whose column (inner cells, `disclosure.period`) is
exactly the sum, with signs, of the largest other figures inside it: a unit's total and its
services, a step and its services, a service of the whole and the same service in each unit, a
level and its persons by age, new = net + ended. When exactly one figure of such a relation is
withheld by the primary rule, any safe suppression must withhold at least one more of it
(else the rest give it back). The least-cost set of figures that meets every such demand
(`scipy.optimize.milp`, HiGHS) is a lower bound: the real problem has more relations (any
linear combination, singletons, pairs of months), never fewer.

Used by bench/disclosure.py to say how far the target of withheld cells is from what any
suppression can reach, and how far the one in use is from it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from innsatstrapp.disclosure import gauss

Column = dict[Hashable, int]


def figures(columns: dict[Hashable, Column]) -> list[list[Hashable]]:
    """The distinct figures: cells with the same column (one figure shown twice) together;
    cells of no inner cell (0, public) left out."""
    same: dict[frozenset, list[Hashable]] = {}
    for cell, col in columns.items():
        if col:
            same.setdefault(gauss.key(col), []).append(cell)
    return list(same.values())


def sum_relations(cols: list[Column]) -> list[list[int]]:
    """Each relation as [total, part, part, …] (indices into `cols`): the total's column is
    the disjoint sum of the largest columns inside it (each with the total's signs, or
    all of them the opposite way)."""
    keys = [frozenset(c) for c in cols]
    holders: dict[Hashable, list[int]] = defaultdict(list)
    for i, c in enumerate(cols):
        for k in c:
            holders[k].append(i)
    out = []
    for g, cg in enumerate(cols):
        if len(cg) < 2:
            continue
        inside = {h for k in cg for h in holders[k]} - {g}
        parts = [h for h in inside if len(cols[h]) < len(cg) and all(
            k in cg for k in cols[h]) and (all(cg[k] == x for k, x in cols[h].items()) or all(
                cg[k] == -x for k, x in cols[h].items()))]
        largest = {keys[h]: h for h in parts
                   if not any(keys[h] < keys[j] for j in parts)}.values()
        cover = Counter(k for h in largest for k in cols[h])
        if set(cover) == set(cg) and all(n == 1 for n in cover.values()):
            out.append([g, *largest])
    return out


def least_withheld(columns: dict[Hashable, Column], primary: set,
                   cost: Callable[[Hashable], float]) -> tuple[float, int]:
    """(least total cost, least number) of figures beyond `primary` that any safe
    suppression of `columns` must withhold; a figure's cost is the sum of its cells'."""
    figs = figures(columns)
    cols = [columns[f[0]] for f in figs]
    prim = [any(c in primary for c in f) for f in figs]
    demands = []
    for rel in sum_relations(cols):
        if sum(prim[i] for i in rel) == 1:
            demands.append([i for i in rel if not prim[i]])
    if not demands:
        return 0.0, 0
    free = sorted({i for d in demands for i in d})
    at = {i: j for j, i in enumerate(free)}
    rows = [r for r, d in enumerate(demands) for _ in d]
    a = coo_matrix((np.ones(len(rows)), (rows, [at[i] for d in demands for i in d])),
                   shape=(len(demands), len(free))).tocsr()
    need = LinearConstraint(a, lb=1, ub=np.inf)
    out = []
    for weights in ([sum(cost(c) for c in figs[i]) for i in free], [1.0] * len(free)):
        res = milp(c=np.array(weights, float), constraints=need,
                   integrality=np.ones(len(free)), bounds=Bounds(0, 1))
        if res.status != 0:  # a bound only when optimal
            raise RuntimeError(f"milp: {res.message}")
        out.append(res.fun)
    return out[0], round(out[1])
