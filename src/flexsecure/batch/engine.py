"""The columnar contribution engine: every line of every worker-month, on integer minor units.

It computes what :meth:`flexsecure.Jurisdiction.monthly_contributions` computes, for a whole
population at once, and gives the same lines to the fen (a differential test holds the two
together):

* rows are grouped into worker-months (one worker, one month), the month's earnings summed;
* each enrolled base scheme's base is the worker's choice clipped to the region's band — the
  choices that do not depend on earnings go through the same
  :func:`~flexsecure.calculations.contributions.contribution_base`; each payer's amount is
  ``round(base × rate)`` by the scheme's rounding rule, split over the funds by the
  largest-remainder rule of :func:`~flexsecure.values.money.split_exactly`
  (:mod:`flexsecure.batch.base_lines`);
* a platforms' share is apportioned among the month's platforms in proportion to their
  earnings (equally if none earned), largest remainder first, ties to the platform whose id
  sorts first — as :meth:`~flexsecure.Money.allocate` does over the statement's platforms;
* per-order schemes charge each engagement ``round(orders × premium)`` where in force, and a
  scheme with a per-order contribution adds ``round(orders × amount)`` per payer
  (:mod:`flexsecure.batch.per_order`).

Parameters are resolved once per (scheme, region, month) — or per (industry, premium class,
region, month) — from the jurisdiction's pack, reforms included. A worker-month the per-object
path would refuse is refused whole: with ``errors="raise"`` the first problem raises a typed
error naming the table, row and column; with ``errors="collect"`` its rows are returned in
:attr:`~flexsecure.batch.BatchResult.rejected` and the other worker-months are computed.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, Literal, Protocol

from flexsecure.batch._arrays import Ints
from flexsecure.batch.base_lines import base_blocks
from flexsecure.batch.grouping import group
from flexsecure.batch.inputs import read_inputs
from flexsecure.batch.lines import Block
from flexsecure.batch.per_order import order_blocks, per_order_blocks
from flexsecure.batch.result import BatchResult
from flexsecure.batch.rules import output_scale
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import Enrolling, SchemeRules
from flexsecure.values.errors import InvalidInput, RuleNotFound

__all__ = ["HasRules", "compute", "contributions"]

Errors = Literal["raise", "collect"]


class HasRules(Protocol):
    """What the engine needs of a jurisdiction: its pack (``fs.load_jurisdiction("CN")``)."""

    @property
    def pack(self) -> RulePack: ...


def _pack(jurisdiction: Any) -> RulePack:
    if isinstance(jurisdiction, RulePack):
        return jurisdiction
    pack = getattr(jurisdiction, "pack", None)
    if isinstance(pack, RulePack):
        return pack
    raise InvalidInput(
        f"jurisdiction must be a Jurisdiction such as fs.load_jurisdiction('CN'), "
        f"got {jurisdiction!r}"
    )


def _check_bases(pack: RulePack) -> None:
    """Schemes the engine cannot compute raise before anything is read."""
    for scheme in pack.schemes.values():
        basis = str(scheme.basis)
        # a scheme that applies without an enrolment would be left out silently
        if scheme.enrolling is not Enrolling.VOLUNTARY and basis not in ("orders", "base"):
            raise RuleNotFound(
                f"the batch engine does not implement basis {basis!r} of scheme {scheme.name!r}"
            )


def contributions(
    jurisdiction: HasRules,
    engagements: Any,
    *,
    enrolments: Any = None,
    platforms: Any = None,
    errors: Errors = "raise",
    schemes: Collection[str] | None = None,
) -> BatchResult:
    """Every contribution line of every worker-month in ``engagements``.

    ``engagements``, ``enrolments`` and ``platforms`` are pyarrow Tables or pandas DataFrames
    with the columns of :mod:`flexsecure.batch.inputs`; ``enrolments`` may instead be a list
    of :class:`~flexsecure.Enrolment` that every worker-month has. ``schemes`` computes only
    the lines of the schemes named (``None``: every scheme of the pack): the lines are those
    of the full run with the other schemes' lines left out. Returns a
    :class:`~flexsecure.batch.BatchResult` (lines, aggregations, rejected rows).
    """
    return compute(
        jurisdiction,
        engagements,
        enrolments=enrolments,
        platforms=platforms,
        errors=errors,
        schemes=schemes,
    )


def compute(
    jurisdiction: HasRules | RulePack,
    engagements: Any,
    *,
    enrolments: Any = None,
    platforms: Any = None,
    errors: Errors = "raise",
    rows: Ints | int | None = None,
    schemes: Collection[str] | None = None,
) -> BatchResult:
    """:func:`contributions`, with the engagements' row numbers given (for chunks of a file:
    rows are numbered in the whole file, not in the chunk; a number is the first row's)."""
    if errors not in ("raise", "collect"):
        raise InvalidInput(f"errors must be 'raise' or 'collect', got {errors!r}")
    pack = _pack(jurisdiction)
    _check_bases(pack)
    inputs = read_inputs(pack, engagements, enrolments, platforms, rows=rows)
    months = group(pack, inputs)
    if errors == "raise":
        months.raise_first()
    blocks: list[Block] = []
    chosen = _chosen(pack, schemes)
    for position, scheme in chosen:
        if str(scheme.basis) != "orders" and scheme.enrolling is not Enrolling.AUTOMATIC:
            blocks.extend(base_blocks(pack, months, position, scheme))
        if str(scheme.basis) != "orders":
            blocks.extend(per_order_blocks(pack, months, position, scheme))
    for position, scheme in chosen:
        if str(scheme.basis) == "orders":
            blocks.extend(order_blocks(pack, months, position, scheme))
            blocks.extend(per_order_blocks(pack, months, position, scheme))
    if errors == "raise":
        months.raise_first()
    # a worker-month refused by a later scheme loses the lines of the earlier ones too
    if months.refused_count:
        blocks = [block.without(months.refused) for block in blocks]
    return BatchResult.build(pack, months, blocks, output_scale(pack))


def _chosen(pack: RulePack, schemes: Collection[str] | None) -> list[tuple[int, SchemeRules]]:
    """(position, scheme) of the schemes to compute, in the pack's order."""
    if schemes is None:
        return list(enumerate(pack.schemes.values()))
    if isinstance(schemes, str) or not isinstance(schemes, Collection):
        raise InvalidInput(f"schemes must be a list of scheme names, got {schemes!r}")
    for name in schemes:
        pack.scheme(name)  # raises, naming the pack's schemes
    return [(i, s) for i, s in enumerate(pack.schemes.values()) if s.name in schemes]
