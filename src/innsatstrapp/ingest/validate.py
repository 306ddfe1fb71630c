"""Type and check an extract, set-based, in an in-memory DuckDB (contract §2).

Every cell is text on the way in. One SQL expression per kind (date, number, year, gender)
decides what it means, and one query collects every problem, so 15 000 or 1 000 000 rows cost
the same few statements. Nothing here touches the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from innsatstrapp.errors import IngestError, Problem
from innsatstrapp.ingest.columns import FIELDS, ColumnMap
from innsatstrapp.store import attached
from innsatstrapp.store.duckdb import scalar
from innsatstrapp.tables import ROW, RawTable, release
from innsatstrapp.text import CONTROL_SQL

_SPACES = r"[\s\x{00a0}\x{2007}\x{202f}]"

_DATE_FORMS = "dd.mm.åååå, åååå-mm-dd eller et Excel-serienummer"

# Names that reach every output (service, unit, municipality, decision id) lose their control
# characters on ingest (`text.CONTROL`). Dates and numbers keep them, so that they are
# refused with the value shown.
_CONTROL = CONTROL_SQL
_NAMES = ("service", "unit", "municipality", "decision_id")

# Hours per week above this are refused as typing errors (a misplaced decimal point, an
# overflowing number read as infinite). A week has 168 hours; resource hours can be more
# (two or three staff at once), so the limit is wide; approved hours above 168 are kept but
# warned of in the report (metrics.quality.long_hours).
MOST_HOURS = 1000
_MOST = f"{MOST_HOURS:,}".replace(",", " ")  # as Norwegian writes it

_MESSAGES = {
    "missing": "mangler verdi (påkrevd)",
    "bad_date": f"er ikke en gyldig dato (bruk {_DATE_FORMS})",
    "bad_number": "er ikke et tall (bruk for eksempel 7,5 eller 7.5)",
    "negative": "kan ikke være negativ",
    "too_large": "er urimelig stort (over {other} timer i uka); sjekk tallet og desimaltegnet",
    "bad_year": "er ikke et gyldig fødselsår (fire sifre, for eksempel 1938)",
    "bad_gender": "er ikke et kjent kjønn (bruk K/M, Kvinne/Mann eller F/M)",
    "end_before_start": "sluttdatoen er før startdatoen «{other}»",
    "duplicate": "samme vedtak står også i rad {other}; hvert vedtak skal stå én gang",
}


# Accepted date forms: dd.mm.yyyy (with an optional time), ISO yyyy-mm-dd (likewise), and
# Excel serial day numbers of five to seven digits (day 0 is 1899-12-30, as Excel counts).
_NORWEGIAN_DATE = r"\d{1,2}\.\d{1,2}\.\d{4}( \d{1,2}:\d{2}(:\d{2})?)?"
_ISO_DATE = r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?"
_SERIAL = r"\d{5,7}([.,]\d+)?"  # 10000 = 1927-05-18: a bare year (2024) is not a date


def date_sql(x: str) -> str:
    """SQL that reads a text cell as a DATE, or NULL when it is not one of the accepted forms.

    Dates outside 1900–2199 are refused as typing errors (01.01.0224 is not a decision date).
    """
    return date_in_range(parsed_date_sql(x))


def parsed_date_sql(x: str) -> str:
    """The first half of `date_sql`: the cell read in any accepted form, of any year."""
    serial = f"floor(replace({x}, ',', '.')::DOUBLE)"
    return f"""(CASE
      WHEN regexp_full_match({x}, '{_NORWEGIAN_DATE}')
        THEN try_strptime(split_part({x}, ' ', 1), '%d.%m.%Y')::DATE
      WHEN regexp_full_match({x}, '{_ISO_DATE}')
        THEN try_strptime(left({x}, 10), '%Y-%m-%d')::DATE
      WHEN regexp_full_match({x}, '{_SERIAL}') AND {serial} BETWEEN 1 AND 2958465
        THEN DATE '1899-12-30' + {serial}::INTEGER
    END)"""


def date_in_range(parsed: str) -> str:
    """The second half of `date_sql`: a parsed date (a column, so it is read once) kept
    when its year is 1900–2199."""
    return f"(CASE WHEN year({parsed}) BETWEEN 1900 AND 2199 THEN {parsed} END)"


def number_sql(x: str) -> str:
    """SQL that reads a text cell as a DOUBLE (comma or point decimals), or NULL."""
    return spaceless_number_sql(spaceless_sql(x))


def spaceless_sql(x: str) -> str:
    """The first half of `number_sql`: the cell without its spaces (thousands separators)."""
    return f"regexp_replace({x}, '{_SPACES}', '', 'g')"


def spaceless_number_sql(y: str) -> str:
    """The second half of `number_sql`, on the cell without spaces (a column, so the spaces
    are removed once, not in every branch)."""
    return f"""(CASE
      WHEN regexp_full_match({y}, '[+-]?(\\d+([.,]\\d*)?|[.,]\\d+)')
        THEN TRY_CAST(replace({y}, ',', '.') AS DOUBLE)
      WHEN regexp_full_match({y}, '[+-]?\\d{{1,3}}(\\.\\d{{3}})+(,\\d*)?')
        THEN TRY_CAST(replace(replace({y}, '.', ''), ',', '.') AS DOUBLE)
      WHEN regexp_full_match({y}, '[+-]?\\d{{1,3}}(,\\d{{3}})+(\\.\\d*)?')
        THEN TRY_CAST(replace({y}, ',', '') AS DOUBLE)
    END)"""


def gender_sql(x: str) -> str:
    return f"""(CASE
      WHEN upper({x}) IN ('K', 'KVINNE', 'KVINNELIG', 'F', 'FEMALE', 'KV') THEN 'K'
      WHEN upper({x}) IN ('M', 'MANN', 'MANNLIG', 'MALE') THEN 'M'
    END)"""


_UNKNOWN_GENDER = "('U', 'UKJENT', 'UKJ', '-', '?')"


@dataclass(frozen=True)
class Engine:
    """An in-memory database for a file with clear person ids, of the process's DuckDB
    instance (`store.attached.memory`). What it spills to disk goes to the instance's folder
    of the user's own (mode 0700), never to a `.tmp` in the current folder, and DuckDB
    frees it when the table that spilled is dropped (a spill file goes once none of its
    blocks is in use); `close` drops them all."""

    con: duckdb.DuckDBPyConnection
    name: str

    @classmethod
    def open(cls) -> Engine:
        return cls(*attached.memory())

    def close(self) -> None:
        attached.forget(self.name, self.con)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A connection of its own to the engine's database, for work beside `con`'s."""
        con = self.con.cursor()
        con.execute(f"USE {self.name}")
        return con

    def hand_over(self, table: str) -> str:
        """`table` by the name the store's connections (of the same instance) read it by,
        for as long as the engine is open: the rows are copied once, into the store."""
        return f"{self.name}.main.{table}"


@dataclass(frozen=True)
class Staged:
    """A checked extract in the engine's table `typed` (clear person ids still inside)."""

    con: duckdb.DuckDBPyConnection
    rows: int
    columns: ColumnMap


# What a cell is trimmed of: Unicode whitespace (no-break spaces too), as str.strip() does.
_WHITESPACE = r"[\s\x0b\x{1c}-\x{1f}\x{85}\pZ]"


def _trim(cell: str) -> str:
    """A cell trimmed of whitespace. One that begins and ends with a printable ASCII
    character (nearly every cell) has none to trim, so the regular expression, the costliest
    part of reading an extract, is skipped for it."""
    return (f"CASE WHEN unicode({cell}) BETWEEN 33 AND 126 AND unicode(right({cell}, 1)) "
            f"BETWEEN 33 AND 126 THEN {cell} "
            f"ELSE regexp_replace({cell}, '^{_WHITESPACE}+|{_WHITESPACE}+$', '', 'g') END")


def _name(cell: str) -> str:
    """A trimmed cell with its control characters spaces, trimmed again (only a cell that
    has one is rewritten)."""
    return (f"CASE WHEN regexp_matches({cell}, '{_CONTROL}') "
            f"THEN trim(regexp_replace({cell}, '{_CONTROL}', ' ', 'g')) ELSE {cell} END")


def _excel_errors(raw: RawTable, columns: ColumnMap) -> None:
    """Error values of Excel (#DIV/0!, #N/A) in the columns that are read: the reader gives
    them as empty, which would pass as «no hours» unnoticed."""
    used = {i: f for f, i in columns.positions.items()}
    bad = [Problem(row, columns.headers.get(used[col], used[col]),
                   None if used[col] == "person_id" else text,
                   "er en feilverdi fra Excel, ikke en verdi; rett formelen eller cellen i "
                   "Excel og lagre på nytt") for row, col, text in raw.excel_errors if col in used]
    if bad:
        raise IngestError(raw.file_name, bad[:20], total=len(bad))


def stage(raw: RawTable, columns: ColumnMap, as_of: dt.date, engine: Engine) -> Staged:
    """The extract typed and checked in `engine`, where the cells are the view `raw` when
    the reader put them there (`tables.read_table(into=…)`), else Arrow's table."""
    staged = typed(raw, columns, engine)
    check(staged.con, raw, columns, as_of)
    return staged


def typed(raw: RawTable, columns: ColumnMap, engine: Engine) -> Staged:
    """The extract typed in `engine` (the table `typed`), not yet checked (`check`)."""
    _excel_errors(raw, columns)
    con = engine.con
    if raw.table is not None:
        con.register("raw", raw.table)
    cells = [f"c{i}" for i in range(len(raw.headers))]
    blank = " AND ".join(f"{c} = ''" for c in cells) or "false"
    fields = ",\n  ".join(
        (f"nullif({_name(f'c{columns.positions[f]}')}, '') AS {f}" if f in _NAMES
         else f"nullif(c{columns.positions[f]}, '') AS {f}")
        if f in columns.positions else f"NULL::VARCHAR AS {f}"
        for f in FIELDS
    )
    trimmed = ", ".join(f"{_trim(c)} AS {c}" for c in cells)
    # trimmed, named and typed in one statement: the cleaned text is never a table of its
    # own; a date or number is read once (`read`) and then checked
    con.execute(f"""
    CREATE TABLE typed AS
    WITH clean AS (SELECT {ROW}, {fields} FROM (SELECT {ROW}, {trimmed} FROM raw)
                   WHERE NOT ({blank})),
    read AS (SELECT *, {parsed_date_sql('start_date')} AS start_any,
                       {parsed_date_sql('end_date')} AS end_any,
                       {spaceless_sql('hours_per_week')} AS hours_bare,
                       {spaceless_sql('resource_hours_per_week')} AS resource_bare,
                       regexp_replace(birth_year, '[.,]0+$', '') AS year_bare
             FROM clean)
    SELECT {ROW},
      CASE WHEN regexp_full_match(person_id, '\\d+')
           THEN coalesce(nullif(ltrim(person_id, '0'), ''), '0') ELSE person_id END AS person_id,
      service, decision_id, unit,
      CASE WHEN regexp_full_match(municipality, '\\d{{1,3}}') THEN lpad(municipality, 4, '0')
           ELSE municipality END AS municipality,
      start_date AS start_text, end_date AS end_text,
      hours_per_week AS hours_text, resource_hours_per_week AS resource_text,
      birth_year AS year_text, gender AS gender_text,
      {date_in_range('start_any')} AS start_date,
      {date_in_range('end_any')} AS end_date,
      {spaceless_number_sql('hours_bare')} AS hours_per_week,
      {spaceless_number_sql('resource_bare')} AS resource_hours_per_week,
      CASE WHEN regexp_full_match(year_bare, '\\d{{4}}') THEN year_bare::INTEGER
           END AS birth_year,
      {gender_sql('gender')} AS gender
    FROM read""")
    if raw.table is not None:
        con.unregister("raw")  # the Arrow copy can go; DuckDB holds the rows now
    else:
        release(con)
    rows = scalar(con, "SELECT count(*) FROM typed")
    if rows == 0:
        raise IngestError(raw.file_name, [Problem(
            None, None, None, "filen har kolonneoverskrifter, men ingen rader med vedtak")])
    return Staged(con, rows, columns)


def check(con: duckdb.DuckDBPyConnection, raw: RawTable, columns: ColumnMap,
          as_of: dt.date) -> None:
    """Every problem of the typed extract (the engine's table `typed`, read on `con`: a
    cursor of the engine's of its own can check while another works on the table), said
    at once as an IngestError: the first 20 in file order, and how many in all."""
    checks = [
        "SELECT _row, 'person_id' f, NULL v, 'missing' k, NULL o FROM typed "
        "WHERE person_id IS NULL",
        "SELECT _row, 'service', NULL, 'missing', NULL FROM typed WHERE service IS NULL",
        "SELECT _row, 'start_date', NULL, 'missing', NULL FROM typed WHERE start_text IS NULL",
        "SELECT _row, 'start_date', start_text, 'bad_date', NULL FROM typed "
        "WHERE start_text IS NOT NULL AND start_date IS NULL",
        "SELECT _row, 'end_date', end_text, 'bad_date', NULL FROM typed "
        "WHERE end_text IS NOT NULL AND end_date IS NULL",
        "SELECT _row, 'end_date', end_text, 'end_before_start', start_text FROM typed "
        "WHERE end_date < start_date",
        "SELECT _row, 'hours_per_week', hours_text, 'bad_number', NULL FROM typed "
        "WHERE hours_text IS NOT NULL AND hours_per_week IS NULL",
        "SELECT _row, 'hours_per_week', hours_text, 'negative', NULL FROM typed "
        "WHERE hours_per_week < 0",
        f"SELECT _row, 'hours_per_week', hours_text, 'too_large', '{_MOST}' FROM typed "
        f"WHERE hours_per_week > {MOST_HOURS}",
        "SELECT _row, 'resource_hours_per_week', resource_text, 'bad_number', NULL FROM typed "
        "WHERE resource_text IS NOT NULL AND resource_hours_per_week IS NULL",
        "SELECT _row, 'resource_hours_per_week', resource_text, 'negative', NULL FROM typed "
        "WHERE resource_hours_per_week < 0",
        f"SELECT _row, 'resource_hours_per_week', resource_text, 'too_large', "
        f"'{_MOST}' FROM typed WHERE resource_hours_per_week > {MOST_HOURS}",
        f"SELECT _row, 'birth_year', year_text, 'bad_year', NULL FROM typed "
        f"WHERE year_text IS NOT NULL AND (birth_year IS NULL "
        f"OR birth_year NOT BETWEEN 1880 AND {as_of.year})",
        f"SELECT _row, 'gender', gender_text, 'bad_gender', NULL FROM typed "
        f"WHERE gender_text IS NOT NULL AND gender IS NULL "
        f"AND upper(gender_text) NOT IN {_UNKNOWN_GENDER}",
        # A repeated decision: by its id, or (without one) by person + service + start date.
        """SELECT _row, 'decision_id', shown, 'duplicate', first_row::VARCHAR FROM (
             SELECT _row, coalesce(decision_id, service || ' fra ' || start_text) AS shown,
               min(_row) OVER (PARTITION BY coalesce('id:' || decision_id,
                   'auto:' || person_id || chr(31) || service || chr(31) || start_date::VARCHAR)
               ) AS first_row
             FROM typed WHERE decision_id IS NOT NULL OR (person_id IS NOT NULL
               AND service IS NOT NULL AND start_date IS NOT NULL))
           WHERE _row > first_row""",
    ]
    union = " UNION ALL ".join(checks)
    con.execute(f"CREATE TABLE problems AS {union}")
    total = scalar(con, "SELECT count(*) FROM problems")
    if not total:
        return
    order = {f: i for i, f in enumerate(FIELDS)}
    found = con.execute(
        "SELECT * FROM problems ORDER BY _row, "
        + "CASE f " + " ".join(f"WHEN '{f}' THEN {i}" for f, i in order.items())
        + " END LIMIT 20").fetchall()
    problems = [_problem(row, field, value, kind, other, columns)
                for row, field, value, kind, other in found]
    raise IngestError(raw.file_name, problems, total=total)


def _problem(row: int, field: str, value: str | None, kind: str, other: str | None,
             columns: ColumnMap) -> Problem:
    if field == "decision_id" and "decision_id" not in columns.headers:
        column = (f"{columns.headers['person_id']} + {columns.headers['service']} + "
                  f"{columns.headers['start_date']}")
    else:
        column = columns.headers.get(field, field)
    if field == "person_id":
        value = None  # person ids are never shown
    return Problem(row, column, value, _MESSAGES[kind].format(other=other))
