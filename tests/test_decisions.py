"""Suppression decisions kept in the store: made once, reused by every later process,
dropped when a month is re-ingested or the catalog changes; ingest decides its month when
given the catalog, and waits for a store another program is reading."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from helpers import write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.cli import app
from innsatstrapp.errors import StoreError
from innsatstrapp.ingest import ingest_file
from innsatstrapp.metrics import build_report, kept, publish
from innsatstrapp.model.base import dump
from innsatstrapp.store import Store
from innsatstrapp.store.schema import SCHEMA_VERSION
from small import DECEMBER, HEADER, JANUARY, STEPS, write_catalog


def stored(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(con.execute("SELECT period, before, catalog_sha256, threshold "
                                  "FROM disclosure_decisions").fetchall(),
                      key=lambda r: (r[0], r[1] or ""))
    finally:
        con.close()


def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: nothing in memory, and deciding anew is an error. Kept reports
    are not read (tests/test_kept.py has them), so the decisions are."""
    publish._CACHE.clear()
    monkeypatch.setattr(kept, "load", lambda store, k, found=None: None)

    def refuse(*args, **kwargs):
        raise AssertionError("decided again instead of reading the store")

    monkeypatch.setattr(publish, "decide_period", refuse)
    monkeypatch.setattr(publish, "decide_pair", refuse)


def test_a_decision_is_kept_and_the_next_process_reads_it(two_months, monkeypatch) -> None:
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    first = dump(build_report(catalog, "2024-01", db=db), exclude=["provenance"])
    rows = stored(db)
    assert [(p, b) for p, b, _, _ in rows] == [("2023-12", None), ("2024-01", None),
                                              ("2024-01", "2023-12")]
    assert {(c, n) for _, _, c, n in rows} == {(catalog.sha256, 5)}
    for decision in publish._CACHE.values():  # read back, tuples in keys too
        when = next(iter(decision))[0] if decision else "2024-01"
        assert publish.loads(when, publish.dumps(decision)) == decision
    fresh_process(monkeypatch)
    again = dump(build_report(catalog, "2024-01", db=db), exclude=["provenance"])
    assert again == first
    assert any(row["suppressed"] for row in again["steps"])  # there was something to keep


def test_a_reingested_month_drops_its_decisions_and_its_pairs(two_months, tmp_path) -> None:
    db, catalog_file = two_months
    build_report(load_catalog(catalog_file), "2024-01", db=db)
    ingest_file(write_csv(tmp_path / "jan2.csv", JANUARY[:-1], header=HEADER), "2024-01",
                db=db)
    assert [(p, b) for p, b, _, _ in stored(db)] == [("2023-12", None)]


def test_another_catalog_or_threshold_is_another_decision(two_months, tmp_path) -> None:
    db, catalog_file = two_months
    build_report(load_catalog(catalog_file), "2024-01", db=db)
    steps = [*STEPS[:-1], ["På tvers", 8, "", "nei"]]  # a changed catalog
    other = load_catalog(write_catalog(tmp_path / "ny.xlsx", steps=steps))
    build_report(other, "2024-01", db=db)
    assert {c for _, _, c, _ in stored(db)} == {other.sha256}  # the old catalog's are gone
    build_report(other, "2024-01", db=db, suppress=3)
    assert {n for _, _, _, n in stored(db)} == {3, 5}


def test_a_store_of_the_previous_schema_is_read_and_upgraded_by_the_next_write(
        two_months) -> None:
    db, catalog_file = two_months
    con = duckdb.connect(str(db))
    for table in ("disclosure_decisions", "published_reports", "settings", "kostra_figures",
                  "query_rows"):
        con.execute(f"DROP TABLE {table}")
    con.execute("UPDATE schema_info SET version = 1")
    con.close()
    with Store.open(db, read_only=True) as s:  # still readable
        assert s.version == 1 and s.decisions_for(["x"]) == {}
    build_report(load_catalog(catalog_file), "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        assert s.version == SCHEMA_VERSION
    assert len(stored(db)) == 3


def test_ingest_with_the_catalog_decides_its_month(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    catalog = write_catalog(tmp_path / "katalog.xlsx")
    runner = CliRunner()
    for period, rows in (("2023-12", DECEMBER), ("2024-01", JANUARY)):
        csv = write_csv(tmp_path / f"{period}.csv", rows, header=HEADER)
        result = runner.invoke(app, ["ingest", str(csv), "--period", period, "--db", str(db),
                                     "--catalog", str(catalog)], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
    assert "Skjuling avgjort (under 5) for 2024-01 og bevegelsene 2023-12–2024-01" in (
        result.stdout)
    assert [(p, b) for p, b, _, _ in stored(db)] == [("2023-12", None), ("2024-01", None),
                                                    ("2024-01", "2023-12")]


def test_the_store_remembers_the_catalog_for_the_next_ingest(tmp_path: Path,
                                                               monkeypatch) -> None:
    db = tmp_path / "s.duckdb"
    catalog = write_catalog(tmp_path / "katalog.xlsx")
    runner = CliRunner()

    def ingest(period: str, rows, *extra: str):
        csv = write_csv(tmp_path / f"{period}.csv", rows, header=HEADER)
        result = runner.invoke(app, ["ingest", str(csv), "--period", period, "--db", str(db),
                                     *extra], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        return " ".join(result.stdout.split())

    ingest("2023-12", DECEMBER, "--catalog", str(catalog))
    said = ingest("2024-01", JANUARY)  # no --catalog: the remembered one
    assert "Skjuling avgjort (under 5) for 2024-01 og bevegelsene 2023-12–2024-01 med " \
           "katalogen katalog.xlsx" in said
    assert [(p, b) for p, b, _, _ in stored(db)] == [("2023-12", None), ("2024-01", None),
                                                    ("2024-01", "2023-12")]
    # the dashboard's first view is ready: a new process builds nothing
    fresh_process(monkeypatch)
    monkeypatch.undo()
    from innsatstrapp.metrics import build

    monkeypatch.setattr(build, "_read", lambda *a: (_ for _ in ()).throw(AssertionError))
    reports = build.build_reports(load_catalog(catalog), "2024-01",
                                  history=["2023-12", "2024-01"], db=db)
    assert reports[None].period == "2024-01"
    # a remembered catalog that is gone: the month is stored, with a note
    catalog.unlink()
    said = ingest("2024-02", JANUARY)
    assert "Katalogen lageret husker" in said and "finnes ikke lenger" in said
    assert "Måneden er lagret" in said
    with Store.open(db, read_only=True) as s:
        assert s.extract("2024-02") is not None


HOLD = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
time.sleep(float(sys.argv[2]))
con.close()
"""


def hold(db: Path, seconds: float) -> subprocess.Popen:
    """Another program (like the dashboard) reading the store for a while."""
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(db), str(seconds)],
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "open"
    p.stdout.close()
    return p


def test_ingest_waits_for_a_store_another_program_reads(two_months, tmp_path: Path) -> None:
    db, _ = two_months
    reader = hold(db, 1.5)
    told = []
    start = time.monotonic()
    ingest_file(write_csv(tmp_path / "jan2.csv", JANUARY[:-1], header=HEADER), "2024-01",
                db=db, wait=30, waiting=lambda: told.append(True))
    assert told == [True] and time.monotonic() - start >= 1.0
    reader.wait()
    with Store.open(db, read_only=True) as s:
        assert s.extract("2024-01").rows == len(JANUARY) - 1


def test_a_kostra_import_waits_for_a_store_another_program_reads_and_says_so(
        two_months, tmp_path: Path) -> None:
    """`kostra import` waits as ingest does, and is told when the wait begins (the CLI shows
    its spinner then: before, it waited without a word)."""
    from innsatstrapp.kostra import import_file

    db, _ = two_months
    export = tmp_path / "kostra.csv"
    export.write_text('"region";"statistikkvariabel";"år";"12362: Nøkkeltall"\n'
                      '"0712 Larvik";"Andel brukere (prosent)";"2019";"29,8"\n',
                      encoding="utf-8-sig")
    reader = hold(db, 1.5)
    told = []
    start = time.monotonic()
    _, done = import_file(export, db, wait=30, waiting=lambda: told.append(True))
    assert told == [True] and time.monotonic() - start >= 1.0
    assert done.indicators == ("Andel brukere (prosent)",)
    reader.wait()


def test_ingest_gives_up_on_a_busy_store_with_a_clear_message(two_months, tmp_path) -> None:
    db, _ = two_months
    before = shutil.copy(db, tmp_path / "before.duckdb")
    reader = hold(db, 5)
    try:
        with pytest.raises(StoreError, match="er i bruk av et annet program") as e:
            ingest_file(write_csv(tmp_path / "jan2.csv", JANUARY[:-1], header=HEADER),
                        "2024-01", db=db, wait=0.5)
        assert e.value.busy
    finally:
        reader.kill()
        reader.wait()
    assert Path(before).read_bytes() == db.read_bytes()


def test_a_running_dashboard_shows_a_new_month_and_does_not_block_ingest(
        two_months, tmp_path: Path) -> None:
    from helpers import local_client as TestClient
    from innsatstrapp.web import create_app

    db, catalog = two_months
    client = TestClient(create_app(db, catalog))
    assert "Innsatstrappen – januar 2024" in client.get("/").text
    ingest_file(write_csv(tmp_path / "feb.csv", JANUARY, header=HEADER), "2024-02", db=db)
    page = client.get("/")  # the same server, no restart
    assert page.status_code == 200 and "Innsatstrappen – februar 2024" in page.text
    assert "sammenlignet med januar 2024" in page.text


def test_a_running_dashboard_shows_a_month_ingested_again(two_months, tmp_path: Path) -> None:
    from helpers import local_client as TestClient
    from innsatstrapp.web import create_app

    db, catalog = two_months
    client = TestClient(create_app(db, catalog))
    before = client.get("/rapport.json").json()
    assert before["period"] == "2024-01"
    time.sleep(1.1)  # another ingest time, to the second
    ingest_file(write_csv(tmp_path / "jan2.csv", JANUARY[:-1], header=HEADER), "2024-01",
                db=db)
    after = client.get("/rapport.json").json()  # the same server, no restart
    assert after["data_quality"]["rows"] == before["data_quality"]["rows"] - 1


def test_the_same_process_reading_while_it_writes_is_busy_not_broken(two_months) -> None:
    """The dashboard keeps what it built while one of its pages reads: a clash of modes in
    one process is «in use», tried again, never an error page."""
    db, _ = two_months
    with Store.open(db, read_only=True):
        with pytest.raises(StoreError, match="er i bruk") as e:
            Store.open(db, wait=0.3)
        assert e.value.busy


@pytest.mark.parametrize("cells", [
    # names and flat tuples of names: the typed decoder's way
    {(None, "steps", "Trinn 3", "services"), ("Sone A", "warnings", ("missing_hours", None),
                                              "count"),
     ("Sone A", "persons_by_level", ("80-84", "K", "Trinn 3"), "persons")},
    # a nested key and a number in one: the general way, the same tuples
    {(None, "matrix", (("ingen", "Trinn 1"), "x"), "persons"), ("Sone B", "levels", 3, "x")},
    set(),
])
def test_a_decision_reads_back_as_it_was_kept(cells) -> None:
    decision = frozenset(("2024-01", *c) for c in cells)
    assert publish.loads("2024-01", publish.dumps(decision)) == decision
    pair = frozenset((("2024-01", "2023-12"), *c) for c in cells)
    assert publish.loads(("2024-01", "2023-12"), publish.dumps(pair)) == pair
