"""Throughput of a platform's monthly remittance: compute, write, read, verify, reconcile.

Builds the September 2025 statements of N workers (default 10,000) who all work for
``food-co`` (some also for ``ride-co``) in Shanghai, Beijing or Zhejiang, under the
``platform_cofunding`` scenario so the remittance carries pension shares as well as injury
fees. Then times, for ``food-co``: ``Jurisdiction.platform_remittance``, writing the
``flexsecure.remittance/1`` record and its JSON text, the agency's ``verify_remittance``
(strict read + recomputation + comparison) and a reconciliation of one payment per region.
In the same run it times a bare baseline — summing the platform's line amounts per (region,
scheme) in plain ``Decimal`` — so the figures read as ratios on any machine. Target: a
10,000-worker remittance computed and verified in a few seconds.

    python benchmarks/remittance.py [--count N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import platform
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import flexsecure as fs

MONTH = fs.Month(2025, 9)
REGIONS = ("CN-SH", "CN-BJ", "CN-ZJ")
INDUSTRIES = ("ride_hailing", "instant_delivery", "intra_city_freight")
T = TypeVar("T")


def statements(jurisdiction: fs.Jurisdiction, count: int) -> list[fs.ContributionStatement]:
    rng = random.Random(11)
    result = []
    for index in range(count):
        worker = fs.Worker(
            id=f"w-{index:06d}",
            birth_date=dt.date(1970 + index % 30, 1 + index % 12, 1 + index % 28),
            sex=fs.Sex.MALE,
            hukou_region="CN-SC",
            retirement_category=fs.RetirementCategory.MALE,
        )
        region = REGIONS[index % 3]
        jobs = [
            fs.Engagement(
                worker_id=worker.id,
                platform_id=platform_id,
                industry=rng.choice(INDUSTRIES),
                region=region,
                month=MONTH,
                earnings=fs.Money(Decimal(rng.randrange(100_000, 1_500_000)).scaleb(-2), "CNY"),
                orders=rng.randrange(0, 600),
            )
            for platform_id in ("food-co", "ride-co")[: rng.randint(1, 2)]
        ]
        enrolments = (
            [fs.Enrolment("pension", region, fs.BaseChoice.EARNINGS)] if region != "CN-ZJ" else []
        )
        result.append(
            jurisdiction.monthly_contributions(worker, jobs, MONTH, enrolments=enrolments)
        )
    return result


def baseline(population: list[fs.ContributionStatement]) -> dict[tuple[str, str], Decimal]:
    """The platform's sums per (region, scheme) with nothing around them."""
    sums: dict[tuple[str, str], Decimal] = {}
    for statement in population:
        for line in statement.lines:
            if line.platform_id == "food-co" and line.payer == "platform":
                key = (line.region, line.scheme)
                sums[key] = sums.get(key, Decimal(0)) + line.amount.amount
    return sums


def timed(label: str, count: int, run: Callable[[], T]) -> tuple[float, T]:
    start = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - start
    print(f"{label:<32} {count / seconds:>11,.0f} workers/s ({seconds:.3f} s)")
    return seconds, result


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    cofunded = fs.load_jurisdiction("CN").with_reform("platform_cofunding")
    print(
        f"python {platform.python_version()} ({platform.python_implementation()}) on {sys.platform}"
    )
    start = time.perf_counter()
    population = statements(cofunded, args.count)
    print(f"statements of {args.count:,} workers computed in {time.perf_counter() - start:.2f} s")
    gc.freeze()

    bare, sums = timed("bare Decimal baseline", args.count, lambda: baseline(population))
    compute, remittance = timed(
        "platform_remittance",
        args.count,
        lambda: cofunded.platform_remittance(population, platform_id="food-co", month=MONTH),
    )
    write, text = timed(
        "record + JSON text", args.count, lambda: json.dumps(fs.remittance_to_record(remittance))
    )
    verify, verified = timed(
        "verify_remittance (agency)",
        args.count,
        lambda: fs.verify_remittance(json.loads(text), population),
    )
    due = {item.region: item.due_date for item in remittance.items}
    paid = [
        fs.Payment(remittance.total_for(region=region), day, f"bank-{region}")
        for region, day in due.items()
    ]
    _, result = timed(
        "reconcile", args.count, lambda: remittance.reconcile(paid, on=max(due.values()))
    )
    mismatches = sum(
        remittance.total_for(region=region, scheme=scheme).amount != amount
        for (region, scheme), amount in sums.items()
    )
    print(f"remittance: {len(remittance.items)} items, {remittance.total}, "
          f"{len(text) / 1e6:.1f} MB of JSON; verified: {verified == remittance}; "
          f"arrears after paying on the due dates: {result.arrears}")  # fmt: skip
    whole = compute + write + verify
    print(f"compute + write + verify: {whole:.2f} s for {args.count:,} workers "
          f"({whole / bare:.0f}x the bare baseline); target: a few seconds")  # fmt: skip
    print(f"sums differing from the baseline: {mismatches}")
    if mismatches or verified != remittance or result.arrears:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
