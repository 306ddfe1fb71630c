"""Data quality: what the analyst should look at before publishing."""

from __future__ import annotations

import ibis.expr.types as ir

from innsatstrapp.metrics.frame import BY, HOME_NURSING

HOURS_IN_A_WEEK = 168


def unmapped(d: ir.Table) -> ir.Table:
    """Services in the extract the catalog does not place on a step, with their rows."""
    u = d.filter(d.step.isnull())
    return u.group_by([*BY, "service"]).aggregate(rows=u.count(),
                                                       active=u.count(where=u.active))


def totals(d: ir.Table) -> ir.Table:
    return d.group_by(BY).aggregate(
        rows=d.count(), active=d.count(where=d.active),
        future=d.count(where=d.start_date > d.as_of))


def missing_hours(d: ir.Table) -> ir.Table:
    """Active decisions with no or 0 hours in services that expect hours: home nursing, or a
    service where most active decisions have hours (seed 000: a BPA decision with 0 hours)."""
    a = d.filter(d.active & d.step.notnull())
    per = a.group_by([*BY, "service", "role"]).aggregate(
        n=a.count(),
        with_hours=a.count(where=a.hours_per_week > 0),
        missing=a.count(where=a.hours_per_week.isnull() | (a.hours_per_week == 0)),
    )
    # whether a service expects hours is decided over the whole municipality, so that a
    # unit's warnings add up to the whole's
    whole = per.filter(per.unit_scope.isnull())
    expects = whole.filter((whole.role == HOME_NURSING) | (whole.with_hours * 2 > whole.n))
    return per.semi_join(expects.select("period", "service"), ["period", "service"]).filter(
        lambda t: t.missing > 0)


def long_hours(d: ir.Table) -> ir.Table:
    """Active decisions with more approved hours per week than a week has (168): kept, since
    the extract says so, but the analyst should look (ingest refuses above 1 000)."""
    a = d.filter(d.active & d.step.notnull() & (d.hours_per_week > HOURS_IN_A_WEEK))
    return a.group_by([*BY, "service"]).aggregate(decisions=a.count())


def conflicting_persons(people: ir.Table) -> ir.Table:
    """Persons whose rows disagree on birth year or gender (counted as unknown in §6), from
    the persons of `movement.persons` (two values differ when the least and the greatest
    do): a count over persons, not a grouping of every decision again."""
    c = people.filter(people.conflict)
    return c.group_by(BY).aggregate(persons=c.count())
