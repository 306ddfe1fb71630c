"""Which name a person most likely meant: for «mente du …?» in catalog messages."""

from __future__ import annotations

import difflib
import re


def loose(name: str) -> str:
    """A name as compared for a suggestion: case, spacing and punctuation aside."""
    return " ".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())


def near(name: str, candidates: dict[str, str]) -> str | None:
    """The candidate `name` was likely meant to be (`candidates`: loose name -> name as
    written): the same but for case, spacing and punctuation, else one close in spelling
    (difflib's ratio of at least 0,85) with the same numbers («Trinn 9» is no misspelling of
    «Trinn 1», «ring 2» another service than «ring 1»)."""
    key = loose(name)
    if key in candidates:
        return candidates[key]
    numbers = re.findall(r"\d+", key)
    alike = [c for c in candidates if re.findall(r"\d+", c) == numbers]
    close = difflib.get_close_matches(key, alike, n=1, cutoff=0.85)
    return candidates[close[0]] if close else None
