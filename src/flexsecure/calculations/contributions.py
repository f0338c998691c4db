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
no partial statement exists.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from types import MappingProxyType

from flexsecure.calculations.base_schemes import (
    contribution_base,
    fund_amounts,
    payer_amount,
)
from flexsecure.calculations.bases import BasisResult, WorkerMonth, basis_rule, unchecked_month
from flexsecure.calculations.order_contributions import order_contribution_lines
from flexsecure.calculations.order_schemes import order_premium
from flexsecure.calculations.statements import (
    ContributionLine,
    ContributionStatement,
    StatementNote,
)
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
    facts = worker_month(pack, worker, engagements, month, enrolments, platforms)
    lines: list[ContributionLine] = []
    notes: list[StatementNote] = []
    for scheme in pack.schemes.values():
        result = basis_rule(scheme.basis)(facts, scheme)
        if isinstance(result, BasisResult):
            lines.extend(result.lines)
            notes.extend(result.notes)
        else:
            lines.extend(result)
        if scheme.order_contributions:
            lines.extend(order_contribution_lines(facts, scheme))
    return ContributionStatement(
        worker.id, month, pack.currency, tuple(lines), pack.code, pack.applied_reforms,
        facts.earnings, tuple(notes),
    )  # fmt: skip


def worker_month(
    pack: RulePack,
    worker: Worker,
    engagements: Iterable[Engagement],
    month: Month,
    enrolments: Iterable[Enrolment] = (),
    platforms: Iterable[Platform] = (),
) -> WorkerMonth:
    """Check a worker's month against ``pack`` into the facts every basis rule works from."""
    if not isinstance(worker, Worker):
        raise InvalidInput(f"worker must be a Worker, got {worker!r}")
    if not isinstance(month, Month):
        raise InvalidInput(f"month must be a Month, got {month!r}")
    jobs = _checked_engagements(pack, worker, engagements, month)
    memberships = _checked_enrolments(pack, enrolments)
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


def _iterable(value: object, field: str) -> list[object]:
    if type(value) is list or type(value) is tuple:  # the usual case, without the ABC check
        return list(value)
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidInput(f"{field} must be an iterable (e.g. a list), got {value!r}")
    return list(value)


def _checked_engagements(
    pack: RulePack, worker: Worker, engagements: Iterable[Engagement], month: Month
) -> list[Engagement]:
    jobs: list[Engagement] = []
    seen: dict[tuple[object, ...], int] = {}
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
        if job.orders:
            # identical payouts without orders may be separate payments; identical orders are
            # one engagement sent twice, whose per-order premium would be billed twice. The
            # worker, month and currency are the same for all by now: the rest says "equal".
            same = (
                job.platform_id, job.industry, job.region, job.earnings.amount, job.orders,
                job.hours, job.vehicle,
            )  # fmt: skip
            if same in seen:
                raise InvalidInput(
                    f"engagements[{index}] repeats engagements[{seen[same]}] ({job.label}, "
                    f"{job.industry} in {job.region}, {job.orders} orders): the same orders "
                    "given twice would be billed twice; give each engagement once"
                )
            seen[same] = index
        jobs.append(job)
    if len(jobs) > 1:
        jobs.sort(key=lambda j: (j.platform_id, j.industry, j.region, j.earnings.amount, j.orders))
    return jobs


_RECENT = 64
"""Sets of enrolment objects whose check a pack keeps."""


def _checked_enrolments(pack: RulePack, enrolments: Iterable[Enrolment]) -> tuple[Enrolment, ...]:
    given = _iterable(enrolments, "enrolments")
    if not given:
        return ()
    # a platform's statements for a month pass the same enrolment objects again and again:
    # they are immutable, so their check is kept per pack for those very objects
    # (a few sets at a time: the held objects keep their ids from being reused)
    recent: dict[tuple[int, ...], tuple[list[object], tuple[Enrolment, ...]]]
    recent = pack.memo(("enrolments checked",), dict)
    key = tuple(map(id, given))
    found = recent.get(key)
    if found is not None and all(a is b for a, b in zip(found[0], given, strict=True)):
        return found[1]
    result = tuple(_check_enrolments(pack, given))
    if len(recent) >= _RECENT:
        recent.clear()
    recent[key] = (given, result)
    return result


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
