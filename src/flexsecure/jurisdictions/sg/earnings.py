"""Net earnings (NE): what CPF contributions of a platform worker are computed on.

Under the Platform Workers Act 2024 the CPF Act counts *platform earnings* — platform
remuneration including any bonus, less payments the Minister excludes (Bill 26/2024,
Schedule 4). Contributions are paid on those earnings less a Fixed Expense Deduction Amount
(FEDA): a fixed share of gross earnings that depends on the mode of transport the job was
done with (60 % for cars, vans, lorries and trucks; 35 % for motorcycles, power-assisted
bicycles and motorised PMDs; 20 % for bicycles, walking and public transport — pack:
``net_earnings.fixed_expense_deduction.<mode>``). The FEDA mirrors IRAS's fixed expense
deduction ratio and cannot be replaced by actual expenses.

Each job takes the FEDA of its own mode; a payment not tied to one mode, such as a bonus
earned on both a bicycle and a motorcycle, takes the **lowest** FEDA among the modes
involved (ask.gov.sg, CPF). NE is summed per operator, never across operators::

    >>> from decimal import Decimal
    >>> from flexsecure import Money
    >>> bicycle, motorcycle = Decimal("0.20"), Decimal("0.35")
    >>> operator_net_earnings([
    ...     (Money("1000", "SGD"), bicycle),
    ...     (Money("2000", "SGD"), motorcycle),
    ...     (Money("1000", "SGD"), lowest_deduction([bicycle, motorcycle])),
    ... ], "SGD")
    Money('2900.00', 'SGD')

NE keeps every digit (no rounding rule applies to it); only contributions are rounded.
Whole cents are shown as cents.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money

__all__ = ["lowest_deduction", "net_earnings", "operator_net_earnings"]


def lowest_deduction(deductions: Iterable[Decimal]) -> Decimal:
    """The FEDA of a payment earned on several modes: the lowest of their FEDAs.

    ask.gov.sg (CPF): for payments not tied to a single mode, "the lowest FEDA among the
    modes involved" applies — the rule that favours the worker's CPF savings.
    """
    rates = list(deductions)
    if not rates:
        raise InvalidInput("a payment needs at least one mode of transport to take its FEDA from")
    return min(rates)


def net_earnings(gross: Money, deduction: Decimal) -> Money:
    """NE of one payment: gross × (1 − FEDA)."""
    if gross.is_negative:
        raise InvalidInput(f"gross earnings must be >= 0, got {gross!r}")
    if not Decimal(0) <= deduction <= Decimal(1):
        raise InvalidInput(f"a FEDA is a fraction between 0 and 1, got {deduction!r}")
    exact = gross * (Decimal(1) - deduction)
    in_cents = exact.quantize()
    return in_cents if in_cents == exact else exact  # 800.0000 shows as 800.00, losing nothing


def operator_net_earnings(payments: Iterable[tuple[Money, Decimal]], currency: str) -> Money:
    """One operator's NE for a month: Σ gross × (1 − FEDA) over its payments."""
    total = Money.zero(currency)
    for gross, deduction in payments:
        total = total + net_earnings(gross, deduction)
    return total
