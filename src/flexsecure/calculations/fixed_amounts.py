"""Fixed monthly amounts: a ``base`` scheme that charges a flat amount in some regions.

Most flexible-employee schemes charge a rate on a base the worker chooses within a band. Some
regions instead publish one monthly amount every enrolled flexible employee pays (Beijing's
employee medical insurance for individuals is such an amount: the pack cites the notice). A
pack says so with the scheme's ``fixed_amount`` parameter (unit ``money``): where it has a
value for the enrolment's region on the month's first day, the scheme's one payer pays it —
rounded by the scheme's rule, split over the funds in proportion to the share's rates when
there are several — and the band and rates are not read. Elsewhere, and before its first
value, rate × base applies as usual (:mod:`flexsecure.calculations.base_schemes`).

A fixed line has no base; its ``rate`` is the fixed amount (Money), and its explanation cites
the parameter the amount came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from flexsecure.calculations.funds import split_funds
from flexsecure.calculations.statements import (
    ContributionLine,
    line_values,
    parameter_node,
    rounding_node,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import RoundingRule, SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money

__all__ = ["FixedDerivation", "FixedShare", "fixed_amount", "fixed_lines", "fixed_share"]


def fixed_amount(
    pack: RulePack, scheme: SchemeRules, region: str, on: dt.date
) -> ParameterValue | None:
    """The fixed monthly amount ``scheme`` charges in ``region`` on ``on``, if it names one and
    the region has a value then (memoised); ``None``: rate × base applies."""
    name = scheme.fixed_amount
    if name is None:
        return None

    def build() -> ParameterValue | None:
        parameter = pack.parameter(name)
        if not parameter.has_region(region):
            return None
        try:
            return parameter.at(region, on)
        except RuleNotFound:
            return None  # not charged there yet: rate × base until its first value

    return pack.memo(("fixed", scheme.name, region, on), build)


@attrs.frozen
class FixedShare:
    """The one payer of a fixed amount: the amount as rounded and its split over the funds."""

    payer: str
    fixed: ParameterValue
    amount: Money
    funds: tuple[tuple[str, Money], ...]
    rates: tuple[ParameterValue, ...] = ()
    """The fund rates that split the amount (read only when there are several funds)."""


def fixed_share(
    pack: RulePack, scheme: SchemeRules, region: str, on: dt.date, fixed: ParameterValue
) -> FixedShare:
    """The payer, amount and fund split of ``fixed`` (a value :func:`fixed_amount` found)."""
    shares = scheme.shares_on(on)
    if len(shares) != 1:
        raise RuleNotFound(
            f"{fixed.name} is one payer's amount, but {scheme.name} has {len(shares)} shares "
            f"on {on}"
        )
    (share,) = shares
    amount = scheme.rounding.apply(fixed.money())
    names = tuple(share.funds)
    if len(names) == 1:
        return FixedShare(share.payer, fixed, amount, ((names[0], amount),))
    rates = tuple(pack.value(name, region, on) for name in share.funds.values())
    funds = split_funds(amount, names, [rate.decimal() for rate in rates])
    return FixedShare(share.payer, fixed, amount, funds, rates)


@attrs.frozen
class FixedDerivation:
    """How a fixed-amount line came about: the cited amount, the rounding rule, and for a
    platforms' share its split by earnings."""

    share: FixedShare
    rounding: RoundingRule
    apportioned: tuple[Decimal, Decimal] | None = None

    def explain(self, line: ContributionLine) -> Explanation:
        """The explanation of ``line``: the amount's parameter, rates, rounding and splits."""
        values, formula = line_values(line)
        children = [parameter_node(self.share.fixed)]
        children.extend(parameter_node(rate) for rate in self.share.rates)
        children.append(rounding_node(self.rounding))
        if self.apportioned is not None:
            weight, total = self.apportioned
            children.append(
                Explanation(
                    "apportion",
                    {"total": self.share.amount, "weight": weight, "of": total},
                    formula="largest-remainder split in proportion to earnings",
                )
            )
        if len(line.funds) > 1:
            children.append(
                Explanation(
                    "funds",
                    dict(line.funds),
                    formula="amount split over funds in proportion to their rates",
                )
            )
        return Explanation("line", values, formula=formula, children=children)


def fixed_lines(
    scheme: SchemeRules, share: FixedShare, region: str, earnings: Mapping[str, Money]
) -> list[ContributionLine]:
    """The lines of a fixed amount: the payer's own line, or, for platforms, the amount split
    among the month's platforms by their earnings (as a base scheme's platforms' share)."""

    def line(
        platform_id: str | None,
        amount: Money,
        funds: tuple[tuple[str, Money], ...],
        apportioned: tuple[Decimal, Decimal] | None,
    ) -> ContributionLine:
        return ContributionLine(
            scheme=scheme.name,
            payer=share.payer,
            platform_id=platform_id,
            region=region,
            base=None,
            rate=share.fixed.money(),
            amount=amount,
            funds=funds,
            derivation=FixedDerivation(share, scheme.rounding, apportioned),
        )

    if share.payer != "platform":
        return [line(None, share.amount, share.funds, None)]
    if not earnings:
        return []  # no platform worked with this month: no platform to bill
    platform_ids = list(earnings)
    weights = [earnings[p].amount for p in platform_ids]
    if not any(weights):
        weights = [Decimal(1)] * len(platform_ids)  # nobody earned: share equally
    parts = share.amount.allocate(weights) if len(weights) > 1 else (share.amount,)
    total = sum(weights, Decimal(0))
    names = tuple(fund for fund, _ in share.funds)
    fund_weights = [rate.decimal() for rate in share.rates] or [Decimal(1)]
    return [
        line(platform_id, part, split_funds(part, names, fund_weights), (weight, total))
        for platform_id, weight, part in zip(platform_ids, weights, parts, strict=True)
    ]
