"""Money: exact amounts, one currency, named rounding, exact allocation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexsecure import CurrencyMismatch, InvalidInput, Money, Rounding
from tests.strategies import money, weights


def test_amount_and_currency() -> None:
    amount = Money("6200.50", "CNY")
    assert amount.amount == Decimal("6200.50")
    assert amount.currency == "CNY"
    assert repr(amount) == "Money('6200.50', 'CNY')"


@pytest.mark.parametrize("bad", [0.1, 1.0, float("nan"), True, None, [1]])
def test_rejects_floats_and_non_numbers(bad: object) -> None:
    with pytest.raises(InvalidInput, match="amount"):
        Money(bad, "CNY")


@pytest.mark.parametrize("bad", ["12,5", "abc", "NaN", "Infinity", ""])
def test_rejects_malformed_strings(bad: str) -> None:
    with pytest.raises(InvalidInput, match="amount"):
        Money(bad, "CNY")


@pytest.mark.parametrize("bad", ["cny", "XYZ", "CN", "", 156])
def test_rejects_unknown_currency(bad: object) -> None:
    with pytest.raises(InvalidInput, match="currency"):
        Money("1", bad)  # type: ignore[arg-type]


def test_cross_currency_arithmetic_and_comparison_fail() -> None:
    yuan, dollar = Money("1", "CNY"), Money("1", "SGD")
    with pytest.raises(CurrencyMismatch):
        yuan + dollar
    with pytest.raises(CurrencyMismatch):
        yuan - dollar
    with pytest.raises(CurrencyMismatch):
        _ = yuan < dollar
    assert yuan != dollar


def test_multiplication_only_by_exact_numbers() -> None:
    assert Money("7460", "CNY") * Decimal("0.08") == Money("596.80", "CNY")
    assert 3 * Money("0.25", "CNY") == Money("0.75", "CNY")
    with pytest.raises(InvalidInput):
        Money("1", "CNY") * 0.5  # type: ignore[operator]


@pytest.mark.parametrize(
    ("amount", "mode", "unit", "expected"),
    [
        ("596.805", Rounding.HALF_UP, None, "596.81"),
        ("596.805", Rounding.HALF_EVEN, None, "596.80"),
        ("596.801", Rounding.UP, None, "596.81"),
        ("596.809", Rounding.DOWN, None, "596.80"),
        # Shanghai's 见分进角: any fen rounds up to the next jiao (SRC-CALC, salarycalculator)
        ("596.81", Rounding.UP, Decimal("0.1"), "596.90"),
        ("596.80", Rounding.UP, Decimal("0.1"), "596.80"),
        ("7460.4", Rounding.HALF_UP, Decimal("1"), "7460.00"),
        ("10.25", Rounding.HALF_UP, Decimal("0.05"), "10.25"),
        ("10.26", Rounding.HALF_UP, Decimal("0.05"), "10.25"),
    ],
)
def test_quantize_with_named_modes(
    amount: str, mode: Rounding, unit: Decimal | None, expected: str
) -> None:
    assert Money(amount, "CNY").quantize(unit, mode) == Money(expected, "CNY")


def test_quantize_uses_the_currency_minor_unit() -> None:
    assert Money("100.5", "JPY").quantize().amount == Decimal("101")
    assert Money("1.005", "CNY").quantize().amount == Decimal("1.01")


def test_allocate_worked_example() -> None:
    shares = Money("100.00", "CNY").allocate([1, 1, 1])
    assert [s.amount for s in shares] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]


def test_allocate_rejects_bad_weights_and_fractional_fen() -> None:
    with pytest.raises(InvalidInput, match="weights"):
        Money("1.00", "CNY").allocate([])
    with pytest.raises(InvalidInput, match="zero"):
        Money("1.00", "CNY").allocate([0, 0])
    with pytest.raises(InvalidInput, match=r"weights\[1\]"):
        Money("1.00", "CNY").allocate([1, -1])
    with pytest.raises(InvalidInput, match="quantize"):
        Money("1.005", "CNY").allocate([1, 1])


@given(amount=money(-10_000_000, 10_000_000), parts=weights)
def test_allocation_sums_exactly_and_each_share_is_within_one_fen(
    amount: Money, parts: list[Decimal | int]
) -> None:
    shares = amount.allocate(parts)
    assert sum(shares, Money("0", "CNY")) == amount
    total = sum((Decimal(w) for w in parts), Decimal(0))
    for share, weight in zip(shares, parts, strict=True):
        exact = amount.amount * Decimal(weight) / total
        assert abs(share.amount - exact) < Decimal("0.01")
        assert share.is_whole()


@given(amount=money(0, 10_000_000), parts=weights)
def test_allocation_is_deterministic(amount: Money, parts: list[Decimal | int]) -> None:
    assert amount.allocate(parts) == amount.allocate(list(parts))


@given(a=money(), b=money(), c=money())
def test_addition_is_exact_and_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)
    assert (a + b) - b == a


@given(st.lists(money(), max_size=5))
def test_sum_of_no_amounts_is_zero(amounts: list[Money]) -> None:
    assert Money.sum(amounts, "CNY").amount == sum((m.amount for m in amounts), Decimal(0))
