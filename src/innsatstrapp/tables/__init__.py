"""Reading a table file, CSV or the first sheet of an XLSX, into text cells: what the
monthly extract (`ingest`) and the plan's input files (`plan`) are both read with, so that
an encoding, a delimiter, title rows above the header, a damaged or hostile workbook and a
file open in Excel are met alike wherever a file comes in."""

from innsatstrapp.tables.engine import release
from innsatstrapp.tables.read import (
    EMPTY,
    NO_ROWS,
    ROW,
    HeaderTest,
    RawTable,
    read_input,
    read_table,
)

__all__ = ["EMPTY", "NO_ROWS", "ROW", "HeaderTest", "RawTable", "read_input", "read_table",
           "release"]
