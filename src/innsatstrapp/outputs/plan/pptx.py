"""plan.pptx: the plan for the political committee, 16:9, Norwegian, with native (editable)
charts and speaker notes that say where each figure comes from.

The house style is the report's: the deck, layouts and colours come from outputs/_slides.py,
shared with outputs/pptx.py (which itself pulls in the metrics package and Ibis, which a plan
renderer never needs). Projected
figures are model results and are shown rounded (whole persons, NOK thousands, one decimal
of FTE), in the charts' data too; only today's counts in the matrix can be suppressed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp.outputs import comparison, comparison_slides
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs._slides import (
    BLUE,
    GREY,
    INTEGER,
    MARK,
    ONE_DECIMAL,
    ORANGE,
    SKY,
    add_table,
    category_size,
    chart_values,
    cover,
    fit_table,
    label_withheld,
    number_formats,
    text_box,
)
from innsatstrapp.outputs._slides import deck as _presentation
from innsatstrapp.outputs._slides import layout as _layout
from innsatstrapp.outputs.plan import sentences as say
from innsatstrapp.plan.disclose import published

if TYPE_CHECKING:
    from innsatstrapp.model.plan import MatrixRow, Plan, ScenarioRows

# Okabe-Ito after the baseline's grey: distinguishable with every common colour blindness.
SCENARIO_COLOURS = (GREY, BLUE, ORANGE, "009E73", "D55E00", "CC79A7", SKY, "F0E442")
# Number formats (INTEGER, ONE_DECIMAL) come from _slides: [$-414] makes a chart's numbers
# Norwegian («35 000») in every viewer. «1 000» holds together with a no-break space.
MATRIX_HEAD = ["Trinn", "Brukere", "Tjenester", "Kostnad i 1\u00a0000 kr", "Årsverk",
               "Kostnad per bruker"]


def render(plan: Plan, out_dir: Path, *, pptx_template: Path | None = None, **_: object
           ) -> Path:
    """Write `out_dir/plan.pptx`: the same figures and sentences as the plan's other formats,
    as slides a committee can edit (charts keep their data, tables are tables)."""
    plan = published(plan)  # rounded as shown, today's withheld counts withheld
    d = _Deck(plan, Path(pptx_template) if pptx_template else None)
    _title(d)
    _population(d)
    _matrix(d)
    _baseline(d)
    if len(plan.scenarios) > 1:
        _scenarios(d)
    _cost(d)
    _kostra(d)
    _about(d)
    path = out_dir / "plan.pptx"
    d.prs.save(str(path))
    return path


# --- the deck and its few drawing helpers ----------------------------------------------------

def _title_bottom(layout) -> int:
    """Where a template's title ends, so that nothing is drawn over it."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    for ph in layout.placeholders:
        if ph.placeholder_format.type in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE):
            return (ph.top or 0) + (ph.height or 0)
    return 0


class _Deck:
    """The presentation with the plan, its layouts and the geometry every slide shares."""

    def __init__(self, plan: Plan, template: Path | None) -> None:
        from pptx.util import Inches

        self.plan = plan
        self.own_layouts = template is None
        self.prs = _presentation(template)
        self.title_layout = _layout(self.prs, "Title Slide", 0)
        self.only_layout = _layout(self.prs, "Title Only",
                                   5 if len(self.prs.slide_layouts) > 5 else -1)
        self.w, self.h = self.prs.slide_width, self.prs.slide_height
        # Laid out for 13.333 × 7.5 in; a template's smaller slide scales it all down.
        self.k = min(1.0, self.w / Inches(13.333), self.h / Inches(7.5))
        self.margin = self.inch(0.6)
        self.top = self.inch(1.5) if self.own_layouts else max(self.inch(1.5), min(
            _title_bottom(self.only_layout) + self.inch(0.1), int(self.h * 0.3)))
        self.full_w = self.w - 2 * self.margin
        self.body_h = self.h - self.top - self.inch(1.0)

    def inch(self, x: float) -> int:
        from pptx.util import Emu, Inches

        return Emu(int(Inches(x) * self.k))

    def pt(self, size: float) -> int:
        from pptx.util import Pt

        return Pt(max(8, round(size * self.k)))

    def slide(self, title: str, notes: str):
        """A "Title Only" slide with its title and speaker notes."""
        s = self.prs.slides.add_slide(self.only_layout)
        if s.shapes.title is not None:
            t = s.shapes.title
            t.text = title
            if self.own_layouts:  # python-pptx's own layouts are drawn for 4:3
                t.left, t.top, t.width, t.height = (self.margin, self.inch(0.4),
                                                    self.full_w, self.inch(0.9))
            for p in t.text_frame.paragraphs:
                p.font.size = self.pt(28)
        s.notes_slide.notes_text_frame.text = notes
        return s

    def text(self, slide, lines: list[str], x, y, cx, cy, size: int = 16) -> None:
        text_box(slide, lines, x, y, cx, cy, self.pt(size), self.pt(size * 0.6))

    def compact(self, slide, lines: list[str], x, y, cx, cy, size: int = 12) -> None:
        """Lines without the space between paragraphs: a short list under a chart."""
        text_box(slide, lines, x, y, cx, cy, self.pt(size))

    def footnote(self, slide) -> None:
        n = self.plan.suppress
        if n:
            self.text(slide, [f"{MARK} Skjult for å verne personvernet: tall fra 1 til {n - 1} "
                              f"og tall som bygger på færre enn {n} personer."],
                      self.margin, self.h - self.inch(0.7), self.full_w, self.inch(0.4), 11)

    def chart(self, slide, kind, categories: list[str], series: list[tuple[str, list]],
              colours: list[str], x, y, cx, cy, number_format: str = INTEGER,
              title: str | None = None, labels: bool = False, every: int = 1):
        """A native chart: its data travels in the deck, so it can be edited in PowerPoint.
        A withheld bar (None) is labelled «* skjult»; a line breaks there."""
        from pptx.chart.data import CategoryChartData
        from pptx.dml.color import RGBColor
        from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
        from pptx.util import Pt

        line = kind == XL_CHART_TYPE.LINE
        data = CategoryChartData(number_format=number_format)
        data.categories = categories
        for name, values in series:
            data.add_series(name, values if line else chart_values(values))
        chart = slide.shapes.add_chart(kind, x, y, cx, cy, data).chart
        chart.font.size = self.pt(12)
        chart.has_title = title is not None
        if title is not None:
            chart.chart_title.text_frame.text = title
            chart.chart_title.text_frame.paragraphs[0].font.size = self.pt(14)
            chart.chart_title.text_frame.paragraphs[0].font.bold = True
        chart.has_legend = len(series) > 1
        if chart.has_legend:
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            chart.legend.font.size = self.pt(12)
        for s, colour in zip(chart.plots[0].series, colours, strict=True):
            rgb = RGBColor.from_string(colour)
            if line:
                s.smooth = False
                s.format.line.color.rgb = rgb
                s.format.line.width = Pt(2.75)
            else:
                s.format.fill.solid()
                s.format.fill.fore_color.rgb = rgb
        if labels:
            plot = chart.plots[0]
            plot.has_data_labels = True
            plot.data_labels.font.size = self.pt(10)
        if kind == XL_CHART_TYPE.COLUMN_CLUSTERED:
            chart.plots[0].gap_width = 40
        if line:
            chart.category_axis.tick_labels.font.size = self.pt(10 if len(categories) > 7
                                                               and every == 1 else 11)
        else:  # a step's name is never broken inside a word
            chart.category_axis.tick_labels.font.size = category_size(
                categories, (cx - self.inch(0.8)) // max(len(categories), 1),
                max(8, round(12 * self.k)), 8)
        if every > 1:  # one label every so many years, so that they stay horizontal
            # (PowerPoint; LibreOffice ignores the skip and turns the labels instead)
            from pptx.oxml import parse_xml
            from pptx.oxml.ns import nsdecls

            axis = chart.category_axis._element
            axis.insert_element_before(
                parse_xml(f'<c:tickLblSkip {nsdecls("c")} val="{every}"/>'),
                "c:tickMarkSkip", "c:noMultiLvlLbl", "c:extLst")
        number_formats(chart, INTEGER)
        if labels:
            chart.plots[0].data_labels.number_format = number_format
        chart.value_axis.has_major_gridlines = True
        chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("D9D9D9")
        if not line:
            label_withheld(chart, [values for _, values in series])
        return chart

    def table(self, slide, head: list[str], rows: list[list[str]], x, y, cx, cy,
              size: int = 16) -> int:
        """A native table in at most `cy` of height: the font as large as fits (from `size`
        down, scaled to a template's slide), no header word broken; returns its height."""
        numeric = [False] + [True] * (len(head) - 1)
        fit = fit_table(head, rows, cx, cy, largest=max(8, round(size * self.k)),
                        smallest=max(8, round(10 * self.k)), numeric=numeric)
        add_table(slide, head, rows, x, y, fit, numeric)
        return fit.height


# --- the slides --------------------------------------------------------------------------------

def _users(rows: ScenarioRows, year: int) -> list[int | None]:
    """Users per step in a year, rounded to whole persons (model results), in step order;
    None (a gap) where today's count is withheld."""
    return [None if v is None else f.whole(v) for v in say.step_users(rows, year).values()]


def _title(d: _Deck) -> None:
    p = d.plan
    s = d.prs.slides.add_slide(d.title_layout)
    s.shapes.title.text = f"Innsatstrappen mot {p.to_year}"
    line = f"Dagens tjenester i {f.month(p.period)} · basisår {p.base_year}"
    if p.alternative:
        line += f" · framskrivingsalternativ {p.alternative}"
    cover(d, s, line + f"\nTelledato {f.date(p.as_of)}", 1.6)
    s.notes_slide.notes_text_frame.text = (
        f"Planen er laget med innsatstrapp: dagens tjenester per trinn i innsatstrappen på "
        f"telledatoen {f.date(p.as_of)}, framskrevet år for år til {p.to_year} med SSBs "
        f"befolkningsframskriving.")


def _population(d: _Deck) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    p = d.plan
    s = d.slide("Befolkningen",
                f"Befolkningen 1. januar hvert år fra {p.inputs.population}"
                + (f" (alternativ {p.alternative})" if p.alternative else "")
                + ". Eldre innbyggere bruker flest tjenester høyt i trappen, så veksten her "
                  "driver framskrivingen.")
    chart_w = int(d.full_w * 0.62)
    d.chart(s, XL_CHART_TYPE.LINE, [str(y.year) for y in p.population],
            [("67 år og eldre", [y.age_67_plus for y in p.population]),
             ("80 år og eldre", [y.age_80_plus for y in p.population])],
            [BLUE, ORANGE], d.margin, d.top, chart_w, d.body_h,
            title="Innbyggere 1. januar", every=_every(len(p.population)))
    gap = d.inch(0.3)
    d.text(s, say.population(p), d.margin + chart_w + gap, d.top + d.inch(0.3),
           d.full_w - chart_w - gap, d.body_h, 18)


def _cell(row: MatrixRow, field: str, scale: float = 1, digits: int = 0) -> str:
    if field in row.suppressed:
        return MARK
    value = getattr(row, field)
    if value is None:
        return "–"
    return f.decimal(value / scale, digits) if digits else f.integer(value / scale)


def _matrix(d: _Deck) -> None:
    p = d.plan
    s = d.slide("Trappen i dag",
                f"Aktive vedtak på telledatoen {f.date(p.as_of)}. Brukere: personer med minst ett "
                "aktivt vedtak på trinnet. Tjenester: aktive vedtak. Kostnad og årsverk: "
                "regnskapet per trinn"
                + (f" ({p.inputs.accounts})" if p.inputs.accounts else " (ikke lagt inn)")
                + "; kostnad per bruker = kostnad / brukere.")
    rows = [[r.step, _cell(r, "users"), _cell(r, "services"), _cell(r, "cost", 1000),
             _cell(r, "fte", digits=1), _cell(r, "cost_per_user")]
            for r in sorted(p.matrix, key=lambda r: r.order)]
    height = d.table(s, MATRIX_HEAD, rows, d.margin, d.top, d.full_w,
                     d.h - d.top - d.inch(1.3), 18)
    under = d.top + height + d.inch(0.1)
    note = ("Kostnad i hele tusen kroner per år og kostnad per bruker i kroner, fra regnskapet. "
            "– betyr ingen tall." if p.inputs.accounts else
            "Regnskap per trinn er ikke lagt inn, så kostnad og årsverk vises som –.")
    d.text(s, [note], d.margin, under, d.full_w, d.inch(0.4), 12)
    d.footnote(s)


def _baseline(d: _Deck) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    p = d.plan
    base = p.scenarios[0]
    steps = [x.step for x in say.year_of(base, p.base_year).steps]
    s = d.slide("Uendret praksis",
                f"Uendret praksis: like mange brukere per innbygger i hver aldersgruppe og hvert "
                f"kjønn som på telledatoen, ganget med befolkningen hvert år. {p.base_year} er "
                f"dagens brukere; {p.to_year} er modellens tall, avrundet til hele personer.")
    chart_w = int(d.full_w * 0.64)
    d.chart(s, XL_CHART_TYPE.COLUMN_CLUSTERED, steps,
            [(str(p.base_year), _users(base, p.base_year)),
             (str(p.to_year), _users(base, p.to_year))],
            [SKY, BLUE], d.margin, d.top, chart_w, d.body_h,
            title=f"Brukere per trinn, {p.base_year} og {p.to_year}", labels=True)
    lines = say.baseline(p)
    if len(p.scenarios) == 1:
        lines.append("Ingen scenarioer er lagt inn, så planen viser bare uendret praksis.")
    gap = d.inch(0.3)
    d.text(s, lines, d.margin + chart_w + gap, d.top + d.inch(0.2), d.full_w - chart_w - gap,
           d.body_h, 15)


def _scenarios(d: _Deck) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    p = d.plan
    steps = [x.step for x in say.year_of(p.scenarios[0], p.to_year).steps]
    shifts = [f"{rows.scenario}: " + "; ".join(
        f"{f.percent(x.share, 0)} fra {x.from_step} til {x.to_step} ({x.start_year}–"
        f"{x.full_year})" for x in rows.shifts) for rows in p.scenarios[1:]]
    s = d.slide(f"Scenarioene {p.to_year}",
                "Hvert scenario flytter en andel av brukerne på ett trinn til et annet, regnet "
                "fra uendret praksis og faset inn fra startåret til året endringen er fullt "
                "innført. " + " ".join(x + "." for x in shifts))
    chart_w = int(d.full_w * 0.64)
    d.chart(s, XL_CHART_TYPE.COLUMN_CLUSTERED, steps,
            [(rows.scenario, _users(rows, p.to_year)) for rows in p.scenarios],
            _colours(len(p.scenarios)), d.margin, d.top, chart_w, d.body_h,
            title=f"Brukere per trinn i {p.to_year}")
    gap = d.inch(0.3)
    lines = [line for rows in p.scenarios[1:] for line in say.scenario(p, rows)]
    d.text(s, lines, d.margin + chart_w + gap, d.top + d.inch(0.2), d.full_w - chart_w - gap,
           d.body_h, 14 if len(lines) <= 3 else 12)


def _every(years: int, labels: int = 8) -> int:
    """Label every second (third …) year when there are more years than fit in a row,
    preferring a step that also labels the last year."""
    least = -(-years // labels)
    return next((k for k in range(least, least + 3) if (years - 1) % k == 0), least)


def _colours(n: int) -> list[str]:
    return [SCENARIO_COLOURS[i % len(SCENARIO_COLOURS)] for i in range(n)]


def _cost(d: _Deck) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    p = d.plan
    s = d.slide("Kostnad og årsverk",
                "Kostnad og årsverk per år = framskrevne brukere × dagens kostnad og årsverk per "
                "bruker på hvert trinn, summert over trinnene som har regnskap. I dagens kroner, "
                "avrundet til hele tusen kroner og en desimal årsverk.")
    years = [str(y.year) for y in p.scenarios[0].years]
    has_cost = any(y.cost is not None for rows in p.scenarios for y in rows.years)
    has_fte = any(y.fte is not None for rows in p.scenarios for y in rows.years)
    if not (has_cost or has_fte):
        d.text(s, ["Planen har ikke regnskap per trinn (kostnad og årsverk), så kostnad og "
                   "årsverk er ikke framskrevet.",
                   "Legg inn regnskapet med «innsatstrapp plan --accounts FIL» (kolonnene "
                   "Trinn, Kostnad, Årsverk) for å få dem med."],
               d.margin, d.top, d.full_w, d.inch(2), 18)
        return
    charts = [(title, value, words) for present, title, value, words in (
        (has_cost, "Kostnad, mill. kr", lambda y: None if y.cost is None
         else round(y.cost, -3) / 1e6, lambda y: say.millions(y.cost)),
        (has_fte, "Årsverk", lambda y: None if y.fte is None else round(y.fte, 1),
         lambda y: f"{f.decimal(y.fte, 1)} årsverk")) if present]
    gap = d.inch(0.4)
    width = (d.full_w - gap) // 2
    shown = min(len(p.scenarios), 6)
    chart_h = d.h - d.top - d.inch(0.5) - d.inch(0.25 * (shown + 1))
    colours = _colours(len(p.scenarios))
    for i, (title, value, words) in enumerate(charts):
        x = d.margin + i * (width + gap)
        d.chart(s, XL_CHART_TYPE.LINE, years,
                [(rows.scenario, [value(y) for y in rows.years]) for rows in p.scenarios],
                colours, x, d.top, width, chart_h, ONE_DECIMAL, title=title,
                every=_every(len(years), 6))
        d.compact(s, [f"I {p.to_year}:"] + [f"{rows.scenario}: "
                                              f"{words(say.year_of(rows, p.to_year))}"
                                              for rows in p.scenarios[:shown]],
               x + d.inch(0.3), d.top + chart_h + d.inch(0.05), width - d.inch(0.3),
               d.inch(0.25 * (shown + 1)), 12)
    if len(charts) == 1:
        d.text(s, ["Årsverk er ikke i regnskapet." if has_cost else
                   "Kostnad er ikke i regnskapet."], d.margin + width + gap, d.top,
               width, d.inch(1), 16)


def _kostra(d: _Deck) -> None:
    """A slide per own figure beside KOSTRA's: the sentences, the indicator's chart with the
    own figure as a last bar, and how it is computed and differs (the same in the notes)."""
    p = d.plan
    if p.kostra is None:
        return
    own = p.kostra.municipality
    label = comparison.own_label(p.as_of)
    for fig in p.kostra.figures:
        said = [comparison.own_sentence(fig, own, p.as_of, p.suppress)]
        if fig.kostra is not None:
            said.append(comparison.sentence(fig.kostra, own))
        how = [f"Slik er tallet regnet: {fig.definition}", f"Forskjell fra KOSTRA: {fig.differs}"]
        notes = [fig.indicator, *said, "", *how]
        if fig.kostra is not None:
            notes += ["", comparison_slides.notes(fig.kostra, own)]
        s = d.slide("Egne tall ved siden av KOSTRA", "\n".join(notes))
        d.text(s, [fig.indicator, *said], d.margin, d.top - d.inch(0.2), d.full_w,
               d.inch(1.6), 15)
        bottom = d.h - d.inch(1.5)
        if fig.kostra is not None:
            top = d.top + d.inch(1.4)
            mine = None if "value" in fig.suppressed else fig.value
            comparison_slides.draw_chart(d, s, fig.kostra, own,
                                         (d.margin, top, d.full_w, bottom - top),
                                         extra=(label, mine))
        d.compact(s, how, d.margin, bottom + d.inch(0.05), d.full_w, d.inch(1.0), 11)


def _about(d: _Deck) -> None:
    p = d.plan
    s = d.slide("Om tallene", "Definisjonene følger innsatstrapps kontrakt for planen "
                              "(docs/plan.md).")
    n = p.suppress
    inputs = [f"{p.inputs.population} (befolkningsframskriving"
              + (f", alternativ {p.alternative})" if p.alternative else ")"),
              f"{p.inputs.catalog} (katalog)"]
    if p.inputs.accounts:
        inputs.append(f"{p.inputs.accounts} (regnskap)")
    if p.inputs.scenarios:
        inputs.append(f"{p.inputs.scenarios} (scenarioer)")
    if p.inputs.comparison:
        inputs.append(f"{p.inputs.comparison} (sammenligning med KOSTRA)")
    lines = [
        f"Framskrivingen: dagens brukere per trinn, aldersgruppe og kjønn på telledatoen "
        f"{f.date(p.as_of)}, delt på befolkningen i samme gruppe 1. januar {p.base_year}, "
        f"ganget med befolkningen hvert år til {p.to_year}. Brukere med ukjent alder eller "
        f"kjønn fordeles som de andre på trinnet.",
        "Kostnad og årsverk: dagens kostnad og årsverk per bruker på trinnet, fra regnskapet, "
        "ganget med framskrevne brukere (i dagens kroner)." if p.inputs.accounts else
        "Kostnad og årsverk: ikke regnet ut, planen har ikke regnskap per trinn.",
        "Scenarioene flytter en andel av brukerne fra ett trinn til et annet, faset inn fra "
        "startåret til året endringen er fullt innført, regnet fra uendret praksis."
        if len(p.scenarios) > 1 else "Scenarioer: ingen er lagt inn.",
        "Framskrevne tall er modellresultater, avrundet til hele personer, hele tusen kroner "
        "og en desimal årsverk.",
        f"Små tall: dagens antall fra 1 til {n - 1} personer eller vedtak, og tall som bygger "
        f"på færre enn {n} personer, vises som {MARK}. Framskrevne tall skjules ikke." if n
        else "Små tall er ikke skjult (intern bruk).",
        "Filer: " + ", ".join(inputs) + ".",
    ]
    d.text(s, lines, d.margin, d.top, d.full_w, d.body_h, 16)
