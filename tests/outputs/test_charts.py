"""A withheld figure is drawn as withheld (a «*» on the axis, in the legend and in words),
never as a gap that reads as zero."""

from __future__ import annotations

import json

from helpers import local_client as TestClient
from innsatstrapp.metrics import build_report
from innsatstrapp.outputs.charts import WITHHELD_NAME, with_withheld, withheld_trace
from innsatstrapp.outputs.html import staircase_chart
from innsatstrapp.web import create_app


def test_withheld_points_are_marked_at_the_axis_once_in_the_legend() -> None:
    a = withheld_trace(["jan", "feb", "mar"], [False, True, False])
    b = withheld_trace(["jan", "feb", "mar"], [True, False, False])
    assert a["x"] == ["feb"] and a["y"] == [0] and a["text"] == ["*"]
    assert withheld_trace(["jan"], [False]) is None
    data = with_withheld([{"type": "bar"}], [a, None, b])
    assert [t.get("showlegend") for t in data] == [None, True, False]
    assert all(t["name"] == WITHHELD_NAME for t in data[1:])


def test_the_staircase_marks_a_withheld_step(small_store) -> None:
    db, catalog = small_store
    report = build_report(catalog, "2024-01", db=db)
    withheld = [s.step for s in report.steps if "services" in s.suppressed]
    assert withheld  # Trinn 6 has 3 decisions
    figure = json.loads(str(staircase_chart(report)))
    marks = [t for t in figure["data"] if t.get("name") == WITHHELD_NAME]
    assert len(marks) == 1 and marks[0]["x"] == withheld and set(marks[0]["y"]) == {0}


def test_the_dashboard_trend_says_where_the_line_breaks(small_store) -> None:
    db, _ = small_store
    client = TestClient(create_app(db, db.parent / "katalog.xlsx", suppress=5))
    page = client.get("/trinn/6")
    assert page.status_code == 200
    assert WITHHELD_NAME in page.text
    assert "brytes der tallet er skjult" in page.text


def test_the_workbook_labels_a_withheld_step_instead_of_a_zero_bar(small_store, tmp_path
                                                                  ) -> None:
    import zipfile

    from innsatstrapp.outputs import render

    db, catalog = small_store
    report = build_report(catalog, "2024-01", db=db)
    (path,) = render(report, tmp_path, ["xlsx"])
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")]
    assert any("* skjult" in c for c in charts)


def test_the_levels_chart_marks_each_withheld_level(small_store) -> None:
    from innsatstrapp.outputs.movement import levels_chart

    db, catalog = small_store
    report = build_report(catalog, "2024-01", db=db)
    figure = levels_chart(report)
    marks = [t for t in figure["data"] if t.get("name") == WITHHELD_NAME]
    want = [[x.step for x in report.levels if f in x.suppressed]
            for f in (["previous"] if report.previous_period else []) + ["persons"]]
    assert any(want)
    assert [m["x"] for m in marks] == [w for w in want if w]
    bars = [t for t in figure["data"] if t["type"] == "bar"]
    for bar, field in zip(bars, (["previous"] if report.previous_period else []) + ["persons"],
                          strict=True):
        assert [y is None for y in bar["y"]] == [field in x.suppressed for x in report.levels]


def test_the_plan_matrix_chart_marks_a_withheld_step() -> None:
    from innsatstrapp.outputs.plan.html import matrix_chart

    class Row:
        def __init__(self, step, users, withheld=False):
            self.step, self.users, self.cost = step, users, None
            self.suppressed = ["users"] if withheld else []

    from types import SimpleNamespace

    plan = SimpleNamespace(matrix=[Row("Trinn 1", 40), Row("Trinn 2", None, True),
                                   Row("Trinn 3", 12)])
    figure = json.loads(str(matrix_chart(plan)))
    (mark,) = [t for t in figure["data"] if t.get("name") == WITHHELD_NAME]
    assert mark["x"] == ["Trinn 2"] and mark["y"] == [0]


def test_the_dashboard_hours_and_stays_charts_mark_withheld_bars(small_store) -> None:
    from innsatstrapp.web import pages

    db, catalog = small_store
    report = build_report(catalog, "2024-01", db=db)
    _, charts = pages.long_term_page(report)
    figure = json.loads(str(charts[0].figure))
    stays = [t for t in figure["data"] if t["type"] == "bar"]
    marks = [t for t in figure["data"] if t.get("name") == WITHHELD_NAME]
    hidden = [[y is None for y in t["y"]] for t in stays]
    assert sum(map(sum, hidden)) >= 1  # the small store's stays are all small
    assert sum(map(sum, hidden)) == sum(len(m["x"]) for m in marks)
