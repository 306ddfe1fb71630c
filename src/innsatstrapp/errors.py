"""One error tree. Front ends print `str(error)` and exit; they never show a traceback for these.

Messages are Norwegian, because the analyst reads them. They name file, row, column and
value, except values of the person column, which are never shown.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass


class InnsatstrappError(Exception):
    """A problem the user can fix (bad input, missing file, wrong option)."""


class UsageError(InnsatstrappError):
    """A bad command-line value (period, date, option)."""


class StoreError(InnsatstrappError):
    """The store cannot be opened, migrated or written; `busy` when another program holds
    it (worth waiting for)."""

    busy: bool = False


class CatalogError(InnsatstrappError):
    """The catalog workbook is missing, unreadable or inconsistent."""


class MetricError(InnsatstrappError):
    """A figure cannot be computed from what is stored (unknown period, mismatched catalog)."""


# What the operating system's error means, in Norwegian (its own text follows the system's
# language, English on most laptops); Windows' sharing violations are a file open elsewhere.
_OS_REASONS = {getattr(errno, name): text for name, text in (
    ("EACCES", "du mangler tilgang (eller filen er åpen i et annet program)"),
    ("EPERM", "du mangler tilgang"),
    ("ENOENT", "finnes ikke"),
    ("EISDIR", "er en mappe, ikke en fil"),
    ("ENOTDIR", "en del av stien er en fil, ikke en mappe"),
    ("ENOSPC", "disken er full"),
    ("EROFS", "disken er skrivebeskyttet"),
    ("EBUSY", "er i bruk av et annet program"),
    ("ETXTBSY", "er i bruk av et annet program"),
    ("ENAMETOOLONG", "navnet er for langt"),
    ("EEXIST", "finnes alt"),
    ("EIO", "lese- eller skrivefeil på disken"),
    ("EINVAL", "ugyldig filnavn (tegnene < > : \" | ? * er ikke lov i Windows)"),
) if hasattr(errno, name)}
_WINDOWS_REASONS = {32: "filen er åpen i et annet program", 33: "filen er åpen i et annet program",
                    5: "du mangler tilgang (eller filen er åpen i et annet program)",
                    112: "disken er full"}


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, as a Norwegian phrase («du mangler tilgang»), never the
    system's English text."""
    winerror = getattr(exc, "winerror", None)
    if winerror in _WINDOWS_REASONS:
        return _WINDOWS_REASONS[winerror]
    return _OS_REASONS.get(exc.errno or 0, f"systemfeil {exc.errno or '?'}")


class UnknownPeriod(MetricError):
    """A period asked for that the store does not hold: one message wherever it is asked
    (report, plan, catalog template and check, remove; the dashboard answers it with 404)."""

    def __init__(self, period: object, stored: list[str], where: object = None) -> None:
        self.period, self.stored = str(period), list(stored)
        place = f"lageret {where}" if where else "lageret"
        super().__init__(f"Perioden {period} finnes ikke i {place}. Lagrede perioder: "
                         f"{', '.join(self.stored) or 'ingen'}.")


class NoPeriods(MetricError):
    """A store with no month in it yet, asked for one."""

    def __init__(self) -> None:
        super().__init__("Lageret har ingen perioder ennå.")


_LONGEST = 60  # characters of a value shown in a message


def _shown(c: str) -> str:
    if c.isprintable() or c == " ":
        return c
    n = ord(c)
    return f"\\x{n:02x}" if n < 256 else f"\\u{n:04x}" if n < 0x10000 else f"\\U{n:08x}"


def printable(text: str) -> str:
    """A message as the terminal may show it: line breaks kept, every other control
    character (an escape sequence from a file's name or cells) written out as \\x1b."""
    return "\n".join("".join(_shown(c) for c in line) for line in text.split("\n"))


def visible(text: str, longest: int = _LONGEST) -> str:
    """Text from a file as a message may show it: control characters (an escape sequence
    would act on the terminal) written out as \\x1b, and a long value cut to its start and
    its length."""
    out = "".join(_shown(c) for c in text[:longest + 1])
    if len(text) > longest or len(out) > longest:
        return f"{out[:longest]}… ({len(text):,} tegn)".replace(",", " ")
    return out


@dataclass(frozen=True)
class Problem:
    """One reason a file was rejected. `row` counts as a spreadsheet user does (header = 1)."""

    row: int | None
    column: str | None
    value: str | None
    message: str
    sheet: str | None = None

    def __str__(self) -> str:
        where = [f"ark «{visible(self.sheet)}»"] if self.sheet else []
        if self.row is not None:
            where.append(f"rad {self.row}")
        if self.column is not None:
            where.append(f"kolonne «{visible(self.column)}»")
        if self.value is not None:
            where.append(f"verdi «{visible(self.value)}»")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


MAX_SHOWN = 20


class FileRejected(InnsatstrappError):
    """A whole input file was rejected; nothing was written anywhere."""

    def __init__(self, file: str, problems: list[Problem], total: int | None = None,
                 what: str = "Filen") -> None:
        self.file = file
        self.problems = problems
        self.total = total if total is not None else len(problems)
        self.what = what
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"{self.what} «{visible(self.file)}» ble avvist, og ingenting er endret."
        shown = self.problems[:MAX_SHOWN]
        if self.total == 1:
            count = "Fant 1 feil:"
        elif self.total > len(shown):
            count = f"Fant {self.total} feil (de første {len(shown)} vises):"
        else:
            count = f"Fant {self.total} feil:"
        lines = [head, count, *(f"  • {p}" for p in shown)]
        return "\n".join(lines)


class IngestError(FileRejected):
    """An extract was rejected."""


class InputFileError(FileRejected):
    """Another input file (mapping, catalog, population …) was rejected."""


class MissingFile(InputFileError):
    """An input file that is not where it was said to be: said plainly (nothing was
    «rejected»), with what to do."""

    def __init__(self, path: object, what: str = "Filen", hint: str = "") -> None:
        self.path, self.hint = str(path), hint
        super().__init__(str(path), [Problem(None, None, None, f"finner ikke filen {path}")],
                         what=what)

    def _message(self) -> str:
        head = "Finner ikke filen" if self.what == "Filen" else f"{self.what}: finner ikke filen"
        return f"{head} {visible(self.path, 200)}. {self.hint or 'Sjekk navnet og mappen.'}"
