"""Property tests: every figure of the report against a plain-Python oracle written from the
words of contract §4, on random decisions (boundary dates included) in two periods."""

from __future__ import annotations

import datetime as dt
import math
import statistics
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import store_periods
from innsatstrapp.catalog import Catalog, CatalogService, Step
from innsatstrapp.metrics import build_reports

D_P, D_Q = dt.date(2024, 1, 31), dt.date(2023, 12, 31)
CATALOG = Catalog(
    (Step("Grunnmur", 0), Step("Trinn 3", 3), Step("Trinn 6", 6), Step("På tvers", 7, None,
                                                                        False)),
    (CatalogService("Alarm", "Alarmer", "Grunnmur"),
     CatalogService("Alarm mobil", "Alarmer", "Grunnmur"),
     CatalogService("HS 1", "HS", "Trinn 3", "hjemmesykepleie"),
     CatalogService("HS 2", "HS", "Trinn 3", "hjemmesykepleie"),
     CatalogService("Praktisk", "Praktisk", "Trinn 3"),
     CatalogService("Sykehjem", "Sykehjem", "Trinn 6", "langtidsopphold"),
     CatalogService("TT-kort", "TT-kort", "På tvers"),
     CatalogService("Ikke plassert", "Ikke plassert", None)),
    file_name="k.xlsx", sha256="0" * 64)
SERVICES = [s.name for s in CATALOG.services] + ["Ukjent"]
HOURS = st.one_of(st.none(), st.sampled_from([0, 0.25, 0.5, 1, 1.5, 1.75, 2, 3.75, 6, 11.5,
                                              12, 20, 37.5]))


@st.composite
def decision(draw: st.DrawFn, as_of: dt.date) -> dict:
    start = as_of + dt.timedelta(days=draw(st.integers(-900, 40)))
    boundary = draw(st.sampled_from([None, "D", "M", "M-1", "start"]))
    if boundary == "D":
        start = as_of
    elif boundary == "M":
        start = as_of.replace(day=1)
    end = None
    if draw(st.booleans()):
        end = start + dt.timedelta(days=draw(st.integers(0, 500)))
        end = {"D": as_of, "M-1": as_of.replace(day=1) - dt.timedelta(days=1)}.get(
            draw(st.sampled_from(["", "D", "M-1"])), end)
        end = max(end, start)
    return {"person": draw(st.integers(1, 14)), "service": draw(st.sampled_from(SERVICES)),
            "unit": draw(st.sampled_from([None, "Sone A", "Sone B", "Sone C"])),
            "birth_year": draw(st.sampled_from([None, 1925, 1940, 1950, 1957, 2010])),
            "gender": draw(st.sampled_from([None, "K", "M"])),
            "start_date": start, "end_date": end, "hours_per_week": draw(HOURS),
            "resource_hours_per_week": draw(HOURS)}


def store(folder: Path, p_rows: list[dict], q_rows: list[dict]) -> Path:
    return store_periods(folder, [("2023-12", D_Q, q_rows), ("2024-01", D_P, p_rows)])


# --- the oracle, from the contract's words -------------------------------------------------

def is_active(r: dict, d: dt.date) -> bool:
    return r["start_date"] <= d and (r["end_date"] is None or r["end_date"] >= d)


def in_month(x: dt.date | None, d: dt.date) -> bool:
    return x is not None and d.replace(day=1) <= x <= d


def placed(r: dict) -> CatalogService | None:
    s = CATALOG.service(r["service"])
    return s if s is not None and s.step is not None else None


def total(values: list[float]) -> float | None:
    return sum(values) if values else None


def oracle(rows: list[dict], d: dt.date) -> dict:
    act = [r for r in rows if is_active(r, d)]
    role = lambda r, name: placed(r) is not None and placed(r).role == name  # noqa: E731
    out = {
        "unique_users": len({r["person"] for r in act}),
        "services_total": len(act),
        "new_decisions": sum(in_month(r["start_date"], d) for r in rows),
        "ended_decisions": sum(in_month(r["end_date"], d) for r in rows),
        "home_nursing_approved_hours": sum(r["hours_per_week"] for r in act if role(
            r, "hjemmesykepleie") and r["hours_per_week"] is not None),
        "home_nursing_resource_hours": sum(r["resource_hours_per_week"] for r in act if role(
            r, "hjemmesykepleie") and r["resource_hours_per_week"] is not None),
    }
    days = [(d - r["start_date"]).days for r in act if role(r, "langtidsopphold")]
    out["long_term_avg_days"] = statistics.mean(days) if days else None
    out["services_per_user"] = (out["services_total"] / out["unique_users"]
                                if out["unique_users"] else None)
    out["steps"] = {s.name: (sum(1 for r in act if placed(r) and placed(r).step == s.name),
                             len({r["person"] for r in act if placed(r)
                                  and placed(r).step == s.name})) for s in CATALOG.steps}
    out["groups"] = {}
    for g in dict.fromkeys(s.group for s in CATALOG.mapped):
        mine = [r for r in act if placed(r) and placed(r).group == g]
        out["groups"][g] = (len(mine), len({r["person"] for r in mine}))
    out["unmapped"] = {}
    for r in rows:
        if placed(r) is None:
            rows_, act_ = out["unmapped"].get(r["service"], (0, 0))
            out["unmapped"][r["service"]] = (rows_ + 1, act_ + is_active(r, d))
    out["services"] = {}
    for s in CATALOG.mapped:
        mine = [r for r in rows if r["service"] == s.name]
        a = [r for r in mine if is_active(r, d)]
        new = sum(in_month(r["start_date"], d) for r in mine)
        ended = sum(in_month(r["end_date"], d) for r in mine)
        out["services"][s.name] = (
            len(a), len({r["person"] for r in a}), new, ended, new - ended,
            total([r["hours_per_week"] for r in a if r["hours_per_week"] is not None]),
            total([r["resource_hours_per_week"] for r in a
                   if r["resource_hours_per_week"] is not None]))
    out["concentration"] = {}
    for scope_type, key in (("service", lambda s: s.name), ("group", lambda s: s.group)):
        scopes = {key(s) for s in CATALOG.mapped}
        for scope in scopes:
            per: dict[int, float] = {}
            for r in act:
                if placed(r) and key(placed(r)) == scope and r["hours_per_week"] is not None:
                    per[r["person"]] = per.get(r["person"], 0) + r["hours_per_week"]
            if not per:
                continue
            x = sorted(per.values())
            n, hours = len(x), sum(x)
            top = sum(sorted(x, reverse=True)[:math.ceil(n / 10)])
            below = [v for v in x if v < 2]
            gini = (sum(abs(a - b) for a in x for b in x) / (2 * n * n * (hours / n))
                    if hours else None)
            # the Lorenz curve: the share of hours of the floor(k·n/10) persons with fewest
            lorenz = ([0.0] + [100 * sum(x[:k * n // 10]) / hours for k in range(1, 10)]
                      + [100.0]) if hours else None
            out["concentration"][(scope_type, scope)] = (
                n, hours,
                100 * top / hours if hours else None,
                100 * len(below) / n if hours else None,
                100 * sum(below) / hours if hours else None,
                gini,
                sum(v < 1 for v in x), sum(1 <= v < 6 for v in x), sum(6 <= v < 12 for v in x),
                sum(v >= 12 for v in x), math.ceil(n / 10), lorenz)
    lt = [(d - r["start_date"]).days for r in act if r["service"] == "Sykehjem"]
    out["long_term"] = (len(lt), sum(v < 150 for v in lt), sum(150 <= v < 365 for v in lt),
                        sum(365 <= v < 730 for v in lt), sum(v >= 730 for v in lt),
                        statistics.median(lt) if lt else None,
                        statistics.mean(lt) if lt else None)
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.data_too_large])
@given(st.lists(decision(D_P), min_size=1, max_size=40),
       st.lists(decision(D_Q), min_size=0, max_size=25))
def test_report_matches_oracle(p_rows: list[dict], q_rows: list[dict]) -> None:
    p_rows.append({"person": 99, "service": "Alarm", "start_date": D_P, "end_date": None,
                   "hours_per_week": None, "resource_hours_per_week": None})
    with tempfile.TemporaryDirectory() as tmp:
        reports = build_reports(CATALOG, "2024-01", history=["2023-12"], suppress=0,
                                db=store(Path(tmp), p_rows, q_rows))
    assert set(reports) == {None} | {r.get("unit") or "" for r in p_rows + q_rows}
    check(reports[None], p_rows, q_rows)
    for unit, r in reports.items():  # a unit's report is the oracle on the unit's rows
        if unit is not None:
            assert r.unit == unit
            check(r, *([x for x in rows if (x.get("unit") or "") == unit]
                       for rows in (p_rows, q_rows)))


def check(r, p_rows: list[dict], q_rows: list[dict]) -> None:
    now, before = oracle(p_rows, D_P), oracle(q_rows, D_Q)
    check_movement(r, p_rows, q_rows)
    approx = lambda v: pytest.approx(v, rel=1e-9, abs=1e-9) if v is not None else None  # noqa: E731
    for name, fig in r.headline.items():
        assert fig.value == approx(now[name]), name
        assert fig.previous == approx(before[name]), name
    assert {s.step: (s.services, s.users) for s in r.steps} == now["steps"]
    assert {s.step: s.previous for s in r.steps} == {k: v[0] for k, v in before["steps"].items()}
    assert {g.group: (g.services, g.users) for g in r.groups} == now["groups"]
    assert {g.group: g.previous for g in r.groups} == {k: v[0] for k, v in
                                                       before["groups"].items()}
    assert {u.service: (u.rows, u.active) for u in r.data_quality.unmapped_services} == \
        now["unmapped"]
    assert (r.data_quality.rows, r.data_quality.active) == (len(p_rows), now["services_total"])
    for s in r.services:
        exp = now["services"][s.service]
        assert (s.count, s.users, s.new, s.ended, s.net) == exp[:5], s.service
        assert (s.approved_hours, s.resource_hours) == (approx(exp[5]), approx(exp[6]))
        assert s.previous == before["services"][s.service][0]
    got = {(c.scope_type, c.scope): (c.users, c.hours, c.top10_hours_pct, c.below_2h_users_pct,
                                     c.below_2h_hours_pct, c.gini, c.under_1h, c.h1_to_6,
                                     c.h6_to_12, c.h12_plus, c.top10_users, c.lorenz)
           for c in r.concentration}
    assert set(got) == set(now["concentration"])
    for key, exp in now["concentration"].items():
        assert got[key] == tuple(approx(v) if isinstance(v, float | list) else v
                                 for v in exp), key
    (lt,) = r.long_term_stays
    exp = now["long_term"]
    assert (lt.residents, lt.under_150_days, lt.days_150_to_365, lt.days_365_to_730,
            lt.over_730_days) == exp[:5]
    assert (lt.median_days, lt.mean_days) == (approx(exp[5]), approx(exp[6]))
    # the history repeats both periods, with new and ended per step
    by_name = {h.name: h.counts for h in r.history.headline}
    for name, fig in r.headline.items():
        assert by_name[name]["2024-01"] == approx(fig.value), name
        assert by_name[name]["2023-12"] == approx(fig.previous), name
    for key, field in (("steps_new", "new"), ("steps_ended", "ended")):
        for h in getattr(r.history, key):
            assert h.counts["2024-01"] == sum(
                now["services"][s.name][2 if field == "new" else 3] for s in CATALOG.mapped
                if s.step == h.name), (key, h.name)



# --- movement (contract §6), from its words ------------------------------------------------

ORDER = {s.name: s.order for s in CATALOG.steps}
NAME = {s.order: s.name for s in CATALOG.steps}
LADDER = {s.name for s in CATALOG.steps if s.on_staircase}


def level(rows: list[dict], d: dt.date, person: int) -> int | None:
    """The staircase step with the highest Nr among the person's active decisions at D."""
    found = [ORDER[placed(r).step] for r in rows if r["person"] == person and is_active(r, d)
             and placed(r) is not None and placed(r).step in LADDER]
    return max(found) if found else None


def attribute(rows: list[dict], person: int, key: str) -> object:
    values = {r.get(key) for r in rows if r["person"] == person} - {None}
    return values.pop() if len(values) == 1 else "ukjent"


def band(rows: list[dict], d: dt.date, person: int) -> str:
    year = attribute(rows, person, "birth_year")
    if year == "ukjent":
        return "ukjent"
    age = d.year - year - 1
    for hi, label in ((17, "0-17"), (49, "18-49"), (66, "50-66"), (74, "67-74"),
                      (79, "75-79"), (84, "80-84"), (89, "85-89")):
        if age <= hi:
            return label
    return "90+"


def check_movement(r, p_rows: list[dict], q_rows: list[dict]) -> None:
    people = {x["person"] for x in p_rows + q_rows}
    now = {p: level(p_rows, D_P, p) for p in people}
    then = {p: level(q_rows, D_Q, p) for p in people}
    for row in r.levels:
        assert row.persons == sum(v == row.order for v in now.values()), row.step
        assert row.previous == sum(v == row.order for v in then.values()), row.step
    assert [x.step for x in r.levels] == [s.name for s in CATALOG.steps if s.on_staircase]
    pairs: dict[tuple[str, str], int] = {}
    for p in people:
        if now[p] is not None or then[p] is not None:
            key = (NAME.get(then[p], "ingen"), NAME.get(now[p], "ingen"))
            pairs[key] = pairs.get(key, 0) + 1
    t = r.transitions
    assert {(c.from_, c.to): c.persons for c in t.matrix} == pairs
    for x in r.levels:  # rows add up to the levels then, columns to the levels now
        assert sum(c.persons for c in t.matrix if c.from_ == x.step) == x.previous
        assert sum(c.persons for c in t.matrix if c.to == x.step) == x.persons
    both = [p for p in people if now[p] is not None and then[p] is not None]
    assert t.moved_down == sum(now[p] < then[p] for p in both)
    assert t.moved_up == sum(now[p] > then[p] for p in both)
    assert t.stayed == sum(now[p] == then[p] for p in both)
    assert t.entered == sum(then[p] is None and now[p] is not None for p in people)
    assert t.left == sum(then[p] is not None and now[p] is None for p in people)
    users = {x["person"] for x in p_rows if is_active(x, D_P)}
    expected: dict[tuple[str, str], list] = {}
    for p in users:
        key = (band(p_rows, D_P, p), attribute(p_rows, p, "gender"))
        entry = expected.setdefault(key, [0, {}])
        entry[0] += 1
        if now[p] is not None:
            entry[1][NAME[now[p]]] = entry[1].get(NAME[now[p]], 0) + 1
    assert {(a.age_band, a.gender): [a.users, a.persons_by_level] for a in r.by_age} == {
        k: [v[0], v[1]] for k, v in expected.items()}
    # the history has the same levels and, for the pair of periods, the same flows
    lv = {x.step: x for x in r.levels}
    for h in r.history.levels:
        assert (h.counts["2024-01"], h.counts["2023-12"]) == (lv[h.name].persons,
                                                              lv[h.name].previous)
    moves = ("moved_down", "moved_up", "stayed", "entered", "left")
    whole = [f for f in r.history.flows if f.age_band is None]
    if not pairs:
        assert whole == []
        return
    (w,) = whole
    assert (w.period, w.before) == ("2024-01", "2023-12")
    assert [getattr(w, m) for m in moves] == [getattr(t, m) for m in moves]
    bands = [f for f in r.history.flows if f.age_band is not None]
    for m in moves:
        assert sum(getattr(b, m) for b in bands) == getattr(w, m)
    # a person's band is taken where they are on the staircase: now, else then
    assert {b.age_band for b in bands} == {
        band(p_rows, D_P, p) if now[p] is not None else band(q_rows, D_Q, p)
        for p in people if now[p] is not None or then[p] is not None}
