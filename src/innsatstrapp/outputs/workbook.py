"""What the report's and the plan's workbooks share: a workbook that never turns a text into
a formula, a number or a link (a name from the extract stays text), the formats both use,
and the print set-up (A4 landscape, one page wide, the header row on every page)."""

from __future__ import annotations

from pathlib import Path

MARK = "*"  # a withheld figure, in every sheet
SAFE = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


class Workbook:
    """An XlsxWriter workbook with the shared formats in `fmt`; a subclass adds its own."""

    def __init__(self, path: Path, title: str) -> None:
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(path), SAFE)
        b = self.book
        b.set_properties({"title": title, "comments": "Laget med innsatstrapp"})
        self.fmt = {
            "head": b.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                  "text_wrap": True, "valign": "top"}),
            "title": b.add_format({"bold": True, "font_size": 14}),
            "note": b.add_format({"italic": True, "font_color": "#555555"}),
            "int": b.add_format({"num_format": "#,##0"}),
            "pct": b.add_format({"num_format": "0.0%"}),
            "text": b.add_format({}),
            "mark": b.add_format({"font_color": "#B3401A", "bold": True, "align": "right"}),
        }

    @staticmethod
    def print_setup(sheet, repeat: int | None = 2) -> None:
        """A4 landscape, one page wide; row `repeat` (the header) on every page."""
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        if repeat is not None:
            sheet.repeat_rows(repeat)
