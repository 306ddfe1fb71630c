"""report.html in a real browser (Debian's Chromium through Playwright): it renders its
charts offline, makes no request off the machine, logs no error. Screenshots go to
test-artifacts/ to look at."""

from __future__ import annotations

from pathlib import Path

from helpers import ARTIFACTS
from innsatstrapp.metrics import build_report
from innsatstrapp.outputs import render


def open_page(browser, html: Path):
    """The page loaded, with every request it made and every error it logged."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(html.as_uri())
    page.wait_for_load_state("networkidle")
    return page, requests, errors


def test_report_html_offline(browser, small_store, tmp_path: Path) -> None:
    db, catalog = small_store
    html = render(build_report(catalog, "2024-01", suppress=0, db=db), tmp_path, ["html"])[0]
    page, requests, errors = open_page(browser, html)
    assert page.locator("#chart-staircase .main-svg").count() > 0
    assert page.locator("#chart-lorenz .main-svg").count() > 0
    assert page.locator("h1").inner_text() == "Innsatstrappen – januar 2024"
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-small.png"), full_page=True)
    page.close()

