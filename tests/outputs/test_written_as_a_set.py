"""A report's files are written as one set: a failing renderer or a kill -9 while writing
leaves the earlier set whole, never a truncated file or two months side by side."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from innsatstrapp import outputs
from innsatstrapp.catalog import load_catalog
from innsatstrapp.errors import UsageError
from innsatstrapp.metrics import build_report
from innsatstrapp.outputs import RENDERERS, render


def _month_of(folder: Path) -> set[str]:
    """The period every file of the set is about (each read back whole)."""
    months = {json.loads((folder / "report.json").read_text(encoding="utf-8"))["period"]}
    html = (folder / "report.html").read_text(encoding="utf-8")
    assert html.rstrip().endswith("</html>")
    for name in ("report.xlsx", "report.pptx"):
        if (folder / name).exists():
            with zipfile.ZipFile(folder / name) as z:
                assert z.testzip() is None
    return months


def test_a_failing_renderer_leaves_the_earlier_set(two_months, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db, catalog_path = two_months
    catalog = load_catalog(catalog_path)
    out = tmp_path / "rapport"
    first = build_report(catalog, "2023-12", suppress=0, db=db)
    render(first, out, ["json", "html", "xlsx"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    broken = type(sys)("tests_broken_renderer")

    def fail(report, out_dir, **_):
        (out_dir / "report.xlsx").write_bytes(b"half")
        raise UsageError("Excel-filen kunne ikke skrives")

    broken.render = fail
    monkeypatch.setitem(sys.modules, "tests_broken_renderer", broken)
    with pytest.raises(UsageError):
        render(build_report(catalog, "2024-01", suppress=0, db=db), out,
               ["json", "html", "xlsx"],
               registry={**RENDERERS, "xlsx": "tests_broken_renderer:render"})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # temp folder gone too


def test_a_new_set_leaves_no_file_of_the_old_one(two_months, tmp_path: Path) -> None:
    db, catalog_path = two_months
    catalog = load_catalog(catalog_path)
    out = tmp_path / "rapport"
    (out).mkdir()
    (out / "notater.txt").write_text("mine", encoding="utf-8")
    render(build_report(catalog, "2023-12", suppress=0, db=db), out, ["json", "html", "xlsx"])
    render(build_report(catalog, "2024-01", suppress=0, db=db), out, ["json", "html"])
    assert sorted(p.name for p in out.iterdir()) == ["notater.txt", "report.html",
                                                    "report.json"]
    assert _month_of(out) == {"2024-01"}


def _written(out: Path) -> int:
    """Files so far in the set being written (its folder may go at any moment)."""
    for work in out.glob(".innsatstrapp-*"):
        try:
            return len(list(work.iterdir()))
        except FileNotFoundError:
            return 0
    return 0


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no kill -9 here")
def test_kill_9_while_the_files_are_written(tiny_demo, tmp_path: Path) -> None:
    out = tmp_path / "rapport"
    args = [sys.executable, "-m", "innsatstrapp", "report", "--catalog",
            str(tiny_demo.catalog), "--db", str(tiny_demo.db), "--out", str(out),
            "--format", "json,html,xlsx,pptx"]
    subprocess.run([*args, "--period", tiny_demo.first], check=True, capture_output=True,
                   timeout=300)
    assert _month_of(out) == {tiny_demo.first}
    killed = 0
    for attempt in range(3):  # each time at a later moment of the writing
        proc = subprocess.Popen([*args, "--period", tiny_demo.last], stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 300
        hit = False
        try:
            while proc.poll() is None and time.monotonic() < deadline:
                if _written(out) > attempt:
                    os.kill(proc.pid, signal.SIGKILL)
                    hit = True
                    break
                time.sleep(0.005)
        finally:
            if proc.poll() is None and not hit:
                proc.wait(timeout=300)
            proc.wait()
        visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
        assert visible == ["report.html", "report.json", "report.pptx", "report.xlsx"]
        if not hit:  # it finished first: the new set, whole
            assert _month_of(out) == {tiny_demo.last}
            break
        killed += 1
        assert _month_of(out) == {tiny_demo.first}  # whole, and the earlier month's
    assert killed, "the report finished before it could be killed"


def test_a_file_held_open_by_excel_changes_nothing(two_months, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    db, catalog_path = two_months
    catalog = load_catalog(catalog_path)
    out = tmp_path / "rapport"
    render(build_report(catalog, "2023-12", suppress=0, db=db), out, ["json", "html", "xlsx"])
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    held = out / "report.xlsx"
    real_open = os.open

    def locked(path, flags, *a, **kw):  # what Windows does while Excel has the file open
        if Path(path) == held and flags & os.O_RDWR:
            raise PermissionError(13, "The process cannot access the file")
        return real_open(path, flags, *a, **kw)

    monkeypatch.setattr(os, "open", locked)
    monkeypatch.setattr(outputs, "LOCKS", True)  # as on Windows
    with pytest.raises(UsageError, match=r"report\.xlsx: filen er åpen i et annet program"):
        render(build_report(catalog, "2024-01", suppress=0, db=db), out,
               ["json", "html", "xlsx"])
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_folder_in_a_files_place_replaces_nothing(two_months, tmp_path: Path) -> None:
    """report.html as a folder: said before any move, and report.json stays the earlier one."""
    db, catalog_path = two_months
    catalog = load_catalog(catalog_path)
    out = tmp_path / "rapport"
    render(build_report(catalog, "2023-12", suppress=0, db=db), out, ["json"])
    before = (out / "report.json").read_bytes()
    (out / "report.html").mkdir()
    with pytest.raises(UsageError, match=r"report\.html: det er en mappe, ikke en fil\..*ingen "
                                         r"av filene er endret"):
        render(build_report(catalog, "2024-01", suppress=0, db=db), out, ["json", "html"])
    assert (out / "report.json").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.json"]
