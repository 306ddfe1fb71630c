"""The synthetic municipality: deterministic, of the right size, with real extracts' quirks."""

from __future__ import annotations

from pathlib import Path

import duckdb

from innsatstrapp.catalog import load_catalog
from innsatstrapp.demo import LAST_PERIOD, UNMAPPED, generate, write_extracts
from innsatstrapp.demo import rows as extract_rows
from innsatstrapp.store import Store


def test_same_seed_same_files(tmp_path: Path) -> None:
    a = write_extracts(tmp_path / "a", seed=7, months=2)
    b = write_extracts(tmp_path / "b", seed=7, months=2)
    c = write_extracts(tmp_path / "c", seed=8, months=2)
    assert [p.read_bytes() for _, p in a] == [p.read_bytes() for _, p in b]
    assert [p.read_bytes() for _, p in a] != [p.read_bytes() for _, p in c]


def test_size_is_like_a_town_of_48_000() -> None:
    con = duckdb.connect()
    con.register("decisions", generate(seed=2024, months=24))
    rows = extract_rows(con, LAST_PERIOD)
    as_of = LAST_PERIOD.last_day
    active = [r for r in rows if r[5] <= as_of and (r[6] is None or r[6] >= as_of)]
    users = {r[0] for r in active}
    assert 14_000 <= len(active) <= 16_500
    assert 5_500 <= len(users) <= 7_000
    assert len({r[3] for r in rows}) >= 100
    assert any(r[5] > as_of for r in rows), "some decisions are registered before they start"
    assert any(r[6] is not None and r[6] < LAST_PERIOD.first_day for r in rows), "ended ones"


def test_extracts_have_profil_quirks(tiny_demo) -> None:
    files = sorted(tiny_demo.extracts)
    csvs = [p for p in files if p.suffix == ".csv"]
    assert [p.suffix for p in files].count(".xlsx") == 1
    text = csvs[0].read_bytes().decode("cp1252")
    header = text.splitlines()[0]
    assert header.startswith("Løpenummer;Fødselsår;Kjønn;Kommunenr;Tjeneste") and \
        header.endswith(";Saksbehandler")
    assert ";Koordinator ;" in text
    assert any(",25;" in line or ",50;" in line for line in text.splitlines()[1:200])


def test_store_and_catalog(tiny_demo) -> None:
    catalog = load_catalog(tiny_demo.catalog)
    assert [s.name for s in catalog.steps] == ["Grunnmur", *(f"Trinn {i}" for i in range(1, 7)),
                                               "På tvers", "Boliger"]
    assert {s.name for s in catalog.services if s.step == "Trinn 5"} == {
        "Bolig med heldøgns bemanning", "Bofellesskap med heldøgns tjenester, FUN"}
    assert all(any(s.step == step.name for s in catalog.services) for step in catalog.steps), \
        "every step holds services, as a municipality fills its staircase"
    assert {s.role for s in catalog.services} == {None, "hjemmesykepleie", "langtidsopphold"}
    with Store.open(tiny_demo.db, read_only=True) as store:
        assert [x.period for x in store.periods()] == ["2026-08", "2026-09", "2026-10"]
        assert [x.file_format for x in store.periods()] == ["xlsx", "csv", "csv"]
        services = {s for s, _ in store.service_rows("2026-10")}
        bpa_zero = store.con.execute(
            "SELECT count(*) FROM decisions WHERE service = 'Brukerstyrt personlig assistanse' "
            "AND hours_per_week = 0").fetchall()[0][0]
    assert {s.name for s in UNMAPPED} & services, "some services are not in the catalog"
    assert "Koordinator" in services and "Koordinator " not in services
    assert bpa_zero >= 1


def test_demo_writes_the_plan_from_ssb_shaped_synthetic_inputs(tiny_demo) -> None:
    """The plan's inputs are as the analyst gets them (SSB's export with three alternatives,
    accounts without «På tvers», three scenarios), and the plan is written in every format."""
    import json

    folder = tiny_demo.db.parent
    head = (folder / "plan-input" / "befolkning.csv").read_text(encoding="utf-8-sig")
    assert head.startswith('"region";"kjønn";"alder";"statistikkvariabel";"år";')
    assert '"2 Kvinner";"067 67 år";"Hovedalternativet (MMMM)";"2026"' in head
    assert '"105 år eller eldre";"Lav levealder (MMLM)"' in head
    assert sorted(p.name for p in (folder / "plan").iterdir()) == [
        "plan.html", "plan.json", "plan.pptx", "plan.xlsx"]
    plan = json.loads((folder / "plan" / "plan.json").read_text(encoding="utf-8"))
    assert [s["scenario"] for s in plan["scenarios"]] == [
        "Uendret praksis", "Dreiing mot hjemmet", "Tidlig innsats", "Flere på sykehjem"]
    first, last = plan["population"][0], plan["population"][-1]
    assert (first["year"], last["year"]) == (2026, 2040)
    assert last["age_80_plus"] > 1.5 * first["age_80_plus"]  # seed 002: the old grow fast
    pa_tvers = next(r for r in plan["matrix"] if r["step"] == "På tvers")
    assert pa_tvers["cost"] is None and pa_tvers["users"] > 0  # a step without accounts
    assert tiny_demo.plan == folder / "plan" / "plan.html"


def test_demo_compares_fjordvik_with_kostra(tiny_demo) -> None:
    """Three SSB-shaped tables (one in each form the statistics bank gives) for Fjordvik, four
    neighbours, a KOSTRA group and the country, four years, one figure missing; the report
    says it in its section «Sammenligning»."""
    import json

    from innsatstrapp.kostra import read_figures

    folder = tiny_demo.db.parent / "kostra"
    forms = sorted(read_figures(p).form for p in folder.iterdir())
    assert forms == ["json-stat", "long", "wide"]
    report = json.loads((tiny_demo.db.parent / "rapport" / "report.json").read_text(
        encoding="utf-8"))
    block = report["kostra"]
    assert block["municipality"] == "3999" and len(block["indicators"]) == 3
    for indicator in block["indicators"]:
        assert indicator["years"] == ["2022", "2023", "2024", "2025"]
        assert [r["code"] for r in indicator["regions"]] == [
            "3999", "3901", "3902", "3903", "3904", "EKG13", "EAK"]
    missing = [(i["indicator"], r["code"], y) for i in block["indicators"]
               for r in i["regions"] for y, v in r["values"].items() if v is None]
    assert len(missing) == 1 and missing[0][1:] == ("EKG13", "2025")
    page = (tiny_demo.db.parent / "rapport" / "report.html").read_text(encoding="utf-8")
    assert 'id="sammenligning"' in page and "Fjordvik har lavest korrigerte" in page


def test_demo_plan_puts_its_own_figures_beside_kostra(tiny_demo) -> None:
    """The demo's comparison file: coverage of 80+ and cost per user on the home-based steps,
    beside the demo's KOSTRA tables, in the plan and on the dashboard's Framtid."""
    import json

    from helpers import local_client
    from innsatstrapp.web import create_app

    plan = json.loads((tiny_demo.db.parent / "plan" / "plan.json").read_text(encoding="utf-8"))
    share, cost = plan["kostra"]["figures"]
    assert plan["kostra"]["municipality"] == "3999"
    assert share["computation"] == "andel" and share["ages"] == "80+"
    assert share["steps"] == cost["steps"] == ["Trinn 2", "Trinn 3"]
    assert share["value"] == share["users"] / share["denominator"] * 100
    assert cost["value"] == cost["denominator"] / cost["users"]
    assert share["kostra"]["regions"][0]["code"] == "3999"
    assert "Egne tall ved siden av KOSTRA" in (
        tiny_demo.db.parent / "plan" / "plan.html").read_text(encoding="utf-8")
    client = local_client(create_app(tiny_demo.db, tiny_demo.catalog))
    page = client.get("/framtid").text
    assert "Egne tall ved siden av KOSTRA" in page and "sammenligning.csv" in page
    rows = client.get("/framtid?tabell=kostra&last_ned=csv").text.lstrip("\ufeff").splitlines()
    assert rows[0].startswith("Indikator;Egen beregning ")
    assert rows[1].startswith(share["indicator"] + ";")
