"""Contribution schedules: what a payer owes, in which installments, due when.

A :class:`ContributionSchedule` turns a run of monthly statements into installments on a
payment frequency the pack allows for the region (``schedule.<payer>.frequencies``): each
installment covers one or more calendar months, is due on the date the pack's due rule gives
(expanded with :mod:`dateutil.rrule`), and holds its amounts per scheme and payer — exactly the
statements' lines, so the installments always sum to the schedule's total. Payments are
matched to installments with :meth:`ContributionSchedule.reconcile`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from flexsecure.calculations.schedules.dates import due_date, periods
from flexsecure.calculations.schedules.rules import Frequency, PaymentRules, payment_rules
from flexsecure.calculations.statements import ContributionStatement, parameter_node
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

if TYPE_CHECKING:
    from flexsecure.calculations.schedules.payments import Payment, Reconciliation

__all__ = ["ContributionSchedule", "Installment", "InstallmentAmount", "contribution_schedule"]


@attrs.frozen
class InstallmentAmount:
    """What one payer owes one scheme within an installment."""

    scheme: str
    payer: str
    amount: Money


@attrs.frozen
class Installment:
    """One payment due: the months it covers, its due date and its amounts."""

    party_id: str
    """Who pays: the worker's id, or the platform's for a remittance."""
    payer: str
    region: str
    months: tuple[Month, ...]
    due_date: dt.date
    amounts: tuple[InstallmentAmount, ...]
    currency: str
    rules: PaymentRules = attrs.field(eq=False, repr=False)

    @property
    def key(self) -> str:
        """A stable identifier, e.g. ``w-001/worker/CN-SH/2025-01..2025-03``."""
        span = str(self.months[0])
        if len(self.months) > 1:
            span += f"..{self.months[-1]}"
        return f"{self.party_id}/{self.payer}/{self.region}/{span}"

    @property
    def total(self) -> Money:
        return Money.unchecked(
            sum((part.amount.amount for part in self.amounts), Decimal(0)), self.currency
        )

    def amount(self, scheme: str) -> Money:
        """The installment's amount for ``scheme`` (zero if none)."""
        return Money.unchecked(
            sum((p.amount.amount for p in self.amounts if p.scheme == scheme), Decimal(0)),
            self.currency,
        )

    def explain(self) -> Explanation:
        """The installment, its amounts, and the cited due-date rule."""
        children = [
            Explanation(
                "installment.amount",
                {"scheme": part.scheme, "payer": part.payer, "amount": part.amount},
            )
            for part in self.amounts
        ]
        due = self.rules.due
        children.extend(
            parameter_node(value)
            for value in self.rules.sources
            if value.name.endswith(("due_month_offset", "due_day", "frequencies"))
        )
        return Explanation(
            "installment",
            {
                "key": self.key,
                "first_month": self.months[0],
                "last_month": self.months[-1],
                "due_date": self.due_date,
                "total": self.total,
            },
            formula=(
                f"due on day {due.day or 'last'} of the month {due.month_offset} month(s) after "
                "the last month covered"
            ),
            children=children,
        )


@attrs.frozen
class ContributionSchedule:
    """A payer's installments, oldest first."""

    party_id: str
    payer: str
    frequency: Frequency
    currency: str
    installments: tuple[Installment, ...]

    @property
    def total(self) -> Money:
        return Money.unchecked(
            sum((i.total.amount for i in self.installments), Decimal(0)), self.currency
        )

    def reconcile(self, payments: Iterable[Payment], *, on: dt.date) -> Reconciliation:
        """Apply ``payments`` to the installments as the pack orders them and report, for each
        installment on ``on``, what is paid, outstanding, overdue or lapsed, and the late
        charge to the day; see :func:`flexsecure.calculations.schedules.payments.reconcile`."""
        from flexsecure.calculations.schedules.payments import reconcile

        return reconcile(self, payments, on=on)

    def explain(self) -> Explanation:
        return Explanation(
            "schedule",
            {
                "party": self.party_id,
                "payer": self.payer,
                "frequency": self.frequency.value,
                "total": self.total,
                "installments": len(self.installments),
            },
            formula="total = Σ installments",
            children=[installment.explain() for installment in self.installments],
        )


def _months_of(statements: Sequence[ContributionStatement]) -> dict[Month, ContributionStatement]:
    by_month: dict[Month, ContributionStatement] = {}
    worker_ids = {s.worker_id for s in statements}
    if len(worker_ids) > 1:
        raise InvalidInput(f"statements must be of one worker, got {', '.join(sorted(worker_ids))}")
    for index, statement in enumerate(statements):
        if not isinstance(statement, ContributionStatement):
            raise InvalidInput(f"statements[{index}] must be a ContributionStatement")
        if statement.month in by_month:
            raise InvalidInput(f"statements hold {statement.month} twice")
        by_month[statement.month] = statement
    return by_month


def build_installment(
    pack: RulePack,
    *,
    party_id: str,
    payer: str,
    region: str,
    months: tuple[Month, ...],
    totals: dict[tuple[str, str], Decimal],
    frequency: Frequency,
) -> Installment:
    """One installment over ``months`` with the amounts ``totals`` (scheme, payer) → amount,
    checking that ``frequency`` is allowed in ``region`` when the installment starts."""
    rules = payment_rules(pack, payer=payer, region=region, on=months[0].first_day)
    if frequency not in rules.frequencies:
        source = next(v for v in rules.sources if v.name.endswith(".frequencies"))
        raise InvalidInput(
            f"frequency {frequency.value!r} is not allowed for {payer}s in {region} from "
            f"{months[0]}; the pack allows {', '.join(f.value for f in rules.frequencies)} "
            f"({source.name}: {source.citation})"
        )
    return Installment(
        party_id=party_id,
        payer=payer,
        region=region,
        months=months,
        due_date=due_date(months[-1], rules.due),
        amounts=tuple(
            InstallmentAmount(scheme, line_payer, Money.unchecked(amount, pack.currency))
            for (scheme, line_payer), amount in sorted(totals.items())
        ),
        currency=pack.currency,
        rules=rules,
    )


def contribution_schedule(
    pack: RulePack,
    statements: Iterable[ContributionStatement],
    *,
    region: str,
    frequency: Frequency | str = Frequency.MONTHLY,
    payer: str = "worker",
    start: Month | None = None,
    end: Month | None = None,
) -> ContributionSchedule:
    """The installments of ``payer``'s lines in ``region`` over the worker's ``statements``.

    ``start`` and ``end`` (both included) default to the first and last statement's month;
    every month between them needs its statement, since a schedule must be exact.
    """
    try:
        frequency = Frequency(frequency)
    except ValueError:
        raise InvalidInput(
            f"frequency must be one of {', '.join(f.value for f in Frequency)}, got {frequency!r}"
        ) from None
    pack.region(region)
    by_month = _months_of(list(statements))
    if not by_month:
        raise InvalidInput("statements must not be empty")
    start = min(by_month) if start is None else start
    end = max(by_month) if end is None else end
    worker_id = next(iter(by_month.values())).worker_id
    installments = []
    for months in periods(start, end, frequency):
        totals: dict[tuple[str, str], Decimal] = {}
        for month in months:
            statement = by_month.get(month)
            if statement is None:
                raise InvalidInput(f"statements have no statement for {month} of {worker_id}")
            if statement.currency != pack.currency:
                raise InvalidInput(
                    f"statement for {month} is in {statement.currency}, the pack in {pack.currency}"
                )
            for line in statement.lines:
                if line.payer == payer and line.region == region:
                    key = (line.scheme, line.payer)
                    totals[key] = totals.get(key, Decimal(0)) + line.amount.amount
        installments.append(
            build_installment(
                pack,
                party_id=worker_id,
                payer=payer,
                region=region,
                months=months,
                totals=totals,
                frequency=frequency,
            )
        )
    return ContributionSchedule(worker_id, payer, frequency, pack.currency, tuple(installments))
