"""The scenarios workbook: shifts read with their phasing; every bad cell, an unknown step and
more than 100 % out of one step rejected with row, column and value; the templates read back."""

from __future__ import annotations

import datetime as dt

import pytest

from innsatstrapp.catalog import Catalog, CatalogService, Step
from innsatstrapp.errors import InputFileError
from innsatstrapp.plan import StepAccount, read_accounts
from innsatstrapp.plan.comparison import Rule, read_comparison
from innsatstrapp.plan.scenarios import Scenario, Shift, read_scenarios
from innsatstrapp.plan.template import HOME_COST, HOME_SHARE, write_templates

CATALOG = Catalog((Step("Grunnmur", 0), Step("Trinn 3", 3), Step("Trinn 4", 4),
                   Step("Trinn 6", 6)),
                  (CatalogService("HS 1", "HS", "Trinn 3"),), file_name="k.xlsx",
                  sha256="0" * 64)
HEAD = "Scenario;Fra trinn;Til trinn;Andel;Startår;Fullt år\n"


def write(tmp_path, text: str):
    path = tmp_path / "scenarier.csv"
    path.write_text(HEAD + text, encoding="utf-8")
    return path


def test_scenarios_in_order_of_first_appearance(tmp_path) -> None:
    got = read_scenarios(write(tmp_path, "B;Trinn 6;Trinn 4;10;2027;2030\n"
                                         "A;trinn 3;Grunnmur;12,5 %;2026;2026\n"
                                         "B;Trinn 6;Trinn 3;90;2028;2028\n"), CATALOG)
    assert got == [
        Scenario("B", (Shift("Trinn 6", "Trinn 4", 10, 2027, 2030),
                       Shift("Trinn 6", "Trinn 3", 90, 2028, 2028))),
        Scenario("A", (Shift("Trinn 3", "Grunnmur", 12.5, 2026, 2026),)),
    ]


def test_phasing_by_hand() -> None:
    shift = Shift("Trinn 6", "Trinn 4", 10, 2027, 2030)  # four years to the full share
    assert [shift.fraction(y) for y in range(2025, 2032)] == pytest.approx(
        [0, 0, 0.025, 0.05, 0.075, 0.1, 0.1])
    assert Shift("Trinn 6", "Trinn 4", 40, 2026, 2026).fraction(2026) == pytest.approx(0.4)


def test_bad_rows_are_named(tmp_path) -> None:
    text = ("A;Trinn 9;Trinn 3;10;2027;2030\n"
            "A;Trinn 3;Trinn 3;10;2027;2030\n"
            "B;Trinn 6;Trinn 4;120;2027;2030\n"
            "B;Trinn 6;Trinn 4;mange;neste år;2030\n"
            "C;Trinn 6;Trinn 4;10;2030;2027\n"
            "Uendret praksis;Trinn 6;Trinn 4;10;2027;2030\n"
            "D;Trinn 6;Trinn 4;60;2027;2030\n"
            "D;Trinn 6;Trinn 3;50,5;2027;2030\n"
            "E;Trinn 6;Trinn 4;10;0000;2030\n")
    with pytest.raises(InputFileError) as e:
        read_scenarios(write(tmp_path, text), CATALOG)
    message = str(e.value)
    assert "Scenariofilen «scenarier.csv» ble avvist, og ingenting er endret." in message
    for line in (
            "rad 2, kolonne «Fra trinn», verdi «Trinn 9»: trinnet finnes ikke i katalogen",
            "rad 3, kolonne «Til trinn», verdi «Trinn 3»: er det samme trinnet som «Fra trinn»",
            "rad 4, kolonne «Andel», verdi «120»: er ikke en andel i prosent fra 0 til 100",
            "rad 5, kolonne «Andel», verdi «mange»: er ikke en andel",
            "rad 5, kolonne «Startår», verdi «neste år»: er ikke et årstall",
            "rad 6, kolonne «Fullt år», verdi «2027»: kommer før startåret 2030",
            "rad 7, kolonne «Scenario», verdi «Uendret praksis»: «Uendret praksis» er navnet",
            "rad 9, kolonne «Andel»: scenarioet «D» flytter til sammen 110,5 % av brukerne på "
            "Trinn 6; mer enn 100 % går ikke",
            "rad 10, kolonne «Startår», verdi «0000»: er ikke et årstall"):
        assert line in message


def test_a_missing_column(tmp_path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Scenario;Fra trinn;Til trinn;Andel\nA;Trinn 6;Trinn 4;10\n",
                    encoding="utf-8")
    with pytest.raises(InputFileError, match="mangler kolonnen «Startår» og «Fullt år»"):
        read_scenarios(path, CATALOG)


def test_templates_read_back_as_they_are(tmp_path) -> None:
    accounts, scenarios, comparison = write_templates(tmp_path, CATALOG,
                                                      dt.date(2026, 11, 26))
    # every step listed, nothing filled in yet
    assert read_accounts(accounts, CATALOG) == {
        s.name: StepAccount(None, None) for s in CATALOG.steps}
    assert read_scenarios(scenarios, CATALOG) == [
        Scenario("Eksempel: flere hjemme", (Shift("Trinn 6", "Trinn 4", 10, 2027, 2031),)),
        Scenario("Eksempel: tidlig innsats", (Shift("Trinn 4", "Trinn 3", 15, 2027, 2029),)),
    ]
    assert read_comparison(comparison, CATALOG) == []  # no step with «hjem» in its category
    home = Catalog((Step("Trinn 1", 1, "Forebygging"), Step("Trinn 2", 2, "Hjemmetjenester"),
                    Step("Trinn 3", 3, "Hjemmebaserte tjenester")), (), file_name="k.xlsx",
                   sha256="0" * 64)
    *_, comparison = write_templates(tmp_path / "hjem", home, dt.date(2026, 11, 26))
    assert read_comparison(comparison, home) == [
        Rule(HOME_SHARE, "andel", ("Trinn 2", "Trinn 3"), "80+", ("80-84", "85-89", "90+")),
        Rule(HOME_COST, "kostnad per bruker", ("Trinn 2", "Trinn 3"), None, ())]


def test_a_header_only_or_empty_file_means_none(tmp_path) -> None:
    assert read_scenarios(write(tmp_path, ""), CATALOG) == []
    empty = tmp_path / "tom.csv"
    empty.write_bytes(b"")
    assert read_scenarios(empty, CATALOG) == []
    path = tmp_path / "r.csv"
    path.write_text("Trinn;Kostnad;Årsverk\n", encoding="utf-8")
    assert read_accounts(path, CATALOG) == {}


def test_a_header_only_population_is_rejected_in_its_own_words(tmp_path) -> None:
    from innsatstrapp.plan import read_population

    path = tmp_path / "b.csv"
    path.write_text("år;alder;kjønn;personer\n", encoding="utf-8")
    with pytest.raises(InputFileError) as e:
        read_population(path)
    assert str(e.value) == ("Befolkningsfilen «b.csv» ble avvist, og ingenting er endret.\n"
                            "Fant 1 feil:\n  • filen har kolonneoverskrifter, men ingen rader")
