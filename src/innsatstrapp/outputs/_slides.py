"""What the report's and the plan's slides share: the deck (16:9, or the municipality's
template), its layouts, the colours. Light on purpose: no metrics, no Ibis."""

from __future__ import annotations

from pathlib import Path

from innsatstrapp.errors import InputFileError, Problem
from innsatstrapp.outputs.charts import WITHHELD_LABEL

MARK = "*"
BLUE, ORANGE, GREY, SKY = "0072B2", "E69F00", "5B6776", "56B4E9"


def deck(template: Path | None):
    """A new 16:9 presentation, or the template's; a bad template is the user's to fix."""
    from pptx import Presentation
    from pptx.util import Inches

    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = Inches(13.333), Inches(7.5)
        return prs
    try:
        return Presentation(str(template))
    except FileNotFoundError:
        raise InputFileError(template.name, [Problem(None, None, None, "finner ikke filen")],
                             what="PowerPoint-malen") from None
    except Exception:  # python-pptx raises several kinds for a file that is not a deck
        raise InputFileError(template.name, [Problem(None, None, None,
                                                     "er ikke en lesbar PowerPoint-fil")],
                             what="PowerPoint-malen") from None


def layout(prs, name: str, fallback: int):
    """The layout of that name in any case, else the one at `fallback` (negative: from the
    end), so a municipality's own master works without renaming its layouts."""
    for candidate in prs.slide_layouts:
        if candidate.name.casefold() == name.casefold():
            return candidate
    return prs.slide_layouts[fallback if fallback >= 0 else len(prs.slide_layouts) + fallback]


def text_box(slide, lines: list[str], x, y, cx, cy, size, space_after=None) -> None:
    """One wrapped text box, a paragraph per line, at a font size (a Pt)."""
    box = slide.shapes.add_textbox(x, y, cx, cy).text_frame
    box.word_wrap = True
    for i, line in enumerate(lines):
        p = box.paragraphs[0] if i == 0 else box.add_paragraph()
        p.text = line
        p.font.size = size
        if space_after is not None:
            p.space_after = space_after


def chart_values(values: list[float | None]) -> list[float]:
    """A series for a native chart: a withheld value (None) drawn at 0, to be labelled
    «* skjult» by `label_withheld`, so a missing bar never reads as a plain zero."""
    return [0 if v is None else v for v in values]


def label_withheld(chart, series_values: list[list[float | None]]) -> int:
    """Give every withheld point of a chart's series (the None in `series_values`, in the
    series' order) the data label «* skjult»; returns how many."""
    from pptx.enum.chart import XL_LABEL_POSITION
    from pptx.util import Pt

    marked = 0
    for series, values in zip(chart.plots[0].series, series_values, strict=True):
        for j, v in enumerate(values):
            if v is not None:
                continue
            label = series.points[j].data_label
            label.has_text_frame = True
            label.text_frame.text = WITHHELD_LABEL
            label.text_frame.paragraphs[0].font.size = Pt(11)
            label.position = XL_LABEL_POSITION.INSIDE_BASE
            marked += 1
    return marked
