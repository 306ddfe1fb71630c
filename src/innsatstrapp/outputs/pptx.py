"""report.pptx: the committee's slides, 16:9, Norwegian, with native (editable) charts and
speaker notes that give each figure's definition. `--pptx-template` uses the municipality's
own master slides (its "Title Slide" and "Title Only" layouts, or the first and the last
layout with a title)."""

from __future__ import annotations

from pathlib import Path

from innsatstrapp.model import absent
from innsatstrapp.model.absent import NOT_IN_EXTRACT
from innsatstrapp.model.report import HEADLINE, Report
from innsatstrapp.outputs import comparison_slides
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs import movement as mv
from innsatstrapp.outputs._slides import (
    BLUE,
    INTEGER,
    MARK,
    ORANGE,
    PERCENT,
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
from innsatstrapp.outputs._slides import deck as _deck
from innsatstrapp.outputs._slides import layout as _layout
from innsatstrapp.outputs.html import HEADLINE_LABELS, sentences
from innsatstrapp.outputs.xlsx import HOME_SHEET, QUALITY_SHEET, SERVICES_SHEET, STAYS_SHEET

STEP_ROWS = 8  # services on a step's slide; the rest are in the workbook
HOME_BARS = 10  # home-nursing services in the chart
STAYS_ROWS = 8  # long-term services in the table
QUALITY_ITEMS = 6  # services listed per line on the data-quality slide


class _Slides:
    def __init__(self, report: Report, template: Path | None) -> None:
        from pptx.util import Inches

        self.r = report
        self.own_layouts = template is None
        self.prs = _deck(template)
        self.title_layout = _layout(self.prs, "Title Slide", 0)
        self.only_layout = _layout(self.prs, "Title Only", 5 if len(
            self.prs.slide_layouts) > 5 else -1)
        self.w, self.h = self.prs.slide_width, self.prs.slide_height
        # Laid out for 13.333 × 7.5 in; a template's smaller slide scales it all down.
        self.k = min(1.0, self.w / Inches(13.333), self.h / Inches(7.5))
        self.margin = self.inch(0.6)
        self.top = self.inch(1.5)
        self.full_w = self.w - 2 * self.margin
        self.foot = self.h - self.inch(0.7)  # where the footnote on small counts begins

    def inch(self, x: float) -> int:
        from pptx.util import Emu, Inches

        return Emu(int(Inches(x) * self.k))

    def size(self, points: float) -> int:
        """A font size in points, scaled to the slide (never under 8)."""
        return max(8, round(points * self.k))

    def pt(self, points: float):
        from pptx.util import Pt

        return Pt(self.size(points))

    def slide(self, title: str, notes: str):

        s = self.prs.slides.add_slide(self.only_layout)
        if s.shapes.title is not None:
            t = s.shapes.title
            t.text = title
            if self.own_layouts:  # python-pptx's own layouts are drawn for 4:3
                t.left, t.top, t.width, t.height = (self.margin, self.inch(0.4), self.full_w,
                                                    self.inch(0.9))
            for p in t.text_frame.paragraphs:
                p.font.size = self.pt(28)
        s.notes_slide.notes_text_frame.text = notes
        return s

    def text(self, slide, lines: list[str], x, y, cx, cy, size: int = 16,
             space: bool = False) -> None:

        text_box(slide, lines, x, y, cx, cy, self.pt(size),
                 self.pt(size * 0.5) if space else None)

    def table(self, slide, head: list[str], rows: list[list[str]], *, most: int | None = None,
              y=None, bottom=None, largest: int = 16, smallest: int = 14,
              numeric: list[bool] | None = None) -> tuple[int, int]:
        """One table across the slide, at the largest font size from `largest` down to
        `smallest` at which no header word breaks and it fits above `bottom` (default: the
        footnote, with room for a line under it); with `most`, the first rows that fit, at
        most that many. Returns (rows shown, where the table ends)."""

        y = self.top if y is None else y
        room = (self.foot - self.inch(0.5) if bottom is None else bottom) - y
        numeric = numeric or [False] + [True] * (len(head) - 1)
        n = len(rows) if most is None else min(most, len(rows))
        while True:
            fit = fit_table(head, rows[:n], self.full_w, room, largest=self.size(largest),
                            smallest=self.size(smallest), numeric=numeric)
            if fit.height <= room or n <= 1 or most is None:
                break
            n -= 1
        add_table(slide, head, rows[:n], self.margin, y, fit, numeric)
        return n, y + fit.height

    def left_out(self, slide, line: str, y) -> None:
        """The line under a table or chart that says what is not on the slide, and where."""

        self.text(slide, [line], self.margin, y + self.inch(0.1), self.full_w, self.inch(0.4),
                  14)

    def footnote(self, slide) -> None:

        n = self.r.suppression_threshold
        if not n:
            return
        self.text(slide, [f"{MARK} Skjult for å verne personvernet: tall fra 1 til {n - 1} og "
                          f"tall som bygger på færre enn {n} personer."],
                  self.margin, self.foot, self.full_w, self.inch(0.4), 11)


def _shown(n: int, total: int, what: str) -> str:
    """«Viser de 8 største av 23 tjenester.»"""
    return (f"Viser den største av {total} {what}." if n == 1 else
            f"Viser de {n} største av {total} {what}.")


def _in_workbook(sheet: str) -> str:
    return f"Alle står i report.xlsx, arket «{sheet}»."


def _warned(w) -> str:
    """A warning's count: «*» when withheld, nothing when it has none (a column absent)."""
    if "count" in w.suppressed:
        return MARK
    return "" if w.count is None else f.integer(w.count)


def _v(row, field: str, digits: int = 0, kind: str = "num") -> str:
    if field in row.suppressed:
        return MARK
    value = getattr(row, field)
    if kind == "signed":
        return f.signed(value, digits)
    if kind == "signed_pct":
        return f.signed_percent(value)
    if kind == "pct":
        return f.percent(value)
    return f.decimal(value, digits) if digits else f.integer(value)


def _counted(row, field: str, one: str, many: str) -> str:
    """«1 tjeneste», «2 tjenester», «* tjenester» (a withheld count)."""
    text = _v(row, field)
    return f"{text} {one if text == '1' else many}"


def _chart_value(row, field: str) -> float | None:
    return None if field in row.suppressed else getattr(row, field)


def render(report: Report, out_dir: Path, pptx_template: Path | None = None, **_: object
           ) -> Path:
    d = _Slides(report, Path(pptx_template) if pptx_template else None)
    _title(d)
    _headline(d)
    _staircase(d)
    for st in report.steps:
        _step(d, st)
    _home_nursing(d)
    _concentration(d)
    _stays(d)
    _movement(d)
    comparison_slides.slides(d)
    _quality(d)
    _about(d)
    path = out_dir / "report.pptx"
    d.prs.save(str(path))
    return path


def _before(report: Report) -> str | None:
    return f.month(report.previous_period) if report.previous_period else None


def _title(d: _Slides) -> None:

    report = d.r
    before = _before(report)
    s = d.prs.slides.add_slide(d.title_layout)
    s.shapes.title.text = f"Innsatstrappen – {f.month(report.period)}{f.unit_suffix(report.unit)}"
    cover(d, s, f"Telledato {f.date(report.as_of)}"
          + (f" · sammenlignet med {before}" if before else ""), 1.2)
    s.notes_slide.notes_text_frame.text = (
        "Tallene er regnet ut fra fagsystemets månedsuttrekk med innsatstrapp. Hver tjeneste er "
        "plassert på et trinn i innsatstrappen etter kommunens tjenestekatalog.")


def _headline(d: _Slides) -> None:
    report = d.r
    before = _before(report)
    s = d.slide(f"Nøkkeltall{' – endring fra ' + before if before else ''}",
                "Unike brukere: personer med minst ett aktivt vedtak på telledatoen. Tjenester: "
                "aktive vedtak. Nye/avsluttede: startdato/sluttdato i måneden til og med "
                "telledatoen. Timer: sum av timer per uke over aktive vedtak i tjenester med "
                "rollen hjemmesykepleie. Snitt døgn: gjennomsnittlig antall dager fra "
                "vedtakets start til telledato for aktive langtidsopphold.")
    rows = []
    gone = absent.headline(report)
    for name in HEADLINE:
        label, digits = HEADLINE_LABELS[name]
        fig = report.headline[name]
        now, before = _v(fig, "value", digits), _v(fig, "previous", digits)
        if gone.get(name) == "now":
            now = NOT_IN_EXTRACT
        elif gone.get(name) == "before":
            before = NOT_IN_EXTRACT
        rows.append([label, now, before,
                     _v(fig, "change", digits, "signed"), _v(fig, "change_pct", 1, "signed_pct")])
    d.table(s, ["", "Nå", "Forrige", "Endring", "Endring %"], rows, largest=20, smallest=16)
    d.footnote(s)


def _bar_chart(d: _Slides, s, kind, categories: list[str], series: list[tuple[str, list]],
               colours: list[str], x, cx, labels: bool = True):
    """A native bar or column chart under the title, its numbers Norwegian; a withheld
    value (None) is a bar at 0 labelled «* skjult»."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    data = CategoryChartData(number_format=INTEGER)
    data.categories = categories
    for name, values in series:
        data.add_series(name, chart_values(values))
    chart = s.shapes.add_chart(kind, x, d.top, cx, d.foot - d.top - d.inch(0.1), data).chart
    chart.font.size = d.pt(14)
    chart.has_title = False
    chart.has_legend = len(series) > 1
    if chart.has_legend:
        chart.legend.position = XL_LEGEND_POSITION.TOP if kind == XL_CHART_TYPE.BAR_CLUSTERED \
            else XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    for one, colour in zip(plot.series, colours, strict=True):
        one.format.fill.solid()
        one.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    if labels:
        plot.has_data_labels = True
        plot.data_labels.font.size = d.pt(12 if len(series) > 1 else 14)
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("D9D9D9")
    number_formats(chart)
    label_withheld(chart, [values for _, values in series])
    return chart


def _staircase(d: _Slides) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    report = d.r
    before = _before(report)
    s = d.slide(f"Innsatstrappen – aktive vedtak per trinn, {f.month(report.period)}",
                "Søylene viser aktive vedtak (tjenester) per trinn på telledatoen; tallet i "
                "parentes under trinnet er endringen fra forrige periode. Et trinn uten "
                "tjenester vises med 0.")
    categories = [f"{st.step}\n({_v(st, 'change', 0, 'signed')})" if before else st.step
                  for st in report.steps]
    chart = _bar_chart(d, s, XL_CHART_TYPE.COLUMN_CLUSTERED, categories,
                       [("Tjenester", [_chart_value(st, "services") for st in report.steps])],
                       [BLUE], d.margin, d.full_w)
    chart.category_axis.tick_labels.font.size = category_size(
        categories, (d.full_w - d.inch(1)) // max(len(categories), 1), d.size(14), d.size(9))
    d.footnote(s)


def _step(d: _Slides, st) -> None:
    """A step's slide: its services, most decisions first, in one table; a line under it
    says how many are left out and where they all are."""
    report = d.r
    before = _before(report)
    services = sorted([v for v in report.services if v.step == st.step],
                      key=lambda v: -(v.count or 0))
    s = d.slide(f"{st.step}: {_counted(st, 'services', 'tjeneste', 'tjenester')}, "
                f"{_counted(st, 'users', 'bruker', 'brukere')}",
                f"Tjenestene på {st.step} med flest aktive vedtak på telledatoen. Antall er "
                f"aktive vedtak; nye og sluttet er vedtak som startet eller sluttet i måneden"
                + ("; endring er fra forrige periode" if before else "")
                + ". Alle tjenestene og gruppene står i report.xlsx.")
    if not services:
        d.text(s, ["Ingen tjenester er plassert på dette trinnet."], d.margin, d.top,
               d.full_w, d.foot - d.top)
        return
    grouped = len({v.group for v in services}) > 1
    head = (["Tjeneste"] + (["Gruppe"] if grouped else []) + ["Antall"]
            + (["Endring"] if before else []) + ["Nye", "Sluttet"])
    rows = [[v.service] + ([v.group] if grouped else []) + [_v(v, "count")]
            + ([_v(v, "change", 0, "signed")] if before else []) + [_v(v, "new"), _v(v, "ended")]
            for v in services]
    numeric = [False] * (2 if grouped else 1) + [True] * (len(head) - (2 if grouped else 1))
    shown, end = d.table(s, head, rows, most=STEP_ROWS, numeric=numeric)
    if shown < len(rows):
        d.left_out(s, f"{_shown(shown, len(rows), 'tjenester')} {_in_workbook(SERVICES_SHEET)}",
                   end)
    d.footnote(s)


def _home_nursing(d: _Slides) -> None:
    from pptx.enum.chart import XL_CHART_TYPE

    home = [v for v in d.r.services if v.role == "hjemmesykepleie"]
    if not home:
        return
    s = d.slide("Hjemmesykepleie: vedtatte timer og ressurstimer per uke",
                "Vedtatte timer: sum av vedtatte timer per uke over aktive vedtak. "
                "Ressurstimer: sum av ressurstimer per uke. Ressursandel = ressurstimer / "
                "vedtatte timer; over 1 betyr at det brukes mer tid enn vedtatt.")
    shown = sorted(home, key=lambda v: -(v.approved_hours or 0))[:HOME_BARS]
    shown = [v for v in home if v in shown]  # in the catalog's order
    hours = [[_chart_value(v, fld) for v in shown] for fld in ("approved_hours",
                                                                "resource_hours")]
    chart = _bar_chart(d, s, XL_CHART_TYPE.BAR_CLUSTERED, [v.service for v in shown],
                       [("Vedtatte timer", hours[0]), ("Ressurstimer", hours[1])],
                       [BLUE, ORANGE], d.margin, d.full_w, labels=False)
    if len(shown) < len(home):  # room for the line under the chart
        chart_shape = s.shapes[-1]
        chart_shape.height -= d.inch(0.5)
        d.left_out(s, f"Viser de {len(shown)} med flest vedtatte timer av {len(home)} "
                      f"tjenester. {_in_workbook(HOME_SHEET)}",
                   chart_shape.top + chart_shape.height)
    chart.category_axis.reverse_order = True  # the catalog's first service on top
    _value_axis_below(chart)
    chart.category_axis.tick_labels.font.size = d.pt(12)
    d.footnote(s)


def _value_axis_below(chart) -> None:
    """With the categories in reverse order, a bar chart's value axis moves to the top;
    crossing at the last category keeps it at the bottom."""
    from pptx.oxml.ns import qn

    crosses = chart.value_axis._element.find(qn("c:crosses"))
    if crosses is not None:
        crosses.set("val", "max")


def _concentration(d: _Slides) -> None:
    from pptx.chart.data import XyChartData
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    report = d.r
    home_groups = {v.group for v in report.services if v.role == "hjemmesykepleie"}
    curves = [c for c in report.concentration
              if c.scope_type == "group" and c.scope in home_groups and c.lorenz]
    said = [f"{c.scope}: {line}" for c in report.concentration if c.scope_type == "group"
            and c.scope in home_groups for line in sentences(c)]
    if not (curves or said):
        return
    s = d.slide("Hvor konsentrert er timene i hjemmesykepleien?",
                "Per person summeres vedtatte timer per uke i gruppen. Kurven viser hvor "
                "stor andel av timene brukerne med færrest timer står for; jo lenger under "
                "diagonalen, jo mer konsentrert. «Topp 10 %» er de ⌈n/10⌉ personene med "
                "flest timer.")
    chart_w = d.inch(7)
    if curves:
        xy = XyChartData()
        line = xy.add_series("Lik fordeling", number_format=PERCENT)
        for x in range(0, 101, 10):
            line.add_data_point(x, x)
        for c in curves:
            series = xy.add_series(c.scope, number_format=PERCENT)
            for k, y in enumerate(c.lorenz):
                series.add_data_point(10 * k, y)
        chart = s.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER_LINES, d.margin, d.top, chart_w,
                                   d.foot - d.top - d.inch(0.1), xy).chart
        chart.font.size = d.pt(14)
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        for axis in (chart.value_axis, chart.category_axis):
            axis.maximum_scale, axis.minimum_scale = 100, 0
            axis.major_unit = 20  # «0 %» … «100 %» stay apart
        number_formats(chart, PERCENT)
    gap = d.inch(0.3)
    d.text(s, said or ["Ingen tall å vise."], d.margin + chart_w + gap, d.top,
           d.full_w - chart_w - gap, d.foot - d.top, 16 if len(said) <= 4 else 14, space=True)
    d.footnote(s)


def _stays(d: _Slides) -> None:
    report = d.r
    if not report.long_term_stays:
        return
    s = d.slide("Langtidsopphold etter varighet",
                "Dager = telledato minus vedtakets startdato, over aktive vedtak i tjenester "
                "med rollen langtidsopphold. Median og snitt i dager.")
    stays = sorted(report.long_term_stays, key=lambda lt: -(lt.residents or 0))
    rows = [[lt.service, _v(lt, "residents"), _v(lt, "under_150_days"),
             _v(lt, "days_150_to_365"), _v(lt, "days_365_to_730"), _v(lt, "over_730_days"),
             _v(lt, "median_days", 0), _v(lt, "mean_days", 0)] for lt in stays]
    # A number and its unit never apart (no-break spaces); the header wraps between the rest.
    head = ["Tjeneste", "Beboere", "Under 150\u00a0dager", "150\u00a0dager til 1\u00a0år",
            "1 til 2\u00a0år", "Over 2\u00a0år", "Median, dager", "Snitt, dager"]
    shown, end = d.table(s, head, rows, most=STAYS_ROWS)
    if shown < len(rows):
        d.left_out(s, f"{_shown(shown, len(rows), 'tjenester')} {_in_workbook(STAYS_SHEET)}",
                   end)
    d.footnote(s)


def _movement(d: _Slides) -> None:
    """Two slides: persons per level then and now (a native chart) with the movement in
    words, and the transition matrix as a table."""
    from pptx.enum.chart import XL_CHART_TYPE

    report = d.r
    month = f.month(report.period)
    before = _before(report)
    s = d.slide("Bevegelse i trappen: personer per nivå",
                "Nivå = det høyeste trinnet i trappen blant personens aktive vedtak på "
                "telledatoen (trinn utenfor trappen teller ikke). Flyttet ned / opp: nivået har "
                "lavere / høyere nummer enn i sammenligningsmåneden; kom inn / gikk ut: hadde "
                "ikke / har ikke lenger et nivå. Samme person følges gjennom pseudonymet.")
    levels = ([[_chart_value(x, "previous") for x in report.levels]] if before else []) + [
        [_chart_value(x, "persons") for x in report.levels]]
    names = [before, month] if before else [month]
    chart_w = d.inch(7.6)
    categories = [x.step for x in report.levels]
    chart = _bar_chart(d, s, XL_CHART_TYPE.COLUMN_CLUSTERED, categories,
                       list(zip(names, levels, strict=True)),
                       ([SKY] if before else []) + [BLUE], d.margin, chart_w, labels=False)
    chart.category_axis.tick_labels.font.size = category_size(
        categories, (chart_w - d.inch(1)) // max(len(categories), 1), d.size(14), d.size(9))
    gap = d.inch(0.3)
    d.text(s, mv.sentences(report), d.margin + chart_w + gap, d.top,
           d.full_w - chart_w - gap, d.foot - d.top, 16, space=True)
    d.footnote(s)
    grid = mv.grid(report)
    if grid is None:
        return
    s = d.slide("Flytting mellom nivåer",
                "Hver celle er antall personer. Diagonalen er de som ble på samme nivå; over "
                "diagonalen flyttet de opp, under den ned. «Ingen trinn» er personer uten "
                "aktive vedtak i trappen.")
    rows = [[mv.label(a)] + ["" if a == b == mv.NONE else
                             (MARK if grid.value(a, b) == MARK else f.integer(grid.value(a, b)))
                             for b in grid.columns] for a in grid.rows]
    # The corner says which way the table reads; it wraps between its words.
    d.table(s, [f"Fra {before} \\ til {month}"] + [mv.label(b) for b in grid.columns], rows,
            bottom=d.foot - d.inch(0.1), smallest=10)
    d.footnote(s)


def _quality(d: _Slides) -> None:

    dq = d.r.data_quality
    s = d.slide("Datakvalitet",
                "Tjenester som ikke er plassert på et trinn i katalogen telles i nøkkeltallene, "
                "men ikke i trinnene. Merknadene viser hva som bør sjekkes i fagsystemet.")
    lines = [f"Uttrekket har {_dq(dq, 'rows')} rader og {_dq(dq, 'active')} aktive vedtak."]
    cut = False
    unmapped = [f"{u.service} ({MARK if u.rows is None else f.integer(u.rows)} rader)"
                for u in dq.unmapped_services]
    if unmapped:
        lines.append("Ikke plassert på et trinn (telles i nøkkeltallene, ikke i trinnene): "
                     + _listed(unmapped) + ".")
        cut = len(unmapped) > QUALITY_ITEMS
    by_message: dict[str, list] = {}
    for w in dq.warnings:
        by_message.setdefault(w.message, []).append(w)
    for message, warnings in by_message.items():
        counts = [f"{w.service} ({_warned(w)})" if w.service else _warned(w)
                  for w in warnings if w.service or _warned(w)]
        said = f": {_listed(counts)}" if counts else ""
        lines.append(f"{message[:1].upper()}{message[1:]}{said}.")
        cut = cut or len(counts) > QUALITY_ITEMS
    if cut:
        lines.append(f"Alle tjenestene står i report.xlsx, arket «{QUALITY_SHEET}».")
    d.text(s, lines, d.margin, d.top, d.full_w, d.foot - d.top - d.inch(0.1),
           16 if len(lines) <= 5 else 14, space=True)


def _listed(items: list[str]) -> str:
    """The first few, then «og 5 til»."""
    if len(items) <= QUALITY_ITEMS:
        return ", ".join(items)
    return ", ".join(items[:QUALITY_ITEMS]) + f" og {len(items) - QUALITY_ITEMS} til"


def _about(d: _Slides) -> None:

    report = d.r
    s = d.slide("Om tallene",
                "Definisjonene følger innsatstrapps rapportkontrakt (docs/report.md).")
    d.text(s, [
        f"Telledato {f.date(report.as_of)}. Aktivt vedtak: startdato på eller før telledato, "
        "og ingen sluttdato eller sluttdato på eller etter den.",
        "Nye / avsluttede vedtak: startdato / sluttdato i måneden, til og med telledato.",
        "Endring: verdien nå minus verdien i sammenligningsperioden.",
        "Topp 10 %: de ⌈n/10⌉ personene med flest vedtatte timer per uke i gruppen.",
        f"Små tall: tall fra 1 til {max(report.suppression_threshold - 1, 0)} personer eller "
        f"vedtak, og tall som bygger på færre enn {report.suppression_threshold} personer, "
        f"vises som {MARK}." if report.suppression_threshold else
        "Små tall er ikke skjult (intern bruk).",
        "Alle tall, også tjenestene som ikke får plass på lysarkene, står i report.xlsx.",
    ], d.margin, d.top, d.full_w, d.inch(4.5), 18, space=True)


def _dq(dq, field: str) -> str:
    return MARK if field in dq.suppressed else f.integer(getattr(dq, field))
