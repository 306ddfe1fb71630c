"""plan.pptx read back with python-pptx: slide order, native charts holding the plan's
(rounded) figures, the matrix table with "*" for a withheld count and Norwegian numbers, and a
plan without accounts or scenarios that says so instead of drawing empty charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from innsatstrapp.errors import InputFileError
from innsatstrapp.model.plan import (
    Inputs,
    MatrixRow,
    Plan,
    PopulationYear,
    ScenarioRows,
    ScenarioYear,
    ShiftRow,
    StepYear,
)
from innsatstrapp.outputs.plan import render
from innsatstrapp.outputs.plan.sentences import population, scenario

STEPS = ["Grunnmur", "Trinn 1", "Trinn 2"]
YEARS = [2026, 2027, 2028]
# Users per step and year with today's practice; "Tidlig innsats" moves 10 % of Trinn 2's
# users to Trinn 1, phased in over 2027–2028.
BASELINE = {2026: [1234.0, 3.0, 200.0], 2027: [1300.4, 3.2, 210.6],
            2028: [1400.6, 3.4, 220.2]}
SHARE = {2026: 0.0, 2027: 0.05, 2028: 0.10}
COST_PER_USER = [1_000.0, 50_000.0, 61_725.0]
FTE_PER_USER = [0.01, 0.5, 0.0625]


def _year(year: int, users: list[float], accounts: bool) -> ScenarioYear:
    steps = [StepYear(step=s, users=u, cost=u * c if accounts else None,
                      fte=u * w if accounts else None)
             for s, u, c, w in zip(STEPS, users, COST_PER_USER, FTE_PER_USER, strict=True)]
    return ScenarioYear(
        year=year, steps=steps, users=sum(users),
        cost=sum(s.cost for s in steps if s.cost is not None) if accounts else None,
        fte=sum(s.fte for s in steps if s.fte is not None) if accounts else None)


def _matrix_row(order: int, users: int | None, services: int | None, accounts: bool,
                suppressed: list[str]) -> MatrixRow:
    step = STEPS[order]
    cost = {0: 12_345_000.0, 2: 24_690_000.0}.get(order) if accounts else None
    fte = None if cost is None else 12.5 * (order + 1)
    return MatrixRow(step=step, order=order, category=None, services=services, users=users,
                     approved_hours=None, cost=cost, fte=fte,
                     cost_per_user=None if cost is None or not users else cost / users,
                     fte_per_user=None if fte is None or not users else fte / users,
                     cost_per_service=None, suppressed=suppressed)


def make_plan(*, accounts: bool = True, scenarios: bool = True, suppress: int = 5) -> Plan:
    """Three steps, three years, today's practice and (optionally) one scenario with one
    shift; the count of Trinn 1 (3 users, 4 services) is withheld when suppression is on."""
    withheld = ["users", "services"] if suppress else []
    rows = [ScenarioRows(scenario="Uendret praksis",
                         years=[_year(y, BASELINE[y], accounts) for y in YEARS])]
    if scenarios:
        moved = {y: [u[0], u[1] + u[2] * SHARE[y], u[2] * (1 - SHARE[y])]
                 for y, u in BASELINE.items()}
        rows.append(ScenarioRows(
            scenario="Tidlig innsats",
            shifts=[ShiftRow(from_step="Trinn 2", to_step="Trinn 1", share=10.0,
                             start_year=2027, full_year=2028)],
            years=[_year(y, moved[y], accounts) for y in YEARS]))
    return Plan(
        period="2026-10", as_of=dt.date(2026, 10, 31), base_year=2026, to_year=2028,
        alternative="MMMM", suppress=suppress,
        inputs=Inputs(population="befolkning.csv", catalog="katalog.xlsx",
                      accounts="regnskap.csv" if accounts else None,
                      scenarios="scenarier.csv" if scenarios else None),
        population=[PopulationYear(year=y, total=10_000 + y, age_67_plus=2_000 + 100 * i,
                                   age_80_plus=500 + 50 * i) for i, y in enumerate(YEARS)],
        pyramid=[], rates=[],
        matrix=[_matrix_row(0, 1234, 1500, accounts, []),
                _matrix_row(1, None if suppress else 3, None if suppress else 4, accounts,
                            withheld),
                _matrix_row(2, 200, 250, accounts, [])],
        scenarios=rows)


@pytest.fixture(scope="module")
def plan() -> Plan:
    return make_plan()


@pytest.fixture(scope="module")
def deck(plan, tmp_path_factory):
    path = render(plan, tmp_path_factory.mktemp("plan"), ["pptx"])[0]
    assert path.name == "plan.pptx"
    return Presentation(str(path))


@pytest.fixture(scope="module")
def bare_deck(tmp_path_factory):
    plan = make_plan(accounts=False, scenarios=False, suppress=0)
    return Presentation(str(render(plan, tmp_path_factory.mktemp("bare"), ["pptx"])[0]))


def slide(deck, title: str):
    return next(s for s in deck.slides if s.shapes.title.text == title)


def charts(s) -> list:
    return [shape.chart for shape in s.shapes if shape.has_chart]


def text(s) -> str:
    return "\n".join(shape.text_frame.text for shape in s.shapes if shape.has_text_frame)


def test_slides_in_order_16_9_with_notes(deck) -> None:
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    assert [s.shapes.title.text for s in deck.slides] == [
        "Innsatstrappen mot 2028", "Befolkningen", "Trappen i dag", "Uendret praksis",
        "Scenarioene 2028", "Kostnad og årsverk", "Om tallene"]
    subtitle = deck.slides[0].placeholders[1].text
    for part in ("oktober 2026", "basisår 2026", "MMMM", "31.10.2026"):
        assert part in subtitle
    for s in deck.slides:
        assert s.has_notes_slide and s.notes_slide.notes_text_frame.text.strip()


def test_charts_are_native_not_pictures(deck) -> None:
    shapes = [shape for s in deck.slides for shape in s.shapes]
    assert not [x for x in shapes if x.shape_type == MSO_SHAPE_TYPE.PICTURE]
    kinds = [c.chart_type for s in deck.slides for c in charts(s)]
    assert kinds == [XL_CHART_TYPE.LINE, XL_CHART_TYPE.COLUMN_CLUSTERED,
                     XL_CHART_TYPE.COLUMN_CLUSTERED, XL_CHART_TYPE.LINE, XL_CHART_TYPE.LINE]


def test_population_chart_and_sentences(deck, plan) -> None:
    s = slide(deck, "Befolkningen")
    (chart,) = charts(s)
    assert list(chart.plots[0].categories) == ["2026", "2027", "2028"]
    assert [(x.name, list(x.values)) for x in chart.plots[0].series] == [
        ("67 år og eldre", [2000, 2100, 2200]), ("80 år og eldre", [500, 550, 600])]
    for sentence in population(plan):
        assert sentence in text(s)


def test_baseline_chart_holds_users_per_step_then_and_now(deck) -> None:
    (chart,) = charts(slide(deck, "Uendret praksis"))
    assert list(chart.plots[0].categories) == STEPS
    assert [(x.name, list(x.values)) for x in chart.plots[0].series] == [
        ("2026", [1234, 0, 200]), ("2028", [1401, 3, 220])]  # today's 3 is withheld
    assert chart.plots[0].has_data_labels
    # the withheld bar is drawn at 0 and says so, never a plain zero
    assert withheld_labels(chart) == [(0, 1)]


def withheld_labels(chart) -> list[tuple[int, int]]:
    """(series, point) of every point labelled «* skjult»."""
    return [(i, j) for i, series in enumerate(chart.plots[0].series)
            for j in range(len(list(series.values)))
            if series.points[j].data_label.has_text_frame
            and series.points[j].data_label.text_frame.text == "* skjult"]


def test_scenario_chart_holds_each_scenarios_last_year(deck, plan) -> None:
    s = slide(deck, "Scenarioene 2028")
    (chart,) = charts(s)
    assert list(chart.plots[0].categories) == STEPS
    # Model results, rounded to whole persons: Tidlig innsats moves 22.02 of Trinn 2's 220.2.
    assert [(x.name, list(x.values)) for x in chart.plots[0].series] == [
        ("Uendret praksis", [1401, 3, 220]), ("Tidlig innsats", [1401, 25, 198])]
    for rows in plan.scenarios:
        last = next(y for y in rows.years if y.year == plan.to_year)
        series = next(x for x in chart.plots[0].series if x.name == rows.scenario)
        assert list(series.values) == [round(st.users) for st in last.steps]
    assert scenario(plan, plan.scenarios[1])[0] in text(s)


def test_cost_and_fte_charts_per_year_and_scenario(deck, plan) -> None:
    s = slide(deck, "Kostnad og årsverk")
    cost, fte = charts(s)
    assert list(cost.plots[0].categories) == ["2026", "2027", "2028"]
    for rows in plan.scenarios:
        (c,) = [x for x in cost.plots[0].series if x.name == rows.scenario]
        (w,) = [x for x in fte.plots[0].series if x.name == rows.scenario]
        assert list(c.values) == pytest.approx([round(y.cost, -3) / 1e6 for y in rows.years])
        assert list(w.values) == pytest.approx([round(y.fte, 1) for y in rows.years])
    # 2028: 1 400 600 + 170 000 + 13 591 845 kr.
    assert "Uendret praksis: 15,2 mill. kr" in text(s)


def test_matrix_table_marks_withheld_and_formats_norwegian(deck) -> None:
    s = slide(deck, "Trappen i dag")
    (table,) = [shape.table for shape in s.shapes if shape.has_table]
    cells = [[table.cell(r, c).text for c in range(len(table.columns))]
             for r in range(len(table.rows))]
    assert cells[0] == ["Trinn", "Brukere", "Tjenester", "Kostnad i 1\u00a0000 kr", "Årsverk",
                        "Kostnad per bruker"]  # «1 000» never broken over two lines
    assert cells[1] == ["Grunnmur", "1\u00a0234", "1\u00a0500", "12\u00a0345", "12,5",
                        "10\u00a0004"]
    assert cells[2] == ["Trinn 1", "*", "*", "–", "–", "–"]
    assert cells[3] == ["Trinn 2", "200", "250", "24\u00a0690", "37,5", "123\u00a0450"]
    assert "* Skjult for å verne personvernet: tall fra 1 til 4" in text(s)


def test_plan_without_accounts_or_scenarios_says_so(bare_deck) -> None:
    titles = [s.shapes.title.text for s in bare_deck.slides]
    assert titles == ["Innsatstrappen mot 2028", "Befolkningen", "Trappen i dag",
                      "Uendret praksis", "Kostnad og årsverk", "Om tallene"]
    cost = slide(bare_deck, "Kostnad og årsverk")
    assert charts(cost) == []
    assert "Planen har ikke regnskap per trinn" in text(cost)
    assert "Ingen scenarioer er lagt inn" in text(slide(bare_deck, "Uendret praksis"))
    assert len([c for s in bare_deck.slides for c in charts(s)]) == 2
    (table,) = [sh.table for sh in slide(bare_deck, "Trappen i dag").shapes if sh.has_table]
    assert [table.cell(2, c).text for c in range(6)] == ["Trinn 1", "3", "4", "–", "–", "–"]
    assert "Skjult" not in text(slide(bare_deck, "Trappen i dag"))
    assert "Små tall er ikke skjult" in text(slide(bare_deck, "Om tallene"))


def test_template_is_used_and_a_bad_one_refused(tmp_path: Path) -> None:
    template = tmp_path / "mal.pptx"
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    prs.save(str(template))
    plan = make_plan(scenarios=False)
    deck = Presentation(str(render(plan, tmp_path, ["pptx"], pptx_template=template)[0]))
    assert deck.slide_width == Inches(10)
    for s in deck.slides:
        for shape in s.shapes:
            assert shape.left + shape.width <= deck.slide_width, (s.shapes.title.text,
                                                                  shape.name)
    bad = tmp_path / "bad.pptx"
    bad.write_text("ikke en presentasjon")
    with pytest.raises(InputFileError, match=r"PowerPoint-malen «bad\.pptx»"):
        render(plan, tmp_path, ["pptx"], pptx_template=bad)
