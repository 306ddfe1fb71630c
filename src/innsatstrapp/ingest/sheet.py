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

# over the sheet's bytes, in chunks: a cell's reference (strict, and any), a row's number,
# an error cell (t="e") with its value
_REF = re.compile(rb'\sr="([A-Z]{0,3})([0-9]{1,7})"')  # a cell's (A1) or a row's (1)
_ANY_REF = re.compile(rb'\sr="([^"]*)"')  # every r= of a cell or a row
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="')
_CELL_DIGITS = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([0-9]*)"')
_ERROR = re.compile(rb'<(?:\w+:)?c\b[^>]*?\st="e"[^>]*>(?:<(?:\w+:)?f\b[^<]*(?:</(?:\w+:)?f>)?)?'
                    rb'<(?:\w+:)?v>([^<]*)<')
_CHUNK = 1 << 23
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


def _chunks(xml: bytes) -> list[tuple[int, int]]:
    """Bounds of slices of about _CHUNK bytes, each cut before a tag."""
    out, start = [], 0
    while start < len(xml):
        end = xml.find(b"<", start + _CHUNK)
        end = len(xml) if end < 0 else end
        out.append((start, end))
        start = end
    return out


def _bad(what: str, value: bytes) -> SheetProblem:
    text = value[:20].decode("utf-8", "replace")
    return SheetProblem(f"arket har {what} «{text}»; lagre filen på nytt fra Excel")


def scan(book: zipfile.ZipFile) -> Sheet:
    """How far the first sheet reaches and where its error cells are; SheetProblem if it
    reaches too far or holds a reference that is no cell. Set-based over slices of the
    XML: the distinct column letters and row numbers, never a list of every cell."""
    path = first_sheet(book)
    out = Sheet()
    if path is None or path not in book.namelist():
        return out  # the reader will say what is wrong
    if book.getinfo(path).file_size > MAX_XML:
        raise SheetProblem("det første arket er for stort til å leses (over 2 GiB utpakket); "
                           "del uttrekket eller lagre det som CSV")
    xml = book.read(path)
    letters: set[bytes] = set()
    numbers: set[bytes] = set()
    for start, end in _chunks(xml):
        part = xml[start:end]
        refs = _REF.findall(part)
        if len(refs) != len(_ANY_REF.findall(part)):  # some reference is no cell or row
            known = {a + b for a, b in refs}
            bad = next(r for r in _ANY_REF.findall(part) if r not in known)
            raise _bad("en ugyldig cellereferanse" if bad[:1].isalpha() else
                       "en rad med ugyldig nummer", bad)
        rows = len(_ROW.findall(part))
        if sum(1 for a, _ in refs if not a) != rows:  # a cell's reference without letters
            bad = next((r for r in _CELL_DIGITS.findall(part)), b"")
            raise _bad("en ugyldig cellereferanse", bad)
        letters.update(a for a, _ in refs)
        numbers.update(b for _, b in refs)
        if b't="e"' not in part:
            continue
        for m in _ERROR.finditer(part):
            tag = part[m.start():m.end()]
            ref = _REF.search(tag)
            if ref:
                out.errors.append((int(ref[2]), column_number(ref[1].decode()),
                                   m.group(1).decode("utf-8", "replace")))
    for n in numbers:
        if not n.isdigit() or not 0 < int(n) <= 1_048_576:
            raise _bad("en rad med ugyldig nummer", n)
        out.rows = max(out.rows, int(n))
    for a in letters - {b""}:
        col = column_number(a.decode())
        if col > 16_384:
            raise _bad("en ugyldig cellereferanse", a)
        out.columns = max(out.columns, col)
    if out.columns > MAX_COLUMNS or out.rows * out.columns > MAX_CELLS:
        far = f"{column_letters(out.columns)}{out.rows}"
        raise SheetProblem(
            f"det første arket går helt ut til celle {far} ({_n(out.rows)} rader × "
            f"{_n(out.columns)} kolonner), mer enn innsatstrapp leser (høyst "
            f"{_n(MAX_COLUMNS)} kolonner og {_n(MAX_CELLS)} celler); slett tomme rader og "
            "kolonner etter tabellen og lagre på nytt")
    return out
