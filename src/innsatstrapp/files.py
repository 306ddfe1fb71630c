"""Writing one file the way an ordinary laptop needs: into a temporary file beside it,
then moved over it, so a file open in Excel, a folder in its place or a full disk gets a
Norwegian message naming the file, and the file that was there stays whole."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from innsatstrapp.errors import UsageError, os_reason


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
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".innsatstrapp-", suffix=target.suffix,
                                    dir=target.parent)
        os.close(fd)
        mask = os.umask(0)  # read it back: the file gets the mode any new file would
        os.umask(mask)
        os.chmod(name, 0o666 & ~mask)  # (mkstemp makes it the owner's only)
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
    there holds no data (the report's compiled statements). INNSATSTRAPP_CACHE moves it."""
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
