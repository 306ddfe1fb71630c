"""The municipality beside its peers: KOSTRA and KPR figures from SSB's statistics bank
(contract §8), imported from the files the analyst downloads (the tool never goes on the
network) and kept in the store for every report and the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from innsatstrapp.store import DEFAULT_DB, Store
from innsatstrapp.store.kostra import Imported, StoredIndicator, keep, listing

if TYPE_CHECKING:
    from innsatstrapp.kostra.read import Figures

__all__ = ["Figures", "Imported", "StoredIndicator", "import_file", "read_figures", "stored"]


def __getattr__(name: str) -> object:
    """The reader (numpy, pyarrow) only when a file is read: a report's comparison reads
    the store alone."""
    if name in ("Figures", "read_figures"):
        from innsatstrapp.kostra import read

        return getattr(read, name)
    raise AttributeError(f"module 'innsatstrapp.kostra' has no attribute {name!r}")


def import_file(path: Path | str, db: Path | str = DEFAULT_DB, wait: float = 0,
                waiting: Callable[[], None] | None = None) -> tuple[Figures, Imported]:
    """Read an export and keep its figures in the store; the file is read (and rejected,
    whole, if it must be) before the store is opened. A store in use by another program is
    waited for up to `wait` seconds (`waiting` is told when that starts)."""
    from innsatstrapp.kostra.read import read_figures

    figures = read_figures(path)
    with Store.open(db, wait=wait, waiting=waiting) as store:
        return figures, keep(store, figures.table, figures.file_name, figures.sha256)


def stored(db: Path | str = DEFAULT_DB) -> list[StoredIndicator]:
    """The indicators in the store, for `kostra list`."""
    with Store.open(db, read_only=True) as store:
        return listing(store)
