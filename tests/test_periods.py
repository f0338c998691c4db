"""Months and ages."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexsecure import Age, InvalidInput, Month
from flexsecure.values.periods import add_months, age_on
from tests.strategies import dates, months


def test_parse_and_format() -> None:
    assert Month.parse("2025-03") == Month(2025, 3)
    assert str(Month(2025, 3)) == "2025-03"


@pytest.mark.parametrize("bad", ["2025-3", "2025/03", "2025-13", "25-03", "", "2025-00"])
def test_parse_rejects_malformed(bad: str) -> None:
    with pytest.raises(InvalidInput):
        Month.parse(bad)


@pytest.mark.parametrize(("year", "month"), [(2025, 0), (2025, 13), (0, 1), (2025.0, 1)])
def test_constructor_rejects_out_of_range(year: object, month: object) -> None:
    with pytest.raises(InvalidInput):
        Month(year, month)  # type: ignore[arg-type]


def test_arithmetic_first_and_last_day() -> None:
    march = Month(2025, 3)
    assert march + 10 == Month(2026, 1)
    assert march - 3 == Month(2024, 12)
    assert Month(2026, 1) - march == 10
    assert Month(2024, 2).last_day == dt.date(2024, 2, 29)
    assert march.first_day == dt.date(2025, 3, 1)
    assert list(Month.range(Month(2024, 11), Month(2025, 2))) == [
        Month(2024, 11),
        Month(2024, 12),
        Month(2025, 1),
    ]
    assert list(Month(2025, 1).through(Month(2025, 1))) == [Month(2025, 1)]


@given(months, st.integers(-500, 500))
def test_add_then_subtract_round_trips(month: Month, n: int) -> None:
    assert month.plus(n).plus(-n) == month
    assert month.plus(n).months_since(month) == n
    assert (month.plus(n) > month) == (n > 0)


@given(months)
def test_parse_round_trip(month: Month) -> None:
    assert Month.parse(str(month)) == month


def test_age_on() -> None:
    born = dt.date(1967, 5, 12)
    assert age_on(born, dt.date(2028, 1, 12)) == Age(60, 8)
    assert age_on(born, dt.date(2028, 1, 11)) == Age(60, 7)
    # born on the 31st: the month's last day counts as the monthly anniversary
    assert age_on(dt.date(2000, 1, 31), dt.date(2000, 2, 29)) == Age(0, 1)
    with pytest.raises(InvalidInput):
        age_on(born, dt.date(1960, 1, 1))


@given(dates, st.integers(0, 600))
def test_age_after_adding_months_is_at_least_those_months(born: dt.date, n: int) -> None:
    later = add_months(born, n)
    if later.year <= 9999:
        assert age_on(born, later).total_months == n
