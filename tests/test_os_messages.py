"""What the operating system says goes to the analyst in Norwegian, naming the file."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from innsatstrapp.cli import app
from innsatstrapp.errors import UsageError, os_reason
from innsatstrapp.files import written
from innsatstrapp.store.duckdb import store_error

runner = CliRunner()


@pytest.mark.parametrize(("code", "said"), [
    (errno.EACCES, "du mangler tilgang"), (errno.ENOSPC, "disken er full"),
    (errno.ENOTDIR, "en del av stien er en fil"), (errno.EROFS, "skrivebeskyttet"),
    (errno.ENOENT, "finnes ikke"), (12345, "systemfeil 12345")])
def test_os_reason_is_norwegian(code: int, said: str) -> None:
    assert said in os_reason(OSError(code, "Some English text"))
    assert "English" not in os_reason(OSError(code, "Some English text"))


def test_windows_sharing_violation_is_a_file_open_elsewhere() -> None:
    exc = OSError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32  # type: ignore[attr-defined]
    assert os_reason(exc) == "filen er åpen i et annet program"


def test_a_folder_under_a_file_names_it(tmp_path: Path) -> None:
    (tmp_path / "rapport").write_text("not a folder")
    with pytest.raises(UsageError) as e, written(tmp_path / "rapport" / "k.xlsx") as temp:
        temp.write_text("x")
    assert f"{tmp_path / 'rapport'} er en fil, ikke en mappe" in str(e.value)


def test_an_unreadable_extract_names_the_file(tmp_path: Path, monkeypatch) -> None:
    f = tmp_path / "uttrekk.csv"
    f.write_text("Løpenummer;Tjeneste;Fra dato\n1;A;01.01.2024\n", encoding="utf-8")
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode, **k: False if str(p).endswith(
        "uttrekk.csv") else real(p, mode, **k))
    result = runner.invoke(app, ["ingest", str(f), "--period", "2024-01",
                                 "--db", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 2
    assert f"Feil: Filen «{f}» kan ikke leses: du mangler tilgang til den." in " ".join(
        result.output.split())
    assert not (tmp_path / "s.duckdb").exists()


@pytest.mark.parametrize(("text", "said", "busy"), [
    ('IO Error: Could not set lock on file "s.duckdb": Conflicting lock is held in python',
     "er i bruk av et annet program", True),
    ('IO Error: Cannot open file "s.duckdb": Permission denied', "du mangler tilgang", False),
    ("IO Error: Corrupt database file: computed checksum 123 does not match stored checksum 9 "
     "in block at location 300000", "skadet eller ufullstendig", False),
    ("Catalog Error: something new", "kunne ikke brukes", False),
])
def test_store_errors(text: str, said: str, busy: bool) -> None:
    """A damaged store is not «in use» (its message holds «block», not «lock»)."""
    error = store_error(Path("s.duckdb"), duckdb.IOException(text))
    assert said in str(error) and error.busy is busy
    assert "s.duckdb" in str(error)


def test_a_report_folder_that_is_a_file(tmp_path: Path) -> None:
    from innsatstrapp.outputs import render

    (tmp_path / "rapport").write_text("x")
    with pytest.raises(UsageError, match="rapport er en fil, ikke en mappe"):
        render(None, tmp_path / "rapport" / "mars", ["json"])  # type: ignore[arg-type]
    assert (tmp_path / "rapport").read_text() == "x"


def test_ctrl_c_during_a_query_is_aborted_not_an_error(monkeypatch, capsys) -> None:
    """Ctrl+C while DuckDB runs a query reaches Python as the engine's RuntimeError («Query
    interrupted»), not as KeyboardInterrupt: it is «Avbrutt.», as anywhere else."""
    import innsatstrapp.cli as cli

    def interrupted() -> None:
        raise RuntimeError("Query interrupted")

    monkeypatch.setattr(cli, "only", lambda argv: interrupted)
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code == 130
    assert "Avbrutt." in capsys.readouterr().err
