"""Late charges: generic mechanisms, selected and parameterised by the pack.

An amount paid after its due date is late by a number of days: from the first day after the
due date up to the day of payment, with the day of payment counted or not as the rule says.
An installment paid in several parts is charged part by part, each part for its own days;
what is still unpaid is charged up to the reconciliation date. The parts' charges are added
exactly and rounded once, as the rule names; a minimum, where there is one, applies when any
day was late.

``daily_rate``
    amount × rate × days (a pack may set, e.g., 0.05 % a day: ¥1,492.00 late 30 days costs
    1,492.00 × 0.0005 × 30 = ¥22.38).
``monthly_rate_per_day``
    a monthly rate counted per day: each late day earns amount × rate ÷ the number of days of
    its month, so an amount paid in the month after its due month — the usual case — is
    charged amount × rate × days ÷ days in the month of payment. Each part is cut at the rule's
    precision, the sum rounded as the rule says, and at least the minimum (e.g. 1.5 % a month,
    at least 5: 3,000 due on 31 October, paid 20 November with the day of payment not
    counted, is late 19 days → 3000 × 0.015 × 19/30 = 28.50, rounded down to whole units
    → 28). Charging each day by its own month keeps the charge growing with every day late,
    which dividing all days by the month of payment would not.

Which method applies to whom, and the sources, are the packs' (see ``docs/schedules.rst``).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal

import attrs

from flexsecure.calculations.schedules.rules import LateChargeMethod, LateChargeRule
from flexsecure.calculations.statements import parameter_node
from flexsecure.values.errors import InvalidInput
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money

__all__ = ["LateCharge", "LatePart", "days_late", "late_charge"]


def days_late(due: dt.date, paid_on: dt.date, rule: LateChargeRule) -> int:
    """Days an amount due on ``due`` and paid on ``paid_on`` is late (0 when on time)."""
    days = (paid_on - due).days - (0 if rule.count_payment_day else 1)
    return max(days, 0)


@attrs.frozen
class LatePart:
    """One part of an installment, paid (or counted up to) ``until``, and its exact charge."""

    amount: Money
    until: dt.date
    paid: bool
    """False for the part still unpaid, counted up to the reconciliation date."""
    days: int
    charge: Decimal

    def explain(self) -> Explanation:
        return Explanation(
            "late_charge.part",
            {
                "amount": self.amount,
                "until": self.until,
                "paid": "yes" if self.paid else "no",
                "days": self.days,
                "charge": self.charge,
            },
        )


@attrs.frozen
class LateCharge:
    """The late charge of one installment, to the day, with how it came about."""

    amount: Money
    due_date: dt.date
    rule: LateChargeRule
    parts: tuple[LatePart, ...] = ()
    minimum_applied: bool = False

    @property
    def days(self) -> int:
        """The most days any part was late."""
        return max((part.days for part in self.parts), default=0)

    def explain(self) -> Explanation:
        """The charge, its method and formula, each part, and the cited pack values."""
        rule = self.rule
        formulas = {
            LateChargeMethod.NONE: "no late charge",
            LateChargeMethod.DAILY_RATE: "charge = round(Σ part × rate × days)",
            LateChargeMethod.MONTHLY_RATE_PER_DAY: (
                "charge = max(round(Σ cut(part × rate × days ÷ days in month of payment)), minimum)"
            ),
        }
        children = [part.explain() for part in self.parts]
        children.extend(parameter_node(value) for value in rule.sources)
        return Explanation(
            f"late_charge.{rule.method.value}",
            {
                "amount": self.amount,
                "due_date": self.due_date,
                "days": self.days,
                "rate": rule.rate if rule.method is not LateChargeMethod.NONE else None,
                "minimum": rule.minimum,
                "minimum_applied": "yes" if self.minimum_applied else None,
            },
            formula=formulas[rule.method],
            citation=rule.citation,
            children=children,
        )


def _part_charge(amount: Money, days: int, due: dt.date, rule: LateChargeRule) -> Decimal:
    if days == 0 or rule.method is LateChargeMethod.NONE:
        return Decimal(0)
    if rule.method is LateChargeMethod.DAILY_RATE:
        return amount.amount * rule.rate * days
    # each late day earns the monthly rate ÷ the days of its own month
    charge = Decimal(0)
    day = due + dt.timedelta(days=1)
    left = days
    while left:
        month_days = calendar.monthrange(day.year, day.month)[1]
        in_month = min(left, month_days - day.day + 1)
        charge += amount.amount * rule.rate * in_month / month_days
        left -= in_month
        day += dt.timedelta(days=in_month)
    if rule.precision is not None:
        charge = charge.quantize(rule.precision, rounding=ROUND_DOWN)
    return charge


def late_charge(
    parts: Sequence[tuple[Money, dt.date, bool]],
    *,
    due: dt.date,
    rule: LateChargeRule,
    currency: str | None = None,
) -> LateCharge:
    """The charge on an installment due on ``due`` whose ``parts`` — (amount, paid on or
    counted until, paid?) — were paid or are still owed, under ``rule`` (no parts: nothing
    was late, the charge is zero in ``currency``).

        >>> import datetime as dt
        >>> from decimal import Decimal
        >>> from flexsecure import LateChargeRule, Money, late_charge
        >>> cpf = LateChargeRule("monthly_rate_per_day", rate=Decimal("0.015"),
        ...                      minimum=Money("5", "SGD"), rounding="down",
        ...                      rounding_unit=Decimal("1"), precision=Decimal("0.0001"),
        ...                      count_payment_day=False)
        >>> late_charge([(Money("3000", "SGD"), dt.date(2024, 11, 20), True)],
        ...             due=dt.date(2024, 10, 31), rule=cpf).amount
        Money('28.00', 'SGD')
    """
    if not isinstance(rule, LateChargeRule):
        raise InvalidInput(f"rule must be a LateChargeRule, got {rule!r}")
    if currency is None:
        if not parts:
            raise InvalidInput("give the currency when there are no parts")
        currency = parts[0][0].currency
    built = []
    for amount, until, paid in parts:
        if not isinstance(amount, Money) or amount.currency != currency or amount.is_negative:
            raise InvalidInput(f"late parts must be Money >= 0 in {currency}, got {amount!r}")
        days = days_late(due, until, rule) if amount else 0
        built.append(LatePart(amount, until, paid, days, _part_charge(amount, days, due, rule)))
    exact = Money.unchecked(sum((part.charge for part in built), Decimal(0)), currency)
    rounded = exact.quantize(rule.rounding_unit, rule.rounding).quantize()
    minimum_applied = False
    if rule.minimum is not None and any(part.days for part in built) and rounded < rule.minimum:
        rounded = rule.minimum.quantize()
        minimum_applied = True
    return LateCharge(rounded, due, rule, tuple(built), minimum_applied)
