"""report.html: one self-contained Norwegian file (Plotly's JS embedded from the installed
package, no CDN, no external fonts), laid out like seed 000 but readable on screen and paper."""

from __future__ import annotations

import functools
from pathlib import Path

from jinja2 import (
    BytecodeCache,
    Environment,
    FileSystemBytecodeCache,
    PackageLoader,
    select_autoescape,
)
from markupsafe import Markup, escape

from innsatstrapp.model import absent
from innsatstrapp.model.report import Report
from innsatstrapp.outputs import comparison
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs import movement as mv
from innsatstrapp.outputs.charts import (
    PALETTE,
    plotly_bundle,
    script_json,
    with_withheld,
    withheld_trace,
)

# Okabe–Ito: distinguishable with the common colour-vision deficiencies.

HEADLINE_LABELS = f.HEADLINE_LABELS

SUPPRESSED = Markup('<span class="sup" title="Skjult (personvern)">*</span>')


def cell(row, field: str, digits: int = 0, kind: str = "num") -> Markup:
    """One formatted table value; a withheld one is a mark that points to the footnote."""
    if field in getattr(row, "suppressed", ()):
        return SUPPRESSED
    value = getattr(row, field)
    if kind == "signed":
        return escape(f.signed(value, digits))
    if kind == "pct":
        return escape(f.percent(value, digits))
    if kind == "signed_pct":
        return escape(f.signed_percent(value, digits))
    return escape(f.decimal(value, digits) if digits else f.integer(value))


def trend(row, field: str = "change") -> str:
    value = getattr(row, field)
    if value is None or field in row.suppressed:
        return "flat"
    return "up" if value > 0 else "down" if value < 0 else "flat"


def staircase_chart(report: Report) -> Markup:
    steps = report.steps
    text = ["*" if "services" in s.suppressed else f.integer(s.services) +
            ("" if s.change is None or "change" in s.suppressed else f" ({f.signed(s.change)})")
            for s in steps]
    names = [s.step for s in steps]
    bars = {"type": "bar", "x": names,
            "y": [s.services if "services" not in s.suppressed else None for s in steps],
            "text": text, "textposition": "outside", "cliponaxis": False,
            "marker": {"color": PALETTE[0]}, "hovertemplate": "%{x}: %{text}<extra></extra>",
            "name": "Tjenester"}
    marks = withheld_trace(names, ["services" in s.suppressed for s in steps])
    return script_json({
        "data": with_withheld([bars], [marks]),
        "layout": {"margin": {"t": 30, "r": 10, "b": 60, "l": 60}, "height": 360,
                   "yaxis": {"title": {"text": "Aktive vedtak"}, "separatethousands": True},
                   "separators": ", ", "font": {"family": "system-ui, sans-serif"}},
    })


def lorenz_chart(rows) -> Markup:
    xs = list(range(0, 101, 10))
    data = [{"type": "scatter", "mode": "lines", "x": xs, "y": xs, "name": "Lik fordeling",
             "line": {"color": "#777", "dash": "dot"}}]
    for i, r in enumerate(rows):
        data.append({"type": "scatter", "mode": "lines+markers", "x": xs, "y": r.lorenz,
                     "name": r.scope, "line": {"color": PALETTE[i % len(PALETTE)]}})
    return script_json({"data": data, "layout": {
        "height": 400, "margin": {"t": 40, "r": 10, "b": 50, "l": 60}, "separators": ", ",
        "xaxis": {"title": {"text": "Andel av brukerne (færrest timer først), %"}},
        # above the plot: below it, the legend lay over the x axis's title
        "yaxis": {"title": {"text": "Andel av timene, %"}},
        "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom"},
        "font": {"family": "system-ui, sans-serif"}}})


def sentences(row) -> list[str]:
    """The seed's concentration sentences, generated from the figures."""
    out = []
    if row.users and row.top10_hours_pct is not None and row.top10_users:
        top_share = 100 * row.top10_users / row.users
        who = "person" if row.top10_users == 1 else "personer"
        out.append(f"Topp {f.percent(top_share)} av brukerne ({f.integer(row.top10_users)} "
                   f"{who}) forbruker {f.percent(row.top10_hours_pct)} av den totale tiden.")
    if row.below_2h_users_pct is not None and row.below_2h_hours_pct is not None:
        out.append(f"{f.percent(row.below_2h_users_pct)} av brukerne har under 2 timer i uken. "
                   f"Disse forbruker {f.percent(row.below_2h_hours_pct)} av den totale tiden.")
    return out


def _context(report: Report) -> dict:
    groups = {s.step: [g for g in report.groups if g.step == s.step] for s in report.steps}
    services = {s.step: [v for v in report.services if v.step == s.step] for s in report.steps}
    home = [v for v in report.services if v.role == "hjemmesykepleie"]
    home_groups = {v.group for v in home}
    conc_groups = [c for c in report.concentration if c.scope_type == "group"]
    lorenz = [c for c in conc_groups if c.scope in home_groups and c.lorenz]
    any_suppressed = _any_suppressed(report)
    history = report.history.periods if report.history else []
    hist_steps = {h.name: h for h in report.history.steps} if report.history else {}
    hist_groups = {h.name: h for h in report.history.groups} if report.history else {}
    hist_services = {h.name: h for h in report.history.services} if report.history else {}
    return {
        "r": report, "f": f, "cell": cell, "trend": trend, "labels": HEADLINE_LABELS,
        "absent": absent.headline(report),
        "groups": groups, "services": services, "home": home,
        "conc_groups": conc_groups,
        "conc_services": [c for c in report.concentration if c.scope_type == "service"],
        "sentences": sentences, "staircase": staircase_chart(report),
        "lorenz": lorenz_chart(lorenz) if lorenz else None,
        "mv": mv, "mv_grid": mv.grid(report), "mv_sentences": mv.sentences(report),
        "mv_sankey": script_json(sk) if (sk := mv.sankey(report)) else None,
        "mv_levels": script_json(mv.levels_chart(report)),
        "any_suppressed": any_suppressed, "history": history, "hist_steps": hist_steps,
        "hist_groups": hist_groups, "hist_services": hist_services,
        "month": f.month(report.period),
        "previous_month": f.month(report.previous_period) if report.previous_period else None,
        "plotly_js": BUNDLE, "SUP": SUPPRESSED, "kostra": kostra_sections(report),
    }


def kostra_sections(report: Report) -> list[dict]:
    """One section per indicator of the comparison with KOSTRA: sentence, chart, table."""
    if report.kostra is None:
        return []
    own = report.kostra.municipality
    out = []
    for i in report.kostra.indicators:
        places = comparison.digits(i)
        out.append({"indicator": i, "sentence": comparison.sentence(i, own),
                    "chart": script_json(comparison.chart(i, own)),
                    "text": comparison.text_alternative(i, own),
                    "regions": comparison.regions(i, own),
                    "value": lambda v, p=places: comparison.value(v, p)})
    return out


def _any_suppressed(report: Report) -> bool:
    rows = [*report.headline.values(), *report.steps, *report.groups, *report.services,
            *report.concentration, *report.long_term_stays, *report.levels, *report.by_age,
            *([report.transitions, *report.transitions.matrix] if report.transitions else [])]
    return any(r.suppressed for r in rows)


def plotly_script() -> Markup:
    """Plotly's own bundle from the installed package (never a CDN), made safe for <script>."""
    return Markup(plotly_bundle().decode("utf-8"))  # noqa: S704


# where a page's template puts Plotly's bundle (`plotly_js`): `write_page` writes the
# bundle's bytes in its place (private-use characters, which no text of a report holds)
BUNDLE = Markup("\ue000plotly.min.js\ue000")


@functools.cache
def _compiled() -> BytecodeCache | None:
    try:  # a folder of the user's own (mode 0700) in the temporary folder, or none
        return FileSystemBytecodeCache()
    except OSError:
        return None


def environment(package: str) -> Environment:
    """The templates of `package`. Their compiled code is kept in the user's temporary folder
    (Jinja's bytecode cache, checked against the template's source), so a new process does
    not compile the report page again: that was a fifth of a `report`."""
    return Environment(loader=PackageLoader(package, "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                       lstrip_blocks=True, bytecode_cache=_compiled())


@functools.cache
def _pages() -> Environment:
    """The pages' templates, loaded once per process (the dashboard's are its own)."""
    return environment("innsatstrapp.outputs")


def prepare(template: str = "report.html.j2") -> None:
    """What a page needs before it sees a report: its template and Plotly's bundle, read on
    `outputs.preload`'s thread while the report is built (0,005–0,01 s of the page)."""
    _pages().get_template(template)
    plotly_bundle()


def write_page(template: str, context: dict, path: Path) -> Path:
    """Render one of the self-contained pages (report.html, plan.html) to `path`, with
    Plotly's bundle written where the template has `BUNDLE`."""
    head, mark, tail = _pages().get_template(template).render(**context).partition(BUNDLE)
    with path.open("wb") as out:
        out.write(head.encode("utf-8"))
        if mark:
            out.write(plotly_bundle())
            out.write(tail.encode("utf-8"))
    return path


def render(report: Report, out_dir: Path, **_: object) -> Path:
    return write_page("report.html.j2", _context(report), out_dir / "report.html")
