"""The three input tables of a population run, their columns, and how each row is checked.

**engagements** — one row per engagement (one worker's work for one platform, in one region
and industry, in one month), as :class:`~flexsecure.Engagement`:

=============  ============================================================================
column         type
=============  ============================================================================
worker_id      string (or integer ids)
platform_id    string
industry       string, one of the pack's industries (``ride_hailing``, ...)
region         string, a region of the pack (``CN-SH``)
month          string ``YYYY-MM`` (or ``date32``: the month of the day)
earnings       ``decimal128(18, 2)`` or an exact string such as ``"6200.50"``; never float
orders         integer >= 0 (optional; 0 when the column is absent)
=============  ============================================================================

**enrolments** — one row per worker and voluntary scheme, as :class:`~flexsecure.Enrolment`:
``worker_id``, ``scheme``, ``region``, ``base`` (``floor``, ``ceiling``, ``earnings``,
``grade``, ``declared``; ``floor`` when absent), ``grade`` (a decimal fraction of the average
wage, only with ``grade``), ``declared`` (money, only with ``declared``) and an optional
``month``: empty for every month of the worker, or ``YYYY-MM`` for that month only (a
worker-month with such a row is computed even without engagements). A sequence of
:class:`~flexsecure.Enrolment` instead of a table enrols every worker-month alike.

**platforms** (optional) — as :class:`~flexsecure.Platform`: ``platform_id``, optional
``registry_key`` (which platform it is in the pack's ``[platforms]``, for schemes that cover
listed platforms), and premium classes: ``industry`` with ``premium_class``, for one
``region`` (a region's class wins over the platform's class for every region, a city falls
back to its province) or, when ``region`` is empty, for every region.

Rows are numbered from 0 in the order given (data rows; a file's header is not a row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from flexsecure.batch._arrays import (
    AnyInts,
    Codes,
    Ints,
    Problem,
    bounds,
    check_values,
    counting,
    encode_together,
    integers,
)
from flexsecure.batch._money import minor_units
from flexsecure.batch.members import (
    Enrolments,
    Platforms,
    enrolments_from_sequence,
    enrolments_from_table,
    platforms_table,
)
from flexsecure.batch.vocabularies import (
    key_problem,
    month_index_bounded,
    vocabulary,
    vocabulary_bounded,
)
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import minor_unit

__all__ = [
    "ENGAGEMENT_COLUMNS",
    "ENROLMENT_COLUMNS",
    "PLATFORM_COLUMNS",
    "Engagements",
    "Enrolments",
    "Platforms",
    "as_table",
    "negative_ids",
    "read_inputs",
    "repeated_orders",
]

ENGAGEMENT_COLUMNS = ("worker_id", "platform_id", "industry", "region", "month", "earnings")
ENROLMENT_COLUMNS = ("worker_id", "scheme", "region")
PLATFORM_COLUMNS = ("platform_id",)


def as_table(data: Any, name: str) -> pa.Table:
    """A pyarrow Table from a Table, a RecordBatch or a pandas DataFrame."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if type(data).__name__ == "DataFrame" and hasattr(data, "columns"):
        try:
            return pa.Table.from_pandas(data, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise InvalidInput(f"{name}: cannot read the DataFrame: {error}") from None
    raise InvalidInput(f"{name} must be a pyarrow Table or a pandas DataFrame, got {data!r}")


def _need(table: pa.Table, columns: Sequence[str], name: str) -> None:
    names = set(table.column_names)
    missing = [column for column in columns if column not in names]
    if missing:
        raise InvalidInput(
            f"{name} lacks column(s) {', '.join(missing)}; it has {', '.join(table.column_names)}"
        )


@attrs.frozen
class Workers:
    """Worker ids shared by the tables: integer keys, and the labels when ids are text."""

    labels: tuple[str, ...] | None


@attrs.frozen
class Engagements:
    """Engagement rows as arrays: codes into the vocabularies, money in minor units."""

    rows: Ints
    """Row numbers, from ``first_row`` on: row ``i`` is row ``first_row + rows[i]`` of the
    input."""
    worker: Ints
    month: Ints
    platform: Ints
    industry: AnyInts
    """Positions in the pack's industries, of any integer width (see ``AnyInts``)."""
    region: Ints
    earnings: Ints
    orders: Ints
    first_row: int = 0
    industry_bounds: tuple[int, int] | None = None
    """The least and largest industry code, when known from reading (rows taken from these
    keep them as bounds: their codes lie within)."""
    month_bounds: tuple[int, int] | None = None
    """The least and largest month index, both held by rows, when known from reading (rows
    taken from these do not keep them)."""
    orders_bounds: tuple[int, int] | None = None
    """Bounds the orders lie within, when known from reading (rows taken from these keep
    them as bounds)."""


@attrs.frozen
class Inputs:
    """Everything a run reads, checked; ``problems`` name each bad row by table."""

    engagements: Engagements
    enrolments: Enrolments
    platforms: Platforms
    workers: Workers
    platform_ids: tuple[str, ...]
    problems: dict[str, list[Problem]]


def _worker_keys(columns: list[pa.ChunkedArray], name: str) -> tuple[list[Ints], Workers]:
    kinds = {str(c.type) for c in columns if not pa.types.is_null(c.type)}
    if kinds and all(pa.types.is_integer(c.type) or pa.types.is_null(c.type) for c in columns):
        ids = [c if c.type == pa.int64() else c.cast(pa.int64()) for c in columns]
        return [(c.fill_null(-1) if c.null_count else c).to_numpy() for c in ids], Workers(None)
    text = [c.cast(pa.string()) if pa.types.is_integer(c.type) else c for c in columns]
    parts, values = encode_together(text, name)
    return parts, Workers(values)


def read_inputs(
    pack: RulePack,
    engagements: Any,
    enrolments: Any = None,
    platforms: Any = None,
    *,
    rows: Ints | int | None = None,
) -> Inputs:
    """Check and encode the three tables against ``pack`` (``rows``: the engagements' row
    numbers, when they are not 0, 1, 2, ...; a number: the first row's, the others
    following it)."""
    scale = -minor_unit(pack.currency).as_tuple().exponent  # type: ignore[operator]
    table = as_table(engagements, "engagements")
    _need(table, ENGAGEMENT_COLUMNS, "engagements")
    problems: dict[str, list[Problem]] = {"engagements": [], "enrolments": [], "platforms": []}
    given = enrolments if enrolments is not None else ()
    is_sequence = isinstance(given, (list, tuple))
    enrolment_table = None if is_sequence else as_table(given, "enrolments")
    if enrolment_table is not None:
        _need(enrolment_table, ENROLMENT_COLUMNS, "enrolments")
    platform_table = None if platforms is None else as_table(platforms, "platforms")
    if platform_table is not None:
        _need(platform_table, PLATFORM_COLUMNS, "platforms")

    id_columns = [table.column("worker_id")]
    if enrolment_table is not None:
        id_columns.append(enrolment_table.column("worker_id"))
    keys, workers = _worker_keys(id_columns, "worker_id")
    if workers.labels is not None:
        problems["engagements"] += _key_checks(keys[0], workers.labels, "worker_id")
        if len(keys) > 1:
            problems["enrolments"] += _key_checks(keys[1], workers.labels, "worker_id")
    elif len(keys) > 1 and len(keys[1]) and bounds(keys[1])[0] < 0:
        # the engagements' integer ids are checked while they are grouped, in the same pass
        # as their order (batch.grouping)
        problems["enrolments"].append(negative_ids(keys[1]))

    platform_parts = [table.column("platform_id")]
    if platform_table is not None:
        platform_parts.append(platform_table.column("platform_id"))
    platform_parts, platform_ids = encode_together(platform_parts, "platform_id")
    engagement_platform = platform_parts[0]
    problems["engagements"] += check_values(
        Codes(engagement_platform, platform_ids), "platform_id", key_problem
    )
    industry, industry_bounds = vocabulary_bounded(
        table.column("industry"), pack.industries, "industry", problems["engagements"]
    )
    region = vocabulary(
        table.column("region"), tuple(pack.regions), "region", problems["engagements"]
    )
    month, more, month_bounds = month_index_bounded(table.column("month"), "month")
    problems["engagements"] += more
    earnings, _, more = minor_units(table.column("earnings"), "earnings", scale)
    problems["engagements"] += more
    if "orders" in table.column_names:
        orders, more, orders_bounds = integers(table.column("orders"), "orders")
        problems["engagements"] += more
    else:
        orders, orders_bounds = np.zeros(table.num_rows, np.int64), (0, 0)
    first_row = 0
    if rows is None or isinstance(rows, int):
        first_row, rows = rows or 0, counting(table.num_rows)
    elif len(rows) != table.num_rows:
        raise InvalidInput(f"rows: {len(rows)} row numbers for {table.num_rows} engagements")
    jobs = Engagements(
        rows,
        keys[0],
        month,
        engagement_platform,
        industry,
        region,
        earnings,
        orders,
        first_row,
        industry_bounds,
        month_bounds,
        orders_bounds,
    )

    if enrolment_table is None:
        members = enrolments_from_sequence(pack, given, scale)
    else:
        members = enrolments_from_table(
            pack, enrolment_table, keys[1], scale, problems["enrolments"]
        )
    classes = Platforms({}, {}, np.zeros(0, np.int64))
    if platform_table is not None:
        classes = platforms_table(
            pack, platform_table, platform_parts[1], platform_ids, problems["platforms"]
        )
    return Inputs(jobs, members, classes, workers, platform_ids, problems)


def negative_ids(ids: Ints) -> Problem:
    """The rows of integer worker ids below 0 (a null id reads as -1)."""
    return Problem(np.flatnonzero(ids < 0), "worker_id", "is missing or negative")


def _key_checks(keys: Ints, labels: tuple[str, ...], name: str) -> list[Problem]:
    return check_values(Codes(keys, labels), name, key_problem)


def repeated_orders(jobs: Engagements, key: Ints, starts: Ints) -> Ints:
    """Engagements (indexes into ``jobs``, sorted by worker-month ``key`` with runs starting
    at ``starts``) that repeat another of their worker-month with orders: same platform,
    industry, region, earnings and orders. The per-object path refuses them (the same orders
    given twice would be billed twice); only worker-months of several rows are looked at."""
    sizes = np.diff(np.append(starts, len(key)))
    if not len(key) or int(sizes.max()) < 2:
        return np.zeros(0, np.int64)
    rows = np.flatnonzero(np.repeat(sizes > 1, sizes) & (jobs.orders > 0))
    if len(rows) < 2:
        return rows[:0]
    columns = [
        values[rows]
        for values in (jobs.orders, jobs.earnings, jobs.region, jobs.industry, jobs.platform, key)
    ]
    order = np.lexsort(columns)
    same = np.ones(len(rows) - 1, np.bool_)
    for values in columns:
        ranked = values[order]
        same &= ranked[1:] == ranked[:-1]
    repeated = np.zeros(len(rows), np.bool_)
    repeated[1:] |= same
    repeated[:-1] |= same
    return np.sort(rows[order[repeated]])
