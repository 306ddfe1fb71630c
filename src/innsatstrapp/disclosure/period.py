"""The model matrix of one period: every published figure of the whole municipality and its
units as a sum of inner cells.

Inner cells, per unit (the whole is the sum of its units):
- decisions: active, new and ended per service (a long-term stay's active decisions are the
  sum of its four length buckets); active and rows per unmapped service; the rows of other
  services and the new and ended decisions of unmapped services (never published, so free);
  hours per service (approved, resource); warnings counted in decisions;
- persons, per scope (the whole and each unit apart, since a person can be in two units):
  persons per age band, gender and level, and persons of a band without a level (when
  anyone can be without one); persons per hour bucket of each concentration scope.
Counts of persons in steps, groups and services are figures of their own (a person may
have several services), so they are protected by the primary rule alone.

A figure published as 0, or null because nothing has a value, says its inner cells are 0:
those cells are left out of the model (the problem of zeros), and so is their figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from innsatstrapp.disclosure.names import (
    AGE,
    CONC,
    COUNT,
    DQ,
    FIG,
    GROUP,
    LEVEL,
    LT,
    PERSONS_BY_LEVEL,
    SERVICE,
    STEP,
    STEPS_ENDED,
    STEPS_NEW,
    UNMAPPED,
    WARN,
    WARNINGS,
    Cell,
    R,
)

BUCKETS_LT = (LT.under_150_days, LT.days_150_to_365, LT.days_365_to_730, LT.over_730_days)
BUCKETS_H = (CONC.under_1h, CONC.h1_to_6, CONC.h6_to_12, CONC.h12_plus)
_SERVICE_FIELDS = (SERVICE.count, SERVICE.new, SERVICE.ended, SERVICE.approved_hours,
                   SERVICE.resource_hours, SERVICE.users)
LONG_TERM = "langtidsopphold"
HOME_NURSING = "hjemmesykepleie"


@dataclass
class Model:
    """Columns (cell → inner cell → coefficient), each figure's true value, and the cells
    the primary rule withholds."""

    columns: dict[Cell, dict] = field(default_factory=dict)
    values: dict[Cell, float] = field(default_factory=dict)
    primary: set[Cell] = field(default_factory=set)
    singletons: set = field(default_factory=set)  # inner cells of one decision or person

    def add(self, cell: Cell, column: dict, value: float | None, withheld: bool) -> None:
        self.columns[cell] = {k: v for k, v in column.items() if v}
        self.values[cell] = value or 0
        if withheld:
            self.primary.add(cell)


def _rows(data: dict, table: str, key: str) -> dict[str, dict]:
    return {r[key]: r for r in data.get(table) or []}


def _hidden(row: dict, name: str) -> bool:
    return name in row.get("suppressed", ())


def period_model(scopes: list[tuple[str | None, dict, dict]], threshold: int) -> Model:
    """`scopes`: (unit, figures without suppression, figures with the primary rule at
    `threshold`) for the whole (unit None, first) and every unit; dicts of
    `model.base.dump` of a Report. New and ended decisions per step (shown in the history) are
    counted here, withheld from 1 to threshold − 1 like every count."""
    m = Model()
    units = [u for u, _, _ in scopes if u is not None]
    raw = {u: r for u, r, _ in scopes}
    prim = {u: p for u, _, p in scopes}
    inner = units or [None]  # the scopes whose decisions are inner cells

    def decisions(unit: str | None) -> list[str | None]:
        return inner if unit is None else [unit]

    def person_scope(unit: str | None) -> str | None:
        return None if len(units) <= 1 else unit  # one unit: the same persons as the whole

    tables: dict[tuple, dict[str, dict]] = {}

    # which inner decision cells exist: a unit's published 0 or null says they do not (a
    # withheld 0, such as the hours of one person with 0 hours, is an inner cell)
    def inner_value(unit: str | None, table: str, name: str, key: str, fld: str) -> bool:
        rows = tables.get((unit, table))
        if rows is None:
            rows = tables[(unit, table)] = _rows(raw[unit], table, key)
            tables[(unit, table, "p")] = _rows(prim[unit], table, key)
        row = rows.get(name) or {}
        if row.get(fld):
            return True
        return _hidden(tables[(unit, table, "p")].get(name) or {}, fld)

    leaves: dict[tuple, dict] = {}
    long_term = {r[LT.service] for _, r, _ in scopes[:1] for r in r[R.long_term_stays]}

    def leaf(u: str | None, s: str, fld: str, tag: str) -> dict:
        """The inner cells of service s's figure `fld` in leaf unit u (memoised)."""
        k = (u, s, fld)
        col = leaves.get(k)
        if col is None:
            col = {}
            if fld == SERVICE.count and s in long_term:
                for b in BUCKETS_LT:
                    if inner_value(u, R.long_term_stays, s, LT.service, b):
                        col[("lt", u, s, b)] = 1
            elif inner_value(u, R.services, s, SERVICE.service, fld):
                col[(tag, u, s)] = 1
            leaves[k] = col
        return col

    over: dict[tuple, dict] = {}
    holders, nobody = _holders(inner, raw), set()

    def summed(names: list[str], fld: str, units: list[str | None], tag: str) -> dict:
        """The inner cells of `fld` summed over services `names` and leaf `units` (each
        service's over the units memoised: the whole's steps and groups repeat them)."""
        col: dict = {}
        scope = tuple(units)
        for s in names:
            one = over.get((s, fld, scope))
            if one is None:
                one = over[(s, fld, scope)] = {}
                has = holders.get(s, nobody)
                for u in units:
                    if u in has:
                        one.update(leaf(u, s, fld, tag))
            col.update(one)
        return col

    for unit, data, pdata in scopes:
        scope = person_scope(unit)
        services = _rows(data, R.services, SERVICE.service)
        pservices = _rows(pdata, R.services, SERVICE.service)
        lt = _rows(data, R.long_term_stays, LT.service)

        us = decisions(unit)
        for s, row in services.items():
            p = pservices[s]
            if not any(row[f] for f in _SERVICE_FIELDS) and not p["suppressed"]:
                continue  # a service shown as 0 everywhere (most of a unit's): no cells
            for fld, tag in ((SERVICE.count, "active"), (SERVICE.new, "new"),
                             (SERVICE.ended, "ended"), (SERVICE.approved_hours, "hours"),
                             (SERVICE.resource_hours, "resource")):
                if row[fld] is None and not _hidden(p, fld):
                    continue  # no value: nothing to publish or protect
                m.add((unit, R.services, s, fld), summed([s], fld, us, tag), row[fld],
                      _hidden(p, fld))
            net = {**summed([s], SERVICE.new, us, "new"),
                   **{k: -1 for k in summed([s], SERVICE.ended, us, "ended")}}
            m.add((unit, R.services, s, SERVICE.net), net, row[SERVICE.net],
                  _hidden(p, SERVICE.net))
            m.add((unit, R.services, s, SERVICE.users), {("users", scope, R.services, s): 1},
                  row[SERVICE.users], _hidden(p, SERVICE.users))
        for table, key in ((R.groups, GROUP.group), (R.steps, STEP.step)):
            members: dict[str, list[str]] = {}
            for s, row in services.items():
                members.setdefault(row[key], []).append(s)
            prows = _rows(pdata, table, key)
            for name, row in _rows(data, table, key).items():
                names = members.get(name, [])
                m.add((unit, table, name, STEP.services), summed(names, SERVICE.count, us,
                                                                 "active"),
                      row[STEP.services], _hidden(prows[name], STEP.services))
                m.add((unit, table, name, STEP.users), {("users", scope, table, name): 1},
                      row[STEP.users], _hidden(prows[name], STEP.users))
                if table == R.steps:
                    for tag, tbl in (("new", STEPS_NEW), ("ended", STEPS_ENDED)):
                        value = sum(services[s][tag] for s in names)
                        m.add((unit, tbl, name, COUNT), summed(names, tag, us, tag), value,
                              0 < value < threshold)
        _unmapped_and_quality(m, unit, data, pdata, us, raw)
        _by_age(m, unit, scope, data, pdata)
        _headline(m, unit, data, pdata, us, services, summed, raw)
        _long_term(m, unit, data, pdata, us, lt, inner_value)
        _concentration(m, unit, scope, data, pdata, us, summed)
    _singletons(m)
    return m


def _holders(inner: list[str | None], raw: dict[str | None, dict]) -> dict[str, set]:
    """The leaf units that have rows of each service: a service's cells are in those alone
    (a unit's figures are of the services it has rows of)."""
    holders: dict[str, set] = {}
    for u in inner:
        data = raw.get(u) or {}
        for table, key in ((R.services, SERVICE.service), (R.long_term_stays, LT.service)):
            for r in data.get(table) or ():
                holders.setdefault(r[key], set()).add(u)
    return holders


def _unmapped_and_quality(m: Model, unit, data, pdata, us, raw) -> None:
    dq, pdq = data[R.data_quality], pdata[R.data_quality]

    def unmapped(u, name: str, fld: str) -> float:
        row = _rows(raw[u][R.data_quality], DQ.unmapped_services, UNMAPPED.service).get(name)
        return (row or {}).get(fld) or 0

    def warned(u, key: tuple) -> float:
        return next((w[WARN.count] for w in raw[u][R.data_quality][DQ.warnings]
                     if (w[WARN.code], w[WARN.service]) == key), 0)

    rows: dict = {("rows_other", u): 1 for u in us}
    for name, row in _rows(dq, DQ.unmapped_services, UNMAPPED.service).items():
        prow = _rows(pdq, DQ.unmapped_services, UNMAPPED.service)[name]
        col = {("unmapped_rows", u, name): 1 for u in us if unmapped(u, name, UNMAPPED.rows)}
        rows.update(col)
        m.add((unit, DQ.unmapped_services, name, UNMAPPED.rows), col, row[UNMAPPED.rows],
              _hidden(prow, UNMAPPED.rows))
        m.add((unit, DQ.unmapped_services, name, UNMAPPED.active),
              {("unmapped_active", u, name): 1 for u in us
               if unmapped(u, name, UNMAPPED.active)}, row[UNMAPPED.active],
              _hidden(prow, UNMAPPED.active))
    m.add((unit, R.data_quality, "", DQ.rows), rows, dq[DQ.rows],
          DQ.rows in pdq["suppressed"])
    for w, pw in zip(dq[DQ.warnings], pdq[DQ.warnings], strict=True):
        key = (w[WARN.code], w[WARN.service])
        cell = (unit, WARNINGS, key, WARN.count)
        if w[WARN.code] == "conflicting_person_data":  # persons, in no sum
            m.add(cell, {("conflicts", unit): 1}, w[WARN.count], _hidden(pw, WARN.count))
        else:
            m.add(cell, {("warning", u, *key): 1 for u in us if warned(u, key)},
                  w[WARN.count], _hidden(pw, WARN.count))


def _total_active(m: Model, unit, data) -> dict:
    col: dict = {}
    for s in _rows(data, R.services, SERVICE.service):
        col.update(m.columns.get((unit, R.services, s, SERVICE.count), {}))
    for name in _rows(data[R.data_quality], DQ.unmapped_services, UNMAPPED.service):
        col.update(m.columns.get((unit, DQ.unmapped_services, name, UNMAPPED.active), {}))
    return col


def _headline(m: Model, unit, data, pdata, us, services, summed, raw) -> None:
    head, phead = data[R.headline], pdata[R.headline]
    # the units with unmapped services (whose new and ended decisions are not published)
    unmapped = [u for u in us if raw[u][R.data_quality][DQ.unmapped_services]]
    total = _total_active(m, unit, data)
    cols = {"services_total": total}
    for name, tag in (("new_decisions", "new"), ("ended_decisions", "ended")):
        col = summed(list(services), tag, us, tag)
        col.update({(f"unmapped_{tag}", u): 1 for u in unmapped})
        cols[name] = col
    for name, tag, fld in (("home_nursing_approved_hours", "hours", SERVICE.approved_hours),
                           ("home_nursing_resource_hours", "resource",
                            SERVICE.resource_hours)):
        hn = [s for s, r in services.items() if r[SERVICE.role] == HOME_NURSING]
        cols[name] = summed(hn, fld, us, tag)
    for name, col in cols.items():
        m.add((unit, R.headline, name, FIG.value), col, head[name][FIG.value],
              _hidden(phead[name], FIG.value))
    m.add((unit, R.data_quality, "", DQ.active), total, data[R.data_quality][DQ.active],
          DQ.active in pdata[R.data_quality]["suppressed"])
    users = {}
    for key in _ages(data):
        users.update(_age_users(m, unit, key))
    m.add((unit, R.headline, "unique_users", FIG.value), users,
          head["unique_users"][FIG.value], _hidden(phead["unique_users"], FIG.value))


def _long_term(m: Model, unit, data, pdata, us, lt, inner_value) -> None:
    plt = _rows(pdata, R.long_term_stays, LT.service)
    for s, row in lt.items():
        m.add((unit, R.long_term_stays, s, LT.residents),
              m.columns.get((unit, R.services, s, SERVICE.count), {}), row[LT.residents],
              _hidden(plt[s], LT.residents))
        for b in BUCKETS_LT:
            col = {("lt", u, s, b): 1 for u in us
                   if inner_value(u, R.long_term_stays, s, LT.service, b)}
            m.add((unit, R.long_term_stays, s, b), col, row[b], _hidden(plt[s], b))


def _concentration(m: Model, unit, scope, data, pdata, us, summed) -> None:
    pconc = {(r[CONC.scope_type], r[CONC.scope]): r for r in pdata[R.concentration]}
    groups: dict[str, list[str]] = {}
    for s, row in _rows(data, R.services, SERVICE.service).items():
        groups.setdefault(row[SERVICE.group], []).append(s)
    for row in data[R.concentration]:
        key = (row[CONC.scope_type], row[CONC.scope])
        p = pconc[key]
        names = [key[1]] if key[0] == "service" else groups.get(key[1], [])
        m.add((unit, R.concentration, key, CONC.hours),
              summed(names, SERVICE.approved_hours, us, "hours"), row[CONC.hours],
              _hidden(p, CONC.hours))
        buckets = {}
        for b in BUCKETS_H:
            col = {("conc", scope, key, b): 1} if row[b] else {}
            buckets.update(col)
            m.add((unit, R.concentration, key, b), col, row[b], _hidden(p, b))
        m.add((unit, R.concentration, key, CONC.users), buckets, row[CONC.users],
              _hidden(p, CONC.users))


def _ages(data: dict) -> list[tuple[str, str]]:
    return [(a[AGE.age_band], a[AGE.gender]) for a in data[R.by_age]]


def _age_users(m: Model, unit, key) -> dict:
    return m.columns.get((unit, R.by_age, key, AGE.users), {})


def _by_age(m: Model, unit, scope, data, pdata) -> None:
    """Persons by age band, gender and level; a band's users are its persons on some level
    and (when anyone can be without a level) those without one."""
    steps = {r[STEP.step] for r in data[R.steps]}
    on = {r[LEVEL.step] for r in data[R.levels]}
    beside = steps - on
    # without a level: users of steps beside the staircase, or of unmapped services
    can_lack = any(r[STEP.users] for r in data[R.steps] if r[STEP.step] in beside) or any(
        u[UNMAPPED.active] or _hidden(u, UNMAPPED.active)
        for u in data[R.data_quality][DQ.unmapped_services])
    levels: dict[str, dict] = {s: {} for s in on}
    prows = {(a[AGE.age_band], a[AGE.gender]): a for a in pdata[R.by_age]}
    for a in data[R.by_age]:
        key = (a[AGE.age_band], a[AGE.gender])
        p = prows[key]
        users: dict = {}
        for step, v in a[AGE.persons_by_level].items():
            k = ("pbl", scope, *key, step)
            cell = (unit, PERSONS_BY_LEVEL, (*key, step), LEVEL.persons)
            m.add(cell, {k: 1}, v, p[AGE.persons_by_level].get(step, 0) is None)
            users[k] = 1
            levels.setdefault(step, {})[k] = 1
        if can_lack:
            users[("nolevel", scope, *key)] = 1
        m.add((unit, R.by_age, key, AGE.users), users, a[AGE.users], _hidden(p, AGE.users))
    plevels = _rows(pdata, R.levels, LEVEL.step)
    for name, row in _rows(data, R.levels, LEVEL.step).items():
        m.add((unit, R.levels, name, LEVEL.persons), levels.get(name, {}), row[LEVEL.persons],
              _hidden(plevels[name], LEVEL.persons))


def _singletons(m: Model) -> None:
    """Inner cells that a figure of value 1 consists of alone: one decision or person."""
    for cell, col in m.columns.items():
        if len(col) == 1 and m.values.get(cell) == 1 and cell[-1] not in (
                SERVICE.approved_hours, SERVICE.resource_hours, CONC.hours):
            m.singletons.add(next(iter(col)))

