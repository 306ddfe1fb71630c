"""Benchmark: what suppression withholds, and what it costs, on the demo store (24 months,
17 units, threshold 5).

    .venv/bin/python bench/disclosure.py [--db innsatstrapp-demo/innsatstrapp.duckdb
                                          --catalog innsatstrapp-demo/katalog.xlsx]

Every month's report (against the month before, the whole municipality and each unit) is
built twice, without suppression (the true figures) and with it, and compared figure by
figure. Utility targets (issue 14): no headline or step figure of 20 or more withheld in any
month; of group and service counts of 100 or more, at most 2 % of month-cells withheld;
withheld cells in total at most 60 % of the greedy algorithm's (its figures recorded below,
measured on the same store before it was replaced). Also: the dashboard's history view (the
newest month with every month), and the plan's matrix and rates.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from report import build_store, machine

from innsatstrapp.catalog import load_catalog
from innsatstrapp.metrics import build_reports
from innsatstrapp.model.base import dump

# measured with the greedy rule + SVD audit (commit 2ff5059) on the demo store built by
# `build_store(…, 24)`, threshold 5
GREEDY = {"months": 24, "seconds": 67.1, "withheld": 39398, "numbers": 461027,
          "big_steps": 25, "big_steps_of": 552, "big_groups": 375, "big_groups_of": 1247,
          "report": 574, "report_of": 1731, "history": (1365, 3792)}

_SKIP = {"order", "schema_version", "suppression_threshold", "provenance", "suppressed",
         "top10_users"}


def leaves(raw: object, pub: object, path: tuple = ()) -> list[tuple[tuple, float, bool]]:
    """(path, true value, withheld) for every number of a report (lists of numbers, such as
    the Lorenz curve, count as one figure)."""
    out = []
    if isinstance(raw, dict):
        for k, v in raw.items():
            if k in _SKIP:
                continue
            out += leaves(v, pub.get(k) if isinstance(pub, dict) else None, (*path, k))
    elif isinstance(raw, list):
        if raw and all(isinstance(x, int | float) for x in raw):
            return [(path, float(len(raw)), pub is None)]
        for i, v in enumerate(raw):
            out += leaves(v, pub[i] if isinstance(pub, list) and i < len(pub) else None,
                          (*path, i))
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        out.append((path, float(raw), pub is None))
    return out


def month_figures(catalog, db: Path, period: str, n: int) -> list[tuple[str | None, tuple,
                                                                         float, bool]]:
    raw = build_reports(catalog, period, suppress=0, db=db)
    pub = build_reports(catalog, period, suppress=n, db=db)
    out = []
    for unit, r in raw.items():
        a, b = dump(r), dump(pub[unit])
        out += [(unit, p, v, w) for p, v, w in leaves(a, b)]
    return out


def big(path: tuple, value: float, tables: tuple[str, ...], fields: tuple[str, ...],
        least: float) -> bool:
    return (path[0] in tables and path[-1] in fields and value >= least
            and path[-1] not in ("change", "change_pct"))


def measure(db: Path, catalog_path: Path, n: int = 5) -> dict:
    catalog = load_catalog(catalog_path)
    from innsatstrapp.store import Store

    with Store.open(db, read_only=True) as s:
        periods = [x.period for x in s.periods()]
    cells = []
    start = time.perf_counter()
    for p in periods:
        cells += [(p, *c) for c in month_figures(catalog, db, p, n)]
    seconds = time.perf_counter() - start
    whole = [c for c in cells if c[1] is None]
    own = [c for c in whole if c[2][-1] not in ("previous", "change", "change_pct")]
    steps = [c for c in own if ((c[2][0] == "headline" and c[2][-1] == "value")
                                or c[2][0] == "steps") and c[3] >= 20]
    groups = [c for c in own if c[2][0] in ("groups", "services")
              and c[2][-1] in ("services", "count") and c[3] >= 100]
    last = month_figures(catalog, db, periods[-1], n)
    report = [c for c in last if c[0] is None]
    return {
        "months": len(periods), "seconds": seconds,
        "withheld": sum(c[4] for c in cells), "numbers": len(cells),
        "big_steps": sum(c[4] for c in steps), "big_steps_of": len(steps),
        "big_groups": sum(c[4] for c in groups), "big_groups_of": len(groups),
        "report": sum(c[3] for c in report), "report_of": len(report),
        "history": history(catalog, db, periods, n),
    }


def history(catalog, db: Path, periods: list[str], n: int) -> tuple[int, int]:
    """Month-cells of the dashboard's history (the whole municipality) withheld."""
    pub = build_reports(catalog, periods[-1], history=periods, suppress=n, db=db)[None]
    h = pub.history
    series = [*h.headline, *h.steps, *h.groups, *h.services, *h.levels]
    values = [v for s in series for v in s.counts.values()]
    return sum(v is None for v in values), len(values)


def decide_month_seconds(db: Path, catalog_path: Path, period: str) -> tuple[float, float]:
    """One month's decision (whole + every unit) from its query rows: (fastest, median) of
    7 (the machine is shared: the fastest says what the code costs)."""
    from innsatstrapp.metrics import publish
    from innsatstrapp.metrics.build import month_rows
    from innsatstrapp.store import Store

    catalog = load_catalog(catalog_path)
    with Store.open(db, read_only=True) as s:
        extracts = {x.period: x for x in s.periods()}
        scopes = month_rows(s, catalog, period, extracts)
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        publish.period_decision(catalog, period, 5, extracts, scopes)
        runs.append(time.perf_counter() - start)
    return min(runs), statistics.median(runs)


def least_beyond(db: Path, catalog_path: Path, n: int = 5) -> tuple[float, int]:
    """The least any safe suppression withholds beyond the primary rule, in the cells this
    bench counts (`least`: a lower bound from the months' sum relations alone, pairs of
    months and singletons left out): (cells, figures), over every month.

    A figure withheld beyond the primary rule costs its own cell in each report that shows
    it; if it has a `previous` (the table's value), also the next month's `previous`, and its
    own change and change % unless the month before withheld it by the primary rule (those
    are counted for this month only, so no cell twice). New and ended decisions per step are
    only in the history: cost 0."""
    from least import least_withheld

    from innsatstrapp.disclosure.decide import period_problem
    from innsatstrapp.disclosure.names import STEPS_ENDED, STEPS_NEW, VALUE
    from innsatstrapp.metrics import publish
    from innsatstrapp.metrics.build import month_rows
    from innsatstrapp.store import Store

    catalog = load_catalog(catalog_path)
    with Store.open(db, read_only=True) as s:
        extracts = {x.period: x for x in s.periods()}
        rows = {p: month_rows(s, catalog, p, extracts) for p in extracts}
    periods = sorted(extracts)
    cells, figures, before = 0.0, 0, None
    for p in periods:
        model = period_problem(publish.period_scopes(catalog, p, n, extracts, rows[p]), n)

        def cost(cell: tuple, p: str = p, before=before) -> float:
            if cell[1] in (STEPS_NEW, STEPS_ENDED):
                return 0
            if VALUE.get(cell[1]) != cell[-1]:
                return 1
            out = 1 + (p != periods[-1])  # its cell, the next month's previous
            if before is not None and cell in before.values and cell not in before.primary:
                out += 1 + (before.values[cell] != 0)  # change, and change % of a previous ≠ 0
            return out

        c, f = least_withheld(model.columns, model.primary, cost)
        cells, figures, before = cells + c, figures + f, model
    return cells, figures


def forget_views(db: Path) -> None:
    """Drop the kept published reports (the decisions stay)."""
    import duckdb

    con = duckdb.connect(str(db))
    con.execute("DELETE FROM published_reports")
    con.close()


def report_seconds(db: Path, catalog_path: Path, period: str, out: Path) -> float:
    """`innsatstrapp report --format json,html` of `period` as a whole process."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "innsatstrapp", "report", "--period", period,
                    "--catalog", str(catalog_path), "--db", str(db), "--out", str(out),
                    "--format", "json,html"], check=True, capture_output=True)
    return time.perf_counter() - start


def serve_first_page(db: Path, catalog_path: Path, port: int = 8765) -> float:
    """Seconds from starting `innsatstrapp serve` to the first real page of `/`."""
    import urllib.error
    import urllib.request

    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "innsatstrapp", "serve", "--db", str(db),
                             "--catalog", str(catalog_path), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - start < 600:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as r:
                    if r.status == 200:
                        return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError):
                pass  # not listening yet, or «Tallene beregnes» (503)
            time.sleep(0.05)
        raise RuntimeError("the dashboard never answered")
    finally:
        proc.terminate()
        proc.wait()


def primary_only(db: Path, catalog_path: Path) -> dict:
    """The same counts with the primary rule alone: the floor no secondary rule goes under."""
    from innsatstrapp.metrics import kept, publish

    views, load, keep = publish.views, kept.load, kept.keep
    publish.views = lambda catalog, n, extracts, scopes, reports, *a: (reports, {})
    # neither read nor keep published reports: these are not what the tool publishes
    kept.load, kept.keep = (lambda *a: None), (lambda *a: None)
    try:
        return measure(db, catalog_path)
    finally:
        publish.views, kept.load, kept.keep = views, load, keep


def row(name: str, m: dict) -> str:
    hist = m["history"]
    return (f"| {name} | {m['withheld']:,} of {m['numbers']:,} | {m['big_steps']} of "
            f"{m['big_steps_of']} | {m['big_groups']} of {m['big_groups_of']} "
            f"({100 * m['big_groups'] / m['big_groups_of']:.1f} %) | {m['report']} of "
            f"{m['report_of']} | {hist[0]:,} of {hist[1]:,} |").replace(",", " ")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path)
    ap.add_argument("--catalog", type=Path)
    args = ap.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            db, catalog = args.db, args.catalog
        else:
            db, catalog = build_store(Path(tmp), 24)
        now = measure(db, catalog)
        floor = primary_only(db, catalog)
        least = least_beyond(db, catalog)
        newest = str(max(_periods(db)))
        month = decide_month_seconds(db, catalog, newest)
        out = Path(tmp) / "rapport"
        # every decision is kept by now; the dashboard's view and the newest report too
        restart = statistics.median(serve_first_page(db, catalog) for _ in range(3))
        report_kept = statistics.median(report_seconds(db, catalog, newest, out)
                                        for _ in range(3))
        cold_restart, cold_report = [], []
        for _ in range(3):  # decisions kept, published reports not
            forget_views(db)
            cold_restart.append(serve_first_page(db, catalog))
            forget_views(db)
            cold_report.append(report_seconds(db, catalog, newest, out))
    print()
    print("| suppression | withheld, all months and units | headline/step ≥ 20 withheld "
          "| groups/services ≥ 100 withheld | report (newest month) | dashboard history |")
    print("|---|---:|---:|---:|---:|---:|")
    print(row("greedy + audit (before)", GREEDY))
    print(row("Gaussian elimination (now)", now))
    print(row("primary rule alone (floor)", floor))
    print()
    extra_now = now["withheld"] - floor["withheld"]
    extra_before = GREEDY["withheld"] - floor["withheld"]
    print(f"withheld now / before: {now['withheld'] / GREEDY['withheld']:.2f}; "
          f"beyond the primary rule, now / before: {extra_now / extra_before:.2f}")
    bound = floor["withheld"] + least[0]
    print(f"least any safe suppression withholds beyond the primary rule (a lower bound: the "
          f"months' sum relations alone): {least[0]:,.0f} cells ({least[1]:,} figures); "
          f"in all at least {bound:,.0f} = {bound / GREEDY['withheld']:.2f} of before; now "
          f"{extra_now:,} beyond the primary rule".replace(",", " "))
    print(f"deciding one month (whole + units): {month[0]:.2f} s fastest, {month[1]:.2f} s "
          "median of 7")
    print(f"serve restart to the first page, view kept: {restart:.2f} s; decisions kept, "
          f"view not: {statistics.median(cold_restart):.2f} s (medians of 3)")
    print(f"report json+html of the newest month, kept: {report_kept:.2f} s; decisions kept, "
          f"report not: {statistics.median(cold_report):.2f} s (medians of 3)")


def _periods(db: Path) -> list[str]:
    from innsatstrapp.store import Store

    with Store.open(db, read_only=True) as s:
        return [x.period for x in s.periods()]


if __name__ == "__main__":
    main()
