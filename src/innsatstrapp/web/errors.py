"""One exception handler for the dashboard: every failure is a Norwegian page with the
status it deserves, never a traceback or a framework's English text."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from starlette.exceptions import HTTPException

from innsatstrapp.errors import InnsatstrappError, NoPeriods, UnknownPeriod
from innsatstrapp.web.hosts import HEADERS
from innsatstrapp.web.responses import page
from innsatstrapp.web.state import Preparing, dashboard_of

ENGLISH = {"Not Found": "Siden finnes ikke.",
           "Method Not Allowed": "Denne handlingen er ikke tillatt her."}
NOT_FOUND = (UnknownPeriod, NoPeriods)


async def handle_exception(request: Request, exc: Exception) -> HTMLResponse:
    """The page for `exc`: 503 while figures are computed, 404 for what is not there,
    400 for a bad address, 500 (the store named if the engine cannot read it) else."""
    if isinstance(exc, Preparing):
        response = page(request, "forbereder.html.j2", status=503)
        response.headers["Retry-After"] = "5"
        return response
    if isinstance(exc, HTTPException):
        return _error(request, exc.status_code, ENGLISH.get(str(exc.detail), str(exc.detail)))
    if isinstance(exc, RequestValidationError):
        return _error(request, 400, "Ugyldige parametre i adressen.")
    if isinstance(exc, InnsatstrappError):
        return _error(request, 404 if isinstance(exc, NOT_FOUND) else 400, str(exc))
    if "duckdb" in type(exc).__module__:
        message = (f"Lageret {dashboard_of(request).db} kan ikke leses; det ser ut til å være "
                   f"skadet eller ufullstendig. Stopp dashbordet, gjenopprett lageret og "
                   f"nøkkelfilen fra sikkerhetskopi (eller lag et nytt lager og les inn "
                   f"uttrekkene på nytt), og start det igjen.")
    else:
        message = ("En uventet feil i innsatstrapp (ikke i dataene dine). Meld fra med "
                   "adressen du åpnet.")
    response = _error(request, 500, message)
    # an unexpected error is answered outside the middleware that adds these to the rest
    response.headers.update({k.decode(): v.decode() for k, v in HEADERS})
    return response


def _error(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "feil.html.j2", status=status, status_code=status, message=message)


def install(app: FastAPI) -> None:
    """Route every kind of failure to `handle_exception`."""
    for kind in (HTTPException, RequestValidationError, InnsatstrappError, Preparing,
                 Exception):
        app.add_exception_handler(kind, handle_exception)
