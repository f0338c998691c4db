"""A month's schemes resolved once per set of enrolments, and the statements computed from them.

:func:`~flexsecure.calculations.contributions.monthly_contributions` asks each of the pack's
schemes, in the pack's order, for its lines from the basis rule the scheme names
(:mod:`~flexsecure.calculations.bases`). For the engine's own bases, which questions are asked
depends only on the month and on the worker's enrolments — which schemes, in which region, on
which kind of base — not on the worker, their engagements or their earnings. A ``MonthPlan``
answers them once for every statement of the month with the same enrolments:

* a base scheme the worker is enrolled in on a floor, ceiling or earnings base, where the
  region has a base plan that month (:mod:`~flexsecure.calculations.base_plans`), computes
  its lines from the plan;
* the ``orders`` basis computes the premium lines from the plan of each industry and region
  (:mod:`~flexsecure.calculations.order_plans`), kept on the month plan;
* every other scheme — a fixed amount, a grade or declared base, a platforms' share, a basis
  a jurisdiction registered, a per-order contribution — is asked through its registered rule
  with the checked :class:`~flexsecure.calculations.bases.WorkerMonth`, built only then.

The lines, notes, explanations and errors are those of asking every scheme's rule in turn,
to the digit: a plan only skips questions whose answers it already holds. A question whose
answer is an error (no band for the region that month) is left to the rule, which raises it in
its turn. Registering a basis retires every plan made before it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from types import MappingProxyType

import attrs

from flexsecure.calculations.base_plans import (
    BAND_KINDS,
    BasePlan,
    PlannedBase,
    planned_lines,
    region_plan,
)
from flexsecure.calculations.base_schemes import base_lines
from flexsecure.calculations.bases import (
    BasisResult,
    basis_rule,
    registry_generation,
    unchecked_month,
)
from flexsecure.calculations.order_contributions import order_contribution_lines
from flexsecure.calculations.order_plans import OrderPlan
from flexsecure.calculations.order_schemes import order_lines, premium_lines
from flexsecure.calculations.statements import (
    ContributionLine,
    ContributionStatement,
    StatementNote,
)
from flexsecure.facts.engagements import BaseKind, Engagement, Enrolment, Platform
from flexsecure.facts.workers import Worker
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import SchemeRules
from flexsecure.values.errors import FlexsecureError, RuleNotFound
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = ["MonthPlan", "Signature", "month_plan", "planned_statement", "signature"]

Signature = tuple[tuple[str, str, BaseKind], ...]
"""What a plan depends on in a set of checked enrolments: (scheme, region, kind of base) of
each, in the pack's scheme order."""


@attrs.frozen
class _FromPlan:
    """A base scheme's lines from its plan; ``index`` is the enrolment's place."""

    scheme: SchemeRules
    index: int
    plan: BasePlan


@attrs.frozen
class _Premiums:
    """The ``orders`` basis, with the plans of platforms not identified by (industry, region)."""

    scheme: SchemeRules
    plans: dict[tuple[str, str], OrderPlan] = attrs.field(factory=dict, eq=False, repr=False)


@attrs.frozen
class _AskRule:
    """The scheme's registered basis rule, asked with the checked worker-month."""

    scheme: SchemeRules


@attrs.frozen
class _PerOrder:
    """The scheme's per-order contribution, asked with the checked worker-month."""

    scheme: SchemeRules


_Step = _FromPlan | _Premiums | _AskRule | _PerOrder


@attrs.frozen
class MonthPlan:
    """What every statement of one month with the same enrolments asks of the pack, answered
    once: one step per scheme with lines to give, in the pack's order."""

    month: Month
    on: dt.date
    steps: tuple[_Step, ...]
    generation: int
    """The basis registry's generation the plan was made in (see ``registry_generation``)."""
    scale: Decimal | None
    """``10 ** decimals`` of the currency, where a step computes lines from a base plan (the
    earnings in minor units are worked out once for all of them); otherwise ``None``."""


def signature(enrolments: Sequence[Enrolment]) -> Signature:
    """What a month plan depends on in ``enrolments`` (checked, in the pack's scheme order)."""
    return tuple((e.scheme, e.region, e.base.kind) for e in enrolments)


def month_plan(pack: RulePack, enrolled: Signature, month: Month) -> MonthPlan:
    """The plan of ``month`` for workers enrolled as ``enrolled`` (kept in the pack's memo)."""
    generation = registry_generation()
    return pack.memo(
        ("month plan", enrolled, month, generation),
        lambda: _plan(pack, enrolled, month, generation),
    )


def _plan(pack: RulePack, enrolled: Signature, month: Month, generation: int) -> MonthPlan:
    on = month.first_day
    where = {scheme: (index, region, kind) for index, (scheme, region, kind) in enumerate(enrolled)}
    steps: list[_Step] = []
    for scheme in pack.schemes.values():
        try:
            rule = basis_rule(scheme.basis)
        except RuleNotFound:
            rule = None  # asked in its turn, it raises
        if rule is base_lines:
            entry = where.get(scheme.name)
            if entry is not None:  # not enrolled: no lines
                steps.append(_base_step(pack, scheme, *entry, on))
        elif rule is order_lines:
            steps.append(_Premiums(scheme))
        else:
            steps.append(_AskRule(scheme))
        if scheme.order_contributions:
            steps.append(_PerOrder(scheme))
    planned = [step.plan.whole.scale for step in steps if isinstance(step, _FromPlan)]
    return MonthPlan(month, on, tuple(steps), generation, planned[0] if planned else None)


def _base_step(
    pack: RulePack, scheme: SchemeRules, index: int, region: str, kind: BaseKind, on: dt.date
) -> _Step:
    if kind in BAND_KINDS:
        try:
            plan = region_plan(pack, scheme, region, on)
        except FlexsecureError:
            plan = None  # asked in its turn, the rule raises it
        if plan is not None:
            return _FromPlan(scheme, index, plan)
    return _AskRule(scheme)


@attrs.frozen
class _PlannedBases:
    """What the lines of a statement's planned base schemes were computed from, shared by all
    of them: the month plan, the worker's enrolments and earnings. It explains a line exactly
    as the :class:`~flexsecure.calculations.base_plans.PlannedBase` of the line's scheme."""

    plan: MonthPlan
    enrolments: tuple[Enrolment, ...]
    earnings: Money

    def explain(self, line: ContributionLine) -> Explanation:
        """The explanation of ``line``, one of the lines this derivation computed."""
        step = next(
            step
            for step in self.plan.steps
            if isinstance(step, _FromPlan) and step.scheme.name == line.scheme
        )
        assert line.base is not None  # a base line
        choice = self.enrolments[step.index].base
        return PlannedBase(step.plan.rules, choice, self.earnings, line.base).explain(line)


_ZERO = Decimal(0)
_NO_PLATFORMS: MappingProxyType[str, Platform] = MappingProxyType({})


def planned_statement(
    plan: MonthPlan,
    pack: RulePack,
    worker: Worker,
    month: Month,
    jobs: list[Engagement],
    total: Decimal | None,
    enrolments: tuple[Enrolment, ...],
    platforms: dict[str, Platform],
) -> ContributionStatement:
    """The statement of ``worker`` for ``month`` (the plan's), from engagements, enrolments and
    platforms already checked against ``pack`` (``jobs`` sorted). ``total`` is the sum of
    ``_ZERO + earnings`` of engagements on different platforms in order — each platform's sum,
    summed as below — or ``None`` if some platform has more than one."""
    currency = pack.currency
    earned: dict[str, Decimal] | None = None
    if total is None:
        earned = _earned(jobs)
        total = sum(earned.values(), _ZERO)
    earnings = Money.unchecked(total, currency)
    units = None
    bases = None
    if plan.scale is not None:  # the earnings in minor units, for every planned base
        scaled = total * plan.scale
        units = int(scaled)
        if units != scaled or units < 0:
            units = None  # the plan asks again, and leaves the line to the rule
        bases = _PlannedBases(plan, enrolments, earnings)
    lines: list[ContributionLine] = []
    notes: list[StatementNote] = []
    facts = None
    for step in plan.steps:
        if type(step) is _FromPlan:
            planned = planned_lines(step.plan, enrolments[step.index], earnings, units, bases)
            if planned is not None:
                lines.extend(planned)
                continue
        elif type(step) is _Premiums:
            premium_lines(pack, step.scheme, jobs, platforms, plan.on, lines, notes, step.plans)
            continue
        if facts is None:
            by_platform = _earned(jobs) if earned is None else earned
            facts = unchecked_month(
                pack, worker, month, tuple(jobs), enrolments,
                MappingProxyType(platforms) if platforms else _NO_PLATFORMS, earnings,
                MappingProxyType({p: Money.unchecked(a, currency) for p, a in by_platform.items()}),
            )  # fmt: skip
        scheme = step.scheme
        if type(step) is _PerOrder:
            lines.extend(order_contribution_lines(facts, scheme))
            continue
        result = basis_rule(scheme.basis)(facts, scheme)
        if isinstance(result, BasisResult):
            lines.extend(result.lines)
            notes.extend(result.notes)
        else:
            lines.extend(result)
    return ContributionStatement(
        worker.id, month, currency, tuple(lines), pack.code, pack.applied_reforms, earnings,
        tuple(notes) if notes else (),
    )  # fmt: skip


def _earned(jobs: list[Engagement]) -> dict[str, Decimal]:
    earned: dict[str, Decimal] = {}
    for job in jobs:
        earned[job.platform_id] = earned.get(job.platform_id, _ZERO) + job.earnings.amount
    return earned
