"""The sheets of an XLSX, looked at before they are read: how far their cells reach, and
which cells of the first sheet hold Excel's error values.

The reader (calamine) allocates the whole rectangle from A1 to the farthest cell it finds,
so one value in XFD1048576, or a garbage reference, would ask for hundreds of GiB and abort
the process. Every worksheet in the package is scanned first (regular expressions over its
bytes, no tree), whichever the workbook names first, and one that reaches too far is refused
with a message. The bound is sound: a reference in either quote, with spaces around `=`, is
read; a cell or row without a reference is counted as the one before it plus one, as the
reader does. The reader gives an error cell (`#DIV/0!`, `#N/A`) as empty; the scan finds
those of the first sheet, so they can be named.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from posixpath import join, normpath

MAX_COLUMNS = 1_000  # an extract has tens of columns; Excel allows 16 384
MAX_CELLS = 40_000_000  # the rectangle A1:farthest cell (about 1 GiB as the reader holds it)
MAX_XML = 1 << 31  # bytes of one sheet's XML, unpacked

_Q = rb"""["']"""  # XML allows either quote around a value
# a reference (r=) of a cell (A1) or a row (1), strictly; every r= whatever it holds
_REF = re.compile(rb"\sr\s*=\s*" + _Q + rb"([A-Z]{0,3})([0-9]{1,7})" + _Q)
_ANY_REF = re.compile(rb"\sr\s*=\s*" + _Q + rb"""([^"']*)""" + _Q)
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row[\s/>]")
_ROW_REF = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*?\sr\s*=")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c[\s/>]")
_CELL_REF = re.compile(rb"<(?:[\w.-]+:)?c\b[^>]*?\sr\s*=")
_CELL_DIGITS = re.compile(rb"<(?:[\w.-]+:)?c\b[^>]*?\sr\s*=\s*" + _Q + rb"([0-9]*)" + _Q)
_ERROR = re.compile(rb"<(?:[\w.-]+:)?c\b[^>]*?\st\s*=\s*" + _Q + rb"e" + _Q
                    + rb"[^>]*>(?:<(?:[\w.-]+:)?f\b[^<]*(?:</(?:[\w.-]+:)?f>)?)?"
                    + rb"<(?:[\w.-]+:)?v>([^<]*)<")
_CHUNK = 1 << 23
_SHEETS = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class SheetProblem(Exception):
    """A sheet cannot be read safely; the message says why, in Norwegian."""


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
    """The package path of the sheet the workbook names first (the one the reader reads),
    or None when it cannot be told (then every sheet is still scanned)."""
    names = {n.lower(): n for n in book.namelist()}
    try:
        parts = [book.read(names[p]) for p in ("xl/workbook.xml",
                                                "xl/_rels/workbook.xml.rels")]
    except KeyError:
        return None
    if any(b"<!DOCTYPE" in x or b"<!ENTITY" in x for x in parts):  # no entity tricks
        raise SheetProblem("Excel-filen har en dokumenttypedefinisjon (DOCTYPE), som Excel "
                           "aldri skriver; lagre den på nytt fra Excel")
    try:  # small files, with no DTD (refused above), so no entity can expand
        workbook, rels = (ET.fromstring(x) for x in parts)  # noqa: S314
    except ET.ParseError:
        return None
    first = next((e for e in workbook.iter() if e.tag.rsplit("}", 1)[-1] == "sheet"), None)
    if first is None:
        return None
    ident = first.get(_REL) or next((v for k, v in first.attrib.items()
                                     if k.rsplit("}", 1)[-1] == "id"), None)
    for rel in rels.iter():
        if rel.tag.rsplit("}", 1)[-1] == "Relationship" and rel.get("Id") == ident:
            target = rel.get("Target") or ""
            path = target.lstrip("/") if target.startswith("/") else normpath(
                join("xl", target))
            return names.get(path.lower())
    return None


def _bad(what: str, value: bytes) -> SheetProblem:
    text = value[:20].decode("utf-8", "replace")
    return SheetProblem(f"arket har {what} «{text}»; lagre filen på nytt fra Excel")


def _chunks(xml: bytes) -> list[tuple[int, int]]:
    """Bounds of slices of about _CHUNK bytes, each cut before a row (so a row's cells
    are in one slice)."""
    out, start = [], 0
    while start < len(xml):
        m = _ROW_TAG.search(xml, start + _CHUNK)
        end = m.start() if m else len(xml)
        out.append((start, end))
        start = end
    return out


def _most_unreferenced(part: bytes) -> int:
    """The most cells without a reference in one row of `part` (each is one column further
    than the cell before it)."""
    most = 0
    for row in _ROW_TAG.split(part):
        loose = len(_CELL_TAG.findall(row)) - len(_CELL_REF.findall(row))
        most = max(most, loose)
    return most


def _reach(xml: bytes, errors: list[tuple[int, int, str]] | None) -> tuple[int, int]:
    """(rows, columns) a sheet reaches at most, as the reader will count them."""
    letters: set[bytes] = set()
    numbers: set[bytes] = set()
    loose_rows = loose_cells = 0
    for start, end in _chunks(xml):
        part = xml[start:end]
        refs = _REF.findall(part)
        if len(refs) != len(_ANY_REF.findall(part)):  # some reference is no cell or row
            known = {a + b for a, b in refs}
            bad = next(r for r in _ANY_REF.findall(part) if r not in known)
            raise _bad("en ugyldig cellereferanse" if bad[:1].isalpha() else
                       "en rad med ugyldig nummer", bad)
        rows = len(_ROW_REF.findall(part))
        if sum(1 for a, _ in refs if not a) != rows:  # a cell's reference without letters
            raise _bad("en ugyldig cellereferanse", next(iter(_CELL_DIGITS.findall(part)),
                                                           b""))
        letters.update(a for a, _ in refs)
        numbers.update(b for _, b in refs)
        loose_rows += len(_ROW_TAG.findall(part)) - rows
        if len(_CELL_TAG.findall(part)) > len(refs) - rows:
            loose_cells = max(loose_cells, _most_unreferenced(part))
        if errors is not None and (b'"e"' in part or b"'e'" in part):
            for m in _ERROR.finditer(part):
                ref = _REF.search(part[m.start():m.end()])
                if ref and ref[1]:
                    errors.append((int(ref[2]), column_number(ref[1].decode()),
                                   m.group(1).decode("utf-8", "replace")))
    most_row = 0
    for n in numbers:
        if not 0 < int(n) <= 1_048_576:
            raise _bad("en rad med ugyldig nummer", n)
        most_row = max(most_row, int(n))
    most_col = 0
    for a in letters - {b""}:
        col = column_number(a.decode())
        if col > 16_384:
            raise _bad("en ugyldig cellereferanse", a)
        most_col = max(most_col, col)
    return most_row + loose_rows, most_col + loose_cells


def scan(book: zipfile.ZipFile) -> Sheet:
    """How far the sheets reach (the first sheet's reach and error cells in the result);
    SheetProblem if any reaches too far or holds a reference that is no cell."""
    first = first_sheet(book)
    out = Sheet()
    sheets = [n for n in book.namelist() if _SHEETS.fullmatch(n)]
    if first and first not in sheets:
        sheets.append(first)
    for name in sheets:
        if book.getinfo(name).file_size > MAX_XML:
            raise SheetProblem("et ark i Excel-filen er for stort til å leses (over 2 GiB "
                               "utpakket); del filen eller lagre den som CSV")
        errors: list[tuple[int, int, str]] | None = [] if name == first else None
        rows, columns = _reach(book.read(name), errors)
        if columns > MAX_COLUMNS or rows * columns > MAX_CELLS:
            far = f"{column_letters(columns)}{rows}"
            which = "det første arket" if name == first else "et ark i filen"
            raise SheetProblem(
                f"{which} går helt ut til celle {far} ({_n(rows)} rader × {_n(columns)} "
                f"kolonner), mer enn innsatstrapp leser (høyst {_n(MAX_COLUMNS)} kolonner og "
                f"{_n(MAX_CELLS)} celler); slett tomme rader og kolonner etter tabellen og "
                "lagre på nytt")
        if name == first:
            out.rows, out.columns, out.errors = rows, columns, errors or []
    return out
