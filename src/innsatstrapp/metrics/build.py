"""Build the report of one period from the store and the catalog (contract §4–5)."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from innsatstrapp import __version__
from innsatstrapp.catalog import Catalog
from innsatstrapp.errors import MetricError
from innsatstrapp.metrics import concentration as conc
from innsatstrapp.metrics import figures, frame, long_term, movement, quality, secondary
from innsatstrapp.metrics.model import (
    HEADLINE,
    AgeRow,
    ConcentrationRow,
    DataQuality,
    ExtractProvenance,
    Figure,
    FlowRow,
    GroupRow,
    History,
    HistorySeries,
    LevelRow,
    LongTermRow,
    Provenance,
    QualityWarning,
    Report,
    ServiceRow,
    StepRow,
    TransitionCell,
    Transitions,
    UnmappedService,
)
from innsatstrapp.metrics.suppress import counts_with_change, small, withhold
from innsatstrapp.store import DEFAULT_DB, ExtractInfo, Store


def change(value: float | None, previous: float | None) -> tuple[float | None, float | None]:
    if value is None or previous is None:
        return None, None
    pct = (value - previous) / previous * 100 if previous else None
    return value - previous, pct


def choose_periods(extracts: dict[str, ExtractInfo], period: str, compare: str | None,
                   history: list[str], db: Path) -> tuple[str | None, list[str]]:
    def known(p: str) -> str:
        if p not in extracts:
            stored = ", ".join(extracts) or "ingen"
            raise MetricError(f"Perioden {p} finnes ikke i lageret {db}. Lagrede perioder: "
                              f"{stored}.")
        return p

    known(period)
    if compare is None:
        earlier = [p for p in extracts if p < period]
        compare = earlier[-1] if earlier else None
    elif compare == period:
        raise MetricError(f"--compare {compare} er samme periode som rapporten gjelder.")
    else:
        known(compare)
    return compare, [known(p) for p in dict.fromkeys(history)]


def build_reports(catalog: Catalog, period: str, *, compare: str | None = None,
                  history: list[str] | None = None, suppress: int = 5,
                  db: Path | str = DEFAULT_DB, by_unit: bool = True
                  ) -> dict[str | None, Report]:
    """The report of the whole municipality (key None) and, with `by_unit`, of every unit
    (key: the unit, NO_UNIT for decisions without one), from one set of queries.

    Suppression is joint: no unit's figure can be recovered as the whole minus the other
    units. The whole may then withhold a few more cells than the whole alone (by_unit=False);
    the dashboard always shows the joint set."""
    import ibis

    if suppress < 0:
        raise MetricError("--suppress må være 0 eller større.")
    db = Path(db)
    with Store.open(db, read_only=True) as store:
        extracts = {x.period: x for x in store.periods()}
        compare, hist = choose_periods(extracts, period, compare, history or [], db)
        periods = list(dict.fromkeys([period, *([compare] if compare else []), *hist]))
        con = ibis.duckdb.from_connection(store.con)
        # materialised once (a temporary table of this connection): the figures below are
        # then simple aggregations, quick to compile and to run
        d = con.create_table("report_frame", frame.decisions(con, periods, catalog,
                                                             by_unit=by_unit), temp=True)
        shown = [p for p in extracts if p in {period, compare, *hist}]  # in stored order
        data = _query(con, d, period, compare, shown if hist else [])
    scopes = _split(data)
    if None not in scopes or not any(r["period"] == period for r in scopes[None]["services"]):
        raise MetricError(f"Katalogen «{catalog.file_name}» passer ikke til uttrekket for "
                          f"{period}: ingen av tjenestene i katalogen finnes i uttrekket. "
                          f"Lag en ny med «innsatstrapp catalog template».")
    keys = [None, *sorted(k for k in scopes if k is not None)]
    reports = [_assemble(catalog, period, compare, shown if hist else [], suppress, extracts,
                         scopes[k], k)
               for k in keys]
    if suppress:
        dumps = secondary.apply_all([r.model_dump() for r in reports])
        reports = [Report.model_validate(x) for x in dumps]
    return dict(zip(keys, reports, strict=True))


def build_report(catalog: Catalog, period: str, *, compare: str | None = None,
                 history: list[str] | None = None, suppress: int = 5,
                 db: Path | str = DEFAULT_DB, unit: str | None = None) -> Report:
    """Every figure of contract §4 for `period`, compared with `compare` (default: the newest
    stored period before it), with suppression at `suppress` (0 = off); of one unit when
    `unit` is given (NO_UNIT: decisions without a unit)."""
    reports = build_reports(catalog, period, compare=compare, history=history,
                            suppress=suppress, db=db, by_unit=unit is not None)
    if unit not in reports:
        known = ", ".join(sorted(u or "uten-enhet" for u in reports if u is not None))
        raise MetricError(f"Enheten «{unit}» finnes ikke i uttrekket for {period}. "
                          f"Enheter: {known or 'ingen'}.")
    return reports[unit]


def _query(con, d, period: str, compare: str | None, history: list[str]
           ) -> dict[str, list[dict]]:
    """Counts over every period asked for; the rest only for `period` itself; movement
    between `period` and `compare`, and between consecutive `history` periods."""
    import ibis
    import pyarrow as pa

    cur = d.filter(d.period == period)
    people = con.create_table("report_people", movement.persons(d), temp=True)

    def pairs(rows: list[tuple[str, str]]):
        return ibis.memtable(pa.table({"period": pa.array([r[0] for r in rows], pa.string()),
                                       "before": pa.array([r[1] for r in rows], pa.string())}))

    consecutive = list(zip(history[1:], history[:-1], strict=False))
    pair = movement.moved(people, pairs([(period, compare)])) if compare else None
    out = {
        "levels": frame.rows(con, movement.levels(people)),
        "by_age": frame.rows(con, movement.by_age(people.filter(people.period == period))),
        "matrix": frame.rows(con, movement.matrix(pair)) if compare else [],
        "moves": frame.rows(con, movement.flows(pair)) if compare else [],
        "flows": frame.rows(con, movement.flows(movement.moved(people, pairs(consecutive))))
        if consecutive else [],
    }
    return out | {
        "headline": frame.rows(con, figures.headline(d)),
        "steps": frame.rows(con, figures.by_step(d)),
        "groups": frame.rows(con, figures.by_group(d)),
        "services": frame.rows(con, figures.by_service(d)),
        "conc_service": frame.rows(con, conc.concentration(cur, "service")),
        "conc_group": frame.rows(con, conc.concentration(cur, "group")),
        "long_term": frame.rows(con, long_term.long_term(cur)),
        "unmapped": frame.rows(con, quality.unmapped(cur)),
        "totals": frame.rows(con, quality.totals(cur)),
        "missing_hours": frame.rows(con, quality.missing_hours(cur)),
        "conflicts": frame.rows(con, quality.conflicting_persons(cur)),
    }


def _split(data: dict[str, list[dict]]) -> dict[str | None, dict[str, list[dict]]]:
    """The query results per unit scope (None = the whole municipality)."""
    out: dict[str | None, dict[str, list[dict]]] = {}
    for key, rows in data.items():
        for r in rows:
            out.setdefault(r["unit_scope"], {k: [] for k in data})[key].append(r)
    return out


def _index(rows: list[dict], *keys: str) -> dict[tuple, dict]:
    return {tuple(r[k] for k in keys): r for r in rows}


def _assemble(catalog: Catalog, period: str, compare: str | None, hist: list[str], n: int,
              extracts: dict[str, ExtractInfo], data: dict[str, list[dict]],
              unit: str | None) -> Report:
    head = _index(data["headline"], "period")
    steps = _index(data["steps"], "period", "step")
    groups = _index(data["groups"], "period", "group")
    services = _index(data["services"], "period", "service")

    def count(table: dict, p: str | None, key: str, field: str) -> int | None:
        if p is None:
            return None
        return (table.get((p, key)) or {}).get(field) or 0

    report_steps = []
    for s in catalog.steps:
        v, prev = count(steps, period, s.name, "services"), count(steps, compare, s.name,
                                                                  "services")
        report_steps.append(counts_with_change(StepRow(
            step=s.name, order=s.order, category=s.category, services=v,
            users=count(steps, period, s.name, "users"), previous=prev,
            **dict(zip(("change", "change_pct"), change(v, prev), strict=True))),
            ("services", "users", "previous"), "services", n))

    group_step: dict[str, str] = {}
    for svc in catalog.mapped:
        group_step.setdefault(svc.group, svc.step)  # type: ignore[arg-type]
    report_groups = []
    for g, step in group_step.items():
        v, prev = count(groups, period, g, "services"), count(groups, compare, g, "services")
        report_groups.append(counts_with_change(GroupRow(
            group=g, step=step, services=v, users=count(groups, period, g, "users"),
            previous=prev, **dict(zip(("change", "change_pct"), change(v, prev), strict=True))),
            ("services", "users", "previous"), "services", n))

    report_services = []
    for svc in catalog.mapped:
        r = services.get((period, svc.name)) or {}
        v, prev = r.get("count") or 0, count(services, compare, svc.name, "count")
        new, ended = r.get("new") or 0, r.get("ended") or 0
        row = ServiceRow(
            service=svc.name, group=svc.group, step=svc.step,  # type: ignore[arg-type]
            role=svc.role, count=v,
            users=r.get("users") or 0, previous=prev,
            **dict(zip(("change", "change_pct"), change(v, prev), strict=True)),
            new=new, ended=ended, net=new - ended, approved_hours=r.get("approved_hours"),
            resource_hours=r.get("resource_hours"))
        row = counts_with_change(row, ("count", "users", "previous", "new", "ended"), "count", n,
                                 {"approved_hours": r.get("approved_persons"),
                                  "resource_hours": r.get("resource_persons")})
        if {"new", "ended"} & set(row.suppressed):
            row = withhold(row, ["net"])
        report_services.append(row)

    return Report(
        period=period, as_of=extracts[period].as_of, previous_period=compare,
        suppression_threshold=n, unit=unit,
        headline=_headline(head.get((period,), {}), head.get((compare,), {}) if compare else None,
                           n),
        steps=report_steps, groups=report_groups, services=report_services,
        concentration=_concentration(catalog, period, data, n),
        long_term_stays=_long_term(catalog, period, data, n),
        data_quality=_quality(period, data, n),
        levels=_levels(catalog, period, compare, data, n),
        transitions=_transitions(catalog, data, n) if compare else None,
        by_age=_by_age(catalog, data, n),
        history=_history(catalog, hist, head, steps, groups, services, n, data)
        if hist else None,
        provenance=Provenance(
            extracts=[ExtractProvenance(period=x.period, as_of=x.as_of, file_name=x.file_name,
                                        file_sha256=x.file_sha256, rows=x.rows,
                                        ingested_at=x.ingested_at, tool_version=x.tool_version)
                      for p, x in extracts.items() if p in {period, compare, *hist}],
            catalog_file=catalog.file_name, catalog_sha256=catalog.sha256,
            tool_version=__version__, generated_at=dt.datetime.now().replace(microsecond=0)),
    )


def _headline(cur: dict | None, prev: dict | None, n: int) -> dict[str, Figure]:
    cur = cur or {}

    def value(row: dict | None, name: str) -> float | None:
        if row is None:
            return None
        if name == "services_per_user":
            users = row.get("unique_users") or 0
            return row["services_total"] / users if users else None
        v = row.get(name)
        # counts and the home-nursing sums are 0 over an empty set; the mean stay is null
        sums = ("unique_users", "services_total", "new_decisions", "ended_decisions",
                "home_nursing_approved_hours", "home_nursing_resource_hours")
        return (v or 0) if name in sums else v

    basis = {"services_per_user": "unique_users",
             "home_nursing_approved_hours": "home_nursing_approved_persons",
             "home_nursing_resource_hours": "home_nursing_resource_persons",
             "long_term_avg_days": "long_term_persons"}
    out = {}
    for name in HEADLINE:
        v, p = value(cur, name), value(prev, name)
        fig = Figure(value=v, previous=p, **dict(zip(("change", "change_pct"), change(v, p),
                                                     strict=True)))
        if name in basis:
            hide = [f for f, row in (("value", cur), ("previous", prev))
                    if row is not None and small(row.get(basis[name]), n)]
            if hide:
                fig = withhold(fig, [*hide, "change", "change_pct"])
        else:
            fig = counts_with_change(fig, ("value", "previous"), "value", n)
        out[name] = fig
    return out


def _concentration(catalog: Catalog, period: str, data: dict, n: int) -> list[ConcentrationRow]:
    out = []
    for scope_type, key, names in (
            ("service", "conc_service", [s.name for s in catalog.mapped]),
            ("group", "conc_group", list(dict.fromkeys(s.group for s in catalog.mapped)))):
        found = _index(data[key], "period", scope_type)
        for name in names:
            r = found.get((period, name))
            if r is None:
                continue
            row = ConcentrationRow(
                scope_type=scope_type, scope=name, users=r["users"], hours=r["hours"],
                under_1h=r["under_1h"], h1_to_6=r["h1_to_6"], h6_to_12=r["h6_to_12"],
                h12_plus=r["h12_plus"], top10_users=math.ceil(r["users"] / 10),
                **conc.shares(r))
            derived = ("hours", "top10_hours_pct", "below_2h_users_pct", "below_2h_hours_pct",
                       "gini", "lorenz")
            hide = [f for f in ("users", "under_1h", "h1_to_6", "h6_to_12", "h12_plus",
                                "top10_users") if small(getattr(row, f), n)]
            if small(r["users"], n):
                hide += derived
            if small(row.top10_users, n):  # a share held by fewer than N persons
                hide += ["top10_hours_pct"]
            if small(r["below_2h_users"], n):
                hide += ["below_2h_users_pct", "below_2h_hours_pct"]
            if n and (r["users"] < 10 * n or {"top10_hours_pct", "below_2h_hours_pct"} & set(
                    hide)):
                hide.append("lorenz")  # a decile would be a few persons, or give a share back
            out.append(withhold(row, list(dict.fromkeys(hide))))
    return out


def _long_term(catalog: Catalog, period: str, data: dict, n: int) -> list[LongTermRow]:
    found = _index(data["long_term"], "period", "service")
    out = []
    for svc in catalog.mapped:
        if svc.role != frame.LONG_TERM:
            continue
        r = found.get((period, svc.name)) or {}
        row = LongTermRow(
            service=svc.name, residents=r.get("residents") or 0,
            under_150_days=r.get("under_150_days") or 0,
            days_150_to_365=r.get("days_150_to_365") or 0,
            days_365_to_730=r.get("days_365_to_730") or 0,
            over_730_days=r.get("over_730_days") or 0,
            median_days=r.get("median_days"), mean_days=r.get("mean_days"))
        hide = [f for f in ("residents", "under_150_days", "days_150_to_365", "days_365_to_730",
                            "over_730_days") if small(getattr(row, f), n)]
        if small(r.get("persons"), n):
            hide += ["median_days", "mean_days"]
        out.append(withhold(row, hide))
    return out


def _quality(period: str, data: dict, n: int) -> DataQuality:
    totals = _index(data["totals"], "period").get((period,)) or {"rows": 0, "active": 0,
                                                                  "future": 0}
    unmapped = sorted((r for r in data["unmapped"] if r["period"] == period),
                      key=lambda r: (-r["rows"], r["service"]))
    warnings: list[QualityWarning] = []
    for r in data["missing_hours"]:
        if r["period"] == period:
            warnings.append(QualityWarning(
                code="missing_hours", service=r["service"], count=r["missing"],
                message="aktive vedtak uten timer eller med 0 timer, i en tjeneste der "
                        "vedtak skal ha timer"))
    if totals["future"]:
        warnings.append(QualityWarning(
            code="future_start", count=totals["future"],
            message="vedtak i uttrekket som starter etter telledatoen (ikke aktive ennå)"))
    conflicts = next((r["persons"] for r in data["conflicts"] if r["period"] == period), 0)
    if conflicts:
        warnings.append(QualityWarning(
            code="conflicting_person_data", count=conflicts,
            message="personer med ulikt fødselsår eller kjønn på ulike rader (telles som "
                    "ukjent)"))
    return DataQuality(
        suppressed=[f for f in ("rows", "active") if small(totals[f], n)],
        unmapped_services=[
            withhold(UnmappedService(service=r["service"], rows=r["rows"], active=r["active"]),
                     [f for f in ("rows", "active") if small(r[f], n)]) for r in unmapped],
        rows=None if small(totals["rows"], n) else totals["rows"],
        active=None if small(totals["active"], n) else totals["active"],
        warnings=[withhold(w, ["count"]) if small(w.count, n) else w for w in warnings])


def _history(catalog: Catalog, periods: list[str], head: dict, steps: dict, groups: dict,
             services: dict, n: int, data: dict) -> History:
    def series(table: dict, name, field: str, step: str | None) -> HistorySeries:
        counts = {p: (table.get((p, name)) or {}).get(field) or 0 for p in periods}
        return HistorySeries(name=str(name), step=step, counts={
            p: (None if small(v, n) else v) for p, v in counts.items()})

    group_step = {}
    for s in catalog.mapped:
        group_step.setdefault(s.group, s.step)
    levels = _index(data["levels"], "period", "level")
    figures_by_period = {p: _headline(head.get((p,), {}), None, n) for p in periods}
    return History(
        periods=periods,
        headline=[HistorySeries(name=name, counts={p: figures_by_period[p][name].value
                                                   for p in periods}) for name in HEADLINE],
        steps=[series(steps, s.name, "services", None) for s in catalog.steps],
        steps_new=[series(steps, s.name, "new", None) for s in catalog.steps],
        steps_ended=[series(steps, s.name, "ended", None) for s in catalog.steps],
        groups=[series(groups, g, "services", st) for g, st in group_step.items()],
        services=[series(services, s.name, "count", s.step) for s in catalog.mapped],
        levels=[series(levels, s.order, "persons", None).model_copy(update={"name": s.name})
                for s in catalog.steps if s.on_staircase],
        flows=_flows(data["flows"], n))


_MOVES = ("moved_down", "moved_up", "stayed", "entered", "left")


def _levels(catalog: Catalog, period: str, compare: str | None, data: dict, n: int
            ) -> list[LevelRow]:
    found = _index(data["levels"], "period", "level")

    def persons(p: str | None, order: int) -> int | None:
        return None if p is None else (found.get((p, order)) or {}).get("persons") or 0

    out = []
    for s in catalog.steps:
        if not s.on_staircase:
            continue
        v, prev = persons(period, s.order), persons(compare, s.order)
        out.append(counts_with_change(LevelRow(
            step=s.name, order=s.order, persons=v, previous=prev,
            **dict(zip(("change", "change_pct"), change(v, prev), strict=True))),
            ("persons", "previous"), "persons", n))
    return out


def _transitions(catalog: Catalog, data: dict, n: int) -> Transitions:
    name = {s.order: s.name for s in catalog.steps}
    rank = {s.name: i for i, s in enumerate(catalog.steps)}
    cells = []
    for r in data["matrix"]:
        a, b, k = r["from_level"], r["to_level"], r["persons"]
        cell = TransitionCell(from_=name.get(a, movement.NONE), to=name.get(b, movement.NONE),
                              persons=k)
        cells.append(withhold(cell, ["persons"]) if small(k, n) else cell)
    totals = _sum_moves(data["moves"])  # the age bands of the one pair
    cells.sort(key=lambda c: (rank.get(c.from_, -1), rank.get(c.to, -1)))
    t = Transitions(matrix=cells, **totals)
    return withhold(t, [f for f in _MOVES if small(totals[f], n)])


def _by_age(catalog: Catalog, data: dict, n: int) -> list[AgeRow]:
    name = {s.order: s.name for s in catalog.steps}
    rows: dict[tuple[str, str], dict] = {}
    for r in data["by_age"]:
        row = rows.setdefault((r["age_band"], r["gender"]), {"users": 0, "levels": {}})
        if r["level"] is None:
            row["users"] = r["persons"]
        else:
            row["levels"][name[r["level"]]] = r["persons"]
    bands = {b: i for i, b in enumerate((*movement.AGE_BANDS, movement.UNKNOWN))}
    genders = {"K": 0, "M": 1, movement.UNKNOWN: 2}
    out = []
    for (band, gender), row in sorted(rows.items(), key=lambda kv: (
            bands[kv[0][0]], genders.get(kv[0][1], 3))):
        levels = {s.name: row["levels"][s.name] for s in catalog.steps
                  if row["levels"].get(s.name)}
        age = AgeRow(age_band=band, gender=gender, users=row["users"], persons_by_level={
            k: (None if small(v, n) else v) for k, v in levels.items()})
        out.append(withhold(age, ["users"]) if small(row["users"], n) else age)
    return out


def _flows(rows: list[dict], n: int) -> list[FlowRow]:
    """Movement per pair of consecutive periods: every age (summed over the age bands: a
    handful of result rows) and each age band."""
    pairs: dict[tuple[str, str], list[dict]] = {}
    for r in sorted(rows, key=lambda r: (r["period"], r["age_band"])):
        pairs.setdefault((r["period"], r["before"]), []).append(r)
    return ([_flow(p, b, None, _sum_moves(rs), n) for (p, b), rs in sorted(pairs.items())]
            + [_flow(r["period"], r["before"], r["age_band"], r, n) for rs in pairs.values()
               for r in rs])


def _sum_moves(rows: list[dict]) -> dict[str, int]:
    """Every age: the sum over the age bands of one pair (a handful of result rows)."""
    return {f: sum(r[f] for r in rows) for f in _MOVES}


def _flow(period: str, before: str, band: str | None, counts: dict, n: int) -> FlowRow:
    row = FlowRow(period=period, before=before, age_band=band,
                  **{f: counts[f] for f in _MOVES})
    return withhold(row, [f for f in _MOVES if small(counts[f], n)])
