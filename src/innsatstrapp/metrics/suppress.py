"""Primary small-count suppression (contract §5) applied to the built report.

With threshold N ≥ 1, a count of persons or decisions from 1 to N − 1 is withheld, and so is
every figure derived from fewer than N persons (hours, shares, means, medians). 0 is never
withheld. A withheld field becomes null and is named in its entry's `suppressed` list; a
change next to a withheld value or previous is withheld too (value = previous + change).
Secondary suppression (totals minus parts) comes with the committee pack.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from innsatstrapp.model.base import Model, replace

Row = TypeVar("Row", bound=Model)


def small(value: float | None, threshold: int) -> bool:
    """A count that must be withheld."""
    return threshold > 0 and value is not None and 0 < value < threshold


def withhold(row: Row, fields: Iterable[str]) -> Row:
    fields = [f for f in fields if getattr(row, f) is not None or f in ("change", "change_pct")]
    if not fields:
        return row
    names = list(dict.fromkeys([*row.suppressed, *fields]))  # type: ignore[attr-defined]
    return replace(row, **dict.fromkeys(fields), suppressed=names)


def counts_with_change(row: Row, counts: Iterable[str], value: str, threshold: int,
                       bases: dict[str, float | None] | None = None) -> Row:
    """Withhold small counts, figures on small bases, and change/previous next to them."""
    if threshold <= 0:
        return row
    hide = []
    for f in counts:
        v = getattr(row, f)
        if v is not None and 0 < v < threshold:  # small(), inline: thousands of rows
            hide.append(f)
    if bases:
        hide += [f for f, basis in bases.items() if small(basis, threshold)]
    if not hide:
        return row
    if value in hide or "previous" in hide:
        hide += ["change", "change_pct"]
    return withhold(row, hide)
