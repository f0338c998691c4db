"""Base schemes' rules resolved once per region and month, and the lines computed from them.

A base scheme's band (floor and ceiling) and each payer's fund rates are the same for every
enrolled worker of a region in a month: they are resolved once and kept in the pack's memo
(``base_band``, ``share_rates``). Where every payer rounds on its own to whole minor
units (China's schemes), the rates are also kept as integers (``whole_shares``), so that
``round(base × rate)`` and the funds split by the largest remainder are integer arithmetic
on the base in minor units — the same amounts as the Decimal rules, to the digit.

``planned_lines`` is the base scheme's ``base_lines`` for the common case (a floor, ceiling or
earnings base, no fixed amount, no platforms' share) on a ``BasePlan``: one memo lookup per
line set, the same lines and explanations.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from flexsecure.calculations.fixed_amounts import fixed_amount
from flexsecure.calculations.statements import (
    BaseDerivation,
    ContributionLine,
    Derivation,
    LineDerivation,
)
from flexsecure.facts.engagements import BaseChoice, BaseKind, Enrolment
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import EACH_PAYER, RoundingRule, SchemeRules
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money, Rounding, largest_remainder, minor_unit, round_units

__all__ = [
    "BAND_KINDS",
    "BaseBand",
    "BasePlan",
    "PayerShare",
    "PlannedBase",
    "PlannedRules",
    "ShareRates",
    "WholeShares",
    "base_band",
    "base_plan",
    "planned_lines",
    "region_plan",
    "share_rates",
    "whole_amounts",
    "whole_shares",
]


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
class WholeShares:
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
    minor: Decimal
    """The currency's minor unit: ``Decimal(units) * minor`` is ``units`` minor units, as
    ``Decimal(units).scaleb(-digits)`` (the same digits and exponent, in half the time)."""
    scale: Decimal
    """``10 ** digits``: an amount times ``scale`` is the amount in minor units."""


def whole_shares(
    pack: RulePack, scheme: SchemeRules, region: str, on: dt.date
) -> WholeShares | None:
    """The integer form of the shares (memoised), or ``None`` where it does not apply: a
    rounding method other than ``each``, a unit that is not whole minor units, a negative
    rate."""

    def build() -> WholeShares | None:
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
        return WholeShares(
            tuple(shares), places, int(step), -exponent, rule.mode, minor, Decimal(10) ** -exponent
        )

    return pack.memo(("whole shares", scheme.name, region, on), build)


def whole_amounts(whole: WholeShares, units: int, currency: str) -> tuple[PayerShare, ...]:
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


BAND_KINDS = frozenset({BaseKind.EARNINGS, BaseKind.FLOOR, BaseKind.CEILING})
"""Base choices that read nothing but the band and the earnings (the planned path)."""


@attrs.frozen
class BasePlan:
    """What every enrolled worker of a base scheme in one region and month shares, resolved
    once (kept in the pack's memo): the band as cited values and in minor units, and each
    share's rates in integer form, so a worker's lines only multiply and round integers."""

    scheme: SchemeRules
    region: str
    band: BaseBand
    floor: Money
    ceiling: Money
    floor_units: int
    ceiling_units: int
    whole: WholeShares
    currency: str
    rules: PlannedRules
    at_floor: tuple[PayerShare, ...]
    """Each payer's amount and funds at the floor (and below: clipped to it)."""
    at_ceiling: tuple[PayerShare, ...]
    """Each payer's amount and funds at the ceiling (and above)."""
    denominator: int
    """What ``base × rate numerator`` is divided by: ``10 ** places × the rounding step``."""


@attrs.frozen
class PlannedRules:
    """The cited values a planned line's explanation shows: the band, each payer's rates and
    the rounding rule — the same for every worker of the plan."""

    floor: ParameterValue
    ceiling: ParameterValue
    rates: tuple[tuple[str, tuple[ParameterValue, ...]], ...]
    """(payer, its fund rates) per share."""
    rounding: RoundingRule


@attrs.frozen
class PlannedBase:
    """What a worker's lines of one planned base scheme were computed from, shared by those
    lines (one object per scheme and statement, not two per line): the plan's rules, the
    worker's base choice, their earnings and the base. It explains a line exactly as the
    :class:`~flexsecure.calculations.statements.Derivation` of the general path does, built
    when asked for."""

    rules: PlannedRules
    choice: BaseChoice
    earnings: Money
    base: Money

    def explain(self, line: ContributionLine) -> Explanation:
        """The explanation of ``line``, one of the lines this derivation computed."""
        rules, choice = self.rules, self.choice
        base = BaseDerivation(choice, self.earnings, rules.floor, rules.ceiling, None, self.base)
        rates = next(parameters for payer, parameters in rules.rates if payer == line.payer)
        return Derivation(base, rates, rules.rounding, line.amount).explain(line)


def base_plan(pack: RulePack, scheme: SchemeRules, region: str, on: dt.date) -> BasePlan | None:
    """The plan of ``scheme`` in ``region`` on ``on``; ``None`` where a fixed amount applies
    or the shares do not round on integers (:func:`base_lines` then takes the general path)."""
    if fixed_amount(pack, scheme, region, on) is not None:
        return None
    band = base_band(pack, scheme, region, on)  # resolved first, as the general path does
    whole = whole_shares(pack, scheme, region, on)
    if whole is None or any(share[0] == "platform" for share in whole.shares):
        return None  # a platforms' share is apportioned by earnings: the general path does it
    floor, ceiling = band.floor.money(), band.ceiling.money()
    if not floor.currency == ceiling.currency == pack.currency:
        return None
    units = []
    for bound in (floor, ceiling):
        scaled = bound.amount.scaleb(whole.digits)
        if scaled < 0 or scaled != scaled.to_integral_value():
            return None
        units.append(int(scaled))
    rates = tuple((payer, share.parameters) for payer, share, _, _ in whole.shares)
    rules = PlannedRules(band.floor, band.ceiling, rates, scheme.rounding)
    currency = pack.currency
    return BasePlan(
        scheme, region, band, floor, ceiling, units[0], units[1], whole, currency, rules,
        whole_amounts(whole, units[0], currency), whole_amounts(whole, units[1], currency),
        10**whole.places * whole.step,
    )  # fmt: skip


def region_plan(pack: RulePack, scheme: SchemeRules, region: str, on: dt.date) -> BasePlan | None:
    """:func:`base_plan`, kept in the pack's memo: resolved once per scheme, region and date."""
    return pack.memo(
        ("base plan", scheme.name, region, on), lambda: base_plan(pack, scheme, region, on)
    )


def planned_lines(
    plan: BasePlan,
    enrolment: Enrolment,
    earnings: Money,
    earned: int | None = None,
    derivation: LineDerivation | None = None,
) -> list[ContributionLine] | None:
    """:func:`base_lines` for a floor, ceiling or earnings base on a plan: the same lines, to
    the digit and with the same explanations; ``None`` where earnings are not whole minor
    units of the pack's currency (the general path decides). ``earned`` is ``earnings`` in
    minor units where the caller knows it already (whole, >= 0, in the pack's currency);
    ``derivation`` explains the lines as :class:`PlannedBase` would, where the caller shares
    one among several schemes' lines."""
    kind = enrolment.base.kind
    whole = plan.whole
    if kind is BaseKind.FLOOR:
        base, units = plan.floor, plan.floor_units
    elif kind is BaseKind.CEILING:
        base, units = plan.ceiling, plan.ceiling_units
    else:
        if earned is None:
            if earnings.currency != plan.currency:
                return None
            scaled = earnings.amount * whole.scale
            earned = int(scaled)
            if earned != scaled or earned < 0:
                return None
        # min(max(earnings, floor), ceiling), returning the same object it would
        base, units = earnings, earned
        if plan.floor_units > units:
            base, units = plan.floor, plan.floor_units
        if plan.ceiling_units < units:
            base, units = plan.ceiling, plan.ceiling_units
    name, region, currency = plan.scheme.name, plan.region, plan.currency
    if derivation is None:
        derivation = PlannedBase(plan.rules, enrolment.base, earnings, base)
    if units == plan.floor_units or units == plan.ceiling_units:  # computed with the plan
        return [
            ContributionLine(
                name,
                share.payer,
                None,
                region,
                base,
                share.rates.total,
                share.amount,
                share.funds,
                None,
                None,
                derivation,
            )
            for share in (plan.at_floor if units == plan.floor_units else plan.at_ceiling)
        ]
    step, minor, mode, denominator = whole.step, whole.minor, whole.mode, plan.denominator
    lines: list[ContributionLine] = []
    for payer, rates, numerator, weights in whole.shares:
        amount = round_units(units * numerator, denominator, mode) * step
        money = Money.unchecked(Decimal(amount) * minor, currency)
        funds: tuple[tuple[str, Money], ...]
        if len(weights) == 1:
            funds = ((rates.funds[0], money),)
        elif not amount or not any(weights):
            zero = Money.unchecked(Decimal(0), currency)
            funds = tuple((fund, zero) for fund in rates.funds)
        else:  # the names and the parts are as many as the weights
            parts = largest_remainder(amount, weights)
            funds = tuple(
                [
                    (fund, Money.unchecked(Decimal(part) * minor, currency))
                    for fund, part in zip(rates.funds, parts, strict=False)
                ]
            )
        lines.append(
            ContributionLine(
                name, payer, None, region, base, rates.total, money, funds, None, None, derivation
            )
        )
    return lines
