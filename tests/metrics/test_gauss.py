"""The elimination's arithmetic against a plain oracle: combining two sparse integer columns
(the one-cell shortcut and the general case alike) is a·b − b·a at the pivot, divided by the
gcd; and publishing a one-cell figure leaves the other columns and the index as the general
step would."""

from __future__ import annotations

from math import gcd

from hypothesis import given
from hypothesis import strategies as st

from innsatstrapp.disclosure import gauss

COEF = st.sampled_from([1, -1, 2, -2, 3, 4, -6])
VECTOR = st.dictionaries(st.integers(0, 8), COEF, min_size=1, max_size=6)


def oracle(a: dict, b: dict, pivot: int) -> dict:
    """b with the pivot eliminated by a, the plain way."""
    out = {k: a[pivot] * b.get(k, 0) - b[pivot] * a.get(k, 0) for k in {*a, *b}}
    out = {k: x for k, x in out.items() if x}
    g = 0
    for x in out.values():
        g = gcd(g, x)
    return {k: x // g for k, x in out.items()} if g > 1 else out


@given(VECTOR, VECTOR, st.data())
def test_a_combination_is_the_oracles(a, b, data) -> None:
    pivot = data.draw(st.sampled_from(sorted(a)))
    b = {**b, pivot: b.get(pivot, data.draw(COEF))}
    assert gauss._combine(a, b, pivot) == oracle(a, b, pivot)


@given(st.integers(0, 8), COEF, st.lists(VECTOR, min_size=1, max_size=6))
def test_publishing_one_cell_leaves_what_the_general_step_leaves(cell, coef, others) -> None:
    """The one-cell shortcut (the cell taken out of each column that holds it, the index
    changed for that cell alone) against re-entering every touched column."""
    columns = {("pub",): {cell: coef}, **{("c", i): v for i, v in enumerate(others)}}
    fast = gauss._Elimination(columns, (), (), ())
    fast.publish(("pub",))
    slow = gauss._Elimination(columns, (), (), ())
    v = slow.live[("pub",)]
    slow._leave(("pub",))
    for x in list(slow.index.get(next(iter(v)), ())):
        w = gauss._combine(v, slow.live[x], next(iter(v)))
        slow._leave(x)
        slow._enter(x, w)
    assert fast.live == slow.live
    assert {k: s for k, s in fast.index.items() if s} == {k: s for k, s in slow.index.items()
                                                          if s}
