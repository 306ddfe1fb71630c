"""The period's decision reads each unit's figures over the services the unit has rows of
(`publish.used`, a few of a catalog's hundred): for random municipalities it withholds
exactly what the figures over the whole catalog make it withhold."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_properties import CATALOG, D_P, D_Q, decision, store

from innsatstrapp.disclosure import decide_period
from innsatstrapp.metrics import assemble, build, publish
from innsatstrapp.model.base import dump
from innsatstrapp.store import Store


def whole_catalog_scopes(rows: dict, threshold: int, extracts: dict) -> list[tuple]:
    """The scopes as they were made before: every unit's figures over every service."""
    units = [k for k in [None, *sorted(k for k in rows if k is not None)]
             if any(r["period"] == "2024-01" for r in rows[k]["totals"])]
    return [(k, *(dump(assemble.report(CATALOG, "2024-01", None, [], n, extracts, rows[k], k))
                  for n in (0, threshold))) for k in units]


@settings(max_examples=int(os.environ.get("INNSATSTRAPP_AUDIT_EXAMPLES", "15")),
          deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(decision(D_P), min_size=1, max_size=40),
       st.lists(decision(D_Q), min_size=0, max_size=30), st.integers(2, 6))
def test_a_units_own_services_decide_as_the_whole_catalog(p_rows, q_rows, threshold) -> None:
    with (tempfile.TemporaryDirectory() as tmp,
          Store.open(store(Path(tmp), p_rows, q_rows), read_only=True) as s):
        extracts = {x.period: x for x in s.periods()}
        rows = build.month_rows(s, CATALOG, "2024-01", extracts)
    scopes = publish.period_scopes(CATALOG, "2024-01", threshold, extracts, rows)
    full = whole_catalog_scopes(rows, threshold, extracts)
    assert [k for k, _, _ in scopes] == [k for k, _, _ in full]
    assert (decide_period("2024-01", scopes, threshold)
            == decide_period("2024-01", full, threshold))


def test_a_unit_keeps_the_services_it_has_rows_of_and_every_step() -> None:
    data = {"services": [{"period": "2024-01", "service": "HS 1"},
                         {"period": "2023-12", "service": "Alarm"}],  # another month's
            "conc_service": [{"period": "2024-01", "service": "HS 2"}],
            "long_term": [{"period": "2024-01", "service": "Sykehjem"}],
            "missing_hours": []}
    used = publish.used(CATALOG, "2024-01", data)
    assert [s.name for s in used.services] == ["HS 1", "HS 2", "Sykehjem", "Ikke plassert"]
    assert used.steps == CATALOG.steps and used.sha256 == CATALOG.sha256
