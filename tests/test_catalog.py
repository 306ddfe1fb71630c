"""The catalog workbook (contract §3): loading, every rejection, and the template."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from helpers import write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.catalog.template import write_template
from innsatstrapp.errors import InputFileError
from innsatstrapp.ingest import ingest_file
from innsatstrapp.store import Store

STEPS = [["Trinn", "Nr", "Kategori", "Trapp"], ["Grunnmur", 0, "Forebygging", "ja"],
         ["Trinn 1", 1, "", ""], ["Trinn 3", 3, "", "ja"], ["På tvers", 9, "", "nei"]]
SERVICES = [["Tjeneste", "Gruppe", "Trinn", "Rolle"],
            ["Trygghetsalarm", "Alarmer", "Grunnmur", ""],
            ["Hjemmesykepleie ring 1", "", "trinn 3", "Hjemmesykepleie"],
            ["TT-kort", None, "På tvers", None],
            ["Ikke plassert", "", "", ""]]


def workbook(path: Path, steps: list[list[object]] = STEPS,
             services: list[list[object]] = SERVICES, names=("Trinn", "Tjenester")) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in zip(names, (steps, services), strict=True):
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    sheet.write(r, c, v)
    book.close()
    return path


def test_load(tmp_path: Path) -> None:
    cat = load_catalog(workbook(tmp_path / "k.xlsx"))
    assert [(s.name, s.order, s.category, s.on_staircase) for s in cat.steps] == [
        ("Grunnmur", 0, "Forebygging", True), ("Trinn 1", 1, None, True),
        ("Trinn 3", 3, None, True), ("På tvers", 9, None, False)]
    assert [(s.name, s.group, s.step, s.role) for s in cat.services] == [
        ("Trygghetsalarm", "Alarmer", "Grunnmur", None),
        ("Hjemmesykepleie ring 1", "Hjemmesykepleie ring 1", "Trinn 3", "hjemmesykepleie"),
        ("TT-kort", "TT-kort", "På tvers", None),
        ("Ikke plassert", "Ikke plassert", None, None)]
    assert [s.name for s in cat.mapped] == ["Trygghetsalarm", "Hjemmesykepleie ring 1", "TT-kort"]
    assert len(cat.sha256) == 64 and cat.file_name == "k.xlsx"


@pytest.mark.parametrize(("steps", "services", "expected"), [
    (STEPS, [*SERVICES, ["Koordinator", "", "Trinn 9", ""]],
     "ark «Tjenester», rad 6, kolonne «Trinn», verdi «Trinn 9»: ukjent trinn"),
    (STEPS, [*SERVICES, ["Koordinator", "", "Grunmur", ""]],
     "verdi «Grunmur»: ukjent trinn (finnes ikke i arket Trinn); mente du «Grunnmur»?"),
    (STEPS, [*SERVICES, ["TT-kort", "", "Grunnmur", ""]],
     "ark «Tjenester», rad 6, kolonne «Tjeneste», verdi «TT-kort»: tjenesten står to ganger "
     "(også i rad 4)"),
    (STEPS, [*SERVICES, ["Koordinator", "", "Grunnmur", "sykehjem"]],
     "ark «Tjenester», rad 6, kolonne «Rolle», verdi «sykehjem»: ukjent rolle"),
    ([*STEPS, ["Trinn 2", "to", "", ""]], SERVICES,
     "ark «Trinn», rad 6, kolonne «Nr», verdi «to»: må være et heltall"),
    ([*STEPS, ["Trinn 2", 3, "", ""]], SERVICES,
     "ark «Trinn», rad 6, kolonne «Nr», verdi «3»: samme nummer som trinnet i rad 4"),
    ([*STEPS, ["grunnmur", 10, "", ""]], SERVICES,
     "ark «Trinn», rad 6, kolonne «Trinn», verdi «grunnmur»: trinnet står to ganger"),
    ([*STEPS, ["Trinn 2", 2, "", "kanskje"]], SERVICES,
     "ark «Trinn», rad 6, kolonne «Trapp», verdi «kanskje»: skal være «ja» eller «nei»"),
    ([["Navn", "Nr"]], SERVICES, "ark «Trinn», rad 1, kolonne «Trinn»: mangler kolonnen"),
    (STEPS, [*SERVICES, ["Alarm, mobil", "Alarmer", "Trinn 1", ""]],
     "ark «Tjenester», rad 6, kolonne «Gruppe», verdi «Alarmer»: gruppen står på Grunnmur i "
     "rad 2; en gruppe hører til ett trinn"),
])
def test_rejections_name_sheet_row_column_value(tmp_path: Path, steps, services,
                                                expected: str) -> None:
    with pytest.raises(InputFileError) as info:
        load_catalog(workbook(tmp_path / "k.xlsx", steps, services))
    assert str(info.value).startswith("Katalogen «k.xlsx» ble avvist")
    assert expected in str(info.value)


def test_missing_sheet_and_bad_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="mangler arket «Tjenester»"):
        load_catalog(workbook(tmp_path / "k.xlsx", names=("Trinn", "Annet")))
    with pytest.raises(InputFileError, match="finner ikke filen"):
        load_catalog(tmp_path / "nope.xlsx")
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(InputFileError, match="ikke en lesbar Excel-fil"):
        load_catalog(tmp_path / "bad.xlsx")


def test_template_lists_services_keeps_mapping_and_marks_new(tmp_path: Path, db: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["1", "TT-kort", "01.01.2024"],
                                       ["2", "TT-kort", "01.01.2024"],
                                       ["3", "Ny tjeneste", "01.01.2024"]],
                  header=["Løpenr", "Tjeneste", "Fra dato"])
    ingest_file(f, "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        rows = s.service_rows("2024-01")
    old = load_catalog(workbook(tmp_path / "old.xlsx"))
    out = tmp_path / "ny.xlsx"
    assert write_template(out, rows, old) == (4, 1)
    again = load_catalog(out)  # the template is itself a valid catalog
    assert [s.name for s in again.steps] == [s.name for s in old.steps]
    assert [(s.name, s.step, s.role) for s in again.services] == [
        (s.name, s.step, s.role) for s in old.services] + [("Ny tjeneste", None, None)]
    import openpyxl

    sheet = openpyxl.load_workbook(out)["Tjenester"]
    counts = {r[0]: (r[4], r[5]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert counts["TT-kort"] == (2, "") and counts["Ny tjeneste"] == (1, "ny")
    assert counts["Trygghetsalarm"] == (0, "")


def test_fresh_template_offers_the_default_staircase(tmp_path: Path) -> None:
    out = tmp_path / "k.xlsx"
    write_template(out, [("TT-kort", 3)])
    cat = load_catalog(out)
    assert [s.name for s in cat.steps][:2] == ["Grunnmur", "Trinn 1"]
    assert [s.name for s in cat.steps if not s.on_staircase] == ["På tvers", "Boliger"]
    assert [(s.name, s.step) for s in cat.services] == [("TT-kort", None)]
