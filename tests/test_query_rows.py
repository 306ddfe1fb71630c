"""The report queries' rows kept per period and pair: a view of many months queries only the
months and pairs not seen before, and its figures are the very ones of a view that queried
every month."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from innsatstrapp.catalog.template import write_template
from innsatstrapp.demo import demo_catalog
from innsatstrapp.demo.extracts import write_extracts
from innsatstrapp.ingest import ingest_file
from innsatstrapp.metrics import build, compiled, publish
from innsatstrapp.metrics import rows as kept_rows
from innsatstrapp.metrics.build import decide_all, published
from innsatstrapp.model.base import dump


def figures(reports: dict) -> dict:
    """Every figure as report.json writes it (its text: 12 and 12.0 differ), the time it was
    generated apart."""
    return {u: json.dumps({**dump(r), "provenance": dump(r.provenance,
                                                         exclude=["generated_at"])})
            for u, r in reports.items()}


def kept(db: Path) -> list[tuple[str, str | None]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute("SELECT period, before FROM query_rows").fetchall(),
                      key=repr)
    finally:
        con.close()


def forget_rows(db: Path) -> None:
    con = duckdb.connect(str(db))
    try:
        con.execute("DELETE FROM query_rows")
        con.execute("DELETE FROM published_reports")
    finally:
        con.close()


@pytest.fixture(scope="module")
def months(tmp_path_factory) -> tuple[list[tuple[str, Path]], Path]:
    """Four months of the demo municipality (every unit) and its catalog."""
    folder = tmp_path_factory.mktemp("demo")
    files = [(str(p), f) for p, f in write_extracts(folder, seed=3, months=4)]
    catalog = folder / "katalog.xlsx"
    write_template(catalog, [], demo_catalog())
    return files, catalog


@pytest.fixture
def one_month(months, tmp_path):
    """A store of the first month, its report built (its rows kept): (catalog, store,
    month)."""
    from innsatstrapp.catalog import load_catalog

    files, catalog_file = months
    catalog = load_catalog(catalog_file)
    db = tmp_path / "s.duckdb"
    period, path = files[0]
    ingest_file(path, period, db=db)
    published(catalog, period, db=db)
    assert len(kept(db)) == 3
    publish._CACHE.clear()
    return catalog, db, period


def column(db: Path, sql: str) -> set:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r for (r,) in con.execute(sql).fetchall()}
    finally:
        con.close()


def queried(monkeypatch: pytest.MonkeyPatch) -> list[tuple]:
    """What each run of the queries was given: (periods, detail, ages, pairs, counts)."""
    runs: list[tuple] = []
    register = compiled.register

    def spy(con, catalog, periods, detail, ages, pairs, counts=None):
        runs.append((list(periods), list(detail), list(ages), list(pairs),
                     list(periods if counts is None else counts)))
        register(con, catalog, periods, detail, ages, pairs, counts)

    monkeypatch.setattr(compiled, "register", spy)
    return runs


def test_the_next_month_queries_only_itself_and_its_pair_with_the_same_figures(
        months, tmp_path, monkeypatch) -> None:
    from innsatstrapp.catalog import load_catalog

    files, catalog_file = months
    catalog = load_catalog(catalog_file)
    db = tmp_path / "s.duckdb"
    for period, path in files[:3]:
        ingest_file(path, period, db=db)
    decide_all(catalog, db=db)  # the first view of three months, every row kept
    first = [p for p, _ in files[:3]]
    assert kept(db) == sorted([*((p, None) for p in first for _ in range(3)),
                               *zip(first[1:], first[:-1], strict=True)], key=repr)
    ingest_file(files[3][1], files[3][0], db=db)
    copy = tmp_path / "copy.duckdb"
    shutil.copy(db, copy)
    shutil.copy(db.with_suffix(".key"), copy.with_suffix(".key"))
    forget_rows(copy)
    every = [p for p, _ in files]
    publish._CACHE.clear()

    runs = queried(monkeypatch)
    view = published(catalog, every[-1], history=every, db=db)
    new, last = every[-1], every[-2]
    # the new month's counts, details and persons by age, and its pair (which joins the
    # month before's persons, but not its counts, which are kept)
    assert runs == [([new, last], [new], [new], [(new, last)], [new])]
    runs.clear()
    again = published(catalog, every[-1], history=every, db=copy)
    # no rows kept: every month queried, with its counts
    assert runs and sorted(runs[0][0]) == every and sorted(runs[0][4]) == every
    assert figures(view) == figures(again)

    # the month read again: its rows and its pair's go (its figures may differ now)
    ingest_file(files[3][1], new, db=db)
    assert kept(db) == sorted([*((p, None) for p in first for _ in range(3)),
                               *zip(first[1:], first[:-1], strict=True)], key=repr)


def test_an_edited_catalog_reads_its_own_rows_and_replaces_the_others(
        one_month, monkeypatch) -> None:
    import dataclasses

    catalog, db, period = one_month
    runs = queried(monkeypatch)
    # the same services on the same steps from another file: the rows are read
    published(dataclasses.replace(catalog, file_name="kopi.xlsx", sha256="another"), period,
              db=db)
    assert runs == []
    # a service moved to another group: the month is queried again, and its old rows go
    first = catalog.mapped[0]
    moved = dataclasses.replace(catalog, sha256="edited", services=tuple(
        dataclasses.replace(s, group="Ny gruppe") if s is first else s
        for s in catalog.services))
    publish._CACHE.clear()
    published(moved, period, db=db)
    assert runs and runs[0][0] == [period]
    assert len(column(db, "SELECT catalog FROM query_rows")) == 1 and len(kept(db)) == 3


def test_rows_made_by_other_statements_are_not_read_and_go_when_new_are_kept(
        one_month, monkeypatch) -> None:
    catalog, db, period = one_month
    forget = duckdb.connect(str(db))
    forget.execute("DELETE FROM published_reports")
    forget.close()
    monkeypatch.setattr(compiled, "key", lambda: "sql:another")
    runs = queried(monkeypatch)
    build.published(catalog, period, db=db)
    assert runs and runs[0][0] == [period]  # the old rows were not read
    assert column(db, "SELECT code FROM query_rows") == {"sql:another"}


def test_every_query_is_of_one_kind() -> None:
    names = [n for kind in kept_rows.KINDS.values() for n in kind]
    assert sorted(names) == sorted(compiled.QUERIES) and len(set(names)) == len(names)
