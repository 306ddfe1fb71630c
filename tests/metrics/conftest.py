"""The small hand-computed municipality (small.py), ingested once per module."""

from __future__ import annotations

import pytest
from small import DECEMBER, HEADER, JANUARY, write_catalog

from helpers import write_csv
from innsatstrapp.catalog import load_catalog
from innsatstrapp.ingest import ingest_file


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("small")
    db = tmp / "s.duckdb"
    ingest_file(write_csv(tmp / "des.csv", DECEMBER, header=HEADER), "2023-12", db=db)
    ingest_file(write_csv(tmp / "jan.csv", JANUARY, header=HEADER), "2024-01", db=db)
    return db, load_catalog(write_catalog(tmp / "katalog.xlsx"))
