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
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi import Query as QueryParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException as StarletteHTTPException

from innsatstrapp.catalog import Catalog, load_catalog
from innsatstrapp.errors import InnsatstrappError, UnknownPeriod
from innsatstrapp.metrics import build_reports
from innsatstrapp.model import absent
from innsatstrapp.model.report import AGE_BANDS, NO_UNIT, UNKNOWN, Report
from innsatstrapp.outputs import RENDERERS, render
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import plotly_js
from innsatstrapp.outputs.html import HEADLINE_LABELS, cell, environment, trend
from innsatstrapp.outputs.movement import sentences as movement_sentences
from innsatstrapp.period import Period
from innsatstrapp.store import Store
from innsatstrapp.web import pages
from innsatstrapp.web.hosts import HEADERS, OwnHosts
from innsatstrapp.web.tables import Table, to_csv, to_xlsx

if TYPE_CHECKING:
    from innsatstrapp.plan.build import Built

NO_UNIT_PARAM = "uten-enhet"  # ?enhet= value for decisions without a unit


@dataclass
class Filters:
    """The query parameters every page takes (all kept in its links)."""

    periode: str | None = None
    sammenlign: str | None = None
    enhet: str | None = None
    last_ned: str | None = None  # csv | xlsx: what the page shows, as a file
    tabell: str | None = None  # the table, for csv


Query = Annotated[Filters, Depends()]
MEDIA = {"json": "application/json", "html": "text/html; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "pdf": "application/pdf"}




class Preparing(Exception):
    """The figures of a view are still being computed."""


def create_app(db: Path | str, catalog: Path | str, suppress: int = 5,
               warm: bool = False, plan_input: Path | str | None = None,
               hosts: Iterable[str] = ()) -> FastAPI:
    """The dashboard app; with `warm` the newest month is computed in the background at
    once, so the first visitor does not wait for it. The page «Framtid» reads the plan's
    input files from `plan_input` (default: plan-input/ beside the store). It answers only
    requests to 127.0.0.1, localhost and `hosts` (`web.hosts`)."""
    db, catalog_path = Path(db), Path(catalog)
    plan_folder = Path(plan_input) if plan_input else db.parent / "plan-input"
    Store.open(db, read_only=True).close()  # a missing or foreign store fails at start
    cat: Catalog = load_catalog(catalog_path)  # likewise a bad catalog, in Norwegian
    app = FastAPI(title="innsatstrapp", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(OwnHosts, allowed=list(hosts))
    env = environment("innsatstrapp.web")

    @functools.lru_cache(maxsize=4)
    def extracts(version: int) -> tuple:
        with Store.open(db, read_only=True, wait=10) as store:
            return tuple(store.periods())

    def stored_extracts() -> tuple:
        """The stored extracts, read again only when the store file changes (an ingest)."""
        return extracts(db.stat().st_mtime_ns)

    def periods() -> list[str]:
        return [x.period for x in stored_extracts()]

    ready: OrderedDict[tuple, dict[str | None, Report]] = OrderedDict()  # the last 16 views
    building = threading.Lock()

    def bundle(period: str, compare: str | None, catalog_hash: str,
               stored: tuple[str, ...], wait: bool = True) -> dict[str | None, Report]:
        """Every unit's report (and the whole) with the history of every stored month:
        the one computation behind every page of a month. One at a time; a page asked for
        while another computation runs (the first one decides every stored month and can
        take minutes on a large store) gets a page that says so and reloads itself."""
        # the extracts as ingested (their periods too): a month ingested again is another view
        key = (period, compare, catalog_hash,
               tuple((x.period, x.file_sha256, x.ingested_at) for x in stored_extracts()))
        if key in ready:
            ready.move_to_end(key)
            return ready[key]
        if not wait and building.locked():
            raise Preparing()
        with building:
            if key not in ready:
                ready[key] = build_reports(cat, period, compare=compare,
                                           history=list(stored), suppress=suppress, db=db)
                while len(ready) > 16:
                    ready.popitem(last=False)
            return ready[key]

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
                raise HTTPException(404, str(UnknownPeriod(x, stored)))
        if c == p:
            raise HTTPException(400, "Sammenligningsmåneden er den samme som måneden som vises.")
        return p, c

    def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
        nonce = secrets.token_urlsafe(16)
        context.setdefault("steps", cat.steps)
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

    @app.exception_handler(Preparing)
    async def preparing(request: Request, exc: Preparing) -> HTMLResponse:
        response = page(request, "forbereder.html.j2", status=503)
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> HTMLResponse:
        return page(request, "feil.html.j2", status=400, status_code=400,
                    message="Ugyldige parametre i adressen.")

    @app.exception_handler(InnsatstrappError)
    async def user_error(request: Request, exc: InnsatstrappError) -> HTMLResponse:
        return page(request, "feil.html.j2", status=400, status_code=400, message=str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> HTMLResponse:
        """Never a traceback or an English text: a store the engine cannot read is named,
        anything else is said to be the program's fault."""
        if "duckdb" in type(exc).__module__:
            message = (f"Lageret {db} kan ikke leses; det ser ut til å være skadet eller "
                       f"ufullstendig. Stopp dashbordet, gjenopprett lageret og nøkkelfilen "
                       f"fra sikkerhetskopi (eller lag et nytt lager og les inn uttrekkene på "
                       f"nytt), og start det igjen.")
        else:
            message = ("En uventet feil i innsatstrapp (ikke i dataene dine). Meld fra med "
                       "adressen du åpnet.")
        response = page(request, "feil.html.j2", status=500, status_code=500, message=message)
        # this handler answers outside the middleware that adds them to every other answer
        response.headers.update({k.decode(): v.decode() for k, v in HEADERS})
        return response

    def view(q: Filters, wait: bool = False, **extra: str) -> dict:
        """The month, comparison and unit a page shows; `extra` goes into the page's own
        links (its service or age band), not into the menu's. A download waits for the
        figures; a page says they are being computed."""
        periode, sammenlign, enhet = q.periode, q.sammenlign, q.enhet
        p, c = choose(periode, sammenlign)
        stored = periods()
        reports = bundle(p, c, cat.sha256, tuple(stored),
                         wait=wait or q.last_ned is not None)
        unit = None if not enhet else NO_UNIT if enhet == NO_UNIT_PARAM else enhet
        if unit not in reports:
            raise HTTPException(404, f"Enheten «{enhet}» har ingen vedtak i {f.month(p)}.")
        r = reports[unit]
        units = [(u or NO_UNIT_PARAM, u or "Uten enhet") for u in reports if u is not None]
        query = {"periode": p, "sammenlign": c or "", "enhet": enhet or ""}
        nav_qs = urlencode({k: v for k, v in query.items() if v})
        qs = urlencode({k: v for k, v in {**query, **extra}.items() if v})
        return {"r": r, "periods": stored, "units": units, "unit": enhet or "",
                "unit_label": (unit or "Uten enhet") if unit is not None else None,
                "query": query, "qs": qs, "nav_qs": nav_qs, "filters": q,
                "month": f.month(r.period),
                "previous_month": f.month(r.previous_period) if r.previous_period else None,
                "cell": cell, "trend": trend}

    def respond(request: Request, template: str, ctx: dict, tables: list[Table],
                charts: list, title: str, **extra) -> Response:
        """The page, or what it shows as CSV (one table) or XLSX (every table)."""
        last_ned, tabell = ctx["filters"].last_ned, ctx["filters"].tabell
        if last_ned is None:
            return page(request, template, tables=tables, charts=charts, title=title,
                        **ctx, **extra)
        stem = f"innsatstrapp-{ctx['r'].period}-{_slug(title)}" + (
            f"-{_slug(ctx['unit_label'])}" if ctx["unit_label"] else "")
        heading = f"{title} – {ctx['month']}" + (
            f" – {ctx['unit_label']}" if ctx["unit_label"] else "")
        if last_ned == "xlsx":
            return Response(to_xlsx(tables, heading), media_type=MEDIA["xlsx"],
                            headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})
        if last_ned == "csv":
            if not tabell:
                raise HTTPException(400, "Velg tabellen som skal lastes ned (tabell=…).")
            chosen = next((t for t in tables if t.id == tabell), None)
            if chosen is None:
                raise HTTPException(404, f"Tabellen «{tabell}» finnes ikke på denne siden.")
            return Response(to_csv(chosen), media_type="text/csv; charset=utf-8", headers={
                "Content-Disposition": f'attachment; filename="{stem}-{chosen.id}.csv"'})
        raise HTTPException(400, f"Ukjent format «{last_ned}»: bruk csv eller xlsx.")

    @app.get("/", response_class=HTMLResponse)
    def oversikt(request: Request, q: Query) -> Response:
        ctx = view(q)
        tables, charts = pages.overview(ctx["r"])
        trends = {h.name: [h.counts.get(p) for p in ctx["periods"]]
                  for h in ctx["r"].history.headline}
        return respond(request, "oversikt.html.j2", ctx, tables, charts, "Oversikt",
                       active="oversikt", labels=HEADLINE_LABELS, trends=trends,
                       absent=absent.headline(ctx["r"]))

    @app.get("/trinn/{order}", response_class=HTMLResponse)
    def trinn(request: Request, order: int, q: Query) -> Response:
        step = next((s for s in cat.steps if s.order == order), None)
        if step is None:
            raise HTTPException(404, f"Trinn nummer {order} finnes ikke i katalogen.")
        ctx = view(q)
        tables, charts = pages.step_page(ctx["r"], step.name)
        return respond(request, "trinn.html.j2", ctx, tables, charts, step.name,
                       active="trinn", step=step,
                       row=next(s for s in ctx["r"].steps if s.step == step.name))

    @app.get("/tjeneste", response_class=HTMLResponse)
    def tjeneste(request: Request, navn: str, q: Query) -> Response:
        svc = next((s for s in cat.mapped if s.name == navn), None)
        if svc is None:
            raise HTTPException(404, f"Tjenesten «{navn}» er ikke plassert på et trinn i "
                                     f"katalogen.")
        ctx = view(q, navn=navn)
        tables, charts = pages.service_page(ctx["r"], navn)
        step = next(s for s in cat.steps if s.name == svc.step)
        return respond(request, "tjeneste.html.j2", ctx, tables, charts, navn,
                       active="trinn", service=svc, step=step,
                       row=next(v for v in ctx["r"].services if v.service == navn))

    @app.get("/bevegelse", response_class=HTMLResponse)
    def bevegelse(request: Request, q: Query, alder: str | None = None) -> Response:
        bands = [*AGE_BANDS, UNKNOWN]
        if alder and alder not in bands:
            raise HTTPException(400, f"Ukjent aldersgruppe «{alder}»: bruk {', '.join(bands)}.")
        ctx = view(q, alder=alder or "")
        tables, charts = pages.movement_page(ctx["r"], alder or None)
        return respond(request, "bevegelse.html.j2", ctx, tables, charts, "Bevegelse",
                       active="bevegelse", bands=bands, band=alder or "",
                       sentences=movement_sentences(ctx["r"]))

    @app.get("/langtidsopphold", response_class=HTMLResponse)
    def langtid(request: Request, q: Query) -> Response:
        ctx = view(q)
        tables, charts = pages.long_term_page(ctx["r"])
        return respond(request, "langtid.html.j2", ctx, tables, charts, "Langtidsopphold",
                       active="langtid")

    @app.get("/datakvalitet", response_class=HTMLResponse)
    def datakvalitet(request: Request, q: Query) -> Response:
        ctx = view(q)
        tables, charts = pages.quality_page(ctx["r"])
        return respond(request, "datakvalitet.html.j2", ctx, tables, charts, "Datakvalitet",
                       active="datakvalitet")

    @app.get("/perioder", response_class=HTMLResponse)
    def perioder(request: Request) -> HTMLResponse:
        found = stored_extracts()
        return page(request, "perioder.html.j2", extracts=found, periods=[
            x.period for x in found])

    @app.get("/rapport.{fmt}")
    def download(fmt: str, q: Query) -> Response:
        if fmt not in RENDERERS:
            raise HTTPException(404, "Siden finnes ikke.")
        r = view(q, wait=True)["r"]
        enhet = q.enhet
        tmp = Path(tempfile.mkdtemp(prefix="innsatstrapp-"))
        (path,) = render(r, tmp, [fmt])
        name = f"innsatstrapp-{r.period}" + (f"-{_slug(enhet)}" if enhet else "")
        return FileResponse(path, media_type=MEDIA[fmt], filename=f"{name}.{fmt}",
                            background=BackgroundTask(shutil.rmtree, tmp, ignore_errors=True))

    plans: OrderedDict[tuple, Built] = OrderedDict()  # the last 4 months' plans

    def plan_for(period: str, inputs: dict[str, Path]) -> Built:
        """The plan of a month from the input files as they are now; computed once per
        month, files and store version (the month's suppression may need the store)."""
        from innsatstrapp.plan.build import build_plan

        key = (period, cat.sha256, db.stat().st_mtime_ns,
               *((k, p, p.stat().st_mtime_ns) for k, p in sorted(inputs.items())))
        if key in plans:
            return plans[key]
        if building.locked():
            raise Preparing()
        with building:
            if key not in plans:
                plans[key] = build_plan(cat, period, inputs["population"],
                                        accounts=inputs.get("accounts"),
                                        scenarios=inputs.get("scenarios"),
                                        suppress=suppress, db=db)
                while len(plans) > 4:
                    plans.popitem(last=False)
        return plans[key]

    @app.get("/framtid", response_class=HTMLResponse)
    def framtid(request: Request, periode: str | None = None,
                andel: Annotated[list[str] | None, QueryParam()] = None,
                start: Annotated[list[str] | None, QueryParam()] = None,
                full: Annotated[list[str] | None, QueryParam()] = None,
                last_ned: str | None = None, tabell: str | None = None) -> Response:
        # the plan's modules (and Ibis) only when the page is asked for
        from innsatstrapp.outputs.plan import PLAN_RENDERERS
        from innsatstrapp.outputs.plan import render as render_plan
        from innsatstrapp.outputs.plan.sentences import all_sentences
        from innsatstrapp.plan.build import find_inputs, with_scenarios
        from innsatstrapp.plan.disclose import published
        from innsatstrapp.web import future

        p, _ = choose(periode, None)
        inputs = find_inputs(plan_folder)
        if "population" not in inputs:
            return page(request, "framtid.html.j2", active="framtid", plan=None,
                        folder=plan_folder, periods=periods(), period=p, month=f.month(p),
                        nav_qs=urlencode({"periode": p}))
        built = plan_for(p, inputs)
        edits = future.edit(built.scenarios, andel or [], start or [], full or [])
        shown = with_scenarios(built, edits.scenarios) if edits.changed else built
        if last_ned in PLAN_RENDERERS:  # the plan as a file: json, html, xlsx, pptx
            tmp = Path(tempfile.mkdtemp(prefix="innsatstrapp-"))
            (path,) = render_plan(shown.plan, tmp, [last_ned])
            return FileResponse(path, media_type=MEDIA[last_ned],
                                filename=f"innsatstrapp-plan-{p}.{last_ned}",
                                background=BackgroundTask(shutil.rmtree, tmp,
                                                          ignore_errors=True))
        public = published(shown.plan)
        tables, charts = future.future_page(public)
        if last_ned == "csv":
            ctx = {"r": shown.plan, "filters": Filters(last_ned=last_ned, tabell=tabell),
                   "unit_label": None, "month": f.month(p)}
            return respond(request, "", ctx, tables, charts, "Framtid")
        if last_ned is not None:
            raise HTTPException(400, f"Ukjent format «{last_ned}».")
        query = request.url.query
        return page(request, "framtid.html.j2", active="framtid", plan=public,
                    folder=plan_folder, periods=periods(), period=p, month=f.month(p),
                    edits=edits, tables=tables, charts=charts,
                    sentences=all_sentences(public), qs=query,
                    nav_qs=urlencode({"periode": p}), inputs=inputs)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/static/plotly.js")
    def plotly_bundle() -> Response:
        return Response(plotly_js(), media_type="text/javascript",
                        headers={"Cache-Control": "max-age=86400"})

    # the newest month's default view, which the first visitor opens
    if warm and (stored := periods()):
        threading.Thread(target=bundle, args=(*choose(None, None), cat.sha256, tuple(stored)),
                         daemon=True, name="innsatstrapp-warm").start()

    return app


def _slug(text: str) -> str:
    """A file-name part: ASCII letters, digits and dashes."""
    plain = unicodedata.normalize("NFKD", text.replace("å", "aa").replace("ø", "o")
                                  .replace("æ", "ae").replace("Å", "Aa").replace("Ø", "O")
                                  .replace("Æ", "Ae")).encode("ascii", "ignore").decode()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in plain).lower().split())[:60]
