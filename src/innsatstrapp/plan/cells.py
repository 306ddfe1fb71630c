"""Cells of the plan's input files, written as people write them in Norwegian files."""

from __future__ import annotations


def number(text: str) -> float | None:
    """«12 500 000», «18,5», «412»: None when empty; ValueError when not a number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    return float(cleaned) if cleaned else None
