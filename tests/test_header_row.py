"""Real exports: title rows above the header, the columns found named when one is missing,
and a warning when the file looks like another month's."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from helpers import HEADER, write_csv
from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.ingest import ingest_file

ROW = ["1", "TT-kort", "01.01.2024", "", "1,5", "x"]


def test_a_gerica_sheet_with_a_title_above_the_header(tmp_path: Path, db: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "Vedtaksliste Fjordvik kommune, uttrekk 31.01.2024"
    sheet.append([])
    sheet.append(HEADER)  # row 3
    sheet.append(ROW)
    sheet.append(["2", "TT-kort", "01.13.2024", "", "", "x"])  # row 5: a bad date
    book.save(tmp_path / "gerica.xlsx")
    with pytest.raises(InnsatstrappError) as info:
        ingest_file(tmp_path / "gerica.xlsx", "2024-01", db=db)
    assert "rad 5, kolonne «Fra dato», verdi «01.13.2024»" in str(info.value)
    sheet.delete_rows(5)
    book.save(tmp_path / "gerica.xlsx")
    result = ingest_file(tmp_path / "gerica.xlsx", "2024-01", db=db)
    assert result.extract.rows == 1 and result.ignored_columns == ("Saksbehandler",)


def test_a_csv_with_title_lines(tmp_path: Path, db: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("Vedtak per 31.01.2024;;;;;\r\nFjordvik;;;;;\r\n" + ";".join(HEADER) + "\r\n"
                 + ";".join(ROW) + "\r\n", encoding="cp1252")
    result = ingest_file(f, "2024-01", db=db)
    assert result.extract.rows == 1


def test_a_missing_column_lists_the_columns_found(tmp_path: Path, db: Path) -> None:
    header = ["Løpenummer", "Tjenestekode", "Fra dato", "Til dato"]
    f = write_csv(tmp_path / "x.csv", [["1", "TT", "01.01.2024", ""]], header=header)
    with pytest.raises(InnsatstrappError) as info:
        ingest_file(f, "2024-01", db=db)
    message = str(info.value)
    assert "mangler påkrevd kolonne for tjeneste" in message
    assert "kolonnene i rad 1 er «Løpenummer», «Tjenestekode», «Fra dato», «Til dato»" in \
        message


def test_the_same_file_as_another_month_is_warned_of(tmp_path: Path, db: Path) -> None:
    f = write_csv(tmp_path / "gerica_2024-01.csv", [ROW])
    assert ingest_file(f, "2024-01", db=db).warnings == ()
    second = ingest_file(f, "2024-02", db=db)  # stored anyway: the analyst may mean it
    assert second.warnings == (
        "Samme fil (samme innhold) er alt lagret som 2024-01. Er --period 2024-02 riktig? "
        "Fjern den som er feil med «innsatstrapp remove --period ÅÅÅÅ-MM», eller les inn "
        "riktig fil på nytt.",
        "Filnavnet sier 2024-01, men --period er 2024-02. Er perioden riktig?")
    other = write_csv(tmp_path / "vedtak 202403.csv", [ROW, ["2", *ROW[1:]]])
    assert ingest_file(other, "2024-03", db=db).warnings == ()
