"""The dashboard in a real browser (Debian's Chromium through Playwright), served by uvicorn
on loopback: every page renders its charts under the strict CSP with no request off the
server and no console error, axe-core finds no violation, the filters and drill-downs work
with the keyboard as well as the mouse, and a download arrives. Screenshots go to
test-artifacts/ to look at."""

from __future__ import annotations

import pytest

from helpers import ARTIFACTS, served

PAGES = ["/?periode=2024-01", "/trinn/3?periode=2024-01", "/trinn/5?periode=2024-01",
         "/tjeneste?navn=HS+ring+1&periode=2024-01", "/langtidsopphold?periode=2024-01",
         "/datakvalitet?periode=2024-01", "/perioder", "/?periode=2024-01&enhet=Sone+1",
         "/bevegelse?periode=2024-01", "/framtid?periode=2024-01",
         "/finnes-ikke"]


@pytest.fixture(scope="module")
def plan_input(tmp_path_factory):
    """A population (100 persons per age and gender, 2024–2040) and one scenario."""
    folder = tmp_path_factory.mktemp("plan-input")
    rows = [f"{y};{a};{g};100" for y in range(2024, 2041) for a in range(101) for g in "KM"]
    (folder / "befolkning.csv").write_text("år;alder;kjønn;personer\n" + "\n".join(rows),
                                           encoding="utf-8")
    (folder / "scenarier.csv").write_text(
        "Scenario;Fra trinn;Til trinn;Andel;Startår;Fullt år\n"
        "Hjemme;Trinn 6;Trinn 3;50;2025;2030\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def server(small_store, plan_input):
    from innsatstrapp.web import create_app

    db, _ = small_store
    with served(create_app(db, db.parent / "katalog.xlsx", suppress=0,
                           plan_input=plan_input)) as url:
        yield url


@pytest.fixture
def page(browser, server):
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.requests, page.errors = [], []
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    yield page
    assert [u for u in page.requests if not u.startswith(server)] == []  # nothing leaves
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_and_axe_finds_nothing(page, server, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    response = page.goto(server + path)
    page.wait_for_load_state("networkidle")
    assert response.status == (404 if path == "/finnes-ikke" else 200)
    if response.status == 404:  # the browser logs the 404 of the page itself
        page.errors[:] = [e for e in page.errors if "status of 404" not in e]
    assert page.locator("html").get_attribute("lang") == "nb"
    charts = page.locator("div.chart[role=img]")
    for i in range(charts.count()):  # every chart drew, and says in words what it shows
        assert charts.nth(i).locator(".main-svg").count() > 0
        assert len(charts.nth(i).get_attribute("aria-label")) > 20
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
    name = path.strip("/").split("?")[0].replace("/", "-") or "oversikt"
    if "enhet" in path:
        name += "-enhet"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dashboard-{name}.png"), full_page=True)


def test_filters_drill_down_and_download(page, server) -> None:
    page.goto(server + "/")
    page.select_option("#periode", "2023-12")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis").click()
    assert page.locator("h1").inner_text() == "Innsatstrappen – desember 2023"
    page.select_option("#periode", "2024-01")
    page.select_option("#enhet", "Sone 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Vis").click()
    assert "enhet=Sone+1" in page.url and "periode=2024-01" in page.url  # shareable URL
    with page.expect_navigation():
        page.get_by_role("link", name="Trinn 3", exact=True).first.click()
    assert page.locator("h1").inner_text() == "Trinn 3 – januar 2024 – Sone 1"
    with page.expect_navigation():
        page.get_by_role("link", name="HS ring 1").click()
    assert page.locator("h1").inner_text() == "HS ring 1 – januar 2024 – Sone 1"
    with page.expect_download() as info:
        page.get_by_role("link", name="Excel (alle tabellene)").click()
    download = info.value
    assert download.suggested_filename == "innsatstrapp-2024-01-hs-ring-1-sone-1.xlsx"
    assert download.path().read_bytes()[:2] == b"PK"


def test_keyboard_reaches_the_content_and_the_filters(page, server) -> None:
    page.goto(server + "/?periode=2024-01")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # visible when focused
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # a visible focus ring
    page.keyboard.press("Enter")
    assert page.url.endswith("#innhold")
    for _ in range(30):  # tab on to the month filter and change it without a mouse
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "periode":
            break
    assert page.evaluate("document.activeElement.id") == "periode"
    page.keyboard.type("des")  # type-ahead picks «desember 2023» in the focused list
    assert page.evaluate("document.activeElement.value") == "2023-12"
    page.keyboard.press("Tab")  # sammenlign
    page.keyboard.press("Tab")  # enhet
    page.keyboard.press("Tab")  # Vis
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Innsatstrappen – desember 2023"


def test_changing_a_share_recomputes_at_once(page, server) -> None:
    """A leader changes a scenario's share: the page computes again as soon as the field is
    left, without pressing a button."""
    page.goto(server + "/framtid?periode=2024-01")
    row = page.locator("#tabell-brukere tr", has_text="Trinn 6")
    before = row.inner_text()
    assert "Hjemme" in page.locator("#tabell-brukere thead").inner_text()
    share = page.get_by_label("Andel (%)")
    share.fill("100")
    with page.expect_navigation():
        share.press("Tab")
    page.wait_for_load_state("networkidle")
    assert "andel=100" in page.url
    assert page.get_by_label("Andel (%)").input_value() == "100"
    after = page.locator("#tabell-brukere tr", has_text="Trinn 6").inner_text()
    assert after != before and after.split()[-1] == "0"  # everyone moved from Trinn 6 by 2040
