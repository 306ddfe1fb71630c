"""Movement on the staircase (contract §6): each person's level at D, how levels changed
between two periods, and the age profile of each step. Persons are followed across periods by
their pseudonym; everything is grouped by period and unit scope like the other figures."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from innsatstrapp.metrics.frame import BY
from innsatstrapp.model.report import NONE, UNKNOWN  # noqa: F401 (NONE re-exported)

_WHOLE = "\x00"  # join key of the whole municipality's scope (unit_scope is null there)


def persons(d: ir.Table) -> ir.Table:
    """One row per period, scope and person in the extract: level (highest staircase Nr among
    active decisions, null for none), whether any decision is active, age band and gender,
    and whether the person's rows disagree on birth year or gender."""
    p = d.group_by([*BY, "person"]).aggregate(
        level=d.step_order.max(where=d.active & d.on_staircase),
        user=d.active.any(),
        # rows agree when the smallest and largest known value are the same (cheaper than
        # counting distinct values)
        first_year=d.birth_year.min(),
        birth_year=d.birth_year.max(),
        first_gender=d.gender.min(),
        gender=d.gender.max(),
        as_of=d.as_of.max(),
    )
    # age on 1 January of D's year (SSB's convention); unknown when rows disagree or lack it
    age = p.as_of.year() - p.birth_year - 1
    band = ibis.cases(*[(age <= hi, label) for hi, label in (
        (17, "0-17"), (49, "18-49"), (66, "50-66"), (74, "67-74"), (79, "75-79"),
        (84, "80-84"), (89, "85-89"))], else_="90+")
    return p.mutate(
        age_band=ibis.ifelse(p.first_year == p.birth_year, band, UNKNOWN),
        gender=ibis.ifelse(p.first_gender == p.gender, p.gender, UNKNOWN),
        # rows that disagree on birth year or gender (a data-quality warning, §6)
        conflict=(p.first_year < p.birth_year) | (p.first_gender < p.gender),
    ).drop("first_year", "first_gender", "birth_year", "as_of")


def levels(people: ir.Table) -> ir.Table:
    """Persons per level, per period and scope."""
    on = people.filter(people.level.notnull())
    return on.group_by([*BY, "level"]).aggregate(persons=on.count())


def by_age(people: ir.Table) -> ir.Table:
    """Users and persons per level by age band and gender; level null = users of any service."""
    u = people.filter(people.user)
    users = u.group_by([*BY, "age_band", "gender"]).aggregate(persons=u.count()).mutate(
        level=ibis.null("int32"))
    on = u.filter(u.level.notnull())
    leveled = on.group_by([*BY, "age_band", "gender", "level"]).aggregate(persons=on.count())
    return users.select(*BY, "age_band", "gender", "level", "persons").union(
        leveled.select(*BY, "age_band", "gender", "level", "persons"))


def moved(people: ir.Table, pairs: ir.Table) -> ir.Table:
    """One row per pair of periods (`pairs`: columns `period` and `before`), scope and person
    with a level at either date: from_level (at `before`) and to_level (at `period`), null for
    none, with the age band and gender where the person is on the staircase: at the later
    date, else at the earlier (a person who left). One query for
    every pair: the persons of both dates are stacked and grouped, no per-month loop."""
    on = people.filter(people.level.notnull())
    now = on.join(pairs, "period").select(
        "period", "before", "unit_scope", "person", from_level=ibis.null("int32"),
        to_level=on.level.cast("int32"), band_now=on.age_band, gender_now=on.gender,
        band_then=ibis.null(str), gender_then=ibis.null(str))
    then_j = on.join(pairs, on.period == pairs.before)
    then = then_j.select(
        period=pairs.period, before=pairs.before, unit_scope=then_j.unit_scope,
        person=then_j.person,
        from_level=then_j.level.cast("int32"), to_level=ibis.null("int32"),
        band_now=ibis.null(str), gender_now=ibis.null(str), band_then=then_j.age_band,
        gender_then=then_j.gender)
    both = now.union(then)
    g = both.group_by([*BY, "before", "person"]).aggregate(
        from_level=both.from_level.max(), to_level=both.to_level.max(),
        band_now=both.band_now.max(), gender_now=both.gender_now.max(),
        band_then=both.band_then.max(), gender_then=both.gender_then.max())
    return g.select(*BY, "before", "person", "from_level", "to_level",
                    age_band=g.band_now.fill_null(g.band_then),
                    gender=g.gender_now.fill_null(g.gender_then))


def matrix(m: ir.Table) -> ir.Table:
    """Persons per (from_level, to_level); null = none."""
    return m.group_by([*BY, "before", "from_level", "to_level"]).aggregate(
        persons=m.count())


def flows(m: ir.Table) -> ir.Table:
    """Moved down / up / stayed / entered / left per period pair, scope and age band."""
    both = m.from_level.notnull() & m.to_level.notnull()
    return m.group_by([*BY, "before", "age_band"]).aggregate(
        moved_down=m.count(where=both & (m.to_level < m.from_level)),
        moved_up=m.count(where=both & (m.to_level > m.from_level)),
        stayed=m.count(where=both & (m.to_level == m.from_level)),
        entered=m.count(where=m.from_level.isnull()),
        left=m.count(where=m.to_level.isnull()),
    )
