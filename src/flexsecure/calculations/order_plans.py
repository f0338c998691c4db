"""Per-order premiums resolved once per industry, region and month, and the lines computed
from them.

Every engagement of one industry, platform identity and premium class in one region and month
pays the same premium per order, or owes nothing for the same reason: ``order_plan`` resolves
that once (``in_force_value``, ``platform_coverage``, ``premium_of``) into an ``OrderPlan``
kept in the pack's memo. Where every payer rounds on its own to whole minor units
(``whole_rounding``), ``whole_lines`` computes an engagement's lines on integers — the same
amounts, to the digit, as ``order_premium`` and the funds split — and the plan keeps each
order count's amounts and each platform's and order count's lines, since many engagements
carry the same number of orders.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from flexsecure.calculations.statements import ContributionLine, Derivation
from flexsecure.facts.engagements import Engagement
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import (
    ALL_PLATFORMS,
    EACH_PAYER,
    STANDARD_CLASS,
    RoundingRule,
    SchemeRules,
    Share,
)
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money, largest_remainder, minor_unit, round_units

__all__ = [
    "Coverage",
    "OrderPlan",
    "PlannedOrders",
    "Premium",
    "PremiumAmounts",
    "in_force_value",
    "order_plan",
    "platform_coverage",
    "premium_of",
    "premium_values",
    "whole_lines",
    "whole_rounding",
]

PremiumAmounts = tuple[tuple[str, Money, Money, tuple[tuple[str, Money], ...]], ...]
"""Per payer share: the payer, its premium per order, its amount and that amount's funds."""

_KEPT = 4096
"""Order counts (and platforms and order counts) whose amounts (and lines) a plan keeps: a
bound, so that a long-running service never grows."""


@attrs.frozen
class Premium:
    """One share's per-order premium for an industry and class."""

    parameters: tuple[ParameterValue, ...]
    per_order: Money
    weights: tuple[Decimal, ...]
    funds: tuple[str, ...]
    whole: tuple[int, tuple[int, ...], int] | None = None
    """The premium per order and each fund's part as integers over ``10 ** places``, with
    ``places`` — for rounding on integers; ``None`` where that does not apply."""


def in_force_value(
    pack: RulePack, scheme: SchemeRules, region: str, on: dt.date
) -> ParameterValue | None:
    """The ``in_force`` value for ``region`` on ``on``; ``None`` before the region's first date."""

    def build() -> ParameterValue | None:
        assert scheme.in_force is not None
        parameter = pack.parameter(scheme.in_force)
        if not parameter.has_region(region):
            raise RuleNotFound(
                f"{scheme.in_force} says nothing about {region}: the pack must state when "
                f"{scheme.name} is in force there"
            )
        try:
            return parameter.at(region, on)
        except RuleNotFound:
            return None  # before the region's first date: the scheme did not exist yet

    return pack.memo(("in_force", scheme.name, region, on), build)


def premium_values(
    pack: RulePack, share: Share, industry: str, premium_class: str, region: str,
    on: dt.date,
) -> list[ParameterValue]:  # fmt: skip
    """The premium per order that each of ``share``'s funds takes for ``industry`` in
    ``premium_class`` (a class other than the standard one reads ``<parameter>.<class>``), in
    ``region`` on ``on``; RuleNotFound where the pack has no such parameter or value. The one
    lookup of premiums, for the per-object path and the batch engine alike."""
    values = []
    for fund in share.funds:
        name = share.parameter_for(fund, industry)
        if premium_class != STANDARD_CLASS:
            name = f"{name}.{premium_class}"
            if name not in pack.parameters:
                raise RuleNotFound(
                    f"premium class {premium_class!r} for {industry}: the "
                    f"{pack.code} pack has no parameter {name}"
                )
        values.append(pack.value(name, region, on))
    return values


def premium_of(
    pack: RulePack, scheme: SchemeRules, index: int, industry: str, premium_class: str,
    region: str, on: dt.date,
) -> Premium:  # fmt: skip
    def build() -> Premium:
        share = scheme.shares_on(on)[index]
        parameters = premium_values(pack, share, industry, premium_class, region, on)
        weights = tuple(parameter.money().amount for parameter in parameters)
        per_order = Money(sum(weights, Decimal(0)), pack.currency)
        whole = None
        if all(weight >= 0 for weight in weights):
            places = max(0, *(-int(w.as_tuple().exponent) for w in weights))
            parts = tuple(int(weight.scaleb(places)) for weight in weights)
            whole = (sum(parts), parts, places)
        return Premium(tuple(parameters), per_order, weights, tuple(share.funds), whole)

    key = ("premium", scheme.name, index, industry, premium_class, region, on)
    return pack.memo(key, build)


@attrs.frozen
class Coverage:
    """Whether a platform is covered, the list that says so, and how it was decided."""

    covered: bool
    rule: ParameterValue | None
    how: str
    """``listed``, ``all_platforms``, ``not_identified`` or ``not_listed``."""


def platform_coverage(
    pack: RulePack, scheme: SchemeRules, key: str | None, region: str, on: dt.date
) -> Coverage:
    if scheme.covered_platforms is None:
        return Coverage(True, None, "all_platforms")
    rule = pack.memo(
        ("covered", scheme.name, region, on),
        lambda: pack.value(scheme.covered_platforms or "", region, on),
    )
    names = rule.names()
    if ALL_PLATFORMS in names:
        return Coverage(True, rule, "all_platforms")
    if key is None:
        return Coverage(True, rule, "not_identified")
    return Coverage(key in names, rule, "listed" if key in names else "not_listed")


@attrs.frozen
class OrderPlan:
    """What every engagement of one industry, platform identity and premium class in one
    region and month pays per order, or the note saying why it pays nothing: resolved once
    and kept in the pack's memo, so an engagement only multiplies by its orders."""

    in_force: ParameterValue | None
    coverage: Coverage | None
    class_rule: ParameterValue | None
    premium_class: str
    premiums: tuple[tuple[str, Premium], ...]
    reason: str | None
    """``not_in_force`` or ``platform_not_covered`` when the orders owe nothing."""
    whole: tuple[int, int] | None = None
    """(currency decimals, rounding unit in minor units) where every payer rounds on its own
    to whole minor units and every premium is in integer form; ``None`` otherwise."""
    derivation: PlannedOrders | None = None
    """What every line of the plan was computed from, shared by those lines."""
    amounts: dict[int, PremiumAmounts] = attrs.field(factory=dict, eq=False, repr=False)
    """Each order count's amounts, computed once (see ``whole_lines``): a cache."""
    lines: dict[tuple[str, int], tuple[ContributionLine, ...]] = attrs.field(
        factory=dict, eq=False, repr=False
    )
    """Each platform's and order count's lines, built once (see ``whole_lines``): a cache."""


@attrs.frozen
class PlannedOrders:
    """The cited values behind the premium lines of one plan, shared by all of them: it
    explains a line exactly as a :class:`~flexsecure.calculations.statements.Derivation` of
    that line would, built when asked for."""

    rates: tuple[tuple[str, tuple[ParameterValue, ...]], ...]
    """(payer, the parameters of its premium) per share."""
    rounding: RoundingRule
    in_force: ParameterValue
    premium_class: str | None
    class_rule: ParameterValue | None
    covered: ParameterValue | None
    coverage: str | None

    def explain(self, line: ContributionLine) -> Explanation:
        """The explanation of ``line``, one of the lines of this plan."""
        rates = next(parameters for payer, parameters in self.rates if payer == line.payer)
        derivation = Derivation(
            None, rates, self.rounding, line.amount, in_force=self.in_force,
            premium_class=self.premium_class, class_rule=self.class_rule, covered=self.covered,
            coverage=self.coverage,
        )  # fmt: skip
        return derivation.explain(line)


def order_plan(
    pack: RulePack,
    scheme: SchemeRules,
    industry: str,
    region: str,
    key: str | None,
    assigned: str | None,
    on: dt.date,
) -> OrderPlan:
    def build() -> OrderPlan:
        in_force = in_force_value(pack, scheme, region, on)
        if in_force is None or not in_force.flag():
            return OrderPlan(in_force, None, None, STANDARD_CLASS, (), "not_in_force")
        coverage = platform_coverage(pack, scheme, key, region, on)
        if not coverage.covered:
            return OrderPlan(in_force, coverage, None, STANDARD_CLASS, (), "platform_not_covered")
        class_rule: ParameterValue | None = None
        if assigned is None and scheme.premium_class is not None:
            class_rule = pack.value(scheme.premium_class, region, on)
            premium_class = class_rule.text()
        else:
            premium_class = assigned or STANDARD_CLASS
        premiums = tuple(
            (share.payer, premium_of(pack, scheme, i, industry, premium_class, region, on))
            for i, share in enumerate(scheme.shares_on(on))
        )
        whole = whole_rounding(pack, scheme)
        if any(premium.whole is None for _, premium in premiums):
            whole = None
        derivation = PlannedOrders(
            tuple((payer, premium.parameters) for payer, premium in premiums),
            scheme.rounding,
            in_force,
            premium_class if assigned or class_rule else None,
            class_rule,
            coverage.rule,
            coverage.how if coverage.rule is not None else None,
        )
        return OrderPlan(
            in_force, coverage, class_rule, premium_class, premiums, None, whole, derivation
        )

    return pack.memo(("plan", scheme.name, industry, region, key, assigned, on), build)


def whole_lines(
    currency: str,
    scheme: SchemeRules,
    plan: OrderPlan,
    job: Engagement,
    lines: list[ContributionLine] | None = None,
) -> list[ContributionLine]:
    """The premium lines of ``job`` on integers (appended to ``lines`` if given, which is
    returned): each payer's ``round(orders × premium)`` and its funds split, what
    :func:`~flexsecure.calculations.order_schemes.order_premium` and the funds split give, to
    the digit, where every payer rounds on its own to whole minor units.

    The lines share the plan's derivation, so they depend on nothing but the plan, the
    platform and the orders: the plan keeps them per platform and order count (a platform's
    engagements with the same number of orders share their lines, which are immutable), and
    the amounts per order count."""
    orders = job.orders
    key = (job.platform_id, orders)
    kept = plan.lines.get(key)
    if kept is None:
        amounts = plan.amounts.get(orders)
        if amounts is None:
            amounts = _whole_amounts(currency, scheme, plan, orders)
            if len(plan.amounts) >= _KEPT:
                plan.amounts.clear()
            plan.amounts[orders] = amounts
        name, platform_id, region, industry = scheme.name, job.platform_id, job.region, job.industry
        derivation = plan.derivation
        kept = tuple(
            [
                ContributionLine(
                    name, payer, platform_id, region, None, per_order, money, funds, orders,
                    industry, derivation,
                )
                for payer, per_order, money, funds in amounts
            ]
        )  # fmt: skip
        if len(plan.lines) >= _KEPT:
            plan.lines.clear()
        plan.lines[key] = kept
    if lines is None:
        return list(kept)
    lines.extend(kept)
    return lines


def _whole_amounts(
    currency: str, scheme: SchemeRules, plan: OrderPlan, orders: int
) -> PremiumAmounts:
    assert plan.whole is not None
    digits, step = plan.whole
    mode = scheme.rounding.mode
    result = []
    for payer, premium in plan.premiums:
        assert premium.whole is not None
        numerator, weights, places = premium.whole
        amount = round_units(orders * numerator * 10**digits, 10**places * step, mode) * step
        money = Money.unchecked(Decimal(amount).scaleb(-digits), currency)
        funds: tuple[tuple[str, Money], ...]
        if len(weights) == 1:
            funds = ((premium.funds[0], money),)
        elif not amount or not any(weights):
            zero = Money.unchecked(Decimal(0), currency)
            funds = tuple((fund, zero) for fund in premium.funds)
        else:
            funds = tuple(
                (fund, Money.unchecked(Decimal(part).scaleb(-digits), currency))
                for fund, part in zip(
                    premium.funds, largest_remainder(amount, weights), strict=True
                )
            )
        result.append((payer, premium.per_order, money, funds))
    return tuple(result)


def whole_rounding(pack: RulePack, scheme: SchemeRules) -> tuple[int, int] | None:
    """(currency decimals, rounding unit in minor units) when each payer rounds on its own
    to whole minor units (memoised); ``None`` otherwise."""

    def build() -> tuple[int, int] | None:
        minor = minor_unit(pack.currency)
        step = scheme.rounding.unit / minor
        if scheme.rounding.method != EACH_PAYER or step != step.to_integral_value() or step < 1:
            return None
        digits = minor.as_tuple().exponent
        assert isinstance(digits, int)
        return -digits, int(step)

    return pack.memo(("whole rounding", scheme.name), build)
