"""Every rejection rule of contract §2: a Norwegian message naming file, row, column and value,
and the store (and key) left exactly as they were."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import HEADER, snapshot, write_csv, write_xlsx
from innsatstrapp.errors import FileRejected, InnsatstrappError, StoreError, UsageError
from innsatstrapp.ingest import ingest_file

GOOD = [["1", "TT-kort", "01.01.2024", "", "1,5", "x"]]


@pytest.fixture
def filled(tmp_path: Path, db: Path) -> Path:
    """A store that already holds one period, so 'unchanged' means something."""
    ingest_file(write_csv(tmp_path / "good.csv", GOOD), "2024-01", db=db)
    return db


def rejected(path: Path, db: Path, *, period: str = "2024-01", **kw: object) -> str:
    before = snapshot(db)
    with pytest.raises(InnsatstrappError) as info:
        ingest_file(path, period, db=db, **kw)
    assert snapshot(db) == before, "a rejected file must leave the store as it was"
    return str(info.value)


@pytest.mark.parametrize(("row", "expected"), [
    (["2", "TT-kort", "31.02.2024", "", "", ""],
     "rad 2, kolonne «Fra dato», verdi «31.02.2024»: er ikke en gyldig dato"),
    (["2", "TT-kort", "2024/01/05", "", "", ""],
     "rad 2, kolonne «Fra dato», verdi «2024/01/05»: er ikke en gyldig dato"),
    (["2", "TT-kort", "01.01.2024", "neste år", "", ""],
     "rad 2, kolonne «Til dato», verdi «neste år»: er ikke en gyldig dato"),
    (["2", "TT-kort", "01.01.2024", "", "7,5t", ""],
     "rad 2, kolonne «Vedtatte timer per uke», verdi «7,5t»: er ikke et tall"),
    (["2", "TT-kort", "01.01.2024", "", "-2", ""],
     "rad 2, kolonne «Vedtatte timer per uke», verdi «-2»: kan ikke være negativ"),
    (["2", "TT-kort", "01.01.2024", "", "1" + "0" * 400, ""],  # a double overflows: ∞
     "rad 2, kolonne «Vedtatte timer per uke», verdi «1" + "0" * 59 + "… (401 tegn)»: er "
     "urimelig stort (over 1 000 timer i uka); sjekk tallet og desimaltegnet"),
    (["2", "TT-kort", "01.01.2024", "", "1 234,5", ""],
     "rad 2, kolonne «Vedtatte timer per uke», verdi «1 234,5»: er urimelig stort"),
    (["2", "TT-kort\x1b[2J", "01.01.2024", "neste\x1b]0;x\x07 år", "", ""],
     "verdi «neste\\x1b]0;x\\x07 år»: er ikke en gyldig dato"),
    (["2", "TT-kort", "01.02.2024", "31.01.2024", "", ""],
     "rad 2, kolonne «Til dato», verdi «31.01.2024»: sluttdatoen er før startdatoen "
     "«01.02.2024»"),
    (["2", "", "01.01.2024", "", "", ""],
     "rad 2, kolonne «Tjeneste»: mangler verdi (påkrevd)"),
    (["2", "TT-kort", "", "", "", ""],
     "rad 2, kolonne «Fra dato»: mangler verdi (påkrevd)"),
])
@pytest.mark.parametrize("fresh", [True, False], ids=["new-store", "filled-store"])
def test_bad_cells(tmp_path: Path, db: Path, row: list[str], expected: str, fresh: bool) -> None:
    if not fresh:
        ingest_file(write_csv(tmp_path / "good.csv", GOOD), "2024-01", db=db)
    message = rejected(write_csv(tmp_path / "uttrekk.csv", [row]), db)
    assert message.startswith("Filen «uttrekk.csv» ble avvist, og ingenting er endret.")
    assert expected in message


def test_resource_hours_over_the_limit(tmp_path: Path, filled: Path) -> None:
    header = [*HEADER, "Ressurstimer per uke"]
    message = rejected(write_csv(tmp_path / "x.csv", [
        ["2", "TT-kort", "01.01.2024", "", "7,5", "", "1000"],  # the limit itself is allowed
        ["3", "TT-kort", "01.01.2024", "", "7,5", "", "1000,5"]], header=header), filled)
    assert "Fant 1 feil" in message
    assert "rad 3, kolonne «Ressurstimer per uke», verdi «1000,5»: er urimelig stort" in message


def test_missing_person_never_shows_a_value(tmp_path: Path, filled: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["", "TT-kort", "01.01.2024", "", "", ""]])
    assert "rad 2, kolonne «Løpenummer»: mangler verdi" in rejected(f, filled)


def test_person_ids_are_not_shown_in_any_message(tmp_path: Path, filled: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["12345678901", "TT-kort", "99.99.2024", "", "", ""],
                                       ["12345678901", "TT-kort", "01.01.2024", "", "", ""],
                                       ["12345678901", "TT-kort", "01.01.2024", "", "", ""]],
                  header=["Fødselsnummer", "Tjeneste", "Fra dato", "Til dato",
                          "Vedtatte timer", "Saksbehandler"])
    message = rejected(f, filled)
    assert "12345678901" not in message
    assert ("rad 4, kolonne «Fødselsnummer + Tjeneste + Fra dato», verdi «TT-kort fra "
            "01.01.2024»: samme vedtak står også i rad 3") in message


def test_repeated_decision_id(tmp_path: Path, filled: Path) -> None:
    header = ["Løpenummer", "Tjeneste", "Fra dato", "Vedtaksnummer"]
    f = write_csv(tmp_path / "x.csv", [["1", "A", "01.01.2024", "V1"],
                                       ["2", "B", "01.01.2024", "V2"],
                                       ["3", "C", "01.01.2024", " V1 "]], header=header)
    assert ("rad 4, kolonne «Vedtaksnummer», verdi «V1»: samme vedtak står også i rad 2"
            in rejected(f, filled))


def test_missing_required_column(tmp_path: Path, filled: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["1", "01.01.2024"]], header=["Løpenummer", "Fra dato"])
    message = rejected(f, filled)
    assert "rad 1: mangler påkrevd kolonne for tjeneste (en av: Tjeneste, Tjenestenavn" in message


def test_the_same_column_twice(tmp_path: Path, filled: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["1", "A", "01.01.2024", "2"]],
                  header=["Løpenummer", "Tjeneste", "Fra dato", "løpenummer "])
    assert ("rad 1, kolonne «løpenummer»: både «Løpenummer» og «løpenummer» betyr person; "
            "angi i en kolonnekart-fil") in rejected(f, filled)


def test_header_problems_name_the_header_row_of_a_sheet(tmp_path: Path, filled: Path) -> None:
    import xlsxwriter

    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for c, h in enumerate(["Løpenr", "Fra dato"]):
        sheet.write_string(2, c, h)
    sheet.write_row(3, 0, ["1", "01.01.2024"])
    book.close()
    assert "rad 3: mangler påkrevd kolonne for tjeneste" in rejected(path, filled)


def test_ragged_rows_name_the_line(tmp_path: Path, filled: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("Løpenummer;Tjeneste;Fra dato\n1;A;01.01.2024\n2;B;01.01.2024;extra;x\n",
                 encoding="utf-8")
    assert "rad 3: har 5 felt, men overskriften har 3 kolonner" in rejected(f, filled)


def test_many_problems_are_counted_and_the_first_twenty_listed(tmp_path: Path,
                                                               filled: Path) -> None:
    rows = [[str(i), "A", "32.01.2024", "", "", ""] for i in range(30)]
    message = rejected(write_csv(tmp_path / "x.csv", rows), filled)
    assert "Fant 30 feil (de første 20 vises):" in message
    listed = re.findall(r"rad (\d+),", message)
    assert listed == [str(r) for r in range(2, 22)]


@pytest.mark.parametrize(("content", "expected"), [
    (b"", "filen er tom"),
    (b"   \r\n  \n", "filen er tom"),
    (b"\x00\x01\x02garbage\x00\xff" * 20, "ser ikke ut som en tekstfil"),
    (b"Bare en linje uten skilletegn\n", "fant ikke kolonner i første linje"),
    (b"L\xf8penummer;Tjeneste;Fra dato\n", "ingen rader med vedtak"),
    (b"L\xf8penummer;Tjeneste;Fra dato", "ingen rader med vedtak"),
    (b"\x81\x8d\x8f\x90\x9d;x\n", "tegnkodingen er verken UTF-8 eller Windows-1252"),
])
def test_unreadable_files(tmp_path: Path, filled: Path, content: bytes, expected: str) -> None:
    f = tmp_path / "x.csv"
    f.write_bytes(content)
    assert expected in rejected(f, filled)


def test_truncated_xlsx(tmp_path: Path, filled: Path) -> None:
    whole = write_xlsx(tmp_path / "whole.xlsx", [["1", "A", "01.01.2024", "", "", ""]])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    assert "Excel-filen er skadet eller ufullstendig" in rejected(cut, filled)


def test_missing_file(tmp_path: Path, filled: Path) -> None:
    assert "Finner ikke filen" in rejected(tmp_path / "finnes-ikke.csv", filled)


@pytest.mark.parametrize("period", ["2024-13", "24-01", "januar", "2024-1", ""])
def test_bad_period(tmp_path: Path, filled: Path, period: str) -> None:
    f = write_csv(tmp_path / "x.csv", GOOD)
    with pytest.raises(UsageError, match="Ugyldig periode"):
        ingest_file(f, period, db=filled)


@pytest.mark.parametrize(("as_of", "expected"), [("2024-02-01", "ligger ikke i perioden"),
                                                 ("31.13.2024", "Ugyldig dato for --as-of")])
def test_bad_as_of(tmp_path: Path, filled: Path, as_of: str, expected: str) -> None:
    assert expected in rejected(write_csv(tmp_path / "x.csv", GOOD), filled, as_of=as_of)


def test_rejection_of_a_new_store_creates_nothing(tmp_path: Path, db: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["1", "A", "nei", "", "", ""]])
    with pytest.raises(FileRejected):
        ingest_file(f, "2024-01", db=db)
    assert not db.exists() and not db.with_suffix(".key").exists()


def test_a_bad_file_is_said_before_a_bad_key(tmp_path: Path, db: Path) -> None:
    """The file is checked while its ids are pseudonymised; what is wrong with it is said
    first, as when the checks came before the key was read, and nothing is written."""
    db.with_suffix(".key").write_bytes(b"ab")  # a damaged key file
    f = write_csv(tmp_path / "x.csv", [["1", "A", "nei", "", "", ""]])
    with pytest.raises(FileRejected, match="gyldig dato"):
        ingest_file(f, "2024-01", db=db)
    assert not db.exists() and db.with_suffix(".key").read_bytes() == b"ab"
    good = write_csv(tmp_path / "y.csv", [["1", "A", "01.01.2024", "", "", ""]])
    with pytest.raises(StoreError, match="Nøkkelfilen"):  # the key, once the file is good
        ingest_file(good, "2024-01", db=db)


def test_replacing_with_a_bad_file_keeps_the_old_period(tmp_path: Path, filled: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["1", "A", "01.01.2024", "", "", ""],
                                       ["2", "B", "01.01.2024", "", "x", ""]])
    rejected(f, filled)  # asserts the snapshot is unchanged


def test_a_typed_excel_number_too_large(tmp_path: Path, filled: Path) -> None:
    message = rejected(write_xlsx(tmp_path / "x.xlsx", [[2, "TT-kort", "01.01.2024", None,
                                                         1e308, None]]), filled)
    assert "rad 2, kolonne «Vedtatte timer per uke», verdi «1000000" in message
    assert "(309 tegn)»: er urimelig stort" in message
