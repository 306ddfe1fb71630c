"""The report's queries compiled to SQL once and kept in the store: a later process runs
them with DuckDB alone (no Ibis), gets the same rows, and another code, Ibis or DuckDB
version compiles again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from helpers import write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.ingest import ingest_file
from innsatstrapp.metrics import build_reports, compiled
from innsatstrapp.store import Store
from small import DECEMBER, HEADER, JANUARY, write_catalog


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "s.duckdb"
    ingest_file(write_csv(tmp_path / "des.csv", DECEMBER, header=HEADER), "2023-12", db=db)
    ingest_file(write_csv(tmp_path / "jan.csv", JANUARY, header=HEADER), "2024-01", db=db)
    return db, write_catalog(tmp_path / "katalog.xlsx")


def rows(db: Path, catalog_file: Path, sql: dict | None) -> tuple[dict, dict]:
    with Store.open(db, read_only=True) as s:
        compiled.register(s.con, load_catalog(catalog_file), ["2024-01", "2023-12"],
                          ["2024-01"], ["2024-01"], [("2024-01", "2023-12")])
        return compiled.run(s.con, sql, True)


def test_kept_statements_give_the_same_rows(store) -> None:
    db, catalog_file = store
    fresh, sql = rows(db, catalog_file, None)
    assert set(sql) == {*compiled.TABLES, *compiled.QUERIES}
    assert fresh["headline"] and fresh["matrix"]  # something to compare
    again, same = rows(db, catalog_file, sql)
    assert same == sql
    def norm(r):
        return {k: sorted(map(repr, v)) for k, v in r.items()}
    assert norm(again) == norm(fresh)


def test_a_report_keeps_them_and_a_later_process_needs_no_ibis(store) -> None:
    db, catalog_file = store
    build_reports(load_catalog(catalog_file), "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        assert compiled.load(s) is not None
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM published_reports")  # so the next report is built, not read
    con.close()
    code = ("import sys\n"
            "from innsatstrapp.catalog import load_catalog\n"
            "from innsatstrapp.metrics import build_reports\n"
            f"r = build_reports(load_catalog({str(catalog_file)!r}), '2024-01', "
            f"history=['2023-12', '2024-01'], db={str(db)!r})\n"
            "assert r[None].history is not None and r[None].transitions is not None\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'ibis', 'pandas'}))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


def test_other_versions_compile_again(store, monkeypatch) -> None:
    db, catalog_file = store
    build_reports(load_catalog(catalog_file), "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        assert compiled.load(s) is not None
        monkeypatch.setattr(compiled.duckdb, "__version__", "0.0.0")
        assert compiled.load(s) is None  # another DuckDB: not these statements


def test_a_damaged_set_is_compiled_again(store) -> None:
    db, catalog_file = store
    catalog = load_catalog(catalog_file)
    first = build_reports(catalog, "2024-01", db=db, suppress=0)
    with Store.open(db) as s:
        s.set_setting(compiled.key(), '{"headline": "SELECT 1"}')  # not a whole set
        s.con.execute("DELETE FROM published_reports")
    with Store.open(db, read_only=True) as s:
        assert compiled.load(s) is None
    again = build_reports(catalog, "2024-01", db=db, suppress=0)
    assert again[None].headline == first[None].headline
