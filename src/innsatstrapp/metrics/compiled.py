"""The report's queries, compiled from their Ibis expressions to SQL once and kept.

Every expression reads its inputs from tables of the connection, not from literals: the
catalog (`report_catalog`), the periods of the frame (`report_periods`), the periods whose
counts are needed (`report_counts`), those that need every detail (`report_detail`), those
whose persons by age are needed (`report_ages`) and the pairs of periods (`report_pairs`).
So one compiled statement serves any catalog, period set and store, and only the code, Ibis
or DuckDB changing compiles again. The statements are kept in the store (`settings`, under a
key of those versions) and in the user's cache folder (so a fresh store finds them too); a
process that finds them runs them with DuckDB alone and never imports Ibis. The metrics stay
Ibis expressions (portable to other engines); what changes is when they are compiled.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import duckdb

from innsatstrapp.catalog import Catalog
from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.files import user_cache, written
from innsatstrapp.metrics import kept
from innsatstrapp.metrics.mapped import CATALOG_COLUMNS, catalog_rows
from innsatstrapp.store import Store, attached

# the statements' inputs (`register`), and the queries in the order they run (the two
# temporary tables first)
INPUTS = ("report_catalog", "report_periods", "report_counts", "report_detail", "report_ages",
          "report_pairs")
TABLES = ("report_frame", "report_people")
MOVEMENT = ("matrix", "moves")
QUERIES = (*MOVEMENT, "levels", "by_age", "headline", "steps", "groups", "services",
           "conc_service", "conc_group", "long_term", "unmapped", "totals", "missing_hours",
           "long_hours", "conflicts")


# the frame's columns no query reads, left out of the frame table (it holds every decision
# twice, for the whole and for its unit: one month's took 23 ms so, 26–31 ms with them); a
# query that reads one fails to compile, and then it is taken off this list
UNREAD = ("source_row", "decision_id", "end_date", "unit", "municipality")


def key() -> str:
    """What the statements depend on: this code, Ibis and DuckDB."""
    text = json.dumps([kept.code_fingerprint(), _ibis_version(), duckdb.__version__])
    return "sql:" + hashlib.sha256(text.encode()).hexdigest()


@functools.cache
def _ibis_version() -> str:
    """Read once per process: from Ibis's installed metadata (not importing it), 1–2 ms, and
    a build asks for the key four times."""
    return metadata.version("ibis-framework")


def load(store: Store) -> dict[str, str] | None:
    """The kept statements, if they were compiled by this code with these versions: the
    store's, else the user's cache (a fresh store need not compile them again)."""
    text = store.setting(key())
    if text is None:
        try:
            text = _cached().read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
    return _valid(text)


def _valid(text: str) -> dict[str, str] | None:
    try:
        sql = json.loads(text)
    except ValueError:
        return None
    if not isinstance(sql, dict) or not set(sql) >= {*TABLES, *QUERIES}:
        return None
    return sql if all(isinstance(v, str) for v in sql.values()) else None


def keep(store: Store, sql: dict[str, str]) -> None:
    """Keep the statements in the (writable) store and in the user's cache, for later
    processes; a cache that cannot be written is left as it is."""
    text = json.dumps(sql)
    store.set_setting(key(), text)
    with contextlib.suppress(InnsatstrappError, OSError), written(_cached()) as temp:
        temp.write_text(text, encoding="utf-8")


def _cached() -> Path:
    """The statements' file in the user's cache: named by their key, so another version
    of this code, Ibis or DuckDB reads its own."""
    return user_cache() / f"{key().removeprefix('sql:')}.json"


def register(con: duckdb.DuckDBPyConnection, catalog: Catalog, periods: list[str],
             detail: list[str], ages: list[str], pairs: list[tuple[str, str]],
             counts: list[str] | None = None) -> None:
    """The statements' inputs as temporary tables of this connection, each made by one
    statement from lists (row by row, the catalog's hundred services took 0,1 s). The
    frame holds `periods`; the counts are made for `counts` (default: all of them): a
    month's pair needs the month before in the frame, not its counts again."""
    _table(con, "report_catalog", CATALOG_COLUMNS, catalog_rows(catalog))
    for name, values in (("report_periods", periods),
                         ("report_counts", periods if counts is None else counts),
                         ("report_detail", detail), ("report_ages", ages)):
        _table(con, name, (("period", "VARCHAR"),), [(p,) for p in dict.fromkeys(values)])
    _table(con, "report_pairs", (("period", "VARCHAR"), ("before", "VARCHAR")), list(pairs))


def _table(con: duckdb.DuckDBPyConnection, name: str, columns: tuple[tuple[str, str], ...],
           rows: list[tuple]) -> None:
    """A temporary table `name` of `columns` ((name, type)) holding `rows`."""
    values = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    listed = ", ".join(f'unnest(?::{kind}[]) AS "{column}"' for column, kind in columns)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {listed}", values)


def run(con: duckdb.DuckDBPyConnection, sql: dict[str, str] | None, with_pairs: bool
        ) -> tuple[dict[str, list[dict]], dict[str, str]]:
    """Run every query over the registered inputs: (rows per query, the statements). What
    `sql` lacks is compiled from the expressions (and returned for keeping), and then they
    run one after the other; a whole kept set runs side by side."""
    sql = dict(sql or {})
    wanted = [n for n in QUERIES if with_pairs or n not in MOVEMENT]
    if set(sql) >= {*TABLES, *QUERIES}:
        rows = _side_by_side(con, sql, wanted)
        return {n: rows.get(n, []) for n in QUERIES}, sql
    make = _Expressions(con)

    def statement(name: str) -> str:
        if name not in sql:
            sql[name] = make.compile(name)
        return sql[name]

    for table in TABLES:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {statement(table)}")
    out: dict[str, list[dict]] = {}
    for name in QUERIES:
        text = statement(name)  # compiled even when not run, so the set is whole
        out[name] = _rows(con.execute(text)) if name in wanted else []
    return out, sql


# queries at a time, one per core, each on one thread of the engine: the statements are
# small, and a small statement on several threads spends more on sharing them out than it
# gains (a report with two history months: 0,40 s on the engine's threads, 0,34 s so)
WORKERS = max(1, min(8, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
                       else os.cpu_count() or 1))


def _side_by_side(con: duckdb.DuckDBPyConnection, sql: dict[str, str], names: list[str]
                  ) -> dict[str, list[dict]]:
    """The kept statements run `WORKERS` at a time, each on a cursor of its own, over a
    scratch database of this run (cursors do not see each other's temporary tables): the
    inputs are copied there, the two frame tables made there once, and it is dropped after.
    The same statements, so the same rows as one after the other, in a little over half the
    time."""
    home = con.execute("SELECT current_database()").fetchone()[0].replace('"', '""')
    work = f"report_run_{secrets.token_hex(6)}"
    con.execute(f"ATTACH ':memory:' AS {work} (READ_ONLY false)")
    try:
        for name in INPUTS:
            con.execute(f"CREATE TABLE {work}.{name} AS FROM temp.{name}")

        def cursor() -> duckdb.DuckDBPyConnection:
            c = con.cursor()
            c.execute("SET search_path = ?", [f'{work},"{home}"'])
            return c

        with attached.THREADS:  # one run at a time sets the instance's threads
            return _one_thread_each(con, cursor, sql, names)
    finally:
        con.execute(f"DETACH {work}")


# the queries in the order they are started side by side: the longest first, so that no
# worker is left with a long one after the other is done (one month, each on one thread:
# the two concentrations 16–19 ms, services and the headline 13–14 ms, a step's or a group's
# 8–9 ms, the rest 1–7 ms; 5–8 ms of the 0,12 s)
LONGEST_FIRST = ("conc_service", "conc_group", "services", "headline", "matrix", "moves",
                 "steps", "groups", "by_age", "missing_hours", "long_term", "levels",
                 "totals", "unmapped", "long_hours", "conflicts")

# below this many decisions (some five months of a town of 48 000) the frame tables are made
# faster on one thread than on all: one month's took 18 ms so and 31 ms on two, two months'
# 29 and 42 ms, where 23 months' took 328 ms on one and 155 ms on two
SMALL_FRAME = 100_000


# the queries that read the persons' table (the others read the frame alone)
ON_PEOPLE = ("matrix", "moves", "levels", "by_age", "conflicts")


def _one_thread_each(con: duckdb.DuckDBPyConnection,
                     cursor: Callable[[], duckdb.DuckDBPyConnection], sql: dict[str, str],
                     names: list[str]) -> dict[str, list[dict]]:
    """The frame on every thread of the engine when it is large (`SMALL_FRAME`), else on
    one, then the queries `WORKERS` at a time on one thread each; the engine's threads set
    back as soon as they are done. The persons' table is made as the first of them for a
    small frame (beside the queries of the frame alone, which start longest first), before
    them for a large one; the queries that read it wait for it, and come last."""
    first = cursor()
    try:
        (rows,) = first.execute("SELECT count(*) FROM decisions WHERE period IN "
                                "(SELECT period FROM report_periods)").fetchone()
        small = rows < SMALL_FRAME
        with attached.threads(1 if small else None):
            for table in TABLES if not small else TABLES[:1]:
                first.execute(f"CREATE TABLE {table} AS {sql[table]}")
    finally:
        first.close()

    def run(text: str) -> list[dict]:
        c = cursor()
        try:
            return _rows(c.execute(text))
        finally:
            c.close()

    with attached.threads(1), ThreadPoolExecutor(WORKERS) as pool:
        people = pool.submit(run, f"CREATE TABLE report_people AS {sql['report_people']}"
                             ) if small else None

        def query(name: str) -> list[dict]:
            if people is not None and name in ON_PEOPLE:
                people.result()  # made by then nearly always: the longer queries went first
            return run(sql[name])

        order = sorted(names, key=lambda n: (n in ON_PEOPLE, LONGEST_FIRST.index(n)))
        found = {name: pool.submit(query, name) for name in order}
        if people is not None:
            people.result()  # its failure said, even when no query read it
        return {name: f.result() for name, f in found.items()}


def _rows(cur: duckdb.DuckDBPyConnection) -> list[dict]:
    """The result as dicts; exact decimal sums (hours, `frame`) as floats, rounded once."""
    names = [d[0] for d in cur.description]
    exact = [i for i, d in enumerate(cur.description) if str(d[1]).startswith("DECIMAL")]
    rows = cur.fetchall()
    if exact:
        rows = [tuple(float(v) if i in exact and v is not None else v
                      for i, v in enumerate(r)) for r in rows]
    return [dict(zip(names, r, strict=True)) for r in rows]


class _Expressions:
    """The Ibis expressions of every statement, over the registered tables (Ibis is
    imported here only)."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        import ibis

        self.ibis = ibis.duckdb.from_connection(con)
        self.make: dict[str, Callable] = self._expressions()

    def compile(self, name: str) -> str:
        return str(self.ibis.compile(self.make[name]()))

    def _expressions(self) -> dict[str, Callable]:
        from innsatstrapp.metrics import concentration as conc
        from innsatstrapp.metrics import figures, frame, long_term, movement, quality

        con = self.ibis
        t = con.table
        detail = lambda: t("report_detail").period  # noqa: E731

        def d():
            return t("report_frame")

        def x():
            return d().filter(d().period.isin(detail()))

        def c():
            return d().filter(d().period.isin(t("report_counts").period))

        def people():
            return t("report_people")

        def moved():
            return movement.moved(people(), t("report_pairs"))

        return {
            "report_frame": lambda: frame.decisions(con, t("report_periods").period,
                                                    t("report_catalog"), by_unit=True
                                                    ).drop(*UNREAD),
            "report_people": lambda: movement.persons(d()),
            "matrix": lambda: movement.matrix(moved()),
            "moves": lambda: movement.flows(moved()),
            "levels": lambda: movement.levels(people().filter(people().period.isin(
                t("report_counts").period))),
            "by_age": lambda: movement.by_age(people().filter(people().period.isin(
                t("report_ages").period))),
            "headline": lambda: figures.headline(c()),
            "steps": lambda: figures.by_step(c()),
            "groups": lambda: figures.by_group(c()),
            "services": lambda: figures.by_service(c()),
            "conc_service": lambda: conc.concentration(x(), "service"),
            "conc_group": lambda: conc.concentration(x(), "group"),
            "long_term": lambda: long_term.long_term(x()),
            "unmapped": lambda: quality.unmapped(x()),
            "totals": lambda: quality.totals(c()),
            "missing_hours": lambda: quality.missing_hours(x()),
            "long_hours": lambda: quality.long_hours(x()),
            "conflicts": lambda: quality.conflicting_persons(people().filter(
                people().period.isin(detail()))),
        }
