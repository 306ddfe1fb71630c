"""The plan's figures from the store (contract §7): the staircase matrix per step and the
users per step × age band × gender that the rates divide by the population. Set-based, with
`period` and `unit_scope` kept as columns like every other figure."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from innsatstrapp.metrics.frame import BY
from innsatstrapp.model.report import UNKNOWN


def step_matrix(d: ir.Table) -> ir.Table:
    """Services, users and approved hours per step over active decisions at D. The hours are
    null when no active decision of the step has a value (SQL's sum of nulls)."""
    a = d.filter(d.active & d.step.notnull())
    return a.group_by([*BY, "step"]).aggregate(
        services=a.count(), users=a.person.nunique(), approved_hours=a.hours_per_week.sum())


def step_users_by_age(d: ir.Table, people: ir.Table) -> ir.Table:
    """Distinct persons with an active decision in each step, by age band and gender (§6's
    age on 1 January of D's year), for the whole municipality. Persons of unknown age or
    gender are left out here; the projection scales them back in per step."""
    a = d.filter(d.active & d.step.notnull())
    pairs = a.select(*BY, "person", "step").distinct()
    known = people.filter((people.age_band != UNKNOWN) & (people.gender != UNKNOWN)).select(
        "period", "person", "age_band", "gender")
    # the plan covers the whole municipality (unit_scope null, which a join would not match)
    j = pairs.join(known, ["period", "person"])
    return j.group_by([*BY, "step", "age_band", "gender"]).aggregate(users=j.count())


def step_patterns(d: ir.Table, people: ir.Table, steps: list[str]) -> ir.Table:
    """Persons with an active decision on any of `steps`, counted by which of them (bit i of
    `pattern` for `steps[i]`), age band and gender (unknown kept): the inner cells of the
    own figures beside KOSTRA's, which count a person on several steps once."""
    a = d.filter(d.active & d.step.isin(steps))
    pairs = a.select("period", "person", "step").distinct()
    bit = ibis.cases(*[(pairs.step == s, 1 << i) for i, s in enumerate(steps)])
    per = pairs.group_by(["period", "person"]).aggregate(pattern=bit.sum())
    who = per.join(people.select("period", "person", "age_band", "gender"),
                   ["period", "person"])
    return who.group_by(["pattern", "age_band", "gender"]).aggregate(users=who.count())
