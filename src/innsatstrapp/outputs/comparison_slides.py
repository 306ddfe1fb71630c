"""The slides of report.pptx that compare with KOSTRA and KPR: one per indicator, with the
sentence, a native column chart by year and region (the municipality in the palette's first
colour, its values labelled) and the source table in the speaker notes."""

from __future__ import annotations

from typing import Any

from innsatstrapp.outputs import comparison as c
from innsatstrapp.outputs._slides import number_formats

TITLE = "Sammenligning med andre kommuner"


def slides(d: Any) -> None:
    """A slide per indicator of the report's comparison (none without one). `d` is the
    deck being made (`outputs.pptx`): its slide, text, inch and pt."""
    kostra = d.r.kostra
    if kostra is None:
        return
    own = kostra.municipality
    for ind in kostra.indicators:
        s = d.slide(TITLE, notes(ind, own))
        d.text(s, [ind.indicator, c.sentence(ind, own)], d.margin, d.top - d.inch(0.2),
               d.full_w, d.inch(1.3), 16, space=True)
        top = d.top + d.inch(1.2)
        draw_chart(d, s, ind, own, (d.margin, top, d.full_w, d.foot - top))
        d.text(s, [c.SOURCE_NOTE], d.margin, d.foot, d.full_w, d.inch(0.4), 11)


def draw_chart(d: Any, s: Any, ind: Any, own: str, box: tuple[int, int, int, int],
               extra: tuple[str, float | None] | None = None) -> None:
    """The indicator's native column chart in `box` (x, y, width, height): by year and
    region, the municipality in the palette's first colour with its values labelled.
    `extra` adds a last category with the municipality's bar only (the plan's own
    figure; None = withheld, no bar)."""
    from pptx.chart.data import CategoryChartData
    from pptx.dml.color import RGBColor
    from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION

    places = c.digits(ind)
    fmt = c.number_format(places)
    regions = c.regions(ind, own)
    data = CategoryChartData(number_format=fmt)
    data.categories = [*ind.years, *([extra[0]] if extra else [])]
    for r in regions:  # no figure: no bar (never a 0)
        values = [r.values.get(y) for y in ind.years]
        if extra:
            values.append(extra[1] if r.kind == "own" else None)
        data.add_series(r.name, values)
    chart = s.shapes.add_chart(XL_CHART_TYPE.COLUMN_CLUSTERED, *box, data).chart
    chart.font.size = d.pt(13)
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor.from_string("D9D9D9")
    if c.from_zero(ind):
        chart.value_axis.minimum_scale = 0
    for i, (series, r) in enumerate(zip(chart.plots[0].series, regions, strict=True)):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = RGBColor.from_string(c.colour(r, i)[1:])
        if r.kind == "own":
            series.format.line.color.rgb = RGBColor.from_string("1D2B36")
            series.data_labels.show_value = True
            series.data_labels.number_format = fmt
            series.data_labels.number_format_is_linked = False
            series.data_labels.font.size = d.pt(12)
    number_formats(chart, fmt)


def notes(ind: Any, own: str) -> str:
    """The speaker notes: the sentence and the table the chart is drawn from."""
    places = c.digits(ind)
    lines = [c.sentence(ind, own), "", "Region; " + "; ".join(ind.years)]
    for r in c.regions(ind, own):
        lines.append(f"{r.name}; " + "; ".join(c.value(r.values.get(y), places)
                                               for y in ind.years))
    return "\n".join([*lines, "", c.SOURCE_NOTE])
