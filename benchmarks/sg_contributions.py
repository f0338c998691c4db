"""Throughput of Singapore CPF statements through the per-object API.

Builds 50,000 synthetic rider-months (1–3 operators, 1–2 jobs each with a random mode of
transport, riders born 1996–2004 so all are Group A and 35 or below in 2026) and times
``Jurisdiction.monthly_contributions`` over them. In the same run it times a bare baseline —
the same per-operator arithmetic (FEDA, tiers, CPF rounding) in plain ``Decimal`` with the
2026 figures written in, without validation, pack lookups, allocation or explanations — so
the figure reads as a ratio on any machine; both must agree on every total.

    python benchmarks/sg_contributions.py [--count N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import random
import sys
import time
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

import flexsecure as fs

MONTH = fs.Month(2026, 5)
FEDA = {"car": Decimal("0.60"), "motorcycle": Decimal("0.35"), "bicycle": Decimal("0.20")}
DOLLAR = Decimal(1)


def population(count: int, seed: int = 11) -> list[tuple[fs.Worker, list[fs.Engagement]]]:
    rng = random.Random(seed)
    riders = []
    for index in range(count):
        rider = fs.Worker(
            id=f"p-{index}", birth_date=dt.date(1996 + index % 9, 1 + index % 12, 1 + index % 28)
        )
        jobs = [
            fs.Engagement(
                worker_id=rider.id,
                platform_id=f"op-{operator}",
                industry=rng.choice(("ride_hailing", "instant_delivery")),
                region="SG",
                month=MONTH,
                earnings=fs.Money(Decimal(rng.randrange(0, 400_000)).scaleb(-2), "SGD"),
                vehicle=rng.choice(tuple(FEDA)),
            )
            for operator in range(rng.randint(1, 3))
            for _ in range(rng.randint(1, 2))
        ]
        riders.append((rider, jobs))
    return riders


def baseline(jobs: list[fs.Engagement]) -> Decimal:
    """Per operator: NE, PO 7 %, PW 13 % phased in from $500 to $750, CPF rounding (2026)."""
    net: dict[str, Decimal] = {}
    for job in jobs:
        assert isinstance(job.vehicle, str)
        net[job.platform_id] = net.get(job.platform_id, Decimal(0)) + job.earnings.amount * (
            1 - FEDA[job.vehicle]
        )
    total = Decimal(0)
    for ne in net.values():
        operator = ne * Decimal("0.07") if ne > 50 else Decimal(0)
        if ne <= 500:
            worker = Decimal(0)
        elif ne <= 750:
            worker = (ne - 500) * Decimal("0.39")
        else:
            worker = ne * Decimal("0.13")
        rounded = (operator + worker).quantize(DOLLAR, ROUND_HALF_UP)
        assert worker.quantize(DOLLAR, ROUND_DOWN) <= rounded
        total += rounded
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000)
    args = parser.parse_args()
    sg = fs.load_jurisdiction("SG")
    riders = population(args.count)

    gc.freeze()  # the population is long-lived input: keep it out of every collection

    start = time.perf_counter()
    reference = [baseline(jobs) for _, jobs in riders]
    bare = time.perf_counter() - start

    mismatches = 0
    start = time.perf_counter()
    for (rider, jobs), expected in zip(riders, reference, strict=True):
        stmt = sg.monthly_contributions(rider, jobs, MONTH)
        mismatches += stmt.total().amount != expected
    full = time.perf_counter() - start

    print(
        f"python {platform.python_version()} ({platform.python_implementation()}) on {sys.platform}"
    )
    print(f"statements:       {args.count:>9,} rider-months, 1-3 operators each")
    print(f"monthly_contributions: {args.count / full:>9,.0f} rider-months/s ({full:.2f} s)")
    print(f"bare Decimal baseline: {args.count / bare:>9,.0f} rider-months/s ({bare:.2f} s)")
    print(f"ratio (API / baseline time): {full / bare:.1f}x")
    print(f"totals differing from the baseline: {mismatches}")
    if mismatches:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
