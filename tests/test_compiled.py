"""The report's queries compiled to SQL once and kept in the store: a later process runs
them with DuckDB alone (no Ibis), gets the same rows, and another code, Ibis or DuckDB
version compiles again."""

from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pytest

from helpers import heavy_modules_after_build
from innsatstrapp.catalog import load_catalog
from innsatstrapp.metrics import build_reports, compiled
from innsatstrapp.store import Store


def rows(db: Path, catalog_file: Path, sql: dict | None) -> tuple[dict, dict]:
    with Store.open(db, read_only=True) as s:
        compiled.register(s.con, load_catalog(catalog_file), ["2024-01", "2023-12"],
                          ["2024-01"], ["2024-01"], [("2024-01", "2023-12")])
        return compiled.run(s.con, sql, True)


def test_kept_statements_give_the_same_rows(two_months) -> None:
    db, catalog_file = two_months
    fresh, sql = rows(db, catalog_file, None)
    assert set(sql) == {*compiled.TABLES, *compiled.QUERIES}
    assert fresh["headline"] and fresh["matrix"]  # something to compare
    again, same = rows(db, catalog_file, sql)
    assert same == sql
    def norm(r):
        return {k: sorted(map(repr, v)) for k, v in r.items()}
    assert norm(again) == norm(fresh)


def test_a_report_keeps_them_and_a_later_process_needs_no_ibis(two_months) -> None:
    db, catalog_file = two_months
    build_reports(load_catalog(catalog_file), "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        assert compiled.load(s) is not None
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM published_reports")  # so the next report is built, not read
    con.close()
    assert heavy_modules_after_build(db, catalog_file, ["2023-12", "2024-01"]) == []


def test_other_versions_compile_again(two_months, monkeypatch) -> None:
    db, catalog_file = two_months
    build_reports(load_catalog(catalog_file), "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        assert compiled.load(s) is not None
        monkeypatch.setattr(compiled.duckdb, "__version__", "0.0.0")
        assert compiled.load(s) is None  # another DuckDB: not these statements


def test_a_damaged_set_is_compiled_again(two_months) -> None:
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    first = build_reports(catalog, "2024-01", db=db, suppress=0)
    with Store.open(db) as s:
        s.set_setting(compiled.key(), '{"headline": "SELECT 1"}')  # not a whole set
        s.con.execute("DELETE FROM published_reports")
    with Store.open(db, read_only=True) as s:
        assert compiled.load(s) is None
    again = build_reports(catalog, "2024-01", db=db, suppress=0)
    assert again[None].headline == first[None].headline


def test_a_fresh_store_finds_them_in_the_users_cache(two_months, tmp_path) -> None:
    """Compiled once on this machine, a new store (the next municipality, a test store)
    runs them with DuckDB alone; the cache file holds statements only, no data."""
    import shutil

    from innsatstrapp.files import user_cache

    db, catalog_file = two_months
    spare = tmp_path / "kopi.duckdb"
    shutil.copy(db, spare)  # before any report: no statements in it
    build_reports(load_catalog(catalog_file), "2024-01", db=db)
    files = list(user_cache().glob("*.json"))
    assert len(files) == 1
    text = files[0].read_text(encoding="utf-8")
    assert "report_frame" in text and "HS ring 1" not in text  # no catalog, no data
    with Store.open(spare, read_only=True) as s:
        assert s.setting(compiled.key()) is None and compiled.load(s) is not None
    assert heavy_modules_after_build(spare, catalog_file, ["2023-12", "2024-01"]) == []


def test_a_damaged_or_unwritable_cache_is_passed_by(two_months, tmp_path, monkeypatch
                                                     ) -> None:
    from innsatstrapp.files import user_cache

    db, catalog_file = two_months
    folder = user_cache()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{compiled.key().removeprefix('sql:')}.json").write_text("{ikke json",
                                                                        encoding="utf-8")
    with Store.open(db, read_only=True) as s:
        assert compiled.load(s) is None  # compiled again, not a crash
    blocked = tmp_path / "fil"
    blocked.write_text("x", encoding="utf-8")
    monkeypatch.setenv("INNSATSTRAPP_CACHE", str(blocked / "cache"))  # under a file
    reports = build_reports(load_catalog(catalog_file), "2024-01", db=db)
    assert reports[None].period == "2024-01"
    with Store.open(db, read_only=True) as s:
        assert compiled.load(s) is not None  # the store kept them all the same


def test_a_store_named_with_a_quote_runs_its_kept_statements(two_months, tmp_path) -> None:
    """The kept statements run over a scratch database with the store's own catalog on the
    search path, its name quoted: a file named `a"b.duckdb` (or with spaces) works too."""
    import shutil

    db, catalog_file = two_months
    for name in ('a"b.duckdb', "mitt lager.duckdb"):
        copy = tmp_path / name
        shutil.copy(db, copy)
        first, sql = rows(copy, catalog_file, None)
        again, _ = rows(copy, catalog_file, sql)  # kept: side by side
        assert {k: sorted(map(repr, v)) for k, v in again.items()} == \
            {k: sorted(map(repr, v)) for k, v in first.items()}


def test_the_engines_threads_are_set_back_after_the_queries(two_months) -> None:
    """The queries run on one thread each (`SET threads = 1`, a setting of the whole engine):
    afterwards, and after a query that fails, the engine has the threads it had."""
    db, catalog_file = two_months
    _, sql = rows(db, catalog_file, None)
    with Store.open(db, read_only=True) as s:
        s.con.execute("SET threads = 3")
        compiled.register(s.con, load_catalog(catalog_file), ["2024-01", "2023-12"],
                          ["2024-01"], ["2024-01"], [("2024-01", "2023-12")])
        kept, _ = compiled.run(s.con, sql, True)
        assert kept["headline"]
        assert s.con.execute("SELECT current_setting('threads')").fetchone()[0] == 3
        broken = {**sql, "totals": "SELECT no_such_column FROM report_frame"}
        with pytest.raises(duckdb.Error):
            compiled.run(s.con, broken, True)
        assert s.con.execute("SELECT current_setting('threads')").fetchone()[0] == 3
        # the scratch database of the run is gone too
        assert [r[0] for r in s.con.execute("SELECT database_name FROM duckdb_databases() "
                                            "WHERE database_name LIKE 'report_run_%'").fetchall()
                ] == []


def test_two_runs_at_once_leave_the_engine_its_threads(two_months) -> None:
    """Every opening of the same store in a process shares its engine, and so the setting:
    two runs at once (two dashboards, a caller's threads) must not leave it at 1."""
    db, catalog_file = two_months
    _, sql = rows(db, catalog_file, None)
    catalog = load_catalog(catalog_file)
    with Store.open(db, read_only=True) as held:
        held.con.execute("SET threads = 2")
        for _ in range(12):
            start = threading.Barrier(2)

            def one(start: threading.Barrier = start) -> None:
                with Store.open(db, read_only=True) as s:
                    compiled.register(s.con, catalog, ["2024-01", "2023-12"], ["2024-01"],
                                      ["2024-01"], [("2024-01", "2023-12")])
                    start.wait()
                    compiled.run(s.con, sql, True)

            workers = [threading.Thread(target=one) for _ in range(2)]
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            assert held.con.execute("SELECT current_setting('threads')").fetchone()[0] == 2


def test_counts_are_made_only_for_the_periods_asked(two_months) -> None:
    """A pair needs the month before in the frame (its persons), not its counts, which are
    kept: with `counts`, the count queries give that month's rows alone, the very rows a run
    over both gives it, and the pair's movement is the same."""
    db, catalog_file = two_months
    both, sql = rows(db, catalog_file, None)
    with Store.open(db, read_only=True) as s:
        compiled.register(s.con, load_catalog(catalog_file), ["2024-01", "2023-12"],
                          ["2024-01"], ["2024-01"], [("2024-01", "2023-12")],
                          counts=["2024-01"])
        one, _ = compiled.run(s.con, sql, True)
    counts = ("levels", "headline", "steps", "groups", "services", "totals")
    assert all({r["period"] for r in both[q]} == {"2024-01", "2023-12"} for q in counts)
    for q in compiled.QUERIES:
        expected = [r for r in both[q] if q not in counts or r["period"] == "2024-01"]
        assert sorted(map(repr, one[q])) == sorted(map(repr, expected)), q


def test_the_order_they_start_in_names_every_query_once() -> None:
    """Side by side, the queries start longest first (`LONGEST_FIRST`); a query it left
    out could not be sorted, one it named twice would say nothing of the others' order."""
    assert sorted(compiled.LONGEST_FIRST) == sorted(compiled.QUERIES)
    assert len(set(compiled.LONGEST_FIRST)) == len(compiled.LONGEST_FIRST)
