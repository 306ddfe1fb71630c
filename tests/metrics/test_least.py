"""The lower bound of bench/least.py: hand-computed on a 2×2 table, and never above the least
safe suppression found by brute force on small tables with margins."""

from __future__ import annotations

import itertools
import math
import sys
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parents[2] / "bench"))
from least import least_withheld, sum_relations

from innsatstrapp.disclosure import gauss


def table(rows: int, cols: int) -> dict[str, dict]:
    """A table with row, column and grand totals: every figure as its inner cells."""
    out = {f"c{i}{j}": {(i, j): 1} for i in range(rows) for j in range(cols)}
    out |= {f"r{i}": {(i, j): 1 for j in range(cols)} for i in range(rows)}
    out |= {f"k{j}": {(i, j): 1 for i in range(rows)} for j in range(cols)}
    out["t"] = {(i, j): 1 for i in range(rows) for j in range(cols)}
    return out


def test_a_2x2_table_by_hand() -> None:
    cols = table(2, 2)
    names = list(cols)
    rels = {tuple(sorted(names[i] for i in r)) for r in sum_relations(list(cols.values()))}
    # the rows and columns; the total's largest parts overlap, so it is no such relation
    assert rels == {("c00", "c01", "r0"), ("c10", "c11", "r1"), ("c00", "c10", "k0"),
                    ("c01", "c11", "k1")}
    # c00 withheld: its row and its column each need one more; a cell's row gives 2 of cost
    cost = {"r0": 2, "k0": 2}
    assert least_withheld(cols, {"c00"}, lambda c: cost.get(c, 1)) == (2.0, 2)
    # two withheld in one row: only the columns still demand one each
    assert least_withheld(cols, {"c00", "c01"}, lambda c: 1) == (2.0, 2)
    # all four inner cells withheld: no relation has a single withheld figure
    assert least_withheld(cols, {"c00", "c01", "c10", "c11"}, lambda c: 1) == (0.0, 0)


def safe(cols: dict[str, dict], withheld: set[str], primary: set[str]) -> bool:
    """No primary figure's column is in the span of the published columns (float rank on
    small integer matrices: exact enough here)."""
    inner = sorted({k for c in cols.values() for k in c})
    vec = {n: np.array([c.get(k, 0) for k in inner], float) for n, c in cols.items()}
    pub = [vec[n] for n in cols if n not in withheld]
    base = np.linalg.matrix_rank(np.array(pub)) if pub else 0
    return all(np.linalg.matrix_rank(np.array([*pub, vec[p]])) > base for p in primary)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 3), st.integers(2, 3), st.data())
def test_never_above_the_least_safe_suppression(rows: int, ncols: int, data) -> None:
    cols = table(rows, ncols)
    inner = [n for n in cols if n.startswith("c")]
    primary = set(data.draw(st.lists(st.sampled_from(inner), min_size=1, max_size=3,
                                     unique=True)))
    others = [n for n in cols if n not in primary]
    least = next(k for k in range(len(others) + 1) if any(
        safe(cols, primary | set(extra), primary)
        for extra in itertools.combinations(others, k)))
    bound, count = least_withheld(cols, primary, lambda c: 1)
    assert bound == count <= least
    # and the suppression in use is safe and meets every demand the bound counts
    secondary, _ = gauss.suppress(cols, candidates=others, protect=primary)
    assert safe(cols, primary | secondary, primary)
    assert count <= len(secondary)


def _general_key(v: dict) -> frozenset:
    """`gauss.key` the long way: divided by the gcd, the sign set by one fixed cell."""
    g = math.gcd(*v.values())
    if v[min(v, key=hash)] < 0:
        g = -g
    return frozenset((k, x // g) for k, x in v.items())


@given(st.dictionaries(st.integers(0, 30), st.sampled_from([1, -1, 2, -2, 3, 6]),
                       min_size=1, max_size=8))
def test_a_column_of_ones_is_its_own_key_and_of_units_its_own_normal(v: dict) -> None:
    """The short ways (most columns are sums of cells) give what the long way gives."""
    assert gauss.key(v) == _general_key(v)
    ones = dict.fromkeys(v, 1)
    assert gauss.key(ones) == _general_key(ones) == frozenset(ones.items())
    units = {k: (1 if x > 0 else -1) for k, x in v.items()}
    assert gauss._normal(units) == units
    g = math.gcd(*v.values())
    assert gauss._normal(v) == {k: x // g for k, x in v.items()}
