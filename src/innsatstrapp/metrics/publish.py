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

from collections import OrderedDict
from collections.abc import Callable

from innsatstrapp.catalog import Catalog
from innsatstrapp.disclosure import apply, decide_pair, decide_period
from innsatstrapp.disclosure.names import BANDS, MATRIX, MOVES, PERSONS_BY_LEVEL
from innsatstrapp.metrics import assemble
from innsatstrapp.metrics.model import Report
from innsatstrapp.store import ExtractInfo

Decision = frozenset  # of withheld figures (when, unit, table, key, field)


def period_decision(catalog: Catalog, period: str, n: int, extracts: dict[str, ExtractInfo],
                    scopes: dict[str | None, dict]) -> Decision:
    """The period's own figures for the whole and every unit with rows in it, decided
    jointly: the status every report gives them."""
    units = [k for k in [None, *sorted(k for k in scopes if k is not None)]
             if k in scopes and any(r["period"] == period for r in scopes[k]["totals"])]

    def dump(k: str | None, threshold: int) -> dict:
        return assemble.report(catalog, period, None, [], threshold, extracts, scopes[k],
                               k).model_dump()

    return decide_period(period, [(k, dump(k, 0), dump(k, n)) for k in units], n)


def pair_decision(catalog: Catalog, n: int, scopes: dict[str | None, dict],
                  now: Decision, then: Decision, period: str, before: str) -> Decision:
    """Movement from `before` to `period` for every unit, decided per unit with the two
    periods' levels and persons by level as their periods decided them."""
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
          moves: list[tuple[str, str]], store: str, known: dict[str, Decision]
          ) -> list[Report]:
    """The reports (one period, compared period and history, for the whole and units) with
    every figure withheld exactly where its period or pair withholds it."""
    first = reports[0]
    periods = list(dict.fromkeys(p for p in (
        first.period, first.previous_period,
        *(first.history.periods if first.history else [])) if p))

    def key(*ps: str) -> tuple:
        return _key(store, catalog, n, extracts, *ps)

    decisions = {p: known[p] if p in known else _cached(
        key(p), lambda p=p: period_decision(catalog, p, n, extracts, scopes))
        for p in periods}
    pair_decisions = {(p, b): _cached(key(p, b), lambda p=p, b=b: pair_decision(
        catalog, n, scopes, decisions[p], decisions[b], p, b)) for p, b in moves}
    withheld = frozenset().union(*decisions.values(), *pair_decisions.values())
    return [Report.model_validate(apply(r.model_dump(), withheld)) for r in reports]


def _key(store: str, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
         *periods: str) -> tuple:
    """The store, the extracts as ingested (file hash, time, rows), the catalog, the threshold."""
    return (store, catalog.sha256, n, *(
        (p, extracts[p].file_sha256, extracts[p].ingested_at, extracts[p].rows)
        for p in periods))


def decided(store: str, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
            periods: list[str]) -> dict[str, Decision]:
    """The periods already decided (none without suppression), taken out of the cache at
    once, so that periods decided later in the same build cannot evict them."""
    if not n:
        return {}
    keys = {p: _key(store, catalog, n, extracts, p) for p in periods}
    return {p: _CACHE[k] for p, k in keys.items() if k in _CACHE}


def month(store: str, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
          period: str, scopes: Callable[[], dict[str | None, dict]]) -> dict:
    """The whole municipality's figures of `period` as every view shows them, for a reader
    other than the report (the plan); `scopes` gives the period's query rows by unit."""
    rows = scopes()
    decision = _cached(_key(store, catalog, n, extracts, period),
                       lambda: period_decision(catalog, period, n, extracts, rows))
    whole = assemble.report(catalog, period, None, [period], n, extracts, rows[None], None)
    return apply(whole.model_dump(), decision)


_CACHE: OrderedDict[tuple, Decision] = OrderedDict()
_CACHE_SIZE = 500  # period and pair decisions: every month of a 60-month store and its pairs


def _cached(key: tuple, compute: Callable[[], Decision]) -> Decision:
    """A period's or pair's decisions are computed once per process (the dashboard opens
    many reports over the same months); the key names the extracts' content, the catalog
    and the threshold, so a re-ingested month or another catalog is computed anew."""
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _CACHE[key]
    value = _CACHE[key] = compute()
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return value
