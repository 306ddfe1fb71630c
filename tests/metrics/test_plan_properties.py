"""Property tests of the plan (contract §7): every figure against a plain-Python oracle
written from the contract's words, on random decisions, populations, accounts and
scenarios; and the projection's own laws (today reproduced, shifts conserve users, doubling
the population doubles the projection)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_properties import CATALOG, D_P, attribute, band, decision, is_active, placed

from helpers import store_periods
from innsatstrapp.plan.build import build_plan
from innsatstrapp.plan.project import CELLS, Basis
from innsatstrapp.plan.scenarios import Scenario, Shift

B = D_P.year
AGE_OF = {"0-17": 10, "18-49": 30, "50-66": 60, "67-74": 70, "75-79": 77, "80-84": 82,
          "85-89": 87, "90+": 95}  # one age stands for its band in the population file
STEPS = [s.name for s in CATALOG.steps]
COST = {"Grunnmur": (None, 1.5), "Trinn 3": (4_000_000.0, 5.0), "Trinn 6": (9_000_000.0, None)}


@st.composite
def scenario_rows(draw: st.DrawFn, last: int) -> list[tuple]:
    rows = []
    for k in range(draw(st.integers(0, 2))):
        left: dict[str, float] = {}
        for _ in range(draw(st.integers(1, 3))):
            source, target = draw(st.permutations(STEPS))[:2]
            share = draw(st.sampled_from([0, 10, 12.5, 50, 100]))
            if left.get(source, 0) + share > 100:
                continue
            left[source] = left.get(source, 0) + share
            start = draw(st.integers(B - 1, last + 1))
            rows.append((f"S{k}", source, target, share, start,
                         start + draw(st.integers(0, 4))))
    return rows


def oracle(rows: list[dict], population: dict, scenarios: list[tuple], years: range) -> dict:
    """The plan from the contract's words, person by person."""
    active = [r for r in rows if is_active(r, D_P) and placed(r) is not None]
    persons = {r["person"] for r in rows}
    cell = {p: (band(rows, D_P, p), attribute(rows, p, "gender")) for p in persons}
    out: dict = {"matrix": {}, "rates": {}, "users": {}}
    base_pop = {c: sum(n for (y, a, g), n in population.items()
                       if y == B and (AGE_BAND[a], g) == c) for c in CELLS}
    for s in STEPS:
        mine = [r for r in active if placed(r).step == s]
        users = {r["person"] for r in mine}
        hours = [r["hours_per_week"] for r in mine if r["hours_per_week"] is not None]
        out["matrix"][s] = (len(mine), len(users), sum(hours) if hours else None)
        known = {c: sum(1 for p in users if cell[p] == c) for c in CELLS}
        for c in CELLS:
            out["rates"][(s, *c)] = (known[c], base_pop[c],
                                     known[c] / base_pop[c] * 1000 if base_pop[c] else None)
        total_known = sum(known.values())
        for y in years:
            if total_known == 0:
                value = float(len(users))
            else:
                value = len(users) / total_known * sum(
                    known[c] / base_pop[c] * sum(n for (yy, a, g), n in population.items()
                                                 if yy == y and (AGE_BAND[a], g) == c)
                    for c in CELLS if base_pop[c])
            out["users"][("Uendret praksis", y, s)] = value
    names = list(dict.fromkeys(r[0] for r in scenarios))
    for name in names:
        for y in years:
            for s in STEPS:
                out["users"][(name, y, s)] = out["users"][("Uendret praksis", y, s)]
        for _, source, target, share, start, full in (r for r in scenarios if r[0] == name):
            for y in years:
                moved = share / 100 * min(max((y - start + 1) / (full - start + 1), 0), 1) * \
                    out["users"][("Uendret praksis", y, source)]
                out["users"][(name, y, source)] -= moved
                out["users"][(name, y, target)] += moved
    out["names"] = ["Uendret praksis", *names]
    return out


AGE_BAND = {age: b for b, age in AGE_OF.items()}


def write_inputs(folder: Path, population: dict, scenarios: list[tuple]) -> dict[str, Path]:
    lines = ["år;alder;kjønn;personer"] + [f"{y};{a};{g};{n}"
                                           for (y, a, g), n in population.items()]
    (folder / "b.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "r.csv").write_text("Trinn;Kostnad;Årsverk\n" + "".join(
        f"{s};{'' if c is None else c};{'' if f is None else f}\n"
        for s, (c, f) in COST.items()), encoding="utf-8")
    (folder / "s.csv").write_text("Scenario;Fra trinn;Til trinn;Andel;Startår;Fullt år\n"
                                  + "".join(";".join(map(str, r)) + "\n" for r in scenarios),
                                  encoding="utf-8")
    return {"population": folder / "b.csv", "accounts": folder / "r.csv",
            "scenarios": folder / "s.csv"}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_plan_matches_oracle(data: st.DataObject) -> None:
    rows = data.draw(st.lists(decision(D_P), max_size=30))
    assume(any(placed(r) is not None for r in rows))  # else the catalog does not fit
    last = B + data.draw(st.integers(0, 3))
    years = range(B, last + 1)
    # every band and gender with users must have people in the base year
    needed = {(band(rows, D_P, r["person"]), attribute(rows, r["person"], "gender"))
              for r in rows if is_active(r, D_P)}
    population = {}
    for y in years:
        for b, g in CELLS:
            low = 1 if y == B and (b, g) in needed else 0
            population[(y, AGE_OF[b], g)] = data.draw(st.integers(low, 60))
    scenarios = data.draw(scenario_rows(last))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = store_periods(folder, [("2024-01", D_P, rows)])
        plan = build_plan(CATALOG, "2024-01", **write_inputs(folder, population, scenarios),
                          to_year=last, suppress=0, db=db).plan
    want = oracle(rows, population, scenarios, years)
    for r in plan.matrix:
        assert (r.services, r.users) == want["matrix"][r.step][:2], r.step
        assert r.approved_hours == pytest.approx(want["matrix"][r.step][2]), r.step
        cost, fte = COST.get(r.step, (None, None))
        assert r.cost_per_user == (cost / r.users if cost is not None and r.users else None)
        assert r.fte_per_user == (fte / r.users if fte is not None and r.users else None)
    got = {(r.step, r.age_band, r.gender): (r.users, r.population, r.per_1000)
           for r in plan.rates}
    assert got.keys() == want["rates"].keys()
    for key, (n, population_, per) in want["rates"].items():
        assert got[key][:2] == (n, population_), key
        assert got[key][2] == (None if per is None else pytest.approx(per)), key
    assert [s.scenario for s in plan.scenarios] == want["names"]
    users = {(s.scenario, y.year, x.step): x.users for s in plan.scenarios for y in s.years
             for x in y.steps}
    assert users == pytest.approx(want["users"], abs=1e-9)
    matrix = {r.step: r for r in plan.matrix}
    for s in plan.scenarios:
        for y in s.years:
            assert y.users == pytest.approx(sum(x.users for x in y.steps))
            costs = [x.cost for x in y.steps if x.cost is not None]
            assert y.cost == (pytest.approx(sum(costs)) if costs else None)
            for x in y.steps:
                per = matrix[x.step].cost_per_user
                assert x.cost == (None if per is None else pytest.approx(x.users * per))
    # the constant-rate projection of the base year is today
    base = next(y for y in plan.scenarios[0].years if y.year == B)
    assert {x.step: x.users for x in base.steps} == pytest.approx(
        {r.step: r.users for r in plan.matrix})


@st.composite
def bases(draw: st.DrawFn) -> Basis:
    steps, years = 4, draw(st.integers(1, 6))
    known = np.array(draw(st.lists(st.lists(st.integers(0, 9), min_size=len(CELLS),
                                            max_size=len(CELLS)), min_size=steps,
                                   max_size=steps)), dtype=float)
    unknown = np.array(draw(st.lists(st.integers(0, 5), min_size=steps, max_size=steps)))
    population = np.array(draw(st.lists(st.lists(st.integers(1, 500), min_size=len(CELLS),
                                                 max_size=len(CELLS)), min_size=years,
                                        max_size=years)), dtype=float)
    return Basis(steps=("A", "B", "C", "D"), years=tuple(range(2026, 2026 + years)),
                 users=known.sum(axis=1) + unknown, known=known, population=population,
                 cost_per_user=np.array([1.0, np.nan, 3.0, 4.0]),
                 fte_per_user=np.full(steps, np.nan))


SHIFTS = st.lists(st.builds(
    Shift, st.sampled_from("ABCD"), st.sampled_from("ABCD"), st.sampled_from([0, 25, 40]),
    st.integers(2025, 2030), st.integers(2030, 2034)), max_size=2)


@settings(max_examples=200, deadline=None)
@given(bases(), SHIFTS)
def test_projection_laws(basis: Basis, shifts: list[Shift]) -> None:
    baseline = basis.baseline()
    assert baseline[0] == pytest.approx(basis.users)  # today reproduced in the base year
    moved = basis.shifted(baseline, Scenario("S", tuple(s for s in shifts
                                                        if s.source != s.target)))
    assert moved.sum(axis=1) == pytest.approx(baseline.sum(axis=1))  # shifts conserve users
    assert (moved >= -1e-9).all()  # at most 100 % out of a step: never below zero
    # doubling the population of the later years doubles their projection, for every step
    # with users of known age and gender (the others keep today's users)
    doubled = Basis(basis.steps, basis.years, basis.users, basis.known,
                    np.vstack([basis.population[:1], 2 * basis.population[1:]]),
                    basis.cost_per_user, basis.fte_per_user).baseline()
    has_known = basis.known.sum(axis=1) > 0
    expected = np.where(has_known, 2 * baseline[1:], baseline[1:])
    assert doubled[1:] == pytest.approx(expected)
