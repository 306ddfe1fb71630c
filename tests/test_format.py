"""Norwegian numbers and dates: `format` writes Babel's nb_NO forms out (no locale data to
load), and must give exactly what Babel gives: every whole number, every value rounded to
one, every decimal and percent at each number of decimals the outputs use, every month and
every date."""

from __future__ import annotations

import datetime as dt

from babel import Locale
from babel.dates import format_date
from babel.numbers import parse_pattern
from hypothesis import given
from hypothesis import strategies as st

from innsatstrapp.outputs import format as f
from innsatstrapp.rounding import whole

NB = Locale.parse("nb_NO")
BABEL = parse_pattern("#,##0")


def babel(value: float) -> str:
    return BABEL.apply(whole(value), NB)


@given(st.integers(min_value=-10**15, max_value=10**15))
def test_a_whole_number_is_written_as_babel_writes_it(n: int) -> None:
    assert f.integer(n) == babel(n)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_a_value_is_rounded_and_written_as_babel_writes_it(x: float) -> None:
    assert f.integer(x) == babel(x)


def test_the_forms_a_report_shows() -> None:
    assert [f.integer(v) for v in (6306, 0, 999, 1000, -1234567, 2.5, -0.4, None)] == [
        "6\u00a0306", "0", "999", "1\u00a0000", "-1\u00a0234\u00a0567", "3", "0", "–"]


DIGITS = st.integers(min_value=0, max_value=4)
VALUES = st.one_of(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
                   st.integers(min_value=-10**12, max_value=10**12),
                   # values on a rounding edge (x,xx5), where half-up and half-even differ
                   st.integers(min_value=-10**9, max_value=10**9).map(lambda n: n / 1000))


def pattern(digits: int, suffix: str = "") -> str:
    return ("#,##0." + "0" * digits if digits else "#,##0") + suffix


@given(VALUES, DIGITS)
def test_a_decimal_is_written_as_babel_writes_it(x: float, digits: int) -> None:
    assert f.decimal(x, digits) == parse_pattern(pattern(digits)).apply(x, NB)


@given(VALUES, DIGITS)
def test_a_percent_is_written_as_babel_writes_it(x: float, digits: int) -> None:
    assert f.percent(x, digits) == parse_pattern(pattern(digits, " %")).apply(x / 100, NB)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_a_date_and_its_month_are_written_as_babel_writes_them(day: dt.date) -> None:
    period = f"{day:%Y-%m}"
    first = day.replace(day=1)
    assert f.date(day) == format_date(day, format="dd.MM.yyyy", locale="nb_NO")
    assert f.month(period) == format_date(first, format="LLLL yyyy", locale="nb_NO")
    assert f.month_short(period) == format_date(first, format="MMM yyyy", locale="nb_NO")


def test_the_decimal_forms_a_report_shows() -> None:
    assert [f.decimal(v) for v in (2.35, 4584.93, 0, -0.001, 1234567.891, 2.345, None)] == [
        "2,35", "4\u00a0584,93", "0,00", "-0,00", "1\u00a0234\u00a0567,89", "2,34", "–"]
    assert [f.percent(v) for v in (4.3, 0.05, -12.25, 100, None)] == [
        "4,3 %", "0,0 %", "-12,2 %", "100,0 %", "–"]
    assert (f.month("2026-10"), f.month_short("2026-03"), f.date(dt.date(2024, 1, 31))) == (
        "oktober 2026", "mars 2026", "31.01.2024")
