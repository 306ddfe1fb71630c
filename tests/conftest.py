"""Shared fixtures: a store path, no key in the environment and a cache of one's own, the
tiny demo, the small store, two months of the small municipality in a fresh store."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from helpers import write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.ingest import ingest_file


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lager.duckdb"


# the user's cache of compiled statements: the session's own, never the machine's
os.environ["INNSATSTRAPP_CACHE"] = tempfile.mkdtemp(prefix="innsatstrapp-cache-")


@pytest.fixture(autouse=True)
def _no_env_key(monkeypatch: pytest.MonkeyPatch,
                tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.delenv("INNSATSTRAPP_KEY", raising=False)
    # the user's umask is read once per process: each test reads it again (some set one)
    from innsatstrapp import files

    files._user_mask.clear()
    # each test starts without compiled statements kept outside its store
    monkeypatch.setenv("INNSATSTRAPP_CACHE", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def tiny_demo(tmp_path_factory: pytest.TempPathFactory):
    """The demo municipality with three months, built once per test session."""
    from innsatstrapp.demo import build_demo

    return build_demo(tmp_path_factory.mktemp("demo"), months=3)


@pytest.fixture(scope="session")
def small_store(tmp_path_factory: pytest.TempPathFactory):
    """The hand-computed municipality of tests/small.py, ingested once."""
    from small import DECEMBER, HEADER, JANUARY, write_catalog

    tmp = tmp_path_factory.mktemp("small")
    db = tmp / "s.duckdb"
    ingest_file(write_csv(tmp / "des.csv", DECEMBER, header=HEADER), "2023-12", db=db)
    ingest_file(write_csv(tmp / "jan.csv", JANUARY, header=HEADER), "2024-01", db=db)
    return db, load_catalog(write_catalog(tmp / "katalog.xlsx"))


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright (never a downloaded browser build). Per module:
    a live sync Playwright would stop the PDF renderer from starting its own."""
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    assert Path(chromium).exists(), "browser tests need Debian's chromium: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


@pytest.fixture
def two_months(tmp_path: Path) -> tuple[Path, Path]:
    """A fresh store with December 2023 and January 2024 of the small municipality, and
    its catalog: (store, catalog file)."""
    from small import DECEMBER, HEADER, JANUARY, write_catalog

    db = tmp_path / "s.duckdb"
    ingest_file(write_csv(tmp_path / "des.csv", DECEMBER, header=HEADER), "2023-12", db=db)
    ingest_file(write_csv(tmp_path / "jan.csv", JANUARY, header=HEADER), "2024-01", db=db)
    return db, write_catalog(tmp_path / "katalog.xlsx")
