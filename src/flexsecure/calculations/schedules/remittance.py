"""A platform's remittance: what one platform owes for one month, per region and scheme.

Platforms pay their workers' per-order injury premiums (and, where platforms co-fund pensions,
their pension shares) to each region's collector, declared monthly. :func:`platform_remittance`
gathers, over all the month's :class:`~flexsecure.ContributionStatement` s, every line billed
to the platform, groups them by region and scheme, and dates each amount with the region's due
rule for platforms (``schedule.platform.*``). Each amount keeps the lines behind it, so the
agency can check it worker by worker (``flexsecure.remittance/1`` records, in
:mod:`flexsecure.records.remittances`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

import attrs

from flexsecure.calculations.schedules.installments import (
    ContributionSchedule,
    build_installment,
)
from flexsecure.calculations.schedules.payments import Payment, Reconciliation
from flexsecure.calculations.schedules.rules import Frequency
from flexsecure.calculations.statements import ContributionLine, ContributionStatement
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = ["Remittance", "RemittanceItem", "RemittanceLine", "platform_remittance"]


@attrs.frozen
class RemittanceLine:
    """One worker's line behind a remittance amount."""

    worker_id: str
    amount: Money
    base: Money | None
    rate: Decimal | Money
    orders: int | None
    industry: str | None
    funds: tuple[tuple[str, Money], ...]


@attrs.frozen
class RemittanceItem:
    """What the platform owes one scheme in one region, due when, and the lines behind it."""

    region: str
    scheme: str
    due_date: dt.date
    amount: Money
    lines: tuple[RemittanceLine, ...]

    def explain(self) -> Explanation:
        return Explanation(
            "remittance.item",
            {
                "region": self.region,
                "scheme": self.scheme,
                "amount": self.amount,
                "due_date": self.due_date,
                "workers": len(self.lines),
            },
            formula="amount = Σ the platform's lines of the month",
        )


@attrs.frozen
class Remittance:
    """Everything one platform owes for one month."""

    platform_id: str
    month: Month
    jurisdiction: str
    reforms: tuple[str, ...]
    currency: str
    items: tuple[RemittanceItem, ...]
    schedule: ContributionSchedule | None = attrs.field(default=None, eq=False, repr=False)
    """The items as installments (one per region), for :meth:`reconcile`; ``None`` for a
    remittance read from a record (recompute it to reconcile)."""

    @property
    def total(self) -> Money:
        return Money.unchecked(
            sum((i.amount.amount for i in self.items), Decimal(0)), self.currency
        )

    def total_for(self, *, region: str | None = None, scheme: str | None = None) -> Money:
        """The sum of the items of ``region`` and/or ``scheme``."""
        return Money.unchecked(
            sum(
                (
                    i.amount.amount
                    for i in self.items
                    if (region is None or i.region == region)
                    and (scheme is None or i.scheme == scheme)
                ),
                Decimal(0),
            ),
            self.currency,
        )

    def reconcile(self, payments: Iterable[Payment], *, on: dt.date) -> Reconciliation:
        """:meth:`ContributionSchedule.reconcile` over the remittance's installments."""
        if self.schedule is None:
            raise InvalidInput(
                f"the remittance of {self.platform_id} for {self.month} was read from a record "
                "and has no schedule; recompute it with Jurisdiction.platform_remittance"
            )
        return self.schedule.reconcile(payments, on=on)

    def explain(self) -> Explanation:
        return Explanation(
            "remittance",
            {
                "platform": self.platform_id,
                "month": self.month,
                "jurisdiction": self.jurisdiction,
                "total": self.total,
            },
            formula="total = Σ items",
            children=[item.explain() for item in self.items],
        )


def _line(worker_id: str, line: ContributionLine) -> RemittanceLine:
    return RemittanceLine(
        worker_id=worker_id,
        amount=line.amount,
        base=line.base,
        rate=line.rate,
        orders=line.orders,
        industry=line.industry,
        funds=line.funds,
    )


def platform_remittance(
    pack: RulePack,
    statements: Iterable[ContributionStatement],
    *,
    platform_id: str,
    month: Month,
) -> Remittance:
    """What ``platform_id`` owes for ``month`` over its workers' ``statements``.

    Every statement must be of ``month``, computed by this pack with the same reforms, and of
    a different worker; lines billed to other platforms are left out.
    """
    if not isinstance(platform_id, str) or not platform_id:
        raise InvalidInput(f"platform_id must be a non-empty string, got {platform_id!r}")
    if not isinstance(month, Month):
        raise InvalidInput(f"month must be a Month, got {month!r}")
    grouped: dict[tuple[str, str], list[RemittanceLine]] = {}
    totals: dict[tuple[str, str], Decimal] = {}
    seen: set[str] = set()
    for index, statement in enumerate(statements):
        if not isinstance(statement, ContributionStatement):
            raise InvalidInput(f"statements[{index}] must be a ContributionStatement")
        where = f"statements[{index}] ({statement.worker_id}, {statement.month})"
        if statement.month != month:
            raise InvalidInput(f"{where} is not of {month}")
        if statement.jurisdiction != pack.code or statement.reforms != pack.applied_reforms:
            raise InvalidInput(
                f"{where} was computed by {statement.jurisdiction} with reforms "
                f"{list(statement.reforms)}, not by {pack.code} with {list(pack.applied_reforms)}"
            )
        if statement.worker_id in seen:
            raise InvalidInput(f"{where}: a second statement of the same worker")
        seen.add(statement.worker_id)
        for line in statement.lines:
            if line.platform_id != platform_id or line.payer != "platform":
                continue
            key = (line.region, line.scheme)
            grouped.setdefault(key, []).append(_line(statement.worker_id, line))
            totals[key] = totals.get(key, Decimal(0)) + line.amount.amount
    installments = []
    due: dict[str, dt.date] = {}
    for region in sorted({region for region, _ in grouped}):
        installment = build_installment(
            pack,
            party_id=platform_id,
            payer="platform",
            region=region,
            months=(month,),
            totals={(s, "platform"): amount for (r, s), amount in totals.items() if r == region},
            frequency=Frequency.MONTHLY,
        )
        installments.append(installment)
        due[region] = installment.due_date
    items = tuple(
        RemittanceItem(
            region=region,
            scheme=scheme,
            due_date=due[region],
            amount=Money.unchecked(totals[(region, scheme)], pack.currency),
            lines=tuple(sorted(lines, key=lambda r: (r.worker_id, r.industry or ""))),
        )
        for (region, scheme), lines in sorted(grouped.items())
    )
    schedule = ContributionSchedule(
        platform_id, "platform", Frequency.MONTHLY, pack.currency, tuple(installments)
    )
    return Remittance(
        platform_id=platform_id,
        month=month,
        jurisdiction=pack.code,
        reforms=pack.applied_reforms,
        currency=pack.currency,
        items=items,
        schedule=schedule,
    )
