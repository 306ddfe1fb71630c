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


def known(cell: tuple[int, str, str]) -> bool:
    """Whether an inner cell (pattern, band, gender) is of known age and gender."""
    return cell[1] != UNKNOWN and cell[2] != UNKNOWN


def counted(cell: tuple[int, str, str], mask: int, bands: frozenset[str] | None) -> bool:
    """Whether a figure of these steps (bit mask) and age bands (None: every person)
    counts the persons of an inner cell: the one rule for the figure and its decision."""
    return bool(cell[0] & mask) and (bands is None or (known(cell) and cell[1] in bands))


def decide_union_figures(persons: dict[tuple[int, str, str], int], steps: list[str], *,
                         staircase: dict[str, int], cells_withheld: set[tuple[str, str, str]],
                         totals_shown: dict[str, bool],
                         levels: dict[tuple[str, str, str], bool],
                         level_totals: dict[str, bool],
                         figures: dict[Hashable, tuple[int, frozenset[str] | None]],
                         threshold: int) -> set[Hashable]:
    """The withheld figures of `figures`, counts of persons across several steps (a person
    on two is one): the plan's own figures beside KOSTRA's.

    `persons` maps (pattern, age band, gender) to persons, where the pattern has bit i set
    for a person with an active decision on `steps[i]` (band and gender may be unknown).
    These are the inner cells, and every published figure about them is a sum of them:
    - each step's users (`totals_shown`) and its users per band and gender
      (`cells_withheld` names the withheld);
    - the month's persons by level, per band and gender (`levels`: published or not) and in
      all (`level_totals`), for the staircase steps (`staircase`: step → order). A level is
      a person's highest staircase step, so `steps` must hold every staircase step above the
      lowest one a figure counts, or these sums are not exact;
    - each figure: its steps (a bit mask) and age bands (None: every person, of known age
      and gender or not; else persons of known age and gender in those bands).
    A step's persons of unknown age or gender are published nowhere: protected when they
    are 1 to N − 1. A figure of 1 to N − 1 persons is withheld, and so is one whose persons
    on more than one of its steps (the sum of its steps' counts minus the figure) are 1 to
    N − 1; any other is published unless, with what is published, it would give back a
    withheld figure, a small unknown remainder or such an overlap."""
    if not threshold:
        return set()
    inner = {k: v for k, v in persons.items() if v}
    columns: dict[Hashable, dict] = {}
    given: list[Hashable] = []
    protect: list[Hashable] = []

    def add(key: Hashable, cells: dict, published: bool | None) -> None:
        """A figure's column: published (given), withheld (protected) or None (neither)."""
        if cells:
            columns[key] = cells
            if published is not None:
                (given if published else protect).append(key)

    for i, step in enumerate(steps):
        on = [k for k in inner if k[0] >> i & 1]
        add(("total", step), dict.fromkeys(on, 1), totals_shown.get(step, False))
        by_cell: dict[tuple[str, str], list] = {}
        for k in on:
            if known(k):
                by_cell.setdefault(k[1:], []).append(k)
        for (band, gender), ks in by_cell.items():
            add(("cell", step, band, gender), dict.fromkeys(ks, 1),
                (step, band, gender) not in cells_withheld)
        rest = [k for k in on if not known(k)]
        if 0 < sum(inner[k] for k in rest) < threshold:
            add(("unknown", step), dict.fromkeys(rest, 1), False)
    higher = {s: sum(1 << j for j, t in enumerate(steps)
                     if t in staircase and staircase[t] > staircase[s]) for s in staircase}
    for i, step in enumerate(steps):
        if step not in staircase:
            continue
        at = [k for k in inner if k[0] >> i & 1 and not k[0] & higher[step]]
        if step in level_totals:
            add(("level", step), dict.fromkeys(at, 1), level_totals[step])
        for (s, band, gender), published in levels.items():
            if s == step:
                add(("level", step, band, gender),
                    dict.fromkeys((k for k in at if k[1:] == (band, gender)), 1), published)
    candidates: list[Hashable] = []
    withheld: set[Hashable] = set()
    for key, (mask, bands) in figures.items():
        ks = [k for k in inner if counted(k, mask, bands)]
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
    # what the steps' figures give away already (the rates take a step's unknown remainder
    # as published) is no longer the own figures' to protect
    protect = [p for p in protect if p[0] == "figure" or not gauss.suppress(
        columns, candidates=[], protect=[p], given=given)[1]]
    secondary, unsafe = gauss.suppress(columns, candidates=candidates, protect=protect,
                                       given=given)
    if unsafe:  # cannot happen after the filter; if it does, publish nothing more
        return withheld | {c[1] for c in candidates}
    return withheld | {c[1] for c in secondary}


__all__ = ["counted", "decide_step_cells", "decide_union_figures", "known"]
