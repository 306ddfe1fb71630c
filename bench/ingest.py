"""Benchmark: ingest of a 15 000-row CSV, a 15 000-row XLSX and a 1 000 000-row CSV.

    .venv/bin/python bench/ingest.py            # prints a Markdown table for the README

Each case runs in its own process (so peak memory is that case's alone), three times; the
table shows the median ingest time (reading, checking, pseudonymising and storing, into a
fresh store) and the peak resident memory of the process.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from innsatstrapp.demo import LAST_PERIOD, generate, write_csv, write_xlsx
from innsatstrapp.demo import rows as extract_rows


def make_files(folder: Path) -> dict[str, Path]:
    con = duckdb.connect()
    con.register("decisions", generate(seed=1, months=24))
    rows = extract_rows(con, LAST_PERIOD)
    files = {"csv-15k": folder / "15k.csv", "xlsx-15k": folder / "15k.xlsx",
             "csv-1m": folder / "1m.csv"}
    write_csv(files["csv-15k"], rows[:15_000])
    write_xlsx(files["xlsx-15k"], rows[:15_000])
    # 1 000 000 rows: the month repeated with fresh person and decision ids.
    con.register("one", write_rows_table(rows))
    copies = -(-1_000_000 // len(rows))
    con.execute(f"""
      COPY (SELECT (pid::BIGINT + k * 1000000)::VARCHAR AS "Løpenummer", birth AS "Fødselsår",
                   gender AS "Kjønn", service AS "Tjeneste", vid || '-' || k AS "Vedtaksnr",
                   strftime(s, '%d.%m.%Y') AS "Fra dato",
                   coalesce(strftime(e, '%d.%m.%Y'), '') AS "Til dato",
                   coalesce(replace(printf('%.2f', hours), '.', ','), '') AS "Vedtatte timer",
                   coalesce(replace(printf('%.2f', resource), '.', ','), '') AS "Ressurstimer",
                   unit AS "Avdeling"
            FROM one, range({copies}) r(k) LIMIT 1000000)
      TO '{files["csv-1m"]}' (HEADER, DELIMITER ';')""")
    return files


def write_rows_table(rows: list[tuple]):
    import pyarrow as pa

    cols = list(zip(*rows, strict=True))
    names = ["pid", "birth", "gender", "service", "vid", "s", "e", "hours", "resource", "unit",
             "clerk"]
    return pa.table({n: pa.array(c) for n, c in zip(names, cols, strict=True)})


def one_run(path: str) -> None:
    """Child process: ingest once into a fresh store; print seconds and peak memory."""
    from innsatstrapp.ingest import ingest_file

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        result = ingest_file(path, "2026-10", db=Path(tmp) / "bench.duckdb")
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak": peak_memory(), "rows": result.extract.rows}))


def peak_memory() -> int:
    """Peak resident memory of this process in bytes. On Linux VmHWM, because ru_maxrss
    survives exec and would report the (larger) parent that generated the files."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        one_run(sys.argv[2])
        return
    with tempfile.TemporaryDirectory() as tmp:
        files = make_files(Path(tmp))
        print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
              f"{platform.system()} {platform.release()}")
        print()
        print("| case | rows | ingest time (median of 3) | peak memory |")
        print("|---|---:|---:|---:|")
        for case, path in files.items():
            runs = [json.loads(subprocess.run(
                [sys.executable, __file__, "--one", str(path)], capture_output=True, text=True,
                check=True).stdout) for _ in range(3)]
            secs = statistics.median(r["seconds"] for r in runs)
            peak = max(r["peak"] for r in runs) / 2**20
            print(f"| {case} | {runs[0]['rows']:,} | {secs:.2f} s | {peak:.0f} MiB |")


if __name__ == "__main__":
    main()
