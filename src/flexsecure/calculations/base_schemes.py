"""The ``base`` basis: a rate times the contribution base the enrolled worker chose.

* :func:`contribution_base` — an enrolled worker's base is their choice (floor, ceiling, the
  month's earnings over all platforms, a grade of the average wage, or a declared amount),
  clipped to the region's band. China's flexible employees choose a base between 60 % and
  300 % of the provincial average wage (国办发〔2019〕13号), published per region as a floor
  and a ceiling (pack: ``pension.base_floor`` / ``pension.base_ceiling``).
* :func:`payer_amount` — each payer pays its rates (one per fund) times the base, rounded by
  the scheme's rule, then split over the funds exactly (《社会保险法》 Art. 12: pooled fund and
  individual account). A platforms' share is apportioned among that month's platforms in
  proportion to their earnings, with :meth:`~flexsecure.values.money.Money.allocate`.
* :func:`fixed_amount` — where the scheme's ``fixed_amount`` parameter has a value for the
  region, the scheme's one payer pays that monthly amount instead (a flat premium some cities
  set for flexible employees' medical insurance); its line has no base, its ``rate`` is the
  amount, and its explanation cites the parameter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from flexsecure.calculations.base_plans import (
    BAND_KINDS,
    BaseBand,
    PayerShare,
    ShareRates,
    base_band,
    planned_lines,
    region_plan,
    share_rates,
    whole_amounts,
    whole_shares,
)
from flexsecure.calculations.bases import WorkerMonth, register_basis
from flexsecure.calculations.fixed_amounts import fixed_amount, fixed_lines, fixed_share
from flexsecure.calculations.funds import split_funds
from flexsecure.calculations.rounding import round_payers
from flexsecure.calculations.statements import (
    BaseDerivation,
    ContributionLine,
    Derivation,
)
from flexsecure.facts.engagements import BaseChoice, BaseKind, Enrolment
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import BASE, RoundingRule, SchemeRules
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import (
    Money,
)

__all__ = [
    "BaseBand",
    "PayerShare",
    "ShareRates",
    "base_band",
    "base_lines",
    "contribution_base",
    "fund_amounts",
    "payer_amount",
    "payer_amounts",
    "share_rates",
    "split_funds",
]


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
    kind = choice.kind
    if kind is BaseKind.FLOOR:
        return floor
    if kind is BaseKind.CEILING:
        return ceiling
    if kind is BaseKind.EARNINGS:
        wanted = earnings
    elif kind is BaseKind.GRADE:
        if average_wage is None:
            raise RuleNotFound("a grade base needs the region's average wage")
        assert choice.fraction is not None
        wanted = (average_wage * choice.fraction).quantize()  # a base is whole fen
    else:
        assert choice.amount is not None
        wanted = choice.amount
    if not wanted.currency == floor.currency == ceiling.currency:
        return min(max(wanted, floor), ceiling)  # raises, naming the currencies
    # min(max(wanted, floor), ceiling) on the amounts, returning the same object it would
    clipped = floor if floor.amount > wanted.amount else wanted
    return ceiling if ceiling.amount < clipped.amount else clipped


def payer_amount(base: Money, rates: Sequence[Decimal], rounding: RoundingRule) -> Money:
    """One payer's contribution on its own: the sum of its fund rates times the base, rounded
    by the rule's mode and unit."""
    return rounding.apply(base * sum(rates, Decimal(0)))


def payer_amounts(
    pack: RulePack, scheme: SchemeRules, region: str, on: dt.date, base: Money
) -> tuple[PayerShare, ...]:
    """Each share's resolved rates and amount, all payers rounded together by the rule.

    Where every payer rounds on its own to whole minor units (China's schemes), this is
    integer arithmetic on the base in minor units, resolved rules kept per region and date;
    other rounding methods (Singapore's) round the exact amounts together, kept per base.
    """
    whole = whole_shares(pack, scheme, region, on)
    if whole is not None and base.currency == pack.currency and base.amount >= 0:
        units = base.amount.scaleb(whole.digits)
        if units == units.to_integral_value():
            return whole_amounts(whole, int(units), base.currency)

    def build() -> tuple[PayerShare, ...]:
        shares = scheme.shares_on(on)  # a reform may change who pays from its own date
        resolved = [share_rates(pack, scheme, index, region, on) for index in range(len(shares))]
        exact = {
            share.payer: base * rates.total for share, rates in zip(shares, resolved, strict=True)
        }
        rounded = round_payers(exact, scheme.rounding)
        return tuple(
            PayerShare(
                share.payer,
                rates,
                rounded[share.payer],
                split_funds(rounded[share.payer], rates.funds, rates.values),
            )
            for share, rates in zip(shares, resolved, strict=True)
        )

    return pack.memo(("shares", scheme.name, region, on, base.amount), build)


def fund_amounts(
    pack: RulePack, scheme_name: str, region: str, on: dt.date, base: Money
) -> tuple[tuple[str, Money], ...]:
    """What one month at ``base`` puts into each fund of a base scheme, all payers together.

    The same rules as a statement line — each payer's rates times the base, rounded by the
    scheme's rule, split over the funds exactly — summed per fund; where the scheme charges
    a fixed amount, that amount's split (the base is not used). Used to project months that
    have not happened yet.
    """
    scheme = pack.scheme(scheme_name)
    if scheme.basis != BASE:
        raise InvalidInput(f"{scheme_name} is not paid on a contribution base")
    fixed = fixed_amount(pack, scheme, region, on)
    if fixed is not None:
        return fixed_share(pack, scheme, region, on, fixed).funds
    totals: dict[str, Decimal] = {fund: Decimal(0) for fund in scheme.funds}
    for share in payer_amounts(pack, scheme, region, on, base):
        for fund, part in share.funds:
            totals[fund] += part.amount
    return tuple((fund, Money.unchecked(total, base.currency)) for fund, total in totals.items())


def _base(
    pack: RulePack, scheme: SchemeRules, enrolment: Enrolment, earnings: Money, on: dt.date
) -> BaseDerivation:
    region = enrolment.region
    band = base_band(pack, scheme, region, on)
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


def base_lines(month: WorkerMonth, scheme: SchemeRules) -> list[ContributionLine]:
    """The lines of an enrolled worker's base scheme: one per payer, a platforms' share
    apportioned among the month's platforms by their earnings. No enrolment, no lines."""
    enrolment = month.enrolment(scheme.name)
    if enrolment is None:
        return []
    pack, region, on = month.pack, enrolment.region, month.on
    if enrolment.base.kind in BAND_KINDS:
        plan = region_plan(pack, scheme, region, on)
        if plan is not None:
            planned = planned_lines(plan, enrolment, month.earnings)
            if planned is not None:
                return planned
    fixed = fixed_amount(pack, scheme, region, on)
    if fixed is not None:
        flat = fixed_share(pack, scheme, region, on, fixed)
        return fixed_lines(scheme, flat, region, month.earnings_by_platform)
    derivation = _base(pack, scheme, enrolment, month.earnings, on)
    lines: list[ContributionLine] = []
    for share in payer_amounts(pack, scheme, region, on, derivation.base):
        lines.extend(_share_lines(scheme, share, region, derivation, month.earnings_by_platform))
    return lines


def _share_lines(
    scheme: SchemeRules,
    share: PayerShare,
    region: str,
    derivation: BaseDerivation,
    earnings: Mapping[str, Money],
) -> list[ContributionLine]:
    payer, rates, amount = share.payer, share.rates, share.amount
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
                funds=share.funds,
                derivation=Derivation(derivation, rates.parameters, scheme.rounding, amount),
            )
        ]
    if not earnings:
        return []  # no platform worked with this month: no platform to bill
    platform_ids = list(earnings)
    weights = [earnings[p].amount for p in platform_ids]
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
            funds=split_funds(part, rates.funds, rates.values),
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


register_basis(BASE, base_lines)
