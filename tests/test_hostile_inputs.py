"""Broken and hostile extracts: bounded work, a Norwegian message naming what is wrong, the
store left as it was, nothing from a file acting on the terminal."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from helpers import HEADER, snapshot, write_csv, write_xlsx
from innsatstrapp.cli import app
from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.ingest import ingest_file

GOOD = [["1", "TT-kort", "01.01.2024", "", "1,5", "x"]]


def rejected(path: Path, db: Path) -> str:
    before = snapshot(db) if db.exists() else None
    with pytest.raises(InnsatstrappError) as info:
        ingest_file(path, "2024-01", db=db)
    assert (snapshot(db) if db.exists() else None) == before
    return str(info.value)


def test_a_sheet_reaching_to_the_last_cell_is_refused_before_it_is_read(tmp_path: Path,
                                                                        db: Path) -> None:
    f = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(str(f))
    sheet = book.add_worksheet()
    for c, h in enumerate(HEADER):
        sheet.write_string(0, c, h)
    for c, v in enumerate(GOOD[0]):
        sheet.write_string(1, c, v)
    sheet.write_number(1048575, 16383, 1)  # XFD1048576: 17 G cells if read as a rectangle
    book.close()
    message = rejected(f, db)
    assert "går helt ut til celle XFD1048576 (1 048 576 rader × 16 384 kolonner)" in message
    assert "slett tomme rader og kolonner" in message


def _patched(tmp_path: Path, old: bytes, new: bytes) -> Path:
    """An XLSX whose first sheet's XML has `old` replaced by `new`."""
    src = write_xlsx(tmp_path / "src.xlsx", GOOD)
    out = tmp_path / "x.xlsx"
    with zipfile.ZipFile(src) as a, zipfile.ZipFile(out, "w") as b:
        for item in a.infolist():
            data = a.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                assert old in data
                data = data.replace(old, new)
            b.writestr(item, data)
    return out


@pytest.mark.parametrize(("old", "new", "expected"), [
    (b'r="B2"', b'r="ZZZZ2"', "ugyldig cellereferanse «ZZZZ2»"),
    (b'r="B2"', b'r="B99999999999"', "ugyldig cellereferanse «B99999999999»"),
    (b'<row r="2"', b'<row r="99999999999"', "en rad med ugyldig nummer «99999999999»"),
])
def test_garbage_cell_references(tmp_path: Path, db: Path, old: bytes, new: bytes,
                                 expected: str) -> None:
    assert expected in rejected(_patched(tmp_path, old, new), db)


def _with_error_cell(tmp_path: Path, column: int) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(GOOD[0])
    sheet.cell(row=2, column=column).value = "#DIV/0!"  # openpyxl writes an error cell
    f = tmp_path / "x.xlsx"
    book.save(f)
    with zipfile.ZipFile(f) as z:
        assert b't="e"' in z.read("xl/worksheets/sheet1.xml")
    return f


def test_an_excel_error_in_a_column_that_is_read(tmp_path: Path, db: Path) -> None:
    message = rejected(_with_error_cell(tmp_path, 5), db)  # Vedtatte timer per uke
    assert ("rad 2, kolonne «Vedtatte timer per uke», verdi «#DIV/0!»: er en feilverdi fra "
            "Excel, ikke en verdi") in message


def test_an_excel_error_in_a_column_not_read_is_no_matter(tmp_path: Path, db: Path) -> None:
    result = ingest_file(_with_error_cell(tmp_path, 6), "2024-01", db=db)  # Saksbehandler
    assert result.extract.rows == 1


def test_excels_sep_line_and_blank_lines_before_the_header(tmp_path: Path, db: Path) -> None:
    body = "\r\n".join([";".join(HEADER), "1;TT-kort;01.01.2024;;1,5;x",
                        "2;TT-kort;01.13.2024;;;x"])
    f = tmp_path / "x.csv"
    f.write_bytes(("sep=;\r\n\r\n;;;;;\r\n" + body + "\r\n").encode("cp1252"))
    message = rejected(f, db)
    # the header is line 4, so the bad date is in line 6, as Excel shows it
    assert "rad 6, kolonne «Fra dato», verdi «01.13.2024»: er ikke en gyldig dato" in message
    f.write_bytes(("sep=,\r\n" + body.replace(";", ",") + "\r\n").replace(
        "01.13.2024", "01.02.2024").replace("1,5", "2").encode("utf-8"))
    result = ingest_file(f, "2024-01", db=db)
    assert result.extract.rows == 2 and result.ignored_columns == ("Saksbehandler",)


def test_content_decides_what_a_file_is(tmp_path: Path, db: Path) -> None:
    csv_named_xlsx = write_csv(tmp_path / "uttrekk.xlsx", GOOD)
    result = ingest_file(csv_named_xlsx, "2024-01", db=db)
    assert result.extract.file_format == "csv" and result.extract.rows == 1
    old = tmp_path / "gammel.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    assert "Excel-fil i det gamle formatet (.xls" in rejected(old, db)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "rør.csv"
    os.mkfifo(fifo)
    db = tmp_path / "s.duckdb"
    for source in (fifo, Path("/dev/zero")):
        run = subprocess.run([sys.executable, "-m", "innsatstrapp", "ingest", str(source),
                              "--period", "2024-01", "--db", str(db)], capture_output=True,
                             text=True, timeout=60)
        assert run.returncode == 1, run.stderr
        assert "er ikke en vanlig fil" in run.stderr
        assert "Traceback" not in run.stderr
    assert not db.exists()


def test_a_huge_header_cell_and_a_huge_value(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text(";".join([*HEADER, "x" * 200_000]) + "\n1;TT-kort;01.01.2024;;;x;y\n",
                 encoding="utf-8")
    message = rejected(f, db)
    assert "linje 1 er over 100 000 tegn lang" in message and len(message) < 500
    f.write_text(";".join(HEADER) + "\n1;" + "T" * 5_000_000 + ";01.01.2024;;;x\n",
                 encoding="utf-8")
    message = rejected(f, db)
    assert ("rad 2, kolonne «Tjeneste»: har en verdi på 5 000 000 tegn; en celle kan ha høyst "
            "10 000 tegn") in message
    assert len(message) < 500


def test_control_characters_never_reach_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    f = write_csv(tmp_path / "x\x1b[2J.csv", [["1", "TT-kort", "01.01.2024", "neste\x1b]0;x\x07",
                                               "", ""]])
    result = CliRunner().invoke(app, ["ingest", str(f), "--period", "2024-01", "--db",
                                      str(db)])
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "x\\x1b[2J.csv" in result.stderr and "neste\\x1b]0;x\\x07" in result.stderr


def test_ten_thousand_unused_columns_are_not_all_listed(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    extra = [f"Felt {i}" for i in range(10_000)]
    f = write_csv(tmp_path / "x.csv", [[*GOOD[0], *[""] * 10_000]], header=[*HEADER, *extra])
    result = CliRunner().invoke(app, ["ingest", str(f), "--period", "2024-01", "--db",
                                      str(db)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.stderr
    text = " ".join(result.stdout.split())
    line = text[text.index("Kolonner som ikke brukes"):]
    assert re.search(r"Felt 18 og 9 981 til", line)
    assert "Felt 19" not in line


@pytest.mark.parametrize("content", [b"", b"ab", b"00" * 31, b"00" * 33, b"zz" * 32])
def test_a_key_file_must_hold_a_key(tmp_path: Path, content: bytes) -> None:
    db = tmp_path / "s.duckdb"
    (tmp_path / "s.key").write_bytes(content)
    message = rejected(write_csv(tmp_path / "x.csv", GOOD), db)
    assert "Nøkkelfilen" in message and "nøyaktig 64 heksadesimale tegn" in message
    assert not db.exists()


def test_a_folder_or_an_unreadable_file_where_the_key_should_be(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    (tmp_path / "s.key").mkdir()
    assert "er det en mappe" in rejected(write_csv(tmp_path / "x.csv", GOOD), db)
    (tmp_path / "s.key").rmdir()
    ingest_file(write_csv(tmp_path / "x.csv", GOOD), "2024-01", db=db)
    if os.geteuid() != 0:  # root reads anything
        (tmp_path / "s.key").chmod(0)
        assert "kan ikke leses" in rejected(write_csv(tmp_path / "y.csv", GOOD), db)


def test_every_file_beside_the_store_is_the_owners_only(tmp_path: Path) -> None:
    import duckdb

    from innsatstrapp.store import Store

    db = tmp_path / "s.duckdb"
    ingest_file(write_csv(tmp_path / "x.csv", GOOD), "2024-01", db=db)
    before = os.umask(0o022)
    try:
        with Store.open(db) as store:
            store.con.execute("CREATE TABLE t AS SELECT 1 AS x")  # the log exists now
            wal = Path(f"{db}.wal")
            assert wal.exists()
            assert wal.stat().st_mode & 0o077 == 0
        assert os.umask(0o022) == 0o022  # given back when the store closed
    finally:
        os.umask(before)
    for f in tmp_path.iterdir():
        if f.name.startswith("s."):
            assert f.stat().st_mode & 0o077 == 0, f
    del duckdb


def test_a_damaged_store_is_named_in_every_command(tiny_demo, tmp_path: Path) -> None:
    folder = tiny_demo.db.parent
    db = tmp_path / "lager.duckdb"
    data = tiny_demo.db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    (tmp_path / "lager.key").write_bytes((folder / "innsatstrapp.key").read_bytes())
    for args in (["periods"], ["report", "--period", tiny_demo.last, "--catalog",
                                str(tiny_demo.catalog), "--out", str(tmp_path / "r")],
                 ["ingest", str(tiny_demo.extracts[-1]), "--period", tiny_demo.last]):
        run = subprocess.run([sys.executable, "-m", "innsatstrapp", *args, "--db", str(db)],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode != 0
        assert f"Lageret {db} kan ikke leses; det ser ut til å være skadet" in \
            " ".join(run.stderr.split()), (args, run.stderr)
        assert "Gjenopprett lageret og nøkkelfilen fra sikkerhetskopi" in \
            " ".join(run.stderr.split())
        assert "Traceback" not in run.stderr


def test_names_with_control_characters_and_markup_reach_every_format(tmp_path: Path) -> None:
    from small import write_catalog

    db = tmp_path / "s.duckdb"
    link = '<a href="https://evil.example">Trinn 3</a>'
    rows = [[str(i), "HS\x1bring\x00 1" if i % 2 else "Alarm\x07", "01.01.2024", "", "2", "x"]
            for i in range(40)]  # NUL and ESC: _x0000_ and _x001B_ in the XLSX
    ingest_file(write_xlsx(tmp_path / "x.xlsx", rows), "2024-01", db=db)
    steps = [["Trinn", "Nr", "Kategori", "Trapp"], ["Grunnmur", 0, "", "ja"],
             [link, 3, "", "ja"]]
    services = [["Tjeneste", "Gruppe", "Trinn", "Rolle"],
                ["Alarm", "=HYPERLINK(\"x\")", "Grunnmur", ""],
                ["HS ring  1", "HS\x1b", link, "hjemmesykepleie"]]
    catalog = write_catalog(tmp_path / "katalog.xlsx", steps, services)
    out = tmp_path / "rapport"
    result = CliRunner().invoke(app, ["report", "--period", "2024-01", "--catalog",
                                      str(catalog), "--db", str(db), "--out", str(out),
                                      "--format", "json,html,xlsx,pptx"])
    assert result.exit_code == 0, result.stderr
    report = (out / "report.json").read_text(encoding="utf-8")
    assert '"HS ring  1"' in report and "\\u001b" not in report and "\\u0000" not in report
    html = (out / "report.html").read_text(encoding="utf-8")
    # neither in the tables nor in Plotly's labels (as JSON: <a href=\"https://evil…)
    assert not re.search(r'<a href=\\?"https://evil', html)
    assert "&lt;a href=" in html
    from pptx import Presentation

    texts = " ".join(shape.text_frame.text for slide in Presentation(out / "report.pptx").slides
                     for shape in slide.shapes if shape.has_text_frame)
    assert "\x1b" not in texts


def test_the_dashboard_on_a_damaged_store_says_so(tiny_demo, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from innsatstrapp.web import create_app

    db = tmp_path / "lager.duckdb"
    data = tiny_demo.db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    client = TestClient(create_app(db, tiny_demo.catalog), base_url="http://127.0.0.1",
                        raise_server_exceptions=False)
    r = client.get("/rapport.json")
    assert r.status_code == 500
    assert f"Lageret {db} kan ikke leses" in r.text and "sikkerhetskopi" in r.text
    assert "Traceback" not in r.text and "Internal Server Error" not in r.text
    assert r.headers["x-frame-options"] == "DENY" and r.headers["cache-control"] == "no-store"


def _package(tmp_path: Path, sheet: str, workbook: str | None = None,
             rels: str | None = None, sheet_path: str = "xl/worksheets/sheet1.xml") -> Path:
    """An XLSX package written by hand, to say what a writer may put in it."""
    f = tmp_path / "x.xlsx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("xl/workbook.xml", workbook or (
            '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets>'
            '</workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", rels or (
            '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
            '</Relationships>'))
        z.writestr(sheet_path, f"<worksheet><sheetData>{sheet}</sheetData></worksheet>")
    return f


FAR = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c {}><v>2</v></c></row>'


@pytest.mark.parametrize(("sheet", "kw"), [
    (FAR.format("r='XFD1048576'"), {}),  # single quotes
    (FAR.format('r = "XFD1048576"'), {}),  # spaces around =
    (FAR.format('r=\t"XFD1048576"'), {}),
    ('<row r="1">' + "<c><v>1</v></c>" * 3000 + '</row><row><c r="A1048576"><v>1</v></c>'
     "</row>", {}),  # cells without r: each one column further
    (FAR.format('r="XFD1048576"'), {"workbook": (  # the real first sheet behind a comment
        '<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships"><sheets><!--<sheet name="B" sheetId="2" r:id="rId2"/>-->'
        '<sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>')}),
    (FAR.format('r="XFD1048576"'), {"sheet_path": "xl/worksheets/Sheet1.xml"}),  # case
    (FAR.format('r="XFD1048576"'), {"rels": (
        "<Relationships><Relationship Id='rId1' Target='worksheets/sheet1.xml'/>"
        "</Relationships>")}),
])
def test_no_way_round_the_sheet_scan(tmp_path: Path, db: Path, sheet: str, kw: dict) -> None:
    """Found in review: each of these reached the reader, which asked for up to 512 GiB."""
    message = rejected(_package(tmp_path, sheet, **kw), db)
    assert "går helt ut til celle" in message


def test_hours_a_former_version_stored_as_infinite_count_as_none(tmp_path: Path) -> None:
    import duckdb

    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.metrics import build_report
    from small import write_catalog

    db = tmp_path / "s.duckdb"
    rows = [[str(i), "HS ring 1", "01.01.2024", "", "2", "x"] for i in range(8)]
    ingest_file(write_csv(tmp_path / "x.csv", rows), "2024-01", db=db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE decisions SET hours_per_week = 'inf'::DOUBLE WHERE source_row = 2")
    con.close()
    catalog = load_catalog(write_catalog(tmp_path / "katalog.xlsx"))
    report = build_report(catalog, "2024-01", suppress=0, db=db)
    assert report.headline["home_nursing_approved_hours"].value == 14.0  # 7 × 2, ∞ as none


def test_the_engine_spills_only_to_a_folder_of_the_users_own(tmp_path: Path) -> None:
    """What the engine holding clear ids spills goes to the instance's private folder, and
    is deleted when the table that spilled is dropped; nothing of it is left once the
    engine closes (forced here: a memory limit the engine's table cannot fit in)."""
    import datetime as dt

    from innsatstrapp.ingest.columns import resolve_columns
    from innsatstrapp.ingest.validate import Engine, stage
    from innsatstrapp.store import Store
    from innsatstrapp.tables.read import read_table

    engine = Engine.open()
    raw = read_table(write_csv(tmp_path / "x.csv", GOOD), into=engine.con)
    staged = stage(raw, resolve_columns(raw.headers, raw.file_name), dt.date(2024, 1, 31),
                   engine)
    con = staged.con
    (folder,) = con.execute("SELECT current_setting('temp_directory')").fetchone()
    folder = Path(folder)
    assert folder.stat().st_mode & 0o077 == 0 and folder != Path(".tmp")
    (limit,) = con.execute("SELECT current_setting('memory_limit')").fetchone()
    spilled = []
    try:
        con.execute("SET memory_limit = '40MB'")
        con.execute("CREATE TABLE clear AS SELECT range AS i, md5(range::VARCHAR) AS person_id "
                    "FROM range(2000000)")
        spilled = [f for f in folder.iterdir() if f.suffix in (".tmp", ".block")]
    finally:
        con.execute(f"SET memory_limit = '{limit}'")
        engine.close()
    assert spilled  # it did spill, and there
    assert not [f for f in folder.iterdir() if f.suffix in (".tmp", ".block")]
    db = tmp_path / "s.duckdb"
    ingest_file(write_csv(tmp_path / "y.csv", GOOD), "2024-01", db=db)
    before = os.umask(0o022)
    try:
        with Store.open(db, read_only=True):
            assert os.umask(0o077) == 0o077  # what a spilling query creates is private
    finally:
        os.umask(before)


def test_ingest_leaves_no_temporary_file_stored_or_rejected(tmp_path: Path) -> None:
    """Ingest writes no file of its own beside the store (its engine is in memory), and
    leaves no database of its engine attached, whether the file was stored or rejected."""
    from innsatstrapp.errors import IngestError
    from innsatstrapp.store import attached

    db = tmp_path / "s.duckdb"
    ingest_file(write_csv(tmp_path / "god.csv", GOOD), "2024-01", db=db)
    bad = [*GOOD[:1], ["", *GOOD[0][1:]]]  # a row without a person
    with pytest.raises(IngestError):
        ingest_file(write_csv(tmp_path / "feil.csv", bad), "2024-02", db=db)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feil.csv", "god.csv", "s.duckdb",
                                                          "s.key"]
    root = attached._root()
    (folder,) = root.execute("SELECT current_setting('temp_directory')").fetchone()
    assert not [f for f in Path(folder).iterdir() if f.suffix in (".tmp", ".block")]
    assert root.execute("SELECT count(*) FROM duckdb_databases() WHERE database_name "
                        "LIKE 'memory_%'").fetchone() == (0,)
