"""report.pptx: the committee's slides, 16:9, Norwegian, with native (editable) charts and
speaker notes that give each figure's definition. `--pptx-template` uses the municipality's
own master slides (its "Title Slide" and "Title Only" layouts, or the first and the last
layout with a title)."""

from __future__ import annotations

from pathlib import Path

from innsatstrapp.metrics.model import HEADLINE, Report
from innsatstrapp.outputs import _format as f
from innsatstrapp.outputs import movement as mv
from innsatstrapp.outputs._slides import (
    BLUE,
    MARK,
    ORANGE,
    chart_values,
    label_withheld,
    text_box,
)
from innsatstrapp.outputs._slides import deck as _deck
from innsatstrapp.outputs._slides import layout as _layout
from innsatstrapp.outputs.html import HEADLINE_LABELS, sentences


class _Slides:
    def __init__(self, report: Report, template: Path | None) -> None:
        from pptx.util import Inches

        self.r = report
        self.prs = _deck(template)
        self.title_layout = _layout(self.prs, "Title Slide", 0)
        self.only_layout = _layout(self.prs, "Title Only", 5 if len(
            self.prs.slide_layouts) > 5 else -1)
        self.w, self.h = self.prs.slide_width, self.prs.slide_height
        self.margin = Inches(0.6)
        self.top = Inches(1.5)

    def slide(self, title: str, notes: str):
        from pptx.util import Pt

        s = self.prs.slides.add_slide(self.only_layout)
        if s.shapes.title is not None:
            s.shapes.title.text = title
            for p in s.shapes.title.text_frame.paragraphs:
                p.font.size = Pt(28)
        s.notes_slide.notes_text_frame.text = notes
        return s

    def text(self, slide, lines: list[str], x, y, cx, cy, size: int = 16) -> None:
        from pptx.util import Pt

        text_box(slide, lines, x, y, cx, cy, Pt(size))

    def table(self, slide, head: list[str], rows: list[list[str]], x, y, cx, size: int = 12):
        from pptx.util import Emu, Pt

        height = Emu(int(380000 * (len(rows) + 1)))
        shape = slide.shapes.add_table(len(rows) + 1, len(head), x, y, cx, height)
        t = shape.table
        first = int(cx * (0.42 if len(head) > 3 else 0.55))
        t.columns[0].width = Emu(first)
        for c in range(1, len(head)):
            t.columns[c].width = Emu(int((cx - first) / (len(head) - 1)))
        for c, title in enumerate(head):
            t.cell(0, c).text = title
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
        for r in range(len(rows) + 1):
            for c in range(len(head)):
                for p in t.cell(r, c).text_frame.paragraphs:
                    p.font.size = Pt(size)
                    if c > 0:
                        from pptx.enum.text import PP_ALIGN

                        p.alignment = PP_ALIGN.RIGHT
        return t

    def footnote(self, slide) -> None:
        from pptx.util import Inches

        n = self.r.suppression_threshold
        if not n:
            return
        self.text(slide, [f"{MARK} Skjult for å verne personvernet: tall fra 1 til {n - 1} og "
                          f"tall som bygger på færre enn {n} personer."],
                  self.margin, self.h - Inches(0.7), self.w - 2 * self.margin, Inches(0.4), 11)


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


def _chart_value(row, field: str) -> float | None:
    return None if field in row.suppressed else getattr(row, field)


def render(report: Report, out_dir: Path, pptx_template: Path | None = None, **_: object
           ) -> Path:
    from pptx.chart.data import CategoryChartData, XyChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    d = _Slides(report, Path(pptx_template) if pptx_template else None)
    month = f.month(report.period)
    before = f.month(report.previous_period) if report.previous_period else None
    full_w = d.w - 2 * d.margin

    s = d.prs.slides.add_slide(d.title_layout)
    s.shapes.title.text = f"Innsatstrappen – {month}{f.unit_suffix(report.unit)}"
    if len(s.placeholders) > 1:
        s.placeholders[1].text = (f"Telledato {f.date(report.as_of)}"
                                  + (f" · sammenlignet med {before}" if before else ""))
    s.notes_slide.notes_text_frame.text = (
        "Tallene er regnet ut fra fagsystemets månedsuttrekk med innsatstrapp. Hver tjeneste er "
        "plassert på et trinn i innsatstrappen etter kommunens tjenestekatalog.")

    s = d.slide(f"Nøkkeltall{' – endring fra ' + before if before else ''}",
                "Unike brukere: personer med minst ett aktivt vedtak på telledatoen. Tjenester: "
                "aktive vedtak. Nye/avsluttede: startdato/sluttdato i måneden til og med "
                "telledatoen. Timer: sum av timer per uke over aktive vedtak i tjenester med "
                "rollen hjemmesykepleie. Snitt døgn: gjennomsnittlig antall dager fra "
                "vedtakets start til telledato for aktive langtidsopphold.")
    rows = []
    for name in HEADLINE:
        label, digits = HEADLINE_LABELS[name]
        fig = report.headline[name]
        rows.append([label, _v(fig, "value", digits), _v(fig, "previous", digits),
                     _v(fig, "change", digits, "signed"), _v(fig, "change_pct", 1, "signed_pct")])
    d.table(s, ["", "Nå", "Forrige", "Endring", "Endring %"], rows, d.margin, d.top, full_w, 16)
    d.footnote(s)

    s = d.slide(f"Innsatstrappen – aktive vedtak per trinn, {month}",
                "Søylene viser aktive vedtak (tjenester) per trinn på telledatoen; tallet i "
                "parentes under trinnet er endringen fra forrige periode. Et trinn uten "
                "tjenester vises med 0.")
    data = CategoryChartData(number_format="#,##0")
    data.categories = [f"{st.step}\n({_v(st, 'change', 0, 'signed')})" if before else st.step
                       for st in report.steps]
    step_values = [_chart_value(st, "services") for st in report.steps]
    data.add_series("Tjenester", chart_values(step_values))
    chart = s.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, d.margin, d.top, full_w,
                               d.h - d.top - Inches(1.0), data).chart
    chart.has_legend = False
    chart.has_title = False
    plot = chart.plots[0]
    plot.has_data_labels = True
    plot.data_labels.number_format = "#,##0"
    plot.data_labels.number_format_is_linked = False
    plot.series[0].format.fill.solid()
    plot.series[0].format.fill.fore_color.rgb = RGBColor.from_string(BLUE)
    chart.value_axis.tick_labels.number_format = "#,##0"
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.category_axis.tick_labels.font.size = Pt(12)
    label_withheld(chart, [step_values])
    d.footnote(s)

    for st in report.steps:
        groups = sorted([g for g in report.groups if g.step == st.step],
                        key=lambda g: -(g.services or 0))[:6]
        services = sorted([v for v in report.services if v.step == st.step],
                          key=lambda v: -(v.count or 0))[:8]
        s = d.slide(f"{st.step}: {_v(st, 'services')} tjenester, {_v(st, 'users')} brukere",
                    f"De største gruppene og tjenestene på {st.step}. Antall er aktive vedtak på "
                    f"telledatoen; nye og sluttet er vedtak som startet eller sluttet i måneden.")
        if not services:
            d.text(s, ["Ingen tjenester er plassert på dette trinnet."], d.margin, d.top,
                   full_w, Inches(1))
            continue
        half = (full_w - Inches(0.4)) // 2
        d.table(s, ["Gruppe", "Antall", "Endring"],
                [[g.group, _v(g, "services"), _v(g, "change", 0, "signed")] for g in groups],
                d.margin, d.top, half, 12)
        d.table(s, ["Tjeneste", "Antall", "Endring", "Nye", "Sluttet"],
                [[v.service, _v(v, "count"), _v(v, "change", 0, "signed"), _v(v, "new"),
                  _v(v, "ended")] for v in services],
                d.margin + half + Inches(0.4), d.top, half, 11)
        d.footnote(s)

    home = [v for v in report.services if v.role == "hjemmesykepleie"]
    if home:
        s = d.slide("Hjemmesykepleie: vedtatte timer og ressurstimer per uke",
                    "Vedtatte timer: sum av vedtatte timer per uke over aktive vedtak. "
                    "Ressurstimer: sum av ressurstimer per uke. Ressursandel = ressurstimer / "
                    "vedtatte timer; over 1 betyr at det brukes mer tid enn vedtatt.")
        data = CategoryChartData(number_format="#,##0")
        data.categories = [v.service for v in home]
        hours = [[_chart_value(v, fld) for v in home]
                 for fld in ("approved_hours", "resource_hours")]
        data.add_series("Vedtatte timer", chart_values(hours[0]))
        data.add_series("Ressurstimer", chart_values(hours[1]))
        chart = s.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, d.margin, d.top, full_w,
                                   d.h - d.top - Inches(1.0), data).chart
        chart.has_legend = True
        chart.legend.position = XL_LEGEND_POSITION.TOP
        chart.legend.include_in_layout = False
        for series, color in zip(chart.plots[0].series, (BLUE, ORANGE), strict=True):
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = RGBColor.from_string(color)
        chart.category_axis.reverse_order = True
        chart.category_axis.tick_labels.font.size = Pt(9 if len(home) > 6 else 11)
        chart.value_axis.tick_labels.number_format = "#,##0"
        chart.value_axis.tick_labels.number_format_is_linked = False
        label_withheld(chart, hours)
        d.footnote(s)

    home_groups = {v.group for v in home}
    curves = [c for c in report.concentration
              if c.scope_type == "group" and c.scope in home_groups and c.lorenz]
    said = [f"{c.scope}: {line}" for c in report.concentration if c.scope_type == "group"
            and c.scope in home_groups for line in sentences(c)]
    if curves or said:
        s = d.slide("Hvor konsentrert er timene i hjemmesykepleien?",
                    "Per person summeres vedtatte timer per uke i gruppen. Kurven viser hvor "
                    "stor andel av timene brukerne med færrest timer står for; jo lenger under "
                    "diagonalen, jo mer konsentrert. «Topp 10 %» er de ⌈n/10⌉ personene med "
                    "flest timer.")
        if curves:
            xy = XyChartData()
            line = xy.add_series("Lik fordeling", number_format="0")
            for x in range(0, 101, 10):
                line.add_data_point(x, x)
            for c in curves:
                series = xy.add_series(c.scope, number_format="0")
                for k, y in enumerate(c.lorenz):
                    series.add_data_point(10 * k, y)
            chart = s.shapes.add_chart(XL_CHART_TYPE.XY_SCATTER_LINES, d.margin, d.top,
                                       Inches(7), d.h - d.top - Inches(1.0), xy).chart
            chart.has_legend = True
            chart.legend.position = XL_LEGEND_POSITION.BOTTOM
            chart.legend.include_in_layout = False
            for axis in (chart.value_axis, chart.category_axis):
                axis.maximum_scale, axis.minimum_scale = 100, 0
                axis.tick_labels.number_format = '0" %"'
                axis.tick_labels.number_format_is_linked = False
        d.text(s, said or ["Ingen tall å vise."], d.margin + Inches(7.3), d.top,
               full_w - Inches(7.3), Inches(4), 16)
        d.footnote(s)

    if report.long_term_stays:
        s = d.slide("Langtidsopphold etter varighet",
                    "Dager = telledato minus vedtakets startdato, over aktive vedtak i tjenester "
                    "med rollen langtidsopphold. Median og snitt i dager.")
        d.table(s, ["Tjeneste", "Beboere", "< 150 d", "150 d–1 år", "1–2 år", "> 2 år",
                    "Median", "Snitt"],
                [[lt.service, _v(lt, "residents"), _v(lt, "under_150_days"),
                  _v(lt, "days_150_to_365"), _v(lt, "days_365_to_730"),
                  _v(lt, "over_730_days"), _v(lt, "median_days", 0), _v(lt, "mean_days", 0)]
                 for lt in report.long_term_stays], d.margin, d.top, full_w, 14)
        d.footnote(s)

    _movement(d, report, full_w)

    dq = report.data_quality
    s = d.slide("Datakvalitet",
                "Tjenester som ikke er plassert på et trinn i katalogen telles i nøkkeltallene, "
                "men ikke i trinnene. Merknadene viser hva som bør sjekkes i fagsystemet.")
    lines = [f"Uttrekket har {_dq(dq, 'rows')} rader; {_dq(dq, 'active')} aktive vedtak."]
    lines += [f"Ikke plassert: {u.service} ({MARK if u.rows is None else f.integer(u.rows)} "
              f"rader)" for u in dq.unmapped_services[:8]]
    lines += [f"{w.message}{' – ' + w.service if w.service else ''}: "
              f"{MARK if w.count is None else f.integer(w.count)}" for w in dq.warnings[:8]]
    d.text(s, lines, d.margin, d.top, full_w, d.h - d.top - Inches(1), 14)

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
    ], d.margin, d.top, full_w, Inches(4), 16)

    path = out_dir / "report.pptx"
    d.prs.save(str(path))
    return path


def _movement(d, report: Report, full_w) -> None:
    """Two slides: persons per level then and now (a native chart) with the movement in
    words, and the transition matrix as a table."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
    from pptx.util import Inches

    month = f.month(report.period)
    before = f.month(report.previous_period) if report.previous_period else None
    s = d.slide("Bevegelse i trappen: personer per nivå",
                "Nivå = det høyeste trinnet i trappen blant personens aktive vedtak på "
                "telledatoen (trinn utenfor trappen teller ikke). Flyttet ned / opp: nivået har "
                "lavere / høyere nummer enn i sammenligningsmåneden; kom inn / gikk ut: hadde "
                "ikke / har ikke lenger et nivå. Samme person følges gjennom pseudonymet.")
    data = CategoryChartData(number_format="#,##0")
    data.categories = [x.step for x in report.levels]
    levels = ([[_chart_value(x, "previous") for x in report.levels]] if before else []) + [
        [_chart_value(x, "persons") for x in report.levels]]
    for name, values in zip([before, month] if before else [month], levels, strict=True):
        data.add_series(name, chart_values(values))
    chart = s.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, d.margin, d.top, Inches(7.6),
                               d.h - d.top - Inches(1.0), data).chart
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    for series, colour in zip(chart.plots[0].series, (["56B4E9"] if before else []) + [BLUE],
                              strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(colour)
    chart.value_axis.tick_labels.number_format = "#,##0"
    chart.value_axis.tick_labels.number_format_is_linked = False
    label_withheld(chart, levels)
    d.text(s, mv.sentences(report), d.margin + Inches(7.9), d.top, full_w - Inches(7.9),
           Inches(4.5), 15)
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
    d.table(s, [f"Fra {before} \\ til {month}"] + [mv.label(b) for b in grid.columns], rows,
            d.margin, d.top, full_w, 12)
    d.footnote(s)


def _dq(dq, field: str) -> str:
    return MARK if field in dq.suppressed else f.integer(getattr(dq, field))
