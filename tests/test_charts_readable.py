"""Charts a user can read: Norwegian month labels, at most twelve and none cut at the edge;
the Sankey in the staircase's order with «Ingen trinn» at the bottom on both sides, as drawn;
sparklines on an axis from 0 that say their range; Framtid's cost in plan.html's unit with
the axis title clear of the ticks; the movement table's columns named by their month."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from pathlib import Path

import pytest

from helpers import local_client as TestClient
from helpers import store_periods
from innsatstrapp.metrics import build_report
from innsatstrapp.model.base import replace
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import MOST_MONTHS, month_axis, months

# the Norwegian (nb) short month names Babel gives: «okt.», but «mai», «juni», «juli»
NB_MONTH = re.compile(r"(jan\.|feb\.|mars|apr\.|mai|juni|juli|aug\.|sep\.|okt\.|nov\.|des\.) "
                      r"\d{4}")


HISTORY = ["2023-12", "2024-01"]  # the small municipality's two months


def _periods(first: str, n: int) -> list[str]:
    year, mon = (int(x) for x in first.split("-"))
    out = []
    for _ in range(n):
        out.append(f"{year}-{mon:02d}")
        year, mon = (year + 1, 1) if mon == 12 else (year, mon + 1)
    return out


def _figure(chart) -> dict:
    return json.loads(str(chart.figure if hasattr(chart, "figure") else chart))


def draw(browser, figure: dict, tmp_path: Path, width: int = 1280):
    """The figure drawn by Plotly in Chromium, alone on a page of `width` pixels."""
    from innsatstrapp.outputs.html import plotly_script

    html = tmp_path / "figur.html"
    html.write_text(
        f'<!DOCTYPE html><html lang="nb"><head><meta charset="utf-8"><script>{plotly_script()}'
        f'</script></head><body style="margin:0"><div id="fig" style="width:{width}px"></div>'
        f"<script>var fig = {json.dumps(figure)}; Plotly.newPlot('fig', fig.data, fig.layout,"
        " {displayModeBar: false});</script></body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": width + 40, "height": 900})
    page.goto(html.as_uri())
    page.wait_for_selector("#fig .main-svg")
    page.wait_for_timeout(200)  # automargin redraws once
    return page


def _box(locator) -> dict:
    return locator.bounding_box()


# -- month labels ---------------------------------------------------------------------------

def test_month_names_are_norwegian() -> None:
    assert f.month_short("2026-10") == "okt. 2026"
    assert f.month_short("2026-05") == "mai 2026"
    assert f.month_short("2024-01") == "jan. 2024"
    assert f.month("2026-10") == "oktober 2026"  # the long form is unchanged


@pytest.mark.parametrize("n", [1, 3, 12, 13, 24, 60, 120])
def test_at_most_twelve_month_labels_and_the_newest_always(n: int) -> None:
    periods = _periods("2024-11", n)
    axis = month_axis(periods)
    labels = months(periods)
    assert axis["type"] == "category" and axis["automargin"] is True
    assert 1 <= len(axis["ticktext"]) <= MOST_MONTHS == 12
    assert axis["ticktext"] == axis["tickvals"]
    assert axis["ticktext"][-1] == labels[-1]  # the month shown is always labelled
    assert all(NB_MONTH.fullmatch(t) for t in axis["ticktext"])
    assert set(axis["ticktext"]) <= set(labels)
    # evenly spaced: every n-th month
    at = [labels.index(t) for t in axis["ticktext"]]
    assert len({b - a for a, b in itertools.pairwise(at)}) <= 1
    if n <= 12:
        assert axis["ticktext"] == labels


def test_dashboard_time_charts_are_labelled_by_month(small_store) -> None:
    from innsatstrapp.web import pages

    db, catalog = small_store
    report = build_report(catalog, "2024-01", suppress=0, db=db, history=HISTORY)
    charts = [*pages.step_page(report, "Trinn 3")[1], pages.service_page(report, "HS ring 1")[1][0],
              pages.long_term_page(report)[1][1], pages.overview(report)[1][1]]
    for chart in charts:
        fig = _figure(chart)
        axis = fig["layout"]["xaxis"]
        assert axis["ticktext"] == ["des. 2023", "jan. 2024"], chart.id
        for trace in fig["data"]:
            assert set(trace["x"]) <= {"des. 2023", "jan. 2024"}, chart.id  # no «2023-12»
    flows = _figure(pages.movement_page(report, None)[1][0])
    assert flows["layout"]["xaxis"]["ticktext"] == ["jan. 2024"]


@pytest.mark.parametrize("width", [640, 1180])
def test_month_labels_are_drawn_whole(browser, tmp_path, width: int) -> None:
    """Two years of months on a wide and a narrow screen: twelve Norwegian labels, the last
    one «okt. 2026», each inside the figure and none under the legend."""
    from innsatstrapp.web.pages import _line_chart

    periods = _periods("2024-11", 24)
    chart = _line_chart("c", periods, {"Flyttet ned": list(range(24)),
                                       "Flyttet opp": list(range(24, 0, -1))},
                        "Personer", "", "t")
    page = draw(browser, _figure(chart), tmp_path, width)
    ticks = page.locator("#fig .xtick text")
    texts = [ticks.nth(i).text_content() for i in range(ticks.count())]
    assert len(texts) == 12 and texts[-1] == "okt. 2026"
    assert all(NB_MONTH.fullmatch(t) for t in texts)
    svg = _box(page.locator("#fig .main-svg").first)
    legend = _box(page.locator("#fig .legend"))
    for i in range(ticks.count()):
        b = _box(ticks.nth(i))
        assert svg["x"] <= b["x"] and b["x"] + b["width"] <= svg["x"] + svg["width"] + 0.5
        assert b["y"] + b["height"] <= svg["y"] + svg["height"] + 0.5
        overlaps = not (b["y"] >= legend["y"] + legend["height"] or
                        b["y"] + b["height"] <= legend["y"])
        assert not overlaps, texts[i]
    page.close()


# -- the Sankey -----------------------------------------------------------------------------

# persons from the level then to the level now, like the demo's month: big steps, small ones,
# every direction, «ingen» both ways
FLOWS = {("Grunnmur", "Grunnmur"): 2872, ("Grunnmur", "Trinn 3"): 53,
         ("Grunnmur", "ingen"): 114, ("Trinn 3", "Trinn 3"): 1344, ("Trinn 3", "Grunnmur"): 43,
         ("Trinn 3", "Trinn 6"): 20, ("Trinn 3", "ingen"): 17, ("Trinn 5", "Trinn 5"): 56,
         ("Trinn 5", "Trinn 6"): 7, ("Trinn 6", "Trinn 6"): 275, ("Trinn 6", "ingen"): 30,
         ("ingen", "Grunnmur"): 121, ("ingen", "Trinn 3"): 25, ("ingen", "Trinn 5"): 9,
         ("ingen", "Trinn 6"): 12, ("Trinn 5", "Grunnmur"): 3}


@pytest.fixture(scope="module")
def moved(small_store):
    """The small municipality's January with the flows above between its levels (Grunnmur,
    Trinn 3, Trinn 5, Trinn 6), one of them withheld."""
    from innsatstrapp.model.report import TransitionCell

    db, catalog = small_store
    report = build_report(catalog, "2024-01", suppress=0, db=db)
    cells = [TransitionCell(from_=a, to=b, persons=v,
                            suppressed=["persons"] if (a, b) == ("Trinn 5", "Grunnmur") else [])
             for (a, b), v in FLOWS.items()]
    return replace(report, transitions=replace(report.transitions, matrix=cells))


def _sides(figure: dict) -> tuple[list[tuple[str, float, float]], ...]:
    node = figure["data"][0]["node"]
    nodes = list(zip(node["label"], node["x"], node["y"], strict=True))
    return [n for n in nodes if n[1] < 0.5], [n for n in nodes if n[1] > 0.5]


def test_sankey_nodes_in_staircase_order_with_no_level_at_the_bottom(moved) -> None:
    from innsatstrapp.outputs.movement import sankey

    figure = sankey(moved)
    assert figure["data"][0]["arrangement"] == "fixed"
    staircase = [x.step for x in moved.levels]
    assert staircase == ["Grunnmur", "Trinn 3", "Trinn 5", "Trinn 6"]  # the catalog's order
    left, right = _sides(figure)
    for side, month in ((left, "desember 2023"), (right, "januar 2024")):
        names = [label.removesuffix(f" ({month})") for label, _, _ in side]
        assert names == [*staircase, "Ingen trinn"]
        ys = [y for _, _, y in side]
        assert ys == sorted(ys) and len(set(ys)) == len(ys)  # top to bottom in that order
        assert all(0 < y < 1 for y in ys)
    # every link joins a node then to a node now with the persons of the matrix
    link, labels = figure["data"][0]["link"], figure["data"][0]["node"]["label"]
    drawn = {(labels[s].split(" (")[0], labels[t].split(" (")[0]): v
             for s, t, v in zip(link["source"], link["target"], link["value"], strict=True)}
    name = {"ingen": "Ingen trinn"}
    assert drawn == {(name.get(a, a), name.get(b, b)): v for (a, b), v in FLOWS.items()
                     if (a, b) != ("Trinn 5", "Grunnmur")}  # the withheld flow is not drawn


def test_sankey_leaves_out_a_level_nobody_leaves_or_reaches(small_store) -> None:
    """The small municipality as it is: nobody has Grunnmur as level; Trinn 3, Trinn 6 and
    «Ingen trinn» on each side, in that order."""
    from innsatstrapp.outputs.movement import sankey

    db, catalog = small_store
    left, right = _sides(sankey(build_report(catalog, "2024-01", suppress=0, db=db)))
    for side in (left, right):
        assert [label.split(" (")[0] for label, _, _ in side] == ["Trinn 3", "Trinn 6",
                                                                  "Ingen trinn"]


def test_sankey_order_holds_when_drawn(browser, moved, tmp_path) -> None:
    """What Plotly draws: on both sides the nodes from the top in staircase order."""
    from innsatstrapp.outputs.charts import script_json
    from innsatstrapp.outputs.movement import sankey

    page = draw(browser, json.loads(str(script_json(sankey(moved)))), tmp_path)
    nodes = page.locator("#fig .sankey-node")
    drawn = []
    for i in range(nodes.count()):
        rect = _box(nodes.nth(i).locator(".node-rect"))
        label = nodes.nth(i).locator(".node-label").text_content()
        drawn.append((rect["x"], rect["y"], rect["y"] + rect["height"], label))
    assert len(drawn) == 10
    middle = sum(x for x, *_ in drawn) / len(drawn)
    for side, month in (([d for d in drawn if d[0] < middle], "desember 2023"),
                        ([d for d in drawn if d[0] > middle], "januar 2024")):
        side.sort(key=lambda d: d[1])
        assert [d[3] for d in side] == [f"{x} ({month})" for x in (
            "Grunnmur", "Trinn 3", "Trinn 5", "Trinn 6", "Ingen trinn")]
        for above, below in itertools.pairwise(side):
            assert above[2] <= below[1] + 0.5  # stacked, not overlapping
    page.close()


# -- sparklines -----------------------------------------------------------------------------

def test_sparklines_start_at_zero_and_say_their_range(small_store) -> None:
    from innsatstrapp.web import pages

    db, catalog = small_store
    report = build_report(catalog, "2024-01", suppress=0, db=db, history=HISTORY)
    _, charts = pages.overview(report)
    sparks = {c.id: c for c in charts if c.id.startswith("spark-")}
    assert set(sparks) == {f"spark-{name}" for name in f.HEADLINE_LABELS}
    history = {h.name: h.counts for h in report.history.headline}
    for name, (label, digits) in f.HEADLINE_LABELS.items():
        chart = sparks[f"spark-{name}"]
        fig = _figure(chart)
        values = [history[name][p] for p in report.history.periods]
        known = [v for v in values if v is not None]
        assert fig["data"][0]["y"] == values
        assert fig["data"][0]["x"] == ["des. 2023", "jan. 2024"]
        if max(known) > 0:
            low, high = fig["layout"]["yaxis"]["range"]
            assert low == 0 and max(known) <= high <= 1.1 * max(known)
        shown = digits if max(known) < 100 else 0
        assert chart.note == f"Akse fra 0 · spenn {f.span(min(known), max(known), shown)}"
        assert label in chart.text and "akse fra 0" in chart.text
    users = [history["unique_users"][p] for p in report.history.periods]
    assert sparks["spark-unique_users"].note == (
        f"Akse fra 0 · spenn {f.integer(min(users))}–{f.integer(max(users))}")


def test_the_overview_page_shows_the_sparkline_range(small_store) -> None:
    from innsatstrapp.web import create_app

    db, _ = small_store
    page = TestClient(create_app(db, db.parent / "katalog.xlsx", suppress=0)).get("/").text
    assert page.count('class="note spark-range">Akse fra 0 · spenn ') == len(f.HEADLINE_LABELS)
    assert 'id="spark-unique_users" role="img" aria-label="Utvikling for Unike brukere' in page


def test_a_small_change_does_not_fill_the_sparkline(browser, tmp_path) -> None:
    """6 298 to 6 367 users (1 %): the line stays within the top tenth of the card's chart,
    where a min-to-max axis would have swung it from bottom to top."""
    from innsatstrapp.web.pages import _sparkline

    values = [6298, 6367, 6310, 6340, 6351]
    chart = _sparkline("unique_users", "Unike brukere", 0, _periods("2026-06", 5), values)
    page = draw(browser, _figure(chart), tmp_path, 250)
    size = page.evaluate("document.getElementById('fig')._fullLayout._size")  # plot area
    top = _box(page.locator("#fig"))["y"] + size["t"]
    line = _box(page.locator("#fig .scatterlayer path.js-line"))
    assert line["height"] <= 0.1 * size["h"]
    assert line["y"] + line["height"] <= top + 0.2 * size["h"]
    page.close()


# -- Framtid --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    """A plan to 2030 with accounts: three persons on two steps, a population of 100 per age."""
    from innsatstrapp.catalog import Catalog, CatalogService, Step
    from innsatstrapp.plan.build import build_plan

    tmp = tmp_path_factory.mktemp("plan")
    as_of, opened = dt.date(2024, 1, 31), dt.date(2023, 1, 1)
    catalog = Catalog(
        (Step("Trinn 3", 3), Step("Trinn 6", 6)),
        (CatalogService("HS", "HS", "Trinn 3", "hjemmesykepleie"),
         CatalogService("Sykehjem", "Sykehjem", "Trinn 6", "langtidsopphold")),
        file_name="k.xlsx", sha256="2" * 64)
    rows = [{"person": p, "service": s, "start_date": opened, "end_date": None,
             "hours_per_week": None, "resource_hours_per_week": None, "birth_year": 1940,
             "gender": "K"} for p, s in ((1, "HS"), (2, "HS"), (3, "Sykehjem"))]
    (tmp / "befolkning.csv").write_text("år;alder;kjønn;personer\n" + "\n".join(
        f"{y};{a};K;{100 + 10 * (y - 2024)}" for y in range(2024, 2031) for a in (83, 84)),
        encoding="utf-8")
    (tmp / "regnskap.csv").write_text("Trinn;Kostnad;Årsverk\nTrinn 3;612 450 000;3\n"
                                      "Trinn 6;403 100 000;4\n", encoding="utf-8")
    (tmp / "scenarier.csv").write_text("Scenario;Fra trinn;Til trinn;Andel;Startår;Fullt år\n"
                                       "Hjemme;Trinn 6;Trinn 3;50;2025;2027\n",
                                       encoding="utf-8")
    return build_plan(catalog, "2024-01", tmp / "befolkning.csv",
                      accounts=tmp / "regnskap.csv", scenarios=tmp / "scenarier.csv",
                      to_year=2030, suppress=0,
                      db=store_periods(tmp, [("2024-01", as_of, rows)])).plan


def test_framtid_shows_cost_in_the_unit_of_plan_html(plan) -> None:
    from innsatstrapp.outputs.plan import sentences as say
    from innsatstrapp.outputs.plan.html import money_chart
    from innsatstrapp.plan.disclose import published
    from innsatstrapp.web.future import future_page

    public = published(plan)
    tables, charts = future_page(public)
    cost = next(t for t in tables if t.id == "cost")
    chart = _figure(next(c for c in charts if c.id == "chart-framtid-cost"))
    report_chart = _figure(money_chart(public, "cost"))
    unit = report_chart["layout"]["yaxis"]["title"]["text"]
    assert unit == "Mill. kr per år"
    assert chart["layout"]["yaxis"]["title"]["text"] == unit  # the same axis as plan.html's
    assert "(mill. kr)" in cost.caption and "1 000 kr" not in cost.caption
    assert say.millions(public.scenarios[0].years[0].cost).endswith(" mill. kr")  # as it says
    for k, (mine, theirs) in enumerate(zip(chart["data"], report_chart["data"], strict=True)):
        assert mine["y"] == theirs["y"]  # the same figures, in mill. kr
        assert [row[1 + k] for row in cost.rows] == theirs["y"]
        assert "mill. kr" in mine["hovertemplate"]
    assert cost.text(cost.rows[0][1], cost.columns[1]) == f.decimal(cost.rows[0][1], 1)


def test_framtid_axis_titles_clear_of_the_ticks(browser, plan, tmp_path) -> None:
    """Every Framtid chart drawn: the y axis title lies left of every tick label."""
    from innsatstrapp.plan.disclose import published
    from innsatstrapp.web.future import future_page

    _, charts = future_page(published(plan))
    assert len(charts) == 3
    for chart in charts:
        fig = _figure(chart)
        assert fig["layout"]["yaxis"]["automargin"] is True
        page = draw(browser, fig, tmp_path, 900)
        title = _box(page.locator("#fig .ytitle"))
        ticks = page.locator("#fig .ytick text")
        assert ticks.count() >= 2
        left = min(_box(ticks.nth(i))["x"] for i in range(ticks.count()))
        assert title["x"] >= 0 and title["x"] + title["width"] <= left, chart.id
        page.close()


# -- the movement table ---------------------------------------------------------------------

def test_the_movement_table_names_the_month_of_each_column(small_store, tmp_path) -> None:
    from innsatstrapp.outputs import render

    db, catalog = small_store
    html = render(build_report(catalog, "2024-01", suppress=0, db=db), tmp_path,
                  ["html"])[0].read_text(encoding="utf-8")
    table = html.split("<caption>Personer per nivå (høyeste trinn)</caption>")[1]
    head = table.split("</thead>")[0]
    columns = re.findall(r'<th[^>]*scope="col">([^<]*)</th>', head)
    assert columns == ["Trinn", "Personer januar 2024", "Personer desember 2023", "Endring"]
