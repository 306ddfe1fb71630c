"""The dashboard page «Sammenligning»: the municipality and the years to choose, per indicator
the sentence, the chart and the table, the downloads; in Chromium, with axe."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient

from helpers import served
from innsatstrapp.web import create_app


@pytest.fixture(scope="module")
def client(tiny_demo):
    return TestClient(create_app(tiny_demo.db, tiny_demo.catalog), base_url="http://127.0.0.1")


def test_the_page_for_the_extracts_municipality(client) -> None:
    r = client.get("/sammenligning")
    assert r.status_code == 200
    page = r.text
    assert '<option value="3999" selected>Fjordvik (3999)</option>' in page
    assert page.count('class="chart"') == 3 and "Fjordvik har lavest korrigerte" in page
    assert "Fjordvik (kommunen)" in page and 'aria-current="page">Sammenligning' in page
    assert '<option value="2022" selected>' in page and '<option value="2025" selected>' in page


def test_another_municipality_and_fewer_years(client) -> None:
    page = client.get("/sammenligning?kommune=3902&fra=2024&til=2025").text
    assert '<option value="3902" selected>Sørdal (3902)</option>' in page
    assert "Sørdal (kommunen)" in page and "Sørdal har" in page
    assert ">2023<" not in page.split("<h2>", 1)[1]  # the tables hold 2024 and 2025 only


def test_the_downloads_are_what_the_page_shows(client) -> None:
    import openpyxl

    csv = client.get("/sammenligning?fra=2025&last_ned=csv&tabell=kostra-1")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Region;2025" and lines[1].startswith("Fjordvik (kommunen);")
    book = openpyxl.load_workbook(io.BytesIO(client.get(
        "/sammenligning?last_ned=xlsx").content))
    assert len(book.sheetnames) == 3


@pytest.mark.parametrize(("path", "status", "said"), [
    ("/sammenligning?kommune=0301", 404, "Kommunen «0301» finnes ikke i KOSTRA-tallene"),
    ("/sammenligning?fra=1990", 400, "Året «1990» finnes ikke"),
    ("/sammenligning?last_ned=pdf", 400, "Ukjent format «pdf»"),
    ("/sammenligning?last_ned=csv&tabell=nei", 404, "Tabellen «nei» finnes ikke"),
])
def test_what_cannot_be_shown_is_said(client, path, status, said) -> None:
    r = client.get(path)
    assert r.status_code == status and said in r.text


def test_a_store_without_kostra_says_how_to_import(small_store) -> None:
    db, _ = small_store
    page = TestClient(create_app(db, db.parent / "katalog.xlsx"),
                      base_url="http://127.0.0.1").get("/sammenligning").text
    assert "Lageret har ingen KOSTRA- eller KPR-tall ennå" in page
    assert "innsatstrapp kostra import FIL" in page


def test_in_chromium_with_axe(browser, tiny_demo) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    with served(create_app(tiny_demo.db, tiny_demo.catalog)) as url:
        page.goto(f"{url}/sammenligning")
        page.wait_for_load_state("networkidle")
        charts = page.locator("div.chart[role=img]")
        assert charts.count() == 3
        for i in range(3):
            assert charts.nth(i).locator(".main-svg").count() > 0
        page.select_option("#kommune", "3901")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert "kommune=3901" in page.url and "Nordvik (kommunen)" in page.content()
        results = Axe().run(page)
        assert results.violations_count == 0, results.generate_report()
        assert errors == []
        page.close()
