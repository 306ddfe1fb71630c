"""Benchmark: movement on the staircase over the whole stored history (contract §6, issue 7):
levels per period and moved down / up / entered / left for every pair of consecutive months
and every age band, on a 60-month, ~1 000 000-decision store, in one process.

    .venv/bin/python bench/movement.py

Times the metric queries only, from the stored decisions to the result rows (imports and the
store are warm; median of three runs).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from report import build_store, machine

from innsatstrapp.catalog import load_catalog
from innsatstrapp.metrics import frame, movement
from innsatstrapp.store import Store


def flows_over_history(db: Path, catalog) -> tuple[float, int]:
    import ibis
    import pyarrow as pa

    with Store.open(db, read_only=True) as store:
        periods = [x.period for x in store.periods()]
        con = ibis.duckdb.from_connection(store.con)
        start = time.perf_counter()
        d = frame.decisions(con, periods, catalog)
        people = con.create_table("p", movement.persons(d), temp=True)
        pairs = ibis.memtable(pa.table({"period": periods[1:], "before": periods[:-1]}))
        rows = frame.rows(con, movement.flows(movement.moved(people, pairs)))
        frame.rows(con, movement.levels(people))
        return time.perf_counter() - start, len(rows)


def main() -> None:
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        db, catalog_path = build_store(Path(tmp), 60)
        catalog = load_catalog(catalog_path)
        flows_over_history(db, catalog)  # warm
        runs = [flows_over_history(db, catalog) for _ in range(3)]
        print(f"| 60 months | history flows + levels, every pair and age band | "
              f"{statistics.median(t for t, _ in runs):.2f} s | {runs[0][1]} rows |")


if __name__ == "__main__":
    main()
