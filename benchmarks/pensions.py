"""Throughput of pension projections over synthetic 30-year careers.

Each career is a worker whose contributions start 30 years before their legal retirement date
(2020–2028 starts, Shanghai, a grade of the average wage, 2–4 % wage growth) and are projected
with ``Jurisdiction.project_pension``. The same run times a bare baseline — the months of each
career summed in plain ``Decimal`` with fixed figures, no pack, no interest, no explanations —
so the figure reads as a ratio on any machine.

    python benchmarks/pensions.py [--count N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import platform
import random
import sys
import time
from decimal import Decimal

import flexsecure as fs

GRADES = [Decimal("0.6"), Decimal("1"), Decimal("2"), Decimal("3")]
GROWTH = [Decimal("0.02"), Decimal("0.03"), Decimal("0.04")]


def careers(count: int, seed: int = 11) -> list[tuple[fs.Worker, fs.Assumptions]]:
    rng = random.Random(seed)
    cn = fs.load_jurisdiction("CN")
    result = []
    for index in range(count):
        worker = fs.Worker(
            id=f"w-{index}",
            birth_date=dt.date(rng.randint(1987, 1995), rng.randint(1, 12), rng.randint(1, 28)),
            sex=fs.Sex.MALE,
            hukou_region="CN-SC",
            retirement_category=fs.RetirementCategory.MALE,
        )
        retire = cn.retirement_date(worker).legal_month
        assumptions = fs.Assumptions(
            start=retire.plus(-360),
            region="CN-SH",
            base=fs.BaseChoice.grade(rng.choice(GRADES)),
            wage_growth=rng.choice(GROWTH),
            interest_rate=Decimal("0.02"),
        )
        result.append((worker, assumptions))
    return result


def baseline(assumptions: fs.Assumptions) -> Decimal:
    """360 months at a fixed base: the account and the index, plain Decimal."""
    assert assumptions.base.fraction is not None
    base = Decimal(12434) * assumptions.base.fraction
    account = Decimal(0)
    index = Decimal(0)
    for _ in range(360):
        account += (base * Decimal("0.08")).quantize(Decimal("0.01"))
        index += base / Decimal(12434)
    return account / 139 + Decimal(12434) * (1 + index / 360) / 2 * 30 / 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args()
    cn = fs.load_jurisdiction("CN")
    population = careers(args.count)
    gc.freeze()

    start = time.perf_counter()
    for _, assumptions in population:
        baseline(assumptions)
    bare = time.perf_counter() - start

    start = time.perf_counter()
    total = fs.Money("0", "CNY")
    eligible = 0
    for worker, assumptions in population:
        projection = cn.project_pension(
            worker, fs.Ledger.for_worker(worker), region="CN-SH", assumptions=assumptions
        )
        total = total + projection.monthly_amount
        eligible += projection.eligible
    full = time.perf_counter() - start

    python = f"{platform.python_version()} ({platform.python_implementation()})"
    print(f"python {python} on {sys.platform}")
    print(f"careers:          {args.count:>9,} of 30 years (360 months) each")
    print(f"project_pension:  {args.count / full:>9,.0f} careers/s ({full:.2f} s)")
    print(f"bare baseline:    {args.count / bare:>9,.0f} careers/s ({bare:.2f} s)")
    print(f"ratio (projection / baseline time): {full / bare:.2f}x")
    print(f"eligible: {eligible:,}; mean monthly pension {(total / args.count).quantize()}")


if __name__ == "__main__":
    main()
