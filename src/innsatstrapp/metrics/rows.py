"""The report queries' rows kept per period (and per pair of periods) in the store.

Every query groups by period first (movement by pair), so a period's rows are the same
whichever other periods are queried with it. A view of many months (the dashboard's first
view, which `ingest --catalog` makes ready every month) therefore queries only the months
and pairs whose rows are not kept yet, and reads the rest: the 24th month queries one
month and one pair, not 24 months and 23 pairs.

A period's rows are kept in kinds, as a build needs them: its counts (every period shown),
its details (the report's own period and periods still to decide), its persons by age
(periods and pairs still to decide), and a pair's movement. The key names the kind, the
extracts as ingested (a re-ingested month is another), the catalog's rows as the queries
read them and the statements' key (this code, Ibis, DuckDB: `compiled.key`).
"""

from __future__ import annotations

import hashlib
import json
import zlib

import msgspec

from innsatstrapp.catalog import Catalog
from innsatstrapp.metrics.mapped import catalog_rows
from innsatstrapp.store import ExtractInfo, Store

# the queries of each kind (together: every query of `compiled.QUERIES`)
KINDS = {
    "counts": ("levels", "headline", "steps", "groups", "services", "totals"),
    "detail": ("conc_service", "conc_group", "long_term", "unmapped", "missing_hours",
               "long_hours", "conflicts"),
    "ages": ("by_age",),
    "movement": ("matrix", "moves"),
}

Need = tuple[tuple[str, ...], str]  # ((period,) or (later, earlier), kind)
Rows = dict[str, list[dict]]  # query → rows


def needs(periods: list[str], detail: list[str], ages: list[str],
          pairs: list[tuple[str, str]]) -> list[Need]:
    """What a build reads: the counts of every period, the details of `detail`, persons by
    age of `ages` and the movement of `pairs`."""
    return [*(((p,), "counts") for p in periods), *(((p,), "detail") for p in detail),
            *(((p,), "ages") for p in dict.fromkeys(ages)),
            *((pair, "movement") for pair in pairs)]


def to_query(missing: list[Need]) -> tuple[list[str], list[str], list[str],
                                            list[tuple[str, str]], list[str]]:
    """The inputs of a run that makes the `missing` rows: (periods, detail, ages, pairs,
    counts); a pair's two periods are among the periods (its movement joins their
    persons), and only the periods whose counts are missing among the counts."""
    periods = list(dict.fromkeys(p for when, _ in missing for p in when))
    of = lambda kind: [w[0] for w, k in missing if k == kind]  # noqa: E731
    pairs = [w for w, k in missing if k == "movement"]
    return periods, of("detail"), of("ages"), pairs, of("counts")  # type: ignore[return-value]


def split(rows: Rows, missing: list[Need]) -> dict[Need, Rows]:
    """A run's rows as the `missing` needs they were made for."""
    by: dict[tuple, list[dict]] = {}
    for kind in ("counts", "detail", "ages", "movement"):
        for name in KINDS[kind]:
            for r in rows.get(name, []):
                when = (r["period"], r["before"]) if kind == "movement" else (r["period"],)
                by.setdefault((when, name), []).append(r)
    return {(when, kind): {name: by.get((when, name), []) for name in KINDS[kind]}
            for when, kind in missing}


def merged(parts: dict[Need, Rows], wanted: list[Need]) -> Rows:
    """The rows of every query, as one run over all `wanted` would give them."""
    out: Rows = {name: [] for names in KINDS.values() for name in names}
    for need in wanted:
        for name, rows in parts[need].items():
            out[name].extend(rows)
    return out


def catalog_key(catalog: Catalog) -> str:
    """The catalog as the queries read it (its rows), as a SHA-256: an edit that moves no
    service keeps the rows, and a catalog made in code (no file) has one too."""
    return hashlib.sha256(json.dumps(catalog_rows(catalog)).encode()).hexdigest()


def key(code: str, catalog: str, extracts: dict[str, ExtractInfo], need: Need) -> str:
    """What a need's rows rest on, as a SHA-256 (`catalog`: `catalog_key`)."""
    when, kind = need
    text = json.dumps([code, catalog, kind, [
        (p, extracts[p].file_sha256, extracts[p].ingested_at.isoformat(), extracts[p].rows,
         extracts[p].as_of.isoformat()) for p in when]])
    return hashlib.sha256(text.encode()).hexdigest()


def load(store: Store, code: str, catalog: Catalog, extracts: dict[str, ExtractInfo],
         wanted: list[Need]) -> dict[Need, Rows]:
    """The kept rows among `wanted` (one that cannot be read is made again)."""
    cat = catalog_key(catalog)
    keys = {key(code, cat, extracts, w): w for w in wanted}
    out = {}
    for k, body in store.query_rows(list(keys)).items():
        try:  # msgspec's decoder: twice as fast as json's on these bodies
            rows = msgspec.json.decode(zlib.decompress(body))
        except (msgspec.DecodeError, zlib.error):
            continue  # (a NaN json wrote, which JSON has not, too: made again)
        if isinstance(rows, dict) and set(rows) == set(KINDS[keys[k][1]]):
            out[keys[k]] = rows
    return out


def keep(store: Store, code: str, catalog: Catalog, extracts: dict[str, ExtractInfo],
         made: dict[Need, Rows]) -> None:
    """Keep rows made now in the (writable) store."""
    cat = catalog_key(catalog)
    store.keep_query_rows(code, cat, [
        (key(code, cat, extracts, need), need[0][0], need[0][1] if len(need[0]) > 1
         else None, need[1], zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 1))
        for need, rows in made.items()])
