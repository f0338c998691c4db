"""Splitting a payer's amount over a scheme's funds (《社会保险法》 Art. 12: the pooled fund and
the individual account), exactly: the parts are the largest-remainder split of
:func:`~flexsecure.values.money.split_exactly` and always sum back to the amount."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from flexsecure.values.money import Money, split_exactly

__all__ = ["split_funds"]


def split_funds(
    amount: Money, funds: tuple[str, ...], weights: Sequence[Decimal]
) -> tuple[tuple[str, Money], ...]:
    """``amount`` split over ``funds`` in proportion to ``weights``, summing back exactly."""
    if len(funds) == 1:
        return ((funds[0], amount),)
    if not amount or not any(weights):
        return tuple((fund, Money.unchecked(Decimal(0), amount.currency)) for fund in funds)
    return tuple(zip(funds, split_exactly(amount, weights), strict=True))
