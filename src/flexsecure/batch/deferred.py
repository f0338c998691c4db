"""Columns of a block of lines not made until read: a block's bases, which rows are lines.

The per-worker totals — what most population runs ask for — read a block's amounts only; its
bases and which of its rows are lines matter to the lines table. Where they follow from
arrays the engine holds anyway (the earnings and a band, the orders), a block keeps that
recipe instead of an array a pass would have to write (:class:`~flexsecure.batch.lines.Block`
reads them through ``bases()`` and ``lines_present()``).
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import Ints
from flexsecure.batch._kernels import clip

__all__ = ["Clipped", "WithOrders"]


@attrs.frozen
class Clipped:
    """Bases not yet made: ``values`` (the earnings) within ``[floor, ceiling]``.

    A scheme whose amounts come straight from the earnings in one pass has its bases written
    only when something reads them — the lines table; the totals per worker never do."""

    values: Ints
    floor: int
    ceiling: int

    def array(self) -> Ints:
        return clip(self.values, self.floor, self.ceiling)

    def rows(self, keep: npt.NDArray[np.bool_] | Ints) -> Clipped:
        return Clipped(self.values[keep], self.floor, self.ceiling)


@attrs.frozen
class WithOrders:
    """Which rows are lines, not yet made: the engagements with orders (``orders > 0``).

    The per-order lines of a chunk where every premium is in force: the totals per worker
    never ask which rows are lines (a row without orders adds 0), the lines table does."""

    orders: Ints

    def mask(self) -> npt.NDArray[np.bool_]:
        return self.orders > 0

    def rows(self, keep: npt.NDArray[np.bool_] | Ints) -> WithOrders:
        return WithOrders(self.orders[keep])
