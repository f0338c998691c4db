"""What a population run returns: its lines as Arrow, aggregations, and the rejected rows.

The lines table has one row per :class:`~flexsecure.ContributionLine`, worker-month by
worker-month, in the statement's order of schemes. Text columns are dictionary-encoded
(``worker_id``, ``month``, ``scheme``, ``payer``, ``platform_id``, ``region``, ``industry``);
money is ``decimal128(18, 2)`` (``base``, ``amount`` and one ``fund_<name>`` column per fund,
null where the line's scheme has no such fund); ``rate`` (base lines; on a fixed-amount line,
whose ``base`` is null, the fixed monthly amount) and ``premium`` (the premium per order of
per-order lines) are decimals with as many places as the pack's figures; ``orders`` is the
engagement's order count on per-order lines.
"""

from __future__ import annotations

import functools
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch._arrays import Ints, dictionary_array, run_starts, zeros
from flexsecure.batch._kernels import words_of_sums
from flexsecure.batch._money import decimal_array, decimal_from_words
from flexsecure.batch.lines import Block
from flexsecure.batch.months import WorkerMonths
from flexsecure.batch.rules import Ratio
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import minor_unit
from flexsecure.values.periods import Month

__all__ = ["PAYER_ORDER", "BatchResult", "aggregate"]

PAYER_ORDER = ("worker", "platform", "government")
MONEY_PRECISION = 18


@functools.lru_cache(maxsize=64)
def _month_labels(first: int, span: int) -> tuple[str, ...]:
    """The labels of months ``first`` to ``first + span - 1`` (made once: chunks share them)."""
    return tuple(str(Month._from_index(first + offset)) for offset in range(span))


def _payers(pack: RulePack) -> tuple[str, ...]:
    """The payers any scheme of ``pack`` has, in :data:`PAYER_ORDER` (looked up once a pack:
    each chunk's result asks)."""

    def build() -> tuple[str, ...]:
        found = {payer for scheme in pack.schemes.values() for payer in scheme.payers()}
        return tuple(payer for payer in PAYER_ORDER if payer in found)

    return pack.memo("batch payers", build)


def _funds(pack: RulePack) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for scheme in pack.schemes.values():
        names.update(dict.fromkeys(scheme.funds))
    return tuple(names)


@attrs.define
class BatchResult:
    """Lines, aggregations and rejected rows of one population run."""

    pack: RulePack
    months: WorkerMonths
    blocks: list[Block]
    scale: int
    """Decimal places of the ``rate`` and ``premium`` columns."""
    _lines: pa.Table | None = None

    @classmethod
    def build(
        cls, pack: RulePack, months: WorkerMonths, blocks: list[Block], scale: int
    ) -> BatchResult:
        return cls(pack, months, blocks, scale)

    @property
    def money_scale(self) -> int:
        return -int(minor_unit(self.pack.currency).as_tuple().exponent)

    @property
    def line_count(self) -> int:
        """How many lines there are (without building the lines table)."""
        return sum(
            len(b.amount) if (present := b.lines_present()) is None else int(present.sum())
            for b in self.blocks
        )

    # -- the lines ------------------------------------------------------------------------
    @property
    def lines(self) -> pa.Table:
        """Every contribution line, worker-month by worker-month (built once, on first use)."""
        if self._lines is None:
            self._lines = self._build_lines()
        return self._lines

    def to_pandas(self) -> Any:
        """The lines as a pandas DataFrame (categoricals for text, Decimal objects for money)."""
        return self.lines.to_pandas()

    def _workers(self, wm: Ints | None) -> pa.Array:
        """Worker ids of worker-months ``wm`` (``None``: all of them)."""
        months = self.months
        labels = months.inputs.workers.labels
        keys = months.worker if wm is None else months.worker[wm]
        if labels is None:
            return pa.array(keys, pa.int64())
        return dictionary_array(keys, labels, pa.int32())

    def _months(self, wm: Ints | None) -> pa.Array:
        """Month labels of worker-months ``wm`` (``None``: all of them), dictionary-encoded.

        Every offset ``month - first`` lies in ``[0, span)`` (``first`` and ``span`` are the
        chunk's own bounds), so the indices need no check by Arrow (a pass as long as the
        subtraction); a chunk of one month (a read-only broadcast) is one value filled in."""
        months = self.months
        month = months.month if wm is None else months.month[wm]
        if month.ndim == 1 and month.strides == (0,) and len(month):
            offset = int(month[0]) - months.first  # 0 but where enrolments reach earlier
            offsets = zeros(len(month)) if not offset else np.full(len(month), offset, np.int32)
        else:
            offsets = np.subtract(month, months.first, dtype=np.int32)
        labels = _month_labels(months.first, months.span)
        return dictionary_array(offsets, labels, pa.int32(), in_range=True)

    def _build_lines(self) -> pa.Table:
        pack, months = self.pack, self.months
        blocks = [block.visible() for block in self.blocks]
        wm = _concat([b.wm for b in blocks])
        order = np.argsort(wm, kind="stable")
        wm = wm[order]

        def column(parts: list[Ints]) -> Ints:
            return _concat(parts)[order]

        def constant(value: int, block: Block) -> Ints:
            return np.full(len(block.wm), value, np.int64)

        scheme = column([constant(b.scheme, b) for b in blocks])
        payer = column([constant(PAYER_ORDER.index(b.payer), b) for b in blocks])
        jobs = months.jobs
        platform = column([b.platform if b.job is None else jobs.platform[b.job] for b in blocks])
        region = column([b.region if b.job is None else jobs.region[b.job] for b in blocks])
        no = np.full(0, 0, np.int64)
        bases = [b.bases() for b in blocks]
        base = column(
            [v if v is not None else constant(-1, b) for v, b in zip(bases, blocks, strict=True)]
        )
        rate = column([self._rates(b) if b.job is None else constant(-1, b) for b in blocks])
        premium = column([self._rates(b) if b.job is not None else constant(-1, b) for b in blocks])
        orders = column(
            [jobs.orders[b.job] if b.job is not None else constant(-1, b) for b in blocks]
        )
        industry = column(
            [
                jobs.industry[b.job].astype(np.int64) if b.job is not None else constant(-1, b)
                for b in blocks
            ]
        )
        amount = column([b.amount for b in blocks]) if blocks else no
        is_base = column([constant(int(b.job is None), b) for b in blocks]).astype(bool)
        money = self.money_scale
        table = {
            "worker_id": self._workers(wm),
            "month": self._months(wm),
            "scheme": dictionary_array(scheme, list(pack.schemes), pa.int8()),
            "payer": dictionary_array(payer, PAYER_ORDER, pa.int8()),
            "platform_id": dictionary_array(platform, months.inputs.platform_ids, pa.int32()),
            "region": dictionary_array(region, list(pack.regions), pa.int16()),
            "industry": dictionary_array(industry, pack.industries, pa.int8()),
            "orders": pa.array(orders, pa.int64(), mask=~(orders >= 0) | is_base),
            "base": decimal_array(np.where(is_base, base, 0), money, ~is_base | (base < 0)),
            "rate": decimal_array(np.where(is_base, rate, 0), self.scale, ~is_base),
            "premium": decimal_array(np.where(is_base, 0, premium), self.scale, is_base),
            "amount": decimal_array(amount, money),
        }
        for fund in _funds(pack):
            parts = []
            present = []
            for b in blocks:
                found = b.fund(fund)
                parts.append(found if found is not None else constant(0, b))
                present.append(constant(int(found is not None), b))
            values, given = column(parts), column(present).astype(bool)
            table[f"fund_{fund}"] = decimal_array(values, money, ~given)
        return pa.table(table)

    def _rates(self, block: Block) -> Ints:
        lookup = np.asarray(
            [Ratio.of(r.total).at(self.scale) if r is not None else 0 for r in block.rates] or [0],
            np.int64,
        )
        return lookup[block.rate]

    # -- aggregations ---------------------------------------------------------------------
    def by_worker(self) -> pa.Table:
        """One row per computed worker-month: ``worker_id``, ``month`` and the amount each
        payer of the pack pays (``worker``, ``platform``, ``government``; decimals)."""
        months = self.months
        count = len(months.worker)
        payers = _payers(self.pack)
        # each payer's totals are summed straight into the words of its decimal column
        whole = [b for b in self.blocks if b.unique and len(b.wm) == count]  # a line each
        buffers: dict[str, tuple[Ints, bool]] = {}
        for payer in payers:
            mine = [b for b in self.blocks if b.payer == payer and len(b.wm)]
            made = mine[0].words if len(mine) == 1 and any(mine[0] is b for b in whole) else None
            if made is not None:  # one block, its amounts made as decimal words: as they are
                buffers[payer] = (made, False)
                continue
            # the blocks with a line on every worker-month in one pass, signs included
            words = words_of_sums([b.amount for b in whole if b.payer == payer], count)
            total = words[::2]
            added = False
            for block in self.blocks:
                if block.payer != payer or any(block is b for b in whole) or not len(block.wm):
                    continue
                starts = run_starts(block.wm)
                if len(starts) == len(block.wm):
                    total[block.wm] += block.amount
                else:
                    total[block.wm[starts]] += np.add.reduceat(block.amount, starts)
                added = True
            buffers[payer] = (words, added)
        if months.refused_count:
            keep = np.flatnonzero(~months.refused)
            columns = {"worker_id": self._workers(keep), "month": self._months(keep)}
            for payer, (words, _) in buffers.items():
                columns[payer] = decimal_array(words[::2][keep], self.money_scale)
        else:
            columns = {"worker_id": self._workers(None), "month": self._months(None)}
            for payer, (words, added) in buffers.items():
                # high words hold each sum's sign unless other blocks were added since
                columns[payer] = decimal_from_words(
                    words, self.money_scale, high_words_set=not added
                )
        return pa.table(columns)

    def order_fund_by_worker(self, fund: str) -> pa.Table:
        """One row per computed worker-month: ``worker_id``, ``month`` and ``amount``, what the
        per-order lines (per-order contributions and ``orders`` premiums) pay into ``fund``
        (a decimal; 0 where none do). Base lines are left out: e.g. the money a per-order
        pension contribution adds to the individual account, apart from the base's."""
        if fund not in _funds(self.pack):
            known = ", ".join(_funds(self.pack))
            raise InvalidInput(f"fund must be one of the pack's funds ({known}), got {fund!r}")
        months = self.months
        total = np.zeros(len(months.worker), np.int64)
        for block in self.blocks:
            values = block.fund(fund)
            if block.job is None or values is None or not len(block.wm):
                continue
            starts = run_starts(block.wm)  # rows that are no line hold 0
            if len(starts) == len(block.wm):
                total[block.wm] += values
            else:
                total[block.wm[starts]] += np.add.reduceat(values, starts)
        keep = np.flatnonzero(~months.refused) if months.refused_count else None
        return pa.table({
            "worker_id": self._workers(keep),
            "month": self._months(keep),
            "amount": decimal_array(total if keep is None else total[keep], self.money_scale),
        })  # fmt: skip

    def by_platform_region(self) -> pa.Table:
        """Per platform, region, month and scheme: the platforms' amount, orders and lines."""
        lines = self.lines.filter(pc.is_valid(self.lines["platform_id"]))
        return aggregate(
            lines, ("platform_id", "region", "month", "scheme"), ("amount", "orders"), count=True
        )

    def by_payer(self) -> pa.Table:
        """Per payer, scheme and month: the amount and what each fund receives."""
        funds = tuple(f"fund_{f}" for f in _funds(self.pack))
        return aggregate(self.lines, ("payer", "scheme", "month"), ("amount", *funds))

    # -- rejected rows --------------------------------------------------------------------
    @property
    def rejected(self) -> pa.Table:
        """Rows not computed: ``table``, ``row`` (0-based), ``column``, ``value``, ``reason``."""
        return rejected_rows(self.months)


def rejected_rows(months: WorkerMonths) -> pa.Table:
    seen: set[tuple[str, int]] = set()
    records: list[tuple[str, int, str, str | None, str]] = []
    for refusal in months.refusals:
        values = refusal.values
        for index, row in enumerate(refusal.rows.tolist()):
            if (refusal.table, row) in seen:
                continue
            seen.add((refusal.table, row))
            shown = (
                values[index]
                if len(values) == len(refusal.rows)
                else (values[0] if len(values) == 1 else None)
            )
            records.append((refusal.table, row, refusal.column, shown, refusal.reason))
        cause = f" (see {refusal.table} row {int(refusal.rows.min())})" if len(refusal.rows) else ""
        reason = f"its worker-month is refused: {refusal.reason}{cause}"
        for wm in refusal.months.tolist():
            start, size = int(months.job_start[wm]), int(months.job_count[wm])
            numbers = months.jobs.rows[start : start + size] + months.jobs.first_row
            for row in numbers.tolist():
                if ("engagements", row) not in seen:
                    seen.add(("engagements", row))
                    records.append(("engagements", row, refusal.column, None, reason))
    records.sort(key=lambda record: (record[0], record[1]))
    names = ("table", "row", "column", "value", "reason")
    types = (pa.string(), pa.int64(), pa.string(), pa.string(), pa.string())
    return pa.table(
        {
            name: pa.array([r[i] for r in records], kind)
            for i, (name, kind) in enumerate(zip(names, types, strict=True))
        }
    )


def aggregate(
    table: pa.Table, keys: tuple[str, ...], sums: tuple[str, ...], *, count: bool = False
) -> pa.Table:
    """Sum ``sums`` per ``keys`` (exact: decimals stay decimals); ``lines`` counts rows."""
    specs: list[tuple[str, str]] = [(name, "sum") for name in sums]
    if count:
        specs.append((keys[0], "count"))
    grouped = table.group_by(list(keys), use_threads=False).aggregate(specs)
    renames = {f"{name}_sum": name for name in sums} | {f"{keys[0]}_count": "lines"}
    grouped = grouped.rename_columns([renames.get(n, n) for n in grouped.column_names])
    for key in keys:  # small tables: plain text keys, sortable and easy to join
        position = grouped.column_names.index(key)
        column = grouped.column(key)
        if pa.types.is_dictionary(column.type):
            grouped = grouped.set_column(position, key, column.cast(column.type.value_type))
    return grouped.sort_by([(key, "ascending") for key in keys])


def _concat(parts: list[Ints]) -> Ints:
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)
