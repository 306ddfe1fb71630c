"""Counts and sums per period: headline, steps, groups, services (contract §4)."""

from __future__ import annotations

import ibis.expr.types as ir

from innsatstrapp.metrics.frame import BY, HOME_NURSING, LONG_TERM


def headline(d: ir.Table) -> ir.Table:
    """The eight headline figures per period, and the person counts they derive from.

    Per person first, then per period: a count of distinct persons under a condition is
    then a count of the persons whose rows meet it, which the engine makes in one pass
    over the persons (a distinct count per condition took twice the time)."""
    hn = d.active & (d.role == HOME_NURSING)
    lt = d.active & (d.role == LONG_TERM)
    p = d.group_by([*BY, "person"]).aggregate(
        active=d.count(where=d.active),
        new=d.count(where=d.new),
        ended=d.count(where=d.ended),
        approved=d.hours_per_week.sum(where=hn),
        resource=d.resource_hours_per_week.sum(where=hn),
        days=d.days.sum(where=lt),
        stays=d.days.count(where=lt),
        approved_rows=d.count(where=hn & d.hours_per_week.notnull()),
        resource_rows=d.count(where=hn & d.resource_hours_per_week.notnull()),
        long_term_rows=d.count(where=lt),
    )
    return p.group_by(BY).aggregate(
        unique_users=p.count(where=p.active > 0),
        services_total=p.active.sum(),
        new_decisions=p.new.sum(),
        ended_decisions=p.ended.sum(),
        home_nursing_approved_hours=p.approved.sum(),
        home_nursing_resource_hours=p.resource.sum(),
        long_term_avg_days=p.days.sum() / p.stays.sum().nullif(0),  # the mean over stays
        # bases for suppression (persons behind a derived figure); not published
        home_nursing_approved_persons=p.count(where=p.approved_rows > 0),
        home_nursing_resource_persons=p.count(where=p.resource_rows > 0),
        long_term_persons=p.count(where=p.long_term_rows > 0),
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
    """Counts, hours and persons per service and period; per person first, as `headline`."""
    m = d.filter(d.step.notnull())
    p = m.group_by([*BY, "service", "person"]).aggregate(
        active=m.count(where=m.active),
        new=m.count(where=m.new),
        ended=m.count(where=m.ended),
        approved=m.hours_per_week.sum(where=m.active),
        resource=m.resource_hours_per_week.sum(where=m.active),
        approved_rows=m.count(where=m.active & m.hours_per_week.notnull()),
        resource_rows=m.count(where=m.active & m.resource_hours_per_week.notnull()),
    )
    return p.group_by([*BY, "service"]).aggregate(
        count=p.active.sum(),
        users=p.count(where=p.active > 0),
        new=p.new.sum(),
        ended=p.ended.sum(),
        approved_hours=p.approved.sum(),
        resource_hours=p.resource.sum(),
        approved_persons=p.count(where=p.approved_rows > 0),
        resource_persons=p.count(where=p.resource_rows > 0),
    )
