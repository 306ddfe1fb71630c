"""Clear person ids never reach the store; pseudonyms link people across months, per key."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import snapshot, write_csv
from innsatstrapp.errors import StoreError
from innsatstrapp.ingest import ingest_file
from innsatstrapp.ingest.pseudonymise import KEY_ENV, key_path, pseudonyms
from innsatstrapp.store import Store

IDS = ["01019912345", "24127654321", "100234", "000777"]
HEADER = ["Fødselsnummer", "Tjeneste", "Fra dato"]


def extract(tmp_path: Path, name: str, ids: list[str]) -> Path:
    return write_csv(tmp_path / name, [[i, "TT-kort", "01.01.2024"] for i in ids], header=HEADER)


def every_value(db: Path) -> str:
    con = duckdb.connect(str(db), read_only=True)
    dump = []
    for (table,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
        dump.append(repr(con.execute(f"SELECT * FROM {table}").fetchall()))
    con.close()
    return "\n".join(dump)


def test_no_clear_id_in_any_column_of_any_table(tmp_path: Path, db: Path) -> None:
    ingest_file(extract(tmp_path, "a.csv", IDS), "2024-01", db=db)
    dump = every_value(db)
    for clear in [*IDS, "1019912345"]:
        assert clear not in dump
    values = {v.strip("'") for v in dump.replace("(", " ").replace(")", " ").split(", ")}
    assert not values & {"777", "000777"}
    # nor in the database file's bytes (e.g. in a dictionary or a leftover page)
    raw = db.read_bytes()
    for clear in IDS:
        assert clear.encode() not in raw


def test_same_person_same_pseudonym_across_months(tmp_path: Path, db: Path) -> None:
    ingest_file(extract(tmp_path, "a.csv", IDS), "2024-01", db=db)
    ingest_file(extract(tmp_path, "b.csv", list(reversed(IDS))), "2024-02", db=db)
    with Store.open(db, read_only=True) as s:
        jan = {r[0] for r in s.con.execute("SELECT person FROM decisions WHERE period='2024-01'"
                                           ).fetchall()}
        feb = {r[0] for r in s.con.execute("SELECT person FROM decisions WHERE period='2024-02'"
                                           ).fetchall()}
    assert jan == feb and len(jan) == 4


def test_leading_zeros_of_numeric_ids_do_not_split_a_person(tmp_path: Path, db: Path) -> None:
    """Excel drops the leading zero of a fødselsnummer stored as a number."""
    f = write_csv(tmp_path / "a.csv", [["01019912345", "TT-kort", "01.01.2024"],
                                       ["1019912345", "Koordinator", "01.01.2024"]],
                  header=HEADER)
    ingest_file(f, "2024-01", db=db)
    with Store.open(db, read_only=True) as s:
        assert s.extract("2024-01").persons == 1


def test_key_file_is_private_and_pseudonyms_depend_on_it(tmp_path: Path, db: Path) -> None:
    ingest_file(extract(tmp_path, "a.csv", ["100234"]), "2024-01", db=db)
    key = key_path(db)
    assert key == tmp_path / "lager.key"
    if os.name == "posix":
        assert stat.S_IMODE(key.stat().st_mode) == 0o600
    secret = bytes.fromhex(key.read_text().strip())
    with Store.open(db, read_only=True) as s:
        (stored,) = s.con.execute("SELECT person FROM decisions").fetchall()[0]
    assert stored == pseudonyms(["100234"], secret)[0]
    assert stored != pseudonyms(["100234"], b"another key" * 4)[0]


def test_environment_variable_overrides_the_key_file(tmp_path: Path, db: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "ab" * 32)  # the same form as the key file
    ingest_file(extract(tmp_path, "a.csv", ["100234"]), "2024-01", db=db)
    assert not key_path(db).exists()
    with Store.open(db, read_only=True) as s:
        (stored,) = s.con.execute("SELECT person FROM decisions").fetchall()[0]
    assert stored == pseudonyms(["100234"], bytes.fromhex("ab" * 32))[0]


def test_the_key_file_content_works_as_environment_key(tmp_path: Path, db: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_file(extract(tmp_path, "a.csv", IDS), "2024-01", db=db)
    monkeypatch.setenv(KEY_ENV, key_path(db).read_text())
    key_path(db).unlink()
    assert ingest_file(extract(tmp_path, "b.csv", IDS), "2024-02", db=db).extract.persons == 4


def test_a_different_key_is_refused_and_changes_nothing(tmp_path: Path, db: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_file(extract(tmp_path, "a.csv", IDS), "2024-01", db=db)
    before = snapshot(db)
    monkeypatch.setenv(KEY_ENV, "cd" * 32)
    with pytest.raises(StoreError, match="Nøkkelen passer ikke til lageret"):
        ingest_file(extract(tmp_path, "b.csv", IDS), "2024-02", db=db)
    assert snapshot(db) == before


def test_a_lost_key_is_refused_not_silently_replaced(tmp_path: Path, db: Path) -> None:
    ingest_file(extract(tmp_path, "a.csv", IDS), "2024-01", db=db)
    key_path(db).unlink()
    with pytest.raises(StoreError, match=r"Nøkkelfilen .* mangler"):
        ingest_file(extract(tmp_path, "b.csv", IDS), "2024-02", db=db)
    assert not key_path(db).exists()


def test_short_environment_key_is_refused(tmp_path: Path, db: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "abcdef")
    with pytest.raises(StoreError, match="64 heksadesimale tegn"):
        ingest_file(extract(tmp_path, "a.csv", IDS), "2024-01", db=db)


@settings(max_examples=60, deadline=None)
@given(ids=st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=30, unique=True),
       key=st.binary(min_size=32, max_size=32))
def test_the_engine_computes_the_standard_librarys_hmac(ids: list[str], key: bytes) -> None:
    """The engine's set-based HMAC-SHA256 gives every id the pseudonym Python's `hmac` gives
    it, so stores made before and after keep linking the same people."""
    from innsatstrapp.ingest.pseudonymise import pseudonymise
    from innsatstrapp.ingest.validate import Staged

    con = duckdb.connect()
    con.execute("CREATE TABLE typed AS SELECT unnest(?::VARCHAR[]) AS person_id, "
                "generate_subscripts(?::VARCHAR[], 1) AS _row", [ids, ids])
    for column in ("decision_id", "service", "unit", "gender", "municipality"):
        con.execute(f"ALTER TABLE typed ADD COLUMN {column} VARCHAR")
    for column in ("start_date", "end_date"):
        con.execute(f"ALTER TABLE typed ADD COLUMN {column} DATE")
    for column in ("hours_per_week", "resource_hours_per_week"):
        con.execute(f"ALTER TABLE typed ADD COLUMN {column} DOUBLE")
    con.execute("ALTER TABLE typed ADD COLUMN birth_year INTEGER")
    pseudonymise(Staged(con, len(ids), None), key)  # type: ignore[arg-type]
    got = [p for (p,) in con.execute("SELECT person FROM decisions ORDER BY source_row"
                                     ).fetchall()]
    assert got == pseudonyms(ids, key)
