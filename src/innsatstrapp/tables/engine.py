"""A plain CSV read straight into DuckDB: the monthly extract's fast way in.

The careful reader (`tables.read`, on pyarrow) knows every way a file can be wrong and says it
in Norwegian, but importing pyarrow is 0,3 s of every ingest. Most extracts are plain: no
quote, one kind of line end, no empty line inside the table, every row as wide as the
header, text the engine decodes as the careful reader would. Such a file is read here by the
engine itself, into the caller's connection, and gives the very cells and row numbers the
careful reader gives (property tests hold the two together). Anything else, and any error
the engine meets, is left to the careful reader, which reads the file or names the rows
that are wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from innsatstrapp.errors import IngestError, Problem

ROW = "_row"  # spreadsheet row number (header = 1)
MAX_FIELD = 10_000  # characters in one cell (a service name, a date, a number)

# An empty line with content after it: the engine skips it, where a spreadsheet (and the
# careful reader) counts it as a row, so the rows after it would be numbered wrong. (Found
# with bytes.find, a hundred times faster than a regular expression over a large file.)
_EMPTY_LINES = (b"\n\n", b"\n\r\n", b"\r\r")
# Bytes where Windows-1252 and Latin-1 differ (€, –, curly quotes): the engine knows Latin-1.
_CP1252_ONLY = bytes(range(0x80, 0xA0))
# Characters the engine reads as a pattern of file names (y[1].csv would read y1.csv).
_GLOB = frozenset("*?[]{}~")


def long_cell(row: int | None, header: str, longest: int) -> Problem:
    """A cell over MAX_FIELD characters: no date, number or name, and it would be echoed whole
    in messages and outputs. Its value is never shown."""
    return Problem(row, header, None, f"har en verdi på {longest:,} tegn; en celle kan ha høyst "
                                      f"{MAX_FIELD:,} tegn".replace(",", " "))


# the engine a plain CSV is read into: a connection, or a function that gives one when the
# engine reads (so the file's checks before it go on while the engine is being made)
Into = duckdb.DuckDBPyConnection | Callable[[], duckdb.DuckDBPyConnection]


def read_into(engine: Into, path: Path, read: tuple[int, int], data: bytes,
              rest: int, *, name: str, encoding: str, delimiter: str, skipped: int,
              headers: list[str]) -> bool:
    """Whether the file was read into the `engine` as the view `raw` (columns c0, c1, … as
    text, empty cells as "", and `_row`). False leaves it as it was, for the careful reader.

    `data` is the file's content as read before, its rows from `rest` on; `read` the file's
    size and modification time just before that; `skipped` the lines above the header. A file
    changed on disk since is left to the careful reader, which reads the content that was
    read (and hashed)."""
    if not _plain(data, rest, encoding) or _GLOB & set(str(path)):
        return False
    con = engine if isinstance(engine, duckdb.DuckDBPyConnection) else engine()
    names = [f"c{i}" for i in range(len(headers))]
    if not _engine_read(con, path, names, skipped, delimiter, encoding):
        return False
    if _state(path) != read:
        release(con)
        return False
    first = skipped + 2  # the row number of the first row below the header
    cells = ", ".join(names)
    con.execute(f"CREATE VIEW raw AS SELECT {cells}, (rowid + {first})::INTEGER AS {ROW} "
                f"FROM raw_cells")
    _long_cells(con, name, names, headers)
    return True


def _plain(data: bytes, rest: int, encoding: str) -> bool:
    """No quote anywhere, no carriage return but in CR LF, no empty line among the rows
    (blank lines at the end are no rows), and in Windows-1252 none of its own bytes.

    Quoting is where the engine and a spreadsheet part: the engine skips records above the
    header, not lines (a quoted title over two lines moves the header); it reads `; "ab"` as
    the cell ab; it drops a last row whose quote is left open; and a stray quote can make it
    lose a cell. So a file with a quote in it (a cell holding a delimiter or a line break)
    is the careful reader's."""
    if data.find(b'"') >= 0:
        return False
    if data.count(b"\r") != data.count(b"\r\n"):  # a line (or a cell) ended by CR alone:
        return False  # the engine reads it as part of the row, a spreadsheet as a row's end
    end = len(data)
    while end > rest and data[end - 1] in b" \t\r\n":
        end -= 1
    if any(data.find(empty, rest, end) >= 0 for empty in _EMPTY_LINES):
        return False
    return encoding != "cp1252" or not _holds_any(data, rest, _CP1252_ONLY)


def _holds_any(data: bytes, start: int, these: bytes) -> bool:
    """Whether any of the bytes `these` occur in `data` from `start`: deleted from slices of
    16 MiB (fast, and the memory of one slice however large the file)."""
    step = 1 << 24
    for i in range(start, len(data), step):
        piece = data[i:i + step]
        if len(piece.translate(None, these)) != len(piece):
            return True
    return False


# No cell is this (a cell that is, is read as missing, and the file goes to the careful
# reader): so an empty cell is "", and NULL is a cell the row does not have.
_NO_CELL = "\x01\x02"


def _engine_read(con: duckdb.DuckDBPyConnection, path: Path, names: list[str], skipped: int,
                 delimiter: str, encoding: str) -> bool:
    """The rows as the table `raw_cells`, when every row has exactly the header's cells.

    The engine forgives what the careful reader (and a spreadsheet) would not: a row with
    one cell more, empty, at its end. So one column more is read and rows are padded: a row
    with a cell in it, or without its last cell, is not plain."""
    columns = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in [*names, "extra"]) + "}"
    try:
        con.execute(
            f"CREATE OR REPLACE TABLE raw_cells AS SELECT * FROM read_csv(?, header = false, "
            f"skip = {skipped + 1}, delim = ?, quote = '\"', escape = '\"', "
            f"columns = {columns}, auto_detect = false, strict_mode = true, "
            f"null_padding = true, nullstr = ?, encoding = ?)",
            [str(path), delimiter, _NO_CELL, "utf-8" if encoding == "utf-8" else "latin-1"])
    except duckdb.Error:
        release(con)
        return False
    uneven = con.execute(f"SELECT count(*) FROM raw_cells WHERE extra IS NOT NULL OR "
                         f"{names[-1]} IS NULL").fetchone()[0]
    if uneven:
        release(con)
        return False
    return True  # the view `raw` leaves the extra column out


def release(con: duckdb.DuckDBPyConnection) -> None:
    """Let the cells `read_into` put in `con` go."""
    con.execute("DROP VIEW IF EXISTS raw")
    con.execute("DROP TABLE IF EXISTS raw_cells")


def _state(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


def _long_cells(con: duckdb.DuckDBPyConnection, name: str, names: list[str],
                headers: list[str]) -> None:
    longest = con.execute("SELECT " + ", ".join(f"coalesce(max(length({n})), 0)" for n in names)
                          + " FROM raw").fetchone() or ()
    bad = [long_cell(con.execute(f"SELECT min({ROW}) FROM raw WHERE length({n}) > {MAX_FIELD}"
                                 ).fetchone()[0], header, most)
           for n, header, most in zip(names, headers, longest, strict=True) if most > MAX_FIELD]
    if bad:
        raise IngestError(name, bad)
