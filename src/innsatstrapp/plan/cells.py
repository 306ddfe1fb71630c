"""Cells and files of the plan's inputs, written as people write them in Norwegian files."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
YEARS = range(1900, 2201)  # what a year in a plan may be


def number(text: str) -> float | None:
    """«12 500 000», «18,5», «412»: None when empty; ValueError when not a number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    if not _NUMBER.fullmatch(cleaned):  # not «nan», «inf», «1e400» or «1_000»
        raise ValueError(text)
    return float(cleaned)
