"""Norwegian (nb-NO) number and date formatting, in one place, through Babel."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import TYPE_CHECKING

from innsatstrapp.rounding import whole

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

LOCALE = "nb_NO"


@cache
def _nb() -> Locale:
    """Babel's nb_NO, loaded at the first number that needs it: importing Babel and reading
    its locale data is 0,03 s, which a command that prints a few counts need not pay."""
    from babel import Locale

    return Locale.parse(LOCALE)


@cache
def _pattern(text: str) -> NumberPattern:
    """Babel's pattern, parsed once (a report formats some thousand numbers; parsing the
    pattern again for each was most of the time)."""
    from babel.numbers import parse_pattern

    return parse_pattern(text)


# Norwegian label and decimals of each headline figure, for every renderer.
HEADLINE_LABELS: dict[str, tuple[str, int]] = {
    "unique_users": ("Unike brukere", 0),
    "services_total": ("Tjenester gitt totalt", 0),
    "services_per_user": ("Tjenester per bruker", 2),
    "new_decisions": ("Nye vedtak i perioden", 0),
    "ended_decisions": ("Avsluttede vedtak i perioden", 0),
    "home_nursing_approved_hours": ("Vedtatte timer per uke, hjemmesykepleie", 2),
    "home_nursing_resource_hours": ("Ressurstimer per uke, hjemmesykepleie", 2),
    "long_term_avg_days": ("Snitt døgn per bruker med langtidsopphold", 2),
}


def integer(value: float | None) -> str:
    """`6 306` (with a no-break space as thousands separator); `–` for missing."""
    if value is None:
        return "–"
    # Babel's nb_NO «#,##0» written out (groups of three, a no-break space, "-"), so that a
    # count needs no locale data; tests/test_format.py holds it to Babel's own
    n = whole(value)
    return ("-" if n < 0 else "") + f"{abs(n):,}".replace(",", "\u00a0")


def decimal(value: float | None, digits: int = 2) -> str:
    """`2,35`, `4 584,93`."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * digits if digits else "#,##0"
    return _pattern(pattern).apply(value, _nb())


def percent(value: float | None, digits: int = 1) -> str:
    """`4,3 %` from 4.3 (a value already in percent)."""
    if value is None:
        return "–"
    pattern = "#,##0." + "0" * digits + " %" if digits else "#,##0 %"
    return _pattern(pattern).apply(value / 100, _nb())


def signed(value: float | None, digits: int = 0) -> str:
    """`+124`, `−162,65`: a change, always with its sign (a real minus sign)."""
    if value is None:
        return "–"
    text = decimal(abs(value), digits) if digits else integer(abs(value))
    if round(value, digits) == 0:
        return text
    return ("+" if value > 0 else "\u2212") + text


def signed_percent(value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    text = percent(abs(value), digits)
    if round(value, digits) == 0:
        return text
    return ("+" if value > 0 else "\u2212") + text


def month(period: str) -> str:
    """`oktober 2026` from `2026-10`."""
    from babel.dates import format_date

    year, mon = (int(x) for x in period.split("-"))
    return format_date(dt.date(year, mon, 1), format="LLLL yyyy", locale=LOCALE)


def date(value: dt.date | None) -> str:
    """`31.01.2024`."""
    if value is None:
        return "–"
    from babel.dates import format_date

    return format_date(value, format="dd.MM.yyyy", locale=LOCALE)


def unit_suffix(unit: str | None) -> str:
    """« – Sykehjem» after a title when a report covers one unit; "" for the whole."""
    if unit is None:
        return ""
    return f" – {unit or 'Uten enhet'}"


def month_short(period: str) -> str:
    """`okt. 2026` from `2026-10`: a month on a chart's axis or in a column head."""
    from babel.dates import format_date

    year, mon = (int(x) for x in period.split("-"))
    return format_date(dt.date(year, mon, 1), format="MMM yyyy", locale=LOCALE)


def span(low: float | None, high: float | None, digits: int = 0) -> str:
    """`6 298–6 367`: a range, both ends formatted alike; `–` when there is none."""
    if low is None or high is None:
        return "–"
    text = (lambda v: decimal(v, digits)) if digits else integer
    return f"{text(low)}–{text(high)}"
