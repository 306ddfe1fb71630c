"""Cells and files of the plan's inputs, written as people write them in Norwegian files."""

from __future__ import annotations

import re
from pathlib import Path

from innsatstrapp.errors import IngestError, InputFileError, MissingFile, Problem
from innsatstrapp.tables import EMPTY, NO_ROWS, RawTable, read_table

_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")
YEARS = range(1900, 2201)  # what a year in a plan may be


def number(text: str) -> float | None:
    """«12 500 000», «18,5», «412»: None when empty; ValueError when not a number."""
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not cleaned:
        return None
    if not _NUMBER.fullmatch(cleaned):  # not «nan», «inf», «1e400» or «1_000»
        raise ValueError(text)
    return float(cleaned)


def read_input(path: Path | str, what: str, empty: bool = False) -> RawTable | None:
    """The file's cells as text (CSV or the first sheet of an XLSX), through the shared
    table reader (`innsatstrapp.tables`); its rejections are worded for this file. A file
    with only a header is None when `empty` is allowed (no scenarios, no accounts), else
    rejected."""
    try:
        return read_table(Path(path))
    except MissingFile as e:
        raise MissingFile(e.path, what) from None
    except IngestError as e:
        no_rows = len(e.problems) == 1 and e.problems[0].message in (NO_ROWS, EMPTY)
        if no_rows and empty:
            return None
        problems = [Problem(None, None, None, "filen har kolonneoverskrifter, men ingen rader")
                    ] if no_rows else e.problems
        raise InputFileError(e.file, problems, e.total, what=what) from None
