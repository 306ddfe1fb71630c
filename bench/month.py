"""Benchmark: the analyst's monthly run as whole processes, against what the engine needs.

    .venv/bin/python bench/month.py [--pairs 5]     # prints a Markdown table for the README

Six cases, each run as new processes (imports and start-up included), A and its baseline B
taken in turns (A B A B …) so both see the same machine, median of `--pairs`. The month
runs once untimed first, as on an analyst's machine after the first month: the package's
bytecode is written and the report's statements are compiled and in the user's cache.

- **month**: `innsatstrapp ingest` of the demo's newest Profil CSV into a fresh store, then
  `innsatstrapp report --format json,html`; B is one bare DuckDB process that reads the same
  file and counts the active decisions per service (the figure a report starts from);
- **next month**: the same, but the month is the 24th, ingested into a store that holds the
  23 before it with their suppression decided (as their reports left it); the store remembers
  no catalog (the months were ingested without `--catalog`), so `ingest` decides nothing and
  the report, comparing with the month before, decides the new month and the pair;
- **next month, catalog remembered**: the same store, but it remembers the catalog (as after
  the user guide's `ingest --catalog`), so `ingest` decides the new month and the pair and
  makes the dashboard's first view (every month) and the month's report ready; the report
  then finds them made;
- **ingest**: the month's `innsatstrapp ingest` alone, into a fresh store; B as above;
- **report**: `innsatstrapp report --format json,html` on a 24-month demo store whose
  suppression decisions are kept (`ingest --catalog` made them) and whose published reports
  are dropped before each run (a report not yet made); B is the bare DuckDB process;
- **--help**: `innsatstrapp --help`; B is `python -c pass` (the interpreter's own start).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from innsatstrapp.catalog.registered import register
from innsatstrapp.catalog.template import write_template
from innsatstrapp.demo import LAST_PERIOD, demo_catalog, generate, write_csv
from innsatstrapp.demo import rows as extract_rows
from innsatstrapp.demo.extracts import write_extracts

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
from report import build_store  # noqa: E402  (the 24-month store the report bench uses)

CLI = [sys.executable, "-m", "innsatstrapp"]
# as on a user's machine, where the installed package has its bytecode: a shell that says
# not to write it would have every run compile the package's source again
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
BARE = """
import sys, duckdb
con = duckdb.connect()
rows = con.execute('''
  SELECT "Tjeneste", count(*) FROM read_csv(?, delim=';', header=true, encoding='latin-1',
                                            all_varchar=true)
  WHERE strptime("Fra dato", '%d.%m.%Y') <= DATE '{as_of}'
    AND ("Til dato" IS NULL OR strptime("Til dato", '%d.%m.%Y') >= DATE '{as_of}')
  GROUP BY 1''', [sys.argv[1]]).fetchall()
assert sum(n for _, n in rows) > 0
"""


def timed(commands: list[list[str]]) -> float:
    """Wall time of `commands` run one after the other, each a new process."""
    start = time.perf_counter()
    for c in commands:
        subprocess.run(c, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def paired(a, b, pairs: int) -> tuple[float, float]:
    """Medians of A and B taken in turns; `a` and `b` are called before each run (they set
    up and return the commands)."""
    ta, tb = [], []
    for _ in range(pairs):
        ta.append(timed(a()))
        tb.append(timed(b()))
    return statistics.median(ta), statistics.median(tb)


def month_files(folder: Path) -> tuple[Path, Path, int]:
    """The demo's newest month as a Profil CSV (Windows-1252, as the demo writes it), and
    the demo catalog."""
    con = duckdb.connect()
    con.register("decisions", generate(seed=1, months=24))
    rows = extract_rows(con, LAST_PERIOD)
    csv = folder / f"profil_{LAST_PERIOD}.csv"
    write_csv(csv, rows)
    catalog = folder / "katalog.xlsx"
    write_template(catalog, [], demo_catalog())
    return csv, catalog, len(rows)


def earlier_months(folder: Path, catalog: Path) -> Path:
    """A store of the 23 months before the newest (same seed as `month_files`), ingested
    without `--catalog` and with every month and pair decided, as their reports leave it."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.ingest import ingest_file
    from innsatstrapp.metrics.build import decide_all

    db = folder / "earlier" / "innsatstrapp.duckdb"
    for period, path in write_extracts(folder / "earlier", seed=1, months=24)[:-1]:
        ingest_file(path, period, db=db)
    decide_all(load_catalog(catalog), db=db)
    return db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=5)
    pairs = parser.parse_args().pairs
    period, as_of = str(LAST_PERIOD), LAST_PERIOD.last_day
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, DuckDB {duckdb.__version__}; median of {pairs} "
          f"pairs")
    print()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv, catalog, n = month_files(tmp)
        bare = [[sys.executable, "-c", BARE.replace("{as_of}", as_of.isoformat()), str(csv)]]

        def commands(store: Path) -> list[list[str]]:
            """The month's two commands (ingest, report) on the store in `store`."""
            db = store / "innsatstrapp.duckdb"
            return [[*CLI, "ingest", str(csv), "--period", period, "--db", str(db)],
                    [*CLI, "report", "--period", period, "--catalog", str(catalog), "--db",
                     str(db), "--out", str(store / "rapport"), "--format", "json,html"]]

        def month() -> list[list[str]]:
            store = tmp / "month"
            shutil.rmtree(store, ignore_errors=True)
            store.mkdir()
            return commands(store)

        def ingest() -> list[list[str]]:
            return month()[:1]

        earlier = earlier_months(tmp, catalog)

        remembering = tmp / "remembering" / "innsatstrapp.duckdb"
        shutil.copytree(earlier.parent, remembering.parent,
                        ignore=shutil.ignore_patterns("uttrekk"))
        register(remembering, catalog)

        def next_month(earlier: Path = earlier) -> list[list[str]]:
            store = tmp / "next"
            shutil.rmtree(store, ignore_errors=True)
            shutil.copytree(earlier.parent, store, ignore=shutil.ignore_patterns("uttrekk"))
            return commands(store)

        timed(month())  # once untimed: bytecode written, and the statements compiled once

        # in a folder of its own: its catalog file is another (written anew, another hash)
        (tmp / "kept").mkdir()
        demo_db, demo_catalog_file = build_store(tmp / "kept", 24)
        # the decisions made once, as `ingest --catalog` makes them
        timed([[*CLI, "report", "--period", period, "--catalog", str(demo_catalog_file),
                "--db", str(demo_db), "--out", str(tmp / "r0"), "--format", "json"]])

        def report() -> list[list[str]]:
            con = duckdb.connect(str(demo_db))
            con.execute("DELETE FROM published_reports")  # not yet made; decisions kept
            con.close()
            return [[*CLI, "report", "--period", period, "--catalog",
                     str(demo_catalog_file), "--db", str(demo_db), "--out", str(tmp / "r"),
                     "--format", "json,html"]]

        on_bare = "bare DuckDB: read the CSV, active per service"
        cases = [
            (f"month: ingest ({n:,} rows) + report json,html, fresh store".replace(",", " ", 1),
             month, on_bare, lambda: bare),
            ("next month: the same into a store of the 23 months before, decided", next_month,
             on_bare, lambda: bare),
            ("next month, the store remembering the catalog (ingest decides)",
             lambda: next_month(remembering),
             on_bare, lambda: bare),
            (f"ingest ({n:,} rows) alone, fresh store".replace(",", " ", 1), ingest,
             on_bare, lambda: bare),
            ("report json,html, 24-month store, decisions kept", report,
             on_bare, lambda: bare),
            ("innsatstrapp --help", lambda: [[*CLI, "--help"]], "python -c pass",
             lambda: [[sys.executable, "-c", "pass"]]),
        ]
        print("| case | innsatstrapp | baseline | ratio |")
        print("|---|---:|---:|---:|")
        for name, a, base, b in cases:
            ta, tb = paired(a, b, pairs)
            print(f"| {name} | {ta:.2f} s | {tb:.2f} s ({base}) | {ta / tb:.1f}× |")


if __name__ == "__main__":
    main()
