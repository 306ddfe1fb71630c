"""The accounts per step: cost and FTE read with Norwegian numbers; unknown steps, repeated
steps, bad and negative numbers rejected with row, column and value."""

from __future__ import annotations

import pytest

from innsatstrapp.catalog import Catalog, CatalogService, Step
from innsatstrapp.errors import InputFileError
from innsatstrapp.plan import StepAccount, read_accounts

CATALOG = Catalog((Step("Grunnmur", 0), Step("Trinn 3", 3), Step("Trinn 6", 6)),
                  (CatalogService("HS 1", "HS", "Trinn 3"),), file_name="k.xlsx",
                  sha256="0" * 64)


def write(tmp_path, text: str):
    path = tmp_path / "regnskap.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_cost_and_fte_per_step(tmp_path) -> None:
    got = read_accounts(write(tmp_path, "Trinn;Kostnad;Årsverk\nTrinn 3;12 500 000;18,5\n"
                                        "trinn 6;80000000,50;\n"), CATALOG)
    assert got == {"Trinn 3": StepAccount(12_500_000, 18.5),
                   "Trinn 6": StepAccount(80_000_000.5, None)}  # steps missing: no cost


def test_bad_rows_are_named(tmp_path) -> None:
    text = ("Trinn;Kostnad;Årsverk\nTrinn 9;1;1\nTrinn 3;mye;2\nTrinn 6;-5;1\n"
            "Trinn 6;1;1\n")
    with pytest.raises(InputFileError) as e:
        read_accounts(write(tmp_path, text), CATALOG)
    message = str(e.value)
    assert "Regnskapsfilen «regnskap.csv» ble avvist, og ingenting er endret." in message
    assert "rad 2, kolonne «Trinn», verdi «Trinn 9»: trinnet finnes ikke i katalogen" in message
    assert "rad 3, kolonne «Kostnad», verdi «mye»: er ikke et tall" in message
    assert "rad 4, kolonne «Kostnad», verdi «-5»: kan ikke være negativ" in message
    assert "rad 5, kolonne «Trinn», verdi «Trinn 6»: står to ganger" in message


def test_a_missing_column(tmp_path) -> None:
    with pytest.raises(InputFileError, match="mangler kolonnen «Årsverk»"):
        read_accounts(write(tmp_path, "Trinn;Kostnad\nTrinn 3;1\n"), CATALOG)


@pytest.mark.parametrize("value", ["nan", "inf", "1e400", "-inf", "12,5,3"])
def test_numbers_that_are_not_amounts_are_rejected(tmp_path, value: str) -> None:
    with pytest.raises(InputFileError, match=f"rad 2, kolonne «Kostnad», verdi «{value}»: "
                                             "er ikke et tall"):
        read_accounts(write(tmp_path, f"Trinn;Kostnad;Årsverk\nTrinn 3;{value};1\n"), CATALOG)
