"""Monthly contributions of one worker across all their platforms.

Three rules make up a month (each one small function below, named after it):

* :func:`contribution_base` — an enrolled worker's base is their choice (floor, ceiling, the
  month's earnings over all platforms, a grade of the average wage, or a declared amount),
  clipped to the region's band. Flexible employees choose a base between 60 % and 300 % of
  the provincial average wage (国办发〔2019〕13号), published per region as a floor and a
  ceiling (pack: ``pension.base_floor`` / ``pension.base_ceiling``).
* :func:`payer_amount` — each payer pays its rates (one per fund) times the base, rounded by
  the scheme's rule, then split over the funds exactly (《社会保险法》 Art. 12: pooled fund and
  individual account). A platforms' share is apportioned among that month's platforms in
  proportion to their earnings, with :meth:`~flexsecure.values.money.Money.allocate`.
* :func:`order_premium` — occupational-injury protection: the platform pays a premium per
  order for its own orders, in regions where the protection is in force
  (人社部发〔2025〕24号), with no enrolment.

Everything is checked before anything is computed, so bad input raises one typed error and
no partial statement exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from flexsecure.calculations.statements import (
    BaseDerivation,
    ContributionLine,
    ContributionStatement,
    Derivation,
)
from flexsecure.facts.engagements import BaseChoice, BaseKind, Engagement, Enrolment, Platform
from flexsecure.facts.workers import Worker
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import Basis, Enrolling, RoundingRule, SchemeRules
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money, split_exactly
from flexsecure.values.periods import Month

__all__ = [
    "contribution_base",
    "fund_amounts",
    "monthly_contributions",
    "order_premium",
    "payer_amount",
]


# -- the rules ----------------------------------------------------------------------------


def contribution_base(
    choice: BaseChoice,
    earnings: Money,
    floor: Money,
    ceiling: Money,
    average_wage: Money | None = None,
) -> Money:
    """Clip the chosen monthly base to the region's band ``[floor, ceiling]``.

    ``EARNINGS`` takes the month's earnings over all platforms; ``GRADE`` takes a fraction of
    the region's average wage (rounded half-up to the minor unit: a project choice, no rule
    was found); ``DECLARED`` a fixed amount; the result always lies in the band.
    """
    if choice.kind is BaseKind.FLOOR:
        return floor
    if choice.kind is BaseKind.CEILING:
        return ceiling
    if choice.kind is BaseKind.EARNINGS:
        wanted = earnings
    elif choice.kind is BaseKind.GRADE:
        if average_wage is None:
            raise RuleNotFound("a grade base needs the region's average wage")
        assert choice.fraction is not None
        wanted = (average_wage * choice.fraction).quantize()  # a base is whole fen
    else:
        assert choice.amount is not None
        wanted = choice.amount
    return min(max(wanted, floor), ceiling)


def payer_amount(base: Money, rates: Sequence[Decimal], rounding: RoundingRule) -> Money:
    """One payer's contribution: the sum of its fund rates times the base, rounded."""
    return rounding.apply(base * sum(rates, Decimal(0)))


def order_premium(orders: int, premium: Money, rounding: RoundingRule) -> Money:
    """The platform's injury premium for one engagement: orders × premium per order."""
    return rounding.apply(premium * orders)


def fund_amounts(
    pack: RulePack, scheme_name: str, region: str, on: dt.date, base: Money
) -> tuple[tuple[str, Money], ...]:
    """What one month at ``base`` puts into each fund of a base scheme, all payers together.

    The same rules as a statement line — each payer's rates times the base, rounded by the
    scheme's rule, split over the funds exactly — summed per fund. Used to project months
    that have not happened yet.
    """
    scheme = pack.scheme(scheme_name)
    if scheme.basis is not Basis.BASE:
        raise InvalidInput(f"{scheme_name} is not paid on a contribution base")
    totals: dict[str, Decimal] = {fund: Decimal(0) for fund in scheme.funds}
    for index in range(len(scheme.shares_on(on))):
        rates = _rates(pack, scheme, index, region, on)
        amount = payer_amount(base, rates.values, scheme.rounding)
        for fund, part in _split(amount, rates.funds, rates.values):
            totals[fund] += part.amount
    return tuple((fund, Money._trusted(total, base.currency)) for fund, total in totals.items())


# -- the month ----------------------------------------------------------------------------


def monthly_contributions(
    pack: RulePack,
    worker: Worker,
    engagements: Iterable[Engagement],
    month: Month,
    *,
    enrolments: Iterable[Enrolment] = (),
    platforms: Iterable[Platform] = (),
) -> ContributionStatement:
    """All contribution lines of ``worker`` for ``month`` under ``pack``."""
    if not isinstance(worker, Worker):
        raise InvalidInput(f"worker must be a Worker, got {worker!r}")
    if not isinstance(month, Month):
        raise InvalidInput(f"month must be a Month, got {month!r}")
    jobs = _checked_engagements(pack, worker, engagements, month)
    memberships = _checked_enrolments(pack, enrolments)
    premium_classes = _checked_platforms(platforms)
    on = month.first_day

    earned: dict[str, Decimal] = {}
    for job in jobs:
        earned[job.platform_id] = earned.get(job.platform_id, 0) + job.earnings.amount
    earnings_by_platform = {
        platform: Money._trusted(amount, pack.currency) for platform, amount in earned.items()
    }
    total_earnings = Money._trusted(sum(earned.values(), Decimal(0)), pack.currency)

    lines: list[ContributionLine] = []
    for enrolment in memberships:
        scheme = pack.schemes[enrolment.scheme]
        derivation = _base(pack, scheme, enrolment, total_earnings, on)
        for index in range(len(scheme.shares_on(on))):
            lines.extend(
                _base_share_lines(
                    pack, scheme, index, enrolment.region, derivation, earnings_by_platform, on
                )
            )
    for scheme in pack.schemes.values():
        if scheme.basis is Basis.ORDERS:
            for job in jobs:
                lines.extend(_order_lines(pack, scheme, job, premium_classes, on))
    return ContributionStatement(
        worker_id=worker.id,
        month=month,
        currency=pack.currency,
        lines=tuple(lines),
        jurisdiction=pack.code,
        reforms=pack.applied_reforms,
        earnings=total_earnings,
    )


def _checked_engagements(
    pack: RulePack, worker: Worker, engagements: Iterable[Engagement], month: Month
) -> list[Engagement]:
    jobs = list(engagements)
    for index, job in enumerate(jobs):
        if not isinstance(job, Engagement):
            raise InvalidInput(f"engagements[{index}] must be an Engagement, got {job!r}")
        if job.worker_id != worker.id:
            raise InvalidInput(
                f"{job.label} belongs to worker {job.worker_id!r}, not to {worker.id!r}"
            )
        if job.month != month:
            raise InvalidInput(f"{job.label} is for {job.month}, not for the statement's {month}")
        if job.earnings.currency != pack.currency:
            raise InvalidInput(
                f"{job.label}: earnings must be in {pack.currency}, got {job.earnings!r}"
            )
        if job.region not in pack.regions:
            pack.region(job.region)  # raises, naming the region
        pack.check_industry(job.industry, job.label)
    jobs.sort(key=lambda j: (j.platform_id, j.industry, j.region, j.earnings.amount, j.orders))
    return jobs


def _checked_enrolments(pack: RulePack, enrolments: Iterable[Enrolment]) -> list[Enrolment]:
    chosen: dict[str, Enrolment] = {}
    for index, enrolment in enumerate(enrolments):
        if not isinstance(enrolment, Enrolment):
            raise InvalidInput(f"enrolments[{index}] must be an Enrolment, got {enrolment!r}")
        scheme = pack.scheme(enrolment.scheme)
        if scheme.enrolling is Enrolling.AUTOMATIC:
            raise InvalidInput(
                f"enrolments[{index}]: {scheme.name} applies to every covered engagement "
                "and takes no enrolment"
            )
        pack.region(enrolment.region)
        if enrolment.scheme in chosen:
            raise InvalidInput(
                f"enrolments[{index}]: worker is enrolled in {enrolment.scheme} twice "
                f"({chosen[enrolment.scheme].region} and {enrolment.region}); "
                "one relation per scheme at a time"
            )
        amount = enrolment.base.amount
        if amount is not None and amount.currency != pack.currency:
            raise InvalidInput(
                f"enrolments[{index}]: declared base must be in {pack.currency}, got {amount!r}"
            )
        chosen[enrolment.scheme] = enrolment
    order = list(pack.schemes)
    return sorted(chosen.values(), key=lambda e: order.index(e.scheme))


def _checked_platforms(platforms: Iterable[Platform]) -> dict[str, Platform]:
    known: dict[str, Platform] = {}
    for index, platform in enumerate(platforms):
        if not isinstance(platform, Platform):
            raise InvalidInput(f"platforms[{index}] must be a Platform, got {platform!r}")
        if platform.id in known:
            raise InvalidInput(f"platforms[{index}]: platform {platform.id!r} is given twice")
        known[platform.id] = platform
    return known


@attrs.frozen
class _Band:
    floor: ParameterValue
    ceiling: ParameterValue


@attrs.frozen
class _Rates:
    """One share's fund rates as resolved for a region and date."""

    parameters: tuple[ParameterValue, ...]
    values: tuple[Decimal, ...]
    total: Decimal
    funds: tuple[str, ...]


@attrs.frozen
class _Premium:
    """One share's per-order premium for an industry and class, or ``None`` if not in force."""

    in_force: ParameterValue
    parameters: tuple[ParameterValue, ...]
    per_order: Money
    weights: tuple[Decimal, ...]
    funds: tuple[str, ...]


def _band(pack: RulePack, scheme: SchemeRules, region: str, on: dt.date) -> _Band:
    assert scheme.base_floor is not None
    assert scheme.base_ceiling is not None
    floor, ceiling = scheme.base_floor, scheme.base_ceiling
    return pack.memo(
        ("band", scheme.name, region, on),
        lambda: _Band(pack.value(floor, region, on), pack.value(ceiling, region, on)),
    )


def _rates(pack: RulePack, scheme: SchemeRules, index: int, region: str, on: dt.date) -> _Rates:
    def build() -> _Rates:
        share = scheme.shares_on(on)[index]
        parameters = tuple(pack.value(name, region, on) for name in share.funds.values())
        values = tuple(parameter.decimal() for parameter in parameters)
        return _Rates(parameters, values, sum(values, Decimal(0)), tuple(share.funds))

    return pack.memo(("rates", scheme.name, index, region, on), build)


def _base(
    pack: RulePack, scheme: SchemeRules, enrolment: Enrolment, earnings: Money, on: dt.date
) -> BaseDerivation:
    region = enrolment.region
    band = _band(pack, scheme, region, on)
    average_wage = None
    if enrolment.base.kind is BaseKind.GRADE:
        if scheme.average_wage is None:
            raise RuleNotFound(f"{scheme.name} has no average wage, so grade bases do not apply")
        average_wage = pack.value(scheme.average_wage, region, on)
    base = contribution_base(
        enrolment.base,
        earnings,
        band.floor.money(),
        band.ceiling.money(),
        average_wage.money() if average_wage is not None else None,
    )
    return BaseDerivation(enrolment.base, earnings, band.floor, band.ceiling, average_wage, base)


def _base_share_lines(
    pack: RulePack,
    scheme: SchemeRules,
    index: int,
    region: str,
    derivation: BaseDerivation,
    earnings_by_platform: dict[str, Money],
    on: dt.date,
) -> list[ContributionLine]:
    payer = scheme.shares_on(on)[index].payer
    rates = _rates(pack, scheme, index, region, on)
    amount = payer_amount(derivation.base, rates.values, scheme.rounding)
    if payer != "platform":
        return [
            ContributionLine(
                scheme=scheme.name,
                payer=payer,
                platform_id=None,
                region=region,
                base=derivation.base,
                rate=rates.total,
                amount=amount,
                funds=_split(amount, rates.funds, rates.values),
                derivation=Derivation(derivation, rates.parameters, scheme.rounding, amount),
            )
        ]
    if not earnings_by_platform:
        return []  # no platform worked with this month: no platform to bill
    platform_ids = list(earnings_by_platform)
    weights = [earnings_by_platform[p].amount for p in platform_ids]
    if not any(weights):
        weights = [Decimal(1)] * len(platform_ids)  # nobody earned: share equally
    parts = amount.allocate(weights) if len(weights) > 1 else (amount,)
    total_weight = sum(weights, Decimal(0))
    return [
        ContributionLine(
            scheme=scheme.name,
            payer=payer,
            platform_id=platform_id,
            region=region,
            base=derivation.base,
            rate=rates.total,
            amount=part,
            funds=_split(part, rates.funds, rates.values),
            derivation=Derivation(
                derivation,
                rates.parameters,
                scheme.rounding,
                amount,
                apportioned=(weight, total_weight),
            ),
        )
        for platform_id, weight, part in zip(platform_ids, weights, parts, strict=True)
    ]


def _split(
    amount: Money, funds: tuple[str, ...], rates: Sequence[Decimal]
) -> tuple[tuple[str, Money], ...]:
    if len(funds) == 1:
        return ((funds[0], amount),)
    if not amount or not any(rates):
        return tuple((fund, Money._trusted(Decimal(0), amount.currency)) for fund in funds)
    return tuple(zip(funds, split_exactly(amount, rates), strict=True))


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
        for template in share.funds.values():
            name = template.format(industry=industry)
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


def _order_lines(
    pack: RulePack,
    scheme: SchemeRules,
    job: Engagement,
    platforms: dict[str, Platform],
    on: dt.date,
) -> list[ContributionLine]:
    if job.orders == 0:
        return []
    platform = platforms.get(job.platform_id)
    premium_class = platform.premium_classes.get(job.industry) if platform else None
    lines = []
    for index, share in enumerate(scheme.shares_on(on)):
        try:
            premium = _premium(pack, scheme, index, job.industry, premium_class, job.region, on)
        except RuleNotFound as error:
            raise RuleNotFound(f"platform {job.platform_id!r}: {error}") from None
        if premium is None:
            continue
        amount = order_premium(job.orders, premium.per_order, scheme.rounding)
        lines.append(
            ContributionLine(
                scheme=scheme.name,
                payer=share.payer,
                platform_id=job.platform_id,
                region=job.region,
                base=None,
                rate=premium.per_order,
                amount=amount,
                funds=_split(amount, premium.funds, premium.weights),
                orders=job.orders,
                industry=job.industry,
                derivation=Derivation(
                    None,
                    premium.parameters,
                    scheme.rounding,
                    amount,
                    in_force=premium.in_force,
                    premium_class=premium_class,
                ),
            )
        )
    return lines
