"""The tables a dashboard page shows, as data: rendered to HTML by the templates and to CSV
and XLSX for "download what is on screen", so a download is exactly the page's figures."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from innsatstrapp.outputs import format as f


class _Withheld:
    """A figure withheld by suppression: "*" everywhere."""

    def __repr__(self) -> str:
        return "*"


WITHHELD = _Withheld()


def get(row: Any, name: str) -> Any:
    """A field of a report row, or WITHHELD when suppression took it."""
    if name in getattr(row, "suppressed", ()):
        return WITHHELD
    return getattr(row, name)


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = "int"  # text, int, dec1, dec2, signed, signed2, pct; num: int or 2 decimals
    header: bool = False  # the row's label (a <th scope="row">)


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)  # per row: where its label leads

    def text(self, value: Any, column: Column) -> str:
        """The Norwegian text of one cell, as on the page."""
        if value is WITHHELD:
            return "*"
        if value is None:
            return "" if column.kind == "text" else "–"
        return {
            "text": str, "int": f.integer, "dec1": lambda v: f.decimal(v, 1),
            "dec2": lambda v: f.decimal(v, 2), "signed": f.signed,
            "signed2": lambda v: f.signed(v, 2), "pct": f.percent,
            "num": lambda v: f.integer(v) if isinstance(v, int) else f.decimal(v, 2),
        }[column.kind](value)


def to_csv(table: Table) -> bytes:
    """Semicolon-separated, decimal comma, UTF-8 with BOM: what Norwegian Excel opens as is."""
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow([_text(c.label) for c in table.columns])  # a label can be a step's name
    for row in table.rows:
        w.writerow([_plain(v, c) for v, c in zip(row, table.columns, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _text(value: str) -> str:
    """Text from the extract or the catalog never runs as a formula in Excel."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _plain(value: Any, column: Column) -> str:
    if value is WITHHELD:
        return "*"
    if value is None:
        return ""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, float):
        return f"{value:.{1 if column.kind == 'dec1' else 2}f}".replace(".", ",")
    return str(value)


def to_xlsx(tables: list[Table], title: str) -> bytes:
    """One sheet per table, real numbers with Norwegian-looking formats, "*" for withheld."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False,
                                     "strings_to_numbers": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#F3F6F9", "border": 1})
    formats = {"int": "#,##0", "dec1": "#,##0.0", "dec2": "#,##0.00", "signed": "+#,##0;-#,##0;0",
               "signed2": "+#,##0.00;-#,##0.00;0.00", "pct": '0.0" %"', "num": "#,##0.##"}
    fmt = {k: book.add_format({"num_format": v}) for k, v in formats.items()}
    used: set[str] = set()
    for t in tables:
        name = _sheet_name(t.caption, used)
        ws = book.add_worksheet(name)
        ws.write_string(0, 0, t.caption, book.add_format({"bold": True, "font_size": 12}))
        ws.write_string(1, 0, title)
        for j, c in enumerate(t.columns):
            ws.write_string(3, j, c.label, bold)
            ws.set_column(j, j, 34 if c.kind == "text" else 14)
        for i, row in enumerate(t.rows, start=4):
            for j, (v, c) in enumerate(zip(row, t.columns, strict=True)):
                if v is WITHHELD:
                    ws.write_string(i, j, "*")
                elif isinstance(v, int | float) and not isinstance(v, bool):
                    ws.write_number(i, j, v, fmt.get(c.kind))
                elif v is not None:
                    ws.write_string(i, j, str(v))
        ws.freeze_panes(4, 1)
        ws.write_string(len(t.rows) + 5, 0, "* = skjult for å verne personvernet "
                                            "(små tall, og tall som ellers kunne regnes ut).")
    book.close()
    return buf.getvalue()


def _fit(text: str, room: int) -> str:
    """`text` in at most `room` characters, cut after a whole word (never mid-word)."""
    if len(text) <= room:
        return text
    cut = text[:room + 1].rsplit(" ", 1)[0] if " " in text[:room + 1] else text[:room]
    return cut.rstrip(" ,.;–-") or text[:room]


def _sheet_name(caption: str, used: set[str]) -> str:
    """A sheet's name: the table's caption within Excel's 31 characters, cut after a whole
    word, without the characters Excel refuses; a number added when two would be alike."""
    clean = " ".join("".join(ch for ch in caption if ch not in "[]:*?/\\").split())
    base = _fit(clean.strip("' "), 31) or "Tabell"
    name, k = base, 2
    while name.lower() in used:
        name = f"{_fit(base, 31 - len(str(k)) - 1)} {k}"
        k += 1
    used.add(name.lower())
    return name
