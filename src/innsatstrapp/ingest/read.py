"""Read an extract file (CSV or XLSX) into an Arrow table of text cells.

Everything is read as text: typing happens later, set-based, in DuckDB (validate.py), so that
one rule decides what a date or a number is, whatever the file format.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from innsatstrapp.errors import IngestError, Problem

ROW = "_row"  # spreadsheet row number (header = 1)


@dataclass(frozen=True)
class RawExtract:
    """The extract as text cells, columns named c0, c1, … in file order, plus `_row`."""

    file_name: str
    file_format: str  # "csv" or "xlsx"
    sha256: str
    headers: list[str]
    table: pa.Table
    encoding: str | None = None
    delimiter: str | None = None
    header_row: int = 1


EMPTY = "filen er tom"
NO_ROWS = "filen har kolonneoverskrifter, men ingen rader med vedtak"  # a header only


def read_extract(path: Path) -> RawExtract:
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(name, [Problem(None, None, None, f"finner ikke filen {path}")]) from None
    except IsADirectoryError:
        raise IngestError(name, [Problem(None, None, None, "dette er en mappe, ikke en fil")]
                          ) from None
    except OSError as exc:
        raise IngestError(name, [Problem(None, None, None, f"kan ikke leses: {exc.strerror}")]
                          ) from None
    sha = hashlib.sha256(data).hexdigest()
    if not data.strip():
        raise IngestError(name, [Problem(None, None, None, EMPTY)])
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return _read_xlsx(name, data, sha)
    return _read_csv(name, data, sha)


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
                          "lagre uttrekket som CSV eller XLSX")
    for encoding in ("utf-8", "cp1252"):
        if _decodes(data, encoding):
            return encoding
    raise _fail(name, "tegnkodingen er verken UTF-8 eller Windows-1252")


def _sniff_delimiter(header_line: str) -> str:
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: unquoted.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ";"


def _read_csv(name: str, data: bytes, sha: str) -> RawExtract:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    encoding = _encoding(name, data)
    lines = re.split(rb"\r\n|\r|\n", data, maxsplit=1)
    first_line = lines[0].decode(encoding)
    delimiter = _sniff_delimiter(first_line)
    headers = next(csv.reader([first_line], delimiter=delimiter))
    if len(headers) < 2:
        raise _fail(name, "fant ikke kolonner i første linje; første linje skal være "
                          "kolonneoverskriftene, skilt med semikolon, komma eller tabulator", 1)
    if len(lines) == 1 or not lines[1].strip():
        raise _fail(name, NO_ROWS)
    names = [f"c{i}" for i in range(len(headers))]
    body = pa.py_buffer(data)
    parse = pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                               newlines_in_values=True)
    convert = pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                   strings_can_be_null=False, quoted_strings_can_be_null=False)
    try:
        table = pacsv.read_csv(pa.BufferReader(body), read_options=pacsv.ReadOptions(
            column_names=names, skip_rows=1, block_size=1 << 24, encoding=encoding),
            parse_options=parse, convert_options=convert)
    except pa.ArrowInvalid:
        # Slow path, only to say which lines are wrong (never echo their content: it may hold
        # person ids).
        raise _ragged_rows(name, body, encoding, names, parse, convert) from None
    rows = pa.array(range(2, table.num_rows + 2), pa.int32())
    return RawExtract(name, "csv", sha, headers, table.append_column(ROW, rows),
                      encoding=encoding, delimiter=delimiter)


def _ragged_rows(name: str, body: pa.Buffer, encoding: str, names: list[str],
                 parse: pacsv.ParseOptions,
                 convert: pacsv.ConvertOptions) -> IngestError:
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
            column_names=names, skip_rows=1, use_threads=False, encoding=encoding),
            parse_options=parse, convert_options=convert)
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


def _read_xlsx(name: str, data: bytes, sha: str) -> RawExtract:
    from python_calamine import CalamineWorkbook

    try:
        zipfile.ZipFile(io.BytesIO(data)).testzip()
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        cells = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises its own types for every kind of damage
        raise _fail(name, "Excel-filen er skadet eller ufullstendig og kan ikke leses; "
                          "lagre den på nytt som XLSX") from None
    header_index = next((i for i, r in enumerate(cells) if any(_cell_text(c).strip() for c in r)),
                        None)
    if header_index is None:
        raise _fail(name, "det første arket i Excel-filen er tomt")
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
    return RawExtract(name, "xlsx", sha, headers, table, header_row=header_index + 1)
