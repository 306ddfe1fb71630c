"""The dashboard's routes: one function per page or file, each reading the figures from
the dashboard's state (`web.state`) and answering through `web.responses`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Query as QueryParam
from fastapi.responses import HTMLResponse, Response

from innsatstrapp.model import absent
from innsatstrapp.model.report import AGE_BANDS, NO_UNIT, UNKNOWN
from innsatstrapp.outputs import RENDERERS, render
from innsatstrapp.outputs import format as f
from innsatstrapp.outputs.charts import plotly_js
from innsatstrapp.outputs.html import HEADLINE_LABELS, cell, trend
from innsatstrapp.outputs.movement import sentences as movement_sentences
from innsatstrapp.web import pages
from innsatstrapp.web.responses import page, rendered, slug, table_csv, workbook
from innsatstrapp.web.state import Dashboard, dashboard_of
from innsatstrapp.web.tables import Table

if TYPE_CHECKING:
    from pathlib import Path

    from innsatstrapp.plan.build import Built
    from innsatstrapp.web.future import Edits

NO_UNIT_PARAM = "uten-enhet"  # ?enhet= value for decisions without a unit

router = APIRouter()


@dataclass
class Filters:
    """The query parameters every page takes (all kept in its links)."""

    periode: str | None = None
    sammenlign: str | None = None
    enhet: str | None = None
    last_ned: str | None = None  # csv | xlsx: what the page shows, as a file
    tabell: str | None = None  # the table, for csv


Query = Annotated[Filters, Depends()]
State = Annotated[Dashboard, Depends(dashboard_of)]


def view(d: Dashboard, q: Filters, wait: bool = False, **extra: str) -> dict:
    """The month, comparison and unit a page shows; `extra` goes into the page's own
    links (its service or age band), not into the menu's. A download waits for the
    figures; a page says they are being computed."""
    p, c = d.choose(q.periode, q.sammenlign)
    stored = d.periods()
    reports = d.reports(p, c, wait=wait or q.last_ned is not None)
    enhet = q.enhet
    unit = None if not enhet else NO_UNIT if enhet == NO_UNIT_PARAM else enhet
    if unit not in reports:
        raise HTTPException(404, f"Enheten «{enhet}» har ingen vedtak i {f.month(p)}.")
    r = reports[unit]
    units = [(u or NO_UNIT_PARAM, u or "Uten enhet") for u in reports if u is not None]
    query = {"periode": p, "sammenlign": c or "", "enhet": enhet or ""}
    return {"r": r, "periods": stored, "units": units, "unit": enhet or "",
            "unit_label": (unit or "Uten enhet") if unit is not None else None,
            "query": query, "qs": urlencode({k: v for k, v in {**query, **extra}.items() if v}),
            "nav_qs": urlencode({k: v for k, v in query.items() if v}), "filters": q,
            "month": f.month(r.period),
            "previous_month": f.month(r.previous_period) if r.previous_period else None,
            "cell": cell, "trend": trend}


def respond(request: Request, template: str, ctx: dict, tables: list[Table],
            charts: list, title: str, **extra: object) -> Response:
    """The page, or what it shows as CSV (one table) or XLSX (every table)."""
    last_ned = ctx["filters"].last_ned
    if last_ned is None:
        return page(request, template, tables=tables, charts=charts, title=title, **ctx,
                    **extra)
    label = ctx["unit_label"]
    stem = f"innsatstrapp-{ctx['r'].period}-{slug(title)}" + (f"-{slug(label)}" if label
                                                               else "")
    if last_ned == "xlsx":
        heading = f"{title} – {ctx['month']}" + (f" – {label}" if label else "")
        return workbook(tables, heading, stem)
    if last_ned == "csv":
        return table_csv(tables, ctx["filters"].tabell, stem)
    raise HTTPException(400, f"Ukjent format «{last_ned}»: bruk csv eller xlsx.")


@router.get("/", response_class=HTMLResponse)
def oversikt(request: Request, q: Query, d: State) -> Response:
    ctx = view(d, q)
    tables, charts = pages.overview(ctx["r"])
    trends = {h.name: [h.counts.get(p) for p in ctx["periods"]]
              for h in ctx["r"].history.headline}
    return respond(request, "oversikt.html.j2", ctx, tables, charts, "Oversikt",
                   active="oversikt", labels=HEADLINE_LABELS, trends=trends,
                   absent=absent.headline(ctx["r"]))


@router.get("/trinn/{order}", response_class=HTMLResponse)
def trinn(request: Request, order: int, q: Query, d: State) -> Response:
    step = next((s for s in d.catalog.steps if s.order == order), None)
    if step is None:
        raise HTTPException(404, f"Trinn nummer {order} finnes ikke i katalogen.")
    ctx = view(d, q)
    tables, charts = pages.step_page(ctx["r"], step.name)
    return respond(request, "trinn.html.j2", ctx, tables, charts, step.name,
                   active="trinn", step=step,
                   row=next(s for s in ctx["r"].steps if s.step == step.name))


@router.get("/tjeneste", response_class=HTMLResponse)
def tjeneste(request: Request, navn: str, q: Query, d: State) -> Response:
    svc = next((s for s in d.catalog.mapped if s.name == navn), None)
    if svc is None:
        raise HTTPException(404, f"Tjenesten «{navn}» er ikke plassert på et trinn i "
                                 f"katalogen.")
    ctx = view(d, q, navn=navn)
    tables, charts = pages.service_page(ctx["r"], navn)
    step = next(s for s in d.catalog.steps if s.name == svc.step)
    return respond(request, "tjeneste.html.j2", ctx, tables, charts, navn,
                   active="trinn", service=svc, step=step,
                   row=next(v for v in ctx["r"].services if v.service == navn))


@router.get("/bevegelse", response_class=HTMLResponse)
def bevegelse(request: Request, q: Query, d: State, alder: str | None = None) -> Response:
    bands = [*AGE_BANDS, UNKNOWN]
    if alder and alder not in bands:
        raise HTTPException(400, f"Ukjent aldersgruppe «{alder}»: bruk {', '.join(bands)}.")
    ctx = view(d, q, alder=alder or "")
    tables, charts = pages.movement_page(ctx["r"], alder or None)
    return respond(request, "bevegelse.html.j2", ctx, tables, charts, "Bevegelse",
                   active="bevegelse", bands=bands, band=alder or "",
                   sentences=movement_sentences(ctx["r"]))


@router.get("/langtidsopphold", response_class=HTMLResponse)
def langtid(request: Request, q: Query, d: State) -> Response:
    ctx = view(d, q)
    tables, charts = pages.long_term_page(ctx["r"])
    return respond(request, "langtid.html.j2", ctx, tables, charts, "Langtidsopphold",
                   active="langtid")


@router.get("/datakvalitet", response_class=HTMLResponse)
def datakvalitet(request: Request, q: Query, d: State) -> Response:
    ctx = view(d, q)
    tables, charts = pages.quality_page(ctx["r"])
    return respond(request, "datakvalitet.html.j2", ctx, tables, charts, "Datakvalitet",
                   active="datakvalitet")


@router.get("/sammenligning", response_class=HTMLResponse)
def sammenligning(request: Request, d: State, kommune: str | None = None,
                  fra: str | None = None, til: str | None = None, last_ned: str | None = None,
                  tabell: str | None = None) -> Response:
    """The municipality beside its peers in the stored KOSTRA figures, the years chosen."""
    from innsatstrapp.web import comparison

    rows, default = d.kostra()
    offered = comparison.choices(rows)
    own = kommune or default
    if kommune and kommune not in dict(offered.municipalities):
        raise HTTPException(404, f"Kommunen «{kommune}» finnes ikke i KOSTRA-tallene i lageret.")
    for year in (fra, til):
        if year and year not in offered.years:
            raise HTTPException(400, f"Året «{year}» finnes ikke i KOSTRA-tallene i lageret.")
    first = fra or (offered.years[0] if offered.years else None)
    last = til or (offered.years[-1] if offered.years else None)
    shown, sentences, tables, charts = comparison.page(rows, own, first, last) if own else (
        [], [], [], [])
    stem = f"innsatstrapp-sammenligning-{own or 'kostra'}"
    if last_ned == "xlsx":
        return workbook(tables, f"Sammenligning med andre kommuner – {own}", stem)
    if last_ned == "csv":
        return table_csv(tables, tabell, stem)
    if last_ned is not None:
        raise HTTPException(400, f"Ukjent format «{last_ned}»: bruk csv eller xlsx.")
    query = {"kommune": kommune or "", "fra": fra or "", "til": til or ""}
    return page(request, "sammenligning.html.j2", active="sammenligning", choices=offered,
                own=own, first=first, last=last, shown=shown, sentences=sentences,
                tables=tables, charts=charts,
                qs=urlencode({k: v for k, v in query.items() if v}), unit_label=None)


@router.get("/perioder", response_class=HTMLResponse)
def perioder(request: Request, d: State) -> HTMLResponse:
    found = d.extracts()
    return page(request, "perioder.html.j2", extracts=found,
                periods=[x.period for x in found])


@router.get("/rapport.{fmt}")
def report_file(fmt: str, q: Query, d: State) -> Response:
    """The report of the view as one of `report`'s formats."""
    if fmt not in RENDERERS:
        raise HTTPException(404, "Siden finnes ikke.")
    r = view(d, q, wait=True)["r"]
    name = f"innsatstrapp-{r.period}" + (f"-{slug(q.enhet)}" if q.enhet else "")
    return rendered(lambda tmp: render(r, tmp, [fmt])[0], fmt, f"{name}.{fmt}")


@router.get("/framtid", response_class=HTMLResponse)
def framtid(request: Request, d: State, periode: str | None = None,
            andel: Annotated[list[str] | None, QueryParam()] = None,
            start: Annotated[list[str] | None, QueryParam()] = None,
            full: Annotated[list[str] | None, QueryParam()] = None,
            last_ned: str | None = None, tabell: str | None = None) -> Response:
    """The plan of the month with the form's edits: the page, the plan as one of `plan`'s
    formats, or one of the page's tables as CSV."""
    # the plan's modules (and Ibis) only when the page is asked for
    from innsatstrapp.outputs.plan import PLAN_RENDERERS
    from innsatstrapp.plan.build import find_inputs, with_scenarios
    from innsatstrapp.web import future

    p, _ = d.choose(periode, None)
    inputs = find_inputs(d.plan_folder)
    if "population" not in inputs:
        return page(request, "framtid.html.j2", active="framtid", plan=None,
                    folder=d.plan_folder, periods=d.periods(), period=p, month=f.month(p),
                    nav_qs=urlencode({"periode": p}))
    built = d.plan(p, inputs)
    edits = future.edit(built.scenarios, andel or [], start or [], full or [])
    shown = with_scenarios(built, edits.scenarios) if edits.changed else built
    if last_ned in PLAN_RENDERERS:
        return plan_file(shown, p, last_ned)
    if last_ned == "csv":
        return plan_csv(shown, p, tabell)
    if last_ned is not None:
        raise HTTPException(400, f"Ukjent format «{last_ned}».")
    return plan_page(request, d, shown, p, edits, inputs)


def plan_file(shown: Built, period: str, fmt: str) -> Response:
    """The plan as a file: json, html, xlsx or pptx."""
    from innsatstrapp.outputs.plan import render as render_plan

    return rendered(lambda tmp: render_plan(shown.plan, tmp, [fmt])[0], fmt,
                    f"innsatstrapp-plan-{period}.{fmt}")


def plan_csv(shown: Built, period: str, tabell: str | None) -> Response:
    """One of the page's tables, with what the report withholds withheld."""
    from innsatstrapp.plan.disclose import published
    from innsatstrapp.web import future

    tables, _ = future.future_page(published(shown.plan))
    return table_csv(tables, tabell, f"innsatstrapp-{shown.plan.period}-framtid")


def plan_page(request: Request, d: Dashboard, shown: Built, period: str, edits: Edits,
              inputs: dict[str, Path]) -> Response:
    """The page Framtid: the plan as edited, its tables, charts and sentences."""
    from innsatstrapp.outputs.plan.sentences import all_sentences
    from innsatstrapp.plan.disclose import published
    from innsatstrapp.web import future

    public = published(shown.plan)
    tables, charts = future.future_page(public)
    return page(request, "framtid.html.j2", active="framtid", plan=public,
                folder=d.plan_folder, periods=d.periods(), period=period,
                month=f.month(period), edits=edits, tables=tables, charts=charts,
                sentences=all_sentences(public), qs=request.url.query,
                nav_qs=urlencode({"periode": period}), inputs=inputs)


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/static/plotly.js")
def plotly_bundle() -> Response:
    return Response(plotly_js(), media_type="text/javascript",
                    headers={"Cache-Control": "max-age=86400"})
