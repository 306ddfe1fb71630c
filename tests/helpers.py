"""Helpers to write small hand-made extracts and to snapshot a store."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa

from innsatstrapp.store import ExtractInfo, Store

HEADER = ["Løpenummer", "Tjeneste", "Fra dato", "Til dato", "Vedtatte timer per uke",
          "Saksbehandler"]


def write_csv(path: Path, rows: list[list[object]], header: list[str] | None = None,
              delimiter: str = ";", encoding: str = "cp1252", bom: bool = False) -> Path:
    """A CSV as an EPJ exports it: everything text, no quoting unless needed."""
    lines = [delimiter.join(header or HEADER)]
    for row in rows:
        cells = ["" if c is None else str(c) for c in row]
        lines.append(delimiter.join(f'"{c}"' if delimiter in c else c for c in cells))
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def write_xlsx(path: Path, rows: list[list[object]], header: list[str] | None = None) -> Path:
    """An XLSX with typed cells where Python values are typed (dates, numbers)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    datef = book.add_format({"num_format": "dd.mm.yyyy"})
    for c, h in enumerate(header or HEADER):
        sheet.write_string(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(v, dt.time()), datef)
            elif isinstance(v, int | float):
                sheet.write_number(r, c, v)
            else:
                sheet.write_string(r, c, v)
    book.close()
    return path


def snapshot(db: Path) -> dict[str, object]:
    """Everything a store holds (and whether it and its key exist), to compare before/after."""
    key = db.with_suffix(".key")
    state: dict[str, object] = {"exists": db.exists(), "key": key.read_bytes()
                                if key.exists() else None}
    if db.exists():
        con = duckdb.connect(str(db), read_only=True)
        for (table,) in con.execute("SELECT table_name FROM information_schema.tables "
                                    "ORDER BY table_name").fetchall():
            state[table] = sorted(map(repr, con.execute(f"SELECT * FROM {table}").fetchall()))
        con.close()
    return state


ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"  # screenshots to look at


def store_periods(folder: Path, extracts: list[tuple[str, dt.date, list[dict]]]) -> Path:
    """A store with these decision rows per period, written directly (ids already pseudonyms)."""
    db = folder / "s.duckdb"
    with Store.open(db, create=True) as s:
        for period, as_of, rows in extracts:
            table = pa.Table.from_pylist([{
                "source_row": i + 2, "decision_id": None, "unit": None, "birth_year": None,
                "gender": None, "municipality": None, **r} for i, r in enumerate(rows)],
                schema=pa.schema([("source_row", pa.int32()), ("decision_id", pa.string()),
                                  ("person", pa.int64()), ("service", pa.string()),
                                  ("start_date", pa.date32()), ("end_date", pa.date32()),
                                  ("hours_per_week", pa.float64()),
                                  ("resource_hours_per_week", pa.float64()),
                                  ("unit", pa.string()), ("birth_year", pa.int16()),
                                  ("gender", pa.string()), ("municipality", pa.string())]))
            present = tuple(c for c in table.schema.names if c != "source_row")  # every column
            s.replace_period(ExtractInfo(period, as_of, "x.csv", "0" * 64, "csv", len(rows),
                                         0, present, dt.datetime(2024, 2, 1), "test"), table,
                             "k")
    return db


def heavy_modules_after_build(db, catalog_file, history: list[str] | None = None) -> list[str]:
    """The heavy libraries (Ibis, pandas) a new process imports to build January 2024's
    reports from `db`: none, when what it needs is kept in the store."""
    import subprocess
    import sys

    code = ("import sys\n"
            "from innsatstrapp.catalog import load_catalog\n"
            "from innsatstrapp.metrics import build_reports\n"
            f"r = build_reports(load_catalog({str(catalog_file)!r}), '2024-01', "
            f"history={history!r}, db={str(db)!r})\n"
            "assert r[None].period == '2024-01' and r[None].transitions is not None\n"
            "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'ibis', 'pandas'})))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    return [m for m in out.stdout.strip().split(",") if m]


def local_client(app):
    """A test client that calls the dashboard by its own name, as a browser on the machine
    does (the dashboard refuses other Host headers)."""
    from fastapi.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1")


@contextlib.contextmanager
def served(app) -> Iterator[str]:
    """The app served by uvicorn on a free local port in a thread: its base URL."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    for _ in range(200):
        if srv.started:
            break
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=5)
