"""A catalog against one month's extract: what is not placed on a step (and the catalog's
name it was likely meant to match), and what the catalog lists that the month lacks."""

from __future__ import annotations

from dataclasses import dataclass

from innsatstrapp.catalog.names import loose, near
from innsatstrapp.catalog.staircase import Catalog


@dataclass(frozen=True)
class Unplaced:
    service: str
    rows: int
    near: str | None = None  # the catalog service it was likely meant to be


@dataclass(frozen=True)
class Comparison:
    unplaced: list[Unplaced]
    absent: list[str]  # catalog services with no row in the month


def compare(catalog: Catalog, rows: list[tuple[str, int]]) -> Comparison:
    """`rows`: (service, rows) of the month's extract."""
    in_month = {service for service, _ in rows}
    candidates = {loose(s.name): s.name for s in catalog.services if s.name not in in_month}
    unplaced = []
    for service, n in rows:
        placed = catalog.service(service)
        if placed is None or placed.step is None:
            guess = near(service, candidates) if placed is None else None
            unplaced.append(Unplaced(service, n, guess))
    absent = sorted(s.name for s in catalog.services if s.name not in in_month)
    return Comparison(unplaced, absent)
