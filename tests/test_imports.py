"""What a command imports: only what it uses. Each command runs in a new process, as the
analyst runs it, and the libraries it loaded are read from `sys.modules` as it exits.

pydantic is watched too: Typer 0.29 validated every option through it (0,2–0,3 s of every
command), which is why Typer is held below 0.29; only the web needs it (FastAPI's own), the
models are msgspec's. pandas is not installed at all (no code uses it; pyarrow would import it
on its first array)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = {"ibis", "sqlglot", "pandas", "pyarrow", "numpy", "duckdb", "python_calamine",
         "fastapi", "starlette", "uvicorn", "jinja2", "markupsafe", "xlsxwriter", "pptx",
         "plotly", "scipy", "openpyxl", "babel", "playwright", "pydantic"}
RUN = """
import atexit, sys
watch = {heavy!r}
atexit.register(lambda: print("LOADED=" + ",".join(sorted(
    {{m.split(".")[0] for m in sys.modules}} & watch)), file=sys.stderr))
sys.argv = ["innsatstrapp", *sys.argv[1:]]
from innsatstrapp.cli import main
main()
"""


def loaded(*args: str, cwd: Path) -> set[str]:
    """The watched libraries a new process running `innsatstrapp ARGS` imported."""
    out = subprocess.run([sys.executable, "-c", RUN.format(heavy=HEAVY), *args], cwd=cwd,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    line = next(x for x in out.stderr.splitlines() if x.startswith("LOADED="))
    return {m for m in line.removeprefix("LOADED=").split(",") if m}


def test_pandas_is_not_installed() -> None:
    with pytest.raises(ImportError):
        __import__("pandas")


def test_help_imports_no_library(tmp_path) -> None:
    assert loaded("--help", cwd=tmp_path) == set()
    assert loaded("plan", "--help", cwd=tmp_path) == set()


def test_periods_needs_the_engine_only(small_store, tmp_path) -> None:
    db, _ = small_store
    # its counts are written without Babel's locale data (tests/test_format.py)
    assert loaded("periods", "--db", str(db), cwd=tmp_path) == {"duckdb"}


def test_ingest_reads_without_ibis_or_any_renderer(tmp_path) -> None:
    from helpers import write_csv

    path = write_csv(tmp_path / "uttrekk.csv", [
        ["1", "Hjemmesykepleie", "01.01.2024", "", "3,5"],
        ["2", "Praktisk bistand", "15.01.2024", "31.01.2024", ""]],
        header=["Løpenummer", "Tjeneste", "Fra dato", "Til dato", "Vedtatte timer"])
    got = loaded("ingest", str(path), "--period", "2024-01", "--db",
                 str(tmp_path / "s.duckdb"), cwd=tmp_path)
    # a plain CSV is read by DuckDB itself (no pyarrow, no numpy); the summary's counts
    # are written as Babel writes them, without it (tests/test_format.py)
    assert got == {"duckdb"}
    # an empty line inside the table is for the careful reader, which is pyarrow's
    lines = path.read_bytes().split(b"\r\n")
    path.write_bytes(b"\r\n".join([*lines[:2], b"", *lines[2:]]))
    got = loaded("ingest", str(path), "--period", "2024-01", "--db",
                 str(tmp_path / "s2.duckdb"), cwd=tmp_path)
    assert got == {"pyarrow", "numpy", "duckdb"}


def test_a_json_report_loads_no_renderer_and_a_kept_one_no_ibis(small_store, tmp_path
                                                                 ) -> None:
    import shutil

    db, catalog = small_store
    copy = tmp_path / "s.duckdb"
    shutil.copy(db, copy)
    shutil.copy(db.with_suffix(".key"), copy.with_suffix(".key"))
    args = ("report", "--period", "2024-01", "--catalog", str(db.parent / catalog.file_name),
            "--db", str(copy), "--out", str(tmp_path / "ut"), "--format", "json")
    renderers = {"fastapi", "starlette", "uvicorn", "jinja2", "xlsxwriter", "pptx", "plotly",
                 "scipy", "openpyxl", "playwright", "pandas"}
    first = loaded(*args, cwd=tmp_path)  # decides the month (compiles, if nothing has)
    assert not first & (renderers | {"pydantic"})  # the models are not pydantic's
    again = loaded(*args, cwd=tmp_path)  # the report kept in the store: the engine alone
    assert not again & (renderers | {"ibis", "sqlglot", "pyarrow", "numpy"})
    # every number, date and month of a page is written as Babel writes it, without it
    # (tests/test_format.py); the page needs its template, and the charts' bundle is read
    # from where plotly is installed without importing it
    page = loaded(*args[:-1], "json,html", cwd=tmp_path)
    assert "babel" not in first | again | page
    assert "jinja2" in page and "plotly" not in page
    assert "Plotly" in (tmp_path / "ut" / "report.html").read_text(encoding="utf-8")


def test_the_consoles_are_made_when_used_or_beside_the_engine() -> None:
    """Importing the command imports no Rich console; `prepare` makes both consoles on a
    thread of its own (the command's engine work meanwhile), and its wait ends with them
    made; a console used first is made then, once, for both threads."""
    code = """
import sys, threading
import innsatstrapp.cli
from innsatstrapp import console
assert "rich.console" not in sys.modules, "imported with the command"
assert console.out._console is None and console.err._console is None
wait = console.prepare()
wait()
assert threading.active_count() == 1
from rich.console import Console
assert isinstance(console.out._console, Console) and console.err.console.stderr
made = console.out.console
console.out.reset()
assert console.out._console is None
seen = []
threads = [threading.Thread(target=lambda: seen.append(console.out.console)) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
assert len({id(c) for c in seen}) == 1 and seen[0] is not made
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr
