"""Open, migrate, read and write the store. duckdb errors become StoreError here."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import duckdb

from innsatstrapp.errors import StoreError, UnknownPeriod, os_reason
from innsatstrapp.files import OwnerOnly, not_a_folder
from innsatstrapp.period import Period
from innsatstrapp.store import attached
from innsatstrapp.store.schema import (
    DECISION_COLUMNS,
    MIGRATIONS,
    READABLE_FROM,
    SCHEMA_VERSION,
)

ROWS_VERSION = 5  # the schema version that added query_rows

if TYPE_CHECKING:
    import pyarrow as pa

DEFAULT_DB = Path("innsatstrapp.duckdb")
CATALOG_SETTING = "catalog"  # the setting that names the catalog the store remembers


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> object:
    """The single value of a query (fetching all, so the connection is free afterwards)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


@dataclass(frozen=True)
class ExtractInfo:
    """Provenance of one stored period."""

    period: str
    as_of: dt.date
    file_name: str
    file_sha256: str
    file_format: str
    rows: int
    persons: int
    columns: tuple[str, ...]
    ingested_at: dt.datetime
    tool_version: str


_BUSY = ("could not set lock", "conflicting lock", "different configuration",
         "used by another process")
_DAMAGED = ("checksum", "corrupt", "block", "serializ", "unexpected end",
            "could not read enough bytes")  # cut short inside its first blocks


def store_error(path: Path, exc: duckdb.Error) -> StoreError:
    text = str(exc)
    low = text.lower()
    # another program holds the file (this process holding it in the other mode is
    # `attached.OtherMode`, said the same): it passes when the other lets go
    if any(w in low for w in _BUSY):
        return _busy(path)
    if "permission denied" in low or "access is denied" in low:
        return StoreError(f"Lageret {path} kan ikke åpnes: du mangler tilgang til filen eller "
                          f"mappen. Be om tilgang, eller bruk --db med et lager i en mappe "
                          f"du kan skrive i.")
    if "not a valid duckdb" in low:
        return StoreError(f"{path} er ikke et innsatstrapp-lager (ikke en DuckDB-fil).")
    first = text.splitlines()[0][:200] if text else type(exc).__name__
    if any(w in low for w in _DAMAGED):
        return StoreError(f"Lageret {path} kan ikke leses; det ser ut til å være skadet eller "
                          f"ufullstendig (DuckDB: {first}). Gjenopprett lageret og nøkkelfilen "
                          f"fra sikkerhetskopi, eller lag et nytt lager og les inn uttrekkene "
                          f"på nytt.")
    return StoreError(f"Lageret {path} kunne ikke brukes (DuckDB: {first}). Er det et "
                      f"innsatstrapp-lager, og har du tilgang til det?")


def _busy(path: Path) -> StoreError:
    busy = StoreError(f"Lageret {path} er i bruk av et annet program (for eksempel "
                      f"«innsatstrapp serve»). Lukk det og prøv igjen.")
    busy.busy = True
    return busy


def require(extracts: dict[str, ExtractInfo], period: Period | str,
            where: object = None) -> ExtractInfo:
    """`extracts[period]`, or the one error for a period the store does not hold."""
    found = extracts.get(str(Period.of(period)))
    if found is None:
        raise UnknownPeriod(period, list(extracts), where)
    return found


class Store:
    """A DuckDB file holding every ingested period. Use as a context manager."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path) -> None:
        self.con = con
        self.path = path
        self._private: OwnerOnly | None = None
        self._where = ""  # the file's key among the process's attachments (`attached`)
        self._version: int | None = None  # read once: only a migration here changes it

    @classmethod
    def open(cls, path: Path | str = DEFAULT_DB, *, create: bool = False,
             read_only: bool = False, wait: float = 0.0,
             waiting: Callable[[], None] | None = None) -> Store:
        """Open (and migrate) the store. With `wait`, a store in use by another program
        (the dashboard reading it) is tried again for up to that many seconds; `waiting`
        is called once when the wait begins (to say so)."""
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                return cls._open(Path(path), create, read_only)
            except StoreError as exc:
                if not exc.busy or time.monotonic() >= deadline:
                    raise
                if waiting and not told:
                    waiting()
                    told = True
                time.sleep(0.25)

    @classmethod
    def _open(cls, path: Path, create: bool, read_only: bool) -> Store:
        if path.is_dir():
            raise StoreError(f"{path} er en mappe, ikke et lager. Oppgi lagerfilen med --db, "
                             f"for eksempel {path / 'innsatstrapp.duckdb'}.")
        new = not path.exists()
        if new:
            if not create:
                raise StoreError(f"Finner ikke lageret {path}. Les inn et uttrekk først med "
                                 f"«innsatstrapp ingest FIL --period ÅÅÅÅ-MM».")
            not_a_folder(path.parent)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"Kan ikke lage mappen for lageret {path}: {os_reason(exc)}."
                                 ) from None
        private = OwnerOnly()  # also read-only: the engine may spill query data to disk
        try:
            con, where = attached.connect(path, read_only)
        except attached.OtherMode:
            private.release()
            raise _busy(path) from None
        except duckdb.Error as exc:
            private.release()
            raise store_error(path, exc) from None
        except BaseException:
            private.release()
            raise
        store = cls(con, path)
        store._private, store._where = private, where
        try:
            if new:
                os.chmod(path, 0o600)  # health data: owner only
            _owner_only(Path(f"{path}.wal"))  # one a crash left as it was
            store._migrate(read_only)
        except BaseException:
            store.close()
            raise
        return store

    def __enter__(self) -> Store:
        return self

    def __exit__(self, typ: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        if self._private is None:  # a connection the caller gave (`Store(con, path)`)
            self.con.close()
            return
        try:
            attached.release(self._where, self.con)
        except duckdb.Error as exc:
            raise store_error(self.path, exc) from None
        finally:
            self._private.release()
            self._private = None

    # --- schema -------------------------------------------------------------------------

    @property
    def version(self) -> int:
        """The store's schema version, read at the first asking (each reader asks before
        it reads a table a later version added)."""
        if self._version is None:
            # duckdb_tables() and not information_schema: the same answer in about a tenth
            # of the time (information_schema took 5–11 ms), on every opening of the store
            has = scalar(self.con, "SELECT count(*) FROM duckdb_tables() "
                                   "WHERE table_name = 'schema_info' AND schema_name = 'main' "
                                   "AND database_name = current_database()")
            self._version = int(scalar(self.con, "SELECT max(version) FROM schema_info")
                                or 0) if has else 0
        return self._version

    def _migrate(self, read_only: bool) -> None:
        try:
            version = self.version
            if version > SCHEMA_VERSION:
                raise StoreError(f"Lageret {self.path} er laget av en nyere versjon av "
                                 f"innsatstrapp (skjema {version}); oppgrader programmet.")
            if version == SCHEMA_VERSION:
                return
            if read_only and version >= READABLE_FROM:
                return  # read as it is; decisions are neither read from it nor kept in it
            if read_only:
                raise StoreError(f"Lageret {self.path} har et eldre skjema ({version}); kjør "
                                 f"en «innsatstrapp ingest» for å oppgradere det.")
            self.con.execute("BEGIN TRANSACTION")
            for statements in MIGRATIONS[version:]:
                for sql in statements:
                    self.con.execute(sql)
            if version == 0:
                self.con.execute("INSERT INTO schema_info VALUES (?, now(), NULL)",
                                 [SCHEMA_VERSION])
            else:
                self.con.execute("UPDATE schema_info SET version = ?", [SCHEMA_VERSION])
            self.con.execute("COMMIT")
            self._version = SCHEMA_VERSION
        except duckdb.Error as exc:
            self.rollback()
            raise store_error(self.path, exc) from None

    def rollback(self) -> None:
        with contextlib.suppress(duckdb.Error):
            self.con.execute("ROLLBACK")

    # --- key ----------------------------------------------------------------------------

    @property
    def key_fingerprint(self) -> str | None:
        return scalar(self.con, "SELECT key_fingerprint FROM schema_info")

    # --- writing ------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self, **tables: pa.Table | str) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction: committed when the block ends; if the engine fails, rolled back
        and said in Norwegian, the store as it was. `tables` (Arrow tables, or the names of
        tables in another database of the process's instance, such as ingest's engine) are
        there for the block under their names."""
        try:
            for name, table in tables.items():
                if isinstance(table, str):  # a view of this connection only, never stored
                    self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS FROM {table}")
                else:
                    self.con.register(name, table)
            self.con.execute("BEGIN TRANSACTION")
            yield self.con
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.rollback()
            raise store_error(self.path, exc) from None
        finally:
            for name, table in tables.items():
                with contextlib.suppress(duckdb.Error):
                    if isinstance(table, str):
                        self.con.execute(f"DROP VIEW IF EXISTS {name}")
                    else:
                        self.con.unregister(name)

    def replace_period(self, info: ExtractInfo, decisions: pa.Table | str,
                       key_fingerprint: str) -> None:
        """Store one period's decisions (an Arrow table, or the engine's table ingest hands
        over), replacing what it held, in one transaction."""
        cols = ", ".join(DECISION_COLUMNS)
        with self.transaction(incoming=decisions):
            self.con.execute("DELETE FROM decisions WHERE period = ?", [info.period])
            self.con.execute("DELETE FROM extracts WHERE period = ?", [info.period])
            self._forget(info.period)
            self.con.execute(f"INSERT INTO decisions (period, {cols}) "
                             f"SELECT ?, {cols} FROM incoming", [info.period])
            self.con.execute(
                "INSERT INTO extracts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [info.period, info.as_of, info.file_name, info.file_sha256, info.file_format,
                 info.rows, info.persons, list(info.columns), info.ingested_at,
                 info.tool_version])
            self.con.execute("UPDATE schema_info SET key_fingerprint = ?", [key_fingerprint])

    def delete_period(self, period: Period | str) -> bool:
        period = str(Period.of(period))
        with self.transaction():
            n = scalar(self.con, "DELETE FROM extracts WHERE period = ?", [period])
            self.con.execute("DELETE FROM decisions WHERE period = ?", [period])
            self._forget(period)
        return bool(n)

    def _forget(self, period: str) -> None:
        """A period replaced or removed: its decisions and its pairs' go (in the caller's
        transaction)."""
        self.con.execute("DELETE FROM disclosure_decisions WHERE period = ? OR before = ?",
                         [period, period])
        self.con.execute("DELETE FROM published_reports WHERE list_contains(periods, ?)",
                         [period])
        if self.version >= ROWS_VERSION:
            self.con.execute("DELETE FROM query_rows WHERE period = ? OR before = ?",
                             [period, period])

    def keep_decisions(self, rows: list[tuple[str, str, str | None, str, int, str]]) -> None:
        """Store suppression decisions: (key, period, before, catalog_sha256, threshold,
        cells as JSON). A decision for another catalog or threshold of the same period or
        pair is dropped: the catalog has changed."""
        from innsatstrapp import __version__

        if not rows:
            return
        with self.transaction():
            for key, period, before, catalog, threshold, _ in rows:
                self.con.execute(
                    "DELETE FROM disclosure_decisions WHERE key = ? OR (period = ? AND "
                    "before IS NOT DISTINCT FROM ? AND (catalog_sha256 <> ? OR threshold = ?))",
                    [key, period, before, catalog, threshold])
            self.con.executemany(
                "INSERT INTO disclosure_decisions VALUES (?, ?, ?, ?, ?, ?, now(), ?)",
                [(*r, __version__) for r in rows])

    def decisions_for(self, keys: list[str]) -> dict[str, str]:
        """The stored decisions among `keys`: key → cells as JSON."""
        if not keys or self.version < 2:
            return {}
        # the rows found by their keys first, then read whole: a filter on the key in the
        # same scan read the long cells row by row (45 decisions of a 24-month store: 25 ms,
        # against 3 ms so)
        rows = self.con.execute("SELECT key, cells FROM disclosure_decisions WHERE rowid IN "
                                "(SELECT rowid FROM disclosure_decisions "
                                "WHERE list_contains(?, key))", [keys]).fetchall()
        return dict(rows)

    def query_rows(self, keys: list[str]) -> dict[str, bytes]:
        """The kept query rows among `keys`: key → body (see `metrics.rows`)."""
        if not keys or self.version < ROWS_VERSION:
            return {}
        rows = self.con.execute("SELECT key, body FROM query_rows WHERE list_contains(?, key)",
                                [keys]).fetchall()
        return {k: bytes(b) for k, b in rows}

    def keep_query_rows(self, code: str, catalog: str,
                        rows: list[tuple[str, str, str | None, str, bytes]]) -> None:
        """Keep query rows: (key, period, before, kind, body), made by the statements of
        `code` from the catalog rows `catalog` (a hash). Rows made by other statements (another
        version) go, and so do those of the same months and pairs from another catalog (an
        edited catalog supersedes them, as its decisions do)."""
        if not rows:
            return
        with self.transaction():
            self.con.execute(
                "DELETE FROM query_rows WHERE code <> ? OR list_contains(?, key) OR (catalog <> ? "
                "AND list_contains(?, period || '/' || coalesce(before, '')))",
                [code, [r[0] for r in rows], catalog,
                 [f"{p}/{b or ''}" for _, p, b, _, _ in rows]])
            self.con.executemany("INSERT INTO query_rows VALUES (?, ?, ?, ?, ?, ?, ?, now())",
                                 [(k, p, b, kind, catalog, code, body)
                                  for k, p, b, kind, body in rows])

    KEEP_PUBLISHED = 48  # sets of published reports kept (the newest)

    def keep_published(self, key: str, periods: list[str], body: bytes) -> None:
        """Keep a set of published reports under `key` (replacing one of the same key),
        and only the newest KEEP_PUBLISHED sets."""
        from innsatstrapp import __version__

        with self.transaction():
            self.con.execute("DELETE FROM published_reports WHERE key = ?", [key])
            self.con.execute("INSERT INTO published_reports VALUES (?, ?, ?, now(), ?)",
                             [key, periods, body, __version__])
            self.con.execute(
                "DELETE FROM published_reports WHERE key NOT IN (SELECT key FROM "
                "published_reports ORDER BY made_at DESC LIMIT ?)", [self.KEEP_PUBLISHED])

    def published(self, key: str) -> bytes | None:
        """The published reports kept under `key`, if any."""
        if self.version < 3:
            return None
        rows = self.con.execute("SELECT body FROM published_reports WHERE key = ?",
                                [key]).fetchall()
        return bytes(rows[0][0]) if rows else None

    def setting(self, name: str) -> str | None:
        if self.version < 3:
            return None
        rows = self.con.execute("SELECT value FROM settings WHERE name = ?", [name]).fetchall()
        return rows[0][0] if rows else None

    @property
    def remembered_catalog(self) -> Path | None:
        """The catalog `ingest --catalog` registered (`catalog.registered`), or None."""
        value = self.setting(CATALOG_SETTING)
        return Path(value) if value else None

    def set_setting(self, name: str, value: str) -> None:
        try:
            self.con.execute("INSERT OR REPLACE INTO settings VALUES (?, ?)", [name, value])
        except duckdb.Error as exc:
            raise store_error(self.path, exc) from None

    # --- reading ------------------------------------------------------------------------

    def periods(self) -> list[ExtractInfo]:
        rows = self.con.execute(
            "SELECT period, as_of, file_name, file_sha256, file_format, rows, persons, columns, "
            "ingested_at, tool_version FROM extracts ORDER BY period").fetchall()
        return [ExtractInfo(*r[:7], tuple(r[7]), *r[8:]) for r in rows]

    def extract(self, period: Period | str) -> ExtractInfo | None:
        key = str(Period.of(period))
        return next((e for e in self.periods() if e.period == key), None)

    def require(self, period: Period | str) -> ExtractInfo:
        """The stored extract of `period`; UnknownPeriod (listing what is stored) if none."""
        return require({x.period: x for x in self.periods()}, period, self.path)

    def service_rows(self, period: Period | str) -> list[tuple[str, int]]:
        """Each service of a period's extract with its number of rows, most rows first."""
        return self.con.execute(
            "SELECT service, count(*) AS n FROM decisions WHERE period = ? "
            "GROUP BY service ORDER BY n DESC, service", [str(Period.of(period))]).fetchall()


def _owner_only(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.exists():
            os.chmod(path, 0o600)
