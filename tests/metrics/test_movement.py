"""Movement on the staircase (contract §6) on a fixture computed by hand: one person moves
down, one up, one enters, one leaves, one has services only on a step beside the staircase
(Trapp = nei), one has rows that disagree on birth year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from test_properties import CATALOG, D_Q, store

from innsatstrapp.metrics import build_report
from innsatstrapp.model.base import dump, replace

OPEN = dt.date(2023, 1, 1)


def row(person: int, service: str, year: int, gender: str, end: dt.date | None = None) -> dict:
    return {"person": person, "service": service, "start_date": OPEN, "end_date": end,
            "hours_per_week": None, "resource_hours_per_week": None, "birth_year": year,
            "gender": gender}


DECEMBER = [  # D = 31.12.2023
    row(1, "Sykehjem", 1930, "K"),                # level Trinn 6
    row(2, "Alarm", 1950, "M"),                   # Grunnmur
    row(4, "Alarm", 1940, "M", D_Q),              # Grunnmur, ends on D
    row(5, "TT-kort", 2010, "K"),                 # beside the staircase: no level
    row(6, "Alarm", 1940, "K"),                   # Grunnmur
]
JANUARY = [  # D = 31.01.2024
    row(1, "HS 1", 1930, "K"), row(1, "Alarm", 1930, "K"),   # down: Trinn 6 -> Trinn 3
    row(2, "Alarm", 1950, "M"), row(2, "Praktisk", 1950, "M"),  # up: Grunnmur -> Trinn 3
    row(3, "HS 2", 1945, "K"),                    # enters on Trinn 3
    row(5, "TT-kort", 2010, "K"),                 # still no level
    row(6, "Alarm", 1940, "K"), row(6, "Alarm mobil", 1950, "K"),  # stays; birth years differ
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    db = store(Path(tmp_path_factory.mktemp("mv")), JANUARY, DECEMBER)
    return build_report(CATALOG, "2024-01", history=["2023-12"], suppress=0, db=db)


def test_levels(report) -> None:
    got = {x.step: (x.persons, x.previous, x.change) for x in report.levels}
    assert got == {"Grunnmur": (1, 3, -2), "Trinn 3": (3, 0, 3), "Trinn 6": (0, 1, -1)}
    assert "På tvers" not in got  # Trapp = nei: gives no level


def test_transitions(report) -> None:
    t = report.transitions
    assert [(c.from_, c.to, c.persons) for c in t.matrix] == [
        ("ingen", "Trinn 3", 1),       # 3 entered
        ("Grunnmur", "ingen", 1),      # 4 left
        ("Grunnmur", "Grunnmur", 1),   # 6 stayed
        ("Grunnmur", "Trinn 3", 1),    # 2 moved up
        ("Trinn 6", "Trinn 3", 1),     # 1 moved down
    ]
    assert (t.moved_down, t.moved_up, t.stayed, t.entered, t.left) == (1, 1, 1, 1, 1)
    data = dump(report)["transitions"]["matrix"][0]
    assert set(data) == {"from", "to", "persons", "suppressed"}  # the contract's names


def test_by_age(report) -> None:
    # age = 2024 − birth year − 1: 1930 → 93, 1950 → 73, 1945 → 78, 2010 → 13
    got = {(a.age_band, a.gender): (a.users, a.persons_by_level) for a in report.by_age}
    assert got == {
        ("0-17", "K"): (1, {}),                    # 5: a user with no level
        ("67-74", "M"): (1, {"Trinn 3": 1}),
        ("75-79", "K"): (1, {"Trinn 3": 1}),
        ("90+", "K"): (1, {"Trinn 3": 1}),
        ("ukjent", "K"): (1, {"Grunnmur": 1}),     # 6: birth years disagree
    }
    warning = next(w for w in report.data_quality.warnings
                   if w.code == "conflicting_person_data")
    assert warning.count == 1


def test_history_levels_and_flows(report) -> None:
    h = report.history
    assert {x.name: x.counts for x in h.levels} == {
        "Grunnmur": {"2023-12": 3, "2024-01": 1}, "Trinn 3": {"2023-12": 0, "2024-01": 3},
        "Trinn 6": {"2023-12": 1, "2024-01": 0}}
    whole = [f for f in h.flows if f.age_band is None]
    assert [(f.period, f.before, f.moved_down, f.moved_up, f.stayed, f.entered, f.left)
            for f in whole] == [("2024-01", "2023-12", 1, 1, 1, 1, 1)]
    # bands where each person is on the staircase: now, else (4, who left) then: 1940 → 83
    bands = {f.age_band: (f.moved_down, f.moved_up, f.stayed, f.entered, f.left)
             for f in h.flows if f.age_band is not None}
    assert bands == {"90+": (1, 0, 0, 0, 0), "67-74": (0, 1, 0, 0, 0),
                     "75-79": (0, 0, 0, 1, 0), "80-84": (0, 0, 0, 0, 1),
                     "ukjent": (0, 0, 1, 0, 0)}


def test_no_compared_period_gives_no_transitions(tmp_path) -> None:
    db = store(tmp_path, JANUARY, DECEMBER)
    r = build_report(CATALOG, "2023-12", suppress=0, db=db)
    assert r.transitions is None
    assert {x.step: (x.persons, x.previous) for x in r.levels}["Grunnmur"] == (3, None)


def test_small_counts_are_withheld(tmp_path) -> None:
    db = store(tmp_path, JANUARY, DECEMBER)
    r = build_report(CATALOG, "2024-01", suppress=5, db=db)
    assert all(c.persons is None and c.suppressed == ["persons"] for c in r.transitions.matrix)
    assert r.transitions.moved_down is None and "moved_down" in r.transitions.suppressed
    assert all(a.users is None for a in r.by_age)


def test_html_section(report, tmp_path) -> None:
    from innsatstrapp.outputs import render

    (html,) = render(report, tmp_path, ["html"])
    text = html.read_text(encoding="utf-8")
    assert '<h2 id="bevegelse">Bevegelse i trappen</h2>' in text
    assert ("Fra desember 2023 til januar 2024 flyttet 1 person ned minst ett trinn og 1 opp; "
            "1 ble på samme trinn.") in text
    assert "1 person kom inn i trappen og 1 gikk ut av den." in text
    assert "Flest personer har Trinn 3 som høyeste trinn (3)." in text
    assert '<table class="heat">' in text and "Ingen trinn" in text
    assert 'id="chart-sankey"' in text


def test_workbook_sheets(report, tmp_path) -> None:
    import openpyxl

    from innsatstrapp.outputs import render

    (path,) = render(report, tmp_path, ["xlsx"])
    book = openpyxl.load_workbook(path)
    ws = book["Bevegelse"]
    assert [c.value for c in ws[4]][:4] == ["Grunnmur", 1, 3, -2]  # real numbers
    assert len(ws._charts) == 1
    rows = {r[0]: r[1:] for r in ws.iter_rows(min_row=10, values_only=True) if r[0]}
    assert rows["Trinn 6"][:3] == (0, 1, 0)  # Trinn 6 -> Grunnmur 0, -> Trinn 3 1, -> Trinn 6 0
    assert rows["Flyttet ned"][0] == 1 and rows["Gikk ut"][0] == 1
    ages = {(r[0], r[1]): r[2] for r in book["Alder"].iter_rows(min_row=4, values_only=True)
            if r[1] in ("K", "M")}
    assert ages[("90+", "K")] == 1 and ages[("ukjent", "K")] == 1


def test_slides(report, tmp_path) -> None:
    from pptx import Presentation

    from innsatstrapp.outputs import render

    (path,) = render(report, tmp_path, ["pptx"])
    slides = list(Presentation(str(path)).slides)
    levels = next(s for s in slides if s.shapes.title.text.startswith("Bevegelse i trappen"))
    chart = next(sh.chart for sh in levels.shapes if sh.has_chart)
    assert [list(p.values) for p in chart.plots[0].series] == [[3, 0, 1], [1, 3, 0]]
    assert "flyttet 1 person ned" in " ".join(sh.text_frame.text for sh in levels.shapes
                                              if sh.has_text_frame)
    grid = next(s for s in slides if s.shapes.title.text == "Flytting mellom nivåer")
    table = next(sh.table for sh in grid.shapes if sh.has_table)
    assert table.cell(0, 0).text == "Fra desember 2023 \\ til januar 2024"
    assert [table.cell(3, c).text for c in range(1, 5)] == ["0", "1", "0", "0"]  # Trinn 6 row
    assert levels.notes_slide.notes_text_frame.text.startswith("Nivå = det høyeste trinnet")


def test_a_matrix_withheld_whole_is_said_in_words(report, tmp_path) -> None:
    from pptx import Presentation

    from innsatstrapp.outputs import render

    moves = ("moved_down", "moved_up", "stayed", "entered", "left")
    hidden = replace(report.transitions, **{
        "matrix": [], **dict.fromkeys(moves), "suppressed": [*moves, "matrix"]})
    r = replace(report, transitions=hidden)
    html, _, pptx = render(r, tmp_path, ["html", "xlsx", "pptx"])
    text = html.read_text(encoding="utf-8")
    assert "Flyttingen mellom trinnene er skjult her" in text
    assert "flyttet * personer ned minst ett trinn og * opp; * ble på samme trinn." in text
    assert '<table class="heat">' not in text and 'id="chart-sankey"' not in text
    titles = [s.shapes.title.text for s in Presentation(str(pptx)).slides]
    assert "Flytting mellom nivåer" not in titles
