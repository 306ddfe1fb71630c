"""Read an export of SSB's statistics bank (KOSTRA, KPR) into figures (contract §8).

Three forms give the same figures: CSV in long form (a column `år` and one value column),
CSV in wide form (one column per year), and JSON-stat 2.0 as SSB's API returns it. Either
way a figure is (indicator, region code, region name, year, value or SSB's symbol for no
figure), with its place in the file. The CSV's cells are typed in DuckDB, one query for the
figures and one for every problem, as the extract's are; a file with any problem is
rejected whole, naming row, column and value.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from innsatstrapp.errors import InputFileError, MissingFile, Problem, os_reason, visible
from innsatstrapp.tables import ROW, RawTable, read_input
from innsatstrapp.text import CONTROL_SQL, plain

WHAT = "KOSTRA-filen"
SYMBOLS = (".", "..", "...", ":", "-")  # SSB: no figure (not applicable, missing, …)
REGION = ("region",)
INDICATOR = ("statistikkvariabel", "contents")
YEAR = ("år", "year", "tid")
COLUMNS = ("indicator", "region", "region_name", "year", "value", "symbol", "position")
SCHEMA = pa.schema([("indicator", pa.string()), ("region", pa.string()),
                    ("region_name", pa.string()), ("year", pa.string()),
                    ("value", pa.float64()), ("symbol", pa.string()),
                    ("position", pa.int32())])
# SSB's region: a code (a municipality's 4 digits, a county's 2, EKG13, EAK, EAKUO) and a label
_REGION = r"^\s*([0-9]{2,4}|[A-Z][A-Z0-9]+)\s+(\S.*?)\s*$"
_SPACES = r"[\s\x{00a0}\x{2007}\x{202f}]"
_NUMBER = r"^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)$"


@dataclass(frozen=True)
class Figures:
    """The figures of one file, as stored: `table` has COLUMNS, in file order."""

    file_name: str
    sha256: str
    form: str  # "long", "wide" or "json-stat"
    table: pa.Table


def read_figures(path: Path | str) -> Figures:
    """The figures of an export, or InputFileError naming what is wrong."""
    path = Path(path)
    head = _head(path)
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return _json_stat(path)
    raw = read_input(path, WHAT, is_header=_is_header, notes=True)
    assert raw is not None
    return _csv(raw)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(64)
    except FileNotFoundError:
        raise MissingFile(path, WHAT) from None
    except IsADirectoryError:
        raise _reject(path.name, "dette er en mappe, ikke en fil") from None
    except OSError as exc:
        raise _reject(path.name, f"kan ikke leses: {os_reason(exc)}") from None


def _is_header(cells: list[str]) -> bool:
    names = {c.strip().lower() for c in cells}
    return bool(names & set(REGION)) and bool(names & set(INDICATOR))


def _reject(file: str, message: str, problems: list[Problem] | None = None,
            total: int | None = None) -> InputFileError:
    return InputFileError(file, problems or [Problem(None, None, None, message)], total,
                          what=WHAT)


# --- CSV -----------------------------------------------------------------------------------

def _csv(raw: RawTable) -> Figures:
    names = [h.strip().lower() for h in raw.headers]

    def find(wanted: tuple[str, ...]) -> int | None:
        return next((i for i, n in enumerate(names) if n in wanted), None)

    region, indicator, year = find(REGION), find(INDICATOR), find(YEAR)
    if region is None or indicator is None:
        raise _reject(raw.file_name, "fant ikke kolonnene «region» og «statistikkvariabel» i "
                                     "noen av de første radene; eksporter tabellen fra "
                                     "statistikkbanken som CSV med overskrifter")
    rest = [i for i in range(len(names)) if i not in (region, indicator, year)]
    if year is not None:
        if len(rest) != 1:
            raise _reject(raw.file_name, f"med kolonnen «{raw.headers[year]}» skal det være "
                                         f"én kolonne med tall, ikke {len(rest)}; ta med bare "
                                         f"én statistikkvariabel-kolonne")
        form = "long"
        cells = [(f"c{year}", f"c{rest[0]}")]
        heads = pa.table({"k": [0], "year": [None], "header": [raw.headers[rest[0]]]},
                         schema=_HEADS)
    else:
        bad = [raw.headers[i] for i in rest if not raw.headers[i].strip().isdigit()
               or len(raw.headers[i].strip()) != 4]
        if bad or not rest:
            problems = [Problem(raw.header_row, h, None, "er ikke et år (fire sifre); i bred "
                                "form er hver kolonne etter «statistikkvariabel» ett år")
                        for h in bad] or [Problem(raw.header_row, None, None,
                                                  "ingen kolonner med år")]
            raise _reject(raw.file_name, "", problems)
        form = "wide"
        cells = [("heads.year", f"c{i}") for i in rest]
        heads = pa.table({"k": list(range(len(rest))),
                          "year": [raw.headers[i].strip() for i in rest],
                          "header": [raw.headers[i] for i in rest]}, schema=_HEADS)
    con = duckdb.connect()
    try:
        con.register("raw", raw.table)
        con.register("heads", heads)
        con.execute(_cells_sql(region, indicator, cells))
        _check(con, raw, region, indicator, year)
        table = con.sql("SELECT indicator, region, region_name, year, value, symbol, "
                        "position FROM figures ORDER BY position").to_arrow_table()
    finally:
        con.close()
    return Figures(raw.file_name, raw.sha256, form, table.cast(SCHEMA))


def _name(expr: str) -> str:
    """A name as every output can show it: control characters a space, spaces collapsed
    (`text.plain`, as ingest does)."""
    return (f"trim(regexp_replace(regexp_replace({expr}, '{CONTROL_SQL}', ' ', 'g'), "
            f"'\\s+', ' ', 'g'))")


_HEADS = pa.schema([("k", pa.int32()), ("year", pa.string()), ("header", pa.string())])


def _cells_sql(region: int, indicator: int, cells: list[tuple[str, str]]) -> str:
    """One row per figure cell: the row's region and indicator with a year and a value
    (long form: one per row; wide form: one per year column), typed. Only column names of
    our own (c0, c1, …) go into the text; the file's headers are in the table `heads`. A
    row with nothing but its first cell (a blank line, a note) holds no figure."""
    filled = ", ".join(f"c{i}" for i in (indicator, *(int(v[1:]) for _, v in cells)))
    parts = [f"""
          SELECT {ROW} AS row, heads.k, c{region} AS region_cell, c{indicator} AS ind_cell,
                 trim({year}) AS year, trim({value}) AS value_cell, heads.header
          FROM raw, heads
          WHERE heads.k = {k} AND trim(concat_ws('', {filled})) <> ''"""  # noqa: S608
             for k, (year, value) in enumerate(cells)]
    union = " UNION ALL ".join(parts)
    symbols = ", ".join(f"'{s}'" for s in SYMBOLS)
    clean = f"regexp_replace(value_cell, '{_SPACES}', '', 'g')"
    return f"""
      CREATE TEMP TABLE figures AS
      SELECT row, header, region_cell, ind_cell, value_cell,
             {_name("ind_cell")} AS indicator,
             regexp_extract(region_cell, '{_REGION}', 1) AS region,
             {_name(f"regexp_extract(region_cell, '{_REGION}', 2)")} AS region_name,
             year,
             CASE WHEN value_cell IN ({symbols}) THEN NULL
                  WHEN regexp_full_match({clean}, '{_NUMBER}')
                  THEN TRY_CAST(replace({clean}, ',', '.') AS DOUBLE) END AS value,
             CASE WHEN value_cell IN ({symbols}) THEN value_cell END AS symbol,
             CAST(row * {len(cells)} + k AS INTEGER) AS position
      FROM ({union})"""  # noqa: S608 (our names and constants only)


def _check(con: duckdb.DuckDBPyConnection, raw: RawTable, region: int, indicator: int,
           year: int | None) -> None:
    """Every problem of the figures, at most 20 shown: a region without a code, an empty
    indicator, a year that is not a year, a value that is neither a number nor a symbol, a
    figure given twice."""
    region_h, ind_h = raw.headers[region], raw.headers[indicator]
    year_h = raw.headers[year] if year is not None else None
    symbols = " ".join(SYMBOLS)
    rows = con.execute(f"""
      SELECT row, column_name, value, message FROM (
        SELECT row, ? AS column_name, nullif(region_cell, '') AS value,
               'mangler regionkode (SSB skriver for eksempel «0712 Larvik» eller «EKG13 '
               || 'Kostragruppe 13»)' AS message, 0 AS o
        FROM figures WHERE region = '' OR region_name = ''
        UNION ALL
        SELECT row, ?, nullif(ind_cell, ''), 'mangler navnet på statistikkvariabelen', 1
        FROM figures WHERE indicator = ''
        UNION ALL
        SELECT row, ?, nullif(year, ''), 'er ikke et år (fire sifre, for eksempel 2019)', 2
        FROM figures WHERE ? AND NOT regexp_full_match(year, '[0-9]{{4}}')
        UNION ALL
        SELECT row, header, nullif(value_cell, ''),
               'er verken et tall eller et av SSBs symboler for manglende tall ({symbols})', 3
        FROM figures WHERE value IS NULL AND symbol IS NULL
        UNION ALL
        SELECT max(row), NULL, NULL,
               'samme tall står to ganger: «' || first(indicator) || '», ' || first(region)
               || ', ' || first(year) || ' (også i rad ' || min(row) || ')', 4
        FROM figures WHERE region <> '' AND indicator <> ''
        GROUP BY indicator, region, year HAVING count(*) > 1)
      ORDER BY row, o""",  # noqa: S608 (constants only)
                       [region_h, ind_h, year_h, year is not None]).fetchall()
    if rows:
        problems = [Problem(r, c, v, m) for r, c, v, m in rows[:20]]
        raise _reject(raw.file_name, "", problems, total=len(rows))
    if not con.execute("SELECT count(*) FROM figures").fetchall()[0][0]:
        raise _reject(raw.file_name, "filen har kolonneoverskrifter, men ingen tall")


# --- JSON-stat 2.0 -------------------------------------------------------------------------

_ROLES = {"geo": REGION, "metric": INDICATOR, "time": YEAR}
_IDS = {"geo": ("region", "kokkommuneregion0000", "kommuneregion"),
        "metric": ("contentscode", "statistikkvariabel", "contents"),
        "time": ("tid", "år", "year", "time")}
MAX_CELLS = 5_000_000  # a JSON-stat's cells (SSB's API gives at most 800 000 at a time)


def _json_stat(path: Path) -> Figures:
    name = path.name
    data = path.read_bytes()
    try:
        doc = json.loads(data.decode("utf-8-sig"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        where = f" (linje {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise _reject(name, f"er ikke gyldig JSON{where}; lagre svaret fra SSB som det er, "
                            f"eller eksporter tabellen som CSV") from None
    if isinstance(doc, dict) and doc.get("class") == "collection":
        link = doc.get("link")
        items = link.get("item") if isinstance(link, dict) else None
        doc = items[0] if isinstance(items, list) and len(items) == 1 else None
    if not isinstance(doc, dict) or doc.get("class", "dataset") != "dataset" \
            or not isinstance(doc.get("id"), list) or not isinstance(doc.get("size"), list):
        raise _reject(name, "er ikke et JSON-stat 2.0-datasett (med «id», «size», "
                            "«dimension» og «value»)")
    ids, sizes, dims = doc["id"], doc["size"], doc.get("dimension")
    if not isinstance(dims, dict) or len(ids) != len(sizes) \
            or any(not isinstance(i, str) or i not in dims for i in ids) \
            or any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in sizes):
        raise _reject(name, "«id», «size» og «dimension» stemmer ikke overens")
    total = math.prod(sizes)
    if total > MAX_CELLS:
        raise _reject(name, f"datasettet har {f'{total:,}'.replace(',', ' ')} celler, mer enn "
                            f"innsatstrapp leser ({f'{MAX_CELLS:,}'.replace(',', ' ')}); velg "
                            f"færre regioner, år eller statistikkvariabler")
    codes, labels = {}, {}
    for i, n in zip(ids, sizes, strict=True):
        codes[i], labels[i] = _category(name, i, dims[i], n)
    found = {role: _dimension(name, doc, ids, role) for role in _ROLES}
    for i, n in zip(ids, sizes, strict=True):
        if i not in found.values() and n != 1:
            raise _reject(name, f"dimensjonen «{i}» har {n} verdier; velg én i "
                                f"statistikkbanken, eller ta den bort fra tabellen")
    if not total:
        raise _reject(name, "datasettet har ingen tall")
    g, m, t = found["geo"], found["metric"], found["time"]
    _named(name, g, m, t, codes, labels)
    values, status = _cells(name, doc, total)
    at = dict(zip(ids, np.unravel_index(np.arange(total), sizes), strict=True))

    def spread(dim: str, names: list[str]) -> pa.Array:
        return pa.array(np.array(names, dtype=object)[at[dim]], pa.string())

    table = pa.table({
        "indicator": spread(m, [labels[m][c] for c in codes[m]]),
        "region": spread(g, codes[g]),
        "region_name": spread(g, [labels[g][c] for c in codes[g]]),
        "year": spread(t, codes[t]),
        "value": values,
        "symbol": status,
        "position": pa.array(_file_order(at, g, m, t, codes), pa.int32())})
    _twice(name, table)
    return Figures(name, hashlib.sha256(data).hexdigest(), "json-stat", table.cast(SCHEMA))


def _no_constant(text: str) -> None:
    raise ValueError(text)  # NaN, Infinity: not a published figure


def _category(name: str, dim: str, spec: object, size: int) -> tuple[list[str], dict]:
    """A dimension's codes in their order, and their labels (cleaned as every name is)."""
    cat = spec.get("category") if isinstance(spec, dict) else None
    if not isinstance(cat, dict):
        raise _reject(name, f"dimensjonen «{dim}» mangler «category»")
    index, label = cat.get("index"), cat.get("label", {})
    if not isinstance(label, dict):
        raise _reject(name, f"«category.label» i dimensjonen «{dim}» skal være et oppslag "
                            f"fra kode til navn")
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        if any(isinstance(v, bool) or not isinstance(v, int) for v in index.values()) \
                or sorted(index.values()) != list(range(len(index))):
            raise _reject(name, f"«category.index» i dimensjonen «{dim}» skal gi hver kode "
                                f"en plass 0, 1, 2, …")
        codes = [str(c) for c, _ in sorted(index.items(), key=lambda kv: kv[1])]
    elif index is None and len(label) == 1:
        codes = [str(next(iter(label)))]
    else:
        raise _reject(name, f"dimensjonen «{dim}» mangler «category.index»")
    if len(codes) != size:
        raise _reject(name, f"dimensjonen «{dim}» har {len(codes)} kategorier, men «size» "
                            f"sier {size}")
    if len(set(codes)) != len(codes):
        twice = next(c for c in codes if codes.count(c) > 1)
        raise _reject(name, "", [Problem(None, dim, twice, "står to ganger i dimensjonen")])
    return codes, {c: " ".join(plain(str(label.get(c, c))).split()) for c in codes}


def _named(name: str, g: str, m: str, t: str, codes: dict, labels: dict) -> None:
    """Every region a code and a name, every indicator a name, every year a year."""
    bad = [Problem(None, g, c, "er ikke en regionkode (SSB skriver for eksempel 0712, EKG13 "
                               "eller EAK)")
           for c in codes[g] if not re.fullmatch(r"[0-9]{2,4}|[A-Z][A-Z0-9]+", c)]
    bad += [Problem(None, g, c, "regionen mangler navn") for c in codes[g] if not labels[g][c]]
    bad += [Problem(None, m, c, "mangler navnet på statistikkvariabelen")
            for c in codes[m] if not labels[m][c]]
    bad += [Problem(None, t, y, "er ikke et år (fire sifre)") for y in codes[t]
            if not (len(y) == 4 and y.isdigit())]
    if bad:
        raise _reject(name, "", bad[:20], total=len(bad))


def _dimension(name: str, doc: dict, ids: list[str], role: str) -> str:
    """The dimension of a role (region, indicator, time): by the dataset's `role`, else by
    SSB's ids."""
    roles = doc.get("role")
    named = roles.get(role) if isinstance(roles, dict) else None
    for i in named if isinstance(named, list) else []:
        if i in ids:
            return i
    for i in ids:
        if i.lower() in _IDS[role]:
            return i
    what = {"geo": "regionene", "metric": "statistikkvariabelen", "time": "årene"}[role]
    raise _reject(name, f"fant ikke dimensjonen med {what} (SSB kaller dem «Region», "
                        f"«ContentsCode» og «Tid»)")


def _cells(name: str, doc: dict, total: int) -> tuple[pa.Array, pa.Array]:
    """`value` and `status` as lists of `total`, in row-major order; either may be a list or
    a dict of positions, status also one symbol for all. A cell without a number must have
    one of SSB's symbols."""
    value, status = doc.get("value"), doc.get("status")

    def spread(x: object, what: str) -> list:
        if isinstance(x, list):
            if len(x) != total:
                raise _reject(name, f"«{what}» har {len(x)} verdier, men «size» gir {total} "
                                    f"(produktet av dimensjonenes størrelser)")
            return x
        if isinstance(x, dict):
            out = [None] * total
            for k, v in x.items():
                if not (str(k).isdigit() and int(k) < total):
                    raise _reject(name, f"«{what}» har posisjonen «{k}», utenfor 0–{total - 1}")
                out[int(k)] = v
            return out
        if x is None:
            return [None] * total
        if what == "status" and isinstance(x, str):
            return [x] * total
        raise _reject(name, f"«{what}» er verken en liste eller et oppslag")

    values, symbols = spread(value, "value"), spread(status, "status")
    numbers = _typed(values, (pa.types.is_integer, pa.types.is_floating), pa.float64())
    if numbers is None:  # the slow way, only to name the first cell that is not a number
        k, v = next(((k, v) for k, v in enumerate(values) if v is not None and (
            isinstance(v, bool) or not isinstance(v, int | float) or abs(v) >= 2 ** 63)),
            (0, values[0]))
        raise _reject(name, f"verdi nummer {k + 1} («{visible(str(v))}») er ikke et tall")
    marks = _typed(symbols, (pa.types.is_string,), pa.string())
    if marks is None:
        raise _reject(name, "«status» skal være SSBs symboler for manglende tall "
                            f"({' '.join(SYMBOLS)})")
    empty = pc.is_null(numbers)
    missing = pc.and_kleene(empty, pc.invert(pc.fill_null(pc.is_in(marks, pa.array(SYMBOLS)),
                                                          False)))
    if pc.any(missing).as_py():
        k = pc.index(missing, True).as_py()
        raise _reject(name, f"verdi nummer {k + 1} mangler, uten et av SSBs symboler for "
                            f"manglende tall ({' '.join(SYMBOLS)})")
    return numbers, pc.if_else(empty, marks, pa.scalar(None, pa.string()))


def _typed(items: list, kinds: tuple, to: pa.DataType) -> pa.Array | None:
    """`items` as one Arrow array of `to`, or None when they are not all of `kinds` (or
    null): typed set-based, not cell by cell."""
    try:
        array = pa.array(items)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, OverflowError):
        return None
    if pa.types.is_null(array.type):
        return pa.nulls(len(items), to)
    return array.cast(to) if any(kind(array.type) for kind in kinds) else None


def _twice(name: str, table: pa.Table) -> None:
    """No (indicator, region, year) twice: two contents codes may share a label."""
    counts = table.group_by(["indicator", "region", "year"]).aggregate(
        [("position", "count")])
    twice = counts.filter(pc.greater(counts.column("position_count"), 1))
    if twice.num_rows:
        r = twice.slice(0, 1).to_pylist()[0]
        raise _reject(name, f"samme tall står to ganger: «{r['indicator']}», {r['region']}, "
                            f"{r['year']} (to statistikkvariabler med samme navn?)")


def _file_order(at: dict, g: str, m: str, t: str, codes: dict) -> np.ndarray:
    """A figure's place as a CSV export would list it: by region, then indicator, then year."""
    n_m, n_t = len(codes[m]), len(codes[t])
    return (at[g] * n_m + at[m]) * n_t + at[t]
