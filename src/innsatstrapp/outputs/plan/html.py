"""plan.html: one self-contained Norwegian page for the plan (Plotly's JS from the installed
package, no CDN): the sentences first, then population, today's staircase, the projection of
every scenario side by side, cost and FTE, the rates, and how the figures are made."""

from __future__ import annotations

import math
from pathlib import Path

from markupsafe import Markup, escape

from innsatstrapp.model.plan import Plan, ScenarioRows
from innsatstrapp.model.report import AGE_BANDS
from innsatstrapp.outputs import comparison
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import GREY, PALETTE, plotly_text, script_json, withheld_trace
from innsatstrapp.outputs.html import BUNDLE, SUPPRESSED, write_page
from innsatstrapp.outputs.plan import sentences as say
from innsatstrapp.plan.disclose import published

FONT = {"family": "system-ui, sans-serif"}
# the unit of cost in the page's charts and sentences, and on the dashboard's Framtid
COST_SCALE, COST_AXIS = 1e6, "Mill. kr per år"


def colours(n: int) -> list[str]:
    """The baseline grey, then the report's palette."""
    return [GREY, *PALETTE][:n] if n <= len(PALETTE) + 1 else [GREY, *PALETTE] * n


def value(row, field: str, digits: int = 0, scale: float = 1) -> Markup:
    """A table value: `*` when withheld, `–` when there is none."""
    if field in row.suppressed:
        return SUPPRESSED
    v = getattr(row, field)
    if v is None:
        return Markup("–")
    return escape(f.decimal(v / scale, digits) if digits else f.integer(v / scale))


def pyramid_chart(plan: Plan) -> Markup:
    """Men to the left, women to the right; the base year filled, the last year outlined."""
    groups = list(dict.fromkeys(r.age_group for r in plan.pyramid))
    data = []
    for year, filled in ((plan.base_year, True), (plan.to_year, False)):
        for gender, sign, colour in (("M", -1, PALETTE[0]), ("K", 1, PALETTE[1])):
            rows = {r.age_group: r.persons for r in plan.pyramid
                    if r.year == year and r.gender == gender}
            data.append({
                "type": "bar", "orientation": "h", "y": groups,
                "x": [sign * rows.get(g, 0) for g in groups],
                "customdata": [f.integer(rows.get(g, 0)) for g in groups],
                "name": f"{'Menn' if gender == 'M' else 'Kvinner'} {year}",
                "hovertemplate": "%{y} år: %{customdata}<extra>%{fullData.name}</extra>",
                "marker": {"color": colour if filled else "rgba(0,0,0,0)",
                           "line": {"color": "#1d2733" if not filled else colour,
                                    "width": 1.5 if not filled else 0}},
                "opacity": 0.75 if filled else 1})
    step = _nice(max((r.persons for r in plan.pyramid), default=1) / 2)
    ticks = [k * step for k in (-2, -1, 0, 1, 2)]
    return script_json({"data": data, "layout": {
        "barmode": "overlay", "bargap": 0.08, "height": 480, "separators": ", ", "font": FONT,
        "margin": {"t": 60, "r": 10, "b": 50, "l": 60},
        "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
        "xaxis": {"tickvals": ticks, "ticktext": [f.integer(abs(t)) for t in ticks],
                  "title": {"text": "Personer (menn til venstre, kvinner til høyre)"}},
        "yaxis": {"title": {"text": "Alder"}}}})


def _nice(value: float) -> float:
    """A round tick step near `value`: 1, 2 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(k * power for k in (1, 2, 5, 10) if k * power >= value)


def elderly_chart(plan: Plan) -> Markup:
    years = [p.year for p in plan.population]
    data = [{"type": "scatter", "mode": "lines+markers", "x": years,
             "y": [getattr(p, field) for p in plan.population], "name": label,
             "line": {"color": colour}}
            for field, label, colour in (("age_67_plus", "67 år og eldre", PALETTE[0]),
                                         ("age_80_plus", "80 år og eldre", PALETTE[1]))]
    return script_json({"data": data, "layout": {
        "height": 320, "separators": ", ", "font": FONT, "legend": {"orientation": "h"},
        "margin": {"t": 20, "r": 10, "b": 40, "l": 70},
        "xaxis": {"tickformat": "d"},
        "yaxis": {"tickformat": ",d", "rangemode": "tozero",
                  "title": {"text": "Innbyggere 1. januar"}}}})


def matrix_chart(plan: Plan) -> Markup:
    """Users per step, and the cost per step where the accounts give one."""
    rows = plan.matrix
    steps = [r.step for r in rows]
    users = [None if "users" in r.suppressed else r.users for r in rows]
    data = [{"type": "bar", "x": steps, "y": users, "name": "Brukere", "xaxis": "x",
             "yaxis": "y", "marker": {"color": PALETTE[0]},
             "text": ["*" if u is None else f.integer(u) for u in users],
             "textposition": "outside", "cliponaxis": False,
             "hovertemplate": "%{x}: %{text} brukere<extra></extra>"}]
    mark = withheld_trace(steps, [u is None for u in users])
    if mark is not None:  # a withheld bar is a «*» on the axis, never a gap
        data.append(mark | {"xaxis": "x", "yaxis": "y"})
    layout = {"height": 380, "separators": ", ", "font": FONT, "showlegend": False,
              "margin": {"t": 40, "r": 10, "b": 70, "l": 60},
              "xaxis": {"domain": [0, 1]},
              "yaxis": {"title": {"text": "Brukere"}, "tickformat": ",d"},
              "annotations": []}
    if any(r.cost is not None for r in rows):
        layout["xaxis"]["domain"] = [0, 0.47]
        layout |= {"xaxis2": {"domain": [0.55, 1], "anchor": "y2"},
                   "yaxis2": {"anchor": "x2", "title": {"text": COST_AXIS}}}
        cost = [None if r.cost is None else r.cost / COST_SCALE for r in rows]
        data.append({"type": "bar", "x": steps, "y": cost, "name": "Kostnad",
                     "xaxis": "x2", "yaxis": "y2", "marker": {"color": PALETTE[1]},
                     "text": ["" if c is None else f.decimal(c, 1) for c in cost],
                     "textposition": "outside", "cliponaxis": False,
                     "hovertemplate": "%{x}: %{text} mill. kr<extra></extra>"})
        layout["annotations"] = [
            {"text": "Brukere på telledatoen", "x": 0.23, "y": 1.1, "xref": "paper",
             "yref": "paper", "showarrow": False},
            {"text": "Kostnad (regnskapet)", "x": 0.78, "y": 1.1, "xref": "paper",
             "yref": "paper", "showarrow": False}]
    return script_json({"data": data, "layout": layout})


def steps_chart(plan: Plan) -> Markup:
    """Small multiples: one panel per step with users, a line per scenario."""
    steps = [r.step for r in plan.matrix
             if any((s.users or 0) >= 0.5 for sc in plan.scenarios for y in sc.years
                    for s in y.steps if s.step == r.step)]
    cols = 3
    nrows = max(1, -(-len(steps) // cols))
    data, layout = [], {"height": 250 * nrows + 60, "separators": ", ", "font": FONT,
                        "margin": {"t": 30, "r": 10, "b": 40, "l": 50},
                        "legend": {"orientation": "h", "y": -0.08}, "annotations": []}
    gap_x, gap_y = 0.06, 0.09
    width, height = (1 - gap_x * (cols - 1)) / cols, (1 - gap_y * (nrows - 1)) / nrows
    palette = colours(len(plan.scenarios))
    for i, step in enumerate(steps):
        r, c = divmod(i, cols)
        n = "" if i == 0 else str(i + 1)
        x0 = c * (width + gap_x)
        y1 = 1 - r * (height + gap_y)
        layout[f"xaxis{n}"] = {"domain": [x0, x0 + width], "anchor": f"y{n}",
                               "tickformat": "d", "nticks": 5}
        layout[f"yaxis{n}"] = {"domain": [y1 - height, y1], "anchor": f"x{n}",
                               "rangemode": "tozero", "tickformat": ",d"}
        layout["annotations"].append({"text": f"<b>{plotly_text(step)}</b>", "x": x0 + width / 2,
                                      "y": y1 + 0.01, "xref": "paper", "yref": "paper",
                                      "showarrow": False, "yanchor": "bottom"})
        for k, sc in enumerate(plan.scenarios):
            ys = [next(s.users for s in y.steps if s.step == step) for y in sc.years]
            data.append({"type": "scatter", "mode": "lines", "x": [y.year for y in sc.years],
                         "y": ys, "name": sc.scenario,
                         "legendgroup": sc.scenario, "showlegend": i == 0,
                         "xaxis": f"x{n}", "yaxis": f"y{n}",
                         "line": {"color": palette[k], "width": 2.5 if k == 0 else 2,
                                  "dash": "solid" if k == 0 else "dash"},
                         "hovertemplate": f"{step} %{{x}}: %{{y:,.0f}}<extra>{sc.scenario}"
                                          "</extra>"})
    return script_json({"data": data, "layout": layout})


def money_chart(plan: Plan, field: str) -> Markup | None:
    """Cost (mill. kr) or FTE per year, a line per scenario; None without accounts."""
    if all(getattr(y, field) is None for sc in plan.scenarios for y in sc.years):
        return None
    scale, title = (COST_SCALE, COST_AXIS) if field == "cost" else (1, "Årsverk")
    palette = colours(len(plan.scenarios))
    data = [{"type": "scatter", "mode": "lines+markers", "x": [y.year for y in sc.years],
             "y": [None if getattr(y, field) is None else round(getattr(y, field) / scale, 1)
                   for y in sc.years], "name": sc.scenario,
             "line": {"color": palette[k], "dash": "solid" if k == 0 else "dash"}}
            for k, sc in enumerate(plan.scenarios)]
    return script_json({"data": data, "layout": {
        "height": 340, "separators": ", ", "font": FONT, "legend": {"orientation": "h"},
        "margin": {"t": 20, "r": 10, "b": 40, "l": 70}, "xaxis": {"tickformat": "d"},
        "yaxis": {"title": {"text": title}, "tickformat": ",d"}}})


def year_rows(plan: Plan) -> list[dict]:
    """Per year: users, cost and FTE of every scenario, with the difference from the
    baseline (for the comparison table)."""
    out = []
    for i, year in enumerate(range(plan.base_year, plan.to_year + 1)):
        cells = [sc.years[i] for sc in plan.scenarios]
        out.append({"year": year, "cells": cells, "base": cells[0]})
    return out


def shift_text(rows: ScenarioRows) -> list[str]:
    return [f"{f.decimal(s.share, 1).removesuffix(',0')} % av brukerne på {s.from_step} "
            f"flyttes til {s.to_step}, trappet opp fra {s.start_year} til fullt i "
            f"{s.full_year}" for s in rows.shifts]


def own_sections(plan: Plan) -> list[dict]:
    """One section per own figure beside KOSTRA's: sentences, chart, table."""
    if plan.kostra is None:
        return []
    own, out = plan.kostra.municipality, []
    for fig in plan.kostra.figures:
        ind = fig.kostra
        places = comparison.digits(ind) if ind else 0
        chart = comparison.own_chart(fig, own, plan.as_of)
        out.append({"figure": fig,
                    "sentence": comparison.own_sentence(fig, own, plan.as_of, plan.suppress),
                    "kostra_sentence": comparison.sentence(ind, own) if ind else None,
                    "chart": script_json(chart) if chart else None,
                    "text": comparison.text_alternative(ind, own) if ind else "",
                    "regions": comparison.regions(ind, own) if ind else [],
                    "own": comparison.own_value(fig),
                    "value": lambda v, p=places: comparison.value(v, p)})
    return out


def own_name(plan: Plan) -> str:
    """The municipality as the KOSTRA tables name it, else its number."""
    code = plan.kostra.municipality if plan.kostra else ""
    for fig in plan.kostra.figures if plan.kostra else []:
        if fig.kostra is not None:
            return comparison.own_region(fig.kostra, code).name
    return f"kommune {code}"


def _context(plan: Plan) -> dict:
    rates = {(r.step, r.age_band, r.gender): r for r in plan.rates}
    any_suppressed = any(r.suppressed for r in [*plan.matrix, *plan.rates])
    has_cost = any(r.cost is not None for r in plan.matrix)
    has_fte = any(r.fte is not None for r in plan.matrix)
    return {
        "p": plan, "f": f, "say": say, "value": value, "month": f.month(plan.period),
        "sentences": say.all_sentences(plan), "population_sentences": say.population(plan),
        "pyramid": pyramid_chart(plan), "elderly": elderly_chart(plan),
        "matrix_chart": matrix_chart(plan), "steps_chart": steps_chart(plan),
        "cost_chart": money_chart(plan, "cost"), "fte_chart": money_chart(plan, "fte"),
        "years": year_rows(plan), "shift_text": shift_text, "bands": AGE_BANDS,
        "rates": rates, "rate_steps": [r.step for r in plan.matrix],
        "has_cost": has_cost, "has_fte": has_fte, "any_suppressed": any_suppressed,
        "SUP": SUPPRESSED, "plotly_js": BUNDLE, "palette": colours(len(plan.scenarios)),
        "own": own_sections(plan), "own_name": own_name(plan),
        "own_label": comparison.own_label(plan.as_of),
    }


def render(plan: Plan, out_dir: Path, **_: object) -> Path:
    return write_page("plan.html.j2", _context(published(plan)), out_dir / "plan.html")
