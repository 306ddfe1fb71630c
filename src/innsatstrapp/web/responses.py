"""The kinds of answer the dashboard gives: a page (under a strict Content-Security-Policy
with a nonce of its own), a rendered file, and what a page shows as CSV or XLSX."""

from __future__ import annotations

import mimetypes
import secrets
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from pathlib import Path

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from starlette.background import BackgroundTask

from innsatstrapp.outputs import format as f
from innsatstrapp.web.state import dashboard_of
from innsatstrapp.web.tables import Table, to_csv, to_xlsx

MEDIA = {"json": "application/json", "html": "text/html; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         "pdf": "application/pdf", "csv": "text/csv; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self' "
       "'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def page(request: Request, template: str, status: int = 200, **context: object
         ) -> HTMLResponse:
    """A page from its template; the menu's steps come from the catalog."""
    dashboard = dashboard_of(request)
    nonce = secrets.token_urlsafe(16)
    context.setdefault("steps", dashboard.catalog.steps)
    html = dashboard.env.get_template(template).render(request=request, nonce=nonce, f=f,
                                                        **context)
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Security-Policy"] = CSP.format(nonce=nonce)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def media(fmt: str) -> str:
    """The media type of a format, a plugin renderer's too."""
    return (MEDIA.get(fmt) or mimetypes.guess_type(f"x.{fmt}")[0]
            or "application/octet-stream")


def rendered(write: Callable[[Path], Path], fmt: str, filename: str) -> FileResponse:
    """A file a renderer writes into a folder of its own, removed once it is sent (or at
    once, if the renderer fails)."""
    tmp = Path(tempfile.mkdtemp(prefix="innsatstrapp-"))
    try:
        path = write(tmp)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return FileResponse(path, media_type=media(fmt), filename=filename,
                        background=BackgroundTask(shutil.rmtree, tmp, ignore_errors=True))


def workbook(tables: list[Table], heading: str, stem: str) -> Response:
    """Every table of a page, one sheet each."""
    return Response(to_xlsx(tables, heading), media_type=MEDIA["xlsx"],
                    headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'})


def table_csv(tables: list[Table], tabell: str | None, stem: str) -> Response:
    """One table of a page, the one named `tabell`."""
    if not tabell:
        raise HTTPException(400, "Velg tabellen som skal lastes ned (tabell=…).")
    chosen = next((t for t in tables if t.id == tabell), None)
    if chosen is None:
        raise HTTPException(404, f"Tabellen «{tabell}» finnes ikke på denne siden.")
    return Response(to_csv(chosen), media_type=MEDIA["csv"], headers={
        "Content-Disposition": f'attachment; filename="{stem}-{chosen.id}.csv"'})


def slug(text: str) -> str:
    """A file-name part: ASCII letters, digits and dashes."""
    plain = unicodedata.normalize("NFKD", text.replace("å", "aa").replace("ø", "o")
                                  .replace("æ", "ae").replace("Å", "Aa").replace("Ø", "O")
                                  .replace("Æ", "Ae")).encode("ascii", "ignore").decode()
    return "-".join("".join(ch if ch.isalnum() else " " for ch in plain).lower().split())[:60]
