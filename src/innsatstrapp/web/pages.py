"""What each dashboard page shows, from a report with history: its tables (web.tables) and
its charts (Plotly figures with a text alternative). Templates only lay these out."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from markupsafe import Markup

from innsatstrapp.model import absent
from innsatstrapp.model.report import Report
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import (
    PALETTE,
    month_axis,
    months,
    script_json,
    with_withheld,
    withheld_trace,
    withheld_words,
)
from innsatstrapp.web.tables import WITHHELD, Column, Table, get

# the legend above the plot, where it cannot lie over the month labels under it
LAYOUT = {"separators": ", ", "font": {"family": "system-ui, sans-serif"},
          "margin": {"t": 40, "r": 30, "b": 40, "l": 60}, "height": 340,
          "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"}}


@dataclass(frozen=True)
class Chart:
    id: str
    figure: Markup  # JSON for Plotly
    text: str  # the text alternative: what the chart says, in words
    table: str  # id of the table holding its numbers
    note: str = ""  # a short caption beside it (a sparkline's range)


def _series(counts: dict, periods: list[str], absent: set[str] = frozenset()) -> list:
    """The values of `periods`: WITHHELD for a withheld one, None (shown «–») for a month
    whose extract lacked the column the figure rests on."""
    return [None if p in absent else WITHHELD if counts.get(p) is None else counts[p]
            for p in periods]


def _y(values: list) -> list:
    return [None if v is WITHHELD else v for v in values]


def _line_chart(id_: str, periods: list[str], lines: dict[str, list], title: str,
                text: str, table: str) -> Chart:
    xs = months(periods)
    data = [{"type": "scatter", "mode": "lines+markers", "x": xs, "y": _y(v), "name": n,
             "line": {"color": PALETTE[i % len(PALETTE)]},
             "hovertemplate": "%{x}: %{y:,}<extra>" + n.replace("<", "") + "</extra>"}
            for i, (n, v) in enumerate(lines.items())]
    marks = [withheld_trace(xs, [x is WITHHELD for x in v]) for v in lines.values()]
    hidden = sum(x is WITHHELD for v in lines.values() for x in v)
    return Chart(id_, script_json({"data": with_withheld(data, marks), "layout": {
        **LAYOUT, "xaxis": month_axis(periods),
        "yaxis": {"title": {"text": title}, "separatethousands": True,
                  "rangemode": "tozero"}}}), text + withheld_words(hidden), table)


def _trend_text(name: str, periods: list[str], values: list) -> str:
    known = [(p, v) for p, v in zip(periods, values, strict=True)
             if v is not WITHHELD and v is not None]
    if len(known) < 2:
        return f"{name}: for få måneder med tall til å vise en utvikling."
    (p0, v0), (p1, v1) = known[0], known[-1]
    way = "økte" if v1 > v0 else "falt" if v1 < v0 else "var uendret"
    return (f"{name} {way} fra {f.integer(v0)} i {f.month(p0)} til {f.integer(v1)} i "
            f"{f.month(p1)}.")


def overview(r: Report) -> tuple[list[Table], list[Chart]]:
    steps = Table("trinn", "Tjenester og brukere per trinn", [
        Column("Trinn", "text", True), Column("Tjenester"), Column("Brukere"),
        *([Column("Forrige"), Column("Endring", "signed")] if r.previous_period else [])])
    for s in r.steps:
        steps.rows.append([s.step, get(s, "services"), get(s, "users"),
                           *([get(s, "previous"), get(s, "change")] if r.previous_period
                             else [])])
        steps.links.append(f"/trinn/{s.order}")
    periods = r.history.periods if r.history else [r.period]
    series = {h.name: h.counts for h in r.history.headline} if r.history else {}
    trend = Table("utvikling", "Nøkkeltall per måned",
                  [Column("Måned", "text", True)] + [
                      Column(label, "dec2" if digits else "int")
                      for label, digits in f.HEADLINE_LABELS.values()])
    gone = {name: absent.periods_without(r.history, name) for name in f.HEADLINE_LABELS}
    for p in periods:
        trend.rows.append([p] + [_series(series.get(name, {}), [p], gone[name])[0]
                                 for name in f.HEADLINE_LABELS])
    text = " ".join(
        f"{s.step}: {'skjult' if 'services' in s.suppressed else f.integer(s.services)}."
        for s in r.steps)
    from innsatstrapp.outputs.html import staircase_chart

    charts = [Chart("chart-trinn", staircase_chart(r),
                    f"Stolpediagram over aktive vedtak per trinn. {text}", "trinn")]
    users = _series(series.get("unique_users", {}), periods)
    charts.append(_line_chart("chart-brukere", periods, {"Unike brukere": users},
                              "Brukere", _trend_text("Unike brukere", periods, users),
                              "utvikling"))
    charts += [_sparkline(name, label, digits, periods,
                          _series(series.get(name, {}), periods, gone[name]))
               for name, (label, digits) in f.HEADLINE_LABELS.items()]
    return [steps, trend], charts


def _sparkline(name: str, label: str, digits: int, periods: list[str], values: list
               ) -> Chart:
    """A headline figure's trend in its card (id `spark-NAME`), on an axis from 0 so that a
    change of a few per cent looks like one, with the lowest and highest value said."""
    known = [v for v in values if v is not WITHHELD and v is not None]
    low, high = (min(known), max(known)) if known else (None, None)
    hover = "%{x}: %{y:,." + str(digits) + "f}<extra></extra>"
    yaxis = {"showticklabels": False, "showgrid": False, "zeroline": True,
             "zerolinecolor": "#d5dbe3", "fixedrange": True, "rangemode": "tozero"}
    if high is not None and high > 0:
        yaxis["range"] = [0, high * 1.08]
    shown = digits if high is None or high < 100 else 0  # «4 955–5 348», «2,28–2,32»
    one = (lambda v: f.decimal(v, shown)) if shown else f.integer
    words = f": laveste {one(low)}, høyeste {one(high)}" if known else ""
    note = f"Akse fra 0 · spenn {f.span(low, high, shown)}" if known else ""
    return Chart(f"spark-{name}", script_json({
        "data": [{"type": "scatter", "mode": "lines", "x": months(periods), "y": _y(values),
                  "line": {"color": PALETTE[0]}, "hovertemplate": hover}],
        "layout": {"height": 70, "margin": {"t": 4, "r": 4, "b": 4, "l": 4},
                   "showlegend": False, "separators": ", ",
                   "xaxis": {"visible": False, "fixedrange": True}, "yaxis": yaxis}}),
        f"Utvikling for {label} over {len(periods)} måneder, på en akse fra 0{words}. "
        "Tallene står i tabellen Nøkkeltall per måned.", "utvikling", note)


def step_page(r: Report, step: str) -> tuple[list[Table], list[Chart]]:
    h = r.history
    periods = h.periods if h else [r.period]
    groups = [g for g in r.groups if g.step == step]
    hist_groups = {x.name: x.counts for x in h.groups} if h else {}
    gt = Table("grupper", f"Grupper på {step}, aktive vedtak per måned",
               [Column("Gruppe", "text", True)] + [Column(p) for p in periods])
    for g in groups:
        gt.rows.append([g.group, *_series(hist_groups.get(g.group, {}), periods)])
    flows = Table("flyt", f"Nye og avsluttede vedtak på {step} per måned", [
        Column("Måned", "text", True), Column("Aktive"), Column("Nye"), Column("Avsluttet"),
        Column("Netto", "signed")])
    pick = {key: next((x.counts for x in getattr(h, key) if x.name == step), {}) if h else {}
            for key in ("steps", "steps_new", "steps_ended")}
    no_end = absent.periods_without(h, "steps_ended")
    for p in periods:
        new, ended = _series(pick["steps_new"], [p])[0], _series(pick["steps_ended"], [p],
                                                                 no_end)[0]
        net = WITHHELD if WITHHELD in (new, ended) else None if ended is None else new - ended
        flows.rows.append([p, _series(pick["steps"], [p])[0], new, ended, net])
    services = Table("tjenester", f"Tjenester på {step}: antall, nye, avsluttede og netto", [
        Column("Tjeneste", "text", True), Column("Antall"), Column("Brukere"),
        *([Column("Endring", "signed")] if r.previous_period else []), Column("Nye"),
        Column("Avsluttet"), Column("Netto", "signed"), Column("Vedtatte timer/uke", "dec2")])
    for v in (v for v in r.services if v.step == step):
        services.rows.append([v.service, get(v, "count"), get(v, "users"),
                              *([get(v, "change")] if r.previous_period else []),
                              get(v, "new"), get(v, "ended"), get(v, "net"),
                              get(v, "approved_hours")])
        services.links.append("/tjeneste?" + urlencode({"navn": v.service}))
    lines = {g.group: _series(hist_groups.get(g.group, {}), periods) for g in groups[:8]}
    charts = [_line_chart("chart-grupper", periods, lines, "Aktive vedtak",
                          " ".join(_trend_text(n, periods, v) for n, v in lines.items()),
                          "grupper")]
    new = [row[2] for row in flows.rows]
    ended = [row[3] for row in flows.rows]
    xs = months(periods)
    marks = [withheld_trace(xs, [x is WITHHELD for x in v]) for v in (new, ended)]
    charts.append(Chart("chart-flyt", script_json({"data": with_withheld([
        {"type": "bar", "x": xs, "y": _y(new), "name": "Nye",
         "marker": {"color": PALETTE[2]}},
        {"type": "bar", "x": xs, "y": [None if v is None else -v for v in _y(ended)],
         "name": "Avsluttet", "marker": {"color": PALETTE[3]}}], marks),
        "layout": {**LAYOUT, "barmode": "relative", "xaxis": month_axis(periods),
                   "yaxis": {"title": {"text": "Vedtak (avsluttet nedover)"}}}}),
        f"Stolpediagram over nye (opp) og avsluttede (ned) vedtak per måned på {step}. "
        + _flow_text(periods, new, ended)
        + withheld_words(sum(x is WITHHELD for x in (*new, *ended))), "flyt"))
    return [flows, gt, services], charts


def _flow_text(periods: list[str], new: list, ended: list) -> str:
    # shown: neither withheld nor missing (a month whose extract had no end dates)
    both = [(a, b) for a, b in zip(new, ended, strict=True)
            if not any(x is WITHHELD or x is None for x in (a, b))]
    if not both:
        return ""
    new_sum, ended_sum = sum(a for a, _ in both), sum(b for _, b in both)
    return (f"I de {len(both)} av {len(periods)} månedene der begge tallene vises, kom det "
            f"{f.integer(new_sum)} {'nytt vedtak' if new_sum == 1 else 'nye vedtak'}, og "
            f"{f.integer(ended_sum)} ble avsluttet.")


def service_page(r: Report, name: str) -> tuple[list[Table], list[Chart]]:
    v = next(x for x in r.services if x.service == name)
    h = r.history
    periods = h.periods if h else [r.period]
    counts = _series(next((x.counts for x in h.services if x.name == name), {}) if h else {},
                     periods)
    hist = Table("historikk", f"{name}: aktive vedtak per måned",
                 [Column("Måned", "text", True), Column("Aktive vedtak")],
                 [[p, c] for p, c in zip(periods, counts, strict=True)])
    now = Table("maaned", f"{name} i {f.month(r.period)}", [
        Column("Tall", "text", True), Column("Verdi", "num")], [
        ["Aktive vedtak", get(v, "count")], ["Brukere", get(v, "users")],
        ["Nye vedtak", get(v, "new")], ["Avsluttede vedtak", get(v, "ended")],
        ["Vedtatte timer per uke", get(v, "approved_hours")],
        ["Ressurstimer per uke", get(v, "resource_hours")]])
    tables, charts = [hist, now], [_line_chart(
        "chart-historikk", periods, {name: counts}, "Aktive vedtak",
        _trend_text(name, periods, counts), "historikk")]
    conc = next((c for c in r.concentration if c.scope_type == "service" and c.scope == name),
                None)
    if conc is not None:
        buckets = Table("timer", f"Brukere etter timer per uke i {name}", [
            Column("Timer per uke", "text", True), Column("Brukere")], [
            ["Under 1 time", get(conc, "under_1h")], ["1–6 timer", get(conc, "h1_to_6")],
            ["6–12 timer", get(conc, "h6_to_12")], ["12 timer eller mer", get(conc, "h12_plus")]])
        shares = Table("konsentrasjon", f"Hvor samlet timene er i {name}", [
            Column("Mål", "text", True), Column("Verdi", "num")], [
            ["Brukere med timer", get(conc, "users")], ["Timer per uke", get(conc, "hours")],
            ["Andel av timene hos de 10 % med flest timer (%)", get(conc, "top10_hours_pct")],
            ["Andel brukere under 2 timer (%)", get(conc, "below_2h_users_pct")],
            ["Gini-koeffisient", get(conc, "gini")]])
        tables += [buckets, shares]
        names = [row[0] for row in buckets.rows]
        counts = [row[1] for row in buckets.rows]
        charts.append(Chart("chart-timer", script_json({"data": with_withheld([{
            "type": "bar", "x": names, "y": _y(counts), "marker": {"color": PALETTE[0]},
            "name": "Brukere"}], [withheld_trace(names, [v is WITHHELD for v in counts])]),
            "layout": {**LAYOUT, "yaxis": {"title": {"text": "Brukere"}}}}),
            "Stolpediagram over brukere etter timer per uke: " + "; ".join(
                f"{row[0]}: {buckets.text(row[1], buckets.columns[1])}"
                for row in buckets.rows) + ".", "timer"))
        if conc.lorenz:
            from innsatstrapp.outputs.html import lorenz_chart

            charts.append(Chart(
                "chart-lorenz", lorenz_chart([conc]),
                f"Lorenzkurve: hvor stor andel av timene de brukerne med færrest timer står "
                f"for. De 10 % med flest timer har {f.percent(conc.top10_hours_pct)} av "
                f"timene; Gini {f.decimal(conc.gini, 2)}.", "konsentrasjon"))
    return tables, charts


def long_term_page(r: Report) -> tuple[list[Table], list[Chart]]:
    t = Table("varighet", "Aktive langtidsopphold etter varighet (dager fra vedtakets start "
              "til telledato)", [
                  Column("Tjeneste", "text", True), Column("Beboere"),
                  Column("Under 150 dager"), Column("150 dager–1 år"), Column("1–2 år"),
                  Column("Over 2 år"), Column("Median dager", "dec1"),
                  Column("Snitt dager", "dec1")])
    for x in r.long_term_stays:
        t.rows.append([x.service] + [get(x, n) for n in (
            "residents", "under_150_days", "days_150_to_365", "days_365_to_730",
            "over_730_days", "median_days", "mean_days")])
    h = r.history
    periods = h.periods if h else [r.period]
    avg = _series(next((x.counts for x in h.headline if x.name == "long_term_avg_days"), {})
                  if h else {}, periods)
    trend = Table("snitt", "Snitt døgn per bruker med langtidsopphold per måned",
                  [Column("Måned", "text", True), Column("Snitt døgn", "dec2")],
                  [[p, a] for p, a in zip(periods, avg, strict=True)])
    labels = ["Under 150 dager", "150 dager–1 år", "1–2 år", "Over 2 år"]
    charts = [Chart("chart-varighet", script_json({"data": with_withheld([
        {"type": "bar", "x": labels, "y": _y(row[2:6]), "name": row[0],
         "marker": {"color": PALETTE[i % len(PALETTE)]}} for i, row in enumerate(t.rows)],
        [withheld_trace(labels, [v is WITHHELD for v in row[2:6]]) for row in t.rows]),
        "layout": {**LAYOUT, "yaxis": {"title": {"text": "Beboere"}}}}),
        "Stolpediagram over beboere etter hvor lenge de har bodd: " + " ".join(
            f"{row[0]}: " + ", ".join(f"{lab.lower()} {t.text(v, t.columns[2])}"
                                      for lab, v in zip(labels, row[2:6], strict=True)) + "."
            for row in t.rows), "varighet"),
        _line_chart("chart-snitt", periods, {"Snitt døgn": avg}, "Døgn",
                    _trend_text("Snitt døgn per bruker", periods, avg), "snitt")]
    return [t, trend], charts


def quality_page(r: Report) -> tuple[list[Table], list[Chart]]:
    dq = r.data_quality
    unmapped = Table("uplassert", "Tjenester som ikke er plassert på et trinn (telles i "
                     "nøkkeltallene, ikke i trinnene)", [
                         Column("Tjeneste", "text", True), Column("Rader"),
                         Column("Aktive vedtak")],
                     [[u.service, get(u, "rows"), get(u, "active")]
                      for u in dq.unmapped_services])
    warnings = Table("merknader", "Merknader", [
        Column("Merknad", "text", True), Column("Tjeneste", "text"), Column("Antall")],
        [[w.message, w.service, get(w, "count")] for w in dq.warnings])
    return [unmapped, warnings], []


MOVES = (("moved_down", "Flyttet ned"), ("moved_up", "Flyttet opp"), ("stayed", "Samme trinn"),
         ("entered", "Kom inn"), ("left", "Gikk ut"))


def movement_page(r: Report, band: str | None) -> tuple[list[Table], list[Chart]]:
    """Flows between consecutive months (for every age or one age band), persons per level
    over the months, and the month's transition matrix."""
    from innsatstrapp.outputs import movement as mv

    h = r.history
    rows = [x for x in (h.flows if h else []) if x.age_band == band]
    flows = Table("flyt", "Bevegelse fra måneden før, per måned" + (
        f", alder {band}" if band else ""), [Column("Måned", "text", True)] + [
        Column(label) for _, label in MOVES])
    for x in rows:
        flows.rows.append([x.period] + [get(x, field) for field, _ in MOVES])
    periods = [x.period for x in rows]
    lines = {label: [row[i + 1] for row in flows.rows] for i, (_, label) in enumerate(MOVES)
             if label != "Samme trinn"}
    down, up = lines["Flyttet ned"], lines["Flyttet opp"]
    known = [(d, u) for d, u in zip(down, up, strict=True) if WITHHELD not in (d, u)]
    text = (f"Linjediagram over personer som flyttet ned og opp, kom inn og gikk ut, per måned. "
            f"Over {len(known)} måneder med tall flyttet {f.integer(sum(d for d, _ in known))} "
            f"personer ned og {f.integer(sum(u for _, u in known))} opp." if known else
            "Linjediagram over bevegelsen per måned; for få tall å vise.")
    charts = [_line_chart("chart-flyt", periods, lines, "Personer", text, "flyt")]
    levels = Table("nivaa", "Personer per nivå (høyeste trinn) per måned, alle aldre",
                   [Column("Måned", "text", True)] + [Column(x.name) for x in
                                                      (h.levels if h else [])])
    for p in (h.periods if h else []):
        levels.rows.append([p] + [_series(x.counts, [p])[0] for x in h.levels])
    tables = [flows, levels]
    grid = mv.grid(r)
    if grid is not None:
        matrix = Table("matrise", f"Fra nivå i {f.month(r.previous_period)} (rader) til nivå i "
                       f"{f.month(r.period)} (kolonner), alle aldre",
                       [Column("Fra \\ til", "text", True)] + [
                           Column(mv.label(b)) for b in grid.columns])
        for a in grid.rows:
            matrix.rows.append([mv.label(a)] + [
                None if a == b == mv.NONE else WITHHELD if grid.value(a, b) == "*"
                else grid.value(a, b) for b in grid.columns])
        tables.append(matrix)
        sk = mv.sankey(r)
        if sk:
            charts.append(Chart("chart-sankey", script_json(sk), "Strømdiagram fra nivået i "
                                f"{f.month(r.previous_period)} til nivået i "
                                f"{f.month(r.period)}. " + " ".join(mv.sentences(r)),
                                "matrise"))
    return tables, charts
