"""Dask: the batch engine as a pure function over partitions, scheduled by Dask.

Anything past one machine runs as ``dask.dataframe.map_partitions`` over a function that
takes a partition of engagements (a pandas DataFrame) and returns its contribution lines —
:func:`partition_lines`. The jurisdiction (with its reforms) and the enrolment and platform
tables are passed as arguments; they pickle, so Dask ships them to every worker. The one rule:
**a worker-month must lie in one partition**, so shuffle on the worker id first
(:func:`dask_lines` does)::

    import dask.dataframe as dd
    import flexsecure as fs
    from flexsecure.batch.distributed import dask_lines

    cn = fs.load_jurisdiction("CN").with_reform("platform_cofunding")
    engagements = dd.read_parquet("engagements/")          # one row per engagement
    lines = dask_lines(engagements, cn, enrolments=[fs.Enrolment(scheme="pension",
                                                                 region="CN-SH")])
    by_payer = lines.groupby(["payer", "scheme"])["amount_fen"].sum().compute()

Lines come back with text columns as strings, money as exact Decimals (object columns) and an
``amount_fen`` integer column (the amount in minor units) for fast exact sums. It needs the
``dask`` extra (``pip install 'flexsecure[dask]'``).
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

try:
    import dask.dataframe  # noqa: F401
    import pandas  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised without the extra
    raise ImportError(
        f"flexsecure.batch.distributed needs the 'dask' extra ({error.name} is not installed): "
        "pip install 'flexsecure[dask]'"
    ) from error

from flexsecure.batch._money import minor_units_of
from flexsecure.batch.engine import HasRules, compute
from flexsecure.batch.result import BatchResult

__all__ = ["dask_lines", "lines_meta", "partition_lines"]


def _frame(result: BatchResult) -> Any:
    table = result.lines
    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(index, field.name, table.column(index).cast(pa.string()))
    frame = table.to_pandas()
    frame["amount_fen"] = minor_units_of(result.lines["amount"], result.money_scale)
    return frame


def partition_lines(
    partition: Any, jurisdiction: HasRules, enrolments: Any = None, platforms: Any = None
) -> Any:
    """The ``map_partitions`` body: a partition of engagements → its lines (pandas)."""
    result = compute(jurisdiction, partition, enrolments=enrolments, platforms=platforms)
    return _frame(result)


def lines_meta(jurisdiction: HasRules) -> Any:
    """An empty frame with the columns and dtypes :func:`partition_lines` returns (Dask's
    ``meta``)."""
    empty = pa.table(
        {
            "worker_id": pa.array([], pa.string()),
            "platform_id": pa.array([], pa.string()),
            "industry": pa.array([], pa.string()),
            "region": pa.array([], pa.string()),
            "month": pa.array([], pa.string()),
            "earnings": pa.array([], pa.string()),
            "orders": pa.array([], pa.int64()),
        }
    )
    return _frame(compute(jurisdiction, empty))


def dask_lines(
    engagements: Any,
    jurisdiction: HasRules,
    *,
    enrolments: Any = None,
    platforms: Any = None,
) -> Any:
    """Lines of a Dask DataFrame of engagements: shuffled on ``worker_id`` (every
    worker-month in one partition), then :func:`partition_lines` on each partition."""
    shuffled = engagements.shuffle(on="worker_id")
    return shuffled.map_partitions(
        partition_lines, jurisdiction, enrolments, platforms, meta=lines_meta(jurisdiction)
    )
