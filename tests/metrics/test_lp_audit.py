"""An attacker's audit by linear programming, independent of the suppression's own model: for
every withheld count, the smallest and largest value it can have given every published
figure, every relation between figures (`relations`, written apart from the decisions) and
that counts and hours are never negative. No withheld count may be pinned to one value.

The examples per run: INNSATSTRAPP_AUDIT_EXAMPLES (default 10) — run once with many more
outside the suite (see docs/development.md)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from relations import all_relations, hidden_at, value_at
from scipy.optimize import linprog
from scipy.sparse import coo_matrix
from test_properties import CATALOG, D_P, D_Q, decision, store

from innsatstrapp.catalog import load_catalog
from innsatstrapp.metrics import build_reports
from innsatstrapp.model.base import dump

EXAMPLES = int(os.environ.get("INNSATSTRAPP_AUDIT_EXAMPLES", "10"))
DIFFERENCES = ("change", "change_pct", "net")


def intervals(reports: list[dict]) -> dict[tuple, tuple[float, float]]:
    """(least, most) of every withheld count, by LP over all relations of the bundle."""
    rels = all_relations(reports)
    index: dict[tuple, int] = {}
    rows, cols, vals, rhs = [], [], [], []
    for rel in rels:
        row: dict[int, float] = {}
        b = 0.0
        for cell, sign in ((rel.total, 1.0), *((c, -1.0) for c in rel.parts),
                           *((c, 1.0) for c in rel.minus)):
            if hidden_at(reports, cell):
                j = index.setdefault(cell, len(index))
                row[j] = row.get(j, 0.0) + sign
            else:
                b -= sign * (value_at(reports, cell) or 0)
        row = {j: v for j, v in row.items() if v}
        if row:
            for j, v in row.items():
                rows.append(len(rhs))
                cols.append(j)
                vals.append(v)
            rhs.append(b)
    if not index:
        return {}
    a = coo_matrix((vals, (rows, cols)), shape=(len(rhs), len(index))).tocsr()
    bounds = [(None, None) if c[-1] in DIFFERENCES else (0, None) for c in index]
    out = {}
    for cell, j in index.items():
        if cell[-1] in DIFFERENCES:
            continue
        c = np.zeros(len(index))
        found = []
        for sign in (1.0, -1.0):
            c[j] = sign
            res = linprog(c, A_eq=a, b_eq=rhs, bounds=bounds, method="highs")
            if res.status == 3:  # unbounded: the cell can be as large as you like
                found.append(np.inf)
            else:
                assert res.status == 0, (cell, res.message)
                found.append(sign * res.fun)
        out[cell] = (found[0], found[1])
    return out


def pinned(reports: list[dict]) -> list[tuple]:
    return [(cell, reports[cell[0]]["unit"], lo) for cell, (lo, hi) in
            intervals(reports).items() if hi - lo < 1e-6]


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(decision(D_P), min_size=5, max_size=40),
       st.lists(decision(D_Q), min_size=0, max_size=30), st.integers(2, 6))
def test_no_withheld_count_is_pinned_by_the_published_figures(p_rows, q_rows, threshold
                                                             ) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bundle = build_reports(CATALOG, "2024-01", history=["2023-12"], suppress=threshold,
                               db=store(Path(tmp), p_rows, q_rows))
    reports = [dump(r) for r in bundle.values()]
    assert pinned(reports) == []


def test_the_demo_month_pins_no_withheld_count(tiny_demo) -> None:
    """The demo's newest month with its units (17) against the month before."""
    catalog = load_catalog(tiny_demo.catalog)
    bundle = build_reports(catalog, tiny_demo.last, suppress=5, db=tiny_demo.db)
    reports = [dump(r) for r in bundle.values()]
    found = intervals(reports)
    assert len(found) > 100  # the audit had something to look at
    assert [c for c, (lo, hi) in found.items() if hi - lo < 1e-6] == []
