"""Blocks of lines: one payer's share of one scheme over many worker-months, as arrays.

Two exact splits happen here, both the largest-remainder rule of
:func:`~flexsecure.values.money.split_exactly` in integer form: a platforms' amount over the
month's platforms in proportion to their earnings (``apportion``), and every line's
amount over the scheme's funds in proportion to their rates (``split_funds``). Each share
is the exact proportion rounded down; the units left over go one each to the largest
remainders, ties to the earlier platform (by id) or fund. The parts always sum to the whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import INT64_SAFE, AnyInts, Ints, bounds, dense_unique, repeated
from flexsecure.batch._kernels import fund_halves
from flexsecure.batch.deferred import Clipped, WithOrders
from flexsecure.batch.rounding import folded_floor
from flexsecure.batch.rules import ShareRates

if TYPE_CHECKING:
    from flexsecure.batch.months import WorkerMonths

__all__ = [
    "Block",
    "apportion",
    "largest_remainder",
    "split_funds",
    "two_fund_fold",
]


@attrs.frozen
class Block:
    """Lines of one (scheme, share): per line the worker-month, platform, region, amount."""

    scheme: int
    share: int
    payer: str
    wm: Ints
    platform: Ints
    """Platform codes; -1 for the worker's own lines (per-order lines: see ``job``)."""
    region: Ints
    base: Ints | Clipped | None
    """Contribution bases in minor units (read them with :meth:`bases`); ``None`` for
    per-order lines."""
    amount: Ints
    rate: AnyInts
    """Per line, an index into ``rates`` (of any integer width)."""
    rates: tuple[ShareRates | None, ...]
    job: Ints | None = None
    """Per-order lines: the engagement (index into the sorted jobs) each line charges."""
    funds: tuple[tuple[str, Ints | None], ...] = ()
    """Per fund, its part of each amount (read them with :meth:`fund`); ``None`` for the
    last fund: the amount less the other funds' parts, made when read."""
    unique: bool = False
    """True when no worker-month has two lines in this block."""
    present: npt.NDArray[np.bool_] | WithOrders | None = None
    """Per-order blocks: which rows are lines (the others have amount 0 and no line; read
    it with :meth:`lines_present`); ``None`` when all are."""
    largest: int | None = None
    """When known without a scan: every amount lies in ``[0, largest]`` (a subset of the
    rows keeps it; a split of the amounts does not)."""
    words: Ints | None = None
    """The amounts as the words (low, high) of decimal128 values, read only, when they were
    made so (``amount`` is then their low words): the totals per worker of a payer with
    this one block are these words as they are."""

    def bases(self) -> Ints | None:
        """The contribution bases, one per line (``None`` for per-order lines)."""
        return self.base.array() if isinstance(self.base, Clipped) else self.base

    def fund(self, name: str) -> Ints | None:
        """Each line's part of fund ``name`` (``None``: the lines pay nothing into it)."""
        found = dict(self.funds)
        if name not in found:
            return None
        values = found[name]
        if values is not None:
            return values
        rest = self.amount
        for other, part in self.funds:
            if other != name and part is not None:
                rest = rest - part
        return rest

    def with_funds(self, funds: tuple[tuple[str, Ints | None], ...]) -> Block:
        """This block with its amounts' split over the funds (built directly: a chunk makes
        several, and ``attrs.evolve`` looks the fields up each time)."""
        return Block(
            self.scheme, self.share, self.payer, self.wm, self.platform, self.region,
            self.base, self.amount, self.rate, self.rates, self.job, funds, self.unique,
            self.present, self.largest, self.words,
        )  # fmt: skip

    def lines_present(self) -> npt.NDArray[np.bool_] | None:
        """Which rows are lines; ``None`` when all are."""
        return self.present.mask() if isinstance(self.present, WithOrders) else self.present

    def visible(self) -> Block:
        """This block with only the rows that are lines."""
        present = self.lines_present()
        if present is None:
            return self
        return self._rows(present, None)

    def without(self, refused: npt.NDArray[np.bool_]) -> Block:
        """This block without the lines of refused worker-months."""
        keep = ~refused[self.wm]
        if keep.all():
            return self
        if isinstance(self.present, WithOrders):
            return self._rows(keep, self.present.rows(keep))
        return self._rows(keep, self.present[keep] if self.present is not None else None)

    def _rows(
        self, keep: npt.NDArray[np.bool_], present: npt.NDArray[np.bool_] | WithOrders | None
    ) -> Block:
        """This block with the rows ``keep`` selects; a block with ``job`` indices keeps its
        platform and region columns whole (they are read through the jobs)."""
        lines = self.job is None
        return Block(
            self.scheme,
            self.share,
            self.payer,
            self.wm[keep],
            self.platform[keep] if lines else self.platform,
            self.region[keep] if lines else self.region,
            _base_rows(self.base, keep),
            self.amount[keep],
            self.rate[keep],
            self.rates,
            self.job[keep] if self.job is not None else None,
            tuple((name, v[keep] if v is not None else None) for name, v in self.funds),
            self.unique,
            present,
            self.largest,
        )

    @classmethod
    def base_lines(
        cls,
        scheme: int,
        share: int,
        payer: str,
        wm: Ints,
        region: Ints,
        base: Ints | Clipped,
        amount: Ints,
        rate: Ints,
        rates: list[ShareRates | None],
        largest: int | None = None,
    ) -> Block:
        return cls(
            scheme,
            share,
            payer,
            wm,
            repeated(-1, len(wm)),
            region,
            base,
            amount,
            rate,
            tuple(rates),
            unique=True,
            largest=largest,
        )

    @classmethod
    def order_lines(
        cls,
        scheme: int,
        share: int,
        payer: str,
        months: WorkerMonths,
        jobs: Ints,
        amount: Ints,
        rate: AnyInts,
        rates: list[ShareRates | None],
        present: npt.NDArray[np.bool_] | WithOrders | None = None,
        words: Ints | None = None,
    ) -> Block:
        wm = months.job_wm[jobs] if len(jobs) < len(months.job_wm) else months.job_wm
        # platform and region are read from the engagements when lines are built
        return cls(
            scheme,
            share,
            payer,
            wm,
            wm[:0],
            wm[:0],
            None,
            amount,
            rate,
            tuple(rates),
            jobs,
            unique=months.one_job_each,
            present=present,
            words=words,
        )


def _base_rows(
    base: Ints | Clipped | None, keep: npt.NDArray[np.bool_] | Ints
) -> Ints | Clipped | None:
    if isinstance(base, Clipped):
        return base.rows(keep)
    return base[keep] if base is not None else None


def _times(left: Ints, right: Ints) -> Ints:
    """Elementwise product, as Python integers where int64 could overflow."""
    if not len(left):
        return left * right
    if int(np.abs(left).max()) * int(np.abs(right).max()) < INT64_SAFE:
        return left * right
    return left.astype(object) * right.astype(object)  # type: ignore[no-any-return]


def largest_remainder(
    amount: Ints, weights: Ints, total: Ints, group: Ints, tiebreak: Ints, starts: Ints
) -> Ints:
    """Split each group's ``amount`` by ``weights`` (rows sorted by ``group``).

    ``amount`` and ``total`` are per row (the group's); ``starts`` the first row of each
    group. Floors first, then one unit each to the largest remainders, ties to the smaller
    ``tiebreak``.
    """
    product = _times(amount, weights)
    safe_total = np.where(total == 0, 1, total)
    floors = np.asarray(product // safe_total, np.int64)
    remainder = np.asarray(product % safe_total, np.int64)
    handed = np.add.reduceat(floors, starts) if len(starts) else floors[:0]
    leftover = amount[starts] - handed
    order = np.lexsort((tiebreak, -remainder, group))
    sizes = np.diff(np.r_[starts, len(group)])
    first_of_group = np.repeat(starts, sizes)
    rank = np.empty(len(group), np.int64)
    rank[order] = np.arange(len(group)) - first_of_group[order]
    extra = np.repeat(leftover, sizes)
    return floors + (rank < extra)


def apportion(block: Block, months: WorkerMonths) -> Block:
    """A platforms' share of each worker-month, apportioned among its platforms by earnings
    (equally when none earned); months without engagements have no platform to bill."""
    jobs = months.jobs
    ids = months.inputs.platform_ids
    rank = np.empty(len(ids), np.int64)
    rank[np.argsort(np.asarray(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    position = np.full(len(months.worker), -1, np.int64)
    position[block.wm] = np.arange(len(block.wm))
    mine = np.flatnonzero(position[months.job_wm] >= 0)
    key = months.job_wm[mine] * max(len(ids), 1) + rank[jobs.platform[mine]]
    order = np.argsort(key, kind="stable")
    key, mine = key[order], mine[order]
    if not len(key):
        return attrs.evolve(block, wm=key, platform=key, region=key, base=key, amount=key, rate=key)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    earned = np.add.reduceat(jobs.earnings[mine], starts)
    wm = months.job_wm[mine[starts]]
    platform = jobs.platform[mine[starts]]
    groups = np.flatnonzero(np.r_[True, wm[1:] != wm[:-1]])
    total = months.earnings[wm]
    nobody = total == 0
    weights = np.where(nobody, 1, earned)
    counts = np.diff(np.r_[groups, len(wm)])
    total = np.where(nobody, np.repeat(counts, counts), total)
    at = position[wm]
    parts = largest_remainder(block.amount[at], weights, total, wm, rank[platform], groups)
    assert block.base is not None
    return attrs.evolve(
        block,
        wm=wm,
        platform=platform,
        region=block.region[at],
        base=_base_rows(block.base, at),
        amount=parts,
        rate=block.rate[at],
        unique=False,
        largest=None,
        words=None,
    )


def split_funds(block: Block) -> Block:
    """Each line's amount over its share's funds, in proportion to their rates."""
    known = next((r for r in block.rates if r is not None), None)
    if known is None or not len(block.amount):
        names = known.funds if known is not None else ()
        return block.with_funds(tuple((f, block.amount[:0]) for f in names))
    names = known.funds
    if len(names) == 1:
        return block.with_funds(((names[0], block.amount),))
    table = np.asarray(
        [r.weights if r is not None else (0,) * len(names) for r in block.rates], np.int64
    )
    if len(table) > 1 and not bool((table == table[0]).all()):
        used = table[dense_unique(block.rate)[0]]
    else:
        used = table[:1]
    weights = used[:1] if len(used) and bool((used == used[0]).all()) else table[block.rate]
    total = weights.sum(axis=1)
    if len(names) == 2:
        funds = _two_funds(block.amount, weights, total, names, block.largest)
        return block.with_funds(funds)
    weights = table[block.rate]
    total = weights.sum(axis=1)
    count = len(block.amount)
    lines = np.repeat(np.arange(count), len(names))
    flat_weights = weights.reshape(-1)
    amount = np.repeat(block.amount, len(names))
    starts = np.arange(0, count * len(names), len(names))
    tiebreak = np.tile(np.arange(len(names)), count)
    parts = largest_remainder(
        amount, flat_weights, np.repeat(total, len(names)), lines, tiebreak, starts
    ).reshape(count, len(names))
    parts[total == 0] = 0
    return block.with_funds(tuple((name, parts[:, i]) for i, name in enumerate(names)))


def two_fund_fold(
    rates: tuple[ShareRates | None, ...], bound: int
) -> tuple[tuple[str, str], tuple[int, int, int]] | None:
    """When every line of a block splits over the same two funds and its amounts lie in
    ``[0, bound]``: the two fund names and the folded ``(F, A, s)`` of the first fund's part
    (``(amount × F + A) >> s``, its exact share rounded half up, as :func:`_two_funds`
    computes it), for a pass that makes the amounts and splits them at once; else ``None``."""
    known = [r for r in rates if r is not None]
    if len(known) != len(rates) or not known or len(known[0].funds) != 2:
        return None
    if any(r.weights != known[0].weights or r.funds != known[0].funds for r in known):
        return None
    folded = _first_fund_fold(known[0].weights[0], sum(known[0].weights), bound)
    names = known[0].funds
    return ((names[0], names[1]), folded) if folded is not None else None


def _first_fund_fold(weight: int, whole: int, largest: int | None) -> tuple[int, int, int] | None:
    """The folded ``(F, A, s)`` of the first of two funds' part of amounts in ``[0, largest]``
    (``None``: not known): ``amount × weight / whole`` rounded half up, which is what the
    largest-remainder rule gives it (see :func:`_two_funds`); ``None`` where the weights or
    the bound leave no such fold."""
    if largest is None or whole <= 0 or weight < 0:
        return None
    return folded_floor(2 * weight, whole, 2 * whole, largest)


def _two_funds(
    amount: Ints,
    weights: Ints,
    total: Ints,
    names: tuple[str, ...],
    known: int | None = None,
) -> tuple[tuple[str, Ints], ...]:
    """:func:`largest_remainder` for two funds. The two remainders add up to the units left
    over (0 or 1) times the total, so the first fund gets the unit exactly when its remainder
    is at least half the total: its part is its exact share rounded half up. ``known``: the
    amounts lie in ``[0, known]`` (no scan for their bounds)."""
    first_weights = weights[:, 0]
    if len(total) == 1:  # one set of fund rates for the whole block
        whole, weight = int(total[0]), int(first_weights[0])
        if whole == 0:
            zero = np.zeros(len(amount), np.int64)
            return ((names[0], zero), (names[1], zero.copy()))
        if known is not None:
            low, high = 0, known
        else:
            low, high = bounds(amount) if len(amount) else (0, 0)
        largest = max(high, -low)
        folded = _first_fund_fold(weight, whole, largest if low >= 0 else None)
        if folded is not None and amount.dtype == np.int64:
            # both parts in one compiled pass (the half-up floor folded: multiply_add_floor)
            first, second = fund_halves(amount, *folded)
            return ((names[0], first), (names[1], second))
        if largest * 2 * abs(weight) < INT64_SAFE:
            first = (2 * amount * weight + whole) // (2 * whole)
        else:
            first = (2 * _times(amount, np.asarray([weight])) + whole) // (2 * whole)
    else:
        safe = np.where(total == 0, 1, total)
        first = (2 * _times(amount, first_weights) + safe) // (2 * safe)
        first = np.where(total == 0, 0, first)
    first = np.asarray(first, np.int64)
    second = np.where(total == 0, 0, amount - first) if (total == 0).any() else amount - first
    return ((names[0], first), (names[1], np.asarray(second, np.int64)))
