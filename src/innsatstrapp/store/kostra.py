"""KOSTRA and KPR figures in the store (contract §8): kept per (indicator, region, year),
the newest import replacing what it repeats, each with the file it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa


from innsatstrapp.store.duckdb import Store

KOSTRA_VERSION = 4  # the schema version that added the table


@dataclass(frozen=True)
class Imported:
    """What an import did: figures new to the store, figures it replaced."""

    new: int
    replaced: int
    indicators: tuple[str, ...]


@dataclass(frozen=True)
class StoredIndicator:
    """One stored indicator, as `kostra list` shows it."""

    indicator: str
    regions: int
    years: tuple[str, ...]
    figures: int
    without: int  # figures stored as a symbol (no number)
    files: tuple[str, ...]
    imported_at: dt.datetime


def keep(store: Store, figures: pa.Table, file_name: str, sha256: str) -> Imported:
    """Store a file's figures in one transaction; figures already stored for the same
    (indicator, region, year) are replaced by these."""
    with store.transaction(incoming=figures) as con:
        # the import's number, taken before what it replaces goes: a re-import of the newest
        # file is another version of the figures too
        number = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM kostra_figures"
                             ).fetchall()[0][0]
        replaced = con.execute("SELECT count(*) FROM kostra_figures k JOIN incoming i "
                               "USING (indicator, region, year)").fetchall()[0][0]
        con.execute("DELETE FROM kostra_figures WHERE (indicator, region, year) IN "
                    "(SELECT (indicator, region, year) FROM incoming)")
        con.execute(
            "INSERT INTO kostra_figures SELECT indicator, region, region_name, year, value, "
            "symbol, ?, position, ?, ?, now() FROM incoming", [number, file_name, sha256])
        names = con.execute("SELECT indicator FROM incoming GROUP BY 1 "
                            "ORDER BY min(position)").fetchall()
    return Imported(figures.num_rows - replaced, replaced, tuple(n for (n,) in names))


def version(store: Store) -> int:
    """How many imports the figures have had: another when a file is imported."""
    if store.version < KOSTRA_VERSION:
        return 0
    return store.con.execute("SELECT coalesce(max(import_id), 0) FROM kostra_figures"
                             ).fetchall()[0][0]


def figures(store: Store) -> list[dict]:
    """Every stored figure: indicators in the order of the imports their figures come from
    (and of the files; an indicator imported again takes its new place), each indicator's
    figures in the order of their imports and files."""
    if store.version < KOSTRA_VERSION:
        return []
    cur = store.con.execute("""
      SELECT indicator, region, region_name, year, value, symbol
      FROM kostra_figures k
      JOIN (SELECT indicator, min(import_id * 4294967296 + position) AS first
            FROM kostra_figures GROUP BY 1) f USING (indicator)
      ORDER BY f.first, k.import_id, k.position""")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def listing(store: Store) -> list[StoredIndicator]:
    """The stored indicators with their regions, years and files."""
    if store.version < KOSTRA_VERSION:
        return []
    rows = store.con.execute("""
      SELECT indicator, count(DISTINCT region), list(DISTINCT year ORDER BY year), count(*),
             count(*) FILTER (WHERE value IS NULL), list(DISTINCT source_file ORDER BY
             source_file), max(imported_at), min(import_id * 4294967296 + position) AS first
      FROM kostra_figures GROUP BY indicator ORDER BY first""").fetchall()
    return [StoredIndicator(r[0], r[1], tuple(r[2]), r[3], r[4], tuple(r[5]), r[6])
            for r in rows]
