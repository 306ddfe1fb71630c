"""The store: schema versions, migrations, provenance, and errors as StoreError."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

import duckdb
import pytest

from helpers import write_csv
from innsatstrapp.errors import StoreError
from innsatstrapp.ingest import ingest_file
from innsatstrapp.store import Store
from innsatstrapp.store.schema import SCHEMA_VERSION


def test_new_store_records_its_schema_version_and_is_private(db: Path) -> None:
    with Store.open(db, create=True) as s:
        assert s.version == SCHEMA_VERSION
        assert s.periods() == []
    if os.name == "posix":
        assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_missing_store_is_not_created_by_readers(db: Path) -> None:
    with pytest.raises(StoreError, match="Finner ikke lageret"):
        Store.open(db, read_only=True)
    assert not db.exists()


def test_a_store_from_a_newer_version_is_refused(db: Path) -> None:
    with Store.open(db, create=True) as s:
        s.con.execute("UPDATE schema_info SET version = ?", [SCHEMA_VERSION + 1])
    with pytest.raises(StoreError, match="nyere versjon"):
        Store.open(db)


def test_an_old_store_is_migrated_on_open(db: Path) -> None:
    con = duckdb.connect(str(db))  # version 0: a file with no tables
    con.close()
    with Store.open(db) as s:
        assert s.version == SCHEMA_VERSION


def test_not_a_duckdb_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.duckdb"
    bad.write_text("dette er ikke en database")
    with pytest.raises(StoreError, match="er ikke et innsatstrapp-lager"):
        Store.open(bad)


def test_periods_are_listed_in_order_with_provenance(tmp_path: Path, db: Path) -> None:
    f = write_csv(tmp_path / "x.csv", [["1", "TT-kort", "01.01.2024"],
                                       ["2", "TT-kort", "01.01.2024"]],
                  header=["Løpenr", "Tjeneste", "Fra dato"])
    for p in ("2024-03", "2024-01", "2024-02"):
        ingest_file(f, p, db=db)
    with Store.open(db) as s:
        assert [x.period for x in s.periods()] == ["2024-01", "2024-02", "2024-03"]
        assert {(x.rows, x.persons, x.file_name) for x in s.periods()} == {(2, 2, "x.csv")}
        assert s.service_rows("2024-02") == [("TT-kort", 2)]
        assert s.delete_period("2024-02") and not s.delete_period("2024-02")
        assert [x.period for x in s.periods()] == ["2024-01", "2024-03"]


def test_require_names_what_is_stored(tmp_path) -> None:
    """One error for a period the store does not hold, wherever it is asked."""
    import datetime as dt

    import pytest

    from innsatstrapp.errors import MetricError, UnknownPeriod
    from innsatstrapp.store import ExtractInfo, require

    info = ExtractInfo("2024-01", dt.date(2024, 1, 31), "x.csv", "0" * 64, "csv", 1, 1, (),
                       dt.datetime(2024, 2, 1), "t")
    assert require({"2024-01": info}, "2024-01") is info
    with pytest.raises(UnknownPeriod) as e:
        require({"2024-01": info}, "2024-02", "s.duckdb")
    assert str(e.value) == ("Perioden 2024-02 finnes ikke i lageret s.duckdb. Lagrede "
                            "perioder: 2024-01.")
    assert isinstance(e.value, MetricError) and e.value.stored == ["2024-01"]
    assert str(UnknownPeriod("2024-02", [])) == ("Perioden 2024-02 finnes ikke i lageret. "
                                                 "Lagrede perioder: ingen.")


def test_ingest_leaves_no_view_in_the_store(tmp_path: Path, db: Path) -> None:
    """The decisions reach the store through a view of the connection only: nothing of the
    handing over (the private folder's path) is kept in the store file."""
    rows = [["1", "TT-kort", "01.01.2024"], ["2", "TT-kort", "01.01.2024"]]
    ingest_file(write_csv(tmp_path / "a.csv", rows, header=["Løpenr", "Tjeneste", "Fra dato"]),
                "2024-01", db=db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM duckdb_views() WHERE NOT internal"
                           ).fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM decisions").fetchone() == (2,)
    finally:
        con.close()


def _attached_files() -> list[str]:
    """The files attached to the process's DuckDB instance now."""
    from innsatstrapp.store import attached

    if attached._instance is None:
        return []
    return [p for (p,) in attached._instance.execute(
        "SELECT path FROM duckdb_databases() WHERE path IS NOT NULL").fetchall()]


def test_openings_of_one_store_share_its_attachment_and_the_last_closing_detaches(
        db: Path) -> None:
    with Store.open(db, create=True) as s:
        s.con.execute("CREATE TABLE t AS SELECT 1 AS x")
    assert not Path(f"{db}.wal").exists()  # the closing checkpointed it
    a = Store.open(db, read_only=True)
    b = Store.open(db, read_only=True)
    try:
        assert _attached_files() == [str(db.resolve())]
        a.close()
        assert b.con.execute("SELECT x FROM t").fetchall() == [(1,)]  # b still reads
    finally:
        b.close()
    assert _attached_files() == []
    con = duckdb.connect(str(db))  # the file is free for another instance (or program)
    con.close()


def test_a_store_open_here_in_the_other_mode_is_waited_for(db: Path) -> None:
    import threading

    Store.open(db, create=True).close()
    reader = Store.open(db, read_only=True)
    with pytest.raises(StoreError, match="er i bruk") as caught:
        Store.open(db)
    assert caught.value.busy
    threading.Timer(0.3, reader.close).start()
    with Store.open(db, wait=5) as writer:  # opens once the reader has let go
        writer.con.execute("CREATE TABLE t AS SELECT 1 AS x")
    with Store.open(db, read_only=True) as again:
        assert again.con.execute("SELECT x FROM t").fetchall() == [(1,)]


@pytest.mark.parametrize("keep", [5_000, 20_000])
def test_a_store_cut_short_is_said_to_be_damaged(tmp_path: Path, db: Path, keep: int) -> None:
    ingest_file(write_csv(tmp_path / "x.csv", [["1", "TT-kort", "01.01.2024", "", "1,5", "x"]]),
                "2024-01", db=db)
    data = db.read_bytes()
    assert len(data) > keep
    db.write_bytes(data[:keep])  # a copy or a disk that stopped early
    with pytest.raises(StoreError, match="det ser ut til å være skadet"):
        Store.open(db, read_only=True)


def test_a_store_opened_by_a_relative_path_is_let_go_from_another_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store.open(Path("s.duckdb"), create=True)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    store.close()
    assert _attached_files() == []
    with Store.open(tmp_path / "s.duckdb", read_only=True) as again:  # in either mode
        assert again.periods() == []


def test_the_threads_setting_shares_the_instance_safely_with_openings(tmp_path: Path) -> None:
    """`attached.threads` runs its statements on the instance's shared connection, as opening
    and closing a store do (ATTACH, DETACH): it takes their lock, so neither sees the other's
    result, and the setting is back as it was after."""
    import threading

    from innsatstrapp.store import attached

    failed: list[str] = []
    stop = threading.Event()

    def open_and_close(k: int) -> None:
        while not stop.is_set():
            # (openings of one file racing each other is not what this tests)
            with contextlib.suppress(StoreError), Store.open(tmp_path / f"s{k}.duckdb",
                                                             create=True):
                pass

    (before,) = attached._root().execute("SELECT current_setting('threads')").fetchone()
    others = [threading.Thread(target=open_and_close, args=(k,)) for k in range(2)]
    for t in others:
        t.start()
    try:
        for _ in range(3000):
            try:
                with attached.threads(1):
                    pass
            except Exception as exc:  # any failure is the finding
                failed.append(repr(exc))
    finally:
        stop.set()
        for t in others:
            t.join()
    assert failed == []
    assert attached._root().execute("SELECT current_setting('threads')").fetchone() == (before,)


_LEFT_OPEN = """
import sys
from pathlib import Path
from innsatstrapp.store import Store
store = Store.open(Path(sys.argv[1]), create=True)
store.con.execute("CREATE TABLE t AS SELECT 42 AS x")
if sys.argv[2] == "close":
    store.close()
import atexit, os
atexit._run_exitfuncs()  # and then no interpreter teardown, as the command ends (cli._exit)
os._exit(0)
"""


@pytest.mark.parametrize("how", ["close", "left open"])
def test_at_exit_a_store_still_attached_is_checkpointed(db: Path, how: str) -> None:
    """A process that ends with a store still open closes the instance, which checkpoints
    it (its write-ahead log folded in); one whose openings were closed needs no closing of
    the instance, and the store is whole either way."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", _LEFT_OPEN, str(db), how], check=True)
    assert not Path(f"{db}.wal").exists()
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT x FROM t").fetchall() == [(42,)]
    finally:
        con.close()


_PREPARED = """
import sys, threading
import duckdb
from innsatstrapp.store import attached
made, real = [], duckdb.connect

def connect(*args, **kwargs):
    made.append(threading.current_thread().name)
    if sys.argv[1] == "fails":
        raise duckdb.IOException("ingen plass")
    return real(*args, **kwargs)

duckdb.connect = connect
attached.prepare()
for t in threading.enumerate():
    if t.name == "innsatstrapp-engine":
        t.join()
if sys.argv[1] == "works":
    attached.prepare()  # made: nothing more to do
try:
    con, alias = attached.memory()
    print(con.execute("SELECT 42").fetchone()[0], made)
except duckdb.IOException as exc:
    print("raised", exc, made)
"""


@pytest.mark.parametrize("how", ["works", "fails"])
def test_an_instance_made_beside_is_the_one_the_first_opening_uses(how: str) -> None:
    """`prepare` makes the instance on a thread of its own, once; one that fails there is
    made again by the first opening, which says why."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", _PREPARED, how], check=True,
                          capture_output=True, text=True)
    expected = {"works": "42 ['innsatstrapp-engine']",
                "fails": "raised ingen plass ['innsatstrapp-engine', 'MainThread']"}[how]
    assert done.stdout.strip() == expected


def test_a_process_that_ends_while_the_instance_is_made_ends_as_it_says() -> None:
    """Ending the process while `prepare`'s thread is inside DuckDB waits for it (ending
    the thread there aborted the process), whichever way the process ends."""
    import subprocess
    import sys

    for end in ("sys.exit(3)", "raise SystemExit(3)",
                "from innsatstrapp.cli import _exit; _exit(3)"):
        done = subprocess.run([sys.executable, "-c", "import sys\n"
                               "from innsatstrapp.store import attached\n"
                               f"attached.prepare()\n{end}"], capture_output=True, text=True)
        assert (done.returncode, done.stderr) == (3, ""), end
