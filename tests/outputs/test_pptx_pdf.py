"""report.pptx read back with python-pptx (chart data equals the report, notes, 16:9) and
report.pdf read back with pypdf (A4, the headline figures are in its text)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches
from pypdf import PdfReader

from innsatstrapp.errors import InputFileError
from innsatstrapp.metrics import build_report
from innsatstrapp.outputs import render


@pytest.fixture(scope="module")
def report(small_store):
    db, catalog = small_store
    return build_report(catalog, "2024-01", suppress=0, db=db)


@pytest.fixture(scope="module")
def deck(report, tmp_path_factory):
    path = render(report, tmp_path_factory.mktemp("p"), ["pptx"])[0]
    return Presentation(str(path))


def charts(deck) -> list:
    return [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]


def test_deck_is_16_9_norwegian_with_notes(deck) -> None:
    assert (deck.slide_width, deck.slide_height) == (Inches(13.333), Inches(7.5))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == "Innsatstrappen – januar 2024"
    assert "Nøkkeltall – endring fra desember 2023" in titles
    assert {"Grunnmur: 2 tjenester, 2 brukere", "Trinn 5: 0 tjenester, 0 brukere"} <= set(titles)
    for slide in deck.slides:
        assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text.strip()


def test_staircase_chart_holds_the_report_values(deck, report) -> None:
    staircase = charts(deck)[0]
    plot = staircase.plots[0]
    assert list(plot.series[0].values) == [s.services for s in report.steps]
    assert list(plot.categories) == [f"{s.step}\n({'+' if s.change > 0 else ''}"
                                     f"{s.change if s.change >= 0 else '−' + str(-s.change)})"
                                     for s in report.steps]


def test_home_nursing_and_lorenz_charts(deck, report) -> None:
    home = [s for s in report.services if s.role == "hjemmesykepleie"]
    bars = charts(deck)[1]
    assert [list(s.values) for s in bars.plots[0].series] == [
        [s.approved_hours for s in home], [s.resource_hours for s in home]]
    lorenz = charts(deck)[2]
    (hs,) = [c for c in report.concentration if c.scope == "HS"]
    assert list(lorenz.plots[0].series[1].values) == pytest.approx(hs.lorenz)


def test_withheld_values_are_marked(small_store, tmp_path: Path) -> None:
    db, catalog = small_store
    deck = Presentation(str(render(build_report(catalog, "2024-01", db=db), tmp_path,
                                   ["pptx"])[0]))
    texts = [s.shapes.title.text for s in deck.slides]
    assert "Grunnmur: * tjenester, * brukere" in texts
    staircase = charts(deck)[0]
    # Grunnmur is drawn at 0 with the label «* skjult», the other steps with their value
    assert next(iter(staircase.plots[0].series[0].values)) == 0
    points = staircase.plots[0].series[0].points
    assert points[0].data_label.has_text_frame
    assert points[0].data_label.text_frame.text == "* skjult"
    assert not points[1].data_label.has_text_frame
    footnotes = [sh.text_frame.text for s in deck.slides for sh in s.shapes
                 if sh.has_text_frame and sh.text_frame.text.startswith("* Skjult")]
    assert footnotes


def test_template_is_used_and_a_bad_one_refused(report, tmp_path: Path) -> None:
    template = tmp_path / "mal.pptx"
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(10), Inches(5.625)
    prs.save(str(template))
    deck = Presentation(str(render(report, tmp_path, ["pptx"], pptx_template=template)[0]))
    assert deck.slide_width == Inches(10)
    bad = tmp_path / "bad.pptx"
    bad.write_text("ikke en presentasjon")
    with pytest.raises(InputFileError, match=r"PowerPoint-malen «bad\.pptx»"):
        render(report, tmp_path, ["pptx"], pptx_template=bad)


def test_pdf_is_a4_and_holds_the_headline(report, tmp_path: Path) -> None:
    path = render(report, tmp_path, ["pdf"])[0]
    pdf = PdfReader(str(path))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (596, 843)
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Innsatstrappen – januar 2024" in text
    for figure in ("1,38", "21,00", "16,00", "496,67"):
        assert figure in text, figure
