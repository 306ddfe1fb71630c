"""The sheet «Sammenligning» of report.xlsx: per indicator the sentence, the table (real
numbers, the municipality in bold, «–» where SSB has no figure) and below it a native
column chart by year and region, the municipality in the palette's first colour."""

from __future__ import annotations

from innsatstrapp.model.report import KostraIndicator, Report
from innsatstrapp.outputs import comparison as c
from innsatstrapp.outputs.workbook import MARK, Workbook

SHEET = "Sammenligning"
SOURCE = ("Kilde: SSBs statistikkbank (KOSTRA og KPR), lest inn med «innsatstrapp kostra "
          "import». Publisert statistikk: tallene skjules ikke. «–»: SSB har ikke tall.")


def write(wb: Workbook, report: Report) -> None:
    """The sheet, when the report has a comparison."""
    if report.kostra is None:
        return
    own = report.kostra.municipality
    sheet = wb.book.add_worksheet(SHEET)
    sheet.write_string(0, 0, f"Sammenligning med andre kommuner (KOSTRA og KPR), kommune "
                             f"{own}", wb.fmt["title"])
    sheet.write_string(1, 0, SOURCE, wb.fmt["note"])
    if not report.kostra.indicators:
        sheet.write_string(3, 0, f"Lageret har ingen KOSTRA- eller KPR-tall for kommune {own}.")
    row, width, formats = 3, 1, Formats(wb)
    for ind in report.kostra.indicators:
        width = max(width, len(ind.years))
        sheet.write_string(row, 0, ind.indicator, wb.fmt["title"])
        sheet.write_string(row + 1, 0, c.sentence(ind, own))
        row = indicator_table(wb, sheet, SHEET, ind, own, row + 2, formats)
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, width, 12)
    wb.print_setup(sheet, None)


class Formats:
    """The sheet's number formats per number of decimals, plain and for the municipality's
    row (bold on light blue)."""

    def __init__(self, wb: Workbook) -> None:
        b = wb.book
        self.number = {p: (b.add_format({"num_format": c.number_format(p, "")}),
                           b.add_format({"num_format": c.number_format(p, ""), "bold": True,
                                         "bg_color": "#E6F0F8"}))
                       for p in (0, 1, 2)}
        self.bold = b.add_format({"bold": True, "bg_color": "#E6F0F8"})
        self.dash = b.add_format({"align": "right", "font_color": "#555555"})


def indicator_table(wb: Workbook, sheet, name: str, ind: KostraIndicator, own: str, head: int,
                    formats: Formats, own_column: tuple[str, float | None] | None = None
                    ) -> int:
    """The indicator's table from row `head` and its chart below it; returns the row
    where the next block may start. `own_column` adds a last column (its title and the
    municipality's figure in it, None = withheld), not charted: the plan's own figure."""
    places = c.digits(ind)
    regions = c.regions(ind, own)
    plain, strong = formats.number[places]
    sheet.write_string(head, 0, "Region", wb.fmt["head"])
    for j, y in enumerate(ind.years):
        sheet.write_string(head, 1 + j, y, wb.fmt["head"])
    for i, r in enumerate(regions):
        mine = r.kind == "own"
        sheet.write_string(head + 1 + i, 0, r.name, formats.bold if mine else None)
        for j, y in enumerate(ind.years):
            v = r.values.get(y)
            if v is None:
                sheet.write_string(head + 1 + i, 1 + j, "–", formats.dash)
            else:
                sheet.write_number(head + 1 + i, 1 + j, v, strong if mine else plain)
    if own_column is not None:
        title, figure = own_column
        col = 1 + len(ind.years)
        sheet.write_string(head, col, title, wb.fmt["head"])
        sheet.set_row(head, 30)  # the header wraps: «Egen beregning» over the date
        if figure is None:
            sheet.write_string(head + 1, col, MARK, wb.fmt["mark"])
        else:
            sheet.write_number(head + 1, col, figure, strong)
    last = head + len(regions)
    chart = wb.book.add_chart({"type": "column"})
    for i, r in enumerate(regions):
        series = {"name": [name, head + 1 + i, 0],
                  "categories": [name, head, 1, head, len(ind.years)],
                  "values": [name, head + 1 + i, 1, head + 1 + i, len(ind.years)],
                  "fill": {"color": c.colour(r, i)}, "gap": 80}
        if r.kind == "own":
            series |= {"border": {"color": "#1D2B36", "width": 1.25},
                       "data_labels": {"value": True, "num_format": c.number_format(places)}}
        chart.add_series(series)
    chart.set_title({"name": ind.indicator, "name_font": {"size": 11}})
    chart.set_legend({"position": "bottom"})
    chart.set_y_axis({"num_format": c.number_format(places),
                      "major_gridlines": {"visible": True},
                      **({"min": 0} if c.from_zero(ind) else {})})
    chart.set_size({"width": 720, "height": 300})
    sheet.insert_chart(last + 2, 0, chart)  # below the table: the sentence stays readable
    return last + 19  # below the chart (300 px: 15 rows)
