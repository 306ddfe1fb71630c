"""Slides and workbooks a committee can read, read back as they are written.

report.pptx and plan.pptx: every number a native chart draws is Norwegian ([$-414] in the
axis and label formats, so LibreOffice shows «7 778», not «7,778»); a step's slide holds one
table and, when services are left out, a line on the slide itself (not only in the notes)
that says how many and where they all are; no table's header breaks a word, judged by the
advance widths of DejaVu Sans (the font LibreOffice draws in where Calibri is missing).
report.xlsx and plan.xlsx: sheet names within Excel's 31 characters, each a whole title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook
from pptx import Presentation
from pptx.enum.text import PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from innsatstrapp.metrics import build_report
from innsatstrapp.model.base import replace
from innsatstrapp.outputs import render
from innsatstrapp.outputs.plan import render as render_plan
from innsatstrapp.outputs.xlsx import SERVICES_SHEET

NORWEGIAN = "[$-414]"

# Advance widths (1/1000 em) of DejaVu Sans and DejaVu Sans Bold, as measured from the fonts;
# a character not listed counts as 0.5 em.
_BOOK = dict(zip(
    "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 .,;:-–−+%*()/",
    [613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411,
     521, 392, 634, 592, 818, 592, 592, 525, 982, 612, 613, 684, 686, 698, 770, 632, 575, 775,
     752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611,
     685, 974, 787, 684] + [636] * 10 + [318, 318, 318, 337, 337, 361, 500, 838, 838, 950,
                                         500, 390, 390, 337], strict=True))
_BOLD = dict(zip(
    "abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ0123456789 .,;:-–−+%*()/",
    [675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493,
     595, 478, 712, 652, 924, 645, 652, 582, 1048, 687, 675, 774, 762, 734, 830, 683, 683, 821,
     837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724,
     725, 1085, 850, 774] + [696] * 10 + [348, 380, 380, 400, 400, 415, 500, 838, 838, 1002,
                                          523, 457, 457, 365], strict=True))


def width(text: str, size: int, bold: bool) -> float:
    """The width (EMU) of `text` at a font size (EMU) in DejaVu Sans (Bold)."""
    em = _BOLD if bold else _BOOK
    return sum(em.get(ch, 500) for ch in text.replace("\u00a0", " ")) / 1000 * size


# --- the decks and workbooks -------------------------------------------------------------------

@pytest.fixture(scope="module")
def report(small_store):
    db, catalog = small_store
    return build_report(catalog, "2024-01", db=db)  # withheld counts, some in the charts


@pytest.fixture(scope="module")
def crowded(report):
    """The small report with 14 more services on Grunnmur (one with a long name) and 12 more
    in home nursing (Trinn 3), more than a slide shows: the renderers use only the model."""
    base = next(v for v in report.services if v.step == "Grunnmur")
    home = next(v for v in report.services if v.role == "hjemmesykepleie")
    extra = [replace(base, **{
        "service": f"Trygghetsalarm med røykvarsler og fallsensor {i}" if i == 3 else
        f"Velferdsteknologi {i}", "group": f"Gruppe {i % 3}", "count": 40 + i, "users": 40 + i,
        "previous": 40, "change": i, "new": 5, "ended": 5, "net": 0, "suppressed": []})
        for i in range(14)]
    extra += [replace(home, **{
        "service": f"Hjemmesykepleie sone {i}", "count": 20 + i, "users": 20 + i,
        "approved_hours": 100.0 + i, "resource_hours": 90.0 + i, "suppressed": []})
        for i in range(12)]
    return replace(report, services=[*report.services, *extra])


@pytest.fixture(scope="module")
def decks(report, crowded, tmp_path_factory):
    """report.pptx: the small report, the crowded one, and the crowded one in a municipality's
    own smaller template (10 × 5.625 in); with the crowded report's workbook."""
    template = tmp_path_factory.mktemp("mal") / "mal.pptx"
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    prs.save(str(template))
    out = {}
    for name, r, options in (("small", report, {}), ("crowded", crowded, {}),
                             ("template", crowded, {"pptx_template": template})):
        folder = tmp_path_factory.mktemp(name)
        written = render(r, folder, ["pptx", "xlsx"], **options)
        out[name] = Presentation(str(written[0]))
        out[name + ".xlsx"] = written[1]
    return out


@pytest.fixture(scope="module")
def plan():
    from test_plan_pptx import make_plan

    return make_plan()


@pytest.fixture(scope="module")
def plan_deck(plan, tmp_path_factory):
    return Presentation(str(render_plan(plan, tmp_path_factory.mktemp("plan"), ["pptx"])[0]))


def charts(deck) -> list:
    return [shape.chart for s in deck.slides for shape in s.shapes if shape.has_chart]


def tables(deck) -> list:
    return [shape.table for s in deck.slides for shape in s.shapes if shape.has_table]


def visible_text(slide) -> str:
    """The text of the slide's own text frames: not its notes, not its tables."""
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


# --- numbers in charts ---------------------------------------------------------------------------

def _check_chart_formats(chart) -> None:
    space = chart._chartSpace
    for axis in space.findall(".//" + qn("c:valAx")):
        fmt = axis.find(qn("c:numFmt"))
        assert fmt is not None and NORWEGIAN in fmt.get("formatCode"), etree.tostring(axis)
        assert fmt.get("sourceLinked") == "0"
    for labels in space.iter(qn("c:dLbls")):
        show = labels.find(qn("c:showVal"))
        if show is None or show.get("val") not in ("1", "true"):
            continue
        fmt = labels.find(qn("c:numFmt"))
        assert fmt is not None and NORWEGIAN in fmt.get("formatCode"), etree.tostring(labels)
        assert fmt.get("sourceLinked") == "0"
    # the numbers as stored in the chart, which a viewer uses where a format is linked
    for code in space.iterfind(".//" + qn("c:val") + "//" + qn("c:formatCode")):
        assert NORWEGIAN in code.text
    for code in space.iterfind(".//" + qn("c:yVal") + "//" + qn("c:formatCode")):
        assert NORWEGIAN in code.text


def test_every_chart_number_is_norwegian(decks, plan_deck) -> None:
    every = [c for name in ("small", "crowded", "template") for c in charts(decks[name])]
    every += charts(plan_deck)
    assert len(every) >= 10
    for chart in every:
        _check_chart_formats(chart)
    # the staircase and the plan's bars label their values, in the Norwegian format
    staircase = charts(decks["small"])[0]
    assert staircase.plots[0].has_data_labels
    assert staircase.plots[0].data_labels.number_format == "[$-414]#,##0"
    assert staircase.value_axis.tick_labels.number_format == "[$-414]#,##0"


def test_a_withheld_bar_leaves_the_others_labelled(decks, plan_deck) -> None:
    """«* skjult» on a withheld point gives its series labels of its own: they must still
    show the other points' values, in the Norwegian format."""
    staircase = charts(decks["small"])[0]
    series = staircase.plots[0].series[0]
    assert series.points[0].data_label.text_frame.text == "* skjult"
    own = series._element.find(qn("c:dLbls"))
    assert own is not None
    assert own.find(qn("c:showVal")).get("val") == "1"
    assert NORWEGIAN in own.find(qn("c:numFmt")).get("formatCode")
    base = next(c for s in plan_deck.slides if s.shapes.title.text == "Uendret praksis"
                for c in (sh.chart for sh in s.shapes if sh.has_chart))
    own = base.plots[0].series[0]._element.find(qn("c:dLbls"))  # today's Trinn 1 withheld
    assert own.find(qn("c:showVal")).get("val") == "1"


# --- a step's slide ----------------------------------------------------------------------------

def _step_slides(deck, report):
    for st in report.steps:
        slide = next(s for s in deck.slides if s.shapes.title.text.startswith(f"{st.step}: "))
        yield st, slide


@pytest.mark.parametrize("name", ["small", "crowded", "template"])
def test_a_step_slide_has_one_table_and_says_what_is_left_out(decks, report, crowded,
                                                              name) -> None:
    deck = decks[name]
    r = report if name == "small" else crowded
    sheets = load_workbook(decks[name + ".xlsx"], read_only=True).sheetnames
    left_out = 0
    for st, slide in _step_slides(deck, r):
        shapes = [sh for sh in slide.shapes if sh.has_table or sh.has_chart]
        assert len(shapes) <= 1, st.step
        services = [v for v in r.services if v.step == st.step]
        if not services:
            continue
        (table,) = [sh.table for sh in shapes]
        shown = [table.cell(i, 0).text for i in range(1, len(table.rows))]
        largest = sorted(services, key=lambda v: -(v.count or 0))[:len(shown)]
        assert shown == [v.service for v in largest]
        said = visible_text(slide)
        line = f"Viser de {len(shown)} største av {len(services)} tjenester."
        if len(shown) < len(services):
            left_out += 1
            assert line in said, said
            assert f"Alle står i report.xlsx, arket «{SERVICES_SHEET}»." in said
            assert SERVICES_SHEET in sheets
            box = next(sh for sh in slide.shapes
                       if sh.has_text_frame and line in sh.text_frame.text)
            assert box.top + box.height <= deck.slide_height
            assert box.top >= shapes[0].top + shapes[0].height  # under the table
            assert box.text_frame.paragraphs[0].font.size >= Pt(10)
        else:
            assert "Viser de" not in said
    assert left_out == (0 if name == "small" else 2)  # Grunnmur and Trinn 3


def test_the_home_nursing_chart_says_what_is_left_out(decks, crowded) -> None:
    home = [v for v in crowded.services if v.role == "hjemmesykepleie"]
    slide = next(s for s in decks["crowded"].slides
                 if s.shapes.title.text.startswith("Hjemmesykepleie: vedtatte"))
    (chart,) = [sh.chart for sh in slide.shapes if sh.has_chart]
    bars = list(chart.plots[0].categories)
    assert 0 < len(bars) < len(home)
    said = visible_text(slide)
    assert f"Viser de {len(bars)} med flest vedtatte timer av {len(home)} tjenester." in said
    assert "arket «Hjemmesykepleie»" in said


def test_table_fonts_are_readable(decks) -> None:
    for name in ("small", "crowded"):
        for table in tables(decks[name]):
            for row in table.rows:
                for cell in row.cells:
                    for p in cell.text_frame.paragraphs:
                        assert p.font.size is not None and p.font.size >= Pt(14), cell.text


# --- no header breaks a word ---------------------------------------------------------------------

def _check_no_word_breaks(table) -> None:
    for c, column in enumerate(table.columns):
        for r in range(len(table.rows)):
            cell = table.cell(r, c)
            text = cell.text_frame.text
            if r == 0:  # no line break, soft hyphen or zero-width space put in by hand
                assert not re.search("[\n\x0b\u00ad\u200b]", text), text
            room = column.width - cell.margin_left - cell.margin_right
            size = cell.text_frame.paragraphs[0].font.size
            right = cell.text_frame.paragraphs[0].alignment == PP_ALIGN.RIGHT
            # a header or a name may wrap between its words, never inside one; a number is
            # never wrapped (its thousands separator is a no-break space)
            pieces = [text] if r and right else text.split(" ")
            for piece in pieces:
                assert width(piece, size, bold=r == 0) <= room, (piece, c, table.cell(0, c).text)


def test_no_table_header_breaks_a_word(decks, plan_deck) -> None:
    every = [t for name in ("small", "crowded", "template") for t in tables(decks[name])]
    every += tables(plan_deck)
    assert len(every) >= 10
    for table in every:
        _check_no_word_breaks(table)


def test_the_check_finds_a_broken_header(tmp_path: Path) -> None:
    """The check above fails on a table drawn as report.pptx drew it before: a header
    «Beboere» at 14 pt in a column of one inch breaks as «Beboer|e»."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    table = slide.shapes.add_table(2, 2, 0, 0, Inches(4), Inches(1)).table
    table.columns[0].width, table.columns[1].width = Inches(3), Inches(1)
    for c, (head, value) in enumerate((("Tjeneste", "Langtidsopphold"), ("Beboere", "288"))):
        for r, text in enumerate((head, value)):
            table.cell(r, c).text = text
            table.cell(r, c).text_frame.paragraphs[0].font.size = Pt(14)
            if c:
                table.cell(r, c).text_frame.paragraphs[0].alignment = PP_ALIGN.RIGHT
    with pytest.raises(AssertionError, match="Beboere"):
        _check_no_word_breaks(table)


# --- sheet names --------------------------------------------------------------------------------

def test_report_sheet_names_are_whole_titles(decks) -> None:
    from innsatstrapp.outputs import xlsx

    intended = {getattr(xlsx, n) for n in dir(xlsx) if n.endswith("_SHEET")}
    names = load_workbook(decks["crowded.xlsx"], read_only=True).sheetnames
    assert set(names) == intended
    assert all(len(n) <= 31 for n in names)


def test_plan_sheet_names_are_cut_after_a_whole_word(plan, tmp_path: Path) -> None:
    long = ["Dreiing mot hjemmet og tidlig innsats i hele kommunen",
            "Dreiing mot hjemmet og tidlig innsats i Nordbygda"]
    renamed = replace(plan, scenarios=[plan.scenarios[0]] + [
        replace(plan.scenarios[1], scenario=name) for name in long])
    path = render_plan(renamed, tmp_path, ["xlsx"])[0]
    book = load_workbook(path, read_only=True)
    names = book.sheetnames
    assert all(len(n) <= 31 for n in names)
    scenario_sheets = names[names.index("Befolkning") + 2:names.index("Sammenligning")]
    assert len(scenario_sheets) == 2
    for sheet, full in zip(scenario_sheets, long, strict=True):
        stem = re.sub(r" \(\d+\)$", "", sheet)
        assert full.startswith(stem) and full[len(stem)] == " ", (sheet, full)
        assert full in str(book[sheet]["A1"].value)  # the title holds the whole name
