"""How concentrated the hours are, per service and per group (contract §4 `concentration`)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from innsatstrapp.metrics.frame import BY


def per_person(d: ir.Table, scope: str) -> ir.Table:
    """Hours per week per person in each scope: the sum over active decisions with a value."""
    h = d.filter(d.active & d.hours_per_week.notnull() & d.step.notnull())
    return h.group_by([*BY, scope, "person"]).aggregate(x=h.hours_per_week.sum())


def concentration(d: ir.Table, scope: str) -> ir.Table:
    """One row per period and scope value; scope is "service" or "group"."""
    pp = per_person(d, scope)
    part = [pp.period, pp.unit_scope, pp[scope]]
    # one ordering for the rank and the running sum (one sort): the sum at rank m is the m
    # smallest hours whichever way equal hours are ordered, and the top tenth (the largest
    # ranks) holds the largest hours alike
    ascending = ibis.window(group_by=part, order_by=pp.x, rows=(None, 0))
    pp = pp.mutate(
        rank=ibis.row_number().over(ascending) + 1,
        cum=pp.x.sum().over(ascending),
        n=pp.count().over(group_by=part),
    )
    pp = pp.mutate(top=(pp.n - pp.rank) < (pp.n / 10).ceil())
    deciles = {
        f"lorenz_{k}": pp.cum.max(where=pp.rank <= (pp.n * k / 10).floor())
        for k in range(1, 10)
    }
    return pp.group_by([*BY, scope]).aggregate(
        users=pp.count(),
        hours=pp.x.sum(),
        top_hours=pp.x.sum(where=pp.top),
        top10_users=pp.top.sum(),
        below_2h_users=pp.count(where=pp.x < 2),
        below_2h_hours=pp.x.sum(where=pp.x < 2),
        weighted=(pp.rank * pp.x).sum(),
        under_1h=pp.count(where=pp.x < 1),
        h1_to_6=pp.count(where=(pp.x >= 1) & (pp.x < 6)),
        h6_to_12=pp.count(where=(pp.x >= 6) & (pp.x < 12)),
        h12_plus=pp.count(where=pp.x >= 12),
        **deciles,
    )
