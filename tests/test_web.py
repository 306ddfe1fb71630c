"""The dashboard over HTTP: every route, figures in Norwegian, suppression, CSP, Norwegian
errors for bad parameters (never a traceback), downloads of the month's pack."""

from __future__ import annotations

import pytest

from helpers import local_client as TestClient
from innsatstrapp.errors import InputFileError
from innsatstrapp.web import create_app


@pytest.fixture(scope="module")
def client(small_store):
    db, _ = small_store
    return TestClient(create_app(db, db.parent / "katalog.xlsx", suppress=0))


def test_overview_shows_the_newest_month(client) -> None:
    r = client.get("/")
    assert r.status_code == 200 and '<html lang="nb">' in r.text
    assert "Innsatstrappen – januar 2024" in r.text and "sammenlignet med desember 2023" in r.text
    assert "1,38" in r.text and "21,00" in r.text  # services per user, home-nursing hours
    assert '<script src="/static/plotly.js"></script>' in r.text
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self' 'nonce-" in csp
    nonce = csp.split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in r.text
    assert "https://" not in r.text and "http://" not in r.text


def test_filters_are_in_the_url(client) -> None:
    r = client.get("/?periode=2023-12")
    assert "Innsatstrappen – desember 2023" in r.text and "sammenlignet med" not in r.text
    r = client.get("/?periode=2024-01&sammenlign=2023-12")
    assert 'value="2023-12" selected' in r.text


@pytest.mark.parametrize(("url", "status", "text"), [
    ("/?periode=2024-13", 400, "Ugyldig periode «2024-13»"),
    ("/?periode=2030-01", 404, "Perioden 2030-01 finnes ikke i lageret."),
    ("/?sammenlign=1999-01", 404, "Perioden 1999-01 finnes ikke i lageret."),
    ("/finnes-ikke", 404, "Siden finnes ikke."),
    ("/rapport.docx", 404, "Siden finnes ikke."),
])
def test_bad_parameters_get_a_norwegian_page(client, url: str, status: int, text: str) -> None:
    r = client.get(url)
    assert r.status_code == status and text in r.text
    assert "Traceback" not in r.text and '<html lang="nb">' in r.text


def test_periods_page(client) -> None:
    r = client.get("/perioder")
    assert r.status_code == 200 and "jan.csv" in r.text and "des.csv" in r.text


@pytest.mark.parametrize(("fmt", "kind"), [("json", "application/json"),
                                           ("xlsx", "spreadsheetml"), ("pptx", "presentationml"),
                                           ("html", "text/html")])
def test_downloads(client, fmt: str, kind: str) -> None:
    r = client.get(f"/rapport.{fmt}?periode=2024-01")
    assert r.status_code == 200 and kind in r.headers["content-type"]
    assert f'filename="innsatstrapp-2024-01.{fmt}"' in r.headers["content-disposition"]
    if fmt == "json":
        assert r.json()["headline"]["services_total"]["value"] == 11


def test_plotly_is_served_from_the_package(client) -> None:
    r = client.get("/static/plotly.js")
    assert r.status_code == 200 and "plotly" in r.text[:2000].lower()


def test_suppression_applies_to_pages_and_downloads(small_store) -> None:
    db, _ = small_store
    client = TestClient(create_app(db, db.parent / "katalog.xlsx"))  # default threshold 5
    page = client.get("/").text
    assert 'class="sup"' in page
    data = client.get("/rapport.json").json()
    assert data["suppression_threshold"] == 5
    assert data["headline"]["new_decisions"]["value"] is None


def test_a_bad_catalog_fails_at_start(small_store, tmp_path) -> None:
    db, _ = small_store
    with pytest.raises(InputFileError, match="finner ikke filen"):
        create_app(db, tmp_path / "nei.xlsx")


def test_a_missing_store_fails_at_start_before_the_catalog(tmp_path) -> None:
    from innsatstrapp.errors import StoreError

    with pytest.raises(StoreError, match="Finner ikke lageret"):
        create_app(tmp_path / "nei.duckdb", tmp_path / "nei.xlsx")


def test_step_page_with_history_and_new_ended_net(client) -> None:
    r = client.get("/trinn/3?periode=2024-01")
    assert r.status_code == 200 and "Trinn 3 – januar 2024" in r.text
    assert "HS ring 1" in r.text and "HS ring 2" in r.text
    assert ">2023-12<" in r.text and ">2024-01<" in r.text  # groups over every month
    # Trinn 3: December 0 new and 1 ended, January 1 new and 1 ended
    assert ("I de 2 av 2 månedene der begge tallene vises, kom det 1 nytt vedtak, og 2 ble "
            "avsluttet.") in r.text
    empty = client.get("/trinn/5")
    assert "Ingen tjenester er plassert på dette trinnet." in empty.text
    assert client.get("/trinn/42").status_code == 404
    assert "Trinn nummer 42 finnes ikke" in client.get("/trinn/42").text
    assert client.get("/trinn/tre").status_code == 400


def test_long_term_and_data_quality_pages(client) -> None:
    r = client.get("/langtidsopphold?periode=2024-01")
    assert r.status_code == 200 and "Sykehjem" in r.text and "496,67" in r.text
    r = client.get("/datakvalitet?periode=2024-01")
    assert r.status_code == 200 and "Ukjent tjeneste" in r.text
    assert "vedtak i uttrekket som starter etter telledatoen" in r.text
    overview = client.get("/?periode=2024-01").text
    assert '<a href="/trinn/3?periode=2024-01">Trinn 3</a>' in overview


def test_unit_filter_shows_one_unit_and_is_kept_in_links(client) -> None:
    whole = client.get("/rapport.json?periode=2024-01").json()
    totals = {}
    for unit, expected in (("Sone 1", 3), ("Sone 2", 2), ("Sykehjem", 3), ("uten-enhet", 3)):
        data = client.get(f"/rapport.json?periode=2024-01&enhet={unit}").json()
        assert data["unit"] == ("" if unit == "uten-enhet" else unit)
        totals[unit] = data["headline"]["services_total"]["value"]
        assert totals[unit] == expected, unit
    assert sum(totals.values()) == whole["headline"]["services_total"]["value"] == 11
    page = client.get("/trinn/3?periode=2024-01&enhet=Sone+1").text
    assert "Trinn 3 – januar 2024 – Sone 1" in page
    assert '<option value="Sone 1" selected>Sone 1</option>' in page
    assert 'href="/langtidsopphold?periode=2024-01&amp;enhet=Sone+1"' in page  # kept in nav
    r = client.get("/?enhet=Sone+9")
    assert r.status_code == 404 and "Enheten «Sone 9» har ingen vedtak" in r.text


def test_service_page(client) -> None:
    r = client.get("/tjeneste?navn=HS+ring+1&periode=2024-01")
    assert r.status_code == 200 and "HS ring 1 – januar 2024" in r.text
    # approved 1 + 3 + 0,5 and resource 1,5 + 2 hours per week (hand-computed, small.py)
    assert "Vedtatte timer per uke: 4,50; ressurstimer per uke: 3,50 (77,8 % av" in r.text
    # hours 0,5 / 1 / 3: the top person (ceil(3/10) = 1) has 3 / 4,5; Gini 2·11,5/13,5 − 4/3
    assert "De 10 % med flest timer har 66,7 % av timene; Gini 0,37." in r.text
    assert 'id="tabell-timer"' in r.text and 'role="img" aria-label="Stolpediagram' in r.text
    step = client.get("/trinn/3?periode=2024-01").text
    assert 'href="/tjeneste?navn=HS+ring+1&amp;periode=2024-01"' in step  # drill-down
    missing = client.get("/tjeneste?navn=Finnes+ikke")
    assert missing.status_code == 404 and "Tjenesten «Finnes ikke» er ikke plassert" in missing.text
    assert client.get("/tjeneste").status_code == 400


def test_tables_download_as_csv_and_xlsx(client) -> None:
    import io

    import openpyxl

    r = client.get("/trinn/3?periode=2024-01&last_ned=csv&tabell=flyt")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="innsatstrapp-2024-01-trinn-3-flyt.csv"' in r.headers["content-disposition"]
    lines = r.content.decode("utf-8-sig").splitlines()
    # Trinn 3: December 2 active, 0 new, 1 ended (31.12); January 5 active, 1 new, 1 ended
    assert lines == ["Måned;Aktive;Nye;Avsluttet;Netto", "2023-12;2;0;1;-1", "2024-01;5;1;1;0"]
    r = client.get("/trinn/3?periode=2024-01&last_ned=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    flows = book[book.sheetnames[0]]
    assert flows["A1"].value.startswith("Nye og avsluttede vedtak på Trinn 3")
    assert [c.value for c in flows[6]] == ["2024-01", 5, 1, 1, 0]
    assert len(book.sheetnames) == 3  # flows, groups, services: what the page shows
    assert client.get("/?last_ned=csv&tabell=nei").status_code == 404
    bad = client.get("/?last_ned=pdf")
    assert bad.status_code == 400 and "Ukjent format «pdf»" in bad.text


def test_comparing_a_month_with_itself_is_refused(client) -> None:
    r = client.get("/?periode=2024-01&sammenlign=2024-01")
    assert r.status_code == 400 and "samme som måneden som vises" in r.text


def test_withheld_cells_download_as_a_star(small_store) -> None:
    db, _ = small_store
    client = TestClient(create_app(db, db.parent / "katalog.xlsx"))  # threshold 5
    lines = client.get("/?periode=2024-01&last_ned=csv&tabell=trinn").content.decode(
        "utf-8-sig").splitlines()
    trinn6 = next(x for x in lines if x.startswith("Trinn 6;"))
    assert trinn6.split(";")[1] == "*"  # 3 decisions: withheld


def test_movement_page(client) -> None:
    r = client.get("/bevegelse?periode=2024-01")
    assert r.status_code == 200 and "Bevegelse i trappen – januar 2024" in r.text
    # small.py: 1 and 7 stay (Trinn 3, Trinn 6), 4 leaves, 2, 3, 6, 8 and 9 enter
    assert ("Fra desember 2023 til januar 2024 flyttet 0 personer ned minst ett trinn og 0 "
            "opp; 2 ble på samme trinn.") in r.text
    assert "5 personer kom inn i trappen og 1 gikk ut av den." in r.text
    lines = client.get("/bevegelse?periode=2024-01&last_ned=csv&tabell=flyt").content.decode(
        "utf-8-sig").splitlines()
    assert lines == ["Måned;Flyttet ned;Flyttet opp;Samme trinn;Kom inn;Gikk ut",
                     "2024-01;0;0;2;5;1"]
    levels = client.get("/bevegelse?periode=2024-01&last_ned=csv&tabell=nivaa").content.decode(
        "utf-8-sig").splitlines()
    assert levels == ["Måned;Grunnmur;Trinn 3;Trinn 5;Trinn 6", "2023-12;0;2;0;1",
                      "2024-01;0;4;0;3"]
    band = client.get("/bevegelse?periode=2024-01&alder=ukjent")
    assert band.status_code == 200 and '<option value="ukjent" selected>' in band.text
    bad = client.get("/bevegelse?alder=100")
    assert bad.status_code == 400 and "Ukjent aldersgruppe «100»" in bad.text


def test_downloaded_tables_are_safe_in_excel() -> None:
    import io

    import openpyxl

    from innsatstrapp.web.tables import Column, Table, to_csv, to_xlsx

    t = Table("x", "'Tjeneste med apostrof: aktive vedtak", [Column("Navn", "text", True),
                                                             Column("=HYPERLINK(\"x\")")],
              [["=1+2", 3], ["@SUM(A1)", 4], ["Vanlig", 5]])
    lines = to_csv(t).decode("utf-8-sig").splitlines()
    assert lines[1:] == ["'=1+2;3", "'@SUM(A1);4", "Vanlig;5"]  # never a formula
    assert lines[0] == 'Navn;"\'=HYPERLINK(""x"")"'  # nor a header (a step's name)
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([t], "tittel")))
    sheet = book[book.sheetnames[0]]
    assert not book.sheetnames[0].startswith("'")
    assert sheet["A5"].value == "=1+2" and sheet["A5"].data_type == "s"


def test_unit_downloads_are_named_for_the_unit(client) -> None:
    r = client.get("/trinn/3?periode=2024-01&enhet=Sone+1&last_ned=csv&tabell=flyt")
    assert 'filename="innsatstrapp-2024-01-trinn-3-sone-1-flyt.csv"' in \
        r.headers["content-disposition"]
    missing = client.get("/trinn/3?last_ned=csv")
    assert missing.status_code == 400 and "Velg tabellen" in missing.text


def test_a_page_asked_for_while_the_figures_are_computed_says_so(small_store,
                                                                  monkeypatch) -> None:
    import threading
    import time

    from innsatstrapp.web import state as web

    db, _ = small_store
    release, started = threading.Event(), threading.Event()
    real = web.build_reports

    def slow(*args, **kwargs):
        started.set()
        release.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(web, "build_reports", slow)
    client = TestClient(create_app(db, db.parent / "katalog.xlsx", suppress=0, warm=True))
    assert started.wait(30)  # the newest month is being computed in the background
    busy = client.get("/trinn/3")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    assert "Tallene beregnes" in busy.text and 'http-equiv="refresh" content="5"' in busy.text
    release.set()
    for _ in range(300):  # the same view, computed once: shown as soon as it is ready
        if (done := client.get("/trinn/3")).status_code != 503:
            break
        time.sleep(0.1)
    assert done.status_code == 200 and "Trinn 3" in done.text


@pytest.fixture(scope="module")
def future(tiny_demo):
    """The demo's dashboard (its synthetic plan inputs are in plan-input/ beside the store),
    and the plan `innsatstrapp plan` makes from the same files."""
    from innsatstrapp.catalog import load_catalog
    from innsatstrapp.plan.build import build_plan, find_inputs

    inputs = find_inputs(tiny_demo.db.parent / "plan-input")
    built = build_plan(load_catalog(tiny_demo.catalog), "2026-10", inputs["population"],
                       accounts=inputs["accounts"], scenarios=inputs["scenarios"],
                       db=tiny_demo.db)
    return TestClient(create_app(tiny_demo.db, tiny_demo.catalog)), built


def _shifts(built) -> list[tuple]:
    return [s for sc in built.scenarios for s in sc.shifts]


def _query(shifts, **change) -> str:
    """The form's query: one andel/start/full per shift in file order."""
    parts = ["periode=2026-10"]
    for k, s in enumerate(shifts):
        share, start, full = change.get(str(k), (s.share, s.start, s.full))
        parts += [f"andel={share}", f"start={start}", f"full={full}"]
    return "&".join(parts)


def test_future_page_shows_the_plan(future) -> None:
    from innsatstrapp.outputs.plan.sentences import all_sentences
    from innsatstrapp.plan.disclose import published

    client, built = future
    r = client.get("/framtid")
    assert r.status_code == 200
    assert "Framtid – innsatstrappen mot 2040" in r.text
    assert 'aria-current="page">Framtid' in r.text
    for sentence in all_sentences(published(built.plan)):  # as `innsatstrapp plan` says
        assert sentence in r.text
    assert r.text.count('name="andel"') == len(_shifts(built)) == 5
    nonce = r.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    assert r.text.count(f'<script nonce="{nonce}">') == 2  # charts, and submit on change


def test_future_page_recomputes_an_edited_scenario(future) -> None:
    from innsatstrapp.outputs import format as f
    from innsatstrapp.plan.build import with_scenarios
    from innsatstrapp.plan.scenarios import Scenario, Shift

    client, built = future
    first = built.scenarios[0]
    r = client.get("/framtid?" + _query(_shifts(built), **{"0": (40, 2027, 2029)}))
    assert r.status_code == 200 and "Tallene under viser scenarioene slik de er endret" in r.text
    edited = [Scenario(first.name, (Shift(first.shifts[0].source, first.shifts[0].target, 40,
                                          2027, 2029), *first.shifts[1:])),
              *built.scenarios[1:]]
    expect = with_scenarios(built, edited).plan
    top = next(y for y in expect.scenarios[1].years if y.year == 2040)
    trinn6 = next(s for s in top.steps if s.step == "Trinn 6")
    row = r.text.split("<th scope=\"row\">Trinn 6</th>")[1].split("</tr>")[0]
    assert f.integer(trinn6.users) in row  # the edited scenario's 2040 figure
    # the downloaded plan is the edited one
    data = client.get("/framtid?" + _query(_shifts(built), **{"0": (40, 2027, 2029)})
                      + "&last_ned=json").json()
    assert data["scenarios"][1]["shifts"][0]["share"] == 40
    pptx = client.get("/framtid?" + _query(_shifts(built)) + "&last_ned=pptx")
    assert pptx.status_code == 200 and pptx.content[:2] == b"PK"


def test_future_page_says_what_it_could_not_use(future) -> None:
    client, built = future
    r = client.get("/framtid?" + _query(_shifts(built), **{"0": ("mye", 2027, 2029),
                                                          "1": (10, 2030, 2027)}))
    assert r.status_code == 200 and 'role="alert"' in r.text
    assert "andelen «mye» må være et tall fra 0 til 100" in r.text
    assert "fullt år 2027 kommer før startåret 2030" in r.text
    r = client.get("/framtid?periode=2026-10&andel=10")  # a form that does not fit
    assert "Skjemaet passer ikke til scenarioene" in r.text
    r = client.get("/framtid?" + _query(_shifts(built), **{"0": ("33,3", "²027", 2030)}))
    assert r.status_code == 200 and "startår og fullt år må være årstall" in r.text
    r = client.get("/framtid?" + _query(_shifts(built), **{"0": ("33,3", 2027, 2030)}))
    assert r.status_code == 200 and 'role="alert"' not in r.text  # any share 0–100
    assert 'value="33.3"' in r.text and 'step="any"' in r.text


def test_future_page_without_inputs_says_where_to_put_them(small_store, tmp_path) -> None:
    db, _ = small_store
    client = TestClient(create_app(db, db.parent / "katalog.xlsx", plan_input=tmp_path))
    r = client.get("/framtid")
    assert r.status_code == 200
    assert "Planen trenger befolkningsframskrivingen" in r.text and str(tmp_path) in r.text


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example",
                                  "", "localhost.", "[::2]:8000"])
def test_other_host_names_are_refused(client, host: str) -> None:
    """DNS rebinding: a page on evil.example that resolves to 127.0.0.1 must read nothing."""
    for path in ("/", "/rapport.json", "/datakvalitet"):
        r = client.get(path, headers={"host": host})
        assert r.status_code == 400, (host, path)
        assert "Ukjent vertsnavn" in r.text and "--allow-host" in r.text
        assert "periode" not in r.text.lower() and "{" not in r.text


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "LOCALHOST", "[::1]:8000"])
def test_own_host_names_are_answered(client, host: str) -> None:
    r = client.get("/", headers={"host": host})
    assert r.status_code == 200


def test_a_server_name_can_be_allowed(small_store) -> None:
    from fastapi.testclient import TestClient as Plain

    db, _ = small_store
    app = create_app(db, db.parent / "katalog.xlsx", suppress=0, hosts=["helse-analyse"])
    c = Plain(app, base_url="http://helse-analyse:8000")
    assert c.get("/").status_code == 200
    assert c.get("/", headers={"host": "annen-maskin"}).status_code == 400


def test_every_answer_has_the_security_headers(client) -> None:
    for path in ("/", "/rapport.json", "/static/plotly.js", "/finnes-ikke"):
        r = client.get(path)
        assert r.headers["x-content-type-options"] == "nosniff", path
        assert r.headers["x-frame-options"] == "DENY", path
        assert r.headers["referrer-policy"] == "no-referrer", path
        if "static" not in path:  # figures are never kept; Plotly's script may be
            assert r.headers["cache-control"] == "no-store", path


def test_sheet_names_fit_excel_and_are_never_cut_mid_word() -> None:
    from innsatstrapp.web.tables import _sheet_name

    used: set[str] = set()
    names = [_sheet_name(c, used) for c in (
        "Tjenester og brukere per trinn",  # 30: whole (was «… per tri»)
        "Tjenester på Trinn 3: antall, nye, avsluttede og netto",
        "Tjenester og brukere per trinn",
        "Supercalifragilisticexpialidociousordetsomerlangt")]
    assert names == ["Tjenester og brukere per trinn", "Tjenester på Trinn 3 antall",
                     "Tjenester og brukere per 2", "Supercalifragilisticexpialidoci"]
    assert all(len(n) <= 31 for n in names)
