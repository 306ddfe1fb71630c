"""The dashboard's state: one store, one catalog, and the views asked for lately.

The figures themselves are the disclosure stage's: every view is built by
`metrics.build_reports`, which takes suppression decided once per month and pair and kept
in the store (and a whole set of reports kept there, `metrics.kept`). What is held here is
only the last views and plans as objects in memory, so that a page opened again is drawn
in milliseconds instead of read back from the store; a view is keyed by the extracts as
ingested, so an ingest or a re-ingested month gives another.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from fastapi import Request  # at run time: FastAPI reads the dependency's annotation

from innsatstrapp.catalog import Catalog, load_catalog
from innsatstrapp.errors import NoPeriods, UnknownPeriod, UsageError
from innsatstrapp.kostra.compare import municipality_for
from innsatstrapp.metrics import build_reports
from innsatstrapp.model.report import Report
from innsatstrapp.outputs.html import environment
from innsatstrapp.period import Period
from innsatstrapp.store import ExtractInfo, Store
from innsatstrapp.store.kostra import figures as kostra_figures
from innsatstrapp.store.kostra import version as kostra_version

if TYPE_CHECKING:
    from jinja2 import Environment

    from innsatstrapp.plan.build import Built

T = TypeVar("T")


class Preparing(Exception):
    """The figures of a view are still being computed (another computation holds the
    engine); the page says so and reloads itself."""


class Recent(Generic[T]):
    """The last `size` values made, by key: one computation at a time for the whole
    dashboard (`busy`, shared: the engine has enough with one), and a caller that must not
    wait (a page) is told so with `Preparing`. The values themselves are read and changed
    under a lock of their own, held only for that, so a page of a made view is never kept
    waiting by a computation."""

    def __init__(self, size: int, busy: threading.Lock) -> None:
        self.size, self.busy = size, busy
        self.values: OrderedDict[Hashable, T] = OrderedDict()
        self.guard = threading.Lock()

    def _made(self, key: Hashable) -> tuple[bool, T | None]:
        with self.guard:
            if key not in self.values:
                return False, None
            self.values.move_to_end(key)
            return True, self.values[key]

    def get(self, key: Hashable, make: Callable[[], T], wait: bool = True) -> T:
        found, value = self._made(key)
        if found:
            return value  # type: ignore[return-value]
        if not self.busy.acquire(blocking=wait):
            raise Preparing()
        try:
            found, value = self._made(key)  # made while this caller waited
            if found:
                return value  # type: ignore[return-value]
            made = make()
            with self.guard:
                self.values[key] = made
                while len(self.values) > self.size:
                    self.values.popitem(last=False)
            return made
        finally:
            self.busy.release()


class Dashboard:
    """What every route reads: the store (by path; each computation opens it read-only),
    the catalog, the threshold, the plan's input folder and the page templates."""

    def __init__(self, db: Path | str, catalog: Path | str, suppress: int = 5,
                 plan_input: Path | str | None = None, municipality: str | None = None
                 ) -> None:
        self.db = Path(db)
        self.plan_folder = Path(plan_input) if plan_input else self.db.parent / "plan-input"
        Store.open(self.db, read_only=True).close()  # a missing or foreign store fails here
        self.catalog: Catalog = load_catalog(Path(catalog))  # likewise a bad catalog
        self.suppress, self.municipality = suppress, municipality
        self.env: Environment = environment("innsatstrapp.web")
        building = threading.Lock()
        self.views: Recent[dict[str | None, Report]] = Recent(16, building)
        self.plans: Recent[Built] = Recent(4, building)
        self._stored: tuple[int, tuple[ExtractInfo, ...], int] | None = None
        self._kostra: tuple[tuple[int, int], list[dict], str | None] | None = None

    def _read(self) -> tuple[int, tuple[ExtractInfo, ...], int]:
        """(file version, the stored extracts, the KOSTRA figures' version), read again
        only when the store file changes (an ingest, a KOSTRA import)."""
        version, known = self.db.stat().st_mtime_ns, self._stored
        if known is None or known[0] != version:
            with Store.open(self.db, read_only=True, wait=10) as store:
                known = self._stored = (version, tuple(store.periods()), kostra_version(store))
        return known

    def extracts(self) -> tuple[ExtractInfo, ...]:
        """The stored extracts."""
        return self._read()[1]

    def periods(self) -> list[str]:
        return [x.period for x in self.extracts()]

    def kostra(self) -> tuple[list[dict], str | None]:
        """The stored KOSTRA figures and the municipality they are compared for (the
        dashboard's, else the newest extract's single one), read again after an import."""
        version, stored, figures_version = self._read()
        if self._kostra is None or self._kostra[0] != (version, figures_version):
            with Store.open(self.db, read_only=True, wait=10) as store:
                rows = kostra_figures(store)
                own = municipality_for(store, self.municipality,
                                       stored[-1].period if stored else None)
            self._kostra = ((version, figures_version), rows, own)
        return self._kostra[1], self._kostra[2]

    def choose(self, period: str | None, compare: str | None) -> tuple[str, str | None]:
        """The month a page shows (default: the newest) and the month it is compared with
        (default: the one before), both stored and not the same."""
        stored = self.periods()
        if not stored:
            raise NoPeriods()
        p = str(Period.parse(period)) if period else stored[-1]
        c = str(Period.parse(compare)) if compare else None
        for x in (p, c):
            if x is not None and x not in stored:
                raise UnknownPeriod(x, stored)
        if c == p:
            raise UsageError("Sammenligningsmåneden er den samme som måneden som vises.")
        return p, c

    def reports(self, period: str, compare: str | None,
                wait: bool = True) -> dict[str | None, Report]:
        """Every unit's report (and the whole, key None) with the history of every stored
        month: the one computation behind every page of a month. The first one decides
        every stored month and can take minutes on a large store."""
        _, stored, kostra = self._read()
        key = (period, compare, self.catalog.sha256, kostra,
               tuple((x.period, x.file_sha256, x.ingested_at) for x in stored))
        return self.views.get(key, lambda: build_reports(
            self.catalog, period, compare=compare, history=[x.period for x in stored],
            suppress=self.suppress, db=self.db, municipality=self.municipality), wait=wait)

    def plan(self, period: str, inputs: dict[str, Path]) -> Built:
        """The plan of a month from the input files as they are now; computed once per
        month, files and store version (the month's suppression may need the store)."""
        from innsatstrapp.plan.build import build_plan

        key = (period, self.catalog.sha256, self.db.stat().st_mtime_ns, self._read()[2],
               *((k, p, p.stat().st_mtime_ns) for k, p in sorted(inputs.items())))
        return self.plans.get(key, lambda: build_plan(
            self.catalog, period, inputs["population"], accounts=inputs.get("accounts"),
            scenarios=inputs.get("scenarios"), suppress=self.suppress, db=self.db,
            comparison=inputs.get("comparison"), municipality=self.municipality),
            wait=False)

    def warm(self) -> None:
        """Compute the newest month's default view in the background, the one the first
        visitor opens."""
        if self.periods():
            threading.Thread(target=self.reports, args=self.choose(None, None), daemon=True,
                             name="innsatstrapp-warm").start()


def dashboard_of(request: Request) -> Dashboard:
    """The dashboard's state, for a route (as a dependency) or a handler."""
    return request.app.state.dashboard
