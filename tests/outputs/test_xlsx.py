"""report.xlsx read back with openpyxl: values equal the report, real numbers with formats,
no formula from extract text, withheld cells marked with a footnote."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from helpers import write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.ingest import ingest_file
from innsatstrapp.metrics import build_report
from innsatstrapp.outputs import render
from small import HEADER, SERVICES, STEPS, write_catalog

SHEETS = ["Nøkkeltall", "Trinn", "Grupper", "Tjenester", "Hjemmesykepleie", "Konsentrasjon",
          "Langtidsopphold", "Bevegelse", "Alder", "Datakvalitet", "Om rapporten"]


def table(sheet, header_row: int = 3) -> list[dict]:
    rows = list(sheet.iter_rows(min_row=header_row, values_only=True))
    head = rows[0]
    out = []
    for row in rows[1:]:
        if row[0] is None:
            break
        out.append(dict(zip(head, row, strict=False)))
    return out


@pytest.fixture(scope="module")
def book(small_store, tmp_path_factory):
    db, catalog = small_store
    report = build_report(catalog, "2024-01", history=["2023-12"], suppress=0, db=db)
    path = render(report, tmp_path_factory.mktemp("x"), ["xlsx"])[0]
    return report, openpyxl.load_workbook(path)


def test_sheets_and_headline(book) -> None:
    _report, wb = book
    assert wb.sheetnames == SHEETS
    rows = {r["Nøkkeltall"]: r for r in table(wb["Nøkkeltall"], 4)}
    assert rows["Tjenester gitt totalt"]["Verdi"] == 11
    assert rows["Tjenester gitt totalt"]["Endring %"] == pytest.approx(1.75)
    assert rows["Tjenester per bruker"]["Verdi"] == pytest.approx(11 / 8)
    sheet = wb["Nøkkeltall"]
    assert sheet["B5"].number_format == "#,##0" and sheet["E5"].number_format.startswith("+0.0%")
    assert sheet.freeze_panes == "B5"


def test_steps_services_with_history_and_formats(book) -> None:
    report, wb = book
    steps = table(wb["Trinn"])
    assert [(r["Trinn"], r["Tjenester"], r["Brukere"], r["2023-12"]) for r in steps] == [
        (s.step, s.services, s.users, s.previous) for s in report.steps]
    services = {r["Tjeneste"]: r for r in table(wb["Tjenester"])}
    assert services["HS ring 1"]["Vedtatte timer/uke"] == 4.5
    assert services["TT-kort"]["Netto"] == -1
    sheet = wb["Tjenester"]
    assert sheet.auto_filter.ref.startswith("A3")
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$3:$3"
    home = table(wb["Hjemmesykepleie"])
    assert [(r["Tjeneste"], r["Ressursandel av vedtatt"]) for r in home] == [
        ("HS ring 1", pytest.approx(3.5 / 4.5)), ("HS ring 2", pytest.approx(12.5 / 16.5))]
    conc = {r["Gruppe / tjeneste"]: r for r in table(wb["Konsentrasjon"])}
    assert conc["HS"]["Gini"] == pytest.approx(0.5)
    assert conc["HS"]["Topp 10 % har"] == pytest.approx(12.5 / 21)


def test_no_cell_holds_a_number_as_text_or_a_formula(book) -> None:
    _, wb = book
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert not cell.value.startswith("="), (sheet.title, cell.coordinate)
                    assert not cell.value.replace(",", "").replace(".", "").strip().isdigit()


def test_native_charts(book) -> None:
    _, wb = book
    assert len(wb["Trinn"]._charts) == 1 and len(wb["Hjemmesykepleie"]._charts) == 1


def test_withheld_cells_are_marked_and_explained(small_store, tmp_path: Path) -> None:
    db, catalog = small_store
    path = render(build_report(catalog, "2024-01", db=db), tmp_path, ["xlsx"])[0]
    wb = openpyxl.load_workbook(path)
    grunnmur = table(wb["Trinn"])[0]
    assert (grunnmur["Trinn"], grunnmur["Tjenester"], grunnmur["Brukere"]) == (
        "Grunnmur", "*", "*")
    notes = [c.value for row in wb["Trinn"].iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("* Skjult")]
    assert notes == ["* Skjult for å verne personvernet: tall fra 1 til 4 personer eller "
                     "vedtak, og tall som bygger på færre enn 5 personer."]


def test_extract_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    rows = [["1", "=HYPERLINK(\"http://x\")", "01.01.2024"], ["2", "+SUM(1)", "01.01.2024"],
            ["3", "@cmd", "01.01.2024"], ["4", "-1+1", "01.01.2024"]]
    ingest_file(write_csv(tmp_path / "x.csv", rows, header=HEADER[:3]), "2024-01", db=db)
    services = [*SERVICES, *[[r[1], "", "Grunnmur", ""] for r in rows]]
    catalog = load_catalog(write_catalog(tmp_path / "k.xlsx", STEPS, services))
    path = render(build_report(catalog, "2024-01", suppress=0, db=db), tmp_path, ["xlsx"])[0]
    wb = openpyxl.load_workbook(path)
    names = [r["Tjeneste"] for r in table(wb["Tjenester"])]
    assert {r[1] for r in rows} <= set(names)
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)



def test_withheld_bars_are_labelled_in_every_chart(small_store, tmp_path: Path) -> None:
    """Each withheld point of a chart (steps, home-nursing hours, persons per level) carries
    the label «* skjult»; Excel draws its text cell at 0, so without it the bar reads as 0."""
    import zipfile

    db, catalog = small_store
    report = build_report(catalog, "2024-01", db=db)
    path = render(report, tmp_path, ["xlsx"])[0]
    home = [s for s in report.services if s.role == "hjemmesykepleie"]
    expected = (sum("services" in s.suppressed for s in report.steps)
                + sum(f in s.suppressed for s in home
                      for f in ("approved_hours", "resource_hours"))
                + sum(f in x.suppressed for x in report.levels for f in ("persons", "previous")))
    assert expected >= 1  # Grunnmur at least
    with zipfile.ZipFile(path) as z:
        found = sum(z.read(n).decode().count("<a:t>* skjult</a:t>") for n in z.namelist()
                    if n.startswith("xl/charts/chart"))
    assert found == expected


def _chart_formats(path: Path) -> list[str]:
    """Every number format the workbook's native charts carry (axes and data labels)."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        return [code for name in z.namelist() if name.startswith("xl/charts/chart")
                for code in re.findall(r'formatCode="([^"]*)"', z.read(name).decode())]


def test_chart_numbers_are_norwegian_whatever_the_viewer(small_store, tmp_path: Path) -> None:
    """A chart's numbers carry the nb-NO locale ([$-414]): 7 778, not 7,778, also in an
    English LibreOffice or Excel."""
    db, catalog = small_store
    report = build_report(catalog, "2024-01", history=["2023-12"], suppress=0, db=db)
    formats = _chart_formats(render(report, tmp_path, ["xlsx"])[0])
    assert formats and all(code.startswith("[$-414]") for code in formats), formats
