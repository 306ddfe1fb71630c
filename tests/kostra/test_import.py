"""KOSTRA and KPR exports (contract §8): every form SSB offers gives the same figures, a
file with any problem is rejected whole, and the store keeps the newest figure of each
(indicator, region, year) with the file it came from."""

from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from exports import json_stat, long_csv, wide_csv
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from innsatstrapp.cli import app
from innsatstrapp.errors import InputFileError
from innsatstrapp.kostra import import_file, read_figures, stored
from innsatstrapp.store import Store
from innsatstrapp.store.kostra import figures as stored_figures
from innsatstrapp.store.schema import SCHEMA_VERSION

COST = "Korrigerte brutto driftsutgifter per mottaker av hjemmetjenester (i kr)"
SHARE = "Andel brukere av hjemmetjenester, 80 år og over (prosent)"
FIGURES = [
    (COST, "0712", "Larvik (2018-2019)", "2018", 237543), (COST, "0712", "Larvik (2018-2019)",
                                                           "2019", 241002.5),
    (COST, "EKG13", "Kostragruppe 13", "2018", 262000), (COST, "EKG13", "Kostragruppe 13",
                                                         "2019", ".."),
    (COST, "EAK", "Landet", "2018", 255123), (COST, "EAK", "Landet", "2019", 259870),
    (SHARE, "0712", "Larvik (2018-2019)", "2018", 30.1), (SHARE, "0712", "Larvik (2018-2019)",
                                                          "2019", 29.8),
    (SHARE, "EKG13", "Kostragruppe 13", "2018", ":"), (SHARE, "EKG13", "Kostragruppe 13",
                                                       "2019", 31.4),
    (SHARE, "EAK", "Landet", "2018", 32.0), (SHARE, "EAK", "Landet", "2019", "-"),
]


def _as_read(figures: list[tuple]) -> list[tuple]:
    """What the reader should give: a symbol is no number, the symbol kept."""
    return sorted((i, c, n, y, None if isinstance(v, str) else float(v),
                   v if isinstance(v, str) else None) for i, c, n, y, v in figures)


def _read(path: Path) -> list[tuple]:
    t = read_figures(path).table
    return sorted(zip(*(t.column(c).to_pylist() for c in
                        ("indicator", "region", "region_name", "year", "value", "symbol")),
                      strict=True))


@pytest.mark.parametrize("write", [
    lambda p: long_csv(p / "lang.csv", FIGURES),
    lambda p: long_csv(p / "lang-punktum.csv", FIGURES, sep=",", comma=False),
    lambda p: wide_csv(p / "bred.csv", FIGURES),
    lambda p: wide_csv(p / "bred-1252.csv", FIGURES, encoding="cp1252"),
    lambda p: json_stat(p / "tabell.json", FIGURES),
    lambda p: json_stat(p / "status-liste.json", FIGURES, status_as_list=True),
], ids=["long", "long-comma-separated", "wide", "wide-windows-1252", "json-stat",
        "json-stat-status-list"])
def test_every_form_gives_the_same_figures(tmp_path: Path, write) -> None:
    assert _read(write(tmp_path)) == _as_read(FIGURES)


def test_the_form_is_named_and_figures_keep_their_file_order(tmp_path: Path) -> None:
    wide = read_figures(wide_csv(tmp_path / "b.csv", FIGURES))
    js = read_figures(json_stat(tmp_path / "t.json", FIGURES))
    assert (wide.form, js.form) == ("wide", "json-stat")
    key = ("region", "indicator", "year")
    for f in (wide, js):  # by region, then indicator, then year: as the export lists them
        t = f.table.sort_by("position")
        rows = list(zip(*(t.column(c).to_pylist() for c in key), strict=True))
        assert rows[:3] == [("0712", COST, "2018"), ("0712", COST, "2019"),
                            ("0712", SHARE, "2018")]


def test_numbers_as_people_and_ssb_write_them(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('"region";"statistikkvariabel";"2019";"2020"\n'
                    '"0712 Larvik";"Utgifter";"237 543";"1 234,5"\n'
                    '"3999 Fjordvik";"Utgifter";".";"..."\n', encoding="utf-8")
    assert _read(path) == sorted([
        ("Utgifter", "0712", "Larvik", "2019", 237543.0, None),
        ("Utgifter", "0712", "Larvik", "2020", 1234.5, None),
        ("Utgifter", "3999", "Fjordvik", "2019", None, "."),
        ("Utgifter", "3999", "Fjordvik", "2020", None, "...")])


def _rejected(path: Path) -> str:
    with pytest.raises(InputFileError) as e:
        read_figures(path)
    text = str(e.value)
    assert text.startswith(f"KOSTRA-filen «{path.name}» ble avvist, og ingenting er endret.")
    return text


@pytest.mark.parametrize(("body", "said"), [
    ('"region";"statistikkvariabel";"2019"\n"Larvik";"Utgifter";1\n',
     "rad 2, kolonne «region», verdi «Larvik»: mangler regionkode"),
    ('"region";"statistikkvariabel";"år";"verdi"\n"0712 Larvik";"Utgifter";"2019M01";1\n',
     "rad 2, kolonne «år», verdi «2019M01»: er ikke et år"),
    ('"region";"statistikkvariabel";"2019";"Totalt"\n"0712 Larvik";"Utgifter";1;2\n',
     "rad 1, kolonne «Totalt»: er ikke et år"),
    ('"region";"statistikkvariabel";"2019"\n"0712 Larvik";"Utgifter";"n/a"\n',
     "rad 2, kolonne «2019», verdi «n/a»: er verken et tall eller et av SSBs symboler"),
    ('"region";"statistikkvariabel";"2019"\n"0712 Larvik";"Utgifter";1\n'
     '"0712 Larvik";"Utgifter";2\n', "rad 3: samme tall står to ganger"),
    ('"region";"statistikkvariabel";"2019"\n"0712 Larvik";"";1\n',
     "kolonne «statistikkvariabel»: mangler navnet"),
    ('"kommune";"tall"\n"0712";1\n', "fant ikke kolonnene «region» og «statistikkvariabel»"),
    ('"region";"statistikkvariabel";"år";"a";"b"\n"0712 Larvik";"Utgifter";"2019";1;2\n',
     "skal det være én kolonne med tall, ikke 2"),
    ('"region";"statistikkvariabel";"2019"\n"0712 Larvik";"Utgifter";1\nKilde: SSB\n'
     '"EAK Landet";"Utgifter";2\n', "rad 3: har færre felt enn overskriften"),
])
def test_a_csv_with_a_problem_is_rejected_naming_row_column_and_value(tmp_path: Path, body,
                                                                      said) -> None:
    path = tmp_path / "eksport.csv"
    path.write_text(body, encoding="utf-8")
    assert said in _rejected(path)


@pytest.mark.parametrize(("change", "said"), [
    (lambda d: d.update(value=d["value"][:-1]), "«value» har 11 verdier, men «size» gir 12"),
    (lambda d: d.update(size=[3, 2, 3]), "«Tid» har 2 kategorier, men «size» sier 3"),
    (lambda d: d.update(value=["mye", *d["value"][1:]]), "verdi nummer 1 («mye») er ikke et tall"),
    (lambda d: d.update(status={}), "verdi nummer 6 mangler, uten et av SSBs symboler"),
    (lambda d: (d["id"].append("Kjonn"), d["size"].append(2), d["dimension"].update(
        Kjonn={"category": {"index": ["1", "2"]}}),
        d.update(value=d["value"] * 2)), "dimensjonen «Kjonn» har 2 verdier; velg én"),
    (lambda d: d.update(id=["A", "B", "C"]), "«id», «size» og «dimension» stemmer ikke"),
    (lambda d: d["dimension"]["Tid"]["category"].update(index=["2018", "i fjor"]),
     "verdi «i fjor»: er ikke et år"),
    (lambda d: d["dimension"]["Tid"]["category"].update(index=["2018", "2018"]),
     "kolonne «Tid», verdi «2018»: står to ganger i dimensjonen"),
    (lambda d: d["dimension"]["ContentsCode"]["category"].update(
        label={"KOS0000": "Samme", "KOS0001": "Samme"}), "samme tall står to ganger: «Samme»"),
    (lambda d: d["dimension"]["ContentsCode"]["category"].update(
        label={"KOS0000": " ", "KOS0001": "\x1b"}), "mangler navnet på statistikkvariabelen"),
    (lambda d: d["dimension"]["Tid"]["category"].update(label=["2018", "2019"]),
     "«category.label» i dimensjonen «Tid» skal være et oppslag"),
    (lambda d: d["dimension"]["Tid"]["category"].update(index={"2018": "a", "2019": 1}),
     "«category.index» i dimensjonen «Tid» skal gi hver kode en plass"),
    (lambda d: d.update(size=[3, 2, True]), "«id», «size» og «dimension» stemmer ikke"),
    (lambda d: d.update(size=[100_000, 1_000, 1_000], value={}),
     "datasettet har 100 000 000 000 celler, mer enn innsatstrapp leser (5 000 000)"),
    (lambda d: d.update(link=[]) or d.update({"class": "collection"}),
     "er ikke et JSON-stat 2.0-datasett"),
    (lambda d: d["dimension"]["KOKkommuneregion0000"]["category"].update(
        index={"Larvik": 0, "EKG13": 1, "EAK": 2}), "verdi «Larvik»: er ikke en regionkode"),
])
def test_a_json_stat_that_does_not_add_up_is_rejected(tmp_path: Path, change, said) -> None:
    path = json_stat(tmp_path / "tabell.json", FIGURES)
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert said in _rejected(path)


def test_json_stat_odd_but_whole(tmp_path: Path) -> None:
    """A role given as a list is not SSB's form but is read by the dimensions' ids; names
    lose their control characters as the CSV's do; NaN is no published figure."""
    path = json_stat(tmp_path / "t.json", FIGURES)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["role"] = ["geo"]
    doc["dimension"]["KOKkommuneregion0000"]["category"]["label"]["0712"] = "Lar\x1bvik"
    path.write_text(json.dumps(doc), encoding="utf-8")
    t = read_figures(path).table
    assert "Lar vik" in t.column("region_name").to_pylist()  # as ingest cleans a name
    path.write_text(json.dumps(doc).replace("237543", "NaN"), encoding="utf-8")
    assert "er ikke gyldig JSON" in _rejected(path)


def test_not_json_and_no_file(tmp_path: Path) -> None:
    bad = tmp_path / "t.json"
    bad.write_text('{"version": "2.0", "value": [1, 2', encoding="utf-8")
    assert "er ikke gyldig JSON (linje 1)" in _rejected(bad)
    with pytest.raises(InputFileError, match=r"KOSTRA-filen.*finner ikke filen"):
        read_figures(tmp_path / "finnes-ikke.csv")


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "s.duckdb"
    Store.open(db, create=True).close()
    return db


def test_a_new_import_replaces_what_it_repeats_and_keeps_the_rest(tmp_path, store) -> None:
    first = long_csv(tmp_path / "2018-2019.csv", FIGURES)
    _, done = import_file(first, store)
    assert (done.new, done.replaced, done.indicators) == (12, 0, (COST, SHARE))
    newer = [(COST, "0712", "Larvik (2018-2019)", "2019", 240000),
             (COST, "0712", "Larvik (2018-2019)", "2020", 245000)]
    _, done = import_file(wide_csv(tmp_path / "2019-2020.csv", newer), store)
    assert (done.new, done.replaced) == (1, 1)
    with Store.open(store, read_only=True) as s:
        rows = stored_figures(s)
    larvik = {r["year"]: r["value"] for r in rows
              if r["indicator"] == COST and r["region"] == "0712"}
    assert larvik == {"2018": 237543.0, "2019": 240000.0, "2020": 245000.0}
    assert rows[0]["indicator"] == COST  # in the order first imported
    listed = {x.indicator: x for x in stored(store)}
    assert listed[COST].files == ("2018-2019.csv", "2019-2020.csv")
    assert listed[COST].years == ("2018", "2019", "2020") and listed[COST].without == 1
    assert listed[SHARE].figures == 6 and listed[SHARE].without == 2
    with Store.open(store, read_only=True) as s:
        sources = s.con.execute("SELECT DISTINCT source_file, source_sha256 FROM "
                                "kostra_figures ORDER BY 1").fetchall()
    assert [f for f, _ in sources] == ["2018-2019.csv", "2019-2020.csv"]
    assert all(len(sha) == 64 for _, sha in sources)


def test_every_import_is_a_new_version_even_of_the_newest_file(tmp_path, store) -> None:
    """The dashboard keys its views by this version: a corrected file imported again must
    show at once."""
    from innsatstrapp.store.kostra import version

    import_file(long_csv(tmp_path / "a.csv", FIGURES[:6]), store)
    import_file(long_csv(tmp_path / "b.csv", FIGURES[6:]), store)
    with Store.open(store, read_only=True) as s:
        before = version(s)
    import_file(long_csv(tmp_path / "b.csv", [(*f[:4], 9) for f in FIGURES[6:]]), store)
    with Store.open(store, read_only=True) as s:
        assert version(s) > before


def test_a_rejected_file_leaves_the_store_as_it_was(tmp_path, store) -> None:
    import_file(long_csv(tmp_path / "ok.csv", FIGURES), store)
    bad = tmp_path / "bad.csv"
    bad.write_text('"region";"statistikkvariabel";"2019"\n"0712 Larvik";"Utgifter";1\n'
                   '"Larvik";"Utgifter";2\n', encoding="utf-8")
    with pytest.raises(InputFileError):
        import_file(bad, store)
    assert sum(x.figures for x in stored(store)) == 12


def test_the_commands_in_norwegian(tmp_path, store) -> None:
    runner = CliRunner()
    done = runner.invoke(app, ["kostra", "import", str(json_stat(tmp_path / "t.json", FIGURES)),
                               "--db", str(store)], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    assert ("Lest inn t.json (JSON-stat): 12 tall, 2 statistikkvariabler, 3 regioner, "
            "2018–2019; 12 nye, 0 erstattet.") in " ".join(done.stdout.split())
    listed = runner.invoke(app, ["kostra", "list", "--db", str(store)], env={"COLUMNS": "80"})
    shown = " ".join(listed.stdout.split())
    assert listed.exit_code == 0 and COST in shown
    assert "3 regioner, 2018–2019, 6 tall (1 uten tall)" in shown
    bad = tmp_path / "feil.csv"
    bad.write_text('"region";"statistikkvariabel";"2019"\n"0712 Larvik";"Utgifter";"x"\n',
                   encoding="utf-8")
    failed = runner.invoke(app, ["kostra", "import", str(bad), "--db", str(store)])
    assert failed.exit_code == 1 and "Traceback" not in failed.output
    assert "KOSTRA-filen «feil.csv» ble avvist" in failed.stderr
    empty = runner.invoke(app, ["kostra", "list", "--db", str(tmp_path / "annet.duckdb")])
    assert empty.exit_code == 1 and "Finner ikke lageret" in empty.stderr


_text = st.text(string.ascii_letters + "æøåÆØÅ ()-", min_size=1, max_size=12).map(
    lambda s: " ".join(s.split()) or "x")
_value = st.one_of(st.integers(-10**7, 10**7), st.floats(0, 10**6, allow_nan=False).map(
    lambda v: round(v, 2)), st.sampled_from([".", "..", "...", ":", "-"]))


@st.composite
def tables(draw) -> list[tuple]:
    indicators = draw(st.lists(_text, min_size=1, max_size=3, unique=True))
    codes = draw(st.lists(st.from_regex(r"[0-9]{4}|EKG[0-9]{2}|EAK", fullmatch=True),
                          min_size=1, max_size=4, unique=True))
    years = draw(st.lists(st.integers(2010, 2030).map(str), min_size=1, max_size=4,
                          unique=True))
    names = {c: draw(_text) for c in codes}
    return [(i, c, names[c], y, draw(_value)) for c in codes for i in indicators
            for y in years]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(figures=tables())
def test_any_table_reads_back_in_every_form(tmp_path_factory, figures) -> None:
    """A plain-Python oracle: the figures the export was written from."""
    folder = tmp_path_factory.mktemp("x")
    want = _as_read(figures)
    assert _read(long_csv(folder / "l.csv", figures)) == want
    assert _read(wide_csv(folder / "w.csv", figures, encoding="utf-8")) == want
    assert _read(json_stat(folder / "j.json", figures)) == want


def test_a_store_from_before_kostra_is_read_and_upgraded_by_an_import(tmp_path, store) -> None:
    import duckdb

    con = duckdb.connect(str(store))
    con.execute("DROP TABLE kostra_figures")
    con.execute("DROP TABLE query_rows")  # and what later versions added
    con.execute("UPDATE schema_info SET version = 3")
    con.close()
    assert stored(store) == []  # read as it is
    import_file(long_csv(tmp_path / "k.csv", FIGURES), store)
    with Store.open(store, read_only=True) as s:
        assert s.version == SCHEMA_VERSION and len(stored_figures(s)) == 12
