"""Benchmark: the plan to 2040 with five scenarios on a store of ~20 000 users.

    .venv/bin/python bench/plan.py

The store is the demo municipality three times over (other seeds, other person ids), one
month. Measured in one process after imports (median of 5): `build_plan` without suppression
(the plan's own work: two queries, the rates, the projection), with suppression the first
time (also deciding the month's statuses, as the report does) and again (decided; as in the
dashboard), and `with_scenarios` (a scenario edited on the page «Framtid»). Then
`innsatstrapp plan` as a new process writing JSON, HTML, XLSX and PPTX.
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

from innsatstrapp.catalog import load_catalog
from innsatstrapp.catalog.template import write_template
from innsatstrapp.demo import LAST_PERIOD, demo_catalog, generate
from innsatstrapp.demo import rows as extract_rows
from innsatstrapp.demo.plan_inputs import write_inputs
from innsatstrapp.metrics import publish
from innsatstrapp.plan.build import build_plan, with_scenarios
from innsatstrapp.plan.scenarios import Scenario, Shift
from innsatstrapp.store import ExtractInfo, Store

sys.path.insert(0, str(Path(__file__).parent))
from report import decisions_table

SCENARIOS = """Scenario;Fra trinn;Til trinn;Andel;Startår;Fullt år
Dreiing mot hjemmet;Trinn 6;Trinn 4;15;2027;2032
Dreiing mot hjemmet;Trinn 4;Trinn 3;10;2027;2032
Tidlig innsats;Trinn 3;Trinn 2;10;2027;2030
Tidlig innsats;Trinn 2;Trinn 1;10;2027;2030
Flere på sykehjem;Trinn 4;Trinn 6;5;2028;2030
Velferdsteknologi;Trinn 2;Grunnmur;20;2027;2035
Hverdagsrehabilitering;Trinn 3;Trinn 1;12;2027;2029
"""


def build_store(folder: Path) -> tuple[Path, Path]:
    db = folder / "store.duckdb"
    parts = []
    for k, seed in enumerate((3, 4, 5)):
        con = duckdb.connect()
        con.register("decisions", generate(seed=seed, months=2))
        for row in extract_rows(con, LAST_PERIOD):
            parts.append((int(row[0]) + k * 10_000_000, *row[1:]))
    table = decisions_table(parts)
    with Store.open(db, create=True) as store:
        store.replace_period(ExtractInfo(str(LAST_PERIOD), LAST_PERIOD.last_day, "bench.csv",
                                         "0" * 64, "csv", len(parts), 0, (),
                                         dt.datetime.now(), "bench"), table, "bench")
        users = store.con.execute(
            "SELECT count(DISTINCT person) FROM decisions d JOIN extracts x USING (period) "
            "WHERE start_date <= x.as_of AND (end_date IS NULL OR end_date >= x.as_of)"
        ).fetchall()[0][0]
    catalog = folder / "katalog.xlsx"
    write_template(catalog, [], demo_catalog())
    print(f"  store: {len(parts):,} decision rows, {users:,} users at D", file=sys.stderr)
    return db, catalog


def median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db, catalog_path = build_store(folder)
        catalog = load_catalog(catalog_path)
        inputs = write_inputs(folder / "plan-input", catalog, str(LAST_PERIOD), db)
        (folder / "plan-input" / "scenarier.csv").write_text(SCENARIOS, encoding="utf-8")
        period = str(LAST_PERIOD)

        def plan(n: int):
            return build_plan(catalog, period, inputs["population"],
                              accounts=inputs["accounts"], scenarios=inputs["scenarios"],
                              suppress=n, db=db)

        built = plan(0)  # warms DuckDB and the imports
        assert len(built.plan.scenarios) == 6 and built.plan.to_year == 2040
        bare = median(lambda: plan(0))

        def first() -> None:
            publish._CACHE.clear()
            plan(5)

        cold = median(first)
        warm = median(lambda: plan(5))
        edited = [Scenario(s.name, tuple(Shift(x.source, x.target, x.share / 2, x.start, x.full)
                                         for x in s.shifts)) for s in built.scenarios]
        edit = median(lambda: with_scenarios(built, edited), runs=20)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "innsatstrapp", "plan", "--period", period,
                        "--catalog", str(catalog_path), "--db", str(db), "--out",
                        str(folder / "plan"), "--population", str(inputs["population"]),
                        "--accounts", str(inputs["accounts"]), "--scenarios",
                        str(inputs["scenarios"])], check=True, capture_output=True)
        cli = time.perf_counter() - start
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, DuckDB {duckdb.__version__}")
    print("| step | time |\n|---|---:|")
    print(f"| build_plan, no suppression | {bare:.2f} s |")
    print(f"| build_plan, suppression decided for the month | {cold:.2f} s |")
    print(f"| build_plan, month already decided | {warm:.2f} s |")
    print(f"| a scenario edited (with_scenarios) | {edit * 1000:.0f} ms |")
    print(f"| `innsatstrapp plan`, new process, JSON+HTML+XLSX+PPTX | {cli:.2f} s |")


if __name__ == "__main__":
    main()
