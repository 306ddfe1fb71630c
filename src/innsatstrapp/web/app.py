"""create_app: the dashboard over a store and a catalog, read-only, offline.

Every page is computed by the same metrics as `innsatstrapp report`, with the same
suppression, for everything shown and downloaded. Scripts carry a per-response nonce under
a strict Content-Security-Policy, and Plotly is served from the installed package: no
request leaves the machine. The parts: the state (`web.state`), the routes
(`web.routes`), the kinds of answer (`web.responses`) and one exception handler
(`web.errors`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from fastapi import FastAPI

from innsatstrapp.web import errors, routes
from innsatstrapp.web.hosts import OwnHosts
from innsatstrapp.web.state import Dashboard


def create_app(db: Path | str, catalog: Path | str, suppress: int = 5,
               warm: bool = False, plan_input: Path | str | None = None,
               hosts: Iterable[str] = (), municipality: str | None = None) -> FastAPI:
    """The dashboard app; with `warm` the newest month is computed in the background at
    once, so the first visitor does not wait for it. The page «Framtid» reads the plan's
    input files from `plan_input` (default: plan-input/ beside the store). It answers only
    requests to 127.0.0.1, localhost and `hosts` (`web.hosts`). KOSTRA's figures are
    compared for `municipality` (default: the extract's own). A missing or foreign store and
    a bad catalog fail here, in Norwegian."""
    dashboard = Dashboard(db, catalog, suppress=suppress, plan_input=plan_input,
                          municipality=municipality)
    app = FastAPI(title="innsatstrapp", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.dashboard = dashboard
    app.add_middleware(OwnHosts, allowed=list(hosts))
    errors.install(app)
    app.include_router(routes.router)
    if warm:
        dashboard.warm()
    return app
