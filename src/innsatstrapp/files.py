"""Writing one file the way an ordinary laptop needs: into a temporary file beside it,
then moved over it, so a file open in Excel, a folder in its place or a full disk gets a
Norwegian message naming the file, and the file that was there stays whole."""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from innsatstrapp.errors import UsageError, os_reason


class OwnerOnly:
    """While a store is open, the files the engine makes beside it (its write-ahead log
    `.wal`) are the owner's only, like the store (and so is its spill folder, see
    `store.attached`): the process's umask is 0o077 from the first open section to the last
    close. A file for the user made meanwhile, by another thread, would be the owner's only
    too: `Watch` tells a writer whether that may have happened, and `as_any_new` mends it."""

    _lock = threading.Lock()
    _open = 0
    _before = 0
    _begun = 0  # sections begun from none open (each sets the umask)

    def __init__(self) -> None:
        with OwnerOnly._lock:
            if OwnerOnly._open == 0:
                OwnerOnly._before = os.umask(0o077)
                OwnerOnly._begun += 1
                _remember(OwnerOnly._before)
            OwnerOnly._open += 1
        self._held = True

    def release(self) -> None:
        with OwnerOnly._lock:
            if self._held:
                self._held = False
                OwnerOnly._open -= 1
                if OwnerOnly._open == 0:
                    os.umask(OwnerOnly._before)


class Watch:
    """Made before a writer makes files for the user: `touched` says whether the process may
    have been owner-only meanwhile (a store open then, on any thread)."""

    def __init__(self) -> None:
        with OwnerOnly._lock:
            self._begun, self._open = OwnerOnly._begun, OwnerOnly._open

    def touched(self) -> bool:
        with OwnerOnly._lock:
            return bool(self._open or OwnerOnly._open or OwnerOnly._begun != self._begun)


_user_mask: list[int] = []  # the user's umask, once read


def _remember(mask: int) -> None:
    if not _user_mask:
        _user_mask.append(mask)


def user_umask() -> int:
    """The umask the user gave the process: read once (the first owner-only section reads it
    as it sets its own), and never while a section holds the process at 0o077."""
    with OwnerOnly._lock:
        if not _user_mask:
            if OwnerOnly._open:
                _remember(OwnerOnly._before)
            else:
                mask = os.umask(0o077)  # read back at once; 0o077 is the safe one meanwhile
                os.umask(mask)
                _remember(mask)
        return _user_mask[0]


def as_any_new(path: Path, folder: bool = False) -> None:
    """Give `path` the permissions any new file (or folder) of the user's gets, 0o666 (0o777)
    less their umask, keeping its set-group-id and sticky bits; left as it is when it has
    them already, and when the file system refuses (a share with fixed modes): a file is
    never refused for its mode. (A folder whose default ACL sets the modes is not read.)"""
    want = (0o777 if folder else 0o666) & ~user_umask()
    with contextlib.suppress(OSError):
        mode = os.stat(path).st_mode
        if mode & 0o777 != want:
            os.chmod(path, (mode & 0o7000) | want)


def make_folders(folder: Path) -> list[Path]:
    """Make `folder` and the folders above it that are missing; the ones made here, from
    the top (not one another program made in the moment, nor one a «..» names)."""
    made, folder = [], folder.resolve()
    for level in reversed([folder, *folder.parents]):
        if level.is_dir():
            continue
        try:
            level.mkdir()
        except FileExistsError:
            if not level.is_dir():
                raise
            continue
        made.append(level)
    return made


def held(target: Path) -> UsageError:
    """The message for a file another program holds (Windows locks one open in Excel)."""
    return UsageError(f"Kan ikke erstatte {target}: filen er åpen i et annet program (for "
                      f"eksempel Excel eller PowerPoint) eller skrivebeskyttet. Lukk den og "
                      f"prøv igjen; ingen av filene er endret.")


def not_a_folder(folder: Path) -> None:
    """Refuse a folder whose name (or a parent's) is a file: mkdir would say «exists»."""
    for part in (folder, *folder.parents):
        if part.exists():
            if not part.is_dir():
                raise UsageError(f"{part} er en fil, ikke en mappe. Velg en annen mappe, "
                                 f"eller gi filen et annet navn.")
            return


@contextlib.contextmanager
def written(target: Path) -> Iterator[Path]:
    """A path to write `target`'s new content to; it replaces `target` when the block ends
    without an error (and is removed when it does not)."""
    target = Path(target)
    if target.is_dir():
        raise UsageError(f"{target} er en mappe. Oppgi et filnavn, for eksempel "
                         f"{target / ('fil' + (target.suffix or '.xlsx'))}.")
    not_a_folder(target.parent)
    watch = Watch()
    try:
        folders = make_folders(target.parent)
        fd, name = tempfile.mkstemp(prefix=".innsatstrapp-", suffix=target.suffix,
                                    dir=target.parent)
        os.close(fd)
        as_any_new(Path(name))  # (mkstemp makes it the owner's only)
        if watch.touched():  # a store open on another thread meanwhile
            for made in folders:
                as_any_new(made, folder=True)
    except OSError as exc:
        raise UsageError(f"Kan ikke skrive i mappen {target.parent}: {os_reason(exc)}. Velg en "
                         f"mappe du kan skrive i.") from None
    temp = Path(name)
    try:
        yield temp
        try:
            os.replace(temp, target)
        except PermissionError:
            raise held(target) from None
        except OSError as exc:
            raise UsageError(f"Kan ikke skrive {target}: {os_reason(exc)}.") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def user_cache() -> Path:
    """The user's own cache folder for innsatstrapp, apart from the data: what it keeps
    there holds no data (the report's compiled statements, the code's fingerprint).
    INNSATSTRAPP_CACHE moves it."""
    import sys

    if chosen := os.environ.get("INNSATSTRAPP_CACHE"):
        return Path(chosen)
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "innsatstrapp"
