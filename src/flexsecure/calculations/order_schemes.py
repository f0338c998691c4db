"""The ``orders`` basis: a premium per order, paid by the platform for its own orders.

China's occupational-injury protection for platform workers (人社部发〔2025〕24号): in regions
where the protection is in force, the platform pays a premium per order for every order of its
engagements, with no enrolment. The premium depends on the industry and, where the agency
assigned one, the platform's premium class.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

import attrs

from flexsecure.calculations.base_schemes import split_funds
from flexsecure.calculations.bases import WorkerMonth, register_basis
from flexsecure.calculations.rounding import round_payers
from flexsecure.calculations.statements import ContributionLine, Derivation
from flexsecure.facts.engagements import Engagement, Platform
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import ORDERS, RoundingRule, SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import Money

__all__ = ["order_lines", "order_premium"]


def order_premium(orders: int, premium: Money, rounding: RoundingRule) -> Money:
    """The platform's injury premium for one engagement: orders × premium per order."""
    return rounding.apply(premium * orders)


@attrs.frozen
class _Premium:
    """One share's per-order premium for an industry and class, or ``None`` if not in force."""

    in_force: ParameterValue
    parameters: tuple[ParameterValue, ...]
    per_order: Money
    weights: tuple[Decimal, ...]
    funds: tuple[str, ...]


def _premium(
    pack: RulePack,
    scheme: SchemeRules,
    index: int,
    industry: str,
    premium_class: str | None,
    region: str,
    on: dt.date,
) -> _Premium | None:
    def build() -> _Premium | None:
        assert scheme.in_force is not None
        parameter = pack.parameter(scheme.in_force)
        if not parameter.has_region(region):
            raise RuleNotFound(
                f"{scheme.in_force} says nothing about {region}: the pack must state when "
                f"{scheme.name} is in force there"
            )
        try:
            in_force = parameter.at(region, on)
        except RuleNotFound:
            return None  # before the region's first date: the scheme did not exist yet
        if not in_force.flag():
            return None
        share = scheme.shares_on(on)[index]
        parameters = []
        for fund in share.funds:
            name = share.parameter_for(fund, industry)
            if premium_class is not None:
                name = f"{name}.{premium_class}"
                if name not in pack.parameters:
                    raise RuleNotFound(
                        f"premium class {premium_class!r} for {industry}: the "
                        f"{pack.code} pack has no parameter {name}"
                    )
            parameters.append(pack.value(name, region, on))
        weights = tuple(parameter.money().amount for parameter in parameters)
        per_order = Money(sum(weights, Decimal(0)), pack.currency)
        return _Premium(in_force, tuple(parameters), per_order, weights, tuple(share.funds))

    key = ("premium", scheme.name, index, industry, premium_class, region, on)
    return pack.memo(key, build)


def order_lines(month: WorkerMonth, scheme: SchemeRules) -> list[ContributionLine]:
    """The premium lines of every engagement of the month with orders, in engagement order."""
    lines: list[ContributionLine] = []
    for job in month.engagements:
        lines.extend(_engagement_lines(month.pack, scheme, job, month.platforms, month.on))
    return lines


def _engagement_lines(
    pack: RulePack,
    scheme: SchemeRules,
    job: Engagement,
    platforms: Mapping[str, Platform],
    on: dt.date,
) -> list[ContributionLine]:
    if job.orders == 0:
        return []
    platform = platforms.get(job.platform_id)
    premium_class = platform.premium_classes.get(job.industry) if platform else None
    premiums: list[tuple[str, _Premium]] = []
    for index, share in enumerate(scheme.shares_on(on)):
        try:
            premium = _premium(pack, scheme, index, job.industry, premium_class, job.region, on)
        except RuleNotFound as error:
            raise RuleNotFound(f"platform {job.platform_id!r}: {error}") from None
        if premium is not None:
            premiums.append((share.payer, premium))
    rounded = round_payers(
        {payer: premium.per_order * job.orders for payer, premium in premiums}, scheme.rounding
    )
    return [
        ContributionLine(
            scheme=scheme.name,
            payer=payer,
            platform_id=job.platform_id,
            region=job.region,
            base=None,
            rate=premium.per_order,
            amount=rounded[payer],
            funds=split_funds(rounded[payer], premium.funds, premium.weights),
            orders=job.orders,
            industry=job.industry,
            derivation=Derivation(
                None,
                premium.parameters,
                scheme.rounding,
                rounded[payer],
                in_force=premium.in_force,
                premium_class=premium_class,
            ),
        )
        for payer, premium in premiums
    ]


register_basis(ORDERS, order_lines)
