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

import attrs

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
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import BASE, EACH_PAYER, RoundingRule, SchemeRules
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import (
    Money,
    Rounding,
    largest_remainder,
    minor_unit,
    round_units,
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


@attrs.frozen
class BaseBand:
    """A region's base floor and ceiling on a date, as cited parameter values."""

    floor: ParameterValue
    ceiling: ParameterValue


@attrs.frozen
class ShareRates:
    """One share's fund rates as resolved for a region and date."""

    parameters: tuple[ParameterValue, ...]
    values: tuple[Decimal, ...]
    total: Decimal
    funds: tuple[str, ...]


def base_band(pack: RulePack, scheme: SchemeRules, region: str, on: dt.date) -> BaseBand:
    """The base floor and ceiling of ``scheme`` in ``region`` on ``on`` (memoised)."""
    assert scheme.base_floor is not None
    assert scheme.base_ceiling is not None
    floor, ceiling = scheme.base_floor, scheme.base_ceiling
    return pack.memo(
        ("band", scheme.name, region, on),
        lambda: BaseBand(pack.value(floor, region, on), pack.value(ceiling, region, on)),
    )


def share_rates(
    pack: RulePack, scheme: SchemeRules, index: int, region: str, on: dt.date
) -> ShareRates:
    """The fund rates of the ``index``-th payer share of ``scheme`` in force on ``on``
    (memoised; a reform may change the shares from its own date)."""

    def build() -> ShareRates:
        share = scheme.shares_on(on)[index]
        parameters = tuple(pack.value(name, region, on) for name in share.funds.values())
        values = tuple(parameter.decimal() for parameter in parameters)
        return ShareRates(parameters, values, sum(values, Decimal(0)), tuple(share.funds))

    return pack.memo(("rates", scheme.name, index, region, on), build)


@attrs.frozen
class PayerShare:
    """One payer's share at one base: its resolved rates, its amount and that amount's split
    over the funds. Every worker on the same base shares it, so it is computed once per
    (scheme, region, date, base) and kept in the pack's memo."""

    payer: str
    rates: ShareRates
    amount: Money
    funds: tuple[tuple[str, Money], ...]


@attrs.frozen
class _WholeShares:
    """A base scheme's shares in a region on a date as integers, for rounding each payer on
    its own by a unit of whole minor units: per share the payer, its rates, the numerator of
    its total rate and of each fund's rate over ``10 ** places``."""

    shares: tuple[tuple[str, ShareRates, int, tuple[int, ...]], ...]
    places: int
    step: int
    """The rounding unit in minor units."""
    digits: int
    """The currency's decimal places."""
    mode: Rounding


def _whole_shares(
    pack: RulePack, scheme: SchemeRules, region: str, on: dt.date
) -> _WholeShares | None:
    """The integer form of the shares (memoised), or ``None`` where it does not apply: a
    rounding method other than ``each``, a unit that is not whole minor units, a negative
    rate."""

    def build() -> _WholeShares | None:
        rule = scheme.rounding
        minor = minor_unit(pack.currency)
        step = rule.unit / minor
        if rule.method != EACH_PAYER or step != step.to_integral_value() or step < 1:
            return None
        resolved = [
            share_rates(pack, scheme, index, region, on)
            for index in range(len(scheme.shares_on(on)))
        ]
        places = 0
        for rates in resolved:
            for value in rates.values:
                exponent = value.as_tuple().exponent
                assert isinstance(exponent, int)
                places = max(places, -exponent)
                if value < 0:
                    return None
        shares = []
        for share, rates in zip(scheme.shares_on(on), resolved, strict=True):
            weights = tuple(int(value.scaleb(places)) for value in rates.values)
            shares.append((share.payer, rates, sum(weights), weights))
        exponent = minor.as_tuple().exponent
        assert isinstance(exponent, int)
        return _WholeShares(tuple(shares), places, int(step), -exponent, rule.mode)

    return pack.memo(("whole shares", scheme.name, region, on), build)


def _whole_amounts(whole: _WholeShares, units: int, currency: str) -> tuple[PayerShare, ...]:
    """:func:`payer_amounts` on integers: ``round(base × rate)`` by the rule's mode to its
    unit, split over the funds by the largest remainder — the same amounts, to the digit."""
    denominator = 10**whole.places * whole.step
    result = []
    for payer, rates, numerator, weights in whole.shares:
        amount = round_units(units * numerator, denominator, whole.mode) * whole.step
        money = Money.unchecked(Decimal(amount).scaleb(-whole.digits), currency)
        funds: tuple[tuple[str, Money], ...]
        if len(weights) == 1:
            funds = ((rates.funds[0], money),)
        elif not amount or not any(weights):
            zero = Money.unchecked(Decimal(0), currency)
            funds = tuple((fund, zero) for fund in rates.funds)
        else:
            parts = largest_remainder(amount, weights)
            funds = tuple(
                (fund, Money.unchecked(Decimal(part).scaleb(-whole.digits), currency))
                for fund, part in zip(rates.funds, parts, strict=True)
            )
        result.append(PayerShare(payer, rates, money, funds))
    return tuple(result)


def payer_amounts(
    pack: RulePack, scheme: SchemeRules, region: str, on: dt.date, base: Money
) -> tuple[PayerShare, ...]:
    """Each share's resolved rates and amount, all payers rounded together by the rule.

    Where every payer rounds on its own to whole minor units (China's schemes), this is
    integer arithmetic on the base in minor units, resolved rules kept per region and date;
    other rounding methods (Singapore's) round the exact amounts together, kept per base.
    """
    whole = _whole_shares(pack, scheme, region, on)
    if whole is not None and base.currency == pack.currency and base.amount >= 0:
        units = base.amount.scaleb(whole.digits)
        if units == units.to_integral_value():
            return _whole_amounts(whole, int(units), base.currency)

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
