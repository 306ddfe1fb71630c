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
from innsatstrapp.model.report import UNKNOWN


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


def decide_union_figures(persons: dict[tuple[int, str, str], int], steps: list[str],
                         cells_withheld: set[tuple[str, str, str]],
                         totals_shown: dict[str, bool],
                         figures: dict[Hashable, tuple[int, frozenset[str] | None]],
                         threshold: int) -> set[Hashable]:
    """The withheld figures of `figures`, counts of persons across several steps (a person
    on two is one): the plan's own figures beside KOSTRA's.

    `persons` maps (pattern, age band, gender) to persons, where the pattern has bit i set
    for a person with an active decision on `steps[i]` (band and gender may be unknown).
    These are the inner cells: each step's published figures sum them (its users, its
    cells per band and gender, and its users of unknown age or gender, taken as published
    as above), and so does each figure: `figures` gives its steps (a bit mask) and its age
    bands (None: every person). A figure of 1 to N − 1 persons is withheld, and so is one
    whose persons on more than one of its steps (the sum of its steps' cells minus the
    figure) are 1 to N − 1; any other is published unless, with the step figures, it would
    give back a withheld one or such an overlap. Relations to the month's other figures
    (the levels count a person's highest step only) are not exact sums of these cells."""
    if not threshold:
        return set()
    inner = {k: v for k, v in persons.items() if v}
    columns: dict[Hashable, dict] = {}
    given: list[Hashable] = []
    protect: list[Hashable] = []
    for i, step in enumerate(steps):
        on = [k for k in inner if k[0] >> i & 1]
        columns[("total", step)] = {k: 1 for k in on}
        (given if totals_shown.get(step, False) else protect).append(("total", step))
        by_cell: dict[tuple[str, str], list] = {}
        for k in on:
            by_cell.setdefault(k[1:], []).append(k)
        for (band, gender), ks in by_cell.items():
            key = ("cell", step, band, gender)
            columns[key] = dict.fromkeys(ks, 1)
            known = band != UNKNOWN and gender != UNKNOWN
            (protect if known and (step, band, gender) in cells_withheld else given).append(key)
    candidates: list[Hashable] = []
    withheld: set[Hashable] = set()
    for key, (mask, bands) in figures.items():
        ks = [k for k in inner if k[0] & mask and (bands is None or k[1] in bands)]
        total = sum(inner[k] for k in ks)
        if not total:
            continue  # 0 is never withheld
        columns[("figure", key)] = dict.fromkeys(ks, 1)
        overlap = {k: (k[0] & mask).bit_count() - 1 for k in ks if (k[0] & mask).bit_count() > 1}
        if overlap:
            columns[("overlap", key)] = overlap
            if sum(inner[k] for k in overlap) < threshold:
                protect.append(("overlap", key))
        if total < threshold:
            protect.append(("figure", key))
            withheld.add(key)
        else:
            candidates.append(("figure", key))
    secondary, unsafe = gauss.suppress(columns, candidates=candidates, protect=protect,
                                       given=given)
    if unsafe:  # the steps' own figures gave something away: publish nothing more
        return withheld | {c[1] for c in candidates}
    return withheld | {c[1] for c in secondary}


__all__ = ["decide_step_cells", "decide_union_figures"]
