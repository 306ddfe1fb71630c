"""Property tests: the set-based SQL that reads numbers and dates agrees with a plain-Python
oracle written from the rules in docs/extract-format.md, on formatted values and on noise."""

from __future__ import annotations

import datetime as dt
import re

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from innsatstrapp.ingest.validate import date_sql, number_sql

SPACES = " \t\n\f\r\u00a0\u2007\u202f"
DIGITS = "0123456789"


# --- the oracle ----------------------------------------------------------------------------

def oracle_number(text: str) -> float | None:
    """Rules: spaces anywhere are ignored; one separator (',' or '.') used once is the decimal
    mark; with both, the last one is the decimal mark and the other groups thousands; a
    separator used several times (and not last) groups thousands. Groups have 3 digits."""
    s = "".join(ch for ch in text if ch not in SPACES)
    sign = ""
    if s and s[0] in "+-":
        sign, s = s[0], s[1:]
    if not s or any(ch not in DIGITS + ".," for ch in s) or not any(ch in DIGITS for ch in s):
        return None
    seps = [ch for ch in s if ch in ".,"]
    if not seps:
        return float(sign + s)
    if len(seps) == 1:
        return float(sign + s.replace(",", "."))
    last = s.rfind(seps[-1])
    decimal_mark = seps[-1] if seps.count(seps[-1]) == 1 and len(set(seps)) == 2 else None
    if decimal_mark:
        whole, fraction = s[:last], s[last + 1:]
        group = ({".", ","} - {decimal_mark}).pop()
    else:
        if len(set(seps)) != 1:
            return None
        whole, fraction, group = s, "", seps[0]
    parts = whole.split(group)
    if not 1 <= len(parts[0]) <= 3 or any(len(p) != 3 for p in parts[1:]):
        return None
    if any(ch in ".," for ch in fraction):
        return None
    return float(sign + "".join(parts) + ("." + fraction if decimal_mark else ""))


def oracle_date(text: str) -> dt.date | None:
    """Rules: d.m.yyyy or dd.mm.yyyy, or yyyy-mm-dd, each optionally followed by a time that is
    ignored; or an Excel serial day number of 5 to 7 digits (a fraction is ignored), meaning
    1899-12-30 + n days, as Excel counts. Years outside 1900–2199 are refused."""
    date = None
    head, _, time = text.partition(" ") if "-" not in text else text.replace("T", " ", 1
                                                                              ).partition(" ")
    if time and not re.fullmatch(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?", time):
        return None
    pieces = head.split(".")
    if len(pieces) == 3 and all(p and set(p) <= set(DIGITS) for p in pieces) and (
            len(pieces[0]) <= 2 and len(pieces[1]) <= 2 and len(pieces[2]) == 4):
        if "." in time:
            return None
        try:
            date = dt.date(int(pieces[2]), int(pieces[1]), int(pieces[0]))
        except ValueError:
            return None
    elif re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", head):
        if time and len(time.split(":")[0]) != 2:
            return None
        try:
            date = dt.date.fromisoformat(head)
        except ValueError:
            return None
    elif not time and re.fullmatch(r"[0-9]{5,7}([.,][0-9]+)?", text):
        n = int(re.split(r"[.,]", text)[0])
        if not 1 <= n <= 2958465:
            return None
        date = dt.date(1899, 12, 30) + dt.timedelta(days=n)
    if date is None or not 1900 <= date.year <= 2199:
        return None
    return date


# --- the SQL under test --------------------------------------------------------------------

@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    yield c
    c.close()


def sql_number(con: duckdb.DuckDBPyConnection, text: str) -> float | None:
    return con.execute(f"SELECT {number_sql('x')} FROM (SELECT ?::VARCHAR AS x)",
                       [text]).fetchall()[0][0]


def sql_date(con: duckdb.DuckDBPyConnection, text: str) -> dt.date | None:
    return con.execute(f"SELECT {date_sql('x')} FROM (SELECT ?::VARCHAR AS x)",
                       [text]).fetchall()[0][0]


# --- strategies ----------------------------------------------------------------------------

def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    return sep.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


@st.composite
def formatted_numbers(draw: st.DrawFn) -> str:
    whole = str(draw(st.integers(0, 10**9)))
    frac = draw(st.text(DIGITS, max_size=4))
    style = draw(st.sampled_from(["plain", "comma", "point", "nb", "en", "space"]))
    sign = draw(st.sampled_from(["", "", "-", "+"]))
    if style == "plain":
        body = whole
    elif style == "comma":
        body = whole + "," + frac
    elif style == "point":
        body = whole + "." + frac
    elif style == "nb":
        body = _group(whole, ".") + ("," + frac if frac else "")
    elif style == "en":
        body = _group(whole, ",") + ("." + frac if frac else "")
    else:
        body = _group(whole, draw(st.sampled_from([" ", "\u00a0", "\u202f"]))) + "," + frac
    return sign + body


noise = st.text(alphabet=DIGITS + ".,-+ \u00a0:Te/", max_size=14)


@st.composite
def formatted_dates(draw: st.DrawFn) -> str:
    d = draw(st.dates(dt.date(1890, 1, 1), dt.date(2250, 12, 31)))
    style = draw(st.sampled_from(["nb", "nb-short", "iso", "iso-time", "serial", "serial-frac",
                                  "nb-time"]))
    serial = (d - dt.date(1899, 12, 30)).days
    return {
        "nb": f"{d:%d.%m.%Y}" if d.year >= 1000 else "",
        "nb-short": f"{d.day}.{d.month}.{d.year:04d}",
        "nb-time": f"{d.day:02d}.{d.month:02d}.{d.year:04d} 13:45",
        "iso": f"{d.year:04d}-{d.month:02d}-{d.day:02d}",
        "iso-time": f"{d.year:04d}-{d.month:02d}-{d.day:02d}T08:00:00",
        "serial": str(serial),
        "serial-frac": f"{serial},25",
    }[style]


# --- properties ----------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(formatted_numbers())
def test_formatted_numbers_match_oracle(con, text: str) -> None:
    assert sql_number(con, text) == oracle_number(text)


@settings(max_examples=400, deadline=None)
@given(noise)
def test_noisy_numbers_match_oracle(con, text: str) -> None:
    assert sql_number(con, text) == oracle_number(text)


@settings(max_examples=300, deadline=None)
@given(formatted_dates())
def test_formatted_dates_match_oracle(con, text: str) -> None:
    assert sql_date(con, text) == oracle_date(text)


@settings(max_examples=400, deadline=None)
@given(noise)
def test_noisy_dates_match_oracle(con, text: str) -> None:
    assert sql_date(con, text) == oracle_date(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("7,5", 7.5), ("7.5", 7.5), ("1 234,5", 1234.5), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
    ("1.234", 1.234), ("1.234.567", 1234567.0), ("0,25", 0.25), (",5", 0.5), ("12", 12.0),
    ("7,5t", None), ("1.23,4", None), ("", None), ("1e3", None), ("−2", None),
])
def test_number_examples(con, text: str, expected: float | None) -> None:
    assert sql_number(con, text) == expected == oracle_number(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("31.01.2024", dt.date(2024, 1, 31)), ("1.2.2024", dt.date(2024, 2, 1)),
    ("2024-01-31", dt.date(2024, 1, 31)), ("45322", dt.date(2024, 1, 31)),
    ("45322.75", dt.date(2024, 1, 31)), ("2024-01-31 00:00:00", dt.date(2024, 1, 31)),
    ("29.02.2023", None), ("31.01.24", None), ("01/31/2024", None), ("01.01.0224", None),
    ("2024", None),
])
def test_date_examples(con, text: str, expected: dt.date | None) -> None:
    assert sql_date(con, text) == expected == oracle_date(text)
