"""Published reports kept in the store: the next process that asks for the same set reads
it (no queries, no Ibis), and anything the set rests on changing gives another."""

from __future__ import annotations

import json
import re
import threading
import zlib
from pathlib import Path

import duckdb
import pytest

from helpers import heavy_modules_after_build, write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.ingest import ingest_file
from innsatstrapp.metrics import build, build_reports, keeping, kept, publish
from innsatstrapp.model.base import dump
from innsatstrapp.store import Store
from small import HEADER, JANUARY, SERVICES, STEPS, write_catalog


def kept_sets(db: Path) -> list[list[str]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return sorted(r[0] for r in con.execute(
            "SELECT periods FROM published_reports").fetchall())
    finally:
        con.close()


def figures(reports: dict) -> dict:
    """Every figure as report.json writes it (its text: 12 and 12.0 differ), the time it was
    generated apart."""
    return {u: json.dumps({**dump(r), "provenance": dump(r.provenance,
                                                         exclude=["generated_at"])})
            for u, r in reports.items()}


def no_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("queried the store instead of reading the kept reports")

    publish._CACHE.clear()
    monkeypatch.setattr(build, "_read", refuse)


def test_a_set_is_kept_and_read_back_equal(two_months, monkeypatch) -> None:
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    first = build_reports(catalog, "2024-01", history=["2023-12", "2024-01"], db=db)
    assert kept_sets(db) == [["2023-12", "2024-01"]]
    no_queries(monkeypatch)
    again = build_reports(catalog, "2024-01", history=["2023-12", "2024-01"], db=db)
    assert list(again) == list(first) and figures(again) == figures(first)
    # generated now, from the kept figures
    assert again[None].provenance.generated_at >= first[None].provenance.generated_at


def test_another_catalog_threshold_or_view_is_another_set(two_months, tmp_path, monkeypatch
                                                          ) -> None:
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    build_reports(catalog, "2024-01", db=db)
    build_reports(catalog, "2024-01", db=db, suppress=3)
    build_reports(catalog, "2024-01", db=db, history=["2023-12", "2024-01"])
    build_reports(catalog, "2023-12", db=db)
    assert len(kept_sets(db)) == 4
    steps = [row if row[0] != "Trinn 5" else ["Trinn 5", 5, "Heldøgn", "ja"] for row in STEPS]
    other = load_catalog(write_catalog(tmp_path / "annen.xlsx", steps=steps))
    assert other.sha256 != catalog.sha256
    no_queries(monkeypatch)
    with pytest.raises(AssertionError, match="queried"):
        build_reports(other, "2024-01", db=db)


def test_a_reingested_period_takes_its_sets_along(two_months, tmp_path, monkeypatch) -> None:
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    before = build_reports(catalog, "2024-01", db=db)[None]
    build_reports(catalog, "2023-12", db=db, compare=None)
    assert len(kept_sets(db)) == 2
    # January again, one decision fewer
    ingest_file(write_csv(tmp_path / "jan2.csv", JANUARY[1:], header=HEADER), "2024-01",
                db=db)
    assert kept_sets(db) == [["2023-12"]]  # the December-only set stays
    after = build_reports(catalog, "2024-01", db=db)[None]
    assert after.data_quality.rows == before.data_quality.rows - 1


@pytest.mark.parametrize("body", [b"not zlib", zlib.compress(b'[[null, {"period": 1}]]'),
                                  zlib.compress(b"[[null, {")])
def test_a_damaged_set_is_built_again(two_months, body: bytes) -> None:
    """Not compressed, not a report (a wrong type, a field missing), or cut off."""
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    first = build_reports(catalog, "2024-01", db=db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE published_reports SET body = ?", [body])
    con.close()
    publish._CACHE.clear()
    assert figures(build_reports(catalog, "2024-01", db=db)) == figures(first)


def test_a_report_of_one_scope_is_a_set_of_its_own(two_months, monkeypatch) -> None:
    """`build_report` assembles the scope asked for alone, with the statuses the whole set
    gives it; what it keeps is never read back as the whole set."""
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    assembled: list = []
    from innsatstrapp.metrics import assemble

    original = assemble.report
    monkeypatch.setattr(assemble, "report", lambda *a: assembled.append(a[-1]) or original(*a))
    one = build.build_report(catalog, "2024-01", db=db, unit="Sone 1")
    # the decisions of the two months (the month and the one it is compared with) assemble
    # every unit twice (without and with the primary rule): 2 × 2 × 5 scopes; the published
    # reports only the one asked for
    assert sorted(assembled, key=str) == sorted([*[None, "Sone 1", "Sone 2", "Sykehjem", ""]
                                                 * 4, "Sone 1"], key=str)
    assert kept_sets(db) == [["2023-12", "2024-01"]]
    whole = build_reports(catalog, "2024-01", db=db)  # not the part: built, and kept beside
    assert set(whole) == {None, "Sone 1", "Sone 2", "Sykehjem", ""}
    assert figures({"Sone 1": one}) == figures({"Sone 1": whole["Sone 1"]})
    assert len(kept_sets(db)) == 2
    no_queries(monkeypatch)  # from now on, kept sets only: the whole one serves every scope
    assert figures({None: build.build_report(catalog, "2024-01", db=db)}) == figures(
        {None: whole[None]})
    assert figures({"Sone 1": build.build_report(catalog, "2024-01", db=db, unit="Sone 1")}
                   ) == figures({"Sone 1": one})


def test_a_scope_not_in_the_month_is_said_with_those_that_are(two_months) -> None:
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    said = re.escape("«Sone 9» finnes ikke i uttrekket for 2024-01. Enheter: Sone 1, Sone 2, "
                     "Sykehjem, uten-enhet.")
    with pytest.raises(build.MetricError, match=said):
        build.build_report(catalog, "2024-01", db=db, unit="Sone 9")
    build_reports(catalog, "2024-01", db=db)  # the whole set kept: the same from it
    with pytest.raises(build.MetricError, match=said):
        build.build_report(catalog, "2024-01", db=db, unit="Sone 9")


def test_beside_what_the_caller_asks_starts_as_the_queries_do(two_months, tmp_path,
                                                             monkeypatch) -> None:
    """`keeping_beside(meanwhile)`: called once per block, by the first build that queries,
    as its queries begin, or that finds its set kept, before it unpacks it."""
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    seen: list[str] = []
    real_run, real_decode = build.compiled.run, kept.load_json
    monkeypatch.setattr(build.compiled, "run",
                        lambda *a, **k: (seen.append("queries"), real_run(*a, **k))[1])
    monkeypatch.setattr(kept, "load_json",
                        lambda *a, **k: (seen.append("unpacked"), real_decode(*a, **k))[1])
    with keeping.keeping_beside(lambda: seen.append("meanwhile")):
        build_reports(catalog, "2024-01", db=db)
    assert seen == ["meanwhile", "queries"]
    seen.clear()
    publish._CACHE.clear()
    services = [r if r[0] != "Alarm mobil" else ["Alarm mobil", "Mobil", "Grunnmur", ""]
                for r in SERVICES]  # a service in another group: other rows to query
    other = load_catalog(write_catalog(tmp_path / "annen.xlsx", services=services))
    with keeping.keeping_beside(lambda: seen.append("meanwhile")):
        build_reports(catalog, "2024-01", db=db)  # kept: found, then unpacked
        build_reports(other, "2024-01", db=db)  # another catalog: queried, not called again
    assert seen == ["meanwhile", "unpacked", "queries"]
    seen.clear()
    with keeping.keeping_beside(lambda: seen.append("meanwhile")), \
            pytest.raises(build.MetricError):
        build_reports(catalog, "2031-01", db=db)  # fails before either: never called
    assert seen == []


def test_only_the_newest_sets_are_kept(two_months, monkeypatch) -> None:
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    monkeypatch.setattr(Store, "KEEP_PUBLISHED", 2)
    for n in (3, 4, 5):
        build_reports(catalog, "2024-01", db=db, suppress=n)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM published_reports").fetchone()[0] == 2
    con.close()


def test_a_process_that_finds_its_set_never_imports_ibis(two_months) -> None:
    db, catalog_file = two_months
    build_reports(load_catalog(catalog_file), "2024-01", db=db)
    assert heavy_modules_after_build(db, catalog_file) == []


def test_the_key_names_the_code(two_months, monkeypatch) -> None:
    """Another version of the code builds its own set."""
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    with Store.open(db, read_only=True) as s:
        extracts = {x.period: x for x in s.periods()}
    k = kept.key(catalog, 5, extracts, "2024-01", "2023-12", [])
    kept.code_fingerprint.cache_clear()
    monkeypatch.setattr(kept, "__version__", "0.0.0-other")
    try:
        assert kept.key(catalog, 5, extracts, "2024-01", "2023-12", []) != k
    finally:
        kept.code_fingerprint.cache_clear()


def test_the_code_fingerprint_reads_the_source_and_nothing_else(tmp_path) -> None:
    """Another line of code or of a template is another fingerprint; bytecode and other
    files are not read."""
    (tmp_path / "pkg" / "templates").mkdir(parents=True)
    (tmp_path / "pkg" / "a.py").write_text("x = 1\n")
    (tmp_path / "pkg" / "templates" / "page.html.j2").write_text("<p>{{ x }}</p>\n")
    first = kept.source_fingerprint(tmp_path)
    (tmp_path / "pkg" / "__pycache__").mkdir()
    (tmp_path / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"\0" * 40)
    (tmp_path / "pkg" / "notes.txt").write_text("not code")
    assert kept.source_fingerprint(tmp_path) == first
    (tmp_path / "pkg" / "templates" / "page.html.j2").write_text("<p>{{ y }}</p>\n")
    second = kept.source_fingerprint(tmp_path)
    (tmp_path / "pkg" / "a.py").write_text("x = 2\n")
    third = kept.source_fingerprint(tmp_path)
    (tmp_path / "pkg" / "a.py").rename(tmp_path / "pkg" / "b.py")  # the same code, renamed
    assert len({first, second, third, kept.source_fingerprint(tmp_path)}) == 4


def test_the_remembered_fingerprint_is_the_files_own(tmp_path, monkeypatch) -> None:
    """Kept in the user's cache under the files' names, sizes and times: the same as read
    from the files, read again when one changes, and read from the files when what is kept
    is damaged."""
    monkeypatch.setenv("INNSATSTRAPP_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "pkg"
    root.mkdir()
    (root / "a.py").write_text("x = 1\n")
    first = kept.source_fingerprint(root, remembered=True)
    assert first == kept.source_fingerprint(root)
    (kept_file,) = (tmp_path / "cache" / "code").iterdir()
    assert kept_file.read_text() == first
    kept_file.write_text("0" * 64)  # what is kept is read as it is while the files stay
    assert kept.source_fingerprint(root, remembered=True) == "0" * 64
    (root / "a.py").write_text("x = 2\n")
    second = kept.source_fingerprint(root, remembered=True)
    assert second == kept.source_fingerprint(root) != first
    for damaged in ("not a digest", "", "é" * 64):
        for f in (tmp_path / "cache" / "code").iterdir():
            f.write_text(damaged)
        assert kept.source_fingerprint(root, remembered=True) == second
    monkeypatch.setenv("INNSATSTRAPP_CACHE", str(root / "a.py"))  # no folder to be had
    assert kept.source_fingerprint(root, remembered=True) == second


def _broken(monkeypatch: pytest.MonkeyPatch, module: object, name: str, message: str) -> None:
    """`module.name` raises RuntimeError(message) whenever it is called."""
    def broken(*args, **kwargs):
        raise RuntimeError(message)

    monkeypatch.setattr(module, name, broken)


def _keeping() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "innsatstrapp-keep"]


def test_beside_the_build_returns_while_the_store_keeps(two_months, monkeypatch) -> None:
    """In a `keeping_beside` block (the report command's), the build returns while its set
    is being kept, and the block ends once it is; what is kept is what a build outside a
    block keeps."""
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    go, real = threading.Event(), kept.keep

    def held(*args, **kwargs):
        assert go.wait(30)
        real(*args, **kwargs)

    monkeypatch.setattr(kept, "keep", held)
    with keeping.keeping_beside():
        first = build_reports(catalog, "2024-01", db=db)
        assert len(_keeping()) == 1  # returned, the set not yet kept
        go.set()
    assert not _keeping()
    assert kept_sets(db) == [["2023-12", "2024-01"]]
    no_queries(monkeypatch)
    again = build_reports(catalog, "2024-01", db=db)
    assert figures(again) == figures(first)


def _held_keep(monkeypatch, seconds: float = 0.5) -> threading.Event:
    """kept.keep held until the event is set, which a timer does after `seconds`."""
    go, real = threading.Event(), kept.keep

    def held(*args, **kwargs):
        assert go.wait(30)
        real(*args, **kwargs)

    monkeypatch.setattr(kept, "keep", held)
    timer = threading.Timer(seconds, go.set)
    timer.daemon = True
    timer.start()
    return go


def test_a_block_that_fails_is_kept_all_the_same(two_months, monkeypatch) -> None:
    """A failure after the build (a file open in another program) still lets the keeping
    end before the block does, and the failure goes on: the store is never left to a thread
    the process forgets."""
    db, catalog_file = two_months
    _held_keep(monkeypatch)
    with pytest.raises(OSError, match=r"report\.xlsx is open"), keeping.keeping_beside():
        build_reports(load_catalog(catalog_file), "2024-01", db=db)
        raise OSError("report.xlsx is open")
    assert not _keeping()
    assert kept_sets(db) == [["2023-12", "2024-01"]]


def test_what_fails_in_the_keeping_is_raised_from_the_block(two_months, monkeypatch) -> None:
    """Not a traceback on the thread and a command that says ✓: the block raises it, as a
    build outside a block does (the command says «Uventet feil»)."""
    db, catalog_file = two_months
    _broken(monkeypatch, kept, "keep", "no home folder")
    with pytest.raises(RuntimeError, match="no home folder"), keeping.keeping_beside():
        build_reports(load_catalog(catalog_file), "2024-01", db=db)
    assert not _keeping()
    with pytest.raises(RuntimeError, match="no home folder"):
        build_reports(load_catalog(catalog_file), "2024-01", db=db, suppress=3)


def test_a_second_build_in_the_block_waits_for_the_first_ones_keeping(two_months,
                                                                       monkeypatch) -> None:
    """The first build's keeping holds the store writable; the second build's reading
    waits for it instead of finding the store busy."""
    db, catalog_file = two_months
    catalog = load_catalog(catalog_file)
    _held_keep(monkeypatch)
    with keeping.keeping_beside():
        build_reports(catalog, "2024-01", db=db)
        build_reports(catalog, "2023-12", db=db)
    assert kept_sets(db) == [["2023-12"], ["2023-12", "2024-01"]]


class _Interrupted:
    """A keeping job whose wait a Ctrl+C interrupts the first `times` times."""

    def __init__(self, times: int) -> None:
        self.times, self.calls = times, []

    def close(self) -> None:
        self.calls.append("close")

    def wait(self) -> None:
        self.calls.append("wait")
        if self.calls.count("wait") <= self.times:
            raise KeyboardInterrupt


def test_ctrl_c_while_the_keeping_ends_waits_for_it_then_stops() -> None:
    beside = keeping._Beside()
    job = _Interrupted(1)
    beside.jobs.append(job)
    with pytest.raises(KeyboardInterrupt):
        beside.wait()
    assert job.calls == ["close", "wait", "wait"] and not beside.jobs


def test_a_second_ctrl_c_stops_the_wait_at_once() -> None:
    """A write that hangs (a network folder gone) can be left: the second Ctrl+C is not
    waited on."""
    beside = keeping._Beside()
    beside.jobs.append(_Interrupted(2))
    with pytest.raises(KeyboardInterrupt):
        beside.wait()
    assert len(beside.jobs) == 1  # not waited for to the end


_CTRL_C = """
import os, signal, sys, time
from innsatstrapp.catalog import load_catalog
from innsatstrapp.metrics import build_reports, keeping, kept
real = kept.keep
def slow(*args, **kwargs):  # on the keeping thread, while the block waits for it
    os.kill(os.getpid(), signal.SIGINT)  # the analyst's Ctrl+C
    time.sleep(0.5)
    real(*args, **kwargs)
    print("kept", flush=True)
kept.keep = slow
try:
    with keeping.keeping_beside():
        build_reports(load_catalog(sys.argv[2]), "2024-01", db=sys.argv[1])
except KeyboardInterrupt:
    print("interrupted", flush=True)
"""


def test_a_real_ctrl_c_waits_for_the_stores_write(two_months) -> None:
    """With a real signal: on Python 3.11 a join that Ctrl+C interrupted marked the thread
    as ended, and the process went on before the write was done."""
    import subprocess
    import sys

    db, catalog_file = two_months
    done = subprocess.run([sys.executable, "-c", _CTRL_C, str(db), str(catalog_file)],
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["kept", "interrupted"], done.stderr
    assert kept_sets(db) == [["2023-12", "2024-01"]]


def test_outside_a_block_the_build_keeps_before_it_returns(two_months, monkeypatch) -> None:
    db, catalog_file = two_months
    threads: list[str] = []
    real = kept.keep

    def spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        real(*args, **kwargs)

    monkeypatch.setattr(kept, "keep", spy)
    build_reports(load_catalog(catalog_file), "2024-01", db=db)
    assert threads == [threading.current_thread().name]
    assert kept_sets(db) == [["2023-12", "2024-01"]]


def _query_rows(db: Path) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM query_rows").fetchone()[0]
    finally:
        con.close()


def test_beside_the_query_rows_are_kept_while_the_build_decides(two_months,
                                                                 monkeypatch) -> None:
    """In a `keeping_beside` block the query rows are written as soon as they are made, on
    the keeping thread, while the build decides the suppression; the decisions and the set
    follow in the same opening of the store."""
    from innsatstrapp.metrics import rows as kept_rows

    db, catalog_file = two_months
    rows_kept, real_rows, real_views = threading.Event(), kept_rows.keep, publish.views
    threads: list[str] = []

    def rows_spy(*args, **kwargs):
        threads.append(threading.current_thread().name)
        real_rows(*args, **kwargs)
        rows_kept.set()

    def views_waiting(*args, **kwargs):
        assert rows_kept.wait(30), "the rows were not kept before the decision ended"
        return real_views(*args, **kwargs)

    monkeypatch.setattr(kept_rows, "keep", rows_spy)
    monkeypatch.setattr(publish, "views", views_waiting)
    opened: list[bool] = []
    real_open = Store.open.__func__

    def counting(cls, *args, **kwargs):
        opened.append(kwargs.get("read_only", False))
        return real_open(cls, *args, **kwargs)

    monkeypatch.setattr(Store, "open", classmethod(counting))
    with keeping.keeping_beside():
        build_reports(load_catalog(catalog_file), "2024-01", db=db)
    assert threads == ["innsatstrapp-keep"]
    assert opened == [True, False]  # read once, kept in one writable opening
    assert _query_rows(db) > 0 and kept_sets(db) == [["2023-12", "2024-01"]]


def test_beside_a_build_that_fails_after_its_rows_keeps_them_and_ends(two_months,
                                                                      monkeypatch) -> None:
    """A build that fails while deciding (here: the decision itself) lets the keeping thread
    end with the rows it was given, and the failure goes on; no set is kept."""
    db, catalog_file = two_months
    _broken(monkeypatch, publish, "views", "decision failed")
    with pytest.raises(RuntimeError, match="decision failed"), keeping.keeping_beside():
        build_reports(load_catalog(catalog_file), "2024-01", db=db)
    assert not _keeping()
    assert _query_rows(db) > 0 and kept_sets(db) == []


def test_outside_a_block_a_build_that_fails_keeps_nothing(two_months, monkeypatch) -> None:
    db, catalog_file = two_months
    _broken(monkeypatch, publish, "views", "decision failed")
    with pytest.raises(RuntimeError, match="decision failed"):
        build_reports(load_catalog(catalog_file), "2024-01", db=db)
    assert _query_rows(db) == 0 and kept_sets(db) == []


def test_beside_without_a_thread_to_be_had_each_part_is_kept_in_place(two_months,
                                                                       monkeypatch) -> None:
    """A process that can start no more threads keeps what the build made where it is
    given, before the build returns."""
    db, catalog_file = two_months
    real_start = threading.Thread.start

    def refuse(self):
        if self.name == "innsatstrapp-keep":
            raise RuntimeError("can't start new thread")
        real_start(self)

    monkeypatch.setattr(threading.Thread, "start", refuse)
    with keeping.keeping_beside():
        build_reports(load_catalog(catalog_file), "2024-01", db=db)
        assert _query_rows(db) > 0 and kept_sets(db) == [["2023-12", "2024-01"]]
    assert not _keeping()


def test_in_a_block_the_interpreter_is_handed_over_every_millisecond() -> None:
    """So the keeping thread's engine work overlaps the build's Python; set back after, also
    when the block fails."""
    import sys

    was = sys.getswitchinterval()
    with keeping.keeping_beside():
        assert sys.getswitchinterval() == pytest.approx(keeping.SWITCH)
    assert sys.getswitchinterval() == was
    with pytest.raises(RuntimeError), keeping.keeping_beside():
        raise RuntimeError("a file open in another program")
    assert sys.getswitchinterval() == was
