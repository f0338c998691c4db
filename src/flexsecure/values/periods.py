"""Months, ages and the calendar arithmetic social insurance runs on.

Contributions are billed per calendar month, retirement ages are stated in years and months,
and parameters change on dates. :class:`Month` is a year-month value::

    >>> from flexsecure import Month
    >>> march = Month.parse("2025-03")
    >>> march + 10, march - 3, Month(2026, 1) - march
    (Month(2026, 1), Month(2024, 12), 10)
    >>> march.first_day, march.last_day
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    >>> [str(m) for m in Month.range(march, Month(2025, 6))]
    ['2025-03', '2025-04', '2025-05']
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

import attrs

from flexsecure.values.errors import InvalidInput

__all__ = ["Age", "Month", "add_months", "age_on"]


def _check_year(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 9999:
        raise InvalidInput(f"year must be an int in 1..9999, got {value!r}")


def _check_month(_instance: object, _attribute: object, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise InvalidInput(f"month must be an int in 1..12, got {value!r}")


@attrs.frozen(repr=False, order=False)
class Month:
    """A calendar month such as 2025-03; ordered, hashable, and month arithmetic with ints."""

    year: int = attrs.field(validator=_check_year)
    month: int = attrs.field(validator=_check_month)

    @classmethod
    def parse(cls, text: str) -> Month:
        """Parse ``YYYY-MM``."""
        if not isinstance(text, str):
            raise InvalidInput(f"month must be a string 'YYYY-MM', got {text!r}")
        parts = text.strip().split("-")
        if (
            len(parts) != 2
            or len(parts[0]) != 4
            or len(parts[1]) != 2
            or not all(part.isascii() and part.isdigit() for part in parts)
        ):
            raise InvalidInput(f"month must look like '2025-03', got {text!r}")
        try:
            return cls(int(parts[0]), int(parts[1]))
        except ValueError:
            raise InvalidInput(f"month must look like '2025-03', got {text!r}") from None

    @classmethod
    def of(cls, day: dt.date) -> Month:
        """The month that contains ``day``."""
        return cls(day.year, day.month)

    @classmethod
    def _from_index(cls, index: int) -> Month:
        year, month0 = divmod(index, 12)
        result = object.__new__(cls)
        object.__setattr__(result, "year", year)
        object.__setattr__(result, "month", month0 + 1)
        if not 1 <= year <= 9999:
            raise InvalidInput(f"month arithmetic left the calendar: year {year}")
        return result

    def _key(self, other: object) -> tuple[int, int] | None:
        if not isinstance(other, Month):
            return None
        return (other.year, other.month)

    def __lt__(self, other: Month) -> bool:
        key = self._key(other)
        if key is None:
            return NotImplemented
        return (self.year, self.month) < key

    def __le__(self, other: Month) -> bool:
        key = self._key(other)
        if key is None:
            return NotImplemented
        return (self.year, self.month) <= key

    def __gt__(self, other: Month) -> bool:
        key = self._key(other)
        if key is None:
            return NotImplemented
        return (self.year, self.month) > key

    def __ge__(self, other: Month) -> bool:
        key = self._key(other)
        if key is None:
            return NotImplemented
        return (self.year, self.month) >= key

    @property
    def index(self) -> int:
        """Months since year 0; differences of indexes are month counts."""
        return self.year * 12 + self.month - 1

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def __add__(self, months: int) -> Month:
        if isinstance(months, bool) or not isinstance(months, int):
            return NotImplemented
        return Month._from_index(self.index + months)

    __radd__ = __add__

    def __sub__(self, other: Month | int) -> Month | int:
        if isinstance(other, Month):
            return self.index - other.index
        if isinstance(other, bool) or not isinstance(other, int):
            return NotImplemented
        return Month._from_index(self.index - other)

    def months_since(self, other: Month) -> int:
        """``self - other`` in months, typed as an int."""
        return self.index - other.index

    def plus(self, months: int) -> Month:
        """``self + months``, typed as a Month."""
        return Month._from_index(self.index + months)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def day(self, day_of_month: int) -> dt.date:
        """The given day in this month, clipped to the month's last day (31 → 30 in April)."""
        last = calendar.monthrange(self.year, self.month)[1]
        return dt.date(self.year, self.month, min(day_of_month, last))

    def contains(self, day: dt.date) -> bool:
        return day.year == self.year and day.month == self.month

    @staticmethod
    def range(start: Month, stop: Month) -> Iterator[Month]:
        """Months from ``start`` up to but not including ``stop``, like :func:`range`."""
        for index in range(start.index, stop.index):
            yield Month._from_index(index)

    def through(self, last: Month) -> Iterator[Month]:
        """Months from ``self`` to ``last``, both included."""
        return Month.range(self, last.plus(1))


@attrs.frozen(order=True)
class Age:
    """An age in whole years and months, as retirement ages are stated (60 y 8 m)."""

    years: int
    months: int = attrs.field(default=0)

    @months.validator
    def _check(self, _attribute: object, value: int) -> None:
        whole = all(
            isinstance(part, int) and not isinstance(part, bool) for part in (self.years, value)
        )
        if not whole or not 0 <= value <= 11 or self.years < 0:
            raise InvalidInput(f"age must be >= 0 years and 0..11 months, got {self!r}")

    @classmethod
    def from_months(cls, months: int) -> Age:
        return cls(*divmod(months, 12))

    @property
    def total_months(self) -> int:
        return self.years * 12 + self.months

    def __str__(self) -> str:
        return f"{self.years}y{self.months}m"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, the day clipped to the target month."""
    return Month.of(day).plus(months).day(day.day)


def age_on(birth_date: dt.date, on: dt.date) -> Age:
    """Completed years and months of age on ``on`` (a birthday counts from that day)."""
    if on < birth_date:
        raise InvalidInput(f"date {on} is before the birth date {birth_date}")
    months = Month.of(on).months_since(Month.of(birth_date))
    if on.day < min(birth_date.day, Month.of(on).last_day.day):
        months -= 1
    return Age.from_months(months)
