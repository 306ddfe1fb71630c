"""The plan (contract §7) on a tiny store and population computed by hand: the matrix, the
rates, the scale for persons of unknown age or gender, a step with no known person, a shift
phased in over two years, steps without accounts; plan.json against its schema; the CLI."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from helpers import store_periods
from innsatstrapp.catalog import Catalog, CatalogService, Step
from innsatstrapp.errors import InputFileError
from innsatstrapp.model.base import dump, dump_json, load_json
from innsatstrapp.model.plan import Plan, plan_schema
from innsatstrapp.plan.build import build_plan

D = dt.date(2024, 1, 31)  # base year 2024; age = 2024 - birth year - 1
CATALOG = Catalog(
    (Step("Grunnmur", 0), Step("Trinn 3", 3), Step("Trinn 4", 4), Step("Trinn 5", 5),
     Step("Trinn 6", 6), Step("På tvers", 7, None, False)),
    (CatalogService("Alarm", "Alarm", "Grunnmur"),
     CatalogService("HS 1", "HS", "Trinn 3", "hjemmesykepleie"),
     CatalogService("HS 2", "HS", "Trinn 3", "hjemmesykepleie"),
     CatalogService("Praktisk", "Praktisk", "Trinn 3"),
     CatalogService("Korttid", "Korttid", "Trinn 5"),
     CatalogService("Sykehjem", "Sykehjem", "Trinn 6", "langtidsopphold"),
     CatalogService("TT-kort", "TT-kort", "På tvers")),
    file_name="k.xlsx", sha256="1" * 64)
OPEN = dt.date(2023, 1, 1)


def row(person: int, service: str, birth: int | None, gender: str | None,
        hours: float | None = None, end: dt.date | None = None) -> dict:
    return {"person": person, "service": service, "start_date": OPEN, "end_date": end,
            "hours_per_week": hours, "resource_hours_per_week": None, "birth_year": birth,
            "gender": gender}


ROWS = [
    row(1, "Sykehjem", 1940, "K"), row(1, "Alarm", 1940, "K"),     # 83: 80-84 K
    row(2, "HS 1", 1940, "M", 2.0),                                 # 80-84 M
    row(3, "HS 1", 1942, "K", 3.5), row(3, "HS 2", 1942, "K"),      # 81: 80-84 K
    row(4, "Alarm", 1950, "K"),                                     # 73: 67-74 K
    row(5, "HS 2", 1935, None, 1.0),                                # gender unknown
    row(6, "Sykehjem", 1930, "K"),                                  # 93: 90+ K
    row(6, "Praktisk", 1930, "K", 5.0, dt.date(2023, 6, 30)),       # ended: not active
    row(7, "TT-kort", 2010, "M"),                                   # 13: 0-17 M
    row(8, "Korttid", None, "K"),                                   # age unknown, alone
]
# persons on 1 January, one age standing for its band: (age, gender) -> 2024, 2025, 2026
POPULATION = {(82, "K"): (200, 250, 300), (82, "M"): (100, 100, 150),
              (70, "K"): (400, 400, 400), (95, "K"): (50, 60, 80), (10, "M"): (1000,) * 3}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("plan")
    lines = ["år;alder;kjønn;personer"] + [
        f"{2024 + i};{age};{gender};{n}" for (age, gender), ns in POPULATION.items()
        for i, n in enumerate(ns)]
    (tmp / "befolkning.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp / "regnskap.csv").write_text(
        "Trinn;Kostnad;Årsverk\nTrinn 3;3 000 000;3\nTrinn 6;3 000 000;4\n", encoding="utf-8")
    (tmp / "scenarier.csv").write_text(
        "Scenario;Fra trinn;Til trinn;Andel;Startår;Fullt år\n"
        "Hjemme;Trinn 6;Trinn 3;50;2025;2026\n", encoding="utf-8")
    return {"db": store_periods(tmp, [("2024-01", D, ROWS)]),
            "population": tmp / "befolkning.csv", "accounts": tmp / "regnskap.csv",
            "scenarios": tmp / "scenarier.csv"}


@pytest.fixture(scope="module")
def plan(inputs):
    return build_plan(CATALOG, "2024-01", inputs["population"], accounts=inputs["accounts"],
                      scenarios=inputs["scenarios"], to_year=2026, suppress=0,
                      db=inputs["db"]).plan


def test_matrix(plan) -> None:
    got = {r.step: (r.services, r.users, r.approved_hours, r.cost, r.fte, r.cost_per_user,
                    r.fte_per_user, r.cost_per_service) for r in plan.matrix}
    assert got == {
        "Grunnmur": (2, 2, None, None, None, None, None, None),
        "Trinn 3": (4, 3, 6.5, 3e6, 3.0, 1e6, 1.0, 750_000),
        "Trinn 4": (0, 0, None, None, None, None, None, None),
        "Trinn 5": (1, 1, None, None, None, None, None, None),
        "Trinn 6": (2, 2, None, 3e6, 4.0, 1.5e6, 2.0, 1.5e6),
        "På tvers": (1, 1, None, None, None, None, None, None),
    }
    assert [r.order for r in plan.matrix] == [0, 3, 4, 5, 6, 7]


def test_rates(plan) -> None:
    shown = {(r.step, r.age_band, r.gender): (r.users, r.population, r.per_1000)
             for r in plan.rates if r.users}
    assert shown == {
        ("Grunnmur", "67-74", "K"): (1, 400, 2.5), ("Grunnmur", "80-84", "K"): (1, 200, 5.0),
        ("Trinn 3", "80-84", "K"): (1, 200, 5.0), ("Trinn 3", "80-84", "M"): (1, 100, 10.0),
        ("Trinn 6", "80-84", "K"): (1, 200, 5.0), ("Trinn 6", "90+", "K"): (1, 50, 20.0),
        ("På tvers", "0-17", "M"): (1, 1000, 1.0),
    }
    assert len(plan.rates) == 6 * 8 * 2  # every step, band and gender
    empty = next(r for r in plan.rates if (r.step, r.age_band, r.gender) == ("Trinn 3", "18-49",
                                                                            "K"))
    assert (empty.users, empty.population, empty.per_1000) == (0, 0, None)


def test_population(plan) -> None:
    assert [(p.year, p.total, p.age_67_plus, p.age_80_plus) for p in plan.population] == [
        (2024, 1750, 750, 350), (2025, 1810, 810, 410), (2026, 1930, 930, 530)]
    assert (plan.base_year, plan.to_year, plan.alternative) == (2024, 2026, None)


def users(plan, scenario: str) -> dict[int, dict[str, float]]:
    rows = next(s for s in plan.scenarios if s.scenario == scenario)
    return {y.year: {s.step: s.users for s in y.steps} for y in rows.years}


def test_baseline_by_hand(plan) -> None:
    assert [s.scenario for s in plan.scenarios] == ["Uendret praksis", "Hjemme"]
    got = users(plan, "Uendret praksis")
    expected = {
        # Grunnmur: 1/200 × 80-84 K + 1/400 × 67-74 K
        # Trinn 3: scale 3/2 × (1/100 × 80-84 M + 1/200 × 80-84 K)
        # Trinn 5: nobody of known age and gender: today's user every year
        # Trinn 6: 1/200 × 80-84 K + 1/50 × 90+ K
        2024: {"Grunnmur": 2, "Trinn 3": 3, "Trinn 4": 0, "Trinn 5": 1, "Trinn 6": 2,
               "På tvers": 1},
        2025: {"Grunnmur": 2.25, "Trinn 3": 3.375, "Trinn 4": 0, "Trinn 5": 1,
               "Trinn 6": 2.45, "På tvers": 1},
        2026: {"Grunnmur": 2.5, "Trinn 3": 4.5, "Trinn 4": 0, "Trinn 5": 1, "Trinn 6": 3.1,
               "På tvers": 1},
    }
    for year, steps in expected.items():
        assert got[year] == pytest.approx(steps), year


def test_shift_phased_in_by_hand(plan) -> None:
    got = users(plan, "Hjemme")
    # 50 % from Trinn 6 to Trinn 3, from 2025 to 2026: 0 in 2024, 25 % in 2025, 50 % in 2026
    assert got[2024] == pytest.approx(users(plan, "Uendret praksis")[2024])
    assert (got[2025]["Trinn 6"], got[2025]["Trinn 3"]) == pytest.approx((1.8375, 3.9875))
    assert (got[2026]["Trinn 6"], got[2026]["Trinn 3"]) == pytest.approx((1.55, 6.05))
    hjemme = next(s for s in plan.scenarios if s.scenario == "Hjemme")
    assert [(s.from_step, s.to_step, s.share, s.start_year, s.full_year)
            for s in hjemme.shifts] == [("Trinn 6", "Trinn 3", 50, 2025, 2026)]


def test_cost_and_fte_by_hand(plan) -> None:
    base = {y.year: y for y in plan.scenarios[0].years}
    hjemme = {y.year: y for y in plan.scenarios[1].years}
    # steps without accounts have no cost; the year sums the steps that have one
    y = base[2026]
    assert {s.step: s.cost for s in y.steps} == pytest.approx({
        "Grunnmur": None, "Trinn 3": 4.5e6, "Trinn 4": None, "Trinn 5": None,
        "Trinn 6": 4.65e6, "På tvers": None})
    assert (y.users, y.cost, y.fte) == pytest.approx((12.1, 9.15e6, 4.5 + 6.2))
    assert (hjemme[2026].cost, hjemme[2026].fte) == pytest.approx((6.05e6 + 2.325e6,
                                                                   6.05 + 3.1))
    assert hjemme[2026].users == pytest.approx(y.users)  # a shift moves, it adds nobody


def test_no_accounts_and_no_scenarios(inputs) -> None:
    plan = build_plan(CATALOG, "2024-01", inputs["population"], to_year=2025, suppress=0,
                      db=inputs["db"]).plan
    assert [s.scenario for s in plan.scenarios] == ["Uendret praksis"]
    assert all(r.cost is None and r.cost_per_user is None for r in plan.matrix)
    assert all(y.cost is None and y.fte is None for y in plan.scenarios[0].years)


def test_suppression(inputs) -> None:
    """Threshold 2: single persons are withheld, with what would give them back."""
    plan = build_plan(CATALOG, "2024-01", inputs["population"], accounts=inputs["accounts"],
                      to_year=2025, suppress=2, db=inputs["db"]).plan
    m = {r.step: r for r in plan.matrix}
    assert (m["Trinn 5"].users, m["Trinn 5"].services) == (None, None)  # 1 person, 1 service
    assert m["Trinn 3"].users == 3
    # HS 2's hours come from one person and are withheld in the report; the step's sum
    # with HS 1's published hours would give them back
    assert m["Trinn 3"].approved_hours is None and "approved_hours" in m["Trinn 3"].suppressed
    assert m["Trinn 4"].users == 0 and not m["Trinn 4"].suppressed  # 0 is never withheld
    assert all(r.users in (0, None) for r in plan.rates)  # every rate counts one person
    assert all(r.per_1000 is None for r in plan.rates if r.users is None)
    assert all({"users", "per_1000"} <= set(r.suppressed) for r in plan.rates
               if r.users is None)
    assert plan.suppress == 2


def test_published_plan_rounds_and_withholds_todays_counts(inputs) -> None:
    """HTML, Excel, PowerPoint and the dashboard show the plan rounded, and without the base
    year of a step whose users are withheld (it would be today's count); plan.json is exact."""
    from innsatstrapp.plan.disclose import published

    plan = build_plan(CATALOG, "2024-01", inputs["population"], accounts=inputs["accounts"],
                      scenarios=inputs["scenarios"], to_year=2026, suppress=2,
                      db=inputs["db"]).plan
    base = {s.step: s for s in plan.scenarios[0].years[0].steps}
    assert base["Trinn 5"].users == 1 and not base["Trinn 5"].suppressed  # exact in JSON
    shown = published(plan)
    for rows in shown.scenarios:
        first = rows.years[0]
        steps = {s.step: s for s in first.steps}
        assert steps["Trinn 5"].users is None and steps["Trinn 5"].suppressed == ["users"]
        assert first.users is None and "users" in first.suppressed  # the total minus the rest
        assert steps["Trinn 3"].users is not None  # shown today, shown here
    later = {s.step: s.users for s in shown.scenarios[0].years[2].steps}
    assert later == {"Grunnmur": 3, "Trinn 3": 5, "Trinn 4": 0, "Trinn 5": 1, "Trinn 6": 3,
                     "På tvers": 1}  # 2,5 4,5 0 1 3,1 1 rounded half up
    assert shown.scenarios[1].years[2].cost == 8_375_000  # 6 050 000 + 2 325 000
    assert shown.scenarios[0].years[2].fte == 10.7


def test_the_plan_and_its_published_form_read_back_to_the_same_text(plan) -> None:
    """Every float field holds a float (a rounded count too), so what plan.json, the
    dashboard's CSV and the charts write is the text the model reads back."""
    from innsatstrapp.plan.disclose import published

    for shown in (plan, published(plan)):
        text = dump_json(shown)
        assert dump_json(load_json(Plan, text)) == text


def test_matrix_counts_have_the_report_statuses(inputs) -> None:
    """The matrix's services and users per step are the report's: one status in both."""
    from innsatstrapp.metrics import build_report

    plan = build_plan(CATALOG, "2024-01", inputs["population"], to_year=2025, suppress=3,
                      db=inputs["db"]).plan
    report = build_report(CATALOG, "2024-01", suppress=3, db=inputs["db"])
    steps = {r.step: r for r in report.steps}
    for row in plan.matrix:
        assert (row.services, row.users) == (steps[row.step].services,
                                             steps[row.step].users), row.step
    hours = {s.service: s.approved_hours for s in report.services}
    assert hours["HS 2"] is None


def test_plan_json_matches_schema(tmp_path, inputs) -> None:
    from innsatstrapp.cli import app

    result = CliRunner().invoke(app, [
        "plan", "--period", "2024-01", "--catalog", str(_catalog(tmp_path)),
        "--population", str(inputs["population"]), "--accounts", str(inputs["accounts"]),
        "--scenarios", str(inputs["scenarios"]), "--to", "2026", "--db", str(inputs["db"]),
        "--out", str(tmp_path / "ut"), "--format", "json", "--suppress", "0"])
    assert result.exit_code == 0, result.output
    assert "Plan for 2024-01 til 2026 (2 scenarioer" in result.output
    data = json.loads((tmp_path / "ut" / "plan.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, plan_schema())
    assert data["schema_version"] == 1 and data["base_year"] == 2024
    assert data["population"][0] == {"year": 2024, "total": 1750, "age_67_plus": 750,
                                      "age_80_plus": 350}


def test_schema_file_is_current() -> None:
    root = Path(__file__).parents[2]
    for path in (root / "src" / "innsatstrapp" / "model" / "plan.schema.json",
                 root / "docs" / "plan.schema.json"):
        assert json.loads(path.read_text(encoding="utf-8")) == plan_schema(), path


def _catalog(tmp_path: Path) -> Path:
    from small import write_catalog

    steps = [["Trinn", "Nr", "Kategori", "Trapp"]] + [
        [s.name, s.order, "", "ja" if s.on_staircase else "nei"] for s in CATALOG.steps]
    services = [["Tjeneste", "Gruppe", "Trinn", "Rolle"]] + [
        [s.name, s.group, s.step, s.role or ""] for s in CATALOG.services]
    return write_catalog(tmp_path / "k.xlsx", steps, services)


def test_users_without_population_are_an_input_error(tmp_path, inputs) -> None:
    path = tmp_path / "b.csv"
    lines = ["år;alder;kjønn;personer"] + [
        f"{2024 + i};{age};{gender};{n}" for (age, gender), ns in POPULATION.items()
        if (age, gender) != (95, "K") for i, n in enumerate(ns)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as e:
        build_plan(CATALOG, "2024-01", path, to_year=2026, suppress=0, db=inputs["db"])
    assert ("ingen personer i aldersgruppen 90+ år, kjønn K, 1. januar 2024, men trinnet "
            "«Trinn 6» har brukere i gruppen") in str(e.value)
    assert "Befolkningsfilen «b.csv» ble avvist" in str(e.value)


def test_plan_cli_writes_every_format(tmp_path, inputs) -> None:
    """End to end as the analyst runs it, with suppression on: the four files, Norwegian and
    self-contained HTML with the generated sentences, withheld counts marked."""
    import re

    from innsatstrapp.cli import app

    out = tmp_path / "plan"
    result = CliRunner().invoke(app, [
        "plan", "--period", "2024-01", "--catalog", str(_catalog(tmp_path)),
        "--population", str(inputs["population"]), "--accounts", str(inputs["accounts"]),
        "--scenarios", str(inputs["scenarios"]), "--to", "2026", "--db", str(inputs["db"]),
        "--out", str(out), "--suppress", "2"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["plan.html", "plan.json", "plan.pptx",
                                                     "plan.xlsx"]
    html = (out / "plan.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in html and "Innsatstrappen mot 2026" in html
    # 4,5 users on Trinn 3 in 2026 with today's practice, shown as 5: 3 today, so 67 % more
    # (the sentence agrees with the rounded figures beside it)
    assert "Med uendret praksis trengs 5 brukere på Trinn 3 i 2026, 67 % flere enn i dag." in html
    # 6,05 − 4,5 and 1,55 − 3,1 as shown: 6 − 5 and 2 − 3
    assert "«Hjemme» gir i 2026 1 flere på Trinn 3 og 1 færre på Trinn 6" in html
    assert 'class="sup"' in html  # Trinn 5's single user is withheld
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)=', html)
    assert "url(http" not in html


@pytest.mark.parametrize(("args", "expected"), [
    (["--to", "2020"], "--to 2020 er før basisåret 2024"),
    (["--format", "docx"], "Ukjent format «docx»"),
    (["--period", "2023-05"], "Perioden 2023-05 finnes ikke i lageret"),
    (["--population", "finnes-ikke.csv"], "Befolkningsfilen: finner ikke filen finnes-ikke.csv"),
])
def test_plan_cli_errors(tmp_path, inputs, args: list[str], expected: str) -> None:
    from innsatstrapp.cli import app

    base = {"--period": "2024-01", "--catalog": str(_catalog(tmp_path)),
            "--population": str(inputs["population"]), "--db": str(inputs["db"]),
            "--to": "2026", "--out": str(tmp_path / "ut")}
    base.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = CliRunner().invoke(app, ["plan", *(x for kv in base.items() for x in kv)])
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "ut" / "plan.json").exists()


def test_ssb_export_and_tidy_table_give_identical_plans(tmp_path, inputs, plan) -> None:
    """The same population as SSB exports it (codes and labels, two alternatives, figures in
    the last column) gives the same plan as the hand-made table."""
    lines = ['"region";"kjønn";"alder";"statistikkvariabel";"år";"Framskrevet folkemengde"']
    for alternative, factor in (("Hovedalternativet (MMMM)", 1), ("Lav vekst (LLML)", 2)):
        for (age, gender), ns in POPULATION.items():
            for i, n in enumerate(ns):
                lines.append(f'"9999 Test";"{"2 Kvinner" if gender == "K" else "1 Menn"}";'
                             f'"{age:03d} {age} år";"{alternative}";"{2024 + i}";"{n * factor}"')
    ssb = tmp_path / "ssb.csv"
    ssb.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    got = build_plan(CATALOG, "2024-01", ssb, accounts=inputs["accounts"],
                     scenarios=inputs["scenarios"], to_year=2026, suppress=0,
                     db=inputs["db"]).plan
    assert got.alternative == "MMMM" and plan.alternative is None
    drop = {"inputs", "alternative"}
    assert dump(got, exclude=drop) == dump(plan, exclude=drop)
