"""`disclosure.apply` withholds exactly the figures it is given, wherever a report shows
them: the month's own tables, the compared month's, the movement (either way round) and
every period and pair of the history (which it looks up by cell, not figure by figure).
The oracle is `locate`, which names every figure of a report and where it is held."""

from __future__ import annotations

import copy
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from innsatstrapp.disclosure import Withheld, apply, locate
from innsatstrapp.metrics import build_reports
from innsatstrapp.model.base import dump

# services per user is withheld with these (a derived figure); every other figure only
# when it is named
DERIVED_FROM = {("headline", "services_total"), ("headline", "unique_users")}


@pytest.fixture(scope="module")
def views(small_store) -> list[dict]:
    """Every report of the small municipality (whole and units) with both months' history,
    against the month before and against the month after, unsuppressed."""
    db, catalog = small_store
    both = ["2023-12", "2024-01"]
    out = []
    for period, compare in (("2024-01", "2023-12"), ("2023-12", "2024-01")):
        reports = build_reports(catalog, period, compare=compare, history=both, suppress=0,
                                db=db)
        out += [dump(r) for r in reports.values()]
    return out


def test_the_views_show_history_and_movement(views) -> None:
    shown = {fig[2] for v in views for _, _, fig in locate(v)}
    assert {"headline", "steps", "services", "levels", "transitions", "matrix",
            "bands"} <= shown
    assert len(views) > 2  # the units too


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 2**32), share=st.floats(0, 1), prepared=st.booleans())
def test_apply_withholds_exactly_the_figures_named(views, seed, share, prepared) -> None:
    rnd = random.Random(seed)
    for view in views:
        data = copy.deepcopy(view)
        located = [(node, fld, fig, node[fld]) for node, fld, fig in locate(data)]
        names = sorted({fig for _, _, fig, _ in located if fig[2:4] not in DERIVED_FROM},
                       key=repr)
        drawn = frozenset(f for f in names if rnd.random() < share)
        apply(data, Withheld(drawn) if prepared else drawn)
        for node, fld, fig, was in located:
            if fig in drawn:
                assert node[fld] is None, fig
                if "suppressed" in node and isinstance(node["suppressed"], list):
                    assert fld in node["suppressed"], fig
            else:
                assert node[fld] == was, fig
