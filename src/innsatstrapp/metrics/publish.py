"""One status per figure, wherever it is shown (contract §5).

A report shows a period's figures, the compared period's as `previous`, the history of
every stored period, and movement between pairs of periods. If each report were suppressed on
its own, a figure could be withheld in one report and shown in another (the same month as
`previous`, in the history, against another compared month), and combining them would give
withheld figures back.

So suppression is decided once per period, for the period's own figures (jointly for the
whole and its units), and once per pair of periods for movement (with the periods' levels
frozen), by `innsatstrapp.disclosure`; a decision is a frozen set of withheld figures. A
report then passes through `disclosure.apply` with the decisions of every period and pair
it shows.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Iterator
from pathlib import Path

import msgspec

from innsatstrapp.catalog import Catalog
from innsatstrapp.disclosure import MODEL, Withheld, apply, decide_pair, decide_period
from innsatstrapp.disclosure.names import BANDS, MATRIX, MOVES, PERSONS_BY_LEVEL
from innsatstrapp.metrics import assemble
from innsatstrapp.model.base import dump, load
from innsatstrapp.model.report import Report
from innsatstrapp.store import ExtractInfo, Store

Decision = frozenset  # of withheld figures (when, unit, table, key, field)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """A decision allocates a great many small tuples and dicts and frees them together;
    the cyclic collector, run over them again and again, took a third of the time."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def period_decision(catalog: Catalog, period: str, n: int, extracts: dict[str, ExtractInfo],
                    scopes: dict[str | None, dict]) -> Decision:
    """The period's own figures for the whole and every unit with rows in it, decided
    jointly: the status every report gives them."""
    with _no_gc():
        return _period_decision(catalog, period, n, extracts, scopes)


def _period_decision(catalog: Catalog, period: str, n: int, extracts: dict[str, ExtractInfo],
                     scopes: dict[str | None, dict]) -> Decision:
    return decide_period(period, period_scopes(catalog, period, n, extracts, scopes), n)


def period_scopes(catalog: Catalog, period: str, n: int, extracts: dict[str, ExtractInfo],
                  scopes: dict[str | None, dict]) -> list[tuple[str | None, dict, dict]]:
    """What a period's decision is made from: (unit, figures without suppression, figures
    with the primary rule) for the whole (first) and every unit with rows in the period."""
    units = [k for k in [None, *sorted(k for k in scopes if k is not None)]
             if k in scopes and any(r["period"] == period for r in scopes[k]["totals"])]

    def figures(k: str | None) -> tuple[str | None, dict, dict]:
        cat = catalog if k is None else used(catalog, period, scopes[k])
        return (k, *(dump(assemble.report(cat, period, None, [], threshold, extracts,
                                          scopes[k], k)) for threshold in (0, n)))

    return [figures(k) for k in units]


def used(catalog: Catalog, period: str, data: dict[str, list[dict]]) -> Catalog:
    """The catalog with only the placed services that have a row in a unit's query rows of
    `period` (and every step and unplaced service): for the unit's figures in the decision.
    A unit uses a few of the catalog's hundred services; the rows of the others are 0 in
    every figure, and a figure of 0 holds no inner cell and protects none, so leaving
    them out decides the same (and assembles a tenth of the rows)."""
    names = {r["service"] for table in ("services", "conc_service", "long_term",
                                        "missing_hours")
             for r in data.get(table) or () if r["period"] == period}
    return Catalog(catalog.steps, tuple(s for s in catalog.services
                                        if s.step is None or s.name in names),
                   file_name=catalog.file_name, sha256=catalog.sha256)


def pair_decision(catalog: Catalog, n: int, scopes: dict[str | None, dict],
                  now: Decision, then: Decision, period: str, before: str) -> Decision:
    """Movement from `before` to `period` for every unit, decided per unit with the two
    periods' levels and persons by level as their periods decided them."""
    with _no_gc():
        return _pair_decision(catalog, n, scopes, now, then, period, before)


def _pair_decision(catalog: Catalog, n: int, scopes: dict[str | None, dict],
                   now: Decision, then: Decision, period: str, before: str) -> Decision:
    orders = {s.name: s.order for s in catalog.steps if s.on_staircase}
    name = {s.order: s.name for s in catalog.steps}
    out: set = set()
    for unit, data in scopes.items():
        raw, rbands = assemble.pair(catalog, data, 0, period, before)
        prim, pbands = assemble.pair(catalog, data, n, period, before)
        cells: dict = {}
        for c, p in zip(raw.matrix, prim.matrix, strict=True):
            cells[(MATRIX, (c.from_, c.to), "persons")] = (c.persons, p.persons is None, None)
        for f in MOVES:
            cells[("transitions", "", f)] = (getattr(raw, f), f in prim.suppressed, None)
        for r, p in zip(rbands, pbands, strict=True):
            for f in MOVES:
                cells[(BANDS, r.age_band, f)] = (getattr(r, f), f in p.suppressed, None)
        if not any(v for v, _, _ in cells.values()):
            continue  # nobody on the staircase at either date
        for r in data["levels"]:
            for p, fld, decision in ((period, "persons", now), (before, "previous", then)):
                if r["period"] == p and r["level"] in name and name[r["level"]] in orders:
                    step = name[r["level"]]
                    hidden = (p, unit, "levels", step, "persons") in decision
                    cells[("levels", step, fld)] = (r["persons"], hidden,
                                                    "withheld" if hidden else "shown")
        for s in orders:  # a level of 0 is public
            for fld in ("persons", "previous"):
                cells.setdefault(("levels", s, fld), (0, False, "shown"))
        for r in data["by_age"]:
            if r["period"] == period and r["level"] is not None and r["persons"]:
                key = (r["age_band"], r["gender"], name[r["level"]])
                hidden = (period, unit, PERSONS_BY_LEVEL, key, "persons") in now
                cells[(PERSONS_BY_LEVEL, key, "persons")] = (
                    r["persons"], hidden, "withheld" if hidden else "shown")
        out |= decide_pair((period, before), unit, cells, orders)
    return frozenset(out)


def views(catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
          scopes: dict[str | None, dict], reports: list[Report],
          moves: list[tuple[str, str]], known: dict[object, Decision], db: Path
          ) -> tuple[list[Report], dict[object, Decision]]:
    """The reports (one period, compared period and history, for the whole and units) with
    every figure withheld exactly where its period or pair withholds it; and the decisions
    made here (not in `known`: period or pair → decision), for the store to keep."""
    first = reports[0]
    periods = list(dict.fromkeys(p for p in (
        first.period, first.previous_period,
        *(first.history.periods if first.history else [])) if p))
    made: dict[object, Decision] = {}

    def get(when: object, compute: Callable[[], Decision]) -> Decision:
        if when not in known:
            k = (_where(db), key(catalog, n, extracts, when))
            if k in _CACHE:
                _CACHE.move_to_end(k)
            else:
                _CACHE[k] = made[when] = compute()
                while len(_CACHE) > _CACHE_SIZE:
                    _CACHE.popitem(last=False)
            known[when] = _CACHE[k]
        return known[when]

    for p in periods:
        get(p, lambda p=p: period_decision(catalog, p, n, extracts, scopes))
    for p, b in moves:
        get((p, b), lambda p=p, b=b: pair_decision(catalog, n, scopes, known[p], known[b],
                                                   p, b))
    withheld = Withheld(frozenset().union(*(known[w] for w in [*periods, *moves])))
    return [load(Report, apply(dump(r), withheld)) for r in reports], made


def key(catalog: Catalog, n: int, extracts: dict[str, ExtractInfo], when: object) -> str:
    """What a decision rests on, as a SHA-256: the period or pair, the extracts as ingested
    (file hash, time, rows), the catalog, the threshold and the figures it decides
    (`MODEL`); a re-ingested month, another catalog or a version that publishes other
    figures gives another key."""
    periods = [when] if isinstance(when, str) else list(when)
    text = json.dumps([MODEL, catalog.sha256, n, [
        (p, extracts[p].file_sha256, extracts[p].ingested_at.isoformat(), extracts[p].rows)
        for p in periods]])
    return hashlib.sha256(text.encode()).hexdigest()


def decided(store: Store, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
            wanted: list[object]) -> dict[object, Decision]:
    """The periods and pairs already decided (none without suppression): in this process's
    cache, else kept in the store; taken at once, so that decisions made later in the same
    build cannot evict them."""
    if not n:
        return {}
    keys = {w: key(catalog, n, extracts, w) for w in wanted}
    here = _where(store.path)
    out = {w: _CACHE[(here, k)] for w, k in keys.items() if (here, k) in _CACHE}
    missing = {k: w for w, k in keys.items() if w not in out}
    with _no_gc():  # tens of thousands of cells, freed together
        for k, cells in store.decisions_for(list(missing)).items():
            _CACHE[(here, k)] = out[missing[k]] = loads(missing[k], cells)
    return out


def keep(store: Store, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
         made: dict[object, Decision]) -> None:
    """Keep new decisions in the (writable) store, for every later process."""
    store.keep_decisions([(key(catalog, n, extracts, w), w if isinstance(w, str) else w[0],
                           None if isinstance(w, str) else w[1], catalog.sha256, n, dumps(d))
                          for w, d in made.items()])


def month(store: Store, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
          period: str, scopes: Callable[[], dict[str | None, dict]]) -> dict:
    """The whole municipality's figures of `period` as every view shows them, for a reader
    other than the report (the plan); `scopes` gives the period's query rows by unit."""
    rows = scopes()
    known = decided(store, catalog, n, extracts, [period])
    if period in known:
        decision = known[period]
    else:
        decision = _CACHE[(_where(store.path), key(catalog, n, extracts, period))] = (
            period_decision(catalog, period, n, extracts, rows))
    whole = assemble.report(catalog, period, None, [period], n, extracts, rows[None], None)
    return apply(dump(whole), decision)


def dumps(decision: Decision) -> str:
    """A decision as JSON: its cells (unit, table, key, field), without its period."""
    return json.dumps(sorted(([*c[1:]] for c in decision), key=repr), ensure_ascii=False,
                      separators=(",", ":"))


def loads(when: object, text: str) -> Decision:
    """A decision from `dumps`: its cells (unit, table, key, field) with their period; a key
    of several parts (JSON's list) as the tuple it was. The decoder makes the cells tuples
    itself when every key is a name or a flat tuple of names (the dashboard's first view
    reads 33 000 cells: 45 → 28 ms); anything else is read the general way."""
    try:
        return frozenset((when, *cell) for cell in _CELLS.decode(text))
    except msgspec.ValidationError:
        pass

    def tup(x: object) -> object:
        return tuple(tup(y) for y in x) if isinstance(x, list) else x

    return frozenset((when, unit, table, tup(k) if k.__class__ is list else k, fld)
                     for unit, table, k, fld in msgspec.json.decode(text))


_CELLS = msgspec.json.Decoder(list[tuple[str | None, str, str | tuple[str | None, ...], str]])


def _where(db: Path) -> str:
    return str(Path(db).resolve())


# decisions in this process, per store (two stores can hold the same extract files)
_CACHE: OrderedDict[tuple[str, str], Decision] = OrderedDict()
_CACHE_SIZE = 500  # period and pair decisions: every month of a 60-month store and its pairs
