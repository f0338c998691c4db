"""Installment periods and due dates, expanded with :mod:`dateutil.rrule`.

Periods are aligned to the calendar: a quarterly payer's installments cover January–March,
April–June, …; a schedule that starts or ends inside a period gets a shorter first or last
installment. A due date is day ``d`` of a month (day 0 or a day past the month's end: its last
day), found with an ``rrule`` so month lengths and leap years come from dateutil, not from a
calendar of our own::

    >>> from flexsecure.calculations.schedules.rules import DueRule, Frequency
    >>> from flexsecure import Month
    >>> [(str(p[0]), str(p[-1])) for p in periods(Month(2025, 2), Month(2025, 8),
    ...                                           Frequency.QUARTERLY)]
    [('2025-02', '2025-03'), ('2025-04', '2025-06'), ('2025-07', '2025-08')]
    >>> due_date(Month(2024, 1), DueRule(month_offset=1, day=30))
    datetime.date(2024, 2, 29)
"""

from __future__ import annotations

import datetime as dt
import itertools

from dateutil.relativedelta import relativedelta
from dateutil.rrule import MONTHLY, rrule

from flexsecure.calculations.schedules.rules import DueRule, Frequency
from flexsecure.values.errors import InvalidInput
from flexsecure.values.periods import Month

__all__ = ["due_date", "periods"]


def periods(start: Month, end: Month, frequency: Frequency) -> list[tuple[Month, ...]]:
    """The months from ``start`` to ``end`` (both included), grouped into installments."""
    if end < start:
        raise InvalidInput(f"end must not be before start, got {start} .. {end}")
    step = frequency.months
    period_starts = rrule(
        MONTHLY,
        dtstart=dt.datetime(start.year, start.month, 1),
        until=dt.datetime(end.year, end.month, 1),
        bymonth=tuple(range(1, 13, step)),
        bymonthday=1,
    )
    boundaries = [Month(day.year, day.month) for day in period_starts]
    if not boundaries or boundaries[0] != start:
        boundaries.insert(0, start)
    boundaries.append(end + 1)
    return [tuple(Month.range(a, b)) for a, b in itertools.pairwise(boundaries)]


def due_date(last_month: Month, rule: DueRule) -> dt.date:
    """The due date of an installment whose last month is ``last_month``."""
    first = dt.datetime(last_month.year, last_month.month, 1) + relativedelta(
        months=rule.month_offset
    )
    days = -1 if rule.day == 0 else (rule.day, -1)
    found = rrule(MONTHLY, dtstart=first, bymonthday=days, bysetpos=1, count=1)[0]
    return found.date()
