"""report.pdf: the HTML report printed to A4 by Chromium, offline.

Uses the system's Chromium (Debian: `apt-get install chromium`; or set INNSATSTRAPP_CHROMIUM
to its path) through Playwright; no browser is ever downloaded.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from innsatstrapp.errors import UsageError
from innsatstrapp.model.report import Report

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium() -> str:
    for candidate in (os.environ.get("INNSATSTRAPP_CHROMIUM"), shutil.which("chromium"),
                      shutil.which("chromium-browser"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    raise UsageError("PDF lages med Chromium, som ikke ble funnet. Installer den "
                     "(Debian/Ubuntu: apt-get install chromium) eller sett INNSATSTRAPP_CHROMIUM "
                     "til stien til nettleseren.")


def render(report: Report, out_dir: Path, **_: object) -> Path:
    from playwright.sync_api import sync_playwright

    from innsatstrapp.outputs.html import render as render_html

    executable = chromium()
    path = out_dir / "report.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        html = render_html(report, Path(tmp))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 1400})
            page.goto(html.as_uri())
            page.wait_for_load_state("networkidle")
            page.emulate_media(media="print")
            page.pdf(path=str(path), format="A4", print_background=True,
                     display_header_footer=True, header_template="<span></span>",
                     footer_template='<div style="font-size:8px;width:100%;text-align:center;">'
                                     '<span class="pageNumber"></span> / '
                                     '<span class="totalPages"></span></div>',
                     margin={"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"})
            browser.close()
    return path
