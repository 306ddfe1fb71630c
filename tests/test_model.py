"""The model's own operations (`model.base`): what `dump` publishes, that `load` reads it
back as it was and refuses what a row cannot hold, and that a model cannot be changed."""

from __future__ import annotations

import datetime as dt

import pytest

from innsatstrapp.metrics import build_report
from innsatstrapp.model.base import LoadError, dump, dump_json, load, load_json, replace
from innsatstrapp.model.report import Figure, Report, TransitionCell


def test_dump_publishes_the_contract_names_and_iso_dates(small_store) -> None:
    db, catalog = small_store
    report = build_report(catalog, "2024-01", suppress=0, db=db)
    data = dump(report)
    assert data["as_of"] == "2024-01-31"
    assert dt.datetime.fromisoformat(data["provenance"]["generated_at"])
    cell = dump(TransitionCell(from_="Trinn 1", to="ingen", persons=3))
    assert cell == {"suppressed": [], "from": "Trinn 1", "to": "ingen", "persons": 3}
    assert "provenance" not in dump(report, exclude=["provenance"])


@pytest.mark.parametrize("suppress", [0, 5])
def test_load_reads_back_what_dump_and_dump_json_wrote(small_store, suppress: int) -> None:
    """As report.json writes it, to the text: a model built in code is not validated, so an
    int in a float field would print 12 where the same report read back prints 12.0 (Python
    holds 12 == 12.0). Unsuppressed, the report is built and never read back before this."""
    db, catalog = small_store
    report = build_report(catalog, "2024-01", compare="2023-12",
                          history=["2023-12", "2024-01"], suppress=suppress, db=db)
    text = dump_json(report)
    assert dump_json(load(Report, dump(report))) == text
    assert dump_json(load_json(Report, text)) == text
    pairs = load_json(list[tuple[str | None, Report]], dump_json([(None, report)]))
    assert dump_json(pairs) == dump_json([(None, report)])


def test_a_row_refuses_an_unknown_field_and_a_wrong_type() -> None:
    with pytest.raises(LoadError, match="unknown field `share`"):
        load(Figure, {"value": 3, "share": 0.5})
    with pytest.raises(LoadError, match="persons"):
        load(TransitionCell, {"from": "a", "to": "b", "persons": 1.5})
    with pytest.raises(LoadError):
        load_json(Report, b"{not json")


def test_the_outer_objects_pass_over_a_field_a_later_version_adds(small_store) -> None:
    db, catalog = small_store
    report = build_report(catalog, "2024-01", suppress=0, db=db)
    assert load(Report, {**dump(report), "added_later": 1}) == report


def test_a_model_is_frozen_and_replace_makes_a_new_one() -> None:
    fig = Figure(value=4, previous=2)
    with pytest.raises(AttributeError):
        fig.value = 5  # type: ignore[misc]
    other = replace(fig, value=None, suppressed=["value"])
    assert (fig.value, fig.suppressed) == (4, [])
    assert (other.value, other.previous, other.suppressed) == (None, 2, ["value"])
