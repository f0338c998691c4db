"""Throughput of monthly statements through the per-object API.

Builds 100,000 synthetic worker-months (1–3 engagements each, pension and medical enrolled in
Shanghai, injury premiums per order) and times ``Jurisdiction.monthly_contributions`` over
them. In the same run it times a bare baseline — the same month's arithmetic in plain
``Decimal`` without validation, parameters lookup or explanations — so the figure can be read
as a ratio on whatever machine runs it. Target: at least 40,000 worker-months per second on one
core (issue 9); the load average is printed, since a shared machine slows both figures.

    python benchmarks/contributions.py [--count N]
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
from decimal import ROUND_HALF_UP, Decimal

import flexsecure as fs

INDUSTRIES = ("ride_hailing", "instant_delivery", "intra_city_freight")
MONTH = fs.Month(2025, 9)


def population(count: int, seed: int = 7) -> list[tuple[fs.Worker, list[fs.Engagement]]]:
    rng = random.Random(seed)
    workers = []
    for index in range(count):
        worker = fs.Worker(
            id=f"w-{index}",
            birth_date=dt.date(1970 + index % 30, 1 + index % 12, 1 + index % 28),
            sex=fs.Sex.MALE,
            hukou_region="CN-SC",
            retirement_category=fs.RetirementCategory.MALE,
        )
        jobs = [
            fs.Engagement(
                worker_id=worker.id,
                platform_id=f"p-{platform_index}",
                industry=rng.choice(INDUSTRIES),
                region="CN-SH",
                month=MONTH,
                earnings=fs.Money(Decimal(rng.randrange(0, 1_500_000)).scaleb(-2), "CNY"),
                orders=rng.randrange(0, 600),
            )
            for platform_index in range(rng.randint(1, 3))
        ]
        workers.append((worker, jobs))
    return workers


ENROLMENTS = [
    fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.EARNINGS),
    fs.Enrolment(scheme="medical", region="CN-SH", base=fs.BaseChoice.EARNINGS),
]
PREMIUMS = {"ride_hailing": Decimal("0.01"), "instant_delivery": Decimal("0.07"),
            "intra_city_freight": Decimal("0.18")}  # fmt: skip
CENT = Decimal("0.01")


def baseline(jobs: list[fs.Engagement]) -> Decimal:
    """The month's arithmetic with nothing around it (fixed 2025-09 Shanghai figures)."""
    earnings = sum((job.earnings.amount for job in jobs), Decimal(0))
    base = min(max(earnings, Decimal(7460)), Decimal(37302))
    total = (base * Decimal("0.20")).quantize(CENT, ROUND_HALF_UP)
    total += (base * Decimal("0.10")).quantize(CENT, ROUND_HALF_UP)
    for job in jobs:
        total += (PREMIUMS[job.industry] * job.orders).quantize(CENT, ROUND_HALF_UP)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    cn = fs.load_jurisdiction("CN")
    workers = population(args.count)

    gc.freeze()  # the population is long-lived input: keep it out of every collection

    start = time.perf_counter()
    reference = [baseline(jobs) for _, jobs in workers]
    bare = time.perf_counter() - start

    # Stream, as a platform backend does: each statement is checked, then dropped.
    mismatches = 0
    start = time.perf_counter()
    for (worker, jobs), expected in zip(workers, reference, strict=True):
        stmt = cn.monthly_contributions(worker, jobs, MONTH, enrolments=ENROLMENTS)
        mismatches += stmt.total().amount != expected
    full = time.perf_counter() - start

    print(
        f"python {platform.python_version()} ({platform.python_implementation()}) on {sys.platform}"
    )
    print(f"statements:       {args.count:>9,} worker-months, 1-3 engagements each")
    print(f"monthly_contributions: {args.count / full:>9,.0f} worker-months/s ({full:.2f} s)")
    print(f"bare Decimal baseline: {args.count / bare:>9,.0f} worker-months/s ({bare:.2f} s)")
    print(f"ratio (API / baseline time): {full / bare:.1f}x; target >= 40,000 worker-months/s")
    print(f"load average (1 min): {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"totals differing from the baseline: {mismatches}")
    if mismatches:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
