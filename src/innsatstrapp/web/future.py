"""The dashboard page «Framtid»: the plan to 2040, with the scenarios' shares and years
editable in the page. An edit projects again from the plan's basis (milliseconds, no store
query); a bad value is said in words and the scenario's file value is kept."""

from __future__ import annotations

from dataclasses import dataclass

from innsatstrapp.model.plan import Plan
from innsatstrapp.outputs import comparison
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import script_json, with_withheld, withheld_trace
from innsatstrapp.outputs.plan.html import COST_AXIS, COST_SCALE, colours
from innsatstrapp.plan.scenarios import Scenario, Shift, moved_out, share, year
from innsatstrapp.web.pages import LAYOUT, Chart, _y
from innsatstrapp.web.tables import WITHHELD, Column, Table, get


@dataclass(frozen=True)
class Edits:
    """The scenarios after the page's edits, and what could not be used."""

    scenarios: list[Scenario]
    problems: list[str]
    changed: bool


def edit(scenarios: tuple[Scenario, ...], andel: list[str], start: list[str],
         full: list[str]) -> Edits:
    """Apply the form's values, one per shift in file order; an empty form keeps the file."""
    shifts = [(i, s) for i, sc in enumerate(scenarios) for s in sc.shifts]
    if not (andel or start or full):
        return Edits(list(scenarios), [], False)
    if not len(andel) == len(start) == len(full) == len(shifts):
        return Edits(list(scenarios), ["Skjemaet passer ikke til scenarioene (last siden på "
                                       "nytt)."], False)
    problems: list[str] = []
    new: list[list[Shift]] = [[] for _ in scenarios]
    for k, (i, s) in enumerate(shifts):
        where = f"«{scenarios[i].name}», {s.source} → {s.target}"
        percent = share(andel[k])
        years = [year(start[k]), year(full[k])]
        if percent is None:
            problems.append(f"{where}: andelen «{andel[k]}» må være et tall fra 0 til 100.")
            percent = s.share
        if None in years:
            problems.append(f"{where}: startår og fullt år må være årstall.")
            years = [s.start, s.full]
        elif years[1] < years[0]:
            problems.append(f"{where}: fullt år {years[1]} kommer før startåret {years[0]}.")
            years = [s.start, s.full]
        new[i].append(Shift(s.source, s.target, percent, years[0], years[1]))
    out = []
    for sc, shifts_ in zip(scenarios, new, strict=True):
        over = [step for step, total in moved_out(shifts_).items() if total > 100 + 1e-9]
        if over:
            problems.append(f"«{sc.name}» flytter mer enn 100 % av brukerne på "
                            f"{', '.join(over)}; scenarioets tall fra filen brukes.")
            out.append(sc)
        else:
            out.append(Scenario(sc.name, tuple(shifts_)))
    return Edits(out, problems, out != list(scenarios))


def future_page(plan: Plan) -> tuple[list[Table], list[Chart]]:
    """Users per step in the last year for every scenario, and cost and FTE per year: the
    figures behind the page's charts, from the plan as published (`disclose.published`:
    rounded, today's withheld counts withheld)."""
    last = plan.to_year
    names = [sc.scenario for sc in plan.scenarios]
    users = Table("brukere", f"Brukere per trinn i {last} (framskrevet, avrundet)", [
        Column("Trinn", "text", True), Column(f"I dag ({plan.base_year})"),
        *(Column(n) for n in names)])
    for j, row in enumerate(plan.matrix):
        users.rows.append([row.step, get(plan.scenarios[0].years[0].steps[j], "users"),
                           *(get(sc.years[-1].steps[j], "users") for sc in plan.scenarios)])
    users.rows.append(["Sum over trinnene", get(plan.scenarios[0].years[0], "users"),
                       *(get(sc.years[-1], "users") for sc in plan.scenarios)])
    palette = colours(len(names))
    steps = [r.step for r in plan.matrix]
    columns = [[row[2 + k] for row in users.rows[:-1]] for k in range(len(names))]
    charts = [Chart("chart-framtid-trinn", script_json({"data": with_withheld([
        {"type": "bar", "x": steps, "y": _y(columns[k]),
         "name": n, "marker": {"color": palette[k]},
         "hovertemplate": "%{x}: %{y:,}<extra>" + n.replace("<", "") + "</extra>"}
        for k, n in enumerate(names)],
        [withheld_trace(steps, [v is WITHHELD for v in c]) for c in columns]),
        "layout": {**LAYOUT, "barmode": "group", "height": 380,
                   "yaxis": {"title": {"text": f"Brukere {last}"}, "tickformat": ",d"}}}),
        "Stolpediagram over brukere per trinn i " + str(last) + " for hvert scenario: " + " ".join(
            f"{row[0]}: " + ", ".join(f"{n} {f.integer(v)}" for n, v in
                                     zip(names, row[2:], strict=True)) + "."
            for row in users.rows[:-1]), "brukere")]
    tables = [users]
    # cost in the unit of plan.html's chart and sentences (mill. kr), one decimal as FTE
    for field, label, scale, axis, unit in (
            ("cost", "Kostnad per år (mill. kr)", COST_SCALE, COST_AXIS, " mill. kr"),
            ("fte", "Årsverk per år", 1, "Årsverk", " årsverk")):
        if all(getattr(y, field) is None for y in plan.scenarios[0].years):
            continue
        t = Table(field, label, [Column("År", "text", True),
                                 *(Column(n, "dec1") for n in names)])
        for i, y in enumerate(range(plan.base_year, last + 1)):
            t.rows.append([str(y), *(
                None if (v := getattr(sc.years[i], field)) is None else round(v / scale, 1)
                for sc in plan.scenarios)])
        tables.append(t)
        first, end = t.rows[0], t.rows[-1]
        charts.append(Chart(f"chart-framtid-{field}", script_json({"data": [
            {"type": "scatter", "mode": "lines+markers", "x": [r[0] for r in t.rows],
             "y": [r[1 + k] for r in t.rows], "name": n,
             "hovertemplate": "%{x}: %{y:,.1f}" + unit + "<extra>" + n.replace("<", "")
                              + "</extra>",
             "line": {"color": palette[k], "dash": "solid" if k == 0 else "dash"}}
            for k, n in enumerate(names)],
            "layout": {**LAYOUT, "xaxis": {"type": "category"},
                       "yaxis": {"title": {"text": axis}, "tickformat": ",d"}}}),
            f"{label} for hvert scenario, fra {first[0]} til {end[0]}: " + ", ".join(
                f"{n} {_text(v)}" for n, v in zip(names, end[1:], strict=True)) + ".",
            field))
    own = kostra_table(plan)
    return tables + ([own] if own else []), charts


def kostra_table(plan: Plan) -> Table | None:
    """The plan's own figures beside KOSTRA's newest for the municipality (the page lists
    how each is computed and how it differs below the table)."""
    if plan.kostra is None:
        return None
    code = plan.kostra.municipality
    t = Table("kostra", "Egne tall ved siden av KOSTRA", [
        Column("Indikator", "text", True), Column(comparison.own_label(plan.as_of), "text"),
        Column("KOSTRA for kommunen, nyeste år", "text")])
    for fig in plan.kostra.figures:
        own = comparison.own_value(fig)
        published = "ikke lest inn"
        if fig.kostra is not None and (year := comparison.latest(fig.kostra, code)):
            mine = comparison.own_region(fig.kostra, code).values[year]
            published = f"{comparison.value(mine, comparison.digits(fig.kostra))} ({year})"
        t.rows.append([fig.indicator, WITHHELD if own is None else own, published])
    return t


def _text(value: float | None) -> str:
    return "–" if value is None else f.decimal(value, 1)
