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
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from report import build_store, machine

from innsatstrapp.catalog import load_catalog
from innsatstrapp.metrics import build_reports

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
        a, b = r.model_dump(mode="json"), pub[unit].model_dump(mode="json")
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
        m = measure(db, catalog)
    print(m)


if __name__ == "__main__":
    main()
