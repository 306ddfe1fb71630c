"""Counts and sums per period: headline, steps, groups, services (contract §4)."""

from __future__ import annotations

import ibis.expr.types as ir

from innsatstrapp.metrics.frame import BY, HOME_NURSING, LONG_TERM


def headline(d: ir.Table) -> ir.Table:
    """The eight headline figures per period, and the person counts they derive from."""
    hn = d.active & (d.role == HOME_NURSING)
    lt = d.active & (d.role == LONG_TERM)
    return d.group_by(BY).aggregate(
        unique_users=d.person.nunique(where=d.active),
        services_total=d.count(where=d.active),
        new_decisions=d.count(where=d.new),
        ended_decisions=d.count(where=d.ended),
        home_nursing_approved_hours=d.hours_per_week.sum(where=hn),
        home_nursing_resource_hours=d.resource_hours_per_week.sum(where=hn),
        long_term_avg_days=d.days.mean(where=lt),
        # bases for suppression (persons behind a derived figure); not published
        home_nursing_approved_persons=d.person.nunique(where=hn & d.hours_per_week.notnull()),
        home_nursing_resource_persons=d.person.nunique(
            where=hn & d.resource_hours_per_week.notnull()),
        long_term_persons=d.person.nunique(where=lt),
    )


def by_step(d: ir.Table) -> ir.Table:
    m = d.filter(d.step.notnull())
    return m.group_by([*BY, "step"]).aggregate(services=m.count(where=m.active),
                                               users=m.person.nunique(where=m.active),
                                               new=m.count(where=m.new),
                                               ended=m.count(where=m.ended))


def by_group(d: ir.Table) -> ir.Table:
    a = d.filter(d.active & d.step.notnull())
    return a.group_by([*BY, "group"]).aggregate(services=a.count(),
                                                     users=a.person.nunique())


def by_service(d: ir.Table) -> ir.Table:
    m = d.filter(d.step.notnull())
    return m.group_by([*BY, "service"]).aggregate(
        count=m.count(where=m.active),
        users=m.person.nunique(where=m.active),
        new=m.count(where=m.new),
        ended=m.count(where=m.ended),
        approved_hours=m.hours_per_week.sum(where=m.active),
        resource_hours=m.resource_hours_per_week.sum(where=m.active),
        approved_persons=m.person.nunique(where=m.active & m.hours_per_week.notnull()),
        resource_persons=m.person.nunique(where=m.active & m.resource_hours_per_week.notnull()),
    )
