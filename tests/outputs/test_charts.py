"""A withheld figure is drawn as withheld (a «*» on the axis, in the legend and in words),
never as a gap that reads as zero."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

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
