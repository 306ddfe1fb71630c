"""The plan's own figures beside KOSTRA's: the comparison file and its
rejections, the figures on a store computed by hand (a person on two steps is one user), the
suppression of figures across steps (by hand and as a property against the span of what is
published), the outputs read back, and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import sys
from itertools import product
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from helpers import store_periods
from innsatstrapp.catalog import Catalog, CatalogService, Step
from innsatstrapp.disclosure.plan import decide_union_figures as decide_with_levels
from innsatstrapp.errors import InputFileError
from innsatstrapp.kostra import import_file
from innsatstrapp.model.plan import plan_schema
from innsatstrapp.plan.build import build_plan
from innsatstrapp.plan.comparison import age_bands, read_comparison

sys.path.insert(0, str(Path(__file__).parents[1] / "kostra"))
from exports import long_csv

D = dt.date(2024, 1, 31)  # base year 2024; age = 2024 - birth year - 1
OPEN = dt.date(2023, 1, 1)
CATALOG = Catalog(
    (Step("Trinn 1", 1), Step("Trinn 2", 2, "Hjemmebaserte tjenester"),
     Step("Trinn 3", 3, "Hjemmebaserte tjenester"), Step("Trinn 6", 6)),
    (CatalogService("Trygghetsalarm", "Trygghetsalarm", "Trinn 1"),
     CatalogService("Praktisk", "Praktisk", "Trinn 2"),
     CatalogService("HS", "HS", "Trinn 3", "hjemmesykepleie"),
     CatalogService("Sykehjem", "Sykehjem", "Trinn 6", "langtidsopphold")),
    file_name="k.xlsx", sha256="2" * 64)
SHARE = "Andel innbyggere 80 år og over som er brukere av hjemmetjenester (prosent)"
COST = "Korrigerte brutto driftsutgifter per mottaker av hjemmetjenester (i kr)"
PLACES = "Beboere på sykehjem per 1000 innbyggere 67 år og over"


def row(person: int, service: str, birth: int | None, gender: str | None,
        end: dt.date | None = None) -> dict:
    return {"person": person, "service": service, "start_date": OPEN, "end_date": end,
            "hours_per_week": None, "resource_hours_per_week": None, "birth_year": birth,
            "gender": gender, "municipality": "0712"}


ROWS = [
    row(1, "Praktisk", 1940, "K"), row(1, "HS", 1940, "K"),  # 83, on both home steps: one
    row(2, "HS", 1938, "M"),                                   # 85
    row(3, "Praktisk", 1950, "K"),                             # 73: not 80+
    row(4, "HS", 1930, "K"),                                   # 93
    row(5, "HS", None, "K"),                                   # age unknown
    row(6, "Sykehjem", 1935, "K"),                             # 88
    row(7, "Praktisk", 1942, "K", dt.date(2023, 6, 30)),       # ended: not active
    row(8, "Trygghetsalarm", 1939, "M"),                       # 84, not a home step
]
# persons on 1 January 2024 (age, gender): 80+ = 100 + 60 + 50 + 40 + 30 = 280; 67+ = 480
POPULATION = {(82, "K"): 100, (83, "M"): 60, (86, "M"): 50, (87, "K"): 40, (95, "K"): 30,
              (70, "K"): 200}


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("own")
    lines = ["år;alder;kjønn;personer"] + [
        f"{year};{age};{gender};{n}" for (age, gender), n in POPULATION.items()
        for year in (2024, 2025)]
    (tmp / "befolkning.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp / "regnskap.csv").write_text(
        "Trinn;Kostnad;Årsverk\nTrinn 2;1 000 000;1\nTrinn 3;4 000 000;4\n", encoding="utf-8")
    (tmp / "sammenligning.csv").write_text(
        "Indikator;Beregning;Trinn;Alder\n"
        f"{SHARE};andel;Trinn 2;80+\n{SHARE};Andel;trinn 3;80 år og over\n"
        f"{COST};kostnad per bruker;Trinn 2;\n{COST};kostnad per bruker;Trinn 3;\n"
        f"{PLACES};per 1000;Trinn 6;67+\n", encoding="utf-8")
    db = store_periods(tmp, [("2024-01", D, ROWS)])
    figures = [(ind, code, name, year, value) for ind, base in ((SHARE, 30.5),
                                                                (COST, 900_000.0))
               for code, name, k in (("0712", "Larvik", 0), ("0805", "Porsgrunn", 1),
                                     ("EKG13", "Kostragruppe 13", 2))
               for year, value in (("2022", base + k), ("2023", base + 2 * k))]
    import_file(long_csv(tmp / "kostra.csv", figures), db)
    return {"db": db, "population": tmp / "befolkning.csv", "accounts": tmp / "regnskap.csv",
            "comparison": tmp / "sammenligning.csv", "folder": tmp}


def _plan(inputs, suppress: int = 0, **kw):
    return build_plan(CATALOG, "2024-01", inputs["population"], accounts=inputs["accounts"],
                      comparison=inputs["comparison"], to_year=2025, suppress=suppress,
                      db=inputs["db"], **kw).plan


def test_the_figures_by_hand(inputs) -> None:
    plan = _plan(inputs)
    assert plan.kostra.municipality == "0712"  # the extract's own
    share, cost, places = plan.kostra.figures
    # persons 1 (on both steps, once), 2 and 4 are 80+; 3 is 73, 5 of unknown age
    assert (share.users, share.denominator) == (3, 280)
    assert share.value == pytest.approx(3 / 280 * 100)
    assert share.steps == ["Trinn 2", "Trinn 3"] and share.ages == "80+"
    # every person on the home steps, whatever their age: 1, 2, 3, 4, 5
    assert (cost.users, cost.denominator, cost.value) == (5, 5_000_000, 1_000_000)
    assert cost.ages is None
    assert (places.users, places.denominator) == (1, 480)
    assert places.value == pytest.approx(1 / 480 * 1000)
    assert share.suppressed == cost.suppressed == places.suppressed == []
    # the indicator beside it, as report.json's block has it; none for one not imported
    assert share.kostra.indicator == SHARE and share.kostra.regions[0].code == "0712"
    assert share.kostra.regions[0].values == {"2022": 30.5, "2023": 30.5}
    assert cost.kostra.regions[2].values == {"2022": 900_002.0, "2023": 900_004.0}
    assert places.kostra is None
    assert "«Trinn 2» eller «Trinn 3» 31.01.2024 (telt én gang)" in share.definition
    assert "i prosent av innbyggerne 80 år og over 1. januar 2024" in share.definition
    assert "31.12" in share.differs and "uttrekkets dato" in share.differs
    assert "korrigerte brutto driftsutgifter" in cost.differs
    assert plan.inputs.comparison == "sammenligning.csv"


def test_the_municipality_asked_for_and_none(inputs, tmp_path) -> None:
    other = _plan(inputs, municipality="805")
    assert other.kostra.municipality == "0805"
    assert other.kostra.figures[0].kostra.regions[0].name == "Porsgrunn"
    assert other.kostra.figures[0].users == 3  # the own figures are this store's
    db = store_periods(tmp_path, [("2024-01", D, [{**r, "municipality": None} for r in ROWS])])
    unknown = build_plan(CATALOG, "2024-01", inputs["population"],
                         comparison=inputs["comparison"], suppress=0, to_year=2025, db=db).plan
    assert unknown.kostra is None
    assert build_plan(CATALOG, "2024-01", inputs["population"], suppress=0, to_year=2025,
                      db=inputs["db"]).plan.kostra is None  # no comparison file


def test_cost_without_accounts_for_a_step(inputs, tmp_path) -> None:
    (tmp_path / "regnskap.csv").write_text("Trinn;Kostnad;Årsverk\nTrinn 2;1 000 000;1\n",
                                           encoding="utf-8")
    plan = build_plan(CATALOG, "2024-01", inputs["population"],
                      accounts=tmp_path / "regnskap.csv", comparison=inputs["comparison"],
                      suppress=0, to_year=2025, db=inputs["db"]).plan
    cost = plan.kostra.figures[1]
    assert (cost.users, cost.denominator, cost.value) == (5, None, None)
    assert "ingen kostnad for «Trinn 3», så tallet mangler" in cost.definition


def test_small_figures_are_withheld(inputs) -> None:
    share, cost, places = _plan(inputs, suppress=5).kostra.figures
    for fig in (share, places):  # 3 and 1 persons
        assert fig.users is None and fig.value is None
        assert fig.suppressed == ["users", "value"]
        assert fig.denominator is not None  # the population is public
    # 5 persons on the home steps: Trinn 2 (2) and Trinn 3 (4) are withheld counts and
    # their overlap (1) is unknown, so 5 gives none of them back
    assert (cost.users, cost.value, cost.suppressed) == (5, 1_000_000, [])


def test_plan_json_and_schema(inputs, tmp_path) -> None:
    from innsatstrapp.outputs.plan import render

    render(_plan(inputs), tmp_path, ["json"])
    data = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, plan_schema())
    assert data["kostra"]["figures"][1]["value"] == 1_000_000
    assert data["inputs"]["comparison"] == "sammenligning.csv"


# --- the comparison file -----------------------------------------------------------------

def test_age_groups() -> None:
    assert age_bands("80+") == ("80+", ("80-84", "85-89", "90+"))
    assert age_bands(" 80 år og over ") == age_bands("80 år og eldre") == age_bands("80+")
    assert age_bands("67-79") == ("67-79", ("67-74", "75-79"))
    assert age_bands("67–79 år") == age_bands("67-79")
    assert age_bands("alle")[1][0] == "0-17" and len(age_bands("Alle")[1]) == 8
    for bad in ("81+", "70-79", "79-67", "gamle", "", "67"):
        assert age_bands(bad) is None, bad


def _rules(tmp_path: Path, text: str):
    path = tmp_path / "sammenligning.csv"
    path.write_text(text, encoding="utf-8")
    return read_comparison(path, CATALOG)


def test_rules_are_read_in_order_one_per_indicator(tmp_path) -> None:
    rules = _rules(tmp_path, "Trinn;KOSTRA-indikator;Beregning;Alder\n"
                             "Trinn 3;B;kostnad per mottaker;\nTrinn 6;A;promille;67+\n"
                             "Trinn 2;b;Kostnad per bruker;alle\n\n")
    assert [(r.indicator, r.computation, r.steps, r.ages) for r in rules] == [
        ("B", "kostnad per bruker", ("Trinn 3", "Trinn 2"), None),
        ("A", "per 1000", ("Trinn 6",), "67+")]
    assert _rules(tmp_path, "Indikator;Beregning;Trinn;Alder\n") == []


@pytest.mark.parametrize(("line", "column", "said"), [
    ("X;andel;Trinn 9;80+", "Trinn", "trinnet finnes ikke i katalogen"),
    ("X;snitt;Trinn 2;80+", "Beregning", "må være «andel», «per 1000» eller «kostnad per"),
    ("X;andel;Trinn 2;81+", "Alder", "må være en aldersgruppe"),
    ("X;andel;Trinn 2;", "Alder", "må være en aldersgruppe"),
    ("X;kostnad per bruker;Trinn 2;80+", "Alder", "regnes for alle aldre"),
    (";andel;Trinn 2;80+", "Indikator", "mangler indikatorens navn"),
    ("A;andel;Trinn 3;80+", "Beregning", "er ulik rad 2 for samme indikator"),
    ("A;per 1000;Trinn 3;80-88", "Alder", "må være en aldersgruppe"),
    ("a;kostnad per bruker;Trinn 3;", "Beregning", "er ulik rad 2"),
    ("A;per 1000;trinn 2;80+", "Alder", "er ulik rad 2 for samme indikator"),
    ("A;per 1000;Trinn 2;67+", "Trinn", "står to ganger for samme indikator"),
])
def test_rejections_name_row_column_and_value(tmp_path, line, column, said) -> None:
    text = "Indikator;Beregning;Trinn;Alder\nA;per 1000;Trinn 2;67+\n" + line + "\n"
    with pytest.raises(InputFileError) as e:
        _rules(tmp_path, text)
    message = str(e.value)
    assert "Sammenligningsfilen" in message and "rad 3" in message, message
    assert f"kolonne «{column}»" in message and said in message, message


def test_a_missing_column_is_named(tmp_path) -> None:
    with pytest.raises(InputFileError, match="mangler kolonnen «Beregning»"):
        _rules(tmp_path, "Indikator;Trinn\nA;Trinn 2\n")


# --- suppression across steps ------------------------------------------------------------

BANDS_80 = frozenset({"80-84", "85-89", "90+"})


def decide_union_figures(persons, steps, cells_withheld, totals_shown, figures, threshold,
                         **levels):
    """Steps off the staircase unless `levels` says otherwise."""
    return decide_with_levels(
        persons, steps, staircase=levels.get("staircase", {}), cells_withheld=cells_withheld,
        totals_shown=totals_shown, levels=levels.get("levels", {}),
        level_totals=levels.get("level_totals", {}), figures=figures, threshold=threshold)


def test_a_band_figure_that_gives_back_a_withheld_cell() -> None:
    persons = {(1, "80-84", "K"): 3, (1, "85-89", "K"): 7, (1, "50-66", "M"): 10}
    # 80+ (10) minus the published 85-89 cell (7) is the withheld 80-84 cell (3)
    assert decide_union_figures(persons, ["S"], {("S", "80-84", "K")}, {"S": False},
                                {"f": (1, BANDS_80)}, 5) == {"f"}
    # with the step's users shown, the cell is the users minus the others already: the
    # figure adds nothing (the steps' figures are decided elsewhere)
    assert decide_union_figures(persons, ["S"], {("S", "80-84", "K")}, {"S": True},
                                {"f": (1, BANDS_80)}, 5) == set()
    # both 80+ cells withheld: 80+ is the total minus the published 50-66 cell, known already
    assert decide_union_figures(persons, ["S"], {("S", "80-84", "K"), ("S", "85-89", "K")},
                                {"S": True}, {"f": (1, BANDS_80)}, 5) == set()
    # the step's total withheld, the 50-66 cell published: 80+ would give the total back
    assert decide_union_figures(persons, ["S"], {("S", "80-84", "K"), ("S", "85-89", "K")},
                                {"S": False}, {"f": (1, BANDS_80)}, 5) == {"f"}
    # a small figure is withheld whatever else is published; 0 never
    assert decide_union_figures(persons, ["S"], {("S", "80-84", "K")}, {"S": True},
                                {"f": (1, frozenset({"80-84"})), "z": (1, frozenset({"90+"}))},
                                5) == {"f"}
    assert decide_union_figures(persons, ["S"], set(), {"S": True}, {"f": (1, BANDS_80)},
                                0) == set()


def test_a_small_overlap_of_two_steps_is_not_given_away() -> None:
    # 4 only on A, 4 only on B, 1 on both: the union 9 with the steps' 5 and 5 says 1 is on both
    persons = {(1, "80-84", "K"): 4, (2, "80-84", "K"): 4, (3, "80-84", "K"): 1}
    shown = {"A": True, "B": True}
    assert decide_union_figures(persons, ["A", "B"], set(), shown,
                                {"f": (3, BANDS_80)}, 5) == {"f"}
    persons[(3, "80-84", "K")] = 6  # 6 on both: nothing small to give away
    assert decide_union_figures(persons, ["A", "B"], set(), shown,
                                {"f": (3, BANDS_80)}, 5) == set()


def test_persons_of_unknown_age_are_not_given_away() -> None:
    # the step's 85-89 cells are withheld, so its 2 persons of unknown age are not known;
    # every-age coverage of the known (76) with the step's users (78) would say 2
    persons = {(1, "80-84", "K"): 40, (1, "85-89", "K"): 6, (1, "85-89", "M"): 30,
               (1, "ukjent", "K"): 2}
    hidden = {("S", "85-89", "K"), ("S", "85-89", "M")}
    every = frozenset({"0-17", "18-49", "50-66", "67-74", "75-79", *BANDS_80})
    assert decide_union_figures(persons, ["S"], hidden, {"S": True},
                                {"f": (1, every)}, 5) == {"f"}
    # cost per user counts everybody: the step's users again, nothing new
    assert decide_union_figures(persons, ["S"], hidden, {"S": True}, {"f": (1, None)},
                                5) == set()
    # every known cell published: the 2 are the users minus the cells already, so the
    # coverage adds nothing
    assert decide_union_figures(persons, ["S"], set(), {"S": True}, {"f": (1, every)},
                                5) == set()


def test_a_level_the_month_withholds_is_not_given_away() -> None:
    # Trinn 5 and the top step Trinn 6, 75-79: only on 5, only on 6, on both (bits 1, 2, 3)
    persons = {(1, "75-79", "K"): 7, (2, "75-79", "K"): 16, (3, "75-79", "K"): 2,
               (1, "75-79", "M"): 3, (2, "75-79", "M"): 15, (3, "75-79", "M"): 3}
    stairs = {"staircase": {"Trinn 5": 5, "Trinn 6": 6},
              "levels": {("Trinn 5", "75-79", "K"): True, ("Trinn 5", "75-79", "M"): False,
                         ("Trinn 6", "75-79", "K"): True, ("Trinn 6", "75-79", "M"): True}}
    shown = {"Trinn 5": True, "Trinn 6": True}
    # 46 on either, minus the top step's 18 + 18, is level 5 (10); level 5 K is 7: M is 3
    assert decide_union_figures(persons, ["Trinn 5", "Trinn 6"], set(), shown,
                                {"f": (3, frozenset({"75-79"}))}, 5, **stairs) == {"f"}
    stairs["levels"][("Trinn 5", "75-79", "M")] = True
    assert decide_union_figures(persons, ["Trinn 5", "Trinn 6"], set(), shown,
                                {"f": (3, frozenset({"75-79"}))}, 5, **stairs) == set()


def test_the_levels_need_every_step_above() -> None:
    steps = (Step("Trinn 1", 1), Step("Trinn 2", 2), Step("Trinn 3", 3), Step("Trinn 6", 6),
             Step("På tvers", 7, None, False))
    from innsatstrapp.plan.comparison import Rule
    from innsatstrapp.plan.own import comparison_steps

    rule = Rule("X", "andel", ("Trinn 3", "Trinn 2"), "80+", ("80-84", "85-89", "90+"))
    assert comparison_steps([rule], steps) == ["Trinn 3", "Trinn 2", "Trinn 6"]
    off = Rule("Y", "andel", ("På tvers",), "80+", ())
    assert comparison_steps([off], steps) == ["På tvers"]


def _rank(vectors: list[dict], cells: list) -> int:
    if not vectors:
        return 0
    m = np.array([[v.get(c, 0) for c in cells] for v in vectors], dtype=float)
    return int(np.linalg.matrix_rank(m))


def _reveals(published: list[dict], secret: dict, cells: list) -> bool:
    """Whether `secret` is a linear combination of `published` (in their span)."""
    return _rank(published, cells) == _rank([*published, secret], cells)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_nothing_withheld_is_in_the_span_of_what_is_published(data) -> None:
    """The oracle: every figure as a vector over the inner cells. The own figures published
    beside the steps' may give nothing back that the steps' did not already: a withheld
    step figure, withheld own figure or small overlap in the span of all published vectors
    is in the span of the steps' alone. A figure of 1 to 4 persons is withheld; one that
    nothing withheld touches is published."""
    steps = ["A", "B", "C"][:data.draw(st.integers(1, 3))]
    on_stairs = [s for s in steps if data.draw(st.booleans())]
    # a staircase is told in full: every staircase step above the lowest counted one
    staircase = {s: k for k, s in enumerate(steps) if s in on_stairs}
    bands = ["67-74", "80-84", "90+", "ukjent"]
    keys = [(p, b, g) for p in range(1, 2 ** len(steps)) for b in bands for g in ("K", "M")]
    persons = {k: v for k in keys if (v := data.draw(st.integers(0, 7)))}
    withheld_cells = {(s, b, g) for s in steps for b in bands[:3] for g in ("K", "M")
                      if data.draw(st.integers(0, 3)) == 0}
    shown = {s: data.draw(st.integers(0, 3)) > 0 for s in steps}
    levels = {(s, b, g): data.draw(st.integers(0, 3)) > 0 for s in staircase for b in bands
              for g in ("K", "M")}
    level_totals = {s: data.draw(st.integers(0, 3)) > 0 for s in staircase}
    figures = {k: (data.draw(st.integers(1, 2 ** len(steps) - 1)),
                   data.draw(st.sampled_from([None, frozenset({"80-84", "90+"}),
                                              frozenset({"67-74"})])))
               for k in range(data.draw(st.integers(1, 3)))}
    out = decide_union_figures(persons, steps, withheld_cells, shown, figures, 5,
                               staircase=staircase, levels=levels, level_totals=level_totals)

    def vec(pred, weight=lambda k: 1) -> dict:
        return {k: weight(k) for k in persons if pred(k)}

    published, secret = [], []
    for i, s in enumerate(steps):
        def on(k, i=i) -> bool:
            return bool(k[0] >> i & 1)
        (published if shown[s] else secret).append(vec(on))
        for b, g in product(bands[:3], ("K", "M")):
            cell = vec(lambda k, b=b, g=g, on=on: on(k) and k[1:] == (b, g))
            if cell:
                (secret if (s, b, g) in withheld_cells else published).append(cell)
        rest = vec(lambda k, on=on: on(k) and k[1] == "ukjent")
        if 0 < sum(persons[k] for k in rest) < 5:
            secret.append(rest)  # published nowhere
        if s in staircase:
            above = sum(1 << j for j, t in enumerate(steps)
                        if t in staircase and staircase[t] > staircase[s])

            def at(k, on=on, above=above) -> bool:
                return on(k) and not k[0] & above
            (published if level_totals[s] else secret).append(vec(at))
            for b, g in product(bands, ("K", "M")):
                cell = vec(lambda k, b=b, g=g, at=at: at(k) and k[1:] == (b, g))
                if cell:
                    (published if levels[(s, b, g)] else secret).append(cell)
    steps_only = list(published)
    cells = sorted(persons)
    small_overlap = small_figure = False
    for key, (mask, chosen) in figures.items():
        counted = vec(lambda k, m=mask, c=chosen: bool(k[0] & m) and (
            c is None or (k[1] in c and k[2] != "ukjent")))
        total = sum(persons[k] for k in counted)
        if 0 < total < 5:
            assert key in out
            small_figure = True
        if counted:
            (secret if key in out else published).append(counted)
        over = vec(lambda k, m=mask, c=chosen: (k[0] & m).bit_count() > 1 and (
            c is None or k[1] in c), lambda k, m=mask: (k[0] & m).bit_count() - 1)
        if over and 0 < sum(persons[k] for k in over) < 5:
            secret.append(over)
            small_overlap = True
    for v in secret:  # the own figures give nothing back that the steps did not already
        if v and _reveals(published, v, cells):
            assert _reveals(steps_only, v, cells), (v, out)
    unknown_small = any(0 < sum(v for k, v in persons.items() if k[0] >> i & 1
                                and k[1] == "ukjent") < 5 for i in range(len(steps)))
    if (not withheld_cells and all(shown.values()) and not small_overlap and not staircase
            and not unknown_small and not small_figure):
        for key, (mask, chosen) in figures.items():
            total = sum(v for k, v in persons.items()
                        if k[0] & mask and (chosen is None or k[1] in chosen))
            assert total < 5 or key not in out


# --- outputs and the CLI -----------------------------------------------------------------

def test_every_output_shows_it(inputs, tmp_path) -> None:
    import openpyxl
    from pptx import Presentation

    from innsatstrapp.outputs.plan import render

    render(_plan(inputs), tmp_path, ["html", "xlsx", "pptx"])
    html = (tmp_path / "plan.html").read_text(encoding="utf-8")
    assert 'id="kostra"' in html and "Egne tall ved siden av KOSTRA" in html
    assert "Egen beregning 31.01.2024: 1,1\u00a0% (3 brukere av 280 innbyggere 80 år og " \
           "over). KOSTRA-tallet for Larvik i 2023 er 30,5." in html
    assert "1\u00a0000\u00a0000\u00a0kr (5\u00a0000\u00a0000\u00a0kr fordelt på 5 brukere)" in html
    assert "2,1\u00a0per 1 000 innbyggere (1 bruker av 480 innbyggere 67 år og over). " \
           "KOSTRA-tallene i lageret har ikke denne indikatoren for kommune 0712." in html
    assert html.count("Slik er det egne tallet regnet") == 3
    ws = openpyxl.load_workbook(tmp_path / "plan.xlsx")["KOSTRA"]
    cells = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    assert ["Egen beregning 31.01.2024", pytest.approx(3 / 280 * 100)] in cells
    assert ["Brukere", 3] in cells and ["Innbyggere", 280] in cells
    assert ["Region", "2022", "2023", "Egen beregning 31.01.2024"] in cells
    assert ["Larvik", 30.5, 30.5, pytest.approx(3 / 280 * 100)] in cells
    deck = Presentation(str(tmp_path / "plan.pptx"))
    slides = [s for s in deck.slides
              if s.shapes.title is not None and s.shapes.title.text.startswith("Egne tall")]
    assert len(slides) == 3
    chart = next(sh.chart for sh in slides[1].shapes if sh.has_chart)
    assert list(chart.plots[0].categories) == ["2022", "2023", "Egen beregning 31.01.2024"]
    assert list(chart.plots[0].series[0].values) == [900_000, 900_000, 1_000_000]
    assert chart.plots[0].series[1].values[-1] is None  # only the municipality's own bar
    notes = slides[0].notes_slide.notes_text_frame.text
    assert "Slik er tallet regnet:" in notes and "Forskjell fra KOSTRA:" in notes


def test_the_cli_says_what_stands_alone(inputs, tmp_path) -> None:
    from innsatstrapp.cli import app

    args = ["plan", "--period", "2024-01", "--catalog", str(_catalog(tmp_path)),
            "--population", str(inputs["population"]), "--db", str(inputs["db"]),
            "--comparison", str(inputs["comparison"]), "--to", "2025", "--format", "json",
            "--out", str(tmp_path / "ut")]
    result = CliRunner().invoke(app, [*args, "--municipality", "712"])
    assert result.exit_code == 0, result.output
    assert "«Beboere på sykehjem per 1000 innbyggere 67 år og over» finnes ikke i " \
           "KOSTRA-tallene for kommune 0712" in " ".join(result.output.split())
    data = json.loads((tmp_path / "ut" / "plan.json").read_text(encoding="utf-8"))
    assert data["kostra"]["municipality"] == "0712"
    empty = tmp_path / "tom.csv"
    empty.write_text("Indikator;Beregning;Trinn;Alder\n", encoding="utf-8")
    result = CliRunner().invoke(app, [*args[:-6], "--comparison", str(empty), "--to", "2025",
                                      "--out", str(tmp_path / "ut3")])
    assert result.exit_code == 0, result.output
    assert "sammenligningsfilen «tom.csv» har ingen rader" in " ".join(result.output.split())
    result = CliRunner().invoke(app, [*args, "--municipality", "9999"])
    said = " ".join(result.output.split())
    assert result.exit_code == 0 and "har ingen av indikatorene for kommune 9999" in said
    assert "finnes ikke" not in said  # one note, not one per figure
    bad = tmp_path / "feil.csv"
    bad.write_text("Indikator;Beregning;Trinn;Alder\nA;andel;Trinn 9;80+\n", encoding="utf-8")
    result = CliRunner().invoke(app, [*args[:-6], "--comparison", str(bad), "--to", "2025",
                                      "--out", str(tmp_path / "ut2")])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert "Sammenligningsfilen «feil.csv»" in said and "rad 2" in said
    assert "kolonne «Trinn»" in said and "Traceback" not in said
    assert not (tmp_path / "ut2").exists()


def _catalog(tmp_path: Path) -> Path:
    from small import write_catalog

    steps = [["Trinn", "Nr", "Kategori"]] + [[s.name, s.order, s.category or ""]
                                             for s in CATALOG.steps]
    services = [["Tjeneste", "Gruppe", "Trinn", "Rolle"]] + [
        [s.name, s.group, s.step, s.role or ""] for s in CATALOG.services]
    return write_catalog(tmp_path / "k.xlsx", steps, services)
