"""Primary suppression (contract §5) on the hand-computed fixture, threshold 5."""

from __future__ import annotations

import pytest

from innsatstrapp.metrics import build_report
from innsatstrapp.model.base import dump


@pytest.fixture(scope="module")
def report(small_store):
    db, catalog = small_store
    return build_report(catalog, "2024-01", db=db)  # default threshold 5


def test_default_threshold_is_five(report) -> None:
    assert report.suppression_threshold == 5


def test_headline(report) -> None:
    h = report.headline
    users = h["unique_users"]  # 8 now, 3 before: the previous and the change go
    assert (users.value, users.previous, users.change) == (8, None, None)
    assert users.suppressed == ["previous", "change", "change_pct"]
    assert (h["services_total"].value, h["services_total"].change) == (11, None)  # 4 before
    new = h["new_decisions"]  # 3 now, 0 before: the value goes, 0 stays, the change goes
    assert (new.value, new.previous, new.change, new.change_pct) == (None, 0, None, None)
    assert new.suppressed == ["value", "change", "change_pct"]
    ended = h["ended_decisions"]  # 2 and 1
    assert (ended.value, ended.previous, ended.change) == (None, None, None)
    # hours derive from 4 persons now and 2 before; the mean stay from 3 residents
    for name in ("home_nursing_approved_hours", "long_term_avg_days"):
        assert h[name].value is None and "value" in h[name].suppressed, name
    assert h["services_per_user"].value == pytest.approx(11 / 8)
    assert h["services_per_user"].previous is None  # 3 users before


def test_rows(report) -> None:
    steps = {s.step: s for s in report.steps}
    g = steps["Grunnmur"]
    assert (g.services, g.users, g.previous, g.change) == (None, None, None, None)
    assert set(g.suppressed) == {"services", "users", "previous", "change", "change_pct"}
    t3 = steps["Trinn 3"]  # 5 decisions, 4 persons, 2 before
    assert (t3.services, t3.users, t3.previous, t3.change) == (5, None, None, None)
    t5 = steps["Trinn 5"]
    assert (t5.services, t5.users, t5.previous, t5.suppressed) == (0, 0, 0, [])
    tt = next(s for s in report.services if s.service == "TT-kort")
    assert (tt.count, tt.ended, tt.net) == (0, None, None)  # net would reveal ended
    (hs,) = [c for c in report.concentration if c.scope == "HS"]
    assert hs.users is None and hs.gini is None and hs.hours is None and hs.lorenz is None
    (lt,) = report.long_term_stays
    assert (lt.residents, lt.median_days, lt.mean_days, lt.under_150_days) == (
        None, None, None, None)
    assert report.data_quality.unmapped_services[0].rows is None


def test_zero_turns_it_off(small_store) -> None:
    db, catalog = small_store
    r = build_report(catalog, "2024-01", suppress=0, db=db)
    rows = [*r.headline.values(), *r.steps, *r.groups, *r.services, *r.concentration,
            *r.long_term_stays]
    assert not any(x.suppressed for x in rows)


def test_json_names_every_null_it_withholds(report) -> None:
    data = dump(report)
    entries = [*data["headline"].values(), *data["steps"], *data["groups"], *data["services"],
               *data["concentration"], *data["long_term_stays"]]
    assert any(e["suppressed"] for e in entries)
    for e in entries:
        for field in e["suppressed"]:
            assert e[field] is None


def test_lorenz_never_gives_back_a_withheld_share(small_store) -> None:
    """With threshold 1 nothing is small, but the curve needs 10·N persons; with 2 the top
    share of HS ring 2 (1 person) goes, and so must the curve that would give it back."""
    db, catalog = small_store
    for n, expect_curve in ((1, True), (2, False)):
        r = build_report(catalog, "2024-01", suppress=n, db=db)
        (hs,) = [c for c in r.concentration if c.scope == "HS"]
        assert (hs.lorenz is not None) == (expect_curve and hs.users >= 10 * n)
        for c in r.concentration:
            if "top10_hours_pct" in c.suppressed or "below_2h_hours_pct" in c.suppressed:
                assert c.lorenz is None
