"""Benchmark: `kostra import` of a whole KOSTRA table (every municipality of the country, its
KOSTRA groups and the country, ten years, five indicators: 18 600 figures) in each form the
statistics bank gives: read, checked and kept in a fresh store.

    .venv/bin/python bench/kostra.py            # prints a Markdown table for the README

Medians of 5 runs in one process, each import into a fresh store.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "kostra"))
sys.path.insert(0, str(Path(__file__).parent))
from exports import json_stat, long_csv, wide_csv  # the test suite's SSB-shaped writers
from report import machine

from innsatstrapp.kostra import import_file
from innsatstrapp.store import Store

YEARS = [str(y) for y in range(2016, 2026)]
INDICATORS = [f"Nøkkeltall {k} for pleie og omsorg (i kr)" for k in range(1, 6)]
REGIONS = [(f"{3000 + k:04d}", f"Kommune {k}") for k in range(1, 357)] + [
    (f"EKG{k:02d}", f"Kostragruppe {k}") for k in range(1, 16)] + [("EAK", "Landet")]


def figures() -> list[tuple]:
    return [(i, code, name, y, float(200_000 + 37 * k + 11 * j + t))
            for j, i in enumerate(INDICATORS) for k, (code, name) in enumerate(REGIONS)
            for t, y in enumerate(YEARS)]


def median(run, n: int = 5) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(machine())
    print()
    rows = figures()
    print("| form | figures | `kostra import` (median of 5) |")
    print("|---|---:|---:|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {"wide CSV": wide_csv(folder / "w.csv", rows),
                 "long CSV": long_csv(folder / "l.csv", rows),
                 "JSON-stat": json_stat(folder / "j.json", rows)}
        for form, path in files.items():
            def run(path: Path = path) -> None:
                db = folder / "s.duckdb"
                for old in folder.glob("s.*"):
                    old.unlink()
                Store.open(db, create=True).close()
                import_file(path, db)
            print(f"| {form} | {len(rows):,} | {median(run):.2f} s |".replace(",", " "))


if __name__ == "__main__":
    main()
