"""The plan's own published counts: users per step, age band and gender (and their rates per
1 000 inhabitants, which give them back: the population is public).

Within a step, the users of known age and gender plus those of unknown age or gender make
the step's users, a figure the month has decided. The unknown are taken as published (they
are 0 in most municipalities), so the relation is: step total = sum of its cells. Decided by
the same elimination as a month (`gauss.suppress`): the cells of 1 to N − 1 users are
protected, the others offered largest first, the step's total given as the month shows it.
"""

from __future__ import annotations

from collections.abc import Hashable

from innsatstrapp.disclosure import gauss


def decide_step_cells(cells: dict[Hashable, int], threshold: int, total_shown: bool
                      ) -> set[Hashable]:
    """The withheld cells of one step: `cells` maps each cell to its users; the step's
    total is published when `total_shown`."""
    columns = {c: {c: 1} for c, v in cells.items() if v}
    protect = [c for c in columns if 0 < cells[c] < threshold]
    total = ("\x00total",)
    given = []
    if total_shown:
        columns[total] = {c: 1 for c in columns}
        given = [total]
    candidates = sorted((c for c in columns if c not in protect and c != total),
                        key=lambda c: (-cells[c], repr(c)))
    secondary, _ = gauss.suppress(columns, candidates=candidates, protect=protect,
                                  given=given)
    return set(protect) | secondary


__all__ = ["decide_step_cells"]
