"""Norwegian (nb-NO) number and date formatting, in one place.

The forms are CLDR's for nb_NO as Babel gives them («#,##0.00», «#,##0.0 %», «LLLL yyyy»),
written out here: importing Babel and reading its locale data costs 0,025 s, which every
report and every command that prints a count would pay for a dozen symbols and twelve month
names. tests/test_format.py holds every form to Babel's own, value for value.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from innsatstrapp.rounding import whole

GROUP = "\u00a0"  # nb_NO's group separator: a no-break space
# nb_NO's month names, standalone («LLLL») and abbreviated («MMM»)
MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
          "september", "oktober", "november", "desember")
MONTHS_SHORT = ("jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.",
                "okt.", "nov.", "des.")
_QUANTUM = tuple(Decimal(1).scaleb(-d) for d in range(10))


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
    n = whole(value)  # rounded as people round (half away from zero), then «#,##0»
    return ("-" if n < 0 else "") + f"{abs(n):,}".replace(",", GROUP)


def decimal(value: float | None, digits: int = 2) -> str:
    """`2,35`, `4 584,93`."""
    if value is None:
        return "–"
    return _fixed(Decimal(str(value)), digits)


def percent(value: float | None, digits: int = 1) -> str:
    """`4,3 %` from 4.3 (a value already in percent)."""
    if value is None:
        return "–"
    # Babel's «#,##0.0 %» multiplies by 100 what it is given: the value / 100 it was given
    return _fixed(Decimal(str(value / 100)).scaleb(2), digits) + " %"


def _fixed(value: Decimal, digits: int) -> str:
    """«#,##0.00» with `digits` decimals, as Babel applies it: rounded half to even from
    the value's shortest decimal form, groups of three, a decimal comma, "-" before a
    negative value (also one that rounds to zero: «-0,00»)."""
    sign = "-" if value.is_signed() else ""
    whole_part, _, fraction = f"{abs(value).normalize().quantize(_QUANTUM[digits]):f}"\
        .partition(".")
    text = f"{int(whole_part):,}".replace(",", GROUP)
    return sign + (f"{text},{fraction.ljust(digits, '0')}" if digits else text)


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
    year, mon = (int(x) for x in period.split("-"))
    return f"{MONTHS[mon - 1]} {year:04d}"


def date(value: dt.date | None) -> str:
    """`31.01.2024`."""
    if value is None:
        return "–"
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def unit_suffix(unit: str | None) -> str:
    """« – Sykehjem» after a title when a report covers one unit; "" for the whole."""
    if unit is None:
        return ""
    return f" – {unit or 'Uten enhet'}"


def month_short(period: str) -> str:
    """`okt. 2026` from `2026-10`: a month on a chart's axis or in a column head."""
    year, mon = (int(x) for x in period.split("-"))
    return f"{MONTHS_SHORT[mon - 1]} {year:04d}"


def span(low: float | None, high: float | None, digits: int = 0) -> str:
    """`6 298–6 367`: a range, both ends formatted alike; `–` when there is none."""
    if low is None or high is None:
        return "–"
    text = (lambda v: decimal(v, digits)) if digits else integer
    return f"{text(low)}–{text(high)}"
