"""The consoles the commands print to, made when first used.

Importing Rich's console is some 0,015 s of every command that prints, and a command prints
when its work is done. So the consoles are made at their first use, and a command whose work
is mostly the engine's (an ingest, a report) has Rich imported on a thread of its own
meanwhile (`prepare`): the engine lets Python's other threads run while it works.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class LazyConsole:
    """A Rich console made at the first use of any of its attributes, with `options`; made
    once even when two threads use it first at the same moment."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None
        self._lock = threading.Lock()

    @property
    def console(self) -> Console:
        """The console itself (for what takes a Console, such as Rich's progress bars)."""
        if self._console is None:
            with self._lock:
                if self._console is None:
                    from rich.console import Console

                    self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)

    def reset(self) -> None:
        """Forget the console: the next use makes one anew, reading the terminal and the
        environment (COLUMNS) as they are then. A command runs once per process; a process
        that runs several, such as the tests, resets between them."""
        with self._lock:
            self._console = None


# emoji=False: a file or service name with «:x:» in it is printed as it is, never as an emoji
out = LazyConsole(emoji=False)
err = LazyConsole(stderr=True, emoji=False)


def prepare() -> Callable[[], None]:
    """Make the consoles (importing Rich) on a thread of their own; returns the wait for it.
    For a command to call as its engine work begins, and wait for before it prints."""
    def make() -> None:
        out.console  # noqa: B018  (made for its own sake)
        err.console  # noqa: B018

    thread = threading.Thread(target=make, name="innsatstrapp-console", daemon=True)
    thread.start()
    return thread.join
