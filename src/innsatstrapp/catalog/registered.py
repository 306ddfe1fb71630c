"""The catalog a store remembers: `ingest --catalog` registers it, so that a later `ingest`
(and the dashboard) decide with it without being told again."""

from __future__ import annotations

from pathlib import Path

from innsatstrapp.store import Store
from innsatstrapp.store.duckdb import CATALOG_SETTING


def register(db: Path | str, catalog: Path, wait: float = 60.0) -> None:
    """Remember `catalog` (its full path) in the store at `db`."""
    with Store.open(db, wait=wait) as store:
        store.set_setting(CATALOG_SETTING, str(Path(catalog).resolve()))


def registered(db: Path | str) -> Path | None:
    """The catalog the store remembers, or None (none registered, or an older store)."""
    if not Path(db).exists():
        return None
    with Store.open(db, read_only=True) as store:
        return store.remembered_catalog
