"""`catalog check`'s suggestion: the catalog name an extract's service was likely meant to be."""

from __future__ import annotations

from innsatstrapp.catalog.check import compare
from innsatstrapp.catalog.staircase import Catalog, CatalogService, Step

CATALOG = Catalog(
    steps=(Step("Grunnmur", 0), Step("Trinn 3", 3)),
    services=(CatalogService("Trygghetsalarm, digital", "Alarmer", "Grunnmur"),
              CatalogService("Hjemmesykepleie ring 1", "HS", "Trinn 3"),
              CatalogService("TT-kort", "TT-kort", "Grunnmur")))


def _near(service: str) -> str | None:
    return compare(CATALOG, [(service, 3)]).unplaced[0].near


def test_case_spacing_and_punctuation() -> None:
    assert _near("trygghetsalarm,  digital") == "Trygghetsalarm, digital"
    assert _near("Trygghetsalarm digital") == "Trygghetsalarm, digital"
    assert _near("Tt-kort") == "TT-kort"


def test_a_small_misspelling() -> None:
    assert _near("Hjemmesykepelie ring 1") == "Hjemmesykepleie ring 1"


def test_no_suggestion_for_another_service() -> None:
    assert _near("Praktisk bistand") is None
    assert _near("Hjemmesykepleie ring 2") is None  # another number: another service


def test_a_name_in_the_month_is_not_offered() -> None:
    """A catalog name the month has itself is placed there, so it is no one's guess."""
    result = compare(CATALOG, [("TT-kort", 2), ("Tt-kort", 1)])
    assert [u.service for u in result.unplaced] == ["Tt-kort"]
    assert result.unplaced[0].near is None
    assert result.absent == ["Hjemmesykepleie ring 1", "Trygghetsalarm, digital"]


def test_step_names() -> None:
    from innsatstrapp.catalog.names import loose, near

    steps = {loose(n): n for n in ("Grunnmur", "Trinn 1", "Trinn 3", "På tvers")}
    assert near("Grunmur", steps) == "Grunnmur"
    assert near("trinn  3", steps) == "Trinn 3"
    assert near("Trinn 9", steps) is None  # another number is another step
    assert near("På-tvers", steps) == "På tvers"
