"""Payments and reconciliation: what arrived, where it went, what is late and what it costs.

:func:`reconcile` applies payments to a schedule's installments in the order the pack names
(``schedule.<payer>.application``; oldest first), in order of payment date and then
reference, so the result never depends on the order the payments arrived in. Each payment is
applied whole: its amount ends up in installments or in the credit left, never lost and never
counted twice. Payments go to installments' amounts only; late charges are reported beside
them, as agencies demand them separately.

Where the pack says an installment cannot be paid after its due date
(``late_payment_accepted = false``: a missed month cannot be made up later), or only within a
back-payment window (``back_payment``: until the year's end, or some months), a later payment
passes it by and the unpaid part *lapses* once the last day to pay it is past; nothing is
charged for it. Otherwise an unpaid part past its due date is *overdue* and the late charge
runs to the reconciliation date.

A ledger records what was paid against what was due with :meth:`Ledger.pay
<flexsecure.Ledger.pay>`, which takes a :class:`Reconciliation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum

import attrs

from flexsecure.calculations.schedules.installments import ContributionSchedule, Installment
from flexsecure.calculations.schedules.late import LateCharge, late_charge
from flexsecure.values.checks import check_date, require_date
from flexsecure.values.errors import InvalidInput
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money

__all__ = [
    "AppliedPayment",
    "InstallmentState",
    "InstallmentStatus",
    "Payment",
    "Reconciliation",
    "reconcile",
]


def _check_amount(_instance: object, _attribute: object, value: Money) -> None:
    if not isinstance(value, Money) or value.amount <= 0 or not value.is_whole():
        raise InvalidInput(f"Payment.amount must be Money > 0 in whole minor units, got {value!r}")


def _check_reference(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"Payment.reference must be a non-empty string, got {value!r}")


@attrs.frozen
class Payment:
    """Money that arrived: how much, on which day, under which reference (unique)."""

    amount: Money = attrs.field(validator=_check_amount)
    paid_on: dt.date = attrs.field(validator=check_date)
    reference: str = attrs.field(validator=_check_reference)


@attrs.frozen
class AppliedPayment:
    """The part of a payment applied to one installment."""

    reference: str
    paid_on: dt.date
    installment: str
    """The installment's :attr:`~Installment.key`."""
    amount: Money


class InstallmentState(StrEnum):
    """Where an installment stands on the reconciliation date."""

    PAID = "paid"
    NOT_DUE = "not_due"
    """Not (fully) paid, due date not yet passed."""
    OVERDUE = "overdue"
    LAPSED = "lapsed"
    """Past its due date, unpaid, and the pack allows no later payment: the months are missed."""


@attrs.frozen
class InstallmentStatus:
    """One installment on the reconciliation date."""

    installment: Installment
    paid: Money
    outstanding: Money
    """Still owed and still payable."""
    overdue: Money
    """The part of :attr:`outstanding` past its due date."""
    lapsed: Money
    """Unpaid and no longer payable: the months it covers were missed."""
    late_charge: LateCharge
    applied: tuple[AppliedPayment, ...]

    @property
    def state(self) -> InstallmentState:
        if self.lapsed:
            return InstallmentState.LAPSED
        if self.overdue:
            return InstallmentState.OVERDUE
        if self.outstanding:
            return InstallmentState.NOT_DUE
        return InstallmentState.PAID

    def explain(self) -> Explanation:
        return Explanation(
            "installment.status",
            {
                "key": self.installment.key,
                "state": self.state.value,
                "due_date": self.installment.due_date,
                "total": self.installment.total,
                "paid": self.paid,
                "outstanding": self.outstanding,
                "overdue": self.overdue,
                "lapsed": self.lapsed,
                "late_charge": self.late_charge.amount,
            },
            formula="paid + outstanding + lapsed = total",
            children=[self.installment.explain(), self.late_charge.explain()],
        )


@attrs.frozen
class Reconciliation:
    """A schedule's installments on ``on``, after the payments, and the credit left."""

    on: dt.date
    statuses: tuple[InstallmentStatus, ...]
    credit: Money
    """Paid beyond every installment, or paid for lapsed months: the payer's to reclaim."""
    payments: tuple[Payment, ...]
    """The payments, in the order they were applied."""
    currency: str

    def _sum(self, field: str) -> Money:
        total = sum((getattr(s, field).amount for s in self.statuses), Decimal(0))
        return Money.unchecked(total, self.currency)

    @property
    def paid(self) -> Money:
        return self._sum("paid")

    @property
    def outstanding(self) -> Money:
        return self._sum("outstanding")

    @property
    def overdue(self) -> Money:
        return self._sum("overdue")

    @property
    def lapsed(self) -> Money:
        return self._sum("lapsed")

    @property
    def late_charges(self) -> Money:
        total = sum((s.late_charge.amount.amount for s in self.statuses), Decimal(0))
        return Money.unchecked(total, self.currency)

    @property
    def arrears(self) -> Money:
        """What is late: overdue amounts plus late charges."""
        return self.overdue + self.late_charges

    @property
    def applied(self) -> tuple[AppliedPayment, ...]:
        return tuple(a for status in self.statuses for a in status.applied)

    def explain(self) -> Explanation:
        return Explanation(
            "reconciliation",
            {
                "on": self.on,
                "paid": self.paid,
                "outstanding": self.outstanding,
                "overdue": self.overdue,
                "lapsed": self.lapsed,
                "late_charges": self.late_charges,
                "credit": self.credit,
            },
            formula="Σ payments = paid + credit",
            children=[status.explain() for status in self.statuses],
        )


def _checked_payments(
    payments: Iterable[Payment], currency: str, on: dt.date
) -> tuple[Payment, ...]:
    checked: dict[str, Payment] = {}
    for index, payment in enumerate(payments):
        if not isinstance(payment, Payment):
            raise InvalidInput(f"payments[{index}] must be a Payment, got {payment!r}")
        if payment.amount.currency != currency:
            raise InvalidInput(
                f"payments[{index}] ({payment.reference}) is in {payment.amount.currency}, "
                f"the schedule in {currency}"
            )
        if payment.paid_on > on:
            raise InvalidInput(
                f"payments[{index}] ({payment.reference}) is dated {payment.paid_on}, after the "
                f"reconciliation date {on}"
            )
        if payment.reference in checked:
            raise InvalidInput(
                f"payments[{index}]: reference {payment.reference!r} appears twice; a payment "
                "is counted once"
            )
        checked[payment.reference] = payment
    return tuple(sorted(checked.values(), key=lambda p: (p.paid_on, p.reference)))


def reconcile(
    schedule: ContributionSchedule, payments: Iterable[Payment], *, on: dt.date
) -> Reconciliation:
    """``schedule`` on ``on`` once ``payments`` are applied; see the module docstring."""
    on = require_date(on, "on")
    currency = schedule.currency
    ordered = _checked_payments(payments, currency, on)
    installments = sorted(schedule.installments, key=lambda i: (i.due_date, i.months[0], i.key))
    owed = {i.key: i.total.amount for i in installments}
    last_days = {
        i.key: i.rules.last_payment_day(i.due_date, i.months[-1].first_day) for i in installments
    }
    applied: dict[str, list[AppliedPayment]] = {i.key: [] for i in installments}
    credit = Decimal(0)
    for payment in ordered:
        left = payment.amount.amount
        for installment in installments:
            if not left:
                break
            if not owed[installment.key]:
                continue
            last_day = last_days[installment.key]
            if last_day is not None and payment.paid_on > last_day:
                continue
            part = min(left, owed[installment.key])
            owed[installment.key] -= part
            left -= part
            applied[installment.key].append(
                AppliedPayment(
                    payment.reference,
                    payment.paid_on,
                    installment.key,
                    Money.unchecked(part, currency),
                )
            )
        credit += left
    zero = Money.zero(currency).quantize()
    statuses = []
    for installment in installments:
        unpaid = Money.unchecked(owed[installment.key], currency)
        past_due = on > installment.due_date
        last_day = last_days[installment.key]
        closed = last_day is not None and on > last_day
        parts = [(a.amount, a.paid_on, True) for a in applied[installment.key]]
        if unpaid and past_due and not closed:
            parts.append((unpaid, on, False))
        charge = late_charge(
            parts, due=installment.due_date, rule=installment.rules.late_charge, currency=currency
        )
        lapsed = unpaid if closed else zero
        outstanding = zero if lapsed else unpaid
        statuses.append(
            InstallmentStatus(
                installment=installment,
                paid=installment.total - unpaid,
                outstanding=outstanding,
                overdue=outstanding if past_due else zero,
                lapsed=lapsed,
                late_charge=charge,
                applied=tuple(applied[installment.key]),
            )
        )
    return Reconciliation(
        on=on,
        statuses=tuple(statuses),
        credit=Money.unchecked(credit, currency),
        payments=ordered,
        currency=currency,
    )
