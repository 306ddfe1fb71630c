"""Property tests over hostile inputs, each against a plain-Python oracle: numbers of any
length, names with any control character, cell references of any shape."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import write_csv, write_xlsx
from innsatstrapp.errors import IngestError, visible
from innsatstrapp.ingest.columns import resolve_columns
from innsatstrapp.ingest.validate import MOST_HOURS, Engine, stage
from innsatstrapp.tables.read import read_table
from innsatstrapp.tables.sheet import MAX_CELLS, MAX_COLUMNS, SheetProblem, scan
from test_parsing_properties import oracle_number

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
CONTROL = "".join(chr(c) for c in [*range(32), *range(127, 160)])
NONCHARACTERS = "\ufffe\uffff"  # legal in text, not in XML (PowerPoint refuses them)


def staged(path: Path) -> list[tuple]:
    """The typed (service, hours) rows, read as ingest reads (the engine reading the file,
    when it can) and by the careful reader alike: the two must agree."""
    seen = []
    for into in (True, False):
        engine = Engine.open()
        try:
            raw = read_table(path, into=engine.con if into else None)
            con = stage(raw, resolve_columns(raw.headers, raw.file_name), dt.date(2024, 1, 31),
                        engine).con
            seen.append(con.execute("SELECT service, hours_per_week FROM typed ORDER BY _row"
                                    ).fetchall())
        finally:
            engine.close()
    assert seen[0] == seen[1]
    return seen[0]


@SETTINGS
@given(digits=st.text("0123456789", min_size=1, max_size=420),
       fraction=st.one_of(st.none(), st.text("0123456789", min_size=1, max_size=5)))
def test_a_number_of_any_length_is_finite_and_in_range_or_refused(tmp_path: Path, digits: str,
                                                                  fraction: str | None) -> None:
    text = digits + ("," + fraction if fraction else "")
    f = write_csv(tmp_path / "x.csv", [["1", "TT-kort", "01.01.2024", "", text, "x"]])
    expected = oracle_number(text)
    try:
        ((_, hours),) = staged(f)
    except IngestError as e:
        assert expected is None or expected > MOST_HOURS, (text, str(e))
        assert "urimelig stort" in str(e) or "er ikke et tall" in str(e)
        assert len(str(e)) < 600  # a 420-digit value is shown by its start and length
        return
    assert hours is not None and math.isfinite(hours) and 0 <= hours <= MOST_HOURS
    assert hours == pytest.approx(expected)


@SETTINGS
@given(name=st.text(st.sampled_from([*"Tjeneste <a>=&", *CONTROL]), min_size=1,
                    max_size=30))
def test_names_lose_every_control_character_on_ingest(tmp_path: Path, name: str) -> None:
    expected = re.sub(f"[{re.escape(CONTROL)}]", " ", name).strip()
    if not expected:
        return  # a name of control characters only is a missing service
    f = write_xlsx(tmp_path / "x.xlsx", [["1", name, "01.01.2024", None, 2.0, "x"]])
    ((service, _),) = staged(f)
    assert service == expected
    assert not any(c in CONTROL for c in service)


@SETTINGS
@given(name=st.text(st.sampled_from([*"Tjeneste <a>;=", *NONCHARACTERS, "\x1b"]),
                    min_size=1, max_size=30))
def test_names_lose_xmls_noncharacters_on_ingest(tmp_path: Path, name: str) -> None:
    expected = re.sub(f"[{re.escape(CONTROL + NONCHARACTERS)}]", " ", name).strip()
    if not expected:
        return
    f = tmp_path / "x.csv"  # UTF-8 (an XLSX writer would escape them as _xFFFE_ text)
    cell = '"' + name.replace('"', '""') + '"'
    f.write_text("Løpenummer;Tjeneste;Fra dato\n1;" + cell + ";01.01.2024\n", encoding="utf-8")
    ((service, _),) = staged(f)
    assert service == expected


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=300), longest=st.integers(5, 80))
def test_a_value_in_a_message_is_printable_and_short(text: str, longest: int) -> None:
    shown = visible(text, longest)
    assert all(c.isprintable() or c == " " for c in shown)
    assert len(shown) <= longest + len(" (999 tegn)") + 1
    if len(text) <= longest and all(c.isprintable() or c == " " for c in text):
        assert shown == text


def _sheet_with(ref: str) -> zipfile.ZipFile:
    """A workbook whose first sheet has one more cell, at `ref` (any text)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", '<workbook xmlns:r="r"><sheets><sheet name="A" '
                                      'sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/>'
                   '</Relationships>')
        ref_xml = ref.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
        z.writestr("xl/worksheets/sheet1.xml",
                   '<worksheet><sheetData><row r="1"><c r="A1" t="n"><v>1</v></c>'
                   f'<c r="{ref_xml}" t="n"><v>2</v></c></row></sheetData></worksheet>')
    return zipfile.ZipFile(buffer)


def _oracle(ref: str) -> tuple[int, int] | None:
    """(row, column) of an A1 reference, or None when it is no cell of an Excel sheet."""
    m = re.fullmatch(r"([A-Z]{1,3})([0-9]{1,7})", ref)
    if not m:
        return None
    col = 0
    for ch in m[1]:
        col = col * 26 + ord(ch) - 64
    row = int(m[2])
    return (row, col) if 0 < row <= 1_048_576 and col <= 16_384 else None


@settings(max_examples=300, deadline=None)
@given(ref=st.one_of(
    st.from_regex(r"[A-Z]{1,4}[0-9]{1,9}", fullmatch=True),
    st.text("ABXFDZ0123456789:-$ x", max_size=12)))
def test_a_cell_reference_of_any_shape(ref: str) -> None:
    cell = _oracle(ref)
    try:
        found = scan(_sheet_with(ref))
    except SheetProblem as e:
        assert cell is None or cell[1] > MAX_COLUMNS or cell[0] * cell[1] > MAX_CELLS, (ref, e)
        return
    assert cell is not None, ref
    assert (found.rows, found.columns) == (max(1, cell[0]), max(1, cell[1]))
    assert found.columns <= MAX_COLUMNS and found.rows * found.columns <= MAX_CELLS

