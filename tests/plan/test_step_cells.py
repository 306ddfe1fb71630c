"""The plan's users per step, age band and gender, decided by elimination, against a
plain-Python oracle: one relation per step (total = sum of its cells), so a step with a
shown total needs no withheld cell or at least two, the second being the smallest other."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from innsatstrapp.disclosure.plan import decide_step_cells


def oracle(cells: dict[str, int], n: int, total_shown: bool) -> set[str]:
    withheld = {c for c, v in cells.items() if 0 < v < n}
    if len(withheld) == 1 and total_shown:
        others = [c for c, v in cells.items() if v > 0 and c not in withheld]
        if others:
            withheld.add(min(others, key=lambda c: (cells[c], c)))
    return withheld


@given(st.dictionaries(st.sampled_from([f"{b}-{g}" for b in range(8) for g in "KMU"]),
                       st.integers(0, 40), max_size=12),
       st.integers(1, 6), st.booleans())
def test_as_the_oracle(cells: dict[str, int], n: int, shown: bool) -> None:
    # the month shows a step's total only when the primary rule lets it (0, or N or more)
    total_shown = shown and not 0 < sum(cells.values()) < n
    got = decide_step_cells(cells, n, total_shown)
    want = oracle(cells, n, total_shown)
    assert {c for c in got if 0 < cells[c] < n} == {c for c in want if 0 < cells[c] < n}
    assert len(got) == len(want)
    # the second cell is the smallest other (equal values: either)
    assert sorted(cells[c] for c in got) == sorted(cells[c] for c in want)
    # nothing withheld can be recovered: with the total shown, never exactly one withheld
    assert not (total_shown and len(got) == 1)


def test_hand_made() -> None:
    cells = {"67-74 K": 3, "67-74 M": 12, "75-79 K": 30, "75-79 M": 8}
    assert decide_step_cells(cells, 5, True) == {"67-74 K", "75-79 M"}
    assert decide_step_cells(cells, 5, False) == {"67-74 K"}
    assert decide_step_cells({**cells, "75-79 M": 2}, 5, True) == {"67-74 K", "75-79 M"}
    assert decide_step_cells({"a": 0, "b": 9}, 5, True) == set()
