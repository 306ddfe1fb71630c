"""Length of long-term stays (contract §4 `long_term_stays`): days = D − start over active
decisions of services with Rolle langtidsopphold."""

from __future__ import annotations

import ibis.expr.types as ir

from innsatstrapp.metrics.frame import BY, LONG_TERM


def long_term(d: ir.Table) -> ir.Table:
    lt = d.filter(d.active & (d.role == LONG_TERM))
    return lt.group_by([*BY, "service"]).aggregate(
        residents=lt.count(),
        under_150_days=lt.count(where=lt.days < 150),
        days_150_to_365=lt.count(where=(lt.days >= 150) & (lt.days < 365)),
        days_365_to_730=lt.count(where=(lt.days >= 365) & (lt.days < 730)),
        over_730_days=lt.count(where=lt.days >= 730),
        median_days=lt.days.median(),
        mean_days=lt.days.mean(),
        persons=lt.person.nunique(),
    )
