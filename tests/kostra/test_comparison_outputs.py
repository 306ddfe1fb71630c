"""The comparison as the outputs say it: the sentence by hand, the chart's highlight, the
HTML section."""

from __future__ import annotations

import pytest

from innsatstrapp.model.base import replace
from innsatstrapp.model.report import Kostra, KostraIndicator, KostraRegion
from innsatstrapp.outputs import comparison as c

COST = "Korrigerte brutto driftsutgifter per mottaker av hjemmetjenester (i kr)"


def _indicator(values: dict[str, dict[str, float | None]], name: str = COST
               ) -> KostraIndicator:
    names = {"0712": "Larvik (2018-2019)", "0706": "Sandefjord", "0709": "Tønsberg",
             "0710": "Porsgrunn", "0805": "Skien", "EKG13": "Kostragruppe 13",
             "EAK": "Landet"}
    years = sorted({y for v in values.values() for y in v})
    return KostraIndicator(indicator=name, years=years, regions=[
        KostraRegion(code=k, name=names[k], values=v) for k, v in values.items()])


SEED = _indicator({  # the four neighbours and the group of seed 001, 2019 made up
    "0712": {"2018": 237543, "2019": 241002}, "0706": {"2018": 251000, "2019": 255000},
    "0709": {"2018": 244000, "2019": 260000}, "0710": {"2018": 270000, "2019": 268000},
    "0805": {"2018": 249000, "2019": 250000}, "EKG13": {"2018": 262000, "2019": 265000},
    "EAK": {"2018": 255123, "2019": 259870}})


def test_the_sentence_by_hand() -> None:
    # 241 002 is the lowest of the five; against the group (241002 − 265000) / 265000 =
    # −9,06 %, against the country (241002 − 259870) / 259870 = −7,26 %
    assert c.sentence(SEED, "0712") == (
        "Larvik har lavest korrigerte brutto driftsutgifter per mottaker av hjemmetjenester "
        "(i kr) av de 5 kommunene i 2019: 241\u00a0002. Det er 9,1\u00a0% lavere enn "
        "Kostragruppe 13 og 7,3\u00a0% lavere enn Landet.")
    assert c.sentence(SEED, "0710").startswith("Porsgrunn har høyest korrigerte")
    assert c.sentence(SEED, "0709").startswith("Tønsberg har nest høyest")
    assert c.sentence(SEED, "0805").startswith("Skien har nest lavest")
    assert c.sentence(SEED, "0706").startswith("Sandefjord har tredje lavest")


def test_the_newest_year_the_municipality_has_and_no_peers() -> None:
    alone = _indicator({"0712": {"2018": 30.1, "2019": None}, "EAK": {"2018": 30.1,
                                                                     "2019": 32.0}},
                       "Andel brukere av hjemmetjenester, 80 år og over (prosent)")
    assert c.sentence(alone, "0712") == (
        "Larvik har andel brukere av hjemmetjenester, 80 år og over (prosent) på 30,1 i 2018. "
        "Det er det samme som Landet.")
    assert c.digits(alone) == 1 and c.digits(SEED) == 0
    kpr = _indicator({"0712": {"2019": 6.4}}, "KPR: andel brukere av befolkningen")
    assert "Larvik har KPR: andel" in c.sentence(kpr, "0712")  # an acronym stays


def test_negative_figures_ties_and_many_ranks() -> None:
    net = _indicator({"0712": {"2019": -5}, "0706": {"2019": -5}, "0709": {"2019": 3},
                      "EKG13": {"2019": -10}, "EAK": {"2019": -2}}, "Netto driftsresultat")
    # −5 against −10 is higher (by 50 % of 10), against −2 lower (by 150 % of 2)
    assert c.sentence(net, "0712") == (
        "Larvik har delt lavest netto driftsresultat av de 3 kommunene i 2019: -5. Det er "
        "50,0\u00a0% høyere enn Kostragruppe 13 og 150,0\u00a0% lavere enn Landet.")
    assert c.chart(net, "0712")["layout"]["yaxis"]["rangemode"] == "normal"
    many = _indicator({"0712": {"2019": 5}, **{k: {"2019": v} for k, v in (
        ("0706", 1), ("0709", 2), ("0710", 3), ("0805", 4))}, "EKG13": {"2019": 0}})
    assert c.sentence(many, "0712").startswith("Larvik har høyest")
    assert c.sentence(many, "0709").startswith("Tønsberg har nest lavest")
    assert "enn Kostragruppe 13" not in c.sentence(many, "0712")  # no % of a 0


def test_the_chart_highlights_the_municipality() -> None:
    figure = c.chart(SEED, "0712")
    bars = {t["name"]: t for t in figure["data"]}
    assert bars["Larvik"]["marker"]["color"] == c.PALETTE[0]
    assert bars["Larvik"]["text"] == ["237\u00a0543", "241\u00a0002"]
    assert bars["Kostragruppe 13"]["marker"]["color"] == c.PALETTE[1]
    assert bars["Landet"]["marker"]["color"] == c.GREY
    assert "text" not in bars["Skien"] and figure["layout"]["barmode"] == "group"
    assert figure["data"][0]["name"] == "Larvik"


@pytest.mark.parametrize("kostra", [None, Kostra(municipality="0712", indicators=[]),
                                    Kostra(municipality="0712", indicators=[SEED])])
def test_the_html_section(small_store, kostra, tmp_path) -> None:
    from innsatstrapp.metrics import build_report
    from innsatstrapp.outputs.html import render

    db, catalog = small_store
    report = replace(build_report(catalog, "2024-01", db=db), kostra=kostra)
    page = render(report, tmp_path).read_text(encoding="utf-8")
    if kostra is None:
        assert 'id="sammenligning"' not in page and 'href="#sammenligning"' not in page
        return
    assert 'id="sammenligning"' in page and 'href="#sammenligning"' in page
    if not kostra.indicators:
        assert "Lageret har ingen KOSTRA- eller KPR-tall for kommune 0712" in page
        return
    assert c.sentence(SEED, "0712") in page
    assert ('<tr class="own"><th scope="row">Larvik <span class="note">(kommunen)</span></th>'
            '<td class="n">237\u00a0543</td><td class="n">241\u00a0002</td></tr>') in page
    assert "Kilde: SSBs statistikkbank" in page


@pytest.fixture
def compared(small_store, tmp_path):
    """The small report with the comparison of SEED, written as workbook and deck."""
    from innsatstrapp.metrics import build_report
    from innsatstrapp.outputs import render

    db, catalog = small_store
    report = replace(build_report(catalog, "2024-01", db=db), kostra=Kostra(
        municipality="0712", indicators=[SEED, _indicator(
            {"0712": {"2019": 29.8}, "EAK": {"2019": None}}, "Andel (prosent)")]))
    return render(report, tmp_path, ["xlsx", "pptx"])


def test_the_workbook_sheet_reads_back(compared) -> None:
    import openpyxl

    book = openpyxl.load_workbook(compared[0])
    sheet = book["Sammenligning"]
    cells = {(c.row, c.column): c for row in sheet.iter_rows() for c in row}
    title = next(k for k, v in cells.items() if v.value == COST)
    head = (title[0] + 2, 1)
    assert [cells[(head[0], j)].value for j in (1, 2, 3)] == ["Region", "2018", "2019"]
    larvik = [cells[(head[0] + 1, j)] for j in (1, 2, 3)]
    assert [x.value for x in larvik] == ["Larvik", 237543, 241002]
    assert all(x.font.bold for x in larvik) and larvik[1].number_format == "#,##0"
    assert cells[(title[0] + 1, 1)].value == c.sentence(SEED, "0712")
    second = next(k for k, v in cells.items() if v.value == "Andel (prosent)")
    assert cells[(second[0] + 3, 2)].number_format == "#,##0.0"
    assert cells[(second[0] + 4, 2)].value == "–"  # SSB has no figure
    assert len(sheet._charts) == 2


def test_a_slide_per_indicator_with_a_native_chart_and_the_table_in_the_notes(compared
                                                                             ) -> None:
    from pptx import Presentation

    deck = Presentation(str(compared[1]))
    shown = [s for s in deck.slides if s.shapes.title is not None
             and s.shapes.title.text == "Sammenligning med andre kommuner"]
    assert len(shown) == 2
    first = shown[0]
    texts = " ".join(sh.text_frame.text for sh in first.shapes if sh.has_text_frame)
    assert COST in texts and c.sentence(SEED, "0712") in texts
    chart = next(sh.chart for sh in first.shapes if sh.has_chart)
    series = list(chart.plots[0].series)
    assert [s.name for s in series][:2] == ["Larvik", "Sandefjord"]
    assert str(series[0].format.fill.fore_color.rgb) == c.PALETTE[0][1:]
    assert list(series[0].values) == [237543, 241002]
    notes = first.notes_slide.notes_text_frame.text
    assert "Region; 2018; 2019" in notes and "Larvik; 237\u00a0543; 241\u00a0002" in notes
