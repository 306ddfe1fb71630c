"""Build the report of one period from the store and the catalog (contract §4–5)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from innsatstrapp.catalog import Catalog
from innsatstrapp.errors import MetricError
from innsatstrapp.kostra.compare import comparison
from innsatstrapp.metrics import compiled, keeping, kept
from innsatstrapp.model.base import replace
from innsatstrapp.model.report import Report, forward
from innsatstrapp.period import Period
from innsatstrapp.store import DEFAULT_DB, ExtractInfo, Store, require

T = TypeVar("T")

# The queries, the assembly and the decisions (Ibis, DuckDB's relations) are imported inside
# the functions that use them: reports kept in the store are read without them.


def choose_periods(extracts: dict[str, ExtractInfo], period: Period, compare: Period | None,
                   history: list[Period], db: Path) -> tuple[str | None, list[str]]:
    """The compared period (default: the newest stored before `period`) and the history,
    as the text keys of the stored rows; each must be stored."""
    def known(p: Period) -> str:
        return require(extracts, p, db).period

    known(period)
    if compare is None:
        earlier = [p for p in extracts if Period.parse(p) < period]
        return (earlier[-1] if earlier else None), [known(p) for p in dict.fromkeys(history)]
    if compare == period:
        raise MetricError(f"--compare {compare} er samme periode som rapporten gjelder.")
    return known(compare), [known(p) for p in dict.fromkeys(history)]


def build_reports(catalog: Catalog, period: Period | str, *,
                  compare: Period | str | None = None,
                  history: list[Period] | list[str] | None = None, suppress: int = 5,
                  db: Path | str = DEFAULT_DB, municipality: str | None = None
                  ) -> dict[str | None, Report]:
    """The report of the whole municipality (key None) and of every unit (key: the unit,
    NO_UNIT for decisions without one), from one set of queries, each with the comparison
    with KOSTRA (contract §8) for `municipality` (default: the extract's own).

    See `published` for how the figures are made and kept."""
    return _with_kostra(*_published(catalog, period, compare, history, suppress, db,
                                    lambda store: comparison(store, municipality, period)))


def _with_kostra(reports: dict[str | None, Report], block: object
                 ) -> dict[str | None, Report]:
    if block is None:
        return reports
    return {k: replace(r, kostra=block) for k, r in reports.items()}


def published(catalog: Catalog, period: Period | str, *,
              compare: Period | str | None = None,
              history: list[Period] | list[str] | None = None, suppress: int = 5,
              db: Path | str = DEFAULT_DB) -> dict[str | None, Report]:
    """The reports as published, without the comparison: the whole municipality (key
    None) and every unit, from one set of queries.

    Suppression is decided once per period (jointly for the whole and its units) and once
    per pair of periods (movement), so a figure is withheld or shown alike in every report
    and every dashboard view it appears in (see `publish`). The units are always decided
    with the whole, even when only the whole is published: a whole decided alone could show
    a figure the dashboard withholds, and the two together could give a unit's back.

    A set built before from the same extracts, catalog, threshold, periods and code is
    read from the store (`kept`), and a new one kept there."""
    return _published(catalog, period, compare, history, suppress, db)[0]


def _published(catalog: Catalog, period: Period | str, compare: Period | str | None,
               history: list[Period] | list[str] | None, suppress: int, db: Path | str,
               also: Callable[[Store], T] | None = None,
               only: tuple[str | None, ...] | None = None
               ) -> tuple[dict[str | None, Report], T | None]:
    """`published`, and what `also` reads from the store while it is open for the build
    (one opening for reading, and one for keeping what was made). With `only`, the reports
    of those scopes alone (decided with every unit all the same): a whole set kept before
    serves them, else they are made and kept as a set of their own."""
    if suppress < 0:
        raise MetricError("--suppress må være 0 eller større.")
    db, month = Path(db), Period.of(period)
    period = str(month)  # its text: the key of the stored rows and of the model
    keeping.waited()
    with Store.open(db, read_only=True) as store:
        extracts = {x.period: x for x in store.periods()}
        compare, hist = choose_periods(extracts, month,
                                       Period.of(compare) if compare else None,
                                       [Period.of(h) for h in history or []], db)
        extra = also(store) if also else None
        k = kept.key(catalog, suppress, extracts, period, compare, hist)
        found = kept.load(store, k, keeping.start_meanwhile)
        if found is None and only is not None:
            k = kept.part(k, only)
            found = kept.load(store, k, keeping.start_meanwhile)
        if found is not None:
            return found, extra
        from innsatstrapp.metrics import publish

        # the history holds the period and its comparison too, in stored order
        shown = [p for p in extracts if p in {period, compare, *hist}] if hist else []
        # movement is decided per pair (later, earlier), whichever way a report compares
        pairs = list(dict.fromkeys([*([forward(period, compare)] if compare else []),
                                    *zip(shown[1:], shown[:-1], strict=False)]))
        periods = list(dict.fromkeys([period, *([compare] if compare else []), *shown]))
        # decisions already made are taken now (and kept for this build); the other
        # periods need every detail
        known = publish.decided(store, catalog, suppress, extracts, [*periods, *pairs])
        data, statements, fresh = _read(store, catalog, extracts, periods, pairs, known)
    # what is kept is given as soon as it is made: in the report command, the query rows are
    # written while the suppression is decided
    with keeping.parts(db) as keep:
        if statements or fresh:
            keep(lambda store: _keep_rows(store, catalog, extracts, statements, fresh))
        out, made = _assembled(catalog, period, compare, shown, suppress, extracts, data,
                               pairs, known, db, only)
        keep(lambda store: _keep_published(store, catalog, suppress, extracts, made, k,
                                           periods, out))
    return out, extra


def _assembled(catalog: Catalog, period: str, compare: str | None, shown: list[str],
               suppress: int, extracts: dict[str, ExtractInfo], data: dict[str, list[dict]],
               pairs: list[tuple[str, str]], known: dict, db: Path,
               only: tuple[str | None, ...] | None = None
               ) -> tuple[dict[str | None, Report], dict]:
    """The published reports of every unit scope (or of those in `only`) from the query
    rows, and the decisions made for them (not `known` before). The decisions are made from
    every unit's rows whichever reports are asked for; a report of the whole alone spares
    the assembly of the others (18 reports of a month: a third of what follows the
    decision)."""
    from innsatstrapp.metrics import absent, assemble, publish

    scopes = assemble.split(data)
    if None not in scopes or not any(r["period"] == period for r in scopes[None]["services"]):
        raise MetricError(f"Katalogen «{catalog.file_name}» passer ikke til uttrekket for "
                          f"{period}: ingen av tjenestene i katalogen finnes i uttrekket. "
                          f"Lag en ny med «innsatstrapp catalog template».")
    keys = [None, *sorted(k for k in scopes if k is not None)]
    if only is not None:
        for unit in only:
            if unit not in scopes:
                raise _unknown_unit(unit, period, keys)
        keys = [k for k in keys if k in only]
    reports = [assemble.report(catalog, period, compare, shown, suppress, extracts, scopes[k],
                               k) for k in keys]
    made: dict = {}
    if suppress:
        reports, made = publish.views(catalog, suppress, extracts, scopes, reports, pairs,
                                      known, db)
    return {k: absent.blank(r, extracts) for k, r in zip(keys, reports, strict=True)}, made


def _keep_rows(store: Store, catalog: Catalog, extracts: dict[str, ExtractInfo],
               statements: dict[str, str] | None, fresh: dict) -> None:
    """The statements compiled and the query rows made by this build."""
    if statements:
        compiled.keep(store, statements)
    if fresh:
        from innsatstrapp.metrics import rows as kept_rows

        kept_rows.keep(store, compiled.key(), catalog, extracts, fresh)


def _keep_published(store: Store, catalog: Catalog, suppress: int,
                    extracts: dict[str, ExtractInfo], made: dict, k: str, periods: list[str],
                    out: dict[str | None, Report]) -> None:
    """The decisions made by this build and the published set."""
    if made:
        from innsatstrapp.metrics import publish

        publish.keep(store, catalog, suppress, extracts, made)
    kept.keep(store, k, periods, out)


def _read(store: Store, catalog: Catalog, extracts: dict[str, ExtractInfo],
          periods: list[str], pairs: list[tuple[str, str]], known: dict
          ) -> tuple[dict[str, list[dict]], dict[str, str] | None, dict]:
    """The query rows of `periods` and `pairs`: every detail of the periods not decided
    yet (`known`), the counts of the rest; the statements if they were compiled here (for
    the store to keep), else None; and the rows made here (`rows.keep`). Rows kept in the
    store before are read, and only the periods and pairs without them queried."""
    from innsatstrapp.metrics import rows as kept_rows

    detail = [periods[0], *(p for p in periods[1:] if p not in known)]
    # a pair still to decide needs its later month's persons by level
    ages = [*detail, *(p for p, b in pairs if (p, b) not in known)]
    wanted = kept_rows.needs(periods, detail, ages, pairs)
    code = compiled.key()
    found = kept_rows.load(store, code, catalog, extracts, wanted)
    missing = [w for w in wanted if w not in found]
    if not missing:
        return kept_rows.merged(found, wanted), None, {}
    q_periods, q_detail, q_ages, q_pairs, q_counts = kept_rows.to_query(missing)
    compiled.register(store.con, catalog, q_periods, q_detail, q_ages, q_pairs, q_counts)
    sql = compiled.load(store)
    keeping.start_meanwhile()  # what the caller does meanwhile starts now
    rows, made = compiled.run(store.con, sql, bool(q_pairs))
    fresh = kept_rows.split(rows, missing)
    return kept_rows.merged({**found, **fresh}, wanted), None if sql else made, fresh


def build_report(catalog: Catalog, period: Period | str, *,
                 compare: Period | str | None = None,
                 history: list[Period] | list[str] | None = None, suppress: int = 5,
                 db: Path | str = DEFAULT_DB, unit: str | None = None,
                 municipality: str | None = None) -> Report:
    """Every figure of contract §4 for `period`, compared with `compare` (default: the newest
    stored period before it), with suppression at `suppress` (0 = off); of one unit when
    `unit` is given (NO_UNIT: decisions without a unit)."""
    reports = _with_kostra(*_published(
        catalog, period, compare, history, suppress, db,
        lambda store: comparison(store, municipality, period), only=(unit,)))
    if unit not in reports:  # a whole set kept before, without the unit
        raise _unknown_unit(unit, Period.of(period), list(reports))
    return reports[unit]


def _unknown_unit(unit: str | None, period: Period | str, units: list[str | None]
                  ) -> MetricError:
    known = ", ".join(sorted(u or "uten-enhet" for u in units if u is not None))
    return MetricError(f"Enheten «{unit}» finnes ikke i uttrekket for {period}. "
                       f"Enheter: {known or 'ingen'}.")


def month_rows(store: Store, catalog: Catalog, period: str,
               extracts: dict[str, ExtractInfo]) -> dict[str | None, dict]:
    """One period's query rows with every detail, split by unit scope (the whole: None)."""
    from innsatstrapp.metrics import assemble

    rows, _, _ = _read(store, catalog, extracts, [period], [], {})
    return assemble.split(rows)


def decided_month(con, catalog: Catalog, period: str, suppress: int,
                  extracts: dict[str, ExtractInfo], db: Path) -> dict | None:
    """The whole municipality's figures of `period` with the statuses every report and
    dashboard view gives them (None without suppression): for readers such as the plan,
    which must not show what the report withholds."""
    from innsatstrapp.metrics import publish

    if not suppress:
        return None
    store = Store(con.con, db)
    return publish.month(store, catalog, suppress, extracts, period,
                         lambda: month_rows(store, catalog, period, extracts))


def decide(catalog: Catalog, period: Period | str, *, suppress: int = 5,
           db: Path | str = DEFAULT_DB) -> list[tuple[str, ...]]:
    """Decide suppression for `period` (whole and units), for its pairs with the stored
    months just before and after it, and keep the decisions in the store, so that reports
    and the dashboard find them made (`ingest --catalog`); the month's report and the
    dashboard's first view are kept ready too. Returns what was decided: the
    period and its pairs as (later, earlier)."""
    if not suppress:
        return []
    month = Period.of(period)
    period = str(month)
    with Store.open(db, read_only=True) as store:
        stored = [x.period for x in store.periods()]
    before = [p for p in stored if Period.parse(p) < month]
    after = [p for p in stored if Period.parse(p) > month]
    # the dashboard's first view (the newest month with every month) first: it decides the
    # month and its pairs too, and keeps the query rows the month's report reads
    published(catalog, stored[-1], history=stored, suppress=suppress, db=db)
    published(catalog, period, compare=before[-1] if before else None, suppress=suppress,
              db=db)
    done: list[tuple[str, ...]] = [(period,), *([(period, before[-1])] if before else [])]
    if after:
        published(catalog, after[0], compare=period, suppress=suppress, db=db)
        done.append((after[0], period))
    return done


def decide_all(catalog: Catalog, *, suppress: int = 5, db: Path | str = DEFAULT_DB) -> int:
    """Decide (and keep) suppression for every stored month and every pair of consecutive
    months at once: what the dashboard's first view needs. Returns the months decided."""
    if not suppress:
        return 0
    with Store.open(db, read_only=True) as store:
        stored = [x.period for x in store.periods()]
    if stored:
        published(catalog, stored[-1], history=stored, suppress=suppress, db=db)
    return len(stored)
