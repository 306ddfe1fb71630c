"""From a raw extract file to one stored, pseudonymised period."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from innsatstrapp import __version__
from innsatstrapp.errors import StoreError
from innsatstrapp.ingest.columns import holds_required, load_mapping, resolve_columns
from innsatstrapp.ingest.pseudonymise import (
    create_key,
    drop_clear,
    fingerprint,
    key_path,
    new_key,
    pseudonymise,
    read_key,
)
from innsatstrapp.ingest.validate import Engine, typed
from innsatstrapp.ingest.validate import check as check_file
from innsatstrapp.period import Period, parse_as_of
from innsatstrapp.store import DEFAULT_DB, ExtractInfo, Store, attached
from innsatstrapp.tables import read_table

__all__ = ["IngestResult", "ingest_file"]


@dataclass(frozen=True)
class IngestResult:
    extract: ExtractInfo
    replaced: bool
    ignored_columns: tuple[str, ...]
    services: int
    key_created: bool
    db: Path
    warnings: tuple[str, ...] = ()  # what suggests the wrong --period (stored anyway)
    catalog: Path | None = None  # the catalog the store remembers (`ingest --catalog`)


def ingest_file(path: Path | str, period: Period | str, *, as_of: dt.date | str | None = None,
                db: Path | str = DEFAULT_DB, mapping: Path | str | None = None,
                wait: float = 0.0, waiting: Callable[[], None] | None = None) -> IngestResult:
    """Read, check and pseudonymise one extract and store it as `period`, atomically.

    Everything that can be wrong with the file is found before the store is opened, so a
    rejected file leaves the store (and the key) exactly as they were. A store in use by
    another program is waited for up to `wait` seconds (`waiting` is told when that starts).
    """
    path, db = Path(path), Path(db)
    key_path(db)  # refuses a store path that would collide with its key file
    period = Period.of(period)
    as_of = as_of if isinstance(as_of, dt.date) else parse_as_of(as_of, period)
    aliases = load_mapping(Path(mapping)) if mapping else None
    # the engine is made on a thread of its own while the file is read and its bytes are
    # checked here (25–40 ms each), and opened when it first reads
    attached.prepare()
    with contextlib.ExitStack() as stack:
        made: list[Engine] = []

        def engine() -> Engine:
            if not made:
                made.append(Engine.open())
                stack.callback(made[0].close)  # what is left of the file goes at the end
                stack.enter_context(attached.threads(1 if _size(path) < SMALL_FILE else None))
            return made[0]

        return _ingest(engine, path, period, as_of, db, aliases, wait, waiting)


# below this size (some 100 000 rows) a file is read, checked and stored faster on one of the
# engine's threads than on two: sharing out statements of so few rows cost more than it
# gained (a month of 18 500 rows: 0,15 → 0,13 s; 111 000 rows: 0,70 → 0,58 s), where a
# million rows (100 MB) took 4,5 s on one thread and 2,8 s on two
SMALL_FILE = 12 * 1024 * 1024


def _size(path: Path) -> int:
    """The file's size as a CSV's: an XLSX is packed, some ten times smaller than its rows as
    text. One that cannot be read is said by the reader; here it is large."""
    try:
        size = path.stat().st_size
    except OSError:
        return SMALL_FILE
    return size * 10 if path.suffix.lower() in (".xlsx", ".xlsm") else size


def _ingest(engine: Callable[[], Engine], path: Path, period: Period, as_of: dt.date,
            db: Path, aliases: dict[str, str] | None, wait: float,
            waiting: Callable[[], None] | None) -> IngestResult:
    """Read and check into the `engine` (made at its first use), pseudonymise there, and
    let the store read the pseudonymised decisions from it: no clear id leaves the engine,
    and the cells are in memory once."""
    raw = read_table(path, lambda cells: holds_required(cells, aliases),
                     into=lambda: engine().con)
    columns = resolve_columns(raw.headers, raw.file_name, aliases, raw.header_row)
    staged = typed(raw, columns, engine())
    file_name, sha256, file_format = raw.file_name, raw.sha256, raw.file_format
    # the file is checked on a cursor of its own while the ids are pseudonymised (a month's
    # checks 10 ms, beside 25–30): nothing outside the engine is written before the checks
    # have passed, a new store's key included, and the file's problems are said first
    checks = _Beside(engine().cursor(),
                     lambda con, raw=raw: check_file(con, raw, columns, as_of))
    try:
        key, key_created = _key(db, wait, waiting)
        pseudonymise(staged, key, keep_clear=True)
    finally:
        checks.end()
    drop_clear(staged)
    del raw  # let the text cells go before the store is written (1M-row files)
    if key_created:
        create_key(db, key)
    rows, persons, services = engine().con.execute(
        "SELECT count(*), count(DISTINCT person), count(DISTINCT service) FROM decisions"
    ).fetchone()
    decisions = engine().hand_over("decisions")

    check = fingerprint(key)
    with Store.open(db, create=True, wait=wait, waiting=waiting) as store:
        known = store.key_fingerprint
        if known is not None and known != check:
            raise StoreError(
                f"Nøkkelen passer ikke til lageret {db}: personer ville fått andre pseudonymer "
                f"enn i periodene som alt er lagret. Bruk samme nøkkel som før.")
        stored = store.periods()
        replaced = any(x.period == str(period) for x in stored)
        warnings = _second_thoughts(stored, str(period), file_name, sha256)
        info = ExtractInfo(
            period=str(period), as_of=as_of, file_name=file_name, file_sha256=sha256,
            file_format=file_format, rows=rows, persons=persons,
            columns=tuple(f for f in columns.positions), ingested_at=dt.datetime.now().replace(
                microsecond=0), tool_version=__version__)
        store.replace_period(info, decisions, check)
        remembered = store.remembered_catalog
    return IngestResult(info, replaced, columns.ignored, services, key_created, db,
                        tuple(warnings), remembered)


class _Beside:
    """`work(con)` on a thread of its own, `con` closed after; `end` waits for it and raises
    what it raised."""

    def __init__(self, con: duckdb.DuckDBPyConnection,
                 work: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
        self.failed: BaseException | None = None

        def run() -> None:
            try:
                work(con)
            except BaseException as exc:  # raised by `end`, in the caller
                self.failed = exc
            finally:
                con.close()

        self.thread = threading.Thread(target=run, name="innsatstrapp-checks")
        self.thread.start()

    def end(self) -> None:
        self.thread.join()
        if self.failed is not None:
            raise self.failed


def _key(db: Path, wait: float, waiting: Callable[[], None] | None) -> tuple[bytes, bool]:
    """The store's key, and whether it is new (made now for a new store, and written by the
    caller once the file has passed its checks)."""
    key = read_key(db)
    if key is not None:
        return key, False
    if db.exists():
        with Store.open(db, read_only=True, wait=wait, waiting=waiting) as store:
            if store.key_fingerprint is not None:
                raise StoreError(
                    f"Nøkkelfilen {key_path(db)} mangler, men lageret {db} har data laget "
                    f"med en nøkkel. Legg tilbake nøkkelfilen (fra sikkerhetskopi), eller "
                    f"start et nytt lager og les inn alle uttrekkene på nytt.")
    return new_key(), True


_PERIOD_IN_NAME = re.compile(r"(?<!\d)(20\d{2})[-_.]?(0[1-9]|1[0-2])(?!\d)")


def _second_thoughts(stored: list[ExtractInfo], period: str, file_name: str,
                     sha256: str) -> list[str]:
    """What suggests the wrong --period: the same file already stored as another month, or a
    file name that names another month."""
    out = []
    same = [x.period for x in stored if x.file_sha256 == sha256 and x.period != period]
    if same:
        out.append(f"Samme fil (samme innhold) er alt lagret som {', '.join(same)}. Er "
                   f"--period {period} riktig? Fjern den som er feil med «innsatstrapp remove "
                   f"--period ÅÅÅÅ-MM», eller les inn riktig fil på nytt.")
    named = {f"{y}-{m}" for y, m in _PERIOD_IN_NAME.findall(file_name)}
    if named and period not in named:
        out.append(f"Filnavnet sier {', '.join(sorted(named))}, men --period er {period}. "
                   f"Er perioden riktig?")
    return out
