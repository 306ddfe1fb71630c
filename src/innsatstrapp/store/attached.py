"""The process's one DuckDB instance, to which every opened store file is attached.

Making a DuckDB instance costs 25–40 ms (its functions and extensions are set up each time);
attaching a file to one costs about a millisecond. A command opens its store several times
(to read, then to keep what it built; `ingest --catalog` a dozen times; the dashboard once a
request), so every opening attaches the file to one instance the process shares, openings
of the same file at once share its attachment, and the last closing detaches it, which
checkpoints it as closing a connection to it did. An in-memory database (`memory`: the
engine that reads an extract) is attached to it too, for as long as it is needed. What the
instance spills to disk goes to a folder of the user's own, removed when the process ends;
DuckDB deletes a spill file once none of its blocks is in use. (Nothing here forks:
a forked child would share its parent's instance.)
"""

from __future__ import annotations

import atexit
import contextlib
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb


class OtherMode(Exception):
    """The file is attached in the other mode (read-only or writable) by an opening still
    open in this process: it can be opened when that one closes."""


@dataclass
class _Attachment:
    alias: str
    read_only: bool
    users: int = 0


_lock = threading.Lock()
_instance: duckdb.DuckDBPyConnection | None = None
_attached: dict[str, _Attachment] = {}


def connect(path: Path, read_only: bool) -> tuple[duckdb.DuckDBPyConnection, str]:
    """A connection whose default database is the store file at `path`, attached now or
    shared with the openings of it still open here, and the file's key for `release`."""
    where = _where(path)
    with _lock:
        root = _root()
        found = _attached.get(where)
        if found is not None and found.read_only != read_only:
            raise OtherMode(where)
        if found is None:
            alias = f"store_{secrets.token_hex(6)}"
            mode = " (READ_ONLY)" if read_only else ""
            root.execute(f"ATTACH {file_literal(path)} AS {alias}{mode}")
            found = _attached[where] = _Attachment(alias, read_only)
        con = root.cursor()
        try:
            con.execute(f"USE {found.alias}")
        except BaseException:
            con.close()
            if not found.users:
                _detach(root, where)
            raise
        found.users += 1
        return con, where


def release(where: str, con: duckdb.DuckDBPyConnection) -> None:
    """Close a connection `connect` gave for the file `where`; the file's last one
    detaches it (checkpointed)."""
    con.close()
    with _lock:
        found = _attached.get(where)
        if found is None:
            return
        found.users -= 1
        if not found.users:
            _detach(_root(), where)


def memory() -> tuple[duckdb.DuckDBPyConnection, str]:
    """A connection whose default database is a new, empty in-memory database of the
    process's instance (no instance of its own to make: 20 ms), and its name for `forget`."""
    with _lock:
        root = _root()
        alias = f"memory_{secrets.token_hex(6)}"
        root.execute(f"ATTACH ':memory:' AS {alias}")
        con = root.cursor()
        try:
            con.execute(f"USE {alias}")
        except BaseException:
            con.close()
            root.execute(f"DETACH {alias}")
            raise
        return con, alias


def forget(alias: str, con: duckdb.DuckDBPyConnection) -> None:
    """Close the connection `memory` gave and detach its database: what it held is gone."""
    con.close()
    with _lock:
        _root().execute(f"DETACH {alias}")


# `threads` is a setting of the whole instance, which every opening in this process shares:
# whoever sets it for a while holds this, so that two at once do not each take the other's
# value for the one to set back
THREADS = threading.RLock()


@contextlib.contextmanager
def threads(n: int | None) -> Iterator[None]:
    """The instance's threads set to `n` for the block, and set back after (None: as they
    are)."""
    if n is None:
        yield
        return
    with THREADS:
        with _lock:  # the root connection is shared: ATTACH and DETACH run on it too
            root = _root()
            (was,) = root.execute("SELECT current_setting('threads')").fetchone()
            root.execute(f"SET threads = {int(n)}")
        try:
            yield
        finally:
            with _lock:
                root.execute(f"SET threads = {int(was)}")


def _detach(root: duckdb.DuckDBPyConnection, where: str) -> None:
    """Detach a file no opening uses. Forgotten only once detached: a detach that fails
    leaves it attached and known, for the next opening to use (an unknown attachment would
    refuse every later one)."""
    root.execute(f"DETACH {_attached[where].alias}")
    del _attached[where]


def prepare() -> None:
    """Make the instance on a thread of its own: DuckDB lets Python's other threads run
    while it makes one (25–40 ms), so a command can go on with work of its own in Python
    (ingest checks the file's bytes) and the first opening waits for it, or makes it if it
    comes first. One that cannot be made here is made, and its failure said, by that
    opening. Not a daemon: a process that ends at once (a file refused before the engine
    was needed) waits for it, where ending it inside DuckDB aborted the process."""
    if _instance is None:
        threading.Thread(target=_make, name="innsatstrapp-engine").start()


def _make() -> None:
    with _lock, contextlib.suppress(Exception):
        _root()


def _root() -> duckdb.DuckDBPyConnection:
    """The instance, made at the first opening (or by `prepare`)."""
    global _instance
    if _instance is None:
        temp = tempfile.mkdtemp(prefix="innsatstrapp-")  # mode 0700
        atexit.register(shutil.rmtree, temp, ignore_errors=True)
        _instance = duckdb.connect(config={"temp_directory": temp})
        atexit.register(_at_exit)  # first, at exit: what is attached is checkpointed
    return _instance


def _at_exit() -> None:
    """The instance closed at exit if a store is still attached (closing checkpoints it);
    with none (every opening closed, as after a command), what is left is memory, which
    the process's end frees without the 2–3 ms of closing it."""
    if _instance is not None and _attached:
        _instance.close()


def _where(path: Path) -> str:
    return str(Path(path).resolve())


def file_literal(path: Path) -> str:
    """`path` as an SQL string literal, for the statements that take no parameter for a file
    name (ATTACH)."""
    return "'" + Path(path).as_posix().replace("'", "''") + "'"
