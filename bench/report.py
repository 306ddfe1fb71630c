"""Benchmark: `build_report` + rendering JSON and HTML, on the demo store and on a 60-month,
~1 000 000-decision store.

    .venv/bin/python bench/report.py

Each `innsatstrapp report` is a new process (imports included): the first on a fresh store
(every month and pair it shows decided, the queries compiled), then with the published
reports dropped (decisions and compiled queries kept; median of 3), then as kept (median of
3); last, build_report + render again in the same process (median of 5).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from innsatstrapp.catalog import load_catalog
from innsatstrapp.catalog.template import write_template
from innsatstrapp.demo import LAST_PERIOD, demo_catalog, generate
from innsatstrapp.demo import rows as extract_rows
from innsatstrapp.metrics import build_report
from innsatstrapp.outputs import render
from innsatstrapp.store import ExtractInfo, Store

SCHEMA = pa.schema([("source_row", pa.int32()), ("decision_id", pa.string()),
                    ("person", pa.int64()), ("service", pa.string()),
                    ("start_date", pa.date32()), ("end_date", pa.date32()),
                    ("hours_per_week", pa.float64()), ("resource_hours_per_week", pa.float64()),
                    ("unit", pa.string()), ("birth_year", pa.int16()), ("gender", pa.string()),
                    ("municipality", pa.string())])


def decisions_table(rows: list[tuple]) -> pa.Table:
    """The demo's extract rows (`demo.rows`) as the store's decisions table."""
    cols = list(zip(*rows, strict=True))
    return pa.table({
        "source_row": pa.array(range(2, len(rows) + 2), pa.int32()),
        "decision_id": pa.array(cols[4]), "person": pa.array([int(x) for x in cols[0]]),
        "service": pa.array(cols[3]), "start_date": pa.array(cols[5], pa.date32()),
        "end_date": pa.array(cols[6], pa.date32()),
        "hours_per_week": pa.array(cols[7], pa.float64(), from_pandas=True),
        "resource_hours_per_week": pa.array(cols[8], pa.float64(), from_pandas=True),
        "unit": pa.array(cols[9]), "birth_year": pa.array(cols[1], pa.int16()),
        "gender": pa.array(cols[2]), "municipality": pa.array(["3999"] * len(rows)),
    }, schema=SCHEMA)


def build_store(folder: Path, months: int) -> tuple[Path, Path]:
    """The demo municipality over `months` months, written straight into a store."""
    db = folder / f"store-{months}.duckdb"
    con = duckdb.connect()
    con.register("decisions", generate(seed=3, months=months))
    with Store.open(db, create=True) as store:
        for k in range(months):
            period = LAST_PERIOD.shift(k - months + 1)
            rows = extract_rows(con, period)
            table = decisions_table(rows)
            store.replace_period(ExtractInfo(str(period), period.last_day, "bench.csv",
                                             "0" * 64, "csv", len(rows), 0, (),
                                             dt.datetime.now(), "bench"), table, "bench")
        total = store.con.execute("SELECT count(*) FROM decisions").fetchall()[0][0]
    catalog = folder / "katalog.xlsx"
    write_template(catalog, [], demo_catalog())
    print(f"  store: {months} months, {total:,} decisions", file=sys.stderr)
    return db, catalog


def measure(db: Path, catalog_path: Path, out: Path) -> tuple[float, float, float, float]:
    """(first report on a fresh store: every decision made; the same again with the
    published reports dropped: decisions and compiled queries kept; the same kept as
    published; in-process build + render from what is kept)."""
    history = f"{LAST_PERIOD.shift(-12)},{LAST_PERIOD.shift(-6)}"

    def run() -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "innsatstrapp", "report", "--period",
                        str(LAST_PERIOD), "--catalog", str(catalog_path), "--db", str(db),
                        "--out", str(out), "--history", history], check=True,
                       capture_output=True)
        return time.perf_counter() - start

    first = run()
    built = []
    for _ in range(3):
        con = duckdb.connect(str(db))
        con.execute("DELETE FROM published_reports")
        con.close()
        built.append(run())
    kept = statistics.median(run() for _ in range(3))
    catalog = load_catalog(catalog_path)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        report = build_report(catalog, str(LAST_PERIOD), history=history.split(","), db=db)
        render(report, out, ["json", "html"])
        runs.append(time.perf_counter() - start)
    return first, statistics.median(built), kept, statistics.median(runs)


def machine() -> str:
    """The line every benchmark prints first, so figures can be compared."""
    return (f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
            f"{platform.python_version()}, DuckDB {duckdb.__version__}")


def main() -> None:
    print(machine())
    print()
    print("| store | first report (decides) | decisions kept | report kept | in-process, "
          "kept |")
    print("|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        for months in (24, 60):
            db, catalog = build_store(Path(tmp), months)
            first, built, kept, warm = measure(db, catalog, Path(tmp) / f"out-{months}")
            print(f"| demo, {months} months | {first:.2f} s | {built:.2f} s | {kept:.2f} s "
                  f"| {warm:.2f} s |")


if __name__ == "__main__":
    main()
