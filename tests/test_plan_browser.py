"""plan.html in a real browser. Its own module: the demo (which may start Chromium for its
PDF) is built before this module's Playwright starts."""

from __future__ import annotations

from helpers import ARTIFACTS
from test_browser import open_page


def test_plan_html_offline(tiny_demo, browser) -> None:
    """The demo's plan page: every chart drawn, nothing fetched, no script error."""
    page, requests, errors = open_page(browser, tiny_demo.plan)
    for chart in ("pyramide", "eldre", "matrisefigur", "trinnfigur", "kostnadsfigur",
                  "aarsverkfigur"):
        assert page.locator(f"#{chart} .main-svg").count() > 0, chart
    assert page.locator("h1").inner_text() == "Innsatstrappen mot 2040"
    assert [u for u in requests if not u.startswith(("file:", "data:", "blob:"))] == []
    assert errors == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "plan-demo.png"), full_page=True)
    page.close()
