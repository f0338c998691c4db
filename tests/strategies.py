"""Hypothesis strategies for flexsecure's domain types, shared by all test modules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, NamedTuple

from hypothesis import strategies as st

from flexsecure import (
    BaseChoice,
    ContributionLine,
    ContributionStatement,
    Engagement,
    Money,
    Month,
    Payment,
    RetirementCategory,
    Sex,
    Worker,
)
from flexsecure.calculations.accounts import EntryKind, LedgerEntry

CURRENCY = "CNY"

RIDER = Worker(
    id="w-001",
    birth_date=dt.date(1991, 5, 17),
    sex=Sex.MALE,
    hukou_region="CN-SC",
    retirement_category=RetirementCategory.MALE,
)
"""The rider of the worked examples: born 17 May 1991, male, hukou in Sichuan (CN-SC)."""

fen = st.integers(min_value=0, max_value=10**9)
"""A non-negative amount in fen."""


def money(
    min_fen: int = 0, max_fen: int = 5_000_000, currency: str = CURRENCY
) -> st.SearchStrategy[Money]:
    """Whole-fen amounts between the bounds."""
    return st.integers(min_fen, max_fen).map(
        lambda units: Money(Decimal(units).scaleb(-2), currency)
    )


months = st.builds(Month, st.integers(2000, 2040), st.integers(1, 12))

weights = st.lists(
    st.one_of(st.integers(0, 10**6), st.decimals(0, 10**6, places=2, allow_nan=False)),
    min_size=1,
    max_size=12,
).filter(lambda ws: any(ws))

base_choices = st.one_of(
    st.sampled_from([BaseChoice.FLOOR, BaseChoice.CEILING, BaseChoice.EARNINGS]),
    st.decimals("0.1", "5", places=2).map(BaseChoice.grade),
    money(0, 10_000_000).map(BaseChoice.declared),
)

INDUSTRIES = ("ride_hailing", "instant_delivery", "intra_city_freight")
PLATFORMS = ("ride-co", "food-co", "van-co", "dash-co")


def engagements(
    worker_id: str, month: Month, regions: tuple[str, ...] = ("CN-SH",), max_size: int = 3
) -> st.SearchStrategy[list[Engagement]]:
    """1..max_size engagements of one worker-month, on distinct platforms."""
    one = st.builds(
        lambda platform, industry, region, earnings, orders: Engagement(
            worker_id=worker_id,
            platform_id=platform,
            industry=industry,
            region=region,
            month=month,
            earnings=earnings,
            orders=orders,
        ),
        st.sampled_from(PLATFORMS),
        st.sampled_from(INDUSTRIES),
        st.sampled_from(regions),
        money(0, 3_000_000),
        st.integers(0, 2_000),
    )
    return st.lists(one, min_size=1, max_size=max_size, unique_by=lambda e: e.platform_id)


dates = st.dates(dt.date(1950, 1, 1), dt.date(2060, 12, 31))


# -- ledger entries (tests/test_ledger.py) --------------------------------------------------

LEDGER_REGIONS = ("CN-SH", "CN-BJ", "CN-SC")
LEDGER_SCHEMES = ("pension", "medical")


def _signed_money(limit_fen: int = 2_000_000) -> st.SearchStrategy[Money]:
    return st.integers(-limit_fen, limit_fen).map(
        lambda units: Money(Decimal(units).scaleb(-2), CURRENCY)
    )


def ledger_entries(worker_id: str = "w-001") -> st.SearchStrategy[LedgerEntry]:
    """Valid ledger entries of every kind an account holds (not ``due`` lines, which a ledger
    keeps apart) for ``worker_id``; ids are ``<kind>/<worker>/<n>``."""

    @st.composite
    def build(draw: st.DrawFn) -> LedgerEntry:
        kind = draw(st.sampled_from([k for k in EntryKind if k is not EntryKind.DUE]))
        number = draw(st.integers(0, 10_000))
        month = draw(st.builds(Month, st.integers(2010, 2030), st.integers(1, 12)))
        funds = draw(
            st.dictionaries(
                st.sampled_from(["individual_account", "pooled"]), _signed_money(), max_size=2
            )
        )
        base = draw(st.one_of(st.none(), money(300_000, 4_000_000)))
        if kind is EntryKind.CONTRIBUTION:
            months = draw(st.integers(0, 1))
            if months and base is None:
                base = Money("7460", CURRENCY)
        elif kind is EntryKind.INTEREST:
            months = 0
        else:
            months = draw(st.integers(-120, 120))
        with_month = kind is EntryKind.CONTRIBUTION or draw(st.booleans())
        return LedgerEntry(
            id=f"{kind.value}/{worker_id}/{number}",
            kind=kind,
            worker_id=worker_id,
            scheme=draw(st.sampled_from(LEDGER_SCHEMES)),
            region=draw(st.sampled_from(LEDGER_REGIONS)),
            month=month if with_month else None,
            booked_on=month.last_day if with_month else draw(dates),
            funds=funds,
            base=base,
            months=months,
            reference=draw(st.one_of(st.none(), st.sampled_from(["quote/1", "doc 12"]))),
            note=draw(st.one_of(st.none(), st.text(min_size=1, max_size=12))),
            account=draw(st.sampled_from(["regular", "temporary"])),
            payer=draw(st.one_of(st.none(), st.sampled_from(["worker", "platform"]))),
            platform_id=draw(st.one_of(st.none(), st.sampled_from(PLATFORMS))),
            rate=draw(st.one_of(st.none(), st.decimals("0", "1", places=4))),
        )

    return build()


# -- careers across regions (tests/test_transfers.py) ---------------------------------------

BANDED_REGIONS = ("CN-SH", "CN-BJ", "CN-ZJ", "CN-FJ")
"""Regions with pension base bands in the CN pack from 2024-01 at the latest (Guangdong's
start in 2024-07, its July–June year)."""
EXPLICIT_REGIONS = ("CN-SC",)
"""Regions without a band: their months are booked as explicit ledger entries."""


class Stint(NamedTuple):
    """Months worked in one region; ``overlap`` starts it in the previous stint's last month
    (a duplicate month), ``delay_days`` is how long after the last entry the move is made."""

    region: str
    months: int
    overlap: bool
    delay_days: int


@st.composite
def movers(draw: st.DrawFn) -> Worker:
    """Workers of every sex and category, some old enough for temporary accounts in 2024-2031."""
    category = draw(st.sampled_from(list(RetirementCategory)))
    return Worker(
        id="w-move",
        birth_date=draw(st.dates(dt.date(1966, 1, 1), dt.date(1998, 12, 31))),
        sex=category.sex,
        hukou_region=draw(st.sampled_from(("CN-SC", "CN-SH", "CN-GD"))),
        retirement_category=category,
    )


@st.composite
def stints(draw: st.DrawFn, min_size: int = 2, max_size: int = 5) -> list[Stint]:
    """2..5 stints, each in a region other than the one before."""
    count = draw(st.integers(min_size, max_size))
    regions = BANDED_REGIONS + EXPLICIT_REGIONS
    result: list[Stint] = []
    for index in range(count):
        previous = result[-1].region if result else None
        region = draw(st.sampled_from([r for r in regions if r != previous]))
        result.append(
            Stint(
                region=region,
                months=draw(st.integers(1, 18)),
                overlap=index > 0 and draw(st.booleans()),
                delay_days=draw(st.integers(0, 40)),
            )
        )
    return result


# -- schedules and payments (tests/test_schedules.py) ----------------------------------------


def hand_statements(
    worker_id: str, region: str, start: Month, amounts_fen: list[int]
) -> list[ContributionStatement]:
    """One statement per month from ``start``: a worker pension line of each amount (fen).

    For regions whose contribution rules the pack does not cover, schedules are built over
    statements given as facts (e.g. from a collector's bill).
    """
    statements = []
    for offset, fen_amount in enumerate(amounts_fen):
        amount = Money(Decimal(fen_amount).scaleb(-2), CURRENCY)
        line = ContributionLine(
            scheme="pension",
            payer="worker",
            platform_id=None,
            region=region,
            base=Money("5000", CURRENCY),
            rate=Decimal("0.20"),
            amount=amount,
            funds=(),
        )
        statements.append(
            ContributionStatement(
                worker_id=worker_id,
                month=start + offset,
                currency=CURRENCY,
                lines=(line,),
                jurisdiction="CN",
            )
        )
    return statements


def payments(first: dt.date, last: dt.date, max_size: int = 6) -> st.SearchStrategy[list[Payment]]:
    """Payments dated between ``first`` and ``last`` with distinct references."""
    one = st.tuples(money(1, 500_000), st.dates(first, last))
    return st.lists(one, max_size=max_size).map(
        lambda rows: [
            Payment(amount=amount, paid_on=day, reference=f"pay-{index}")
            for index, (amount, day) in enumerate(rows)
        ]
    )


def sgd(min_cents: int = 0, max_cents: int = 1_000_000) -> st.SearchStrategy[Money]:
    """Whole-cent Singapore dollar amounts between the bounds (in cents)."""
    return money(min_cents, max_cents, "SGD")


# -- populations (tests/test_batch_differential.py) -----------------------------------------

POPULATION_REGIONS = ("CN-SH", "CN-BJ", "CN-GD", "CN-FJ", "CN-GD-SZ")
POPULATION_MONTHS = (
    "2021-06",
    "2022-07",
    "2023-12",
    "2024-02",
    "2024-03",
    "2024-07",
    "2025-01",
    "2025-06",
    "2025-07",
    "2025-12",
    "2026-01",
    "2026-07",
)
"""Months on both sides of the pack's parameter changes (bands, coverage, in-force dates)."""
POPULATION_PLATFORMS = ("ride-co", "food-co", "van-co", "dash-co", "bike-co")
REGISTRY_KEYS = ("meituan", "didi", "huolala", "not_listed_app")
"""Registry keys: covered from 2022 or 2025, and one the pack does not list."""


class Population(NamedTuple):
    """Rows of the three batch input tables, as plain dicts (money as exact strings)."""

    engagements: list[dict[str, Any]]
    enrolments: list[dict[str, Any]]
    platforms: list[dict[str, Any]]


def _fen_text(units: int) -> str:
    return str(Decimal(units).scaleb(-2))


@st.composite
def populations(draw: st.DrawFn, max_workers: int = 4) -> Population:
    """Random workers over months across parameter changes, 0–5 platforms a worker-month,
    every base choice, enrolments for every month or for one month, premium classes."""
    engagements: list[dict[str, Any]] = []
    enrolments: list[dict[str, Any]] = []
    for number in range(draw(st.integers(1, max_workers))):
        worker = f"w-{number}"
        months = draw(
            st.lists(st.sampled_from(POPULATION_MONTHS), min_size=1, max_size=3, unique=True)
        )
        for month in months:
            count = draw(st.integers(0, 5))
            platforms = draw(
                st.lists(st.sampled_from(POPULATION_PLATFORMS), min_size=count, max_size=count)
            )
            for platform in platforms:
                engagements.append(
                    {
                        "worker_id": worker,
                        "platform_id": platform,
                        "industry": draw(st.sampled_from(INDUSTRIES)),
                        "region": draw(st.sampled_from(POPULATION_REGIONS)),
                        "month": month,
                        "earnings": _fen_text(
                            draw(st.one_of(st.just(0), st.integers(0, 3_000_000)))
                        ),
                        "orders": draw(st.integers(0, 2_000)),
                    }
                )
            if count == 0 or draw(st.integers(0, 4)) == 0:
                enrolments.extend(draw(_enrolments(worker, month)))
        enrolments.extend(draw(_enrolments(worker, None)))
    classes: list[dict[str, Any]] = []
    for platform in draw(st.lists(st.sampled_from(POPULATION_PLATFORMS), max_size=3, unique=True)):
        key = draw(st.one_of(st.none(), st.sampled_from(REGISTRY_KEYS)))
        regions = draw(
            st.lists(
                st.one_of(st.none(), st.sampled_from(("CN-GD", "CN-GD-SZ", "CN-SH"))),
                max_size=2,
                unique=True,
            )
        )
        for index, region in enumerate(regions or [None]):
            with_class = bool(regions) and draw(st.booleans())
            classes.append(
                {
                    "platform_id": platform,
                    "registry_key": key if index == 0 else None,
                    "industry": "instant_delivery" if with_class else None,
                    "premium_class": draw(
                        st.sampled_from(["high_claims", "high_claims", "standard", "unknown_class"])
                    )
                    if with_class
                    else None,
                    "region": region if with_class else None,
                }
            )
    return Population(engagements, enrolments, classes)


@st.composite
def _enrolments(draw: st.DrawFn, worker: str, month: str | None) -> list[dict[str, Any]]:
    rows = []
    for scheme in draw(st.lists(st.sampled_from(["pension", "medical"]), max_size=2, unique=True)):
        choice = draw(base_choices)
        rows.append(
            {
                "worker_id": worker,
                "scheme": scheme,
                "region": draw(st.sampled_from(POPULATION_REGIONS)),
                "base": choice.kind.value,
                "grade": str(choice.fraction) if choice.fraction is not None else None,
                "declared": str(choice.amount.amount) if choice.amount is not None else None,
                "month": month,
            }
        )
    return rows
