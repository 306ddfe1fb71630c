"""What the report's and the plan's slides share: the deck (16:9, or the municipality's
template), its layouts, the colours. Light on purpose: no metrics, no Ibis."""

from __future__ import annotations

from pathlib import Path

from innsatstrapp.errors import InputFileError, MissingFile, Problem
from innsatstrapp.outputs.charts import GREY as CHART_GREY
from innsatstrapp.outputs.charts import PALETTE, WITHHELD_LABEL

MARK = "*"
BLUE, ORANGE, SKY, GREY = (c.lstrip("#") for c in (*(PALETTE[i] for i in (0, 1, 5)),
                                                    CHART_GREY))


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
        raise MissingFile(template, "PowerPoint-malen",
                          "Oppgi riktig fil med --pptx-template.") from None
    except Exception:  # python-pptx raises several kinds for a file that is not a deck
        raise InputFileError(template.name, [Problem(None, None, None,
                                                     "er ikke en lesbar PowerPoint-fil")],
                             what="PowerPoint-malen") from None


def cover(d, slide, subtitle: str, sub_height: float) -> None:
    """A title slide's type and, on python-pptx's own 4:3-drawn layouts, its place; `d` is
    either deck (margin, full_w, inch, pt, own_layouts)."""
    for par in slide.shapes.title.text_frame.paragraphs:
        par.font.size = d.pt(40)
    if len(slide.placeholders) > 1:
        slide.placeholders[1].text = subtitle
        for par in slide.placeholders[1].text_frame.paragraphs:
            par.font.size = d.pt(20)
    if d.own_layouts:
        t = slide.shapes.title
        t.left, t.top, t.width, t.height = d.margin, d.inch(2.0), d.full_w, d.inch(1.5)
        if len(slide.placeholders) > 1:
            sub = slide.placeholders[1]
            sub.left, sub.top, sub.width, sub.height = (d.margin, d.inch(3.9), d.full_w,
                                                        d.inch(sub_height))


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
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    plot = chart.plots[0]
    every = plot._element.find(qn("c:dLbls"))
    values_shown = every is not None and every.find(qn("c:showVal")) is not None and \
        every.find(qn("c:showVal")).get("val") in ("1", "true")
    marked = 0
    for series, values in zip(plot.series, series_values, strict=True):
        withheld = [j for j, v in enumerate(values) if v is None]
        for j in withheld:
            label = series.points[j].data_label
            label.has_text_frame = True
            label.text_frame.text = WITHHELD_LABEL
            label.text_frame.paragraphs[0].font.size = Pt(11)
            label.position = XL_LABEL_POSITION.INSIDE_BASE
            marked += 1
        if withheld and values_shown:
            # The point labels made the series its own labels, which show no value: the
            # series' other points keep the chart's labels, number format and size.
            own = series.data_labels
            own.show_value = True
            own.number_format = plot.data_labels.number_format
            own.number_format_is_linked = False
            if plot.data_labels.font.size:
                own.font.size = plot.data_labels.font.size
    return marked


# --- numbers in charts ---------------------------------------------------------------------

# A chart's number format: [$-414] marks it as Norwegian (bokmål), so LibreOffice and
# PowerPoint show «35 000» and «2,5» whatever the viewer's own language; without it, «#,##0»
# is drawn with the viewer's separators («35,000» in an English LibreOffice).
INTEGER = "[$-414]#,##0"
ONE_DECIMAL = "[$-414]#,##0.0"
PERCENT = '[$-414]0" %"'  # a value already in percent: 40 → «40 %»


def number_formats(chart, fmt: str = INTEGER) -> None:
    """Every number a native chart draws in `fmt`: its value axis (both axes of an XY chart)
    and its data labels, when it has any."""
    from pptx.chart.axis import ValueAxis
    from pptx.oxml.ns import qn

    for axis in (chart.value_axis, chart.category_axis):  # an XY chart's x axis is a value axis
        if isinstance(axis, ValueAxis):
            axis.tick_labels.number_format = fmt
            axis.tick_labels.number_format_is_linked = False
    plot = chart.plots[0]
    if plot._element.find(qn("c:dLbls")) is not None:  # (a scatter plot has no such property)
        plot.data_labels.number_format = fmt
        plot.data_labels.number_format_is_linked = False


# --- text that fits ----------------------------------------------------------------------------

# Advance widths in em, by class of character, of DejaVu Sans and DejaVu Sans Bold: the widest
# fonts a deck is likely to be shown in (LibreOffice draws in them where Calibri is missing),
# each class rounded up to its widest member, so that what fits here fits in Calibri or Arial.
_CLASSES = ("fijlrtI J.,;:'!|()[]/\\-\u00a0 ", "abcdeghknopqsuvxyzøå0123456789*«»L#$?_\"–",
            "ABCDEFGHKNOPQRSTUVXYZØÅ+<>=−&@", "mwMWæÆ%")
_WIDTH = {ch: em for chars, em in zip(_CLASSES, (0.42, 0.64, 0.84, 0.99), strict=True)
          for ch in chars}
_BOLD = {ch: em for chars, em in zip(_CLASSES, (0.50, 0.72, 0.87, 1.11), strict=True)
         for ch in chars}
CELL_X = 91440  # a table cell's left and right margin (0.1 in, PowerPoint's default)
CELL_Y = 45720  # its top and bottom margin (0.05 in)


def text_width(text: str, size: int, bold: bool = False) -> int:
    """The width (EMU) of one line of `text` at a font size (EMU, e.g. Pt(16)), estimated
    generously; a character of no class counts as 1.1 em."""
    em = _BOLD if bold else _WIDTH
    return int(sum(em.get(ch, 1.1) for ch in text) * size)


def words(text: str) -> list[str]:
    """What a line may be broken between: words at spaces (a no-break space, as in
    «1 000», holds its word together)."""
    return [w for line in text.split("\n") for w in line.split(" ") if w]


def lines(text: str, width: int, size: int, bold: bool = False) -> int:
    """How many lines `text` takes in `width` (EMU) wrapped at spaces, at a font size."""
    space = text_width(" ", size, bold)
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0
        for word in paragraph.split(" "):
            w = text_width(word, size, bold)
            if used and used + space + w > width:
                count, used = count + 1, 0
            used += (space if used else 0) + w
            while used > width > 0:  # a word wider than the column (never planned)
                count, used = count + 1, used - width
    return count


class Fit:
    """How a table is drawn: its font size (pt) and column widths (EMU), and the height
    (EMU) it takes at most, each row wrapped as estimated."""

    def __init__(self, size: int, widths: list[int], heights: list[int]) -> None:
        self.size, self.widths, self.heights = size, widths, heights
        self.height = sum(heights)


def fit_table(head: list[str], rows: list[list[str]], width: int, height: int, *,
              largest: int, smallest: int, numeric: list[bool]) -> Fit:
    """How to draw a table in `width` and `height` (EMU), at a font size from `largest` down
    to `smallest`: the largest size at which every cell is on one line (headers wrapped at
    spaces), or up to two points smaller if that puts the headers on one line too; else the
    largest at which every header word (bold) and every number (never wrapped) fits its
    column. The columns share `width` by what they hold. At `smallest` the height is the
    caller's to mind (it shows fewer rows)."""
    from pptx.util import Pt

    pad = 2 * CELL_X
    sizes = {}
    for size in range(largest, smallest - 1, -1):
        pt = Pt(size)
        need, want, nice = [], [], []
        for c, title in enumerate(head):
            body = [row[c] for row in rows]
            least = [text_width(w, pt, True) for w in words(title)] + [
                text_width(v, pt) if numeric[c] else max(
                    (text_width(w, pt) for w in words(v)), default=0) for v in body]
            need.append(max(least, default=0) + pad)
            want.append(max([need[-1]] + [text_width(v, pt) + pad for v in body]))
            nice.append(max(want[-1], text_width(title, pt, True) + pad))
        widths = _share(need, want, nice, width)
        heights = [max(lines(v, w - pad, pt, r == 0) for v, w in zip(row, widths, strict=True))
                   * int(pt * 1.2) + 2 * CELL_Y for r, row in enumerate([head, *rows])]
        sizes[size] = (Fit(size, widths, heights), (sum(nice), sum(want), sum(need)))
    def fits(size: int, tier: int) -> bool:
        fit, sums = sizes[size]
        return sums[tier] <= width and fit.height <= height

    cells = next((size for size in sizes if fits(size, 1)), None)
    if cells is not None:  # two points smaller is worth a header on one line, no more
        return sizes[next((size for size in range(cells, max(cells - 2, smallest) - 1, -1)
                           if fits(size, 0)), cells)][0]
    return sizes[next((size for size in sizes if fits(size, 2)), smallest)][0]


def _share(need: list[int], want: list[int], nice: list[int], width: int) -> list[int]:
    """Column widths adding up to `width`: each column its need (its longest word), then
    towards what it wants (its text on one line), then towards its header on one line, then
    the room left in equal parts. Needs wider than `width` (a table too wide even at the
    smallest size) are scaled down."""
    if sum(need) > width:
        out = [n * width // sum(need) for n in need]
    else:
        out = list(need)
        for goal in (want, nice):
            extra = width - sum(out)
            gap = [max(g - o, 0) for o, g in zip(out, goal, strict=True)]
            if sum(gap) >= extra:
                out = [o + g * extra // sum(gap) for o, g in zip(out, gap, strict=True)]
                break
            out = [o + g for o, g in zip(out, gap, strict=True)]
        else:
            left = width - sum(out)
            out = [o + left // len(out) for o in out]
    out[-1] += width - sum(out)
    return out


def add_table(slide, head: list[str], rows: list[list[str]], x, y, fit: Fit,
              numeric: list[bool]):
    """A native table drawn as `fit` says: numbers right-aligned, the header at the foot of
    its row. Rows are given one line's height: PowerPoint and LibreOffice make a row taller
    when its text wraps."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Emu, Pt

    line = int(Pt(fit.size) * 1.2) + 2 * CELL_Y
    shape = slide.shapes.add_table(len(rows) + 1, len(head), x, y, Emu(sum(fit.widths)),
                                   Emu(line * (len(rows) + 1)))
    t = shape.table
    for c, w in enumerate(fit.widths):
        t.columns[c].width = Emu(w)
    for r in range(len(rows) + 1):
        t.rows[r].height = Emu(line)
    for r, row in enumerate([head, *rows]):
        for c, value in enumerate(row):
            cell = t.cell(r, c)
            cell.text = value
            cell.margin_left = cell.margin_right = Emu(CELL_X)
            cell.margin_top = cell.margin_bottom = Emu(CELL_Y)
            cell.text_frame.word_wrap = True
            if r == 0:
                cell.vertical_anchor = MSO_ANCHOR.BOTTOM
            for p in cell.text_frame.paragraphs:
                p.font.size = Pt(fit.size)
                if numeric[c]:
                    p.alignment = PP_ALIGN.RIGHT
    return t


def category_size(labels: list[str], slot: int, largest: int = 14, smallest: int = 9):
    """The largest font size (a Pt) at which the longest word of a chart's category labels
    fits its slot (EMU), so that no label is broken inside a word."""
    from pptx.util import Pt

    longest = [w for label in labels for w in words(label)]
    for size in range(largest, smallest - 1, -1):
        if max((text_width(w, Pt(size)) for w in longest), default=0) <= slot:
            return Pt(size)
    return Pt(smallest)
