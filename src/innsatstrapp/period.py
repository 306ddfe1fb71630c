"""Reporting periods (`YYYY-MM`) and their as-of dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from innsatstrapp.errors import UsageError

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        m = _PERIOD.match(text.strip()) if isinstance(text, str) else None
        if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 1900:
            raise UsageError(
                f"Ugyldig periode «{text}». Skriv år og måned som ÅÅÅÅ-MM, for eksempel 2024-01."
            )
        return cls(int(m.group(1)), int(m.group(2)))

    @classmethod
    def of(cls, value: Period | str) -> Period:
        """A period from itself or its text: what every entrance of the program takes. The
        text (`str(period)`) is the period's key in the store and the report model."""
        return value if isinstance(value, Period) else cls.parse(value)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def shift(self, months: int) -> Period:
        index = self.year * 12 + self.month - 1 + months
        return Period(index // 12, index % 12 + 1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


_NO_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_as_of(text: str | None, period: Period) -> dt.date:
    """The as-of date D of an extract: the last day of the month unless given; must lie in it."""
    if text is None or text == "":
        return period.last_day
    raw = text.strip()
    try:
        m = _NO_DATE.match(raw)
        date = (
            dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if m
            else dt.date.fromisoformat(raw)
        )
    except ValueError:
        raise UsageError(
            f"Ugyldig dato for --as-of «{text}». Skriv ÅÅÅÅ-MM-DD, for eksempel "
            f"{period.last_day.isoformat()}."
        ) from None
    if not period.first_day <= date <= period.last_day:
        raise UsageError(
            f"--as-of {date.isoformat()} ligger ikke i perioden {period} "
            f"({period.first_day.isoformat()} til {period.last_day.isoformat()})."
        )
    return date
