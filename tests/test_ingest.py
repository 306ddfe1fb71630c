"""Reading extracts: every format and quirk of contract §2, checked against hand-made files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers import write_csv, write_xlsx
from innsatstrapp.ingest import ingest_file
from innsatstrapp.ingest.columns import ALIASES
from innsatstrapp.store import Store


def stored(db: Path, period: str = "2024-01") -> list[tuple]:
    with Store.open(db, read_only=True) as s:
        return s.con.execute(
            "SELECT source_row, decision_id, service, start_date, end_date, hours_per_week, "
            "resource_hours_per_week, unit, birth_year, gender, municipality FROM decisions "
            "WHERE period = ? ORDER BY source_row", [period]).fetchall()


D = dt.date


def test_profil_csv_cp1252_semicolon_comma_decimals(tmp_path: Path, db: Path) -> None:
    f = write_csv(tmp_path / "profil.csv", [
        ["0123", "Koordinator ", "01.01.2024", "", "1,5", "Åse"],
        ["124", "  Hjemmesykepleie ring 1", "5.1.2024", "31.12.2024", "2,25", "Øyvind"],
        ["125", "Hjemmesykepleie ring 1", "02.01.2023", "15.01.2024", "168,0", "Ærlig"],
    ], encoding="cp1252")
    result = ingest_file(f, "2024-01", db=db)
    assert result.extract.rows == 3 and result.extract.persons == 3
    assert result.ignored_columns == ("Saksbehandler",)
    assert result.extract.as_of == D(2024, 1, 31)
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in stored(db)] == [
        (2, "Koordinator", D(2024, 1, 1), None, 1.5),
        (3, "Hjemmesykepleie ring 1", D(2024, 1, 5), D(2024, 12, 31), 2.25),
        (4, "Hjemmesykepleie ring 1", D(2023, 1, 2), D(2024, 1, 15), 168.0),
    ]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
@pytest.mark.parametrize(("encoding", "bom"), [("utf-8", True), ("utf-8", False),
                                               ("cp1252", False)])
def test_delimiters_and_encodings(tmp_path: Path, db: Path, delimiter: str, encoding: str,
                                  bom: bool) -> None:
    f = write_csv(tmp_path / "x.csv", [
        ["1", "Trygghetsalarm, digital", "2024-01-01", "", "7.5", "Bjørn"],
        ["2", "Støttekontakt – voksne", "45292", "45322", "7,5", "Ærlig"],
    ], delimiter=delimiter, encoding=encoding, bom=bom)
    ingest_file(f, "2024-01", db=db)
    assert [(r[2], r[3], r[4], r[5]) for r in stored(db)] == [
        ("Trygghetsalarm, digital", D(2024, 1, 1), None, 7.5),
        ("Støttekontakt – voksne", D(2024, 1, 1), D(2024, 1, 31), 7.5),
    ]


def test_xlsx_typed_cells(tmp_path: Path, db: Path) -> None:
    header = ["Brukernr", "Tjenestenavn", "Startdato", "Sluttdato", "Vedtatte timer",
              "Ressurstimer", "Enhet", "Fødselsår", "Kjønn", "Kommunenummer", "Vedtak-ID"]
    f = write_xlsx(tmp_path / "x.xlsx", [
        [1001, "Hjemmesykepleie ring 2", D(2023, 5, 1), None, 3.25, 3.5, "Ring 2", 1931,
         "Kvinne", 301, "V1"],
        [1002, "Omsorgsbolig", D(2024, 1, 31), D(2024, 6, 30), None, None, None, 1950, "Mann",
         3805, 17],
    ], header=header)
    ingest_file(f, "2024-01", db=db)
    assert stored(db) == [
        (2, "V1", "Hjemmesykepleie ring 2", D(2023, 5, 1), None, 3.25, 3.5, "Ring 2", 1931, "K",
         "0301"),
        (3, "17", "Omsorgsbolig", D(2024, 1, 31), D(2024, 6, 30), None, None, None, 1950, "M",
         "3805"),
    ]


def test_xlsx_text_cells_and_blank_rows(tmp_path: Path, db: Path) -> None:
    f = write_xlsx(tmp_path / "x.xlsx", [
        ["1", "TT-kort", "01.02.2023", "", "", "x"],
        [None, None, None, None, None, None],
        ["2", "TT-kort ", "2023-02-01", "44986", "0,5", "y"],
    ])
    ingest_file(f, "2024-01", db=db)
    assert [(r[0], r[2], r[3], r[4], r[5]) for r in stored(db)] == [
        (2, "TT-kort", D(2023, 2, 1), None, None),
        (4, "TT-kort", D(2023, 2, 1), D(2023, 3, 1), 0.5),
    ]


def test_first_sheet_header_below_blank_rows_counts_spreadsheet_rows(tmp_path: Path,
                                                                     db: Path) -> None:
    import xlsxwriter

    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for c, h in enumerate(["Løpenr", "Tjeneste", "Fradato"]):
        sheet.write_string(2, c, h)  # header on row 3
    for c, v in enumerate(["7", "TT-kort", "32.01.2024"]):
        sheet.write_string(3, c, v)
    book.close()
    with pytest.raises(Exception, match=r"rad 4, kolonne «Fradato», verdi «32.01.2024»"):
        ingest_file(path, "2024-01", db=db)


@pytest.mark.parametrize(("field", "alias"), [(f, a) for f, names in ALIASES.items()
                                              for a in names])
def test_every_alias_is_recognised(tmp_path: Path, db: Path, field: str, alias: str) -> None:
    base = {"person_id": "Løpenummer", "service": "Tjeneste", "start_date": "Fra dato"}
    values = {"person_id": "42", "service": "TT-kort", "start_date": "01.01.2024",
              "end_date": "31.01.2024", "decision_id": "V9", "hours_per_week": "2,5",
              "resource_hours_per_week": "3", "unit": "Sone Nord", "birth_year": "1940",
              "gender": "K", "municipality": "3805"}
    header = {**base, field: f"  {alias.upper()} "}  # case and spaces do not matter
    f = write_csv(tmp_path / "x.csv", [[values[k] for k in header]], header=list(
        header.values()))
    ingest_file(f, "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        got = s.con.execute(f"SELECT {field if field != 'person_id' else 'person'} "
                            "FROM decisions").fetchall()[0][0]
    expected = {"start_date": D(2024, 1, 1), "end_date": D(2024, 1, 31), "hours_per_week": 2.5,
                "resource_hours_per_week": 3.0, "birth_year": 1940}.get(field, values[field])
    if field == "person_id":
        assert isinstance(got, int)
    else:
        assert got == expected


def test_mapping_file_for_other_column_names(tmp_path: Path, db: Path) -> None:
    mapping = tmp_path / "kart.toml"
    mapping.write_text('[kolonner]\n"Klient-ID" = "person_id"\n"Ytelse" = "service"\n'
                       '"Gyldig fra" = "start_date"\n', encoding="utf-8")
    f = write_csv(tmp_path / "x.csv", [["9", "TT-kort", "01.01.2024"]],
                  header=["Klient-ID", "Ytelse", "Gyldig fra"])
    ingest_file(f, "2024-01", db=db, mapping=mapping)
    assert stored(db)[0][2:4] == ("TT-kort", D(2024, 1, 1))


def test_bad_mapping_file_is_rejected(tmp_path: Path, db: Path) -> None:
    mapping = tmp_path / "kart.toml"
    mapping.write_text('[kolonner]\n"Klient-ID" = "personnr"\n', encoding="utf-8")
    f = write_csv(tmp_path / "x.csv", [["9", "TT-kort", "01.01.2024"]])
    with pytest.raises(Exception, match=r"(?s)Kolonnekartet «kart.toml».*kolonne «Klient-ID», "
                                        r"verdi «personnr»: ukjent felt"):
        ingest_file(f, "2024-01", db=db, mapping=mapping)


def test_several_columns_for_one_field_first_alias_wins(tmp_path: Path, db: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["Fjordvik", "3999", "1", "01019912345", "TT-kort",
                                        "01.01.2024"]],
                  header=["Kommune", "Kommunenummer", "Løpenummer", "Fødselsnummer", "Tjeneste",
                          "Fra dato"])
    result = ingest_file(f, "2024-01", db=db)
    assert result.ignored_columns == ("Kommune", "Fødselsnummer")
    assert stored(db)[0][-1] == "3999"


def test_mapping_can_choose_and_ignore_columns(tmp_path: Path, db: Path) -> None:
    mapping = tmp_path / "kart.toml"
    mapping.write_text('[kolonner]\n"Fødselsnummer" = "person_id"\n"Løpenummer" = "ignorer"\n',
                       encoding="utf-8")
    f = write_csv(tmp_path / "x.csv", [["1", "01019912345", "TT-kort", "01.01.2024"],
                                       ["2", "01019912345", "Koordinator", "01.01.2024"]],
                  header=["Løpenummer", "Fødselsnummer", "Tjeneste", "Fra dato"])
    result = ingest_file(f, "2024-01", db=db, mapping=mapping)
    assert result.extract.persons == 1 and result.ignored_columns == ("Løpenummer",)


def test_cr_line_endings_and_quoted_delimiters_in_the_header(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "mac.csv"
    f.write_bytes(b'L\xf8penummer,Tjeneste,Fra dato,"Merknad; intern; a"\r1,TT-kort,01.01.2024,x'
                  b'\r2,"Koordinator, voksne",02.01.2024,y\r')
    ingest_file(f, "2024-01", db=db)
    assert [(r[0], r[2]) for r in stored(db)] == [(2, "TT-kort"), (3, "Koordinator, voksne")]


def test_unknown_columns_are_never_stored(tmp_path: Path, db: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["1", "TT-kort", "01.01.2024", "", "", "Kari Nordmann"]])
    ingest_file(f, "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        columns = [r[0] for r in s.con.execute(
            "SELECT column_name FROM information_schema.columns").fetchall()]
        dump = repr(s.con.execute("SELECT * FROM decisions").fetchall())
    assert "Kari Nordmann" not in dump and not any("saksbeh" in c.lower() for c in columns)


def test_without_decision_id_the_key_is_person_service_start(tmp_path: Path, db: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [
        ["1", "TT-kort", "01.01.2024"], ["1", "TT-kort", "02.01.2024"],
        ["2", "TT-kort", "01.01.2024"]], header=["Løpenummer", "Tjeneste", "Fra dato"])
    assert ingest_file(f, "2024-01", db=db).extract.rows == 3


def test_as_of_and_replacing_a_period(tmp_path: Path, db: Path) -> None:
    one = write_csv(tmp_path / "a.csv", [["1", "TT-kort", "01.01.2024"]],
                    header=["Løpenummer", "Tjeneste", "Fra dato"])
    two = write_csv(tmp_path / "b.csv", [["1", "TT-kort", "01.01.2024"],
                                         ["2", "Koordinator", "01.01.2024"]],
                    header=["Løpenummer", "Tjeneste", "Fra dato"])
    ingest_file(one, "2024-01", db=db)
    ingest_file(one, "2024-02", db=db, as_of="2024-02-15")
    again = ingest_file(two, "2024-01", db=db, as_of="01.01.2024")
    assert again.replaced
    with Store.open(db, read_only=True) as s:
        got = [(x.period, x.as_of, x.file_name, x.rows) for x in s.periods()]
    assert got == [("2024-01", D(2024, 1, 1), "b.csv", 2), ("2024-02", D(2024, 2, 15), "a.csv", 1)]
    assert len(stored(db, "2024-01")) == 2 and len(stored(db, "2024-02")) == 1


def test_provenance_records_file_hash_and_columns(tmp_path: Path, db: Path) -> None:
    import hashlib

    f = write_csv(tmp_path / "x.csv", [["1", "TT-kort", "01.01.2024", "", "1", "x"]])
    ingest_file(f, "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        (x,) = s.periods()
    assert x.file_sha256 == hashlib.sha256(f.read_bytes()).hexdigest()
    assert x.columns == ("person_id", "service", "start_date", "end_date", "hours_per_week")
    assert x.file_format == "csv" and x.tool_version


def test_gender_and_birth_year_forms(tmp_path: Path, db: Path) -> None:
    header = ["Løpenummer", "Tjeneste", "Fra dato", "Kjønn", "Fødselsår"]
    rows = [[str(i), "TT-kort", "01.01.2024", g, "1944"] for i, g in enumerate(
        ["K", "m", "Kvinne", "MANN", "F", "", "Ukjent"])]
    ingest_file(write_csv(tmp_path / "x.csv", rows, header=header), "2024-01", db=db)
    assert [r[9] for r in stored(db)] == ["K", "M", "K", "M", "K", None, None]
    assert {r[8] for r in stored(db)} == {1944}
