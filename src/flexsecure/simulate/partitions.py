"""Larger runs: independent partitions of workers, one run each, combined.

Workers in a simulation do not interact, so a population can be cut into partitions run
separately — one after the other to bound memory, on a process pool, or on a Dask cluster —
and the tables added up. :func:`partition_seed` gives each partition its own seed from the run's
seed; :func:`synthetic_partition` draws partition ``k`` (worker ids offset so they stay unique);
:func:`combine` adds the results' tables up (counts and money exactly) and recomputes the rates.

:func:`run_partitions` runs them all and combines them: one after the other in this process,
or with Dask (``flexsecure[dask]``) as delayed tasks — each a pure function of picklable
arguments — on the scheduler given (``"processes"``, ``"threads"``, or a
``distributed.Client`` of a cluster)::

    from flexsecure.simulate.partitions import run_partitions

    result = run_partitions(cn, spec, policy, partitions=8, start=start, years=10, seed=7,
                            scheduler="processes")

Every partition's tables depend only on the seed and the partition count, never on where it
ran, so the scheduler does not change the result.

A partitioned run is reproducible from its seed and partition count, but it is not the same
sample as one unpartitioned run of the same size (each partition draws its own workers).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.simulate.policy import Policy
from flexsecure.simulate.population import Population, PopulationSpec, synthetic_population
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.simulate.run import PAYERS
from flexsecure.simulate.simulation import PER_ORDER, SimulationResult, labelled, simulate
from flexsecure.values.errors import InvalidInput
from flexsecure.values.periods import Month

__all__ = ["combine", "partition_seed", "run_partition", "run_partitions", "synthetic_partition"]


def partition_seed(seed: int, partition: int) -> int:
    """A seed for ``partition`` of a run seeded ``seed`` (numpy's ``SeedSequence``)."""
    return int(np.random.SeedSequence([seed, partition]).generate_state(1)[0])


def _sizes(total: int, partitions: int) -> list[int]:
    if isinstance(partitions, bool) or not isinstance(partitions, int) or partitions < 1:
        raise InvalidInput(f"partitions must be an int >= 1, got {partitions!r}")
    if partitions > total:
        raise InvalidInput(f"{partitions} partitions for {total} workers")
    return [total // partitions + (k < total % partitions) for k in range(partitions)]


def synthetic_partition(
    jurisdiction: JurisdictionLike,
    spec: PopulationSpec,
    partition: int,
    *,
    partitions: int,
    start: Month,
    seed: int,
) -> Population:
    """Partition ``partition`` of ``partitions`` of ``spec.workers`` workers."""
    sizes = _sizes(spec.workers, partitions)
    people = synthetic_population(
        jurisdiction, attrs.evolve(spec, workers=sizes[partition]), start=start,
        seed=partition_seed(seed, partition), first_id=sum(sizes[:partition]),
    )  # fmt: skip
    return people


def run_partition(
    jurisdiction: JurisdictionLike,
    spec: PopulationSpec,
    policy: Policy,
    partition: int,
    *,
    partitions: int,
    start: Month,
    seed: int,
    **options: Any,
) -> SimulationResult:
    """Draw and run one partition (``options`` go to :func:`simulate`)."""
    people = synthetic_partition(jurisdiction, spec, partition, partitions=partitions,
                                 start=start, seed=seed)  # fmt: skip
    return simulate(jurisdiction, people, policy, start=start,
                    seed=partition_seed(seed, partition), **options)  # fmt: skip


def run_partitions(
    jurisdiction: JurisdictionLike,
    spec: PopulationSpec,
    policy: Policy,
    *,
    partitions: int,
    start: Month,
    seed: int,
    scheduler: Any = None,
    **options: Any,
) -> SimulationResult:
    """Every partition of ``spec`` run (``options`` go to :func:`simulate`) and combined:
    in this process when ``scheduler`` is ``None``, else as Dask delayed tasks computed on
    ``scheduler`` (a Dask scheduler name or a ``distributed.Client``)."""
    _sizes(spec.workers, partitions)
    common = {"partitions": partitions, "start": start, "seed": seed, **options}
    if scheduler is None:
        done = tuple(
            run_partition(jurisdiction, spec, policy, k, **common) for k in range(partitions)
        )
    else:
        from dask.base import compute
        from dask.delayed import delayed

        tasks = [
            delayed(run_partition)(jurisdiction, spec, policy, k, **common)
            for k in range(partitions)
        ]
        done = compute(*tasks, scheduler=scheduler)  # type: ignore[no-untyped-call]
    return combine(done)


def combine(results: Sequence[SimulationResult]) -> SimulationResult:
    """One result from the results of disjoint partitions of the same policy and months."""
    if not results:
        raise InvalidInput("combine needs at least one result")
    first = results[0]
    for other in results[1:]:
        if (other.policy, other.start, other.months) != (first.policy, first.start, first.months):
            raise InvalidInput("combine needs results of one policy over the same months")
    monthly = _sum(pa.concat_tables([r.monthly for r in results]), ("month", "region"),
                   ("active", "covered", "enrolled"))  # fmt: skip
    monthly = monthly.append_column("coverage_rate", _rate(monthly["covered"], monthly["active"]))
    counts = ("workers", "active_workers", "covered_workers", "active_months", "covered_months",
              "orders", *(f"paid_{p}" for p in PAYERS))  # fmt: skip
    keys = ("year", "region", "cohort")
    parts = pa.concat_tables([r.yearly.select([*keys, *counts]) for r in results])
    yearly = _sum(parts, keys, counts)
    rates = _rate(yearly["covered_months"], yearly["active_months"])
    yearly = yearly.add_column(yearly.column_names.index("orders"), "coverage_rate", rates)
    per_order = [
        (paid / orders).quantize(PER_ORDER) if orders else None
        for paid, orders in zip(yearly["paid_platform"].to_pylist(),
                                yearly["orders"].to_pylist(), strict=True)
    ]  # fmt: skip
    yearly = yearly.append_column(
        "platform_cost_per_order", pa.array(per_order, pa.decimal128(18, 4))
    )
    yearly = yearly.append_column("fiscal_cost", yearly["paid_government"])
    pensions = [r.pensions for r in results if r.pensions is not None]
    worker_years = [r.worker_years for r in results if r.worker_years is not None]
    name = first.policy.name
    return SimulationResult(
        first.policy, first.seed, first.start, first.months, first.behaviour,
        labelled(monthly, name), labelled(yearly, name),
        pa.concat_tables(pensions) if pensions else None,
        pa.concat_tables(worker_years) if worker_years else None,
        sum(r.ever_active for r in results), sum(r.ever_covered for r in results),
    )  # fmt: skip


def _sum(table: pa.Table, keys: tuple[str, ...], values: tuple[str, ...]) -> pa.Table:
    grouped = table.group_by(list(keys), use_threads=False).aggregate([(v, "sum") for v in values])
    grouped = grouped.rename_columns([c.removesuffix("_sum") for c in grouped.column_names])
    grouped = grouped.select([*keys, *values])
    money = [v for v in values if pa.types.is_decimal(table.schema.field(v).type)]
    for name in money:  # sums of decimal128(18, 2) widen; keep the input type
        position = grouped.column_names.index(name)
        grouped = grouped.set_column(
            position, name, grouped[name].cast(table.schema.field(name).type)
        )
    return grouped.sort_by([(k, "ascending") for k in keys])


def _rate(part: Any, whole: Any) -> pa.ChunkedArray:
    ratio = pc.divide(pc.cast(part, pa.float64()), pc.cast(whole, pa.float64()))
    zero = pc.equal(whole, 0)
    return pc.if_else(zero, pa.scalar(None, pa.float64()), ratio)
