"""Movement between two months, suppressed with the months' levels fixed: hand-made pairs."""

from __future__ import annotations

import copy

from innsatstrapp.metrics import pairs

MOVES = ("moved_down", "moved_up", "stayed", "entered", "left")


def level(step: str, order: int, now: int, then: int, n: int = 5) -> dict:
    hide = [f for f, v in (("persons", now), ("previous", then)) if 0 < v < n]
    return {"step": step, "order": order, "persons": None if "persons" in hide else now,
            "previous": None if "previous" in hide else then, "suppressed": hide}


def cell(a: str, b: str, k: int, n: int = 5) -> dict:
    small = 0 < k < n
    return {"from": a, "to": b, "persons": None if small else k,
            "suppressed": ["persons"] if small else []}


def moves(n: int = 5, **counts: int) -> dict:
    row = {f: counts.get(f, 0) for f in MOVES}
    hide = [f for f, v in row.items() if 0 < v < n]
    return row | {f: None for f in hide} | {"suppressed": hide}


def pair(levels: list[dict], matrix: list[dict], totals: dict) -> dict:
    return {"levels": levels, "by_age": [], "transitions": {"matrix": matrix, **totals},
            "bands": [{"period": "2024-01", "before": "2023-12", "age_band": "80-84",
                       **copy.deepcopy(totals)}]}


def test_a_cell_that_would_give_a_small_one_back_is_withheld_too() -> None:
    # A then 21 = A→A 18 + A→B 1 + A→ingen 2; B then 2 = B→B 2;
    # A now 20 = A→A 18 + ingen→A 2;        B now 3 = A→B 1 + B→B 2.
    # The column of A now would give ingen→A = 20 − 18 back, so A→A (18) is withheld too.
    p = pair([level("A", 1, 20, 21), level("B", 2, 3, 2)],
             [cell("ingen", "A", 2), cell("A", "A", 18), cell("A", "B", 1),
              cell("A", "ingen", 2), cell("B", "B", 2)],
             moves(stayed=20, moved_up=1, entered=2, left=2))
    out = pairs.suppress(p)
    got = {(c["from"], c["to"]): c["persons"] for c in out["transitions"]["matrix"]}
    assert got[("A", "A")] is None
    assert "matrix" not in out["transitions"]["suppressed"]
    assert out["transitions"]["stayed"] == 20  # 18 + 2 gives neither back: both are withheld


def test_a_matrix_whose_shape_gives_a_level_away_is_withheld_whole() -> None:
    # one person stayed on B: the only cell B→B says B then = B now, both withheld
    # (1 person); if B then were shown in its own month, B now would follow. No cell can be
    # withheld to prevent it, since the cells of 0 (left out of the matrix) are public.
    p = pair([level("A", 1, 12, 12), level("B", 2, 1, 1)],
             [cell("A", "A", 12), cell("B", "B", 1)], moves(stayed=13))
    out = pairs.suppress(p)
    t = out["transitions"]
    assert t["matrix"] == [] and "matrix" in t["suppressed"]
    assert all(t[f] is None for f in MOVES) and all(out["bands"][0][f] is None for f in MOVES)


def test_a_pair_with_nothing_withheld_is_left_alone() -> None:
    # A then 10 = A→A 5 + A→B 5; B then 8 = B→B 8; A now 12 = A→A 5 + ingen→A 7;
    # B now 13 = A→B 5 + B→B 8: no count below 5, nothing to withhold
    p = pair([level("A", 1, 12, 10), level("B", 2, 13, 8)],
             [cell("ingen", "A", 7), cell("A", "A", 5), cell("A", "B", 5), cell("B", "B", 8)],
             moves(stayed=13, moved_up=5, entered=7))
    before = copy.deepcopy(p)
    assert pairs.suppress(p) == before
