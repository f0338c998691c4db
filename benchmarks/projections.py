"""Throughput of yearly pension projections for a population (``batch.project_population``).

Builds a population of workers born between 1966 and 1999 (every retirement category,
careers projected from July 2025 in Shanghai at the floor, 3 % wage growth, 2.5 % assumed
interest) and times, in the same run:

* ``batch.project_population`` over all of them — one row per worker-year;
* the per-worker path on a sample — ``Jurisdiction.project_pension`` on an empty ledger for
  each worker, which is what the population projection did per worker before it shared the
  careers of workers with the same legal retirement date — extrapolated to the population.

Every sampled worker's last row is checked against its own ``project_pension`` to the fen.

    python benchmarks/projections.py [--workers N] [--sample N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import platform
import random
import sys
import time
from decimal import Decimal

import pyarrow as pa

import flexsecure as fs
from flexsecure import batch

ASSUMPTIONS = fs.Assumptions(
    start=fs.Month(2025, 7),
    region="CN-SH",
    base=fs.BaseChoice.FLOOR,
    wage_growth=Decimal("0.03"),
    interest_rate=Decimal("0.025"),
)


def population(count: int, seed: int = 5) -> list[fs.Worker]:
    rng = random.Random(seed)
    categories = list(fs.RetirementCategory)
    people = []
    for index in range(count):
        category = rng.choice(categories)
        people.append(
            fs.Worker(
                id=f"w-{index}",
                birth_date=dt.date(1966, 1, 1) + dt.timedelta(days=rng.randrange(365 * 34)),
                sex=category.sex,
                hukou_region="CN-SH",
                retirement_category=category,
            )
        )
    return people


def table(workers: list[fs.Worker]) -> pa.Table:
    return pa.table(
        {
            "worker_id": [w.id for w in workers],
            "birth_date": [w.birth_date for w in workers],
            "sex": [w.retirement_category.sex.value for w in workers],
            "retirement_category": [w.retirement_category.value for w in workers],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=1_000)
    args = parser.parse_args()
    cn = fs.load_jurisdiction("CN")
    workers = population(args.workers)
    workers_table = table(workers)
    step = max(1, args.workers // args.sample)
    sample = workers[::step][: args.sample]
    gc.freeze()

    start = time.perf_counter()
    expected: dict[str, fs.PensionProjection | None] = {}
    for worker in sample:
        try:
            expected[worker.id] = cn.project_pension(
                worker, fs.Ledger.for_worker(worker), region="CN-SH", assumptions=ASSUMPTIONS
            )
        except fs.FlexsecureError:
            expected[worker.id] = None  # retired before the start: the table says why
    per_worker = (time.perf_counter() - start) / len(sample)

    start = time.perf_counter()
    rows = batch.project_population(cn, workers_table, ASSUMPTIONS, errors="collect")
    whole = time.perf_counter() - start

    last = {}
    for row in rows.to_pylist():
        last[row["worker_id"]] = row
    differ = 0
    for worker_id, projection in expected.items():
        row = last[worker_id]
        if projection is None:
            differ += row["problem"] is None
        else:
            differ += (row["monthly_pension"], row["account_balance"]) != (
                projection.monthly_amount.amount,
                projection.account_balance.amount,
            )

    print(
        f"python {platform.python_version()} ({platform.python_implementation()}) on {sys.platform}"
    )
    print(f"workers: {args.workers:,} ({rows.num_rows:,} worker-years)")
    print(f"project_population:       {args.workers / whole:>9,.0f} workers/s ({whole:.2f} s)")
    print(
        f"per worker (project_pension, {len(sample):,} sampled): "
        f"{1 / per_worker:>9,.0f} workers/s ({per_worker * args.workers:.2f} s extrapolated)"
    )
    print(
        f"speed-up: {per_worker * args.workers / whole:.1f}x; sampled workers differing: {differ}"
    )
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    if differ:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
