"""Monthly contributions of one worker across all their platforms.

:func:`monthly_contributions` checks everything it is given against the pack — the worker's
engagements (their worker, month, currency, region and industry), enrolments (one per scheme,
in a scheme that takes one) and platforms — into one
:class:`~flexsecure.calculations.bases.WorkerMonth`, then asks each of the pack's schemes, in
the pack's order, for its lines from the basis rule the scheme names
(:mod:`flexsecure.calculations.bases`). The engine's own bases are ``base``
(:mod:`~flexsecure.calculations.base_schemes`) and ``orders``
(:mod:`~flexsecure.calculations.order_schemes`); a jurisdiction may register more. A scheme
with a per-order contribution in force adds its per-order lines after its basis lines
(:mod:`~flexsecure.calculations.order_contributions`).

Everything is checked before anything is computed, so bad input raises one typed error and
no partial statement exists. What the schemes' rules ask of the pack is answered once per set
of enrolments and month (:mod:`~flexsecure.calculations.month_plans`): a statement computed
from that plan is the one the rules give, to the digit.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from types import MappingProxyType

import attrs

from flexsecure.calculations.base_schemes import (
    contribution_base,
    fund_amounts,
    payer_amount,
)
from flexsecure.calculations.bases import WorkerMonth, registry_generation, unchecked_month
from flexsecure.calculations.month_plans import (
    MonthPlan,
    Signature,
    month_plan,
    planned_statement,
    signature,
)
from flexsecure.calculations.order_schemes import order_premium
from flexsecure.calculations.statements import ContributionStatement
from flexsecure.facts.engagements import Engagement, Enrolment, Platform
from flexsecure.facts.workers import Worker
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import Enrolling
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "contribution_base",
    "fund_amounts",
    "monthly_contributions",
    "order_premium",
    "payer_amount",
    "worker_month",
]


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
    _check_worker_and_month(worker, month)
    jobs, earned = _checked_engagements(pack, worker, engagements, month)
    enrolled = _checked_enrolments(pack, enrolments)
    known = _checked_platforms(pack, platforms)
    plan = enrolled.last
    if plan is None or plan.month is not month or plan.generation != registry_generation():
        plan = enrolled.plans.get(month)
        if plan is None or plan.generation != registry_generation():
            plan = month_plan(pack, enrolled.signature, month)
            if len(enrolled.plans) >= _MONTHS_KEPT:
                enrolled.plans.clear()
            enrolled.plans[month] = plan
        if plan.month is month:  # the same month object next time: no hashing it
            enrolled.last = plan
    return planned_statement(plan, pack, worker, month, jobs, earned, enrolled.enrolments, known)


def worker_month(
    pack: RulePack,
    worker: Worker,
    engagements: Iterable[Engagement],
    month: Month,
    enrolments: Iterable[Enrolment] = (),
    platforms: Iterable[Platform] = (),
) -> WorkerMonth:
    """Check a worker's month against ``pack`` into the facts every basis rule works from."""
    _check_worker_and_month(worker, month)
    jobs, _ = _checked_engagements(pack, worker, engagements, month)
    memberships = _checked_enrolments(pack, enrolments).enrolments
    known_platforms = _checked_platforms(pack, platforms)
    earned: dict[str, Decimal] = {}
    for job in jobs:
        earned[job.platform_id] = earned.get(job.platform_id, _ZERO) + job.earnings.amount
    currency = pack.currency
    return unchecked_month(
        pack,
        worker,
        month,
        tuple(jobs),
        memberships,
        MappingProxyType(known_platforms) if known_platforms else _NO_PLATFORMS,
        Money.unchecked(sum(earned.values(), _ZERO), currency),
        MappingProxyType(
            {platform: Money.unchecked(amount, currency) for platform, amount in earned.items()}
        ),
    )


_ZERO = Decimal(0)
_NO_PLATFORMS: MappingProxyType[str, Platform] = MappingProxyType({})


def _check_worker_and_month(worker: Worker, month: Month) -> None:
    if not isinstance(worker, Worker):
        raise InvalidInput(f"worker must be a Worker, got {worker!r}")
    if not isinstance(month, Month):
        raise InvalidInput(f"month must be a Month, got {month!r}")


def _iterable(value: object, field: str) -> list[object]:
    if type(value) is list or type(value) is tuple:  # the usual case, without the ABC check
        return list(value)
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidInput(f"{field} must be an iterable (e.g. a list), got {value!r}")
    return list(value)


def _checked_engagements(
    pack: RulePack, worker: Worker, engagements: Iterable[Engagement], month: Month
) -> tuple[list[Engagement], Decimal | None]:
    """The engagements checked and sorted, and their earnings where their platforms are all
    different (summed as the platforms' sums are: see ``planned_statement``)."""
    jobs: list[Engagement] = []
    seen: dict[tuple[object, ...], int] | None = None
    previous = ""  # the last platform while the platforms increase, as they usually come
    earned = _ZERO
    currency, regions, industries = pack.currency, pack.regions, pack.industries
    worker_id = worker.id
    for index, job in enumerate(_iterable(engagements, "engagements")):
        if not isinstance(job, Engagement):
            raise InvalidInput(f"engagements[{index}] must be an Engagement, got {job!r}")
        if job.worker_id != worker_id:
            raise InvalidInput(
                f"{job.label} belongs to worker {job.worker_id!r}, not to {worker.id!r}"
            )
        if job.month is not month and job.month != month:
            raise InvalidInput(f"{job.label} is for {job.month}, not for the statement's {month}")
        if job.earnings.currency != currency:
            raise InvalidInput(
                f"{job.label}: earnings must be in {pack.currency}, got {job.earnings!r}"
            )
        if job.region not in regions:
            pack.region(job.region)  # raises, naming the region
        if job.industry not in industries:
            pack.check_industry(job.industry, job.label)  # raises, naming the engagement
        if seen is None:
            if previous < job.platform_id:  # a platform after all before it: no repeat yet
                previous = job.platform_id
                earned = earned + (_ZERO + job.earnings.amount)
                jobs.append(job)
                continue
            seen = {_same(j): i for i, j in enumerate(jobs) if j.orders}
        if job.orders:
            # identical payouts without orders may be separate payments; identical orders are
            # one engagement sent twice, whose per-order premium would be billed twice
            same = _same(job)
            if same in seen:
                raise InvalidInput(
                    f"engagements[{index}] repeats engagements[{seen[same]}] ({job.label}, "
                    f"{job.industry} in {job.region}, {job.orders} orders): the same orders "
                    "given twice would be billed twice; give each engagement once"
                )
            seen[same] = index
        jobs.append(job)
    if seen is None:
        return jobs, earned  # already in order: sorted by platform first
    jobs.sort(key=lambda j: (j.platform_id, j.industry, j.region, j.earnings.amount, j.orders))
    return jobs, None


def _same(job: Engagement) -> tuple[object, ...]:
    """What makes two engagements with orders the same (the worker, month and currency are
    the statement's for all by then)."""
    return (
        job.platform_id, job.industry, job.region, job.earnings.amount, job.orders, job.hours,
        job.vehicle,
    )  # fmt: skip


_RECENT = 64
"""Sets of enrolment objects whose check a pack keeps."""
_RECENT_KEY = ("enrolments checked",)
_MONTHS_KEPT = 240
"""Months whose plan a set of enrolments keeps."""


@attrs.define
class _Enrolled:
    """A set of enrolment objects checked against a pack: the objects (kept, so that their
    ids are not reused while the check is kept), the checked enrolments and their month plans."""

    given: list[object]
    enrolments: tuple[Enrolment, ...]
    signature: Signature
    plans: dict[Month, MonthPlan]
    last: MonthPlan | None = None
    """The plan asked for last, found again by its very month object."""


def _checked_enrolments(pack: RulePack, enrolments: Iterable[Enrolment]) -> _Enrolled:
    given: Sequence[object]
    if type(enrolments) is list or type(enrolments) is tuple:
        given = enrolments
    else:
        given = _iterable(enrolments, "enrolments")
    # a platform's statements for a month pass the same enrolment objects again and again:
    # they are immutable, so their check is kept per pack for those very objects. The kept
    # entry holds the objects, so no other live object has their ids: equal ids, same objects.
    recent: dict[tuple[int, ...], _Enrolled] = pack.memo(_RECENT_KEY, dict)
    key = tuple(map(id, given))
    found = recent.get(key)
    if found is not None:
        return found
    held = list(given)
    checked = tuple(_check_enrolments(pack, held)) if held else ()
    if len(recent) >= _RECENT:
        recent.clear()
    found = recent[key] = _Enrolled(held, checked, signature(checked), {})
    return found


def _check_enrolments(pack: RulePack, enrolments: list[object]) -> list[Enrolment]:
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


def _checked_platforms(pack: RulePack, platforms: Iterable[Platform]) -> dict[str, Platform]:
    known: dict[str, Platform] = {}
    if type(platforms) is tuple and not platforms:  # the default: nothing to check
        return known
    for index, platform in enumerate(_iterable(platforms, "platforms")):
        if not isinstance(platform, Platform):
            raise InvalidInput(f"platforms[{index}] must be a Platform, got {platform!r}")
        if platform.id in known:
            raise InvalidInput(f"platforms[{index}]: platform {platform.id!r} is given twice")
        for industry in platform.premium_classes:
            pack.check_industry(industry, f"platforms[{index}].premium_classes")
        known[platform.id] = platform
    return known
