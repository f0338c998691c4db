"""A synthetic population of Shanghai platform workers, for the researcher's tutorial.

Deterministic (a seeded generator), so the tutorial's numbers are the same on every build.
The earnings are invented for illustration; only the rules come from the CN pack.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from decimal import Decimal

import flexsecure as fs

MONTH = fs.Month(2025, 9)


def population(
    size: int = 400, seed: int = 2025
) -> Iterator[tuple[fs.Worker, list[fs.Engagement]]]:
    """``size`` workers, each with one or two platforms and the month's engagements."""
    draw = random.Random(seed)
    for number in range(size):
        worker_id = f"w-{number:04d}"
        male = draw.random() < 0.8
        worker = fs.Worker(
            id=worker_id,
            birth_date=dt.date(draw.randint(1965, 2004), draw.randint(1, 12), 1),
            sex=fs.Sex.MALE if male else fs.Sex.FEMALE,
            hukou_region=draw.choice(("CN-SH", "CN-SC", "CN-HA", "CN-AH", "CN-JS")),
            retirement_category=(
                fs.RetirementCategory.MALE if male else fs.RetirementCategory.FEMALE_50
            ),
        )
        jobs = []
        for platform in draw.sample(("ride-co", "food-co", "fast-co"), draw.choice((1, 1, 2))):
            industry = "ride_hailing" if platform == "ride-co" else "instant_delivery"
            earnings = Decimal(draw.randint(80_000, 900_000)) / 100
            jobs.append(
                fs.Engagement(
                    worker_id=worker_id,
                    platform_id=platform,
                    industry=industry,
                    region="CN-SH",
                    month=MONTH,
                    earnings=fs.Money(earnings, "CNY"),
                    orders=int(earnings / 16),
                )
            )
        yield worker, jobs


def statements(
    jurisdiction: fs.Jurisdiction, size: int = 400
) -> list[tuple[fs.Money, fs.ContributionStatement]]:
    """(earnings, statement) of every worker, all enrolled in the pension on the floor."""
    enrolments = [fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.FLOOR)]
    result = []
    for worker, jobs in population(size):
        statement = jurisdiction.monthly_contributions(worker, jobs, MONTH, enrolments=enrolments)
        earnings = sum((job.earnings for job in jobs), fs.Money("0", "CNY"))
        result.append((earnings, statement))
    return result


def worker_share_by_quintile(
    rows: list[tuple[fs.Money, fs.ContributionStatement]],
) -> list[Decimal]:
    """The workers' contributions as a share of their earnings, per earnings quintile."""
    ordered = sorted(rows, key=lambda row: row[0].amount)
    size = len(ordered) // 5
    shares = []
    for quintile in range(5):
        part = ordered[quintile * size : (quintile + 1) * size]
        paid = sum(s.total(payer="worker").amount for _, s in part)
        earned = sum(e.amount for e, _ in part)
        shares.append((paid / earned).quantize(Decimal("0.001")))
    return shares
