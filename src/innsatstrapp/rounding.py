"""Rounding as people round: the one rule every figure shown and every plan count uses."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def whole(value: float) -> int:
    """Rounded half away from zero, as people round (Python's round() takes 4,5 to 4)."""
    return int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
