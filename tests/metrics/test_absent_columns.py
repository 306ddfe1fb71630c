"""An optional column the extract lacks makes its figures absent (null, «–»), never 0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.ingest import ingest_file
from innsatstrapp.metrics import build_report, build_reports
from innsatstrapp.model.base import dump_json
from small import DECEMBER, HEADER, JANUARY, write_catalog

RESOURCE = HEADER.index("Ressurstimer")
END = HEADER.index("Til dato")


def _without(rows: list[list[str]], *columns: int) -> tuple[list[str], list[list[str]]]:
    keep = [i for i in range(len(HEADER)) if i not in columns]
    return [HEADER[i] for i in keep], [[r[i] for i in keep] for r in rows]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """December with every column; January without resource hours and end dates."""
    tmp = tmp_path_factory.mktemp("absent")
    db = tmp / "s.duckdb"
    ingest_file(write_csv(tmp / "des.csv", DECEMBER, header=HEADER), "2023-12", db=db)
    header, rows = _without(JANUARY, RESOURCE, END)
    ingest_file(write_csv(tmp / "jan.csv", rows, header=header), "2024-01", db=db)
    return db, load_catalog(write_catalog(tmp / "katalog.xlsx"))


def test_the_figures_on_an_absent_column_are_null(store) -> None:
    db, catalog = store
    r = build_report(catalog, "2024-01", suppress=0, db=db, history=["2023-12", "2024-01"])
    resource = r.headline["home_nursing_resource_hours"]
    assert (resource.value, resource.change, resource.change_pct) == (None, None, None)
    assert resource.previous == 0  # December had the column (and no values): a sum of 0
    assert r.headline["ended_decisions"].value is None
    assert r.headline["ended_decisions"].previous == 1
    # without end dates every decision runs on: person 4's 10 hours (ended 31.12.2023) count
    assert r.headline["home_nursing_approved_hours"].value == pytest.approx(21.0 + 10.0)
    services = {s.service: s for s in r.services}
    assert services["HS ring 1"].resource_hours is None
    assert services["HS ring 1"].approved_hours == pytest.approx(4.5)
    assert (services["HS ring 1"].ended, services["HS ring 1"].net) == (None, None)
    assert services["HS ring 1"].new == 1
    assert r.data_quality.absent_columns == ["end_date", "resource_hours_per_week"]
    lines = [w for w in r.data_quality.warnings if w.code == "column_absent"]
    assert len(lines) == 2 and all("ikke i uttrekket" in w.message for w in lines)
    assert any("ressurstimer per uke" in w.message for w in lines)
    assert all(w.count is None and not w.suppressed for w in lines)  # a column, not a count
    assert any("regnes som aktive" in w.message for w in lines)  # without end dates
    # the history: January's resource hours and ended decisions are absent, December's not
    series = {s.name: s.counts for s in r.history.headline}
    assert series["home_nursing_resource_hours"] == {"2023-12": 0, "2024-01": None}
    assert series["ended_decisions"] == {"2023-12": 1, "2024-01": None}
    assert all(s.counts["2024-01"] is None for s in r.history.steps_ended)


def test_json_says_null(store) -> None:
    db, catalog = store
    r = build_report(catalog, "2024-01", suppress=0, db=db)
    body = json.loads(dump_json(r))
    assert body["headline"]["home_nursing_resource_hours"]["value"] is None
    assert body["headline"]["home_nursing_resource_hours"]["suppressed"] == []
    assert body["data_quality"]["absent_columns"] == ["end_date", "resource_hours_per_week"]


def test_a_compared_month_without_the_column(store) -> None:
    """Compared the other way: the change is absent, the later month's own figure stands."""
    db, catalog = store
    r = build_report(catalog, "2023-12", compare="2024-01", suppress=0, db=db)
    resource = r.headline["home_nursing_resource_hours"]
    assert (resource.value, resource.previous, resource.change) == (0, None, None)
    assert r.data_quality.absent_columns == []
    before = [w for w in r.data_quality.warnings if w.code == "column_absent_before"]
    assert len(before) == 2 and all("2024-01" in w.message for w in before)


def test_suppressed_reports_and_units_too(store) -> None:
    db, catalog = store
    for unit, r in build_reports(catalog, "2024-01", suppress=3, db=db).items():
        assert r.headline["home_nursing_resource_hours"].value is None, unit
        assert "value" not in r.headline["home_nursing_resource_hours"].suppressed


def test_a_full_extract_is_left_alone(small_store) -> None:
    db, catalog = small_store
    r = build_report(catalog, "2024-01", suppress=0, db=db)
    assert r.data_quality.absent_columns == []
    assert not [w for w in r.data_quality.warnings if w.code.startswith("column_absent")]
    assert r.headline["home_nursing_resource_hours"].value == 16.0


def test_every_output_shows_it_absent(store, tmp_path: Path) -> None:
    """HTML, Excel and PowerPoint: «–» where the figure would be, and the Datakvalitet line."""
    from openpyxl import load_workbook
    from pptx import Presentation

    from innsatstrapp.outputs import render

    db, catalog = store
    r = build_report(catalog, "2024-01", suppress=0, db=db)
    written = render(r, tmp_path, ["json", "html", "xlsx", "pptx"])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "ikke i uttrekket" in html
    card = html.split("Ressurstimer per uke, hjemmesykepleie", 1)[1][:400]
    assert '<div class="value">–</div>\n    <div class="delta flat">ikke i uttrekket</div>' in card
    book = load_workbook(tmp_path / "report.xlsx")
    head = {row[0].value: row[1].value for row in book["Nøkkeltall"].iter_rows(min_row=5)}
    assert head["Ressurstimer per uke, hjemmesykepleie"] == "ikke i uttrekket"
    assert head["Avsluttede vedtak i perioden"] == "ikke i uttrekket"
    assert head["Vedtatte timer per uke, hjemmesykepleie"] == pytest.approx(31.0)
    home = book["Hjemmesykepleie"]
    titles = [c.value for c in home[3]]
    col = titles.index("Ressurstimer")
    assert {r[col].value for r in home.iter_rows(min_row=4, max_row=5)} == {"ikke i uttrekket"}
    deck = Presentation(str(tmp_path / "report.pptx"))
    text = " ".join(sh.text_frame.text for slide in deck.slides for sh in slide.shapes
                    if sh.has_text_frame)
    text += " ".join(c.text for slide in deck.slides for sh in slide.shapes if sh.has_table
                     for row in sh.table.rows for c in row.cells)
    assert "ikke i uttrekket" in text
    table = next(sh.table for slide in deck.slides for sh in slide.shapes if sh.has_table
                 and sh.table.cell(0, 1).text == "Nå")
    by_label = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert by_label["Ressurstimer per uke, hjemmesykepleie"] == "ikke i uttrekket"
    assert {p.name for p in written} >= {"report.json", "report.html", "report.xlsx",
                                        "report.pptx"}


def test_the_dashboard_card_says_it(store) -> None:
    from helpers import local_client as TestClient
    from innsatstrapp.web import create_app

    db, _ = store
    client = TestClient(create_app(db, db.parent / "katalog.xlsx", suppress=0))
    page = client.get("/").text
    card = page.split('id="lbl-home_nursing_resource_hours"', 1)[1][:300]
    assert '<div class="value">–</div>' in card and "ikke i uttrekket" in card
    assert "ikke i uttrekket" not in page.split('id="lbl-unique_users"', 1)[1][:300]


def test_the_compared_month_lacked_it(store, tmp_path: Path) -> None:
    from innsatstrapp.model.absent import headline
    from innsatstrapp.outputs import render

    db, catalog = store
    r = build_report(catalog, "2023-12", compare="2024-01", suppress=0, db=db)
    assert headline(r) == {"home_nursing_resource_hours": "before", "ended_decisions": "before"}
    render(r, tmp_path, ["html"])
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "ikke i uttrekket for januar 2024" in html


def test_a_month_in_the_history_without_the_column(tmp_path: Path) -> None:
    """Between two full months, one without resource hours: its figure is «–» (absent) in
    the dashboard's month table, not «*» (withheld), and Datakvalitet names the month."""
    from helpers import local_client as TestClient
    from innsatstrapp.web import create_app

    db = tmp_path / "s.duckdb"
    ingest_file(write_csv(tmp_path / "des.csv", DECEMBER, header=HEADER), "2023-12", db=db)
    header, rows = _without(JANUARY, RESOURCE)
    ingest_file(write_csv(tmp_path / "jan.csv", rows, header=header), "2024-01", db=db)
    ingest_file(write_csv(tmp_path / "feb.csv", JANUARY, header=HEADER), "2024-02", db=db)
    catalog = write_catalog(tmp_path / "katalog.xlsx")
    r = build_report(load_catalog(catalog), "2024-02", compare="2023-12", suppress=0, db=db,
                     history=["2023-12", "2024-01", "2024-02"])
    assert r.history.absent == {"2024-01": ["resource_hours_per_week"]}
    assert r.data_quality.absent_columns == []
    lines = [w.message for w in r.data_quality.warnings if w.code == "column_absent_history"]
    assert len(lines) == 1 and "2024-01" in lines[0] and "ressurstimer per uke" in lines[0]
    page = TestClient(create_app(db, catalog, suppress=0)).get("/").text
    table = page.split("Nøkkeltall per måned", 1)[1]
    january = table.split("2024-01", 1)[1].split("</tr>", 1)[0]
    assert "–" in january and "*" not in january


def test_the_step_page_charts_a_month_without_end_dates_as_a_gap(store) -> None:
    from helpers import local_client
    from innsatstrapp.web import create_app

    db, _ = store
    client = local_client(create_app(db, db.parent / "katalog.xlsx", suppress=0))
    r = client.get("/trinn/3?periode=2024-01")
    assert r.status_code == 200
    # January has no end dates: only December shows both new and ended (0 new, 1 ended)
    assert ("I de 1 av 2 månedene der begge tallene vises, kom det 0 nye vedtak, og 1 ble "
            "avsluttet.") in r.text
