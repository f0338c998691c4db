"""Schemes as data: who pays what share of which base into which fund, and how it rounds.

A scheme of a pack is one of two shapes (``basis``):

* ``base`` — a rate times a monthly contribution base the enrolled worker chose within the
  region's band (pension, medical);
* ``orders`` — a premium per order, per engagement, with no enrolment (occupational-injury
  protection for platform workers).

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

__all__ = ["Basis", "Enrolling", "RoundingRule", "SchemeRules", "Share"]


class Basis(StrEnum):
    BASE = "base"
    """Rate × contribution base."""
    ORDERS = "orders"
    """Premium × orders."""


class Enrolling(StrEnum):
    VOLUNTARY = "voluntary"
    """Only for workers with an :class:`~flexsecure.facts.engagements.Enrolment`."""
    AUTOMATIC = "automatic"
    """Every engagement in a covered region, no enrolment needed."""


@attrs.frozen
class RoundingRule:
    """How a scheme rounds each payer's amount: a mode, a unit and the source for both."""

    mode: Rounding
    unit: Decimal
    citation: Citation

    def apply(self, amount: Money) -> Money:
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
    ``{industry}``, filled in from each engagement."""

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Share)
            and other.payer == self.payer
            and dict(other.funds) == dict(self.funds)
        )

    def __hash__(self) -> int:
        return hash((self.payer, tuple(sorted(self.funds.items()))))


def _freeze_coverage(value: Mapping[str, dt.date]) -> Mapping[str, dt.date]:
    return MappingProxyType(dict(value))


@attrs.frozen
class SchemeRules:
    """Everything a pack says about one scheme, apart from the parameter values."""

    name: str
    basis: Basis
    enrolling: Enrolling
    funds: tuple[str, ...]
    shares: tuple[Share, ...]
    rounding: RoundingRule
    base_floor: str | None = None
    base_ceiling: str | None = None
    average_wage: str | None = None
    in_force: str | None = None
    """``orders`` schemes: flag parameter telling from when each region is covered."""
    coverage: Mapping[str, dt.date] = attrs.field(
        factory=dict, converter=_freeze_coverage, eq=False
    )
    """Region → first date for which the pack claims to compute this scheme (checked at
    load time: every parameter the scheme needs has a value there from that date)."""
    description: str = ""
    share_changes: tuple[tuple[dt.date, tuple[Share, ...]], ...] = ()
    """Later shares, each from its date on, in date order: a reform that changes who pays
    from 2025 leaves the months before it under :attr:`shares`."""

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
