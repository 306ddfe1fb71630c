"""Movement between two months, decided with the months' levels fixed: hand-made pairs."""

from __future__ import annotations

from innsatstrapp.disclosure import decide_pair

MOVES = ("moved_down", "moved_up", "stayed", "entered", "left")
PAIR = ("2024-01", "2023-12")


def cells(levels: dict[str, tuple[int, int]], matrix: dict[tuple[str, str], int],
          n: int = 5, band: str = "80-84") -> dict:
    """A pair's cells: levels (now, then) decided in their months by the primary rule alone,
    the matrix, its totals and one age band holding everyone."""
    small = lambda v: 0 < v < n  # noqa: E731
    out: dict = {}
    for step, (now, then) in levels.items():
        out[("levels", step, "persons")] = (now, small(now), "withheld" if small(now)
                                            else "shown")
        out[("levels", step, "previous")] = (then, small(then), "withheld" if small(then)
                                             else "shown")
    order = {s: i for i, s in enumerate(levels, start=1)}
    totals = dict.fromkeys(MOVES, 0)
    for (a, b), k in matrix.items():
        out[("matrix", (a, b), "persons")] = (k, small(k), None)
        if a not in order:
            totals["entered"] += k
        elif b not in order:
            totals["left"] += k
        else:
            move = ("stayed" if order[a] == order[b] else
                    "moved_up" if order[b] > order[a] else "moved_down")
            totals[move] += k
    for f, v in totals.items():
        out[("transitions", "", f)] = (v, small(v), None)
        out[("bands", band, f)] = (v, small(v), None)
    return out


def decide(levels, matrix) -> set[tuple]:
    order = {s: i for i, s in enumerate(levels, start=1)}
    return {f[2:] for f in decide_pair(PAIR, None, cells(levels, matrix), order)}


def test_a_cell_that_would_give_a_small_one_back_is_withheld_too() -> None:
    # A then 21 = A→A 18 + A→B 1 + A→ingen 2; B then 2 = B→B 2;
    # A now 20 = A→A 18 + ingen→A 2;        B now 3 = A→B 1 + B→B 2.
    # The column of A now would give ingen→A = 20 − 18 back, so A→A (18) is withheld too.
    out = decide({"A": (20, 21), "B": (3, 2)},
                 {("ingen", "A"): 2, ("A", "A"): 18, ("A", "B"): 1, ("A", "ingen"): 2,
                  ("B", "B"): 2})
    assert ("matrix", ("A", "A"), "persons") in out
    assert ("transitions", "", "matrix") not in out
    # 20 stayed = A→A + B→B gives neither back: both are withheld
    assert ("transitions", "", "stayed") not in out
    for cell in (("ingen", "A"), ("A", "B"), ("A", "ingen"), ("B", "B")):
        assert ("matrix", cell, "persons") in out


def test_a_matrix_whose_shape_gives_a_level_away_is_withheld_whole() -> None:
    # one person stayed on B: the only cell B→B says B then = B now, both withheld
    # (1 person); if B then were shown in its own month, B now would follow. No cell can be
    # withheld to prevent it, since the cells of 0 (left out of the matrix) are public.
    out = decide({"A": (12, 12), "B": (1, 1)}, {("A", "A"): 12, ("B", "B"): 1})
    assert ("transitions", "", "matrix") in out
    assert all(("transitions", "", f) in out for f in MOVES)
    assert all(("bands", "80-84", f) in out for f in MOVES)


def test_a_pair_with_nothing_withheld_is_left_alone() -> None:
    # A then 10 = A→A 5 + A→B 5; B then 8 = B→B 8; A now 12 = A→A 5 + ingen→A 7;
    # B now 13 = A→B 5 + B→B 8: no count below 5, nothing to withhold
    assert decide({"A": (12, 10), "B": (13, 8)},
                  {("ingen", "A"): 7, ("A", "A"): 5, ("A", "B"): 5, ("B", "B"): 8}) == set()


def test_levels_shown_in_their_months_that_with_the_shape_give_a_cell_withhold_all() -> None:
    # B now 33 − B then 30 = 3 moved into B, and only A→B leads there (its cells of 0 are
    # public): the months' own levels and the matrix's shape give A→B (3) back, so the
    # matrix is withheld whole, its shape included
    out = decide({"A": (45, 43), "B": (33, 30)},
                 {("ingen", "A"): 5, ("A", "A"): 40, ("A", "B"): 3, ("B", "B"): 30})
    assert ("transitions", "", "matrix") in out
    assert ("matrix", ("A", "A"), "persons") in out


def test_small_cells_protect_each_other_and_the_level_totals_stay() -> None:
    # A now 45 = ingen→A 5 + A→A 40;  A then 44 = A→A 40 + A→B 3 + A→ingen 1
    # B now 33 = A→B 3 + B→B 30;      B then 32 = B→B 30 + B→ingen 2
    out = decide({"A": (45, 44), "B": (33, 32)},
                 {("ingen", "A"): 5, ("A", "A"): 40, ("A", "B"): 3, ("A", "ingen"): 1,
                  ("B", "B"): 30, ("B", "ingen"): 2})
    assert ("transitions", "", "matrix") not in out
    for cell in (("A", "B"), ("A", "ingen"), ("B", "ingen")):
        assert ("matrix", cell, "persons") in out
    # B now = A→B + B→B: with A→B withheld, B→B must go too
    assert ("matrix", ("B", "B"), "persons") in out
