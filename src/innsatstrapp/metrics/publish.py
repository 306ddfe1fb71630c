"""One status per figure, wherever it is shown (contract §5).

A report shows a period's figures, the compared period's as `previous`, the history of
every stored period, and movement between pairs of periods. If each report were suppressed on
its own, a figure could be withheld in one report and shown in another (the same month as
`previous`, in the history, against another compared month), and combining them would give
withheld figures back.

So suppression is decided once per period, for the period's own figures (jointly for the
whole and its units, `secondary`), and once per pair of periods for movement (`pairs`, with
the periods' levels frozen). A report then takes each figure's status from where the figure
belongs; a change is shown only when both its operands are, so it adds nothing.
"""

from __future__ import annotations

import copy
from collections import OrderedDict
from collections.abc import Callable, Iterator

from innsatstrapp.catalog import Catalog
from innsatstrapp.metrics import assemble, pairs, secondary
from innsatstrapp.metrics.model import Report
from innsatstrapp.store import ExtractInfo

Bundle = dict[str | None, dict]  # unit (None = the whole) -> suppressed report dict
# where a period's own value of a figure sits, and the field it fills as `previous`
_VALUE = {"headline": "value", "steps": "services", "groups": "services", "services": "count",
          "levels": "persons"}


def period_bundle(catalog: Catalog, period: str, n: int, extracts: dict[str, ExtractInfo],
                  scopes: dict[str | None, dict]) -> Bundle:
    """The period's own figures for the whole and every unit with rows in it, suppressed
    jointly: the status every report gives them."""
    units = [k for k in [None, *sorted(k for k in scopes if k is not None)]
             if k in scopes and any(r["period"] == period for r in scopes[k]["totals"])]
    reports = [assemble.report(catalog, period, None, [period], n, extracts, scopes[k],
                               k).model_dump() for k in units]
    return dict(zip(units, secondary.apply_all(reports), strict=True))


def pair_bundle(catalog: Catalog, n: int, scopes: dict[str | None, dict],
                now: Bundle, then: Bundle, period: str, before: str) -> Bundle:
    """Movement from `before` to `period` for every unit, suppressed per unit with the two
    periods' levels and by-age counts as they are published."""
    out: Bundle = {}
    for unit, data in scopes.items():
        t, bands = assemble.pair(catalog, data, n, period, before)
        a, b = now.get(unit), then.get(unit)
        levels = [{"step": s.name, "order": s.order, "persons": 0, "previous": 0,
                   "suppressed": []} for s in catalog.steps if s.on_staircase]
        for src, field in ((a, "persons"), (b, "previous")):
            for row, level in zip(levels, (src or {}).get("levels") or [], strict=False):
                row[field] = level["persons"]
                if "persons" in level["suppressed"]:
                    row["suppressed"].append(field)
        out[unit] = pairs.suppress({
            "levels": levels, "by_age": copy.deepcopy(a["by_age"]) if a else [],
            "transitions": t.model_dump(), "bands": [x.model_dump() for x in bands]})
    return out


def views(catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
          scopes: dict[str | None, dict], reports: list[Report],
          moves: list[tuple[str, str]], store: str, known: dict[str, Bundle]
          ) -> list[Report]:
    """The reports (one period, compared period and history, for the whole and units) with
    every figure withheld exactly where its period or pair withholds it."""
    first = reports[0]
    periods = list(dict.fromkeys(p for p in (
        first.period, first.previous_period,
        *(first.history.periods if first.history else [])) if p))
    def key(*ps: str) -> tuple:
        return _key(store, catalog, n, extracts, *ps)

    bundles = {p: known[p] if p in known else _cached(
        key(p), lambda p=p: period_bundle(catalog, p, n, extracts, scopes)) for p in periods}
    pair_bundles = {(p, b): _cached(key(p, b), lambda p=p, b=b: pair_bundle(
        catalog, n, scopes, bundles[p], bundles[b], p, b)) for p, b in moves}
    out = []
    for r in reports:
        data = r.model_dump()
        overlay(data, bundles, pair_bundles)
        out.append(Report.model_validate(data))
    return out


def _key(store: str, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
         *periods: str) -> tuple:
    """The store, the extracts as ingested (file hash, time, rows), the catalog, the threshold."""
    return (store, catalog.sha256, n, *(
        (p, extracts[p].file_sha256, extracts[p].ingested_at, extracts[p].rows)
        for p in periods))


def decided(store: str, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
            periods: list[str]) -> dict[str, Bundle]:
    """The periods already decided (none without suppression), taken out of the cache at
    once, so that periods decided later in the same build cannot evict them."""
    if not n:
        return {}
    keys = {p: _key(store, catalog, n, extracts, p) for p in periods}
    return {p: _CACHE[k] for p, k in keys.items() if k in _CACHE}


def month(store: str, catalog: Catalog, n: int, extracts: dict[str, ExtractInfo],
          period: str, scopes: Callable[[], dict[str | None, dict]]) -> Bundle:
    """A period's decided figures (whole and units) for a reader other than the report (the
    plan): the cached bundle, or computed from `scopes` (the period's query rows by unit)."""
    return _cached(_key(store, catalog, n, extracts, period),
                   lambda: period_bundle(catalog, period, n, extracts, scopes()))


_CACHE: OrderedDict[tuple, Bundle] = OrderedDict()
_CACHE_SIZE = 500  # period and pair bundles: every month of a 60-month store and its pairs


def _cached(key: tuple, compute: Callable[[], Bundle]) -> Bundle:
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


def overlay(data: dict, bundles: dict[str, Bundle],
            pair_bundles: dict[tuple[str, str], Bundle]) -> None:
    """Give every figure of a report the status its period or pair decided."""
    unit, period, before = data["unit"], data["period"], data["previous_period"]
    own = bundles[period].get(unit)
    if own:
        for path in _withheld(own):
            if path[0] != "history":
                _hide(data, path)
    then = bundles[before].get(unit) if before else None
    for key, field in _VALUE.items():
        rows = (then or {}).get(key) or {}
        for i, row in (rows.items() if key == "headline" else enumerate(rows)):
            if field in row["suppressed"]:
                _hide(data, (key, i, "previous"))
    history = data.get("history")
    if history:
        for p in history["periods"]:
            src = bundles[p].get(unit)
            for path in _withheld(src["history"]) if src else ():
                _hide(history, path)
        flows = history["flows"]
        for k, row in enumerate(flows):
            moved = pair_bundles[(row["period"], row["before"])].get(unit)
            if moved:
                flows[k] = _flow(row, moved)
    if before and data.get("transitions") is not None:
        moved = pair_bundles[assemble.forward(period, before)].get(unit)
        if moved:
            t = copy.deepcopy(moved["transitions"])
            if before > period:  # compared with a later month: the same pair, backwards
                t = pairs.transpose(t, [row["step"] for row in data["levels"]])
            data["transitions"] = t
    secondary.sync_aliases(data)  # a change next to a withheld value or previous


def _flow(row: dict, moved: dict) -> dict:
    """A history flow row as the pair decided it: its totals, or its age band's."""
    if row["age_band"] is None:
        src = moved["transitions"]
    else:
        src = next(b for b in moved["bands"] if b["age_band"] == row["age_band"])
    return row | {f: src[f] for f in pairs.MOVES} | {
        "suppressed": [f for f in src["suppressed"] if f in pairs.MOVES]}


def _withheld(node: object, path: tuple = ()) -> Iterator[tuple]:
    """Paths of the withheld fields under node: those named in a `suppressed` list, and the
    nulls of the plain mappings (history counts, persons by level)."""
    if isinstance(node, dict):
        for f in node.get("suppressed") or ():
            yield (*path, f)
        plain = path[-1:] in (("counts",), ("persons_by_level",))
        for k, v in node.items():
            if plain and v is None:
                yield (*path, k)
            elif isinstance(v, dict | list) and k != "suppressed":
                yield from _withheld(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _withheld(v, (*path, i))


def _hide(data: dict, path: tuple) -> None:
    node = data
    for key in path[:-1]:
        node = node[key]
    field = path[-1]
    node[field] = None
    if isinstance(node.get("suppressed"), list) and field not in node["suppressed"]:
        node["suppressed"].append(field)
