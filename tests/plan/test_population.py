"""The population projection: SSB's export and a hand-made table read to the same figures;
every bad input is named by file, row, column and value."""

from __future__ import annotations

import pytest

from innsatstrapp.errors import InputFileError
from innsatstrapp.plan import read_population

SSB = """\ufeff"region";"kjønn";"alder";"statistikkvariabel";"år";"Framskrevet folkemengde"
"3201 Bærum";"1 Menn";"067 67 år";"Hovedalternativet (MMMM)";"2026";"412"
"3201 Bærum";"2 Kvinner";"067 67 år";"Hovedalternativet (MMMM)";"2026";"430"
"3201 Bærum";"1 Menn";"105 år eller eldre";"Hovedalternativet (MMMM)";"2026";"1"
"3201 Bærum";"1 Menn";"067 67 år";"Hovedalternativet (MMMM)";"2027";"420"
"3201 Bærum";"2 Kvinner";"067 67 år";"Hovedalternativet (MMMM)";"2027";"441"
"3201 Bærum";"1 Menn";"105 år eller eldre";"Hovedalternativet (MMMM)";"2027";"2"
"3201 Bærum";"1 Menn";"067 67 år";"Lav nasjonal vekst (LLML)";"2026";"400"
"3201 Bærum";"1 Menn";"067 67 år";"Lav nasjonal vekst (LLML)";"2027";"401"
"""
TIDY = """år,alder,kjønn,personer
2026,67,M,412
2026,67,K,430
2026,105,M,1
2027,67,M,420
2027,67,K,441
2027,105,M,2
"""


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ssb_export_and_tidy_table_read_alike(tmp_path) -> None:
    ssb = read_population(write(tmp_path, "ssb.csv", SSB), years=range(2026, 2028))
    tidy = read_population(write(tmp_path, "tidy.csv", TIDY), years=range(2026, 2028))
    assert ssb.persons == tidy.persons
    assert ssb.persons[(2027, 105, "M")] == 2 and ssb.persons[(2026, 67, "K")] == 430
    assert ssb.years == [2026, 2027] and ssb.alternative == "MMMM"


def test_the_alternative_chooses_the_rows(tmp_path) -> None:
    low = read_population(write(tmp_path, "ssb.csv", SSB), alternative="LLML")
    assert low.persons == {(2026, 67, "M"): 400, (2027, 67, "M"): 401}


def test_bad_cells_are_named(tmp_path) -> None:
    bad = TIDY.replace("2026,67,K,430", "2026,67,X,430").replace("2027,105,M,2", "2027,105,M,to")
    with pytest.raises(InputFileError) as e:
        read_population(write(tmp_path, "bad.csv", bad))
    text = str(e.value)
    assert "Befolkningsfilen «bad.csv» ble avvist, og ingenting er endret." in text
    assert "rad 3, kolonne «kjønn», verdi «X»: er ikke et kjønn" in text
    assert "rad 7, kolonne «personer», verdi «to»: er ikke et antall personer" in text


def test_missing_years_and_columns(tmp_path) -> None:
    with pytest.raises(InputFileError,
                       match=r"mangler årene 2028–2029 \(filen har 2026–2027; velg et annet --to"):
        read_population(write(tmp_path, "p.csv", TIDY), years=range(2026, 2030))
    with pytest.raises(InputFileError, match="mangler kolonnen «kjønn»"):
        read_population(write(tmp_path, "p.csv", "år;alder;personer\n2026;67;5\n"))
    with pytest.raises(InputFileError, match="ingen rader med dette framskrivingsalternativet"):
        read_population(write(tmp_path, "ssb.csv", SSB), alternative="HHMH")


def test_a_row_twice_is_an_error(tmp_path) -> None:
    with pytest.raises(InputFileError, match="rad 3, kolonne «alder», verdi «67»: står to "
                                             "ganger for 2026, kjønn M"):
        read_population(write(tmp_path, "p.csv", "år,alder,kjønn,personer\n2026,67,M,1\n"
                                                 "2026,67,M,2\n"))


def test_a_workbook_reads_like_the_csv(tmp_path) -> None:
    import xlsxwriter

    path = tmp_path / "befolkning.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Befolkning")
    for r, line in enumerate(TIDY.strip().splitlines()):
        for c, cell in enumerate(line.split(",")):
            if r and c != 2:
                sheet.write_number(r, c, float(cell))
            else:
                sheet.write_string(r, c, cell)
    book.close()
    assert read_population(path).persons == read_population(
        write(tmp_path, "tidy.csv", TIDY)).persons


def test_a_year_with_a_gender_or_age_missing_is_rejected(tmp_path) -> None:
    """A hole in a later year would silently shrink the projection."""
    text = TIDY.replace("2027,67,K,441\n", "")
    with pytest.raises(InputFileError, match="2027 mangler 1 av aldrene og kjønnene som 2026 "
                                             r"har \(for eksempel alder 67, kjønn K\)"):
        read_population(write(tmp_path, "p.csv", text), years=range(2026, 2028))


def test_infinite_counts_are_rejected(tmp_path) -> None:
    with pytest.raises(InputFileError, match="verdi «inf»: er ikke et antall personer"):
        read_population(write(tmp_path, "p.csv", TIDY.replace("412", "inf")),
                        years=range(2026, 2028))
