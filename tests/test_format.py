"""Norwegian numbers: `integer` writes Babel's nb_NO «#,##0» out (a count needs no locale
data), and must give exactly what Babel gives, for every whole number and every value
rounded to one."""

from __future__ import annotations

from babel import Locale
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
