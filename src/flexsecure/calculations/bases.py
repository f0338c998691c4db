"""Bases: the registered rules that turn one worker's month into a scheme's contribution lines.

A pack's scheme names its ``basis``; the engine keeps a registry from names to rule functions
and calls the one named, so a new kind of contribution is a new registered rule, never a branch
on a country. Two general bases come with the engine (:mod:`flexsecure.calculations.base_schemes`
registers ``base``, :mod:`flexsecure.calculations.order_schemes` registers ``orders``); a
jurisdiction registers its own (Singapore's CPF contributions over each operator's net
earnings).

Every basis rule receives the same :class:`WorkerMonth` — the worker, the month, and the
engagements, enrolments and platforms already checked against the pack — and the scheme's
:class:`~flexsecure.rules.schemes.SchemeRules`, and returns that scheme's lines — or a
:class:`BasisResult` with the lines and the notes on work that owes nothing, and why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

import attrs

from flexsecure.calculations.statements import ContributionLine, StatementNote
from flexsecure.facts.engagements import Engagement, Enrolment, Platform
from flexsecure.facts.workers import Worker
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import SchemeRules
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "BasisResult",
    "BasisRule",
    "WorkerMonth",
    "basis_rule",
    "register_basis",
    "registered_bases",
    "registry_generation",
    "unchecked_month",
]


def _freeze(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen
class WorkerMonth:
    """One worker's month as every basis rule sees it, checked against the pack.

    ``engagements`` belong to the worker and the month, are in the pack's currency, regions
    and industries, and are sorted; ``enrolments`` are one per scheme, in the pack's scheme
    order; ``earnings_by_platform`` sums each platform's engagements.
    """

    pack: RulePack
    worker: Worker
    month: Month
    engagements: tuple[Engagement, ...]
    enrolments: tuple[Enrolment, ...]
    platforms: Mapping[str, Platform] = attrs.field(converter=_freeze)
    earnings: Money
    """The month's earnings over all engagements."""
    earnings_by_platform: Mapping[str, Money] = attrs.field(converter=_freeze)

    @property
    def on(self) -> dt.date:
        """The first day of the month: the date parameters are looked up on."""
        return self.month.first_day

    def enrolment(self, scheme: str) -> Enrolment | None:
        """The worker's enrolment in ``scheme``, if any."""
        for enrolment in self.enrolments:
            if enrolment.scheme == scheme:
                return enrolment
        return None


def unchecked_month(
    pack: RulePack,
    worker: Worker,
    month: Month,
    engagements: tuple[Engagement, ...],
    enrolments: tuple[Enrolment, ...],
    platforms: MappingProxyType[str, Platform],
    earnings: Money,
    earnings_by_platform: MappingProxyType[str, Money],
) -> WorkerMonth:
    """A :class:`WorkerMonth` from values already checked against ``pack``, its mappings
    already read-only (for :func:`~flexsecure.calculations.contributions.worker_month`, which
    checks them; anything else builds a :class:`WorkerMonth`)."""
    facts = object.__new__(WorkerMonth)
    setattr_ = object.__setattr__
    setattr_(facts, "pack", pack)
    setattr_(facts, "worker", worker)
    setattr_(facts, "month", month)
    setattr_(facts, "engagements", engagements)
    setattr_(facts, "enrolments", enrolments)
    setattr_(facts, "platforms", platforms)
    setattr_(facts, "earnings", earnings)
    setattr_(facts, "earnings_by_platform", earnings_by_platform)
    return facts


@attrs.frozen
class BasisResult:
    """A basis rule's lines, and its notes on work that produced none (and why)."""

    lines: tuple[ContributionLine, ...]
    notes: tuple[StatementNote, ...] = ()


BasisRule = Callable[[WorkerMonth, SchemeRules], Sequence[ContributionLine] | BasisResult]
"""A basis rule: a worker's month and a scheme in, that scheme's lines (and notes) out."""

_BASES: dict[str, BasisRule] = {}
_GENERATION = [0]
"""How many times a basis was registered: what was resolved from the registry before a
registration is resolved again (:mod:`~flexsecure.calculations.month_plans`)."""


def register_basis(name: str, rule: BasisRule) -> None:
    """Register ``rule`` as the basis called ``name`` (what a pack's ``[scheme] basis`` says)."""
    if not isinstance(name, str) or not name.isidentifier():
        raise InvalidInput(f"a basis name must be an identifier, got {name!r}")
    if not callable(rule):
        raise InvalidInput(f"a basis rule must be callable, got {rule!r}")
    _BASES[name] = rule
    _GENERATION[0] += 1


def registered_bases() -> tuple[str, ...]:
    """The names of every registered basis."""
    return tuple(sorted(_BASES))


def registry_generation() -> int:
    """A number that changes whenever a basis is registered."""
    return _GENERATION[0]


def basis_rule(name: str) -> BasisRule:
    """The rule registered as ``name``, or :class:`~flexsecure.RuleNotFound` naming them all."""
    try:
        return _BASES[name]
    except KeyError:
        raise RuleNotFound(
            f"no basis {name!r} is registered (registered: {', '.join(registered_bases())}); "
            "the jurisdiction that uses it registers it when its package is imported"
        ) from None
