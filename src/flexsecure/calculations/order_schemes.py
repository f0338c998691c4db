"""The ``orders`` basis: a premium per order, paid by the platform for its own orders.

China's occupational-injury protection for platform workers (人社部发〔2025〕24号) is one such
scheme: in regions where it is in force, each covered platform pays a premium per order for
every order of its engagements, with no enrolment. Three questions decide an engagement's line,
each answered by a parameter the pack's ``[scheme]`` names:

* ``in_force`` (flag): is the scheme in force in the engagement's region on that date?
* ``covered_platforms`` (names, optional): is the platform covered there then? The value lists
  registry keys of the pack's ``[platforms]``, or ``all``. A platform the caller did not
  identify (no :attr:`~flexsecure.facts.engagements.Platform.registry_key`) counts as covered,
  which is how every platform was billed before platforms were named; its line says so.
* ``premium_class`` (name, optional): which premium a platform pays when the caller assigned
  it no class. A class other than ``standard`` pays ``<share parameter>.<class>``.

Work that fails the first two has no line but a
:class:`~flexsecure.calculations.statements.StatementNote` on the statement, citing the
parameter that decided it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from flexsecure.calculations.bases import BasisResult, WorkerMonth, register_basis
from flexsecure.calculations.funds import split_funds
from flexsecure.calculations.rounding import round_payers
from flexsecure.calculations.statements import ContributionLine, Derivation, StatementNote
from flexsecure.facts.engagements import Engagement, Platform
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import (
    ALL_PLATFORMS,
    EACH_PAYER,
    ORDERS,
    STANDARD_CLASS,
    RoundingRule,
    SchemeRules,
)
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money, largest_remainder, minor_unit, round_units

__all__ = ["engagement_lines", "order_lines", "order_premium"]


def order_premium(orders: int, premium: Money, rounding: RoundingRule) -> Money:
    """The platform's injury premium for one engagement: orders × premium per order."""
    return rounding.apply(premium * orders)


@attrs.frozen
class _Premium:
    """One share's per-order premium for an industry and class."""

    parameters: tuple[ParameterValue, ...]
    per_order: Money
    weights: tuple[Decimal, ...]
    funds: tuple[str, ...]
    whole: tuple[int, tuple[int, ...], int] | None = None
    """The premium per order and each fund's part as integers over ``10 ** places``, with
    ``places`` — for rounding on integers; ``None`` where that does not apply."""


def _in_force(
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


def _premium(
    pack: RulePack, scheme: SchemeRules, index: int, industry: str, premium_class: str,
    region: str, on: dt.date,
) -> _Premium:  # fmt: skip
    def build() -> _Premium:
        share = scheme.shares_on(on)[index]
        parameters = []
        for fund in share.funds:
            name = share.parameter_for(fund, industry)
            if premium_class != STANDARD_CLASS:
                name = f"{name}.{premium_class}"
                if name not in pack.parameters:
                    raise RuleNotFound(
                        f"premium class {premium_class!r} for {industry}: the "
                        f"{pack.code} pack has no parameter {name}"
                    )
            parameters.append(pack.value(name, region, on))
        weights = tuple(parameter.money().amount for parameter in parameters)
        per_order = Money(sum(weights, Decimal(0)), pack.currency)
        whole = None
        if all(weight >= 0 for weight in weights):
            places = max(0, *(-int(w.as_tuple().exponent) for w in weights))
            parts = tuple(int(weight.scaleb(places)) for weight in weights)
            whole = (sum(parts), parts, places)
        return _Premium(tuple(parameters), per_order, weights, tuple(share.funds), whole)

    key = ("premium", scheme.name, index, industry, premium_class, region, on)
    return pack.memo(key, build)


def order_lines(month: WorkerMonth, scheme: SchemeRules) -> BasisResult:
    """The premium lines of every engagement of the month with orders, in engagement order,
    and a note for each engagement with orders that owes none."""
    lines: list[ContributionLine] = []
    notes: list[StatementNote] = []
    pack, on, platforms = month.pack, month.on, month.platforms
    for job in month.engagements:
        if job.orders == 0:
            continue
        platform = platforms.get(job.platform_id) if platforms else None
        try:
            if platform is None:  # not identified: the plan of its industry and region
                plan = _plan(pack, scheme, job.industry, job.region, None, None, on)
                if plan.reason is None and plan.whole is not None:
                    lines.extend(_whole_lines(pack.currency, scheme, plan, job))
                    continue
            result = _engagement(pack, scheme, job, platform, on)
        except RuleNotFound as error:
            raise RuleNotFound(f"platform {job.platform_id!r}: {error}") from None
        if isinstance(result, StatementNote):
            notes.append(result)
        else:
            lines.extend(result)
    return BasisResult(tuple(lines), tuple(notes))


@attrs.frozen
class _Coverage:
    """Whether a platform is covered, the list that says so, and how it was decided."""

    covered: bool
    rule: ParameterValue | None
    how: str
    """``listed``, ``all_platforms``, ``not_identified`` or ``not_listed``."""


def _coverage(
    pack: RulePack, scheme: SchemeRules, key: str | None, region: str, on: dt.date
) -> _Coverage:
    if scheme.covered_platforms is None:
        return _Coverage(True, None, "all_platforms")
    rule = pack.memo(
        ("covered", scheme.name, region, on),
        lambda: pack.value(scheme.covered_platforms or "", region, on),
    )
    names = rule.names()
    if ALL_PLATFORMS in names:
        return _Coverage(True, rule, "all_platforms")
    if key is None:
        return _Coverage(True, rule, "not_identified")
    return _Coverage(key in names, rule, "listed" if key in names else "not_listed")


def _note(
    scheme: SchemeRules, job: Engagement, reason: str, rules: tuple[ParameterValue, ...],
    on: dt.date, **details: str | None,
) -> StatementNote:  # fmt: skip
    return StatementNote(
        scheme=scheme.name,
        reason=reason,
        platform_id=job.platform_id,
        region=job.region,
        industry=job.industry,
        orders=job.orders,
        rules=rules,
        details=(("on", on), *details.items()),
    )


@attrs.frozen
class _Plan:
    """What every engagement of one industry, platform identity and premium class in one
    region and month pays per order, or the note saying why it pays nothing: resolved once
    and kept in the pack's memo, so an engagement only multiplies by its orders."""

    in_force: ParameterValue | None
    coverage: _Coverage | None
    class_rule: ParameterValue | None
    premium_class: str
    premiums: tuple[tuple[str, _Premium], ...]
    reason: str | None
    """``not_in_force`` or ``platform_not_covered`` when the orders owe nothing."""
    whole: tuple[int, int] | None = None
    """(currency decimals, rounding unit in minor units) where every payer rounds on its own
    to whole minor units and every premium is in integer form; ``None`` otherwise."""
    derivation: _PlannedOrders | None = None
    """What every line of the plan was computed from, shared by those lines."""


@attrs.frozen
class _PlannedOrders:
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


def _plan(
    pack: RulePack,
    scheme: SchemeRules,
    industry: str,
    region: str,
    key: str | None,
    assigned: str | None,
    on: dt.date,
) -> _Plan:
    def build() -> _Plan:
        in_force = _in_force(pack, scheme, region, on)
        if in_force is None or not in_force.flag():
            return _Plan(in_force, None, None, STANDARD_CLASS, (), "not_in_force")
        coverage = _coverage(pack, scheme, key, region, on)
        if not coverage.covered:
            return _Plan(in_force, coverage, None, STANDARD_CLASS, (), "platform_not_covered")
        class_rule: ParameterValue | None = None
        if assigned is None and scheme.premium_class is not None:
            class_rule = pack.value(scheme.premium_class, region, on)
            premium_class = class_rule.text()
        else:
            premium_class = assigned or STANDARD_CLASS
        premiums = tuple(
            (share.payer, _premium(pack, scheme, i, industry, premium_class, region, on))
            for i, share in enumerate(scheme.shares_on(on))
        )
        whole = _whole_rounding(pack, scheme)
        if any(premium.whole is None for _, premium in premiums):
            whole = None
        derivation = _PlannedOrders(
            tuple((payer, premium.parameters) for payer, premium in premiums),
            scheme.rounding,
            in_force,
            premium_class if assigned or class_rule else None,
            class_rule,
            coverage.rule,
            coverage.how if coverage.rule is not None else None,
        )
        return _Plan(
            in_force, coverage, class_rule, premium_class, premiums, None, whole, derivation
        )

    return pack.memo(("plan", scheme.name, industry, region, key, assigned, on), build)


def engagement_lines(
    pack: RulePack, scheme: SchemeRules, job: Engagement, platform: Platform | None, on: dt.date
) -> list[ContributionLine]:
    """The premium lines of one engagement (none when its orders owe nothing): one per payer
    share, rounded together. For checking lines read from outside against the rules."""
    if job.orders == 0:
        return []
    result = _engagement(pack, scheme, job, platform, on)
    return [] if isinstance(result, StatementNote) else result


def _engagement(
    pack: RulePack, scheme: SchemeRules, job: Engagement, platform: Platform | None, on: dt.date
) -> list[ContributionLine] | StatementNote:
    key = platform.registry_key if platform is not None else None
    assigned = None
    if platform is not None:
        region = pack.regions[job.region]
        regions = (region.code,) if region.parent is None else (region.code, region.parent)
        assigned = platform.premium_class(job.industry, regions)
    plan = _plan(pack, scheme, job.industry, job.region, key, assigned, on)
    if plan.reason == "not_in_force":
        return _note(
            scheme, job, plan.reason, () if plan.in_force is None else (plan.in_force,), on
        )
    in_force, coverage = plan.in_force, plan.coverage
    assert in_force is not None
    assert coverage is not None
    if plan.reason == "platform_not_covered":
        assert coverage.rule is not None
        assert key is not None
        listed = pack.platforms.get(key)
        return _note(
            scheme, job, "platform_not_covered", (in_force, coverage.rule), on,
            registry_key=key, platform_name=listed.name(pack.locale) if listed else None,
        )  # fmt: skip
    if plan.whole is not None:
        return _whole_lines(pack.currency, scheme, plan, job)
    rounded = round_payers(
        {payer: premium.per_order * job.orders for payer, premium in plan.premiums},
        scheme.rounding,
    )
    amounts = {
        payer: (rounded[payer], split_funds(rounded[payer], premium.funds, premium.weights))
        for payer, premium in plan.premiums
    }
    shown_class = plan.premium_class if assigned or plan.class_rule else None
    return [
        ContributionLine(
            scheme=scheme.name,
            payer=payer,
            platform_id=job.platform_id,
            region=job.region,
            base=None,
            rate=premium.per_order,
            amount=amounts[payer][0],
            funds=amounts[payer][1],
            orders=job.orders,
            industry=job.industry,
            derivation=Derivation(
                None,
                premium.parameters,
                scheme.rounding,
                amounts[payer][0],
                in_force=in_force,
                premium_class=shown_class,
                class_rule=plan.class_rule,
                covered=coverage.rule,
                coverage=coverage.how if coverage.rule is not None else None,
            ),
        )
        for payer, premium in plan.premiums
    ]


def _whole_lines(
    currency: str, scheme: SchemeRules, plan: _Plan, job: Engagement
) -> list[ContributionLine]:
    """The premium lines of ``job`` on integers: each payer's ``round(orders × premium)`` and
    its funds split, what :func:`order_premium` and the funds split give, to the digit, where
    every payer rounds on its own to whole minor units. The lines share the plan's
    derivation."""
    assert plan.whole is not None
    digits, step = plan.whole
    orders, mode, derivation = job.orders, scheme.rounding.mode, plan.derivation
    lines = []
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
        line = ContributionLine(
            scheme.name, payer, job.platform_id, job.region, None, premium.per_order, money,
            funds, orders, job.industry, derivation,
        )  # fmt: skip
        lines.append(line)
    return lines


def _whole_rounding(pack: RulePack, scheme: SchemeRules) -> tuple[int, int] | None:
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


register_basis(ORDERS, order_lines)
