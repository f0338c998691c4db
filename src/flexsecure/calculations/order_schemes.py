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
parameter that decided it. The answers are resolved once per industry, region and month
(:mod:`~flexsecure.calculations.order_plans`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from flexsecure.calculations.bases import BasisResult, WorkerMonth, register_basis
from flexsecure.calculations.funds import split_funds
from flexsecure.calculations.order_plans import OrderPlan, order_plan, whole_lines
from flexsecure.calculations.rounding import round_payers
from flexsecure.calculations.statements import ContributionLine, Derivation, StatementNote
from flexsecure.facts.engagements import Engagement, Platform
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import ORDERS, RoundingRule, SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import Money

__all__ = ["engagement_lines", "order_lines", "order_premium", "premium_lines"]


def order_premium(orders: int, premium: Money, rounding: RoundingRule) -> Money:
    """The platform's injury premium for one engagement: orders × premium per order."""
    return rounding.apply(premium * orders)


def order_lines(month: WorkerMonth, scheme: SchemeRules) -> BasisResult:
    """The premium lines of every engagement of the month with orders, in engagement order,
    and a note for each engagement with orders that owes none."""
    lines: list[ContributionLine] = []
    notes: list[StatementNote] = []
    premium_lines(month.pack, scheme, month.engagements, month.platforms, month.on, lines, notes)
    return BasisResult(tuple(lines), tuple(notes))


def premium_lines(
    pack: RulePack,
    scheme: SchemeRules,
    engagements: Iterable[Engagement],
    platforms: Mapping[str, Platform],
    on: dt.date,
    lines: list[ContributionLine],
    notes: list[StatementNote],
    plans: dict[tuple[str, str], OrderPlan] | None = None,
) -> None:
    """:func:`order_lines` on checked engagements and platforms: their lines appended to
    ``lines``, their notes to ``notes``. ``plans`` keeps the plans of platforms not identified
    by industry and region, for a caller that computes many statements of one month."""
    for job in engagements:
        if job.orders == 0:
            continue
        platform = platforms.get(job.platform_id) if platforms else None
        try:
            if platform is None:  # not identified: the plan of its industry and region
                plan = None if plans is None else plans.get((job.industry, job.region))
                if plan is None:
                    plan = order_plan(pack, scheme, job.industry, job.region, None, None, on)
                    if plans is not None:
                        plans[job.industry, job.region] = plan
                if plan.reason is None and plan.whole is not None:
                    whole_lines(pack.currency, scheme, plan, job, lines)
                    continue
            result = _engagement(pack, scheme, job, platform, on)
        except RuleNotFound as error:
            raise RuleNotFound(f"platform {job.platform_id!r}: {error}") from None
        if isinstance(result, StatementNote):
            notes.append(result)
        else:
            lines.extend(result)


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
    plan = order_plan(pack, scheme, job.industry, job.region, key, assigned, on)
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
        return whole_lines(pack.currency, scheme, plan, job)
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


register_basis(ORDERS, order_lines)
