"""How a build keeps what it made in the store, for every later process: in one write at
its end, or, in a `keeping_beside` block (the report command's), on a thread of its own
while the caller writes its files."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.store import Store


class _Beside:
    """The keeping threads of a `keeping_beside` block, and what failed in them."""

    def __init__(self) -> None:
        self.threads: list[threading.Thread] = []
        self.failed: list[BaseException] = []

    def wait(self) -> None:
        """Every keeping thread ended; a Ctrl+C meanwhile waits on (the store's write is
        short) and is raised after, a second one at once (a write that hangs on a network
        folder can be left)."""
        stopped = None
        while self.threads:
            if self.threads[0].ident is None:  # never started
                self.threads.pop(0)
                continue
            try:
                self.threads[0].join()
            except KeyboardInterrupt as interrupt:
                if stopped is not None:
                    raise
                stopped = interrupt
                continue
            self.threads.pop(0)
        if stopped is not None:
            raise stopped


_BESIDE: ContextVar[_Beside | None] = ContextVar("beside", default=None)


@contextlib.contextmanager
def keeping_beside() -> Iterator[None]:
    """Within the block, what a build keeps in the store (`keep`) is written on a thread of
    its own, so that the caller can write its files meanwhile (a report's JSON and HTML
    while the store keeps what the build made: 0,02 s of a month's report); the block ends
    once it is written, also when the block fails (its failure then goes on), and what
    failed in the keeping other than the store being busy is raised from the block. A build
    in the block waits for an earlier one's keeping before it opens the store."""
    beside = _Beside()
    token = _BESIDE.set(beside)
    try:
        yield
    finally:
        _BESIDE.reset(token)
        beside.wait()
    if beside.failed:
        raise beside.failed[0]


def keep(db: Path, write: Callable[[Store], object]) -> None:
    """What a build made, for every later process, in one write: compiled statements, query
    rows, new decisions, the published set. All four are caches: a store that is busy
    (another program has it) or cannot be written keeps nothing, and they are made again next
    time. In a `keeping_beside` block, written on a thread of its own."""
    beside = _BESIDE.get()

    def write_all() -> None:
        try:
            with Store.open(db) as store:
                write(store)
        except InnsatstrappError:
            pass
        except BaseException as failure:  # for the block to raise, as if kept here
            if beside is None:
                raise
            beside.failed.append(failure)

    if beside is None:
        write_all()
        return
    thread = threading.Thread(target=write_all, name="innsatstrapp-keep")
    beside.threads.append(thread)  # before it starts: a Ctrl+C between is waited for too
    try:
        thread.start()
    except RuntimeError:  # no thread to be had: kept here
        beside.threads.remove(thread)
        write_all()


def waited() -> None:
    """Before a build opens the store: the keeping of an earlier build in the same
    `keeping_beside` block is done (its writable opening would refuse this one)."""
    beside = _BESIDE.get()
    if beside is not None:
        beside.wait()
