"""report.json's `kostra` block (contract §8) on a hand-made store: the municipality first,
every stored indicator with a figure for it, every year for every region, published figures
never suppressed again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from exports import long_csv, wide_csv
from test_import import COST, FIGURES, SHARE
from typer.testing import CliRunner

from helpers import write_csv
from innsatstrapp.cli import app
from innsatstrapp.ingest import ingest_file
from innsatstrapp.kostra import import_file
from innsatstrapp.metrics import build_report, build_reports, report_schema
from innsatstrapp.model.base import dump

LARVIK_COST = {"code": "0712", "name": "Larvik (2018-2019)",
               "values": {"2018": 237543.0, "2019": 241002.5}}


@pytest.fixture
def store(small_store, tmp_path: Path):
    """The hand-computed municipality (no municipality column), with FIGURES imported."""
    db, catalog = small_store
    copy = tmp_path / "s.duckdb"
    shutil.copy(db, copy)
    shutil.copy(db.with_suffix(".key"), tmp_path / "s.key")
    import_file(long_csv(tmp_path / "12003.csv", FIGURES), copy)
    return copy, catalog


def test_the_block_by_hand(store) -> None:
    db, catalog = store
    block = build_report(catalog, "2024-01", db=db, municipality="712").kostra
    assert block is not None and block.municipality == "0712"  # as Excel showed 0712
    assert [i.indicator for i in block.indicators] == [COST, SHARE]  # as imported
    cost = dump(block.indicators[0])
    assert cost["years"] == ["2018", "2019"]
    assert cost["regions"] == [
        LARVIK_COST,
        {"code": "EKG13", "name": "Kostragruppe 13", "values": {"2018": 262000.0,
                                                                "2019": None}},
        {"code": "EAK", "name": "Landet", "values": {"2018": 255123.0, "2019": 259870.0}}]
    share = dump(block.indicators[1])
    assert [r["values"] for r in share["regions"]] == [
        {"2018": 30.1, "2019": 29.8}, {"2018": None, "2019": 31.4},
        {"2018": 32.0, "2019": None}]


def test_the_municipality_first_and_only_indicators_it_has_a_figure_in(store, tmp_path
                                                                       ) -> None:
    db, catalog = store
    other = [("Brukere med omfattende bistandsbehov", code, name, "2019", value)
             for code, name, value in (("EAK", "Landet", 40000), ("0712", "Larvik", 3),
                                       ("3999", "Fjordvik", ".."))]
    import_file(wide_csv(tmp_path / "omfattende.csv", other), db)
    larvik = build_report(catalog, "2024-01", db=db, municipality="0712", suppress=5).kostra
    extra = larvik.indicators[2]
    assert [r.code for r in extra.regions] == ["0712", "EAK", "3999"]
    assert extra.regions[0].values == {"2019": 3.0}  # a published 3 is not withheld
    fjordvik = build_report(catalog, "2024-01", db=db, municipality="3999").kostra
    assert fjordvik.municipality == "3999" and fjordvik.indicators == []  # a symbol only
    assert build_report(catalog, "2024-01", db=db).kostra is None  # no municipality known


def test_every_unit_has_the_same_block_and_the_published_set_is_not_changed(store) -> None:
    db, catalog = store
    reports = build_reports(catalog, "2024-01", db=db, municipality="0712")
    blocks = {k: r.kostra for k, r in reports.items()}
    assert len(blocks) > 1 and len({json.dumps(dump(b)) for b in blocks.values()}) == 1
    again = build_reports(catalog, "2024-01", db=db)  # the kept set, without the block
    assert all(r.kostra is None for r in again.values())


def test_the_extracts_municipality_is_the_default(tmp_path) -> None:
    from innsatstrapp.catalog import load_catalog
    from small import write_catalog

    db = tmp_path / "s.duckdb"
    header = ["Løpenummer", "Tjeneste", "Fra dato", "Kommunenr"]
    rows = [["1", "TT-kort", "01.01.2024", "712"], ["2", "TT-kort", "01.01.2024", "712"]]
    ingest_file(write_csv(tmp_path / "jan.csv", rows, header=header), "2024-01", db=db)
    import_file(long_csv(tmp_path / "k.csv", FIGURES), db)
    catalog = load_catalog(write_catalog(tmp_path / "katalog.xlsx"))
    block = build_report(catalog, "2024-01", db=db, suppress=0).kostra
    assert block.municipality == "0712" and dump(block.indicators[0].regions[0]) == \
        LARVIK_COST
    rows.append(["3", "TT-kort", "01.01.2024", "0709"])  # two municipalities: say which
    ingest_file(write_csv(tmp_path / "jan.csv", rows, header=header), "2024-01", db=db)
    assert build_report(catalog, "2024-01", db=db, suppress=0).kostra is None


def test_report_json_carries_it_and_matches_the_schema(store, tmp_path) -> None:
    db, _ = store
    catalog = tmp_path / "katalog.xlsx"
    from small import write_catalog

    write_catalog(catalog)
    out = tmp_path / "rapport"
    done = CliRunner().invoke(app, ["report", "--period", "2024-01", "--catalog", str(catalog),
                                    "--db", str(db), "--out", str(out), "--format", "json",
                                    "--municipality", "0712"])
    assert done.exit_code == 0, done.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, report_schema())
    assert data["kostra"]["municipality"] == "0712"
    assert data["kostra"]["indicators"][0]["regions"][0] == LARVIK_COST


def test_the_dashboard_shows_an_import_made_while_it_runs(store, tmp_path) -> None:
    from fastapi.testclient import TestClient

    from innsatstrapp.web import create_app

    db, _ = store
    from small import write_catalog

    client = TestClient(create_app(db, write_catalog(tmp_path / "katalog.xlsx"), suppress=0,
                                   municipality="0712"), base_url="http://127.0.0.1")
    first = client.get("/rapport.json?periode=2024-01").json()["kostra"]
    assert [i["indicator"] for i in first["indicators"]] == [COST, SHARE]
    import_file(wide_csv(tmp_path / "ny.csv", [("Ny", "0712", "Larvik", "2019", 1.5)]), db)
    after = client.get("/rapport.json?periode=2024-01").json()["kostra"]
    assert [i["indicator"] for i in after["indicators"]] == [COST, SHARE, "Ny"]


def test_a_municipality_without_figures_is_said(store, tmp_path) -> None:
    from small import write_catalog

    db, _ = store
    done = CliRunner().invoke(app, ["report", "--period", "2024-01", "--catalog",
                                    str(write_catalog(tmp_path / "k.xlsx")), "--db", str(db),
                                    "--out", str(tmp_path / "r"), "--format", "json",
                                    "--municipality", "07I2"], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    assert "Merk: KOSTRA-tallene i lageret har ingen tall for kommune 07I2" in done.stdout

