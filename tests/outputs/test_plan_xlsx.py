"""plan.xlsx read back with openpyxl: the sheets, real numbers equal to the plan's, withheld
cells marked "*" with a footnote, valid unique sheet names, native charts, and a plan without
accounts or scenarios that still renders."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from innsatstrapp.model.base import load
from innsatstrapp.model.plan import Plan
from innsatstrapp.outputs.plan import renderer
from innsatstrapp.outputs.plan.xlsx import render, sheet_names
from innsatstrapp.plan.disclose import published

STEPS = ["Trinn 1", "Trinn 2", "Trinn 3"]
USERS = {"Trinn 1": 40, "Trinn 2": 20, "Trinn 3": 3}  # Trinn 3 is withheld at N = 5
COST = {"Trinn 1": 400_000.0, "Trinn 2": 2_000_000.0, "Trinn 3": 3_000_000.0}
FTE = {"Trinn 1": 0.4, "Trinn 2": 2.0, "Trinn 3": 3.0}
GROWTH = 1.04  # every step grows 4 % from 2026 to 2027
SHIFT = 0.2  # «Hjemmet først» moves 20 % of Trinn 3 to Trinn 2 from 2027
LONG_A = "Dreiing fra institusjon til hjemmet, variant A"
LONG_B = "Dreiing fra institusjon til hjemmet, variant B"


def _year(year: int, users: dict[str, float], accounts: bool) -> dict:
    steps = [{"step": s, "users": u,
              "cost": u * COST[s] / USERS[s] if accounts else None,
              "fte": u * FTE[s] / USERS[s] if accounts else None} for s, u in users.items()]
    return {"year": year, "steps": steps, "users": sum(users.values()),
            "cost": sum(x["cost"] for x in steps) if accounts else None,
            "fte": sum(x["fte"] for x in steps) if accounts else None}


def small_plan(accounts: bool = True, scenarios: tuple[str, ...] = ("Hjemmet først",),
               suppress: int = 5) -> Plan:
    """Three steps, two years, the baseline plus scenarios that each move 20 % of Trinn 3 to
    Trinn 2; Trinn 3's users (3) and one rate withheld."""
    withheld = suppress > USERS["Trinn 3"]
    matrix = []
    for order, s in enumerate(STEPS):
        hide = withheld and s == "Trinn 3"
        cost = COST[s] if accounts else None
        fte = FTE[s] if accounts else None
        matrix.append({
            "step": s, "order": order, "category": "Hjemme" if order < 2 else "Institusjon",
            "services": USERS[s] + 5, "users": None if hide else USERS[s],
            "approved_hours": 12.5 if s == "Trinn 2" else None, "cost": cost, "fte": fte,
            "cost_per_user": None if hide or cost is None else cost / USERS[s],
            "fte_per_user": None if hide or fte is None else fte / USERS[s],
            "cost_per_service": None if cost is None else cost / (USERS[s] + 5),
            "suppressed": ["users", "cost_per_user", "fte_per_user"] if hide else []})
    rates = []
    for s in STEPS:
        for gender, share in (("K", 0.5), ("M", 0.5)):
            users = USERS[s] * share if s != "Trinn 3" else (2 if gender == "K" else 1)
            hide = withheld and s == "Trinn 3"
            rates.append({"step": s, "age_band": "80-84", "gender": gender,
                          "users": None if hide else int(users), "population": 400,
                          "per_1000": None if hide else int(users) / 400 * 1000,
                          "suppressed": ["users", "per_1000"] if hide else []})
    base = {s: float(u) for s, u in USERS.items()}
    later = {s: u * GROWTH for s, u in base.items()}
    moved = later["Trinn 3"] * SHIFT
    shifted = {**later, "Trinn 2": later["Trinn 2"] + moved, "Trinn 3": later["Trinn 3"] - moved}
    return load(Plan, {
        "period": "2026-10", "as_of": dt.date(2026, 10, 31), "base_year": 2026,
        "to_year": 2027, "alternative": "MMMM", "suppress": suppress,
        "inputs": {"population": "befolkning.csv", "catalog": "katalog.xlsx",
                   "accounts": "regnskap.csv" if accounts else None,
                   "scenarios": "scenarier.csv" if scenarios else None},
        "population": [{"year": 2026, "total": 10_000, "age_67_plus": 2_000,
                        "age_80_plus": 500},
                       {"year": 2027, "total": 10_050, "age_67_plus": 2_080,
                        "age_80_plus": 530}],
        "pyramid": [{"year": y, "age_group": g, "gender": k, "persons": p}
                    for y in (2026, 2027) for g, p in (("80-84", 400), ("5-9", 600))
                    for k in ("K", "M")],
        "matrix": matrix, "rates": rates,
        "scenarios": [
            {"scenario": "Uendret praksis", "shifts": [],
             "years": [_year(2026, base, accounts), _year(2027, later, accounts)]},
            *({"scenario": name,
               "shifts": [{"from_step": "Trinn 3", "to_step": "Trinn 2", "share": SHIFT * 100,
                           "start_year": 2027, "full_year": 2027}],
               "years": [_year(2026, base, accounts), _year(2027, shifted, accounts)]}
              for name in scenarios)]})


def rows_by_first(sheet, header_row: int = 3) -> dict:
    """The table under `header_row` (1-based) keyed by its first column, as header → value."""
    rows = sheet.iter_rows(min_row=header_row, values_only=True)
    head = next(rows)
    out = {}
    for row in rows:
        if row[0] is None:
            break
        out[row[0]] = dict(zip(head, row, strict=False))
    return out


def charts(path: Path) -> int:
    with zipfile.ZipFile(path) as z:
        return sum(1 for n in z.namelist() if n.startswith("xl/charts/chart"))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Plan, Path]:
    plan = small_plan()
    return plan, renderer("xlsx")(plan, tmp_path_factory.mktemp("plan"))


@pytest.fixture(scope="module")
def book(written):
    return openpyxl.load_workbook(written[1])


def test_registered_renderer_writes_plan_xlsx_with_the_sheets(written, book) -> None:
    _plan, path = written
    assert path.name == "plan.xlsx"
    assert book.sheetnames == ["Oversikt", "Matrise", "Satser", "Befolkning",
                               "Uendret praksis", "Hjemmet først", "Sammenligning"]
    assert book["Oversikt"]["A1"].value == "Innsatstrappen mot 2027"


def test_overview_holds_inputs_and_sentences(written, book) -> None:
    from innsatstrapp.outputs.plan.sentences import all_sentences

    plan, _ = written
    texts = [c for row in book["Oversikt"].iter_rows(values_only=True) for c in row if c]
    assert "regnskap.csv" in texts and "MMMM" in texts
    assert all(s in texts for s in all_sentences(published(plan)))
    assert "færre enn 5 personer vises som *" in texts


def test_matrix_holds_model_numbers_with_formats(written, book) -> None:
    plan, _ = written
    sheet = book["Matrise"]
    rows = rows_by_first(sheet)
    assert list(rows) == STEPS
    t1 = plan.matrix[0]
    assert rows["Trinn 1"]["Brukere"] == t1.users == 40
    assert rows["Trinn 1"]["Kostnad (1 000 kr)"] == pytest.approx(t1.cost / 1000)
    assert rows["Trinn 1"]["Årsverk"] == pytest.approx(0.4)
    assert rows["Trinn 1"]["Kostnad per bruker (kr)"] == pytest.approx(10_000)
    assert rows["Trinn 2"]["Vedtatte timer per uke"] == 12.5
    assert rows["Trinn 1"]["Vedtatte timer per uke"] == "–"  # no hours, not withheld
    assert sheet["D4"].number_format == "#,##0" and sheet["G4"].number_format == "#,##0.0"
    assert sheet.freeze_panes == "B4"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9


def test_withheld_cells_show_mark_with_footnote(book) -> None:
    sheet = book["Matrise"]
    t3 = rows_by_first(sheet)["Trinn 3"]
    assert t3["Brukere"] == "*" and t3["Kostnad per bruker (kr)"] == "*"
    assert t3["Årsverk per bruker"] == "*"
    assert t3["Kostnad (1 000 kr)"] == pytest.approx(3_000)  # not withheld
    assert sheet["D6"].alignment.horizontal == "right"
    notes = [c.value for c in sheet["A"] if isinstance(c.value, str)]
    assert "* Skjult: færre enn 5 personer, eller ville avslørt et skjult tall." in notes

    rates = book["Satser"]
    head = [c.value for c in rates[3]]
    assert head == ["Trinn", "Aldersgruppe", "Kjønn", "Brukere", "Befolkning 1.1.2026",
                    "Per 1 000"]
    body = [r for r in rates.iter_rows(min_row=4, max_row=9, values_only=True)]
    assert body[0] == ("Trinn 1", "80-84", "K", 20, 400, pytest.approx(50.0))
    assert body[4][3:] == ("*", 400, "*") and body[5][3:] == ("*", 400, "*")
    assert rates["F4"].number_format == "0.0"
    assert rates.auto_filter.ref == "A3:F9"


def test_population_and_pyramid(book) -> None:
    sheet = book["Befolkning"]
    years = rows_by_first(sheet)
    assert years[2027]["67 år og eldre"] == 2_080 and years[2026]["Innbyggere"] == 10_000
    pyramid = [r[5:10] for r in sheet.iter_rows(min_row=3, max_row=5, values_only=True)]
    assert pyramid == [("Aldersgruppe", "Kvinner 2026", "Menn 2026", "Kvinner 2027",
                        "Menn 2027"), ("5-9", 600, 600, 600, 600), ("80-84", 400, 400, 400, 400)]


def test_scenario_sheets_hold_projection_and_shifts(written, book) -> None:
    plan, _ = written
    base, mine = (rows_by_first(book[n]) for n in ("Uendret praksis", "Hjemmet først"))
    # model results are stored rounded (whole persons, NOK thousands, FTE to one decimal),
    # so the series cannot be solved back to withheld rates
    assert plan.scenarios[0].years[1].steps[0].users == pytest.approx(41.6)
    assert base[2027]["Trinn 1"] == 42
    # today's Trinn 3 is withheld in the matrix, and the base year would give it back
    assert base[2026]["Trinn 3"] == "*" and base[2026]["Brukere i alt"] == "*"
    shifted = published(plan).scenarios[1].years[1]
    assert mine[2027]["Trinn 3"] == round(3 * GROWTH * (1 - SHIFT))
    assert mine[2027]["Brukere i alt"] == shifted.users
    assert mine[2027]["Kostnad (1 000 kr)"] == pytest.approx(shifted.cost / 1000)
    assert mine[2027]["Kostnad (1 000 kr)"] == round(plan.scenarios[1].years[1].cost / 1000)
    assert mine[2027]["Årsverk"] == pytest.approx(round(plan.scenarios[1].years[1].fte, 1))
    sheet = book["Hjemmet først"]
    assert sheet["B5"].number_format == "#,##0" and sheet["G5"].number_format == "#,##0.0"
    shifts = [r for r in sheet.iter_rows(values_only=True) if r[0] == "Fra trinn"]
    assert len(shifts) == 1
    start = next(i for i, r in enumerate(sheet.iter_rows(values_only=True), 1)
                 if r[0] == "Fra trinn")
    assert [c.value for c in sheet[start + 1]][:5] == ["Trinn 3", "Trinn 2",
                                                       pytest.approx(0.2), 2027, 2027]


def test_comparison_side_by_side_with_difference(written, book) -> None:
    plan, _ = written
    sheet = book["Sammenligning"]
    blocks = [r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "År"]
    assert [sheet.cell(r - 1, 1).value for r in blocks] == [
        "Brukere i alt", "Kostnad (1 000 kr)", "Årsverk"]
    users, cost = rows_by_first(sheet, blocks[0]), rows_by_first(sheet, blocks[1])
    base, mine = (s.years[1] for s in published(plan).scenarios)
    assert users[2027]["Uendret praksis"] == base.users
    assert users[2027]["Forskjell: Hjemmet først"] == pytest.approx(0)  # moved, not removed
    assert cost[2027]["Hjemmet først"] == pytest.approx(mine.cost / 1000)
    assert cost[2027]["Forskjell: Hjemmet først"] == pytest.approx((mine.cost - base.cost)
                                                                    / 1000)
    assert cost[2027]["Forskjell: Hjemmet først"] < 0
    assert sheet.cell(blocks[1] + 2, 4).number_format.startswith("[>=0.5]+#,##0")


def test_native_charts(written) -> None:
    # Matrise, Befolkning, one per scenario, one per measure in Sammenligning.
    assert charts(written[1]) == 1 + 1 + 2 + 3


def test_long_scenario_names_truncate_and_stay_unique(tmp_path: Path) -> None:
    plan = small_plan(scenarios=(LONG_A, LONG_B, "Plan 2030/2040: [A]?", "Matrise"))
    wb = openpyxl.load_workbook(render(plan, tmp_path))
    assert wb.sheetnames[4:-1] == ["Uendret praksis", "Dreiing fra institusjon til",
                                   "Dreiing fra institusjon til (2)", "Plan 2030-2040- -A--",
                                   "Matrise (2)"]
    assert wb["Dreiing fra institusjon til (2)"]["A1"].value.startswith(f"Scenario «{LONG_B}»")
    assert charts(tmp_path / "plan.xlsx") == 1 + 1 + 5 + 3


def test_sheet_names_rules() -> None:
    names = sheet_names(["'Sitert'", "history", "", "x" * 40, "X" * 40, "a" + "b" * 29 + "'c"])
    assert names == ["Sitert", "history (2)", "Scenario", "x" * 31, "X" * 27 + " (2)",
                     "a" + "b" * 29]
    assert all(len(n) <= 31 for n in names)


def test_without_accounts_or_scenarios_or_suppression(tmp_path: Path) -> None:
    plan = small_plan(accounts=False, scenarios=(), suppress=0)
    path = render(plan, tmp_path)
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Oversikt", "Matrise", "Satser", "Befolkning", "Uendret praksis",
                             "Sammenligning"]
    matrix = rows_by_first(wb["Matrise"])
    assert matrix["Trinn 3"]["Brukere"] == 3
    assert not any("Kostnad" in str(h) or "Årsverk" in str(h) for h in matrix["Trinn 1"])
    base = rows_by_first(wb["Uendret praksis"])
    assert list(base[2026]) == ["År", *STEPS, "Brukere i alt"]
    sheet = wb["Sammenligning"]
    assert [c.value for c in sheet[4]][:2] == ["År", "Uendret praksis"]
    assert sheet.cell(4, 3).value is None  # no difference columns without scenarios
    assert "Kostnad (1 000 kr)" not in [c.value for c in sheet["A"]]
    notes = [c.value for c in wb["Matrise"]["A"] if isinstance(c.value, str)]
    assert "Skjuling av små tall er slått av (intern bruk)." in notes
    assert charts(path) == 1 + 1 + 1 + 1


def test_withheld_bar_is_labelled_with_the_mark(written) -> None:
    with zipfile.ZipFile(written[1]) as z:
        matrix_chart = z.read("xl/charts/chart1.xml").decode()
    assert "<c:barChart>" in matrix_chart and "<a:t>* skjult</a:t>" in matrix_chart


def test_chart_numbers_are_norwegian_whatever_the_viewer(written) -> None:
    import re
    import zipfile

    with zipfile.ZipFile(written[1]) as z:
        formats = [code for name in z.namelist() if name.startswith("xl/charts/chart")
                   for code in re.findall(r'formatCode="([^"]*)"', z.read(name).decode())]
    numbers = [c for c in formats if c != "General"]  # the year axis: 2040, not «2 040»
    assert numbers and all(code.startswith("[$-414]") for code in numbers), formats
