"""Schemes as data: who pays what share of which base into which fund, and how it rounds.

A scheme's ``basis`` names the rule that turns a worker's month into its lines. The engine
registers two general ones (:mod:`flexsecure.calculations.contributions`):

* ``base`` — a rate times a monthly contribution base the enrolled worker chose within the
  region's band (pension, medical);
* ``orders`` — a premium per order, per engagement, with no enrolment (occupational-injury
  protection for platform workers).

A ``base`` scheme may also name a ``fixed_amount`` parameter: where it has a value for the
enrolment's region on the month's first day, the scheme's one payer pays that monthly amount
instead of a rate on a chosen base (some cities charge flexible employees a flat monthly
medical premium), and the band and rates are not read there.

A jurisdiction may register more (Singapore registers one over each operator's net earnings);
the pack names it, and the engine calls what is registered under that name.

Whatever its basis, a scheme may also take an amount per order (:class:`OrderContribution`):
a reform that deducts, say, 0.10 yuan of every order in the platform app into the worker's
pension account, optionally matched by the platform. Those lines carry no base, so they count
no contributed month.

Each :class:`Share` names a payer and, per fund, the parameter that holds its rate (or
premium). The payer's amount is its summed rate times the base, rounded by the scheme's
:class:`RoundingRule`; the amount is then split over the funds in proportion to their rates
with :meth:`~flexsecure.values.money.Money.allocate`, so the funds always add back up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

import attrs

from flexsecure.values.citations import Citation
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money, Rounding

__all__ = [
    "ALL_PLATFORMS",
    "BASE",
    "ORDERS",
    "STANDARD_CLASS",
    "Enrolling",
    "OrderContribution",
    "RoundingRule",
    "SchemeRules",
    "Share",
]

BASE = "base"
"""The built-in basis: rate × the contribution base the enrolled worker chose."""
ORDERS = "orders"
"""The built-in basis: premium × orders, per engagement."""
ALL_PLATFORMS = "all"
"""In a scheme's ``covered_platforms`` list: every platform is covered (no registry key may be
called this)."""
STANDARD_CLASS = "standard"
"""The premium class that pays a share's own parameter; any other class ``c`` pays the
parameter named ``<share parameter>.c``."""


class Enrolling(StrEnum):
    """Whose work a scheme (or a per-order contribution) applies to."""

    VOLUNTARY = "voluntary"
    """Only for workers with an :class:`~flexsecure.facts.engagements.Enrolment`."""
    AUTOMATIC = "automatic"
    """Every engagement in a covered region, no enrolment needed (and none taken)."""
    OPTIONAL = "optional"
    """Applies without an enrolment; an enrolment may carry the worker's elections (e.g. an
    opt-in to higher contributions)."""


EACH_PAYER = "each"
"""The rounding method that rounds every payer's amount on its own by the rule's mode and unit."""


@attrs.frozen
class RoundingRule:
    """How a scheme rounds its payers' amounts: a method, a mode, a unit and the source.

    ``method`` names a rounding rule registered with the engine
    (:mod:`flexsecure.calculations.rounding`): ``"each"`` rounds every payer's amount by
    ``mode`` to ``unit``; a jurisdiction may register others (Singapore's CPF rounds the total
    and derives the operator's share from it).
    """

    mode: Rounding
    unit: Decimal
    citation: Citation
    method: str = EACH_PAYER

    def apply(self, amount: Money) -> Money:
        """``amount`` rounded by this rule's mode to its unit."""
        return amount.quantize(self.unit, self.mode)


PAYERS = frozenset({"worker", "platform", "government"})
"""Who can pay a share (the glossary's payers)."""


def _freeze(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Share:
    """One payer's part of a scheme: per fund, the parameter holding the rate."""

    payer: str = attrs.field()
    funds: Mapping[str, str] = attrs.field(converter=_freeze, eq=False)

    @payer.validator
    def _check_payer(self, _attribute: object, value: str) -> None:
        if value not in PAYERS:
            raise InvalidInput(
                f"Share.payer must be one of {', '.join(sorted(PAYERS))}, got {value!r}"
            )

    @funds.validator
    def _check_funds(self, _attribute: object, value: Mapping[str, str]) -> None:
        if not value or not all(
            isinstance(k, str) and k and isinstance(v, str) and v for k, v in value.items()
        ):
            raise InvalidInput(f"Share.funds must map fund names to parameter names, got {value!r}")

    """Fund name → parameter name. For ``orders`` schemes the name may contain
    ``{industry}``, filled in from each engagement (see :meth:`parameter_for`)."""

    def parameter_for(self, fund: str, industry: str | None = None) -> str:
        """The parameter name of ``fund``, with ``{industry}`` filled in (plain substitution,
        nothing else in the name is interpreted)."""
        name = self.funds[fund]
        return name if industry is None else name.replace("{industry}", industry)

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Share)
            and other.payer == self.payer
            and dict(other.funds) == dict(self.funds)
        )

    def __hash__(self) -> int:
        return hash((self.payer, tuple(sorted(self.funds.items()))))


def _check_order_enrolling(_instance: object, _attribute: object, value: object) -> None:
    if value not in (Enrolling.AUTOMATIC, Enrolling.VOLUNTARY):
        raise InvalidInput(
            f"OrderContribution.enrolling must be Enrolling.AUTOMATIC (every engagement with "
            f"orders) or Enrolling.VOLUNTARY (workers enrolled in the scheme), got {value!r}"
        )


def _to_enrolling(value: object) -> object:
    try:
        return Enrolling(str(value)) if isinstance(value, str) else value
    except ValueError:
        return value  # the validator names it


def _to_shares(value: object) -> object:
    return tuple(value) if isinstance(value, (list, tuple)) else value


@attrs.frozen
class OrderContribution:
    """An amount per order that a scheme takes from its effective date on, whatever its basis.

    Each :class:`Share` names a payer and, per fund, a ``money`` parameter holding the amount
    per order (``{industry}`` is filled in from the engagement, as for ``orders`` schemes).
    Every engagement with orders gets one line per payer: ``round(orders × amount)`` by the
    scheme's rounding rule, split over the funds in proportion to their amounts, in the
    engagement's region and naming its platform (where the amount is deducted or paid). The
    lines have no base, so they count no contributed month. ``enrolling`` says whose
    engagements pay: ``automatic`` — every engagement with orders; ``voluntary`` — only
    those of workers enrolled in the scheme that month.
    """

    effective_from: dt.date = attrs.field()
    shares: tuple[Share, ...] = attrs.field(converter=_to_shares)
    enrolling: Enrolling = attrs.field(
        default=Enrolling.AUTOMATIC, converter=_to_enrolling, validator=_check_order_enrolling
    )

    @effective_from.validator
    def _check_effective_from(self, _attribute: object, value: object) -> None:
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            raise InvalidInput(
                f"OrderContribution.effective_from must be a datetime.date, got {value!r}"
            )

    @shares.validator
    def _check_shares(self, _attribute: object, value: object) -> None:
        if not isinstance(value, tuple) or not all(isinstance(s, Share) for s in value):
            raise InvalidInput(f"OrderContribution.shares must be Shares, got {value!r}")
        payers = [share.payer for share in value]
        if len(set(payers)) != len(payers):
            raise InvalidInput(
                f"OrderContribution.shares: each payer may have one share, got {payers}"
            )


def _freeze_coverage(value: Mapping[str, dt.date]) -> Mapping[str, dt.date]:
    return MappingProxyType(dict(value))


@attrs.frozen
class SchemeRules:
    """Everything a pack says about one scheme, apart from the parameter values."""

    name: str
    basis: str
    """The registered basis rule that computes this scheme's lines (``base``, ``orders``, …)."""
    enrolling: Enrolling
    funds: tuple[str, ...]
    shares: tuple[Share, ...]
    rounding: RoundingRule
    base_floor: str | None = None
    base_ceiling: str | None = None
    average_wage: str | None = None
    in_force: str | None = None
    """``orders`` schemes: flag parameter telling from when each region is covered."""
    covered_platforms: str | None = None
    """``orders`` schemes: ``names`` parameter listing, per region and date, the registry keys
    of the platforms covered (``"all"``: every platform); ``None``: every platform."""
    premium_class: str | None = None
    """``orders`` schemes: ``name`` parameter giving the premium class of a platform the
    caller assigned none (e.g. ``standard``); ``None``: the share's own parameter."""
    fixed_amount: str | None = None
    """``base`` schemes: ``money`` parameter of a fixed monthly amount that replaces rate ×
    base in the regions and on the dates it has a value (the scheme must have one payer);
    ``None``: rate × base everywhere."""
    coverage: Mapping[str, dt.date] = attrs.field(
        factory=dict, converter=_freeze_coverage, eq=False
    )
    """Region → first date for which the pack claims to compute this scheme (checked at
    load time: every parameter the scheme needs has a value there from that date)."""
    description: str = ""
    parameters: Mapping[str, str] = attrs.field(factory=dict, converter=_freeze, eq=False)
    """Role → parameter name, for a registered basis that needs parameters of its own
    (checked at load time to exist)."""
    share_changes: tuple[tuple[dt.date, tuple[Share, ...]], ...] = ()
    """Later shares, each from its date on, in date order: a reform that changes who pays
    from 2025 leaves the months before it under :attr:`shares`."""
    order_contributions: tuple[OrderContribution, ...] = ()
    """Amounts per order the scheme takes besides its basis, in date order; each is in force
    from its ``effective_from`` until the next one (an empty ``shares`` ends them)."""

    def order_contribution_on(self, on: dt.date) -> OrderContribution | None:
        """The per-order contribution in force on ``on`` (``None``: none, or no payer)."""
        current = None
        for contribution in self.order_contributions:
            if contribution.effective_from > on:
                break
            current = contribution
        return current if current is not None and current.shares else None

    def payers(self) -> tuple[str, ...]:
        """Every payer the scheme's shares or per-order contributions ever name, in the
        glossary's order (worker, platform, government)."""
        named = {share.payer for _, _, shares in self.share_periods() for share in shares}
        named |= {s.payer for c in self.order_contributions for s in c.shares}
        return tuple(p for p in ("worker", "platform", "government") if p in named)

    def shares_on(self, on: dt.date) -> tuple[Share, ...]:
        """The shares in force on ``on``: the latest change dated on or before it."""
        current = self.shares
        for start, shares in self.share_changes:
            if start > on:
                break
            current = shares
        return current

    def share_periods(self) -> tuple[tuple[dt.date | None, dt.date | None, tuple[Share, ...]], ...]:
        """Each set of shares with the first day it applies and the day after its last
        (``None``: unbounded), for checks that must cover every date."""
        starts: list[dt.date | None] = [None, *(start for start, _ in self.share_changes)]
        ends = [*(start for start, _ in self.share_changes), None]
        sets = [self.shares, *(shares for _, shares in self.share_changes)]
        return tuple(zip(starts, ends, sets, strict=True))

    def rate_parameters(self) -> tuple[str, ...]:
        return tuple(
            name
            for _, _, shares in self.share_periods()
            for share in shares
            for name in share.funds.values()
        )
