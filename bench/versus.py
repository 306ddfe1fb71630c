"""Benchmark: the month of this install against another install's, in turns.

    .venv/bin/python bench/versus.py OTHER_PYTHON [--turns 21]

OTHER_PYTHON is the interpreter of a venv that holds another version of innsatstrapp (for
example `python3 -m venv /tmp/old && /tmp/old/bin/pip install <a checkout of the commit>`).
The month (`ingest` of the demo's newest Profil CSV into a fresh store, then `report
--format json,html`) is run by each in turns, the first of each pair alternating, and the
bare DuckDB process of `month.py` after every pair; each once untimed first. The medians
and their ratios to the bare process are printed.

`month.py` runs its cases one version after the other, so a change of a few percent drowns
in what the machine does from one minute to the next; taken in turns, the two versions see
the same minutes.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from month import BARE, ENV, month_files

from innsatstrapp.demo import LAST_PERIOD


def run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - start


def month(python: str, folder: Path, csv: Path, catalog: Path) -> tuple[float, float]:
    """(ingest, report) of the month by `python`, in a fresh store in `folder`."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    db, period = folder / "innsatstrapp.duckdb", str(LAST_PERIOD)
    ingest = run([python, "-m", "innsatstrapp", "ingest", str(csv), "--period", period,
                  "--db", str(db)])
    report = run([python, "-m", "innsatstrapp", "report", "--period", period, "--catalog",
                  str(catalog), "--db", str(db), "--out", str(folder / "rapport"),
                  "--format", "json,html"])
    return ingest, report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("other", help="the other install's Python")
    parser.add_argument("--turns", type=int, default=21)
    args = parser.parse_args()
    versions = {"this": sys.executable, "other": args.other}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv, catalog, n = month_files(tmp)
        bare = [sys.executable, "-c", BARE.replace("{as_of}", LAST_PERIOD.last_day.isoformat()),
                str(csv)]
        for name, python in versions.items():  # bytecode written, statements compiled
            month(python, tmp / name, csv, catalog)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
        bares = []
        for turn in range(args.turns):
            order = list(versions) if turn % 2 == 0 else list(reversed(versions))
            for name in order:
                times[name].append(month(versions[name], tmp / name, csv, catalog))
            bares.append(run(bare))
    base = statistics.median(bares)
    print(f"The month ({n:,} rows; ingest + report json,html, fresh store), median of "
          f"{args.turns} turns; the bare DuckDB process {base:.3f} s".replace(",", " ", 1))
    print()
    print("| version | ingest | report | month | month / bare |")
    print("|---|---:|---:|---:|---:|")
    for name, python in versions.items():
        ingest = statistics.median(i for i, _ in times[name])
        report = statistics.median(r for _, r in times[name])
        whole = statistics.median(i + r for i, r in times[name])
        print(f"| {name} ({python}) | {ingest:.3f} s | {report:.3f} s | {whole:.3f} s | "
              f"{whole / base:.2f}× |")


if __name__ == "__main__":
    main()
