"""Per-order contributions to a scheme: an amount of every order, whatever the scheme's basis.

A reform may have a scheme take an amount per order besides its own basis
(:class:`~flexsecure.rules.schemes.OrderContribution`) — a pension micro-contribution of, say,
0.10 yuan deducted from every order in the platform app and credited to the worker's
individual account, optionally matched by the platform. For each engagement with orders, each
payer's line is ``round(orders × amount per order)`` by the scheme's rounding rule, split over
the funds in proportion to their amounts; it is booked in the engagement's region and names
its platform, whoever pays. The lines carry no base, so posting them counts no contributed
month (:func:`~flexsecure.calculations.accounts.contribution_entries`): the money reaches the
account, the months come only from the scheme's own basis.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from flexsecure.calculations.bases import WorkerMonth
from flexsecure.calculations.funds import split_funds
from flexsecure.calculations.rounding import round_payers
from flexsecure.calculations.statements import ContributionLine, Derivation
from flexsecure.facts.engagements import Engagement
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import Enrolling, SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import Money

__all__ = ["OrderAmount", "order_amounts", "order_contribution_lines", "per_order_lines"]


@attrs.frozen
class OrderAmount:
    """One payer's amount per order of an industry, region and date, and its fund split."""

    payer: str
    parameters: tuple[ParameterValue, ...]
    per_order: Money
    weights: tuple[Decimal, ...]
    funds: tuple[str, ...]


def order_amounts(
    pack: RulePack, scheme: SchemeRules, industry: str, region: str, on: dt.date
) -> tuple[OrderAmount, ...]:
    """Each payer's amount per order of ``scheme``'s per-order contribution in force on ``on``
    (none before it starts; memoised on the pack)."""

    def build() -> tuple[OrderAmount, ...]:
        contribution = scheme.order_contribution_on(on)
        if contribution is None:
            return ()
        amounts = []
        for share in contribution.shares:
            parameters = tuple(
                pack.value(share.parameter_for(fund, industry), region, on) for fund in share.funds
            )
            weights = tuple(parameter.money().amount for parameter in parameters)
            per_order = Money(sum(weights, Decimal(0)), pack.currency)
            amounts.append(
                OrderAmount(share.payer, parameters, per_order, weights, tuple(share.funds))
            )
        return tuple(amounts)

    return pack.memo(("order contribution", scheme.name, industry, region, on), build)


def order_contribution_lines(month: WorkerMonth, scheme: SchemeRules) -> list[ContributionLine]:
    """The per-order lines of ``scheme`` for every engagement of the month with orders, in
    engagement order (none when no per-order contribution is in force, or it is for enrolled
    workers and this one is not enrolled)."""
    contribution = scheme.order_contribution_on(month.on)
    if contribution is None:
        return []
    if contribution.enrolling is Enrolling.VOLUNTARY and month.enrolment(scheme.name) is None:
        return []
    lines: list[ContributionLine] = []
    for job in month.engagements:
        if job.orders:
            try:
                lines.extend(per_order_lines(month.pack, scheme, job, month.on))
            except RuleNotFound as error:
                raise RuleNotFound(
                    f"per-order contribution to {scheme.name}, platform {job.platform_id!r}: "
                    f"{error}"
                ) from None
    return lines


def per_order_lines(
    pack: RulePack, scheme: SchemeRules, job: Engagement, on: dt.date
) -> list[ContributionLine]:
    """One engagement's per-order lines of ``scheme``: one per payer, rounded together by the
    scheme's rule (no enrolment check: for checking lines read from outside)."""
    amounts = order_amounts(pack, scheme, job.industry, job.region, on)
    if not amounts or not job.orders:
        return []
    rounded = round_payers(
        {amount.payer: amount.per_order * job.orders for amount in amounts}, scheme.rounding
    )
    return [
        ContributionLine(
            scheme=scheme.name,
            payer=amount.payer,
            platform_id=job.platform_id,
            region=job.region,
            base=None,
            rate=amount.per_order,
            amount=rounded[amount.payer],
            funds=split_funds(rounded[amount.payer], amount.funds, amount.weights),
            orders=job.orders,
            industry=job.industry,
            derivation=Derivation(None, amount.parameters, scheme.rounding, rounded[amount.payer]),
        )
        for amount in amounts
    ]
