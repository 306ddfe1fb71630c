"""A Report from the query rows of every period (contract §4–6), with primary suppression:
the pure half of building a report, with no store and no SQL."""

from __future__ import annotations

import datetime as dt
import math

from innsatstrapp import __version__
from innsatstrapp.catalog import Catalog
from innsatstrapp.metrics.suppress import counts_with_change, small, withhold
from innsatstrapp.model.base import dump, load, replace
from innsatstrapp.model.report import (
    AGE_BANDS,
    BACKWARDS,
    HEADLINE,
    LONG_TERM,
    NONE,
    UNKNOWN,
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
    forward,
)
from innsatstrapp.store import ExtractInfo


def change(value: float | None, previous: float | None) -> tuple[float | None, float | None]:
    if value is None or previous is None:
        return None, None
    pct = (value - previous) / previous * 100 if previous else None
    return value - previous, pct


def split(data: dict[str, list[dict]]) -> dict[str | None, dict[str, list[dict]]]:
    """The query results per unit scope (None = the whole municipality)."""
    out: dict[str | None, dict[str, list[dict]]] = {}
    for key, rows in data.items():
        for r in rows:
            out.setdefault(r["unit_scope"], {k: [] for k in data})[key].append(r)
    return out


def _index(rows: list[dict], *keys: str) -> dict[tuple, dict]:
    return {tuple(r[k] for k in keys): r for r in rows}


def report(catalog: Catalog, period: str, compare: str | None, hist: list[str], n: int,
           extracts: dict[str, ExtractInfo], data: dict[str, list[dict]],
           unit: str | None) -> Report:
    """The report of `period` compared with `compare`, with the history of `hist` (in stored
    order), from one unit scope's query rows; primary suppression only."""
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
        if r or prev:  # else every figure is 0 or none (a unit's other services): none small
            row = counts_with_change(row, ("count", "users", "previous", "new", "ended"),
                                     "count", n, {"approved_hours": r.get("approved_persons"),
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
        transitions=_transitions(catalog, data, n, period, compare) if compare else None,
        by_age=_by_age(catalog, period, data, n),
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
                **shares(r))
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
        if svc.role != LONG_TERM:
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
    # by service: the query's row order is the engine's, not the same from run to run
    for r in sorted(data["missing_hours"], key=lambda r: r["service"]):
        if r["period"] == period:
            warnings.append(QualityWarning(
                code="missing_hours", service=r["service"], count=r["missing"],
                message="aktive vedtak uten timer eller med 0 timer, i en tjeneste der "
                        "vedtak skal ha timer"))
    for r in sorted(data.get("long_hours") or [], key=lambda r: r["service"]):
        if r["period"] == period:
            warnings.append(QualityWarning(
                code="hours_over_week", service=r["service"], count=r["decisions"],
                message="aktive vedtak med flere vedtakstimer i uka enn uka har (over 168)"))
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
    empty: dict = {}
    levels = _index(data["levels"], "period", "level")
    # the names each table has rows of (its keys are (period, name))
    present = {id(t): {k[1] for k in t} for t in (steps, groups, services, levels)}

    def series(table: dict, name, field: str, step: str | None) -> HistorySeries:
        if name not in present[id(table)]:  # a unit's other services: 0 in every period
            return HistorySeries(name=str(name), step=step, counts=dict.fromkeys(periods, 0))
        # small(v, n), inline: thousands of series of every period, in the dashboard's view
        counts = {p: (table.get((p, name)) or empty).get(field) or 0 for p in periods}
        return HistorySeries(name=str(name), step=step, counts={
            p: (None if 0 < v < n else v) for p, v in counts.items()})

    group_step = {}
    for s in catalog.mapped:
        group_step.setdefault(s.group, s.step)
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
        levels=[replace(series(levels, s.order, "persons", None), name=s.name)
                for s in catalog.steps if s.on_staircase],
        flows=_flows(catalog, data, n, list(zip(periods[1:], periods[:-1], strict=False))))


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


def _transitions(catalog: Catalog, data: dict, n: int, period: str, compare: str
                 ) -> Transitions:
    """The matrix from the compared period to `period`, also when that is backwards."""
    t = pair(catalog, data, n, *forward(period, compare))[0]
    if compare < period:
        return t
    return load(Transitions, transpose(dump(t), [s.name for s in catalog.steps]))


def transpose(t: dict, steps: list[str]) -> dict:
    """Movement from the earlier month to the later, seen the other way (a report compared
    with a later month): the same figures; the matrix in the order of `steps`, «ingen»
    first."""
    rank = {s: i for i, s in enumerate(steps)}
    out = {BACKWARDS.get(k, k): v for k, v in t.items()}
    out["suppressed"] = [BACKWARDS.get(f, f) for f in t["suppressed"]]
    out["matrix"] = sorted((c | {"from": c["to"], "to": c["from"]} for c in t["matrix"]),
                           key=lambda c: (rank.get(c["from"], -1), rank.get(c["to"], -1)))
    return out


def pair(catalog: Catalog, data: dict, n: int, period: str, before: str
         ) -> tuple[Transitions, list[FlowRow]]:
    """Movement from `before` to `period`: the matrix with its totals, and the totals per
    age band (primary suppression only)."""
    name = {s.order: s.name for s in catalog.steps}
    rank = {s.name: i for i, s in enumerate(catalog.steps)}
    cells = []
    for r in data["matrix"]:
        if (r["period"], r["before"]) != (period, before):
            continue
        a, b, k = r["from_level"], r["to_level"], r["persons"]
        cell = TransitionCell(from_=name.get(a, NONE), to=name.get(b, NONE),
                              persons=k)
        cells.append(withhold(cell, ["persons"]) if small(k, n) else cell)
    bands = sorted((r for r in data["moves"] if (r["period"], r["before"]) == (period, before)),
                   key=lambda r: r["age_band"])
    totals = _sum_moves(bands)
    cells.sort(key=lambda c: (rank.get(c.from_, -1), rank.get(c.to, -1)))
    t = Transitions(matrix=cells, **totals)
    return (withhold(t, [f for f in _MOVES if small(totals[f], n)]),
            [_flow(period, before, r["age_band"], r, n) for r in bands])


def _by_age(catalog: Catalog, period: str, data: dict, n: int) -> list[AgeRow]:
    name = {s.order: s.name for s in catalog.steps}
    rows: dict[tuple[str, str], dict] = {}
    for r in data["by_age"]:
        if r["period"] != period:
            continue
        row = rows.setdefault((r["age_band"], r["gender"]), {"users": 0, "levels": {}})
        if r["level"] is None:
            row["users"] = r["persons"]
        else:
            row["levels"][name[r["level"]]] = r["persons"]
    bands = {b: i for i, b in enumerate((*AGE_BANDS, UNKNOWN))}
    genders = {"K": 0, "M": 1, UNKNOWN: 2}
    out = []
    for (band, gender), row in sorted(rows.items(), key=lambda kv: (
            bands[kv[0][0]], genders.get(kv[0][1], 3))):
        levels = {s.name: row["levels"][s.name] for s in catalog.steps
                  if row["levels"].get(s.name)}
        age = AgeRow(age_band=band, gender=gender, users=row["users"], persons_by_level={
            k: (None if small(v, n) else v) for k, v in levels.items()})
        out.append(withhold(age, ["users"]) if small(row["users"], n) else age)
    return out


def _flows(catalog: Catalog, data: dict, n: int, pairs: list[tuple[str, str]]
           ) -> list[FlowRow]:
    """Movement per pair of consecutive periods: every age (the matrix's totals), then each
    age band."""
    # each pair's rows apart first: `pair` reads the rows of one pair
    by_pair: dict[tuple[str, str], dict[str, list[dict]]] = {}
    for name in ("matrix", "moves"):
        for r in data[name]:
            by_pair.setdefault((r["period"], r["before"]), {"matrix": [], "moves": []})[
                name].append(r)
    none: dict[str, list[dict]] = {"matrix": [], "moves": []}
    moves = [(p, b, *pair(catalog, by_pair.get((p, b), none), n, p, b)) for p, b in pairs]
    moves = [m for m in moves if m[3]]  # a pair with nobody on the staircase has no rows
    return [flow_row(p, b, t) for p, b, t, _ in moves] + [
        row for *_, bands in moves for row in bands]


def flow_row(period: str, before: str, t: Transitions) -> FlowRow:
    """The every-age row of the history flows: the totals of the pair's matrix."""
    return FlowRow(period=period, before=before, age_band=None,
                   suppressed=[f for f in t.suppressed if f in _MOVES],
                   **{f: getattr(t, f) for f in _MOVES})


def _sum_moves(rows: list[dict]) -> dict[str, int]:
    """Every age: the sum over the age bands of one pair (a handful of result rows)."""
    return {f: sum(r[f] for r in rows) for f in _MOVES}


def _flow(period: str, before: str, band: str | None, counts: dict, n: int) -> FlowRow:
    row = FlowRow(period=period, before=before, age_band=band,
                  **{f: counts[f] for f in _MOVES})
    return withhold(row, [f for f in _MOVES if small(counts[f], n)])


def shares(row: dict) -> dict:
    """Percent shares and Gini from the aggregated sums; null when hours is 0."""
    n, total = row["users"], row["hours"]
    if not total:
        return {"top10_hours_pct": None, "below_2h_users_pct": None, "below_2h_hours_pct": None,
                "gini": None, "lorenz": None}
    lorenz = [0.0] + [100 * (row[f"lorenz_{k}"] or 0.0) / total for k in range(1, 10)] + [100.0]
    return {
        "top10_hours_pct": 100 * (row["top_hours"] or 0.0) / total,
        "below_2h_users_pct": 100 * row["below_2h_users"] / n,
        "below_2h_hours_pct": 100 * (row["below_2h_hours"] or 0.0) / total,
        # Gini of n values sorted ascending: 2·Σ i·x_i / (n·Σ x) − (n + 1) / n
        "gini": 2 * row["weighted"] / (n * total) - (n + 1) / n,
        "lorenz": lorenz,
    }
