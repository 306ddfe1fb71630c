"""Read a table file (CSV or XLSX) into an Arrow table of text cells.

Everything is read as text: typing happens later, set-based, in DuckDB (`ingest.validate`
for an extract), so that one rule decides what a date or a number is, whatever the file
format. A plain CSV given with an engine (`into`) is read by the engine itself
(`tables.engine`), and pyarrow is imported only when the file needs it.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp.errors import IngestError, InputFileError, MissingFile, Problem, os_reason
from innsatstrapp.tables.engine import MAX_FIELD, ROW, Into, long_cell, read_into

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.csv as pacsv


@dataclass(frozen=True)
class RawTable:
    """The file as text cells, columns named c0, c1, … in file order, plus `_row`."""

    file_name: str
    file_format: str  # "csv" or "xlsx"
    sha256: str
    headers: list[str]
    table: pa.Table | None  # None: the cells are the view `raw` in the engine given (`into`)
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1
    excel_errors: tuple[tuple[int, int, str], ...] = ()  # (row, column index, text)


EMPTY = "filen er tom"
# a header only, in an extract's words (the plan's reader words it for its own files)
NO_ROWS = "filen har kolonneoverskrifter, men ingen rader med vedtak"


MAX_FILE = 1 << 30  # 1 GiB; a month of a large municipality is some 100 MB as CSV
_OLD_EXCEL = b"\xd0\xcf\x11\xe0"  # the compound file of Excel 97–2003 (.xls)


HeaderTest = Callable[[list[str]], bool]
HEADER_SEARCH = 20  # rows with content looked at for the header (title rows above it)


def read_table(path: Path, is_header: HeaderTest | None = None, notes: bool = False,
               into: Into | None = None) -> RawTable:
    """The file as text cells. What it is (CSV or XLSX) is read from its content, whatever
    its name says; work and memory are bounded for any input (see the limits above and
    `sheet`). The header is the first of the first 20 rows with content that `is_header`
    accepts (title rows above it are skipped), else the first row with content. With
    `notes`, lines of a CSV below the table with fewer fields than the header (a source,
    a footnote, as a statistics bank writes them) end it; such a line within the table is
    still rejected. With `into`, a plain CSV is read by that engine (see `tables.engine`)
    and `table` is None; `into` may be a function that gives the engine, called only when
    the engine reads (after the file's own checks, which go on while it is being made)."""
    name = path.name
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise _fail(name, "dette er en mappe, ikke en fil")
        if not stat.S_ISREG(info.st_mode):  # /dev/zero, a pipe: no end, or no content
            raise _fail(name, "dette er ikke en vanlig fil (men for eksempel en enhet eller et "
                              "rør); lagre innholdet som en vanlig fil og prøv igjen")
        if info.st_size > MAX_FILE:
            raise _fail(name, f"filen er {info.st_size / (1 << 30):.1f} GiB, mer enn "
                              f"innsatstrapp leser (1 GiB); del filen".replace(".", ","))
        data = path.read_bytes()
    except FileNotFoundError:
        raise MissingFile(path) from None
    except OSError as exc:
        raise _fail(name, f"kan ikke leses: {os_reason(exc)}") from None
    sha = hashlib.sha256(data).hexdigest()
    if _blank(data):
        raise IngestError(name, [Problem(None, None, None, EMPTY)])
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(name, data, sha, is_header)
    if data[:4] == _OLD_EXCEL:
        raise _fail(name, "dette er en Excel-fil i det gamle formatet (.xls, Excel 97–2003), "
                          "som innsatstrapp ikke leser; lagre den som Excel-arbeidsbok (.xlsx) "
                          "eller CSV")
    engine = (into, path, (info.st_size, info.st_mtime_ns)) if into else None
    return _read_csv(name, data, sha, is_header, notes, engine)


def _blank(data: bytes, start: int = 0) -> bool:
    """Whether `data` from `start` is empty or whitespace only, without copying a large file
    (its first bytes nearly always say no)."""
    head = data[start:start + 4096]
    if head and not head.isspace():
        return False
    return not data[start:].strip()


def _fail(name: str, message: str, row: int | None = None) -> IngestError:
    return IngestError(name, [Problem(row, None, None, message)])


# --- CSV -----------------------------------------------------------------------------------

def _decodes(data: bytes, encoding: str) -> bool:
    """Whether `data` is valid in `encoding`, checked in slices so a large file is not copied."""
    decoder = codecs.getincrementaldecoder(encoding)()
    step = 1 << 20
    try:
        for i in range(0, len(data), step):
            decoder.decode(data[i:i + step], final=i + step >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def _encoding(name: str, data: bytes) -> str:
    if b"\x00" in data[:65536]:
        raise _fail(name, "ser ikke ut som en tekstfil (CSV) eller et Excel-ark (XLSX); "
                          "lagre filen som CSV eller XLSX")
    for encoding in ("utf-8", "cp1252"):
        if _decodes(data, encoding):
            return encoding
    raise _fail(name, "tegnkodingen er verken UTF-8 eller Windows-1252")


def _sniff_delimiter(header_line: str) -> str:
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ";"


_LINE = re.compile(rb"\r\n|\r|\n")
_SEP = re.compile(r'"?sep=(.)"?[;,\t]*', re.IGNORECASE)  # Excel's hint of the delimiter


def _header(name: str, data: bytes, encoding: str, is_header: HeaderTest | None
            ) -> tuple[int, str, str | None, int]:
    """(lines before the header, the header line, the delimiter Excel's `sep=` line gave,
    where the rows start in `data`). Blank lines before the header (also lines of
    delimiters only, as Excel writes an empty row) are skipped, and so are title lines
    when `is_header` finds the header below them."""
    skipped, delimiter, pos = 0, None, 0
    first: tuple[int, str, int] | None = None
    seen = 0
    while pos < len(data) and seen < HEADER_SEARCH:
        m = _LINE.search(data, pos, pos + MAX_FIELD * 10 + 2)
        end = m.start() if m else len(data)
        if not m and end - pos > MAX_FIELD * 10:
            if first:
                break
            raise _fail(name, f"linje {skipped + 1} er over {MAX_FIELD * 10:,} tegn lang; "
                              "første linje skal være kolonneoverskriftene".replace(",", " "),
                        skipped + 1)
        line = data[pos:end].decode(encoding)
        after = m.end() if m else len(data)
        sep = _SEP.fullmatch(line.strip()) if delimiter is None and not skipped else None
        if sep:
            delimiter = sep.group(1)
        elif line.strip(" \t;,"):
            seen += 1
            if first is None:
                first = (skipped, line, after)
            if is_header is None:
                break
            cells = next(csv.reader([line], delimiter=delimiter or _sniff_delimiter(line)))
            if is_header(cells):
                return skipped, line, delimiter, after
        skipped += 1
        pos = after
    if first is None:
        raise _fail(name, EMPTY)
    return first[0], first[1], delimiter, first[2]


def _read_csv(name: str, data: bytes, sha: str, is_header: HeaderTest | None = None,
              notes: bool = False,
              engine: tuple[Into, Path, tuple[int, int]] | None = None
              ) -> RawTable:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    encoding = _encoding(name, data)
    skipped, first_line, delimiter, rest = _header(name, data, encoding, is_header)
    header_row = skipped + 1
    delimiter = delimiter or _sniff_delimiter(first_line)
    headers = next(csv.reader([first_line], delimiter=delimiter))
    if len(headers) < 2:
        raise _fail(name, "fant ikke kolonner i første linje med innhold; den skal være "
                          "kolonneoverskriftene, skilt med semikolon, komma eller tabulator",
                    header_row)
    if _blank(data, rest):
        raise _fail(name, NO_ROWS)
    if engine and not notes and read_into(*engine, data, rest, name=name, encoding=encoding,
                                          delimiter=delimiter, skipped=skipped,
                                          headers=headers):
        return RawTable(name, "csv", sha, headers, None, encoding=encoding,
                        delimiter=delimiter, header_row=header_row)
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(len(headers))]
    body = pa.py_buffer(data)
    parse = pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                               newlines_in_values=True)
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    if notes:
        return _with_notes(name, sha, body, encoding, delimiter, headers, header_row, parse,
                           convert, skipped)
    try:
        table = pacsv.read_csv(pa.BufferReader(body), read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=skipped + 1, block_size=1 << 24,
            encoding=encoding), parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid:
        # Slow path, only to say which lines are wrong (never echo their content: it may hold
        # person ids).
        raise _ragged_rows(name, body, encoding, names, parse, convert, skipped) from None
    rows = pa.array(range(header_row + 1, table.num_rows + header_row + 1), pa.int32())
    table = table.append_column(ROW, rows)
    _long_cells(name, table, headers)
    return RawTable(name, "csv", sha, headers, table, encoding=encoding,
                    delimiter=delimiter, header_row=header_row)


def _with_notes(name: str, sha: str, body: pa.Buffer, encoding: str, delimiter: str,
                headers: list[str], header_row: int, parse: pacsv.ParseOptions,
                convert: pacsv.ConvertOptions, skipped: int) -> RawTable:
    """The table above its notes: short lines are set aside as they are read, and they must
    all come after the table's last row."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    short: list[int] = []
    longer: list[Problem] = []

    def handler(row: pacsv.InvalidRow) -> str:
        if row.actual_columns < row.expected_columns:
            short.append(row.number)
        else:
            longer.append(Problem(row.number, None, None,
                                  f"har {row.actual_columns} felt, men overskriften har "
                                  f"{row.expected_columns} kolonner (sjekk skilletegn og "
                                  f"anførselstegn)"))
        return "skip"

    parse = pacsv.ParseOptions(delimiter=parse.delimiter, ignore_empty_lines=False,
                               newlines_in_values=True, invalid_row_handler=handler)
    try:
        table = pacsv.read_csv(pa.BufferReader(body), read_options=pacsv.ReadOptions(
            column_names=[f"c{i}" for i in range(len(headers))], skip_rows=skipped + 1,
            use_threads=False, encoding=encoding), parse_options=parse,
            convert_options=convert)
    except pa.ArrowInvalid:
        raise IngestError(name, [Problem(None, None, None, "kan ikke leses som CSV (sjekk "
                                                           "anførselstegn)")]) from None
    last = header_row + table.num_rows  # the table's last line, if no short line is within
    within = [Problem(n, None, None, f"har færre felt enn overskriften ({len(headers)} "
                                     f"kolonner), men står inne i tabellen")
              for n in short if n <= last]
    if longer or within:
        bad = sorted([*longer, *within], key=lambda p: p.row or 0)
        raise IngestError(name, bad[:20], total=len(bad))
    rows = pa.array(range(header_row + 1, last + 1), pa.int32())
    table = table.append_column(ROW, rows)
    _long_cells(name, table, headers)
    return RawTable(name, "csv", sha, headers, table, encoding=encoding,
                    delimiter=delimiter, header_row=header_row)


def _long_cells(name: str, table: pa.Table, headers: list[str]) -> None:
    """No cell over MAX_FIELD characters (`engine.long_cell`)."""
    import pyarrow.compute as pc

    bad: list[Problem] = []
    for i, header in enumerate(headers):
        col = table.column(f"c{i}")
        longest = pc.max(pc.utf8_length(col)).as_py() if len(col) else 0
        if longest and longest > MAX_FIELD:
            at = pc.index(pc.greater(pc.utf8_length(col), MAX_FIELD), True).as_py()
            bad.append(long_cell(table.column(ROW)[at].as_py(), header, longest))
    if bad:
        raise IngestError(name, bad)


def _ragged_rows(name: str, body: pa.Buffer, encoding: str, names: list[str],
                 parse: pacsv.ParseOptions, convert: pacsv.ConvertOptions,
                 skipped: int = 0) -> IngestError:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    bad: list[Problem] = []

    def handler(row: pacsv.InvalidRow) -> str:
        line = row.number  # the line in the file, header included
        bad.append(Problem(line, None, None,
                           f"har {row.actual_columns} felt, men overskriften har "
                           f"{row.expected_columns} kolonner (sjekk skilletegn og anførselstegn)"))
        return "skip"

    parse = pacsv.ParseOptions(delimiter=parse.delimiter, ignore_empty_lines=False,
                               newlines_in_values=True, invalid_row_handler=handler)
    with contextlib.suppress(pa.ArrowInvalid):
        pacsv.read_csv(pa.BufferReader(body), read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=skipped + 1, use_threads=False,
            encoding=encoding), parse_options=parse, convert_options=convert)
    if not bad:
        bad.append(Problem(None, None, None, "kan ikke leses som CSV (sjekk anførselstegn)"))
    return IngestError(name, bad[:20], total=len(bad))


# --- XLSX ----------------------------------------------------------------------------------

def _cell_text(value: object) -> str:
    """A typed spreadsheet cell as the text a CSV export would hold."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "SANN" if value else "USANN"  # never a number of hours
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(name: str, data: bytes, sha: str, is_header: HeaderTest | None = None
               ) -> RawTable:
    import zipfile  # here: a CSV's ingest need not import it, nor the sheet's scan

    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    from innsatstrapp.tables.sheet import SheetProblem, scan

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as packed:
            packed.testzip()
            if sum(i.file_size for i in packed.infolist()) > 4 * MAX_FILE:
                raise _fail(name, "Excel-filen pakkes ut til over 4 GiB, mer enn innsatstrapp "
                                  "leser; del filen eller lagre den som CSV")
            sheet_scan = scan(packed)
    except SheetProblem as exc:
        raise _fail(name, str(exc)) from None
    except IngestError:
        raise
    except Exception:  # not a zip, or a damaged one
        raise _fail(name, "Excel-filen er skadet eller ufullstendig og kan ikke leses; "
                          "lagre den på nytt som XLSX") from None
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own types for every kind of damage
        raise _fail(name, "Excel-filen er skadet eller ufullstendig og kan ikke leses; "
                          "lagre den på nytt som XLSX") from None
    filled: list[int] = []  # the first rows with content
    for i, r in enumerate(cells):
        if any(_cell_text(c).strip() for c in r):
            filled.append(i)
            if len(filled) == HEADER_SEARCH:
                break
    if not filled:
        raise _fail(name, "det første arket i Excel-filen er tomt")
    header_index = filled[0]
    if is_header is not None:
        header_index = next((i for i in filled[:HEADER_SEARCH]
                             if is_header([_cell_text(c) for c in cells[i]])), header_index)
    headers = [_cell_text(c) for c in cells[header_index]]
    while headers and not headers[-1].strip():
        headers.pop()
    width = len(headers)
    body = cells[header_index + 1:]
    names = [f"c{i}" for i in range(width)]
    columns = list(zip(*body, strict=False)) if body else [() for _ in names]
    arrays = [pa.array([_cell_text(v) for v in col], pa.string()) for col in columns[:width]]
    while len(arrays) < width:
        arrays.append(pa.array([""] * len(body), pa.string()))
    first = header_index + 2
    arrays.append(pa.array(range(first, first + len(body)), pa.int32()))
    table = pa.Table.from_arrays(arrays, names=[*names, ROW])
    _long_cells(name, table, headers)
    errors = tuple((r, c - 1, text) for r, c, text in sheet_scan.errors
                   if r > header_index + 1 and c <= width)
    return RawTable(name, "xlsx", sha, headers, table, header_row=header_index + 1,
                    excel_errors=errors)


def read_input(path: Path | str, what: str, empty: bool = False,
               is_header: HeaderTest | None = None, notes: bool = False) -> RawTable | None:
    """An input file other than the extract (the plan's, KOSTRA's), read as `read_table`
    reads one, its rejections worded for it (`what`: «Befolkningsfilen»). A file with only a
    header is None when `empty` is allowed (no scenarios, no accounts), else rejected."""
    try:
        return read_table(Path(path), is_header, notes)
    except MissingFile as e:
        raise MissingFile(e.path, what) from None
    except IngestError as e:
        no_rows = len(e.problems) == 1 and e.problems[0].message in (NO_ROWS, EMPTY)
        if no_rows and empty:
            return None
        problems = [Problem(None, None, None, "filen har kolonneoverskrifter, men ingen rader")
                    ] if no_rows else e.problems
        raise InputFileError(e.file, problems, e.total, what=what) from None
