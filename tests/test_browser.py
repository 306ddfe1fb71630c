"""report.html in a real browser (Debian's Chromium through Playwright): it renders its
charts offline, makes no request off the machine, logs no error. Screenshots go to
test-artifacts/ to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from innsatstrapp.metrics import build_report
from innsatstrapp.outputs import render

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = Path(__file__).parents[1] / "test-artifacts"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "browser tests need Debian's chromium: apt-get install chromium"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_report_html_offline(browser, small_store, tmp_path: Path) -> None:
    db, catalog = small_store
    html = render(build_report(catalog, "2024-01", suppress=0, db=db), tmp_path, ["html"])[0]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, errors = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(html.as_uri())
    page.wait_for_load_state("networkidle")
    assert page.locator("#chart-staircase .main-svg").count() > 0
    assert page.locator("#chart-lorenz .main-svg").count() > 0
    assert page.locator("h1").inner_text() == "Innsatstrappen – januar 2024"
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-small.png"), full_page=True)
    page.close()


def test_dashboard_under_its_content_security_policy(browser, small_store) -> None:
    """Plotly runs under the strict CSP (no inline script without the nonce, no eval)."""
    import socket
    import threading

    import uvicorn

    from innsatstrapp.web import create_app

    db, _ = small_store
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(db, db.parent / "katalog.xlsx",
                                                     suppress=0),
                                          host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        import time

        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"http://127.0.0.1:{port}/")
        page.wait_for_load_state("networkidle")
        assert page.locator("#chart-staircase .main-svg").count() > 0
        assert page.locator("#spark-unique_users .main-svg").count() > 0
        page.select_option("#periode", "2023-12")
        page.get_by_role("button", name="Vis").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "Innsatstrappen – desember 2023"
        assert [u for u in requests if not u.startswith(f"http://127.0.0.1:{port}/")] == []
        assert errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "dashboard-oversikt.png"), full_page=True)
        page.close()
    finally:
        server.should_exit = True
        thread.join(timeout=5)
