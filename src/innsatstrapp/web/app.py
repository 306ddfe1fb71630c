"""create_app: the dashboard over a store and a catalog, read-only, offline.

Every page is computed by the same metrics as `innsatstrapp report` and cached per
(period, compare, catalog hash); suppression applies to everything shown and downloaded.
Scripts carry a per-response nonce under a strict Content-Security-Policy, and Plotly is
served from the installed package: no request leaves the machine.
"""

from __future__ import annotations

import functools
import secrets
import shutil
import tempfile
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException

from innsatstrapp.catalog import Catalog, load_catalog
from innsatstrapp.errors import InnsatstrappError
from innsatstrapp.metrics import build_report, headline_history
from innsatstrapp.metrics.model import HEADLINE, Report
from innsatstrapp.outputs import RENDERERS, render
from innsatstrapp.outputs import _format as f
from innsatstrapp.outputs.html import HEADLINE_LABELS, cell, staircase_chart, trend
from innsatstrapp.period import Period
from innsatstrapp.store import Store

MEDIA = {"json": "application/json", "html": "text/html; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "pdf": "application/pdf"}


def create_app(db: Path | str, catalog: Path | str, suppress: int = 5) -> FastAPI:
    db, catalog_path = Path(db), Path(catalog)
    Store.open(db, read_only=True).close()  # a missing or foreign store fails at start
    cat: Catalog = load_catalog(catalog_path)  # likewise a bad catalog, in Norwegian
    app = FastAPI(title="innsatstrapp", docs_url=None, redoc_url=None, openapi_url=None)
    env = Environment(loader=PackageLoader("innsatstrapp.web", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                      lstrip_blocks=True)

    def periods() -> list[str]:
        with Store.open(db, read_only=True) as store:
            return [x.period for x in store.periods()]

    @functools.lru_cache(maxsize=64)
    def report(period: str, compare: str | None, catalog_hash: str) -> Report:
        return build_report(cat, period, compare=compare, suppress=suppress, db=db)

    @functools.lru_cache(maxsize=4)
    def history(catalog_hash: str, stored: tuple[str, ...]) -> dict:
        return headline_history(cat, suppress=suppress, db=db)

    def choose(periode: str | None, sammenlign: str | None) -> tuple[str, str | None]:
        stored = periods()
        if not stored:
            raise HTTPException(404, "Lageret har ingen perioder ennå.")
        try:
            p = str(Period.parse(periode)) if periode else stored[-1]
            c = str(Period.parse(sammenlign)) if sammenlign else None
        except InnsatstrappError as e:
            raise HTTPException(400, str(e)) from None
        for x in (p, c):
            if x is not None and x not in stored:
                raise HTTPException(404, f"Perioden {x} finnes ikke i lageret.")
        return p, c

    def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        html = env.get_template(template).render(request=request, nonce=nonce, f=f, **context)
        response = HTMLResponse(html, status_code=status)
        response.headers["Content-Security-Policy"] = (
            f"default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' "
            f"'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            f"base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        english = {"Not Found": "Siden finnes ikke.",
                   "Method Not Allowed": "Denne handlingen er ikke tillatt her."}
        message = english.get(str(exc.detail), str(exc.detail))
        return page(request, "feil.html.j2", status=exc.status_code, status_code=exc.status_code,
                    message=message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> HTMLResponse:
        return page(request, "feil.html.j2", status=400, status_code=400,
                    message="Ugyldige parametre i adressen.")

    @app.exception_handler(InnsatstrappError)
    async def user_error(request: Request, exc: InnsatstrappError) -> HTMLResponse:
        return page(request, "feil.html.j2", status=400, status_code=400, message=str(exc))

    @app.get("/", response_class=HTMLResponse)
    def oversikt(request: Request, periode: str | None = None,
                 sammenlign: str | None = None) -> HTMLResponse:
        p, c = choose(periode, sammenlign)
        r = report(p, c, cat.sha256)
        stored = periods()
        series = history(cat.sha256, tuple(stored))
        trends = {name: [series[q][name].value for q in stored] for name in HEADLINE}
        return page(request, "oversikt.html.j2", r=r, periods=stored, labels=HEADLINE_LABELS,
                    steps=cat.steps,
                    cell=cell, trend=trend, staircase=staircase_chart(r), trends=trends,
                    month=f.month(r.period),
                    previous_month=f.month(r.previous_period) if r.previous_period else None)

    @functools.lru_cache(maxsize=16)
    def with_history(period: str, compare: str | None, catalog_hash: str,
                     stored: tuple[str, ...]) -> Report:
        return build_report(cat, period, compare=compare, history=list(stored),
                            suppress=suppress, db=db)

    def context(periode: str | None, sammenlign: str | None, history: bool = False) -> dict:
        p, c = choose(periode, sammenlign)
        stored = periods()
        r = (with_history(p, c, cat.sha256, tuple(stored)) if history
             else report(p, c, cat.sha256))
        return {"r": r, "periods": stored, "cell": cell, "trend": trend,
                "month": f.month(r.period),
                "previous_month": f.month(r.previous_period) if r.previous_period else None}

    @app.get("/trinn/{order}", response_class=HTMLResponse)
    def trinn(request: Request, order: int, periode: str | None = None,
              sammenlign: str | None = None) -> HTMLResponse:
        step = next((s for s in cat.steps if s.order == order), None)
        if step is None:
            raise HTTPException(404, f"Trinn nummer {order} finnes ikke i katalogen.")
        ctx = context(periode, sammenlign, history=True)
        r = ctx["r"]
        return page(request, "trinn.html.j2", active="trinn", step=step,
                    row=next(s for s in r.steps if s.step == step.name),
                    groups=[g for g in r.groups if g.step == step.name],
                    services=[v for v in r.services if v.step == step.name],
                    hist_groups={x.name: x for x in r.history.groups},
                    hist_services={x.name: x for x in r.history.services}, **ctx)

    @app.get("/langtidsopphold", response_class=HTMLResponse)
    def langtid(request: Request, periode: str | None = None,
                sammenlign: str | None = None) -> HTMLResponse:
        return page(request, "langtid.html.j2", active="langtid", **context(periode, sammenlign))

    @app.get("/datakvalitet", response_class=HTMLResponse)
    def datakvalitet(request: Request, periode: str | None = None,
                     sammenlign: str | None = None) -> HTMLResponse:
        return page(request, "datakvalitet.html.j2", active="datakvalitet",
                    **context(periode, sammenlign))

    @app.get("/perioder", response_class=HTMLResponse)
    def perioder(request: Request) -> HTMLResponse:
        with Store.open(db, read_only=True) as store:
            extracts = store.periods()
        return page(request, "perioder.html.j2", extracts=extracts, periods=[
            x.period for x in extracts])

    @app.get("/rapport.{fmt}")
    def download(fmt: str, periode: str | None = None, sammenlign: str | None = None
                 ) -> Response:
        if fmt not in RENDERERS:
            raise HTTPException(404, "Siden finnes ikke.")
        p, c = choose(periode, sammenlign)
        tmp = Path(tempfile.mkdtemp(prefix="innsatstrapp-"))
        (path,) = render(report(p, c, cat.sha256), tmp, [fmt])
        return FileResponse(path, media_type=MEDIA[fmt], filename=f"innsatstrapp-{p}.{fmt}",
                            background=BackgroundTask(shutil.rmtree, tmp, ignore_errors=True))

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static/plotly.js")
    def plotly_js() -> Response:
        return Response(_plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    return app


@functools.cache
def _plotly_js() -> str:
    """Plotly's bundle from the installed package, read once per process."""
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()
