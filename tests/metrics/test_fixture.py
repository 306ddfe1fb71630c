"""Every figure of contract §4 on a small fixture, computed by hand (see conftest.py)."""

from __future__ import annotations

import pytest

from innsatstrapp.errors import MetricError
from innsatstrapp.metrics import build_report


@pytest.fixture(scope="module")
def report(small_store):
    db, catalog = small_store
    return build_report(catalog, "2024-01", suppress=0, db=db)


def test_periods(report) -> None:
    assert (report.period, str(report.as_of), report.previous_period) == (
        "2024-01", "2024-01-31", "2023-12")
    assert report.schema_version == 1 and report.suppression_threshold == 0


def test_headline(report) -> None:
    h = {k: (v.value, v.previous, v.change) for k, v in report.headline.items()}
    assert h["unique_users"] == (8, 3, 5)
    assert h["services_total"] == (11, 4, 7)
    assert h["services_per_user"] == pytest.approx((11 / 8, 4 / 3, 11 / 8 - 4 / 3))
    assert h["new_decisions"] == (3, 0, 3)
    assert h["ended_decisions"] == (2, 1, 1)
    assert h["home_nursing_approved_hours"] == pytest.approx((21.0, 11.0, 10.0))
    assert h["home_nursing_resource_hours"] == (16.0, 0, 16.0)  # no value before: a sum of 0
    assert report.headline["home_nursing_resource_hours"].change_pct is None
    assert h["long_term_avg_days"] == pytest.approx(((365 + 30 + 1095) / 3, 334, 1490 / 3 - 334))
    assert report.headline["services_total"].change_pct == pytest.approx(175.0)
    assert report.headline["new_decisions"].change_pct is None  # previous 0


def test_steps_every_step_even_empty(report) -> None:
    got = [(s.step, s.order, s.services, s.users, s.previous, s.change, s.change_pct)
           for s in report.steps]
    assert got == [("Grunnmur", 0, 2, 2, 1, 1, 100.0), ("Trinn 3", 3, 5, 4, 2, 3, 150.0),
                   ("Trinn 5", 5, 0, 0, 0, 0, None), ("Trinn 6", 6, 3, 3, 1, 2, 200.0),
                   ("På tvers", 7, 0, 0, 0, 0, None)]
    assert report.steps[0].category == "Forebygging"


def test_groups(report) -> None:
    got = [(g.group, g.step, g.services, g.users, g.previous) for g in report.groups]
    assert got == [("Alarmer", "Grunnmur", 2, 2, 1), ("HS", "Trinn 3", 5, 4, 2),
                   ("Sykehjem", "Trinn 6", 3, 3, 1), ("TT-kort", "På tvers", 0, 0, 0)]


def test_services(report) -> None:
    got = {s.service: (s.count, s.users, s.previous, s.new, s.ended, s.net, s.approved_hours,
                       s.resource_hours) for s in report.services}
    assert got == {
        "Alarm": (1, 1, 1, 0, 0, 0, None, None),
        "Alarm mobil": (1, 1, 0, 1, 0, 1, None, None),
        "HS ring 1": (3, 3, 1, 1, 1, 0, 4.5, 3.5),
        "HS ring 2": (2, 2, 1, 0, 0, 0, 16.5, 12.5),
        "Sykehjem": (3, 3, 1, 1, 0, 1, None, None),
        "TT-kort": (0, 0, 0, 0, 1, -1, None, None),
    }
    assert [s.role for s in report.services][2:5] == ["hjemmesykepleie", "hjemmesykepleie",
                                                      "langtidsopphold"]


def test_concentration(report) -> None:
    c = {(x.scope_type, x.scope): x for x in report.concentration}
    assert set(c) == {("service", "HS ring 1"), ("service", "HS ring 2"), ("group", "HS")}
    r1 = c[("service", "HS ring 1")]
    assert (r1.users, r1.hours, r1.top10_users) == (3, 4.5, 1)
    assert r1.top10_hours_pct == pytest.approx(300 / 4.5)
    assert r1.below_2h_users_pct == pytest.approx(200 / 3)
    assert r1.below_2h_hours_pct == pytest.approx(150 / 4.5)
    assert r1.gini == pytest.approx(10 / 27)
    assert (r1.under_1h, r1.h1_to_6, r1.h6_to_12, r1.h12_plus) == (1, 2, 0, 0)
    r2 = c[("service", "HS ring 2")]
    assert (r2.users, r2.hours, r2.below_2h_users_pct, r2.below_2h_hours_pct) == (2, 16.5, 0, 0)
    assert r2.top10_hours_pct == pytest.approx(1250 / 16.5)
    assert r2.gini == pytest.approx(17 / 66)
    assert (r2.under_1h, r2.h1_to_6, r2.h6_to_12, r2.h12_plus) == (0, 1, 0, 1)
    g = c[("group", "HS")]  # person 2 has 3 + 4 = 7 hours across the two services
    assert (g.users, g.hours) == (4, 21.0)
    assert g.top10_hours_pct == pytest.approx(1250 / 21)
    assert (g.below_2h_users_pct, g.below_2h_hours_pct) == pytest.approx((50.0, 150 / 21))
    assert g.gini == pytest.approx(0.5)
    assert (g.under_1h, g.h1_to_6, g.h6_to_12, g.h12_plus) == (1, 1, 1, 1)
    # Lorenz at deciles: floor(k·4/10) persons with fewest hours [0.5, 1, 7, 12.5]
    expected = [0, 0, 0, 0.5, 0.5, 1.5, 1.5, 1.5, 8.5, 8.5, 21]
    assert g.lorenz == pytest.approx([100 * v / 21 for v in expected])


def test_long_term_stays(report) -> None:
    (lt,) = report.long_term_stays
    assert (lt.service, lt.residents, lt.under_150_days, lt.days_150_to_365, lt.days_365_to_730,
            lt.over_730_days, lt.median_days) == ("Sykehjem", 3, 1, 0, 1, 1, 365)
    assert lt.mean_days == pytest.approx(1490 / 3)


def test_data_quality(report) -> None:
    dq = report.data_quality
    assert [(u.service, u.rows, u.active) for u in dq.unmapped_services] == [
        ("Ukjent tjeneste", 1, 1)]
    assert (dq.rows, dq.active) == (14, 11)
    assert [(w.code, w.count) for w in dq.warnings] == [("future_start", 1)]


def test_without_a_compared_period(small_store) -> None:
    db, catalog = small_store
    r = build_report(catalog, "2023-12", suppress=0, db=db)
    assert r.previous_period is None
    assert r.headline["unique_users"].previous is None and r.steps[0].previous is None
    assert r.headline["unique_users"].change is None


def test_history_and_provenance(small_store) -> None:
    db, catalog = small_store
    r = build_report(catalog, "2024-01", history=["2023-12"], suppress=0, db=db)
    assert r.history.periods == ["2023-12", "2024-01"]
    assert {h.name: h.counts for h in r.history.steps}["Trinn 3"] == {"2023-12": 2, "2024-01": 5}
    assert [x.period for x in r.provenance.extracts] == ["2023-12", "2024-01"]
    assert r.provenance.catalog_sha256 == catalog.sha256


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"period": "2024-05"}, "Perioden 2024-05 finnes ikke i lageret"),
    ({"period": "2024-01", "compare": "2022-01"}, "Perioden 2022-01 finnes ikke"),
    ({"period": "2024-01", "compare": "2024-01"}, "samme periode"),
    ({"period": "2024-01", "suppress": -1}, "--suppress må være 0 eller større"),
])
def test_errors(small_store, kwargs, message) -> None:
    db, catalog = small_store
    with pytest.raises(MetricError, match=message):
        build_report(catalog, db=db, **kwargs)


def test_catalog_that_does_not_match(small_store, tmp_path) -> None:
    from innsatstrapp.catalog import load_catalog
    from small import STEPS, write_catalog

    db, _ = small_store
    other = load_catalog(write_catalog(tmp_path / "k.xlsx", STEPS, [
        ["Tjeneste", "Gruppe", "Trinn", "Rolle"], ["Noe annet", "", "Trinn 3", ""]]))
    with pytest.raises(MetricError, match="passer ikke til uttrekket"):
        build_report(other, "2024-01", db=db)
