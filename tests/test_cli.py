"""End-to-end runs of the `innsatstrapp` command, as the analyst types them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from helpers import HEADER as HEADER_
from helpers import write_csv
from innsatstrapp import __version__
from innsatstrapp.cli import app

runner = CliRunner()


def run(*args: object) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_version_and_help() -> None:
    code, out, _ = run("--version")
    assert code == 0 and out.strip() == f"innsatstrapp {__version__}"
    code, out, _ = run("--help")
    assert code == 0 and "Les inn ett månedsuttrekk" in out and "catalog" in out


def test_ingest_periods_and_template(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    f = write_csv(tmp_path / "jan.csv", [["1", "TT-kort", "01.01.2024", "", "", "Kari"],
                                         ["2", "Koordinator", "01.01.2024", "", "", "Per"]])
    code, out, err = run("ingest", f, "--period", "2024-01", "--db", db)
    assert code == 0, err
    assert "Lest inn 2024-01 (telledato 31.01.2024) fra jan.csv: 2 rader, 2 personer" in out
    assert "Kolonner som ikke brukes (lagres ikke): Saksbehandler" in out
    assert "Ny nøkkel for pseudonymisering" in out
    code, out, _ = run("ingest", f, "--period", "2024-01", "--db", db)
    assert "Erstattet 2024-01" in out and "Ny nøkkel" not in out
    code, out, _ = run("periods", "--db", db)
    assert code == 0 and "2024-01" in out and "jan.csv" in out
    narrow = runner.invoke(app, ["periods", "--db", str(db)], env={"COLUMNS": "80"}).stdout
    row = next(line for line in narrow.splitlines() if line.startswith("2024-01"))
    assert "31.01.2024" in row and "jan.csv" in row and "…" not in narrow  # whole dates
    assert max(len(line) for line in narrow.splitlines()) <= 80
    katalog = tmp_path / "katalog.xlsx"
    code, out, _ = run("catalog", "template", "--period", "2024-01", "--out", katalog, "--db", db)
    assert code == 0 and "0 tjenester beholdt, 2 nye" in out and katalog.exists()
    code, out, _ = run("catalog", "check", katalog, "--period", "2024-01", "--db", db)
    assert code == 0 and "2 tjenester i 2024-01 er ikke plassert" in out
    assert "TT-kort (1 rad)" in out
    # a month not stored is said, not checked against nothing
    code, out, err = run("catalog", "check", katalog, "--period", "2024-05", "--db", db)
    assert code == 1 and "Perioden 2024-05 finnes ikke i lageret" in err
    assert "Lagrede perioder: 2024-01" in err and "har ingen rader" not in out


@pytest.mark.parametrize(("args", "expected"), [
    (["ingest", "{bad}", "--period", "2024-01"], "kolonne «Fra dato», verdi «32.01.2024»"),
    (["ingest", "{bad}", "--period", "2024-13"], "Ugyldig periode «2024-13»"),
    (["ingest", "{missing}", "--period", "2024-01"], "Finner ikke filen"),
    (["periods"], "Finner ikke lageret"),
    (["catalog", "template", "--period", "2024-01", "--out", "{tmp}/k.xlsx"],
     "Finner ikke lageret"),
    (["catalog", "check", "{missing}"], "Katalogen: finner ikke filen"),
])
def test_user_errors_exit_1_with_a_norwegian_message(tmp_path: Path, args: list[str],
                                                     expected: str) -> None:
    bad = write_csv(tmp_path / "bad.csv", [["1", "TT-kort", "32.01.2024", "", "", ""]])
    values = {"bad": bad, "missing": tmp_path / "nope.csv", "tmp": tmp_path}
    full = [a.format(**values) for a in args] + ["--db", tmp_path / "s.duckdb"]
    code, out, err = run(*full)
    assert code == 1
    assert expected in err and "Traceback" not in err + out


def test_text_from_files_is_never_read_as_markup(tmp_path: Path) -> None:
    f = write_csv(tmp_path / "[bold]x.csv", [["1", "Avlastning [institusjon]", "[red]01.01.2024",
                                              "", "", ""]])
    code, _, err = run("ingest", f, "--period", "2024-01", "--db", tmp_path / "s.duckdb")
    assert code == 1 and "verdi «[red]01.01.2024»" in err and "[bold]x.csv" in err
    f = write_csv(tmp_path / "ok.csv", [["1", "Avlastning [institusjon]", "01.01.2024", "", "",
                                         "", "z"]], header=[*HEADER_, "Kommentar [/i]"])
    code, out, err = run("ingest", f, "--period", "2024-01", "--db", tmp_path / "s.duckdb")
    assert code == 0, err
    assert "Saksbehandler, Kommentar [/i]" in out
    k = tmp_path / "k.xlsx"
    run("catalog", "template", "--period", "2024-01", "--out", k, "--db", tmp_path / "s.duckdb")
    code, out, _ = run("catalog", "check", k, "--period", "2024-01", "--db", tmp_path / "s.duckdb")
    assert "• Avlastning [institusjon] (1 rad)" in out
    # nor as Rich's emoji codes (:x: is a red cross to Rich)
    f = write_csv(tmp_path / "uttrekk :x:.csv", [["1", "Dagtilbud :smile:", "01.01.2024", "",
                                                  "", ""]])
    code, out, err = run("ingest", f, "--period", "2024-02", "--db", tmp_path / "s.duckdb")
    assert code == 0 and "uttrekk :x:.csv" in out, err
    code, out, _ = run("catalog", "check", k, "--period", "2024-02", "--db", tmp_path / "s.duckdb")
    assert "• Dagtilbud :smile: (1 rad)" in out


def test_real_process_prints_no_traceback(tmp_path: Path) -> None:
    bad = write_csv(tmp_path / "bad.csv", [["1", "TT-kort", "01.01.2024", "31.12.2023", "", ""]])
    env = {**os.environ, "COLUMNS": "200"}
    proc = subprocess.run([sys.executable, "-m", "innsatstrapp", "ingest", str(bad), "--period",
                           "2024-01", "--db", str(tmp_path / "s.duckdb")], capture_output=True,
                          text=True, env=env, check=False)
    assert proc.returncode == 1
    assert "sluttdatoen er før startdatoen" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "s.duckdb").exists()


def test_a_real_process_ends_with_its_store_whole_and_its_output_said(tmp_path: Path) -> None:
    """The command ends without tearing the interpreter down (cli.run), so what a normal
    exit does that anyone sees must be done first: the store checkpointed (no write-ahead
    log left beside it), the engine's private folder gone, every line printed, the exit
    code kept."""
    f = write_csv(tmp_path / "jan.csv", [["1", "TT-kort", "01.01.2024", "", "", "Kari"]])
    db = tmp_path / "s.duckdb"
    env = {**os.environ, "COLUMNS": "200", "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    proc = subprocess.run([sys.executable, "-m", "innsatstrapp", "ingest", str(f), "--period",
                           "2024-01", "--db", str(db)], capture_output=True, text=True, env=env,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Lest inn 2024-01" in proc.stdout and "Ta sikkerhetskopi" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jan.csv", "s.duckdb", "s.key", "tmp"]
    assert list((tmp_path / "tmp").iterdir()) == []  # the instance's spill folder removed
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM decisions").fetchone() == (1,)
    con.close()


EXIT = """
import atexit, sys, threading, time
from innsatstrapp.cli import _exit
atexit.register(lambda: open(sys.argv[1], "w").write("handler ran"))
print("x" * 200_000, end="")  # more than a pipe's buffer
if sys.argv[2] == "thread":
    threading.Thread(target=lambda: (time.sleep(0.3), open(sys.argv[1] + ".t", "w").write("t"))
                     ).start()
_exit(int(sys.argv[3]) if sys.argv[3].isdigit() else sys.argv[3])
"""


@pytest.mark.parametrize(("thread", "code", "rc"), [("", "3", 3), ("thread", "0", 0),
                                                    ("", "Feil: noe", 1)])
def test_the_quick_exit_runs_the_handlers_and_flushes(tmp_path: Path, thread: str, code: str,
                                                      rc: int) -> None:
    mark = tmp_path / "mark"
    proc = subprocess.run([sys.executable, "-c", EXIT, str(mark), thread or "-", code],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == rc
    assert proc.stdout == "x" * 200_000
    assert mark.read_text() == "handler ran"
    if thread:  # a thread still running: the normal exit, which waits for it
        assert (tmp_path / "mark.t").read_text() == "t"
    if not code.isdigit():
        assert proc.stderr.strip() == code


def test_demo_command(tmp_path: Path) -> None:
    code, out, err = run("demo", "--out", tmp_path / "d", "--months", "2")
    assert code == 0, err
    assert "Demokommunen er klar" in out and "2025-09 – 2026-10" not in out
    assert (tmp_path / "d" / "katalog.xlsx").exists()
    assert (tmp_path / "d" / "rapport" / "report.html").exists()
    assert (tmp_path / "d" / "rapport" / "report.json").exists()
    assert "Rapport:" in out
    code, out, _ = run("periods", "--db", tmp_path / "d" / "innsatstrapp.duckdb")
    assert "2026-09" in out and "2026-10" in out


def test_catalog_check_suggests_the_near_name_and_lists_what_the_month_lacks(
        tmp_path: Path) -> None:
    from small import write_catalog

    db = tmp_path / "s.duckdb"
    f = write_csv(tmp_path / "jan.csv", [["1", "TT-kort", "01.01.2024", "", "", "Kari"],
                                         ["2", "Alarm  mobil", "01.01.2024", "", "", "Per"],
                                         ["3", "Alarm", "01.01.2024", "", "", "Per"]])
    assert run("ingest", f, "--period", "2024-01", "--db", db)[0] == 0
    steps = [["Trinn", "Nr"], ["Grunnmur", 0], ["På tvers", 7]]
    services = [["Tjeneste", "Gruppe", "Trinn"], ["Alarm", "", "Grunnmur"],
                ["Alarm mobil", "", "Grunnmur"], ["Tt-kort", "", "På tvers"],
                ["Dagsenter", "", "Grunnmur"]]
    katalog = write_catalog(tmp_path / "k.xlsx", steps, services)
    code, out, _ = run("catalog", "check", katalog, "--period", "2024-01", "--db", db)
    assert code == 0
    text = " ".join(out.split())
    assert "2 tjenester i 2024-01 er ikke plassert på et trinn:" in text
    assert "• TT-kort (1 rad); mente du «Tt-kort» i katalogen?" in text
    assert "• Alarm mobil (1 rad); mente du «Alarm mobil» i katalogen?" in text
    assert "3 tjenester i katalogen har ingen rader i 2024-01: Alarm mobil, Dagsenter, " \
        "Tt-kort." in text
    bad = write_catalog(tmp_path / "bad.xlsx", [*steps, ["Trinn 3", "2,5"]],
                        [*services, ["Koordinator", "", "Trinn 3"]])
    code, _, err = run("catalog", "check", bad)
    assert code == 1
    assert "må være et heltall" in err and "ukjent trinn" not in err  # said once, at its row


def test_catalog_template_over_a_file_held_open_or_a_folder(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    db = tmp_path / "s.duckdb"
    f = write_csv(tmp_path / "jan.csv", [["1", "TT-kort", "01.01.2024", "", "", "Kari"]])
    assert run("ingest", f, "--period", "2024-01", "--db", db)[0] == 0
    katalog = tmp_path / "katalog.xlsx"
    katalog.write_bytes(b"the analyst's own catalog")
    real = os.replace

    def held(a, b):  # what Windows does while Excel has the file open
        if Path(b) == katalog:
            raise PermissionError(13, "Permission denied")
        return real(a, b)

    monkeypatch.setattr(os, "replace", held)
    code, _, err = run("catalog", "template", "--period", "2024-01", "--out", katalog,
                       "--db", db)
    assert code == 1 and "filen er åpen i et annet program" in " ".join(err.split())
    assert katalog.read_bytes() == b"the analyst's own catalog"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".innsatstrapp")] == []
    monkeypatch.setattr(os, "replace", real)
    assert run("catalog", "template", "--period", "2024-01", "--out", katalog, "--db",
               db)[0] == 0
    mask = os.umask(0)
    os.umask(mask)
    assert katalog.stat().st_mode & 0o777 == 0o666 & ~mask  # as any new file, not 0600
    code, _, err = run("catalog", "template", "--period", "2024-01", "--out", tmp_path,
                       "--db", db)
    assert code == 1 and "er en mappe. Oppgi et filnavn" in " ".join(err.split())


def test_remove_a_period_read_in_under_the_wrong_month(tmp_path: Path) -> None:
    """Without --yes only what would go is said; with it the month is gone and the rest kept."""
    db = tmp_path / "s.duckdb"
    f = write_csv(tmp_path / "jan.csv", [["1", "TT-kort", "01.01.2024", "", "", "Kari"]])
    for period in ("2024-01", "2024-02"):
        assert run("ingest", f, "--period", period, "--db", db)[0] == 0
    code, out, _ = run("remove", "--period", "2024-02", "--db", db)
    assert code == 0 and "Dette fjernes: 2024-02 (jan.csv, 1 rad, lest inn" in out
    assert "--yes" in out
    assert "2024-02" in run("periods", "--db", db)[1]
    code, out, _ = run("remove", "--period", "2024-02", "--db", db, "--yes")
    assert code == 0 and "✓ Fjernet 2024-02" in out
    listed = run("periods", "--db", db)[1]
    assert "2024-02" not in listed and "2024-01" in listed
    code, _, err = run("remove", "--period", "2024-02", "--db", db, "--yes")
    assert code == 1 and "Perioden 2024-02 finnes ikke i lageret" in err
    assert "Lagrede perioder: 2024-01." in err
