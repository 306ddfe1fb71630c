"""How a build keeps what it made in the store, for every later process: in one write at
its end, or, in a `keeping_beside` block (the report command's), on a thread of its own
that keeps each part as soon as the build has made it (the query rows while the build
decides the suppression) and the rest while the caller writes its files."""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from pathlib import Path

from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.store import Store


class _Job:
    """One keeping thread, the queue of the parts it writes, and its end.

    Its end is an event the thread sets as it ends, not `Thread.join`: on Python 3.11 a
    join that a Ctrl+C interrupts marks the thread as ended while it still runs, so a
    second join returned at once and the process could end with the store's write cut
    off."""

    def __init__(self, target: Callable[[], None]) -> None:
        self.writes: queue.SimpleQueue[Write | None] = queue.SimpleQueue()
        self.ended = threading.Event()

        def run() -> None:
            try:
                target()
            finally:
                self.ended.set()

        self.thread = threading.Thread(target=run, name="innsatstrapp-keep")

    def close(self) -> None:
        """No more parts: the thread's opening ends once it has written those given (a
        second close changes nothing)."""
        self.writes.put(None)

    def wait(self) -> None:
        if self.thread.ident is not None:  # started
            self.ended.wait()


class _Beside:
    """The keeping jobs of a `keeping_beside` block, and what failed in them."""

    def __init__(self, meanwhile: Callable[[], object] | None = None) -> None:
        self.jobs: list[_Job] = []
        self.failed: list[BaseException] = []
        self.meanwhile = meanwhile

    def wait(self) -> None:
        """Every keeping job ended; a Ctrl+C meanwhile waits on (the store's write is
        short) and is raised after, a second one at once (a write that hangs on a network
        folder can be left). Each job is closed first, so none waits for a part that a
        build cut short by a Ctrl+C would never give."""
        stopped = None
        for job in self.jobs:
            job.close()
        while self.jobs:
            try:
                self.jobs[0].wait()
            except KeyboardInterrupt as interrupt:
                if stopped is not None:
                    raise
                stopped = interrupt
                continue
            self.jobs.pop(0)
        if stopped is not None:
            raise stopped


_BESIDE: ContextVar[_Beside | None] = ContextVar("beside", default=None)


@contextlib.contextmanager
def keeping_beside(meanwhile: Callable[[], object] | None = None) -> Iterator[None]:
    """Within the block, what a build keeps in the store (`keep`) is written on a thread of
    its own, so that the caller can write its files meanwhile (a report's JSON and HTML
    while the store keeps what the build made: 0,02 s of a month's report); the block ends
    once it is written, also when the block fails (its failure then goes on), and what
    failed in the keeping other than the store being busy is raised from the block. A build
    in the block waits for an earlier one's keeping before it opens the store. Within the
    block the interpreter is handed between threads every millisecond (`SWITCH`).

    `meanwhile` is called once, by the first build in the block that queries the engine,
    as the queries begin, or that finds its reports kept, before it unpacks them: work of
    the caller's own (imports on a thread of their own) then has the interpreter to itself,
    where before that it would take it from the build's Python. A block whose builds do
    neither (a build that fails first) never calls it."""
    beside = _Beside(meanwhile)
    token = _BESIDE.set(beside)
    was = sys.getswitchinterval()
    # the keeping thread's engine work runs beside the build's Python (the decision) only
    # when it gets the interpreter back soon after each statement: every millisecond, not
    # every 5 (its writable opening took 0,07 s beside a month's decision, 0,012 s so)
    sys.setswitchinterval(min(was, SWITCH))
    try:
        yield
    finally:
        _BESIDE.reset(token)
        try:
            beside.wait()
        finally:
            sys.setswitchinterval(was)
    if beside.failed:
        raise beside.failed[0]


SWITCH = 0.001  # seconds: how often the interpreter is handed between threads in the block


def start_meanwhile() -> None:
    """For a build to call as the engine begins its queries, or as it finds its reports
    kept (then it has little Python left of its own): the `meanwhile` of the
    `keeping_beside` block it is in starts now (once per block)."""
    beside = _BESIDE.get(None)
    if beside is not None and beside.meanwhile is not None:
        start, beside.meanwhile = beside.meanwhile, None
        start()


Write = Callable[[Store], object]


@contextlib.contextmanager
def parts(db: Path) -> Iterator[Callable[[Write], None]]:
    """A build keeps what it made (compiled statements, query rows, new decisions, the
    published set) by giving each part to the callable of this block as soon as it is made.
    All four are caches: a store that is busy (another program has it) or cannot be written
    keeps nothing more, and they are made again next time.

    Outside a `keeping_beside` block the parts are written in one opening of the store when
    the block ends (none if it fails). In one, a thread of their own opens the store once
    the first part is given and writes each as it comes, while the build goes on; the
    opening ends with this block (with the parts given so far if it fails)."""
    beside = _BESIDE.get()
    if beside is None:
        given: list[Write] = []
        yield given.append
        if given:
            _write_all(db, iter(given), None)
        return
    here = False  # no thread to be had: each part kept where it is given
    job: _Job | None = None

    def part(write: Write) -> None:
        nonlocal here, job
        if job is None and not here:
            job = _Job(lambda: _write_all(db, iter(job.writes.get, None), beside))
            here = not _started(beside, job)
        if here:
            _write_all(db, iter([write]), None)
        else:
            job.writes.put(write)

    try:
        yield part
    finally:
        if job is not None:
            job.close()  # no more parts: the thread's opening ends


def _started(beside: _Beside, job: _Job) -> bool:
    beside.jobs.append(job)  # before it starts: a Ctrl+C between is waited for too
    try:
        job.thread.start()
    except RuntimeError:
        beside.jobs.remove(job)
        return False
    return True


def _write_all(db: Path, writes: Iterator[Write], beside: _Beside | None) -> None:
    """Every part of `writes` in one writable opening of the store; a failure other than the
    store being busy or unwritable is raised, or, on the keeping thread, kept for the block
    to raise. The parts still to come are taken all the same (and let go)."""
    try:
        with Store.open(db) as store:
            for write in writes:
                write(store)
    except InnsatstrappError:
        pass
    except BaseException as failure:  # for the block to raise, as if kept here
        if beside is None:
            raise
        beside.failed.append(failure)
    for _ in writes:
        pass


def waited() -> None:
    """Before a build opens the store: the keeping of an earlier build in the same
    `keeping_beside` block is done (its writable opening would refuse this one)."""
    beside = _BESIDE.get()
    if beside is not None:
        beside.wait()
