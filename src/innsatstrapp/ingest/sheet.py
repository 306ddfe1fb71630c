"""The first sheet of an XLSX, looked at before it is read: how far its cells reach, and
which cells hold Excel's error values.

The reader (calamine) allocates the whole rectangle from A1 to the farthest cell it finds,
so one value in XFD1048576, or a garbage reference, would ask for hundreds of GiB. The
sheet's XML is scanned first (a regular expression over its bytes, no tree), and a sheet
that reaches too far is refused with a message. The reader also gives an error cell
(`#DIV/0!`, `#N/A`) as empty; the scan finds them, so they can be named.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from posixpath import join, normpath

MAX_COLUMNS = 1_000  # an extract has tens of columns; Excel allows 16 384
MAX_CELLS = 40_000_000  # the rectangle A1:farthest cell (about 1 GiB as the reader holds it)
MAX_XML = 1 << 31  # bytes of the sheet's XML, unpacked

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/?)>")
_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_ATTR = {name: re.compile(rb"(?:^|\s)" + name + rb'="([^"]*)"') for name in (rb"r", rb"t")}
_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_TARGET = re.compile(rb"<Relationship\b[^>]*>")


class SheetProblem(Exception):
    """The sheet cannot be read safely; the message says why, in Norwegian."""


@dataclass
class Sheet:
    rows: int = 0  # the farthest row and column (1-based), as the reader will see them
    columns: int = 0
    errors: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, text)


def _n(x: int) -> str:
    return f"{x:,}".replace(",", " ")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def first_sheet(book: zipfile.ZipFile) -> str | None:
    """The path of the workbook's first sheet (the one the reader reads), or None."""
    try:
        workbook = book.read("xl/workbook.xml")
        rels = book.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return None
    first = _SHEET.search(workbook)
    if not first:
        return None
    for tag in _TARGET.findall(rels):
        ident = re.search(rb'\bId="([^"]*)"', tag)
        target = re.search(rb'\bTarget="([^"]*)"', tag)
        if ident and target and ident.group(1) == first.group(1):
            path = target.group(1).decode("utf-8", "replace")
            return path.lstrip("/") if path.startswith("/") else normpath(join("xl", path))
    return None


def scan(book: zipfile.ZipFile) -> Sheet:
    """How far the first sheet reaches and where its error cells are; SheetProblem if it
    reaches too far or holds a reference that is no cell."""
    path = first_sheet(book)
    out = Sheet()
    if path is None or path not in book.namelist():
        return out  # the reader will say what is wrong
    if book.getinfo(path).file_size > MAX_XML:
        raise SheetProblem("det første arket er for stort til å leses (over 2 GiB utpakket); "
                           "del uttrekket eller lagre det som CSV")
    xml = book.read(path)
    for m in _ROW.finditer(xml):
        r = _ATTR[b"r"].search(m.group(1))
        if r:
            number = r.group(1).decode("ascii", "replace")
            if not number.isdigit() or not 0 < int(number) <= 1_048_576:
                raise SheetProblem(f"arket har en rad med ugyldig nummer «{number[:20]}»; "
                                   "lagre filen på nytt fra Excel")
            out.rows = max(out.rows, int(number))
    for m in _CELL.finditer(xml):
        attrs = m.group(1)
        r = _ATTR[b"r"].search(attrs)
        if not r:
            continue  # placed after the cell before it: it cannot reach far alone
        ref = r.group(1).decode("ascii", "replace")
        cell = _REF.fullmatch(ref)
        if not cell or column_number(cell[1]) > 16_384 or not 0 < int(cell[2]) <= 1_048_576:
            raise SheetProblem(f"arket har en ugyldig cellereferanse «{ref[:20]}»; lagre "
                               "filen på nytt fra Excel")
        row, col = int(cell[2]), column_number(cell[1])
        out.rows, out.columns = max(out.rows, row), max(out.columns, col)
        t = _ATTR[b"t"].search(attrs)
        if t and t.group(1) == b"e" and not m.group(2):
            v = _VALUE.match(xml, m.end()) or _VALUE.search(xml, m.end(), m.end() + 200)
            text = v.group(1).decode("utf-8", "replace") if v else "#FEIL"
            out.errors.append((row, col, text))
    if out.columns > MAX_COLUMNS or out.rows * out.columns > MAX_CELLS:
        far = f"{column_letters(out.columns)}{out.rows}"
        raise SheetProblem(
            f"det første arket går helt ut til celle {far} ({_n(out.rows)} rader × "
            f"{_n(out.columns)} kolonner), mer enn innsatstrapp leser (høyst "
            f"{_n(MAX_COLUMNS)} kolonner og {_n(MAX_CELLS)} celler); slett tomme rader og "
            "kolonner etter tabellen og lagre på nytt")
    return out
