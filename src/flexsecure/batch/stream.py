"""Chunk by chunk: streams of engagements, and the same work spread over processes.

:func:`stream_contributions` computes a stream of engagement chunks (from
:func:`~flexsecure.batch.readers.read_engagements`, or any iterable of Tables) one chunk at a
time, so memory stays that of a chunk. A worker-month must not be split between two
computations: the rows of the last worker-month of a chunk are held back and computed with
the next chunk, so input grouped by worker and month (as exports usually are) may be cut
anywhere. Rows of one worker-month scattered far apart in a file cannot be brought together
in bounded memory; sort such a file first (or use :func:`flexsecure.batch.contributions`).

:func:`contributions_in_processes` runs the chunks in a :class:`~concurrent.futures.\
ProcessPoolExecutor` — everything a chunk needs (the jurisdiction with its reforms, the
tables) pickles — for machines without Dask.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch._kernels import two_runs
from flexsecure.batch.engine import Errors, HasRules, compute
from flexsecure.batch.inputs import as_table
from flexsecure.batch.result import BatchResult, aggregate
from flexsecure.batch.vocabularies import month_lookup
from flexsecure.values.errors import InvalidInput

__all__ = [
    "Totals",
    "combine",
    "contributions_in_processes",
    "stream_contributions",
]


def _last_month_rows(table: pa.Table) -> int:
    """How many rows at the end of ``table`` belong to its last row's worker-month (looked
    for from the end, in growing windows: usually a handful of rows are read)."""
    if table.num_rows == 0:
        return 0
    worker, month = table.column("worker_id"), table.column("month")
    last_worker, last_month = worker[-1], month[-1]
    if not last_worker.is_valid or not last_month.is_valid:
        return 0
    window = 16
    while True:
        size = min(window, table.num_rows)
        tail_worker = worker.slice(table.num_rows - size)
        tail_month = month.slice(table.num_rows - size)
        same = pc.and_(pc.equal(tail_worker, last_worker), pc.equal(tail_month, last_month))
        flags = same.fill_null(False).to_numpy(zero_copy_only=False)
        different = np.flatnonzero(~flags)
        if len(different):
            return int(size - int(different[-1]) - 1)
        if size == table.num_rows:
            return int(size)
        window *= 4


def _continues(table: pa.Table, following: pa.Table) -> bool:
    """Whether ``following`` starts with a row of ``table``'s last worker-month."""
    if not table.num_rows or not following.num_rows:
        return False
    for column in ("worker_id", "month"):  # the month only when the worker is the same
        last, first = table.column(column)[-1], following.column(column)[0]
        if not (last.is_valid and first.is_valid and last.as_py() == first.as_py()):
            return False
    return True


SPLIT_AT_LEAST = 1 << 16
"""Rows a chunk needs before it is cut at a change of month (below, the Python of one more
computation costs more than the passes the cut saves)."""


def _month_cut(table: pa.Table) -> int | None:
    """Where the month changes in ``table``, when its rows are one month's then the next's
    (as month-by-month exports run) and its months are a clean dictionary column (as
    Parquet files and the readers give); ``None`` otherwise.

    A chunk of one month takes the engine's cheaper paths — one set of rules, no month key
    per row — so a chunk across a month boundary is computed as two. The pieces hold
    different months, so no engagement's worker-month is in both (the caller makes sure no
    enrolment adds one: see ``_Options.cuts_months``)."""
    if table.num_rows < SPLIT_AT_LEAST:
        return None
    column = table.column("month")
    array = column.chunk(0) if column.num_chunks == 1 else None
    if (
        array is None
        or not pa.types.is_dictionary(array.type)
        or not pa.types.is_string(array.type.value_type)
        or array.null_count
        or array.dictionary.null_count
    ):
        return None
    indices = array.indices.to_numpy(zero_copy_only=False)
    if indices[0] == indices[-1]:
        return None
    cut = two_runs(indices)
    months = month_lookup(tuple(array.dictionary.to_pylist())) if cut is not None else None
    if months is None or months[indices[0]] == months[indices[-1]]:
        return None
    return cut


def _whole(table: pa.Table, first_row: int) -> Iterator[tuple[pa.Table, int]]:
    yield table, first_row


def _by_month(table: pa.Table, first_row: int) -> Iterator[tuple[pa.Table, int]]:
    """``table`` (its first row numbered ``first_row``), cut in two where its month changes
    (:func:`_month_cut`)."""
    cut = _month_cut(table)
    if cut is None:
        yield table, first_row
    else:
        yield table.slice(0, cut), first_row
        yield table.slice(cut), first_row + cut


def _chunks(chunks: Iterable[Any], *, by_month: bool = False) -> Iterator[tuple[pa.Table, int]]:
    """Chunks with whole worker-months, and the file row number of each one's first row.

    Each chunk is looked at beside the next: only when a worker-month runs on into the next
    chunk are its rows held back and put in front of it (a copy of that chunk); otherwise
    chunks pass through as they are, but, ``by_month``, for a chunk whose rows run from one
    month into the next, which passes as two (:func:`_by_month`).
    """
    pieces = _by_month if by_month else _whole
    offset = 0
    pending: tuple[pa.Table, int] | None = None
    for raw in chunks:
        table = as_table(raw, "engagements chunk")
        first = offset  # the rows of a chunk (held rows included) follow each other
        offset += table.num_rows
        if pending is not None:
            current, current_first = pending
            if _continues(current, table):
                keep = current.num_rows - _last_month_rows(current)
                if keep:
                    yield from pieces(current.slice(0, keep), current_first)
                held = current.slice(keep)
                table = pa.concat_tables([held, table], promote_options="permissive")
                first = current_first + keep
            elif current.num_rows:
                yield from pieces(current, current_first)
        pending = (table, first)
    if pending is not None and pending[0].num_rows:
        yield from pieces(*pending)


def stream_contributions(
    jurisdiction: HasRules,
    chunks: Iterable[Any],
    *,
    enrolments: Any = None,
    platforms: Any = None,
    errors: Errors = "raise",
) -> Iterator[BatchResult]:
    """One :class:`BatchResult` per chunk of whole worker-months; rows keep their numbers in
    the whole stream (for rejected rows and errors).

    Where the enrolments are none or a list every worker-month has, and no platforms table is
    given, a chunk whose rows run from one month into the next (as month-by-month exports
    do) gives two results, one per month: the same lines, totals and row numbers, computed
    on the engine's cheaper one-month paths (a different error may be raised first where
    both months have one)."""
    options = _Options(enrolments, platforms, errors)
    for table, first_row in _chunks(chunks, by_month=options.cuts_months()):
        yield options.compute(jurisdiction, table, first_row)


@attrs.frozen
class _Options:
    """What every chunk of a run is computed with (picklable, for a process pool)."""

    enrolments: Any
    platforms: Any
    errors: Errors

    def cuts_months(self) -> bool:
        """Whether a chunk may be computed month by month with the same result: a table of
        enrolments could date one into a month the piece does not hold (its worker-month
        would be computed in both pieces), and a table's bad rows would be reported by each
        piece, so only enrolments given as a list (or none) and no platforms table."""
        given = self.enrolments
        return self.platforms is None and (given is None or isinstance(given, (list, tuple)))

    def compute(self, jurisdiction: HasRules, table: pa.Table, first_row: int) -> BatchResult:
        """One chunk's result, its rows numbered from ``first_row``."""
        return compute(
            jurisdiction,
            table,
            enrolments=self.enrolments,
            platforms=self.platforms,
            errors=self.errors,
            rows=first_row,
        )


class Totals:
    """Aggregations of many chunks, combined exactly (per platform and region, per payer)."""

    def __init__(self) -> None:
        self.platform_region: list[pa.Table] = []
        self.payer: list[pa.Table] = []
        self.rejected: list[pa.Table] = []
        self.worker_months = 0
        self.lines = 0

    def add(self, result: BatchResult) -> None:
        self.platform_region.append(result.by_platform_region())
        self.payer.append(result.by_payer())
        self.rejected.append(result.rejected)
        self.worker_months += int((~result.months.refused).sum())
        self.lines += result.line_count

    def by_platform_region(self) -> pa.Table:
        return combine(self.platform_region, ("platform_id", "region", "month", "scheme"))

    def by_payer(self) -> pa.Table:
        return combine(self.payer, ("payer", "scheme", "month"))


def combine(tables: list[pa.Table], keys: tuple[str, ...]) -> pa.Table:
    """Aggregations of several chunks summed into one (same keys, exact sums)."""
    if not tables:
        raise InvalidInput("combine needs at least one table")
    table = pa.concat_tables(tables, promote_options="permissive")
    sums = tuple(name for name in table.column_names if name not in keys)
    return aggregate(table, keys, sums)


def _totals_of_chunk(
    jurisdiction: HasRules, table: pa.Table, first_row: int, options: _Options
) -> tuple[pa.Table, pa.Table, pa.Table]:
    result = options.compute(jurisdiction, table, first_row)
    return result.by_platform_region(), result.by_payer(), result.rejected


def contributions_in_processes(
    jurisdiction: HasRules,
    chunks: Iterable[Any],
    *,
    enrolments: Any = None,
    platforms: Any = None,
    errors: Errors = "raise",
    processes: int | None = None,
) -> Totals:
    """The chunks computed in a process pool; returns their combined :class:`Totals`."""
    totals = Totals()
    options = _Options(enrolments, platforms, errors)
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = [
            pool.submit(_totals_of_chunk, jurisdiction, table, first_row, options)
            for table, first_row in _chunks(chunks, by_month=options.cuts_months())
        ]
        for future in futures:
            platform_region, payer, rejected = future.result()
            totals.platform_region.append(platform_region)
            totals.payer.append(payer)
            totals.rejected.append(rejected)
    return totals
