"""`innsatstrapp report` end to end: files, schema, HTML offline and in Norwegian, errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from helpers import write_csv
from innsatstrapp.cli import app
from innsatstrapp.metrics import report_schema
from small import DECEMBER, HEADER, JANUARY, write_catalog

runner = CliRunner()
SCHEMA = Path(__file__).parents[1] / "src" / "innsatstrapp" / "model" / "report.schema.json"


def run(*args: object):
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("cli")
    db = tmp / "s.duckdb"
    for period, rows in (("2023-12", DECEMBER), ("2024-01", JANUARY)):
        code, _, err = run("ingest", write_csv(tmp / f"{period}.csv", rows, header=HEADER),
                           "--period", period, "--db", db)
        assert code == 0, err
    return tmp, db, write_catalog(tmp / "katalog.xlsx")


def test_report_writes_json_and_html(store) -> None:
    tmp, db, catalog = store
    out = tmp / "rapport"
    code, stdout, err = run("report", "--period", "2024-01", "--catalog", catalog, "--db", db,
                            "--out", out, "--suppress", "0", "--history", "2023-12")
    assert code == 0, err
    assert "Rapport for 2024-01 mot 2023-12 (skjuling under 0)" in stdout
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    assert data["headline"]["services_total"] == {"value": 11, "previous": 4, "change": 7,
                                                  "change_pct": 175.0, "suppressed": []}
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in html and "Innsatstrappen – januar 2024" in html
    assert "sammenlignet med desember 2023" in html
    assert "1,38" in html  # 11 / 8 services per user, Norwegian decimals
    assert "21,00" in html and "+175,0 %" in html
    assert "Topp 25,0 % av brukerne (1 person) forbruker 59,5 % av den totale tiden." in html
    # self-contained: no external scripts, styles, fonts or images (requests: test_browser.py)
    assert not re.search(r'<(script|link|img|iframe)[^>]+(src|href)=', html)
    assert "@import" not in html and "url(http" not in html


def test_report_for_one_unit(store) -> None:
    tmp, db, catalog = store
    out = tmp / "sone1"
    code, stdout, err = run("report", "--period", "2024-01", "--catalog", catalog, "--db", db,
                            "--out", out, "--suppress", "0", "--unit", "Sone 1",
                            "--format", "json,html,xlsx")
    assert code == 0, err
    assert "Rapport for 2024-01 – Sone 1 mot 2023-12" in stdout
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["unit"] == "Sone 1"
    # HS ring 1 only: persons 1, 2, 3 active on 31.01 (hand-computed from tests/small.py)
    assert data["headline"]["services_total"]["value"] == 3
    assert data["headline"]["home_nursing_approved_hours"]["value"] == 4.5
    assert "Innsatstrappen – januar 2024 – Sone 1" in (out / "report.html").read_text("utf-8")
    code, stdout, err = run("report", "--period", "2024-01", "--catalog", catalog, "--db", db,
                            "--out", out, "--unit", "uten-enhet")
    assert code == 0 and "– Uten enhet" in stdout, err
    code, _, err = run("report", "--period", "2024-01", "--catalog", catalog, "--db", db,
                       "--out", out, "--unit", "Sone 9")
    assert code == 1 and "Enheten «Sone 9» finnes ikke i uttrekket for 2024-01" in err
    assert "Sone 1, Sone 2, Sykehjem" in err and "Traceback" not in err


def test_suppressed_cells_are_marked_with_a_footnote(store) -> None:
    tmp, db, catalog = store
    out = tmp / "skjult"
    assert run("report", "--period", "2024-01", "--catalog", catalog, "--db", db, "--out",
               out)[0] == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count('class="sup"') > 10
    assert "Skjult for å verne personvernet: tall fra 1 til 4 personer" in html


def test_schema_file_is_current() -> None:
    assert json.loads(SCHEMA.read_text(encoding="utf-8")) == report_schema()
    docs = Path(__file__).parents[1] / "docs" / "report.schema.json"
    assert json.loads(docs.read_text(encoding="utf-8")) == report_schema()


@pytest.mark.parametrize(("args", "expected"), [
    (["--period", "2025-01"], "Perioden 2025-01 finnes ikke i lageret"),
    (["--period", "2024-01", "--format", "json,docx"], "Ukjent format «docx»"),
    (["--period", "2024-01", "--compare", "2024-1"], "Ugyldig periode «2024-1»"),
    (["--period", "2024-01", "--catalog", "{tmp}/nei.xlsx"], "Katalogen: finner ikke filen"),
])
def test_errors(store, args: list[str], expected: str) -> None:
    tmp, db, catalog = store
    full = ["report", "--catalog", catalog, "--db", db, "--out", tmp / "x",
            *[a.format(tmp=tmp) for a in args]]
    code, out, err = run(*full)
    assert code == 1 and expected in err and "Traceback" not in err + out


def test_the_same_extract_gives_the_same_report_json_byte_for_byte(tmp_path: Path) -> None:
    """Two stores from one extract, reported apart: report.json is the same to the last bit
    but for the times in its provenance. 130 000 decisions, so the engine adds hours in
    parallel (in an order that varies from run to run)."""
    import random

    from innsatstrapp.ingest import ingest_file

    rng = random.Random(7)
    services = ["HS ring 1", "HS ring 2", "Alarm", "Sykehjem"]
    rows = [[str(i), services[i % 4], "01.01.2023", "",
             f"{rng.randrange(1, 4000) / 100}".replace(".", ","), "",
             ("Sone 1", "Sone 2", "")[i % 3]] for i in range(130_000)]
    extract = write_csv(tmp_path / "x.csv", rows, header=HEADER)
    catalog = write_catalog(tmp_path / "katalog.xlsx")
    texts = []
    for name in ("a", "b"):
        db = tmp_path / name / "s.duckdb"
        ingest_file(extract, "2024-01", db=db)
        code, _, err = run("report", "--period", "2024-01", "--catalog", catalog, "--db", db,
                           "--out", tmp_path / name / "rapport", "--format", "json")
        assert code == 0, err
        text = (tmp_path / name / "rapport" / "report.json").read_text(encoding="utf-8")
        texts.append(re.sub(r'"(generated_at|ingested_at)": "[^"]*"', "", text))
    assert texts[0] == texts[1]
    assert re.search(r'"hours": \d+\.\d{1,4},', texts[0])  # exact sums: no float tails


@pytest.mark.parametrize("chmod", ["works", "refused"])
def test_files_are_written_while_the_store_keeps_and_get_the_users_modes(
        store, tmp_path: Path, monkeypatch, chmod: str) -> None:
    """The command writes its files while the store keeps what the build made (its keeping
    holds the store open, and the process's umask at 0o077): the files and the new folders
    still get the modes any new file of the user's gets, never the owner's only; and where
    the file system refuses a change of mode (a share with fixed modes), the report is
    written all the same."""
    import os
    import shutil
    import threading
    import time

    import duckdb

    from innsatstrapp import files, outputs
    from innsatstrapp.metrics import kept

    _, db, catalog = store
    mine = tmp_path / "s.duckdb"
    shutil.copy(db, mine)
    shutil.copy(db.with_suffix(".key"), mine.with_suffix(".key"))
    con = duckdb.connect(str(mine))
    con.execute("DELETE FROM published_reports")  # this report not yet made
    con.close()
    out = tmp_path / "ny" / "rapport"
    real_keep, real_render, seen = kept.keep, outputs.render, []

    def until(done) -> None:
        end = time.monotonic() + 30
        while not done() and time.monotonic() < end:
            time.sleep(0.005)

    def keeping(*args, **kwargs):  # on the keeping thread, the store open: until the files
        seen.append(threading.current_thread().name)  # are there
        until(lambda: (out / "report.html").exists())
        real_keep(*args, **kwargs)

    def rendering(*args, **kwargs):  # the files made once the keeping holds the store
        until(lambda: files.OwnerOnly._open > 0)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(kept, "keep", keeping)
    monkeypatch.setattr(outputs, "render", rendering)
    if chmod == "refused":
        def refuse(path, mode, *args, **kwargs):
            raise PermissionError(1, "Operation not permitted", str(path))

        monkeypatch.setattr(files.os, "chmod", refuse)
    code, _, err = run("report", "--period", "2024-01", "--catalog", catalog, "--db", mine,
                       "--out", out)
    assert code == 0, err
    assert seen == ["innsatstrapp-keep"]
    assert (out / "report.json").exists() and (out / "report.html").exists()
    if chmod == "refused":
        return
    user = files.user_umask()
    assert 0o666 & ~user != 0o600  # else the test could not tell
    for f in ("report.json", "report.html"):
        assert (out / f).stat().st_mode & 0o777 == 0o666 & ~user
    for folder in (out, out.parent):
        assert folder.stat().st_mode & 0o777 == 0o777 & ~user
    mask = os.umask(0o022)  # and the process's own is the user's again
    os.umask(mask)
    assert mask == user
