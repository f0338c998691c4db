"""Interest on the individual account, one implementation for every path (劳办发〔1997〕116号).

Crediting a ledger, settling an account that moves and projecting a pension all resolve the
year's rule with ``interest_rule`` and compute with ``year_interest``: the same ledger gives the
same interest whichever asks (issue 8), the month-by-month method of 116号 is selectable per
region (issue 10), and the retirement year earns its part year (issue 10).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import Ledger, Money, Month
from flexsecure.jurisdictions.cn.crediting import credit_interest
from flexsecure.jurisdictions.cn.interest import InterestMethod, interest_rule, year_interest

CN = fs.load_jurisdiction("CN")
IA = "individual_account"
MONTHLY = CN.with_reform(
    fs.Reform(
        name="monthly_products_in_shanghai",
        set_values=[
            fs.SetValue("account_interest.method", "monthly_products", dt.date(2024, 1, 1), "CN-SH")
        ],
    )
)
RETIREE = fs.Worker(
    id="r-1",
    birth_date=dt.date(1965, 1, 10),
    sex=fs.Sex.MALE,
    hukou_region="CN-SC",
    retirement_category=fs.RetirementCategory.MALE,
)


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


def paid_on(day: dt.date, amount: str, worker: str = "r-1") -> fs.LedgerEntry:
    return fs.LedgerEntry(
        id=f"adjustment/{worker}/{day}", kind=fs.EntryKind.ADJUSTMENT, worker_id=worker,
        scheme="pension", region="CN-SH", month=None, booked_on=day,
        funds={IA: yuan(amount)},
    )  # fmt: skip


def credited(jurisdiction: fs.Jurisdiction, day: dt.date, amount: str) -> Money:
    ledger = Ledger(worker_id="r-1", currency="CNY").apply([paid_on(day, amount)])
    after = jurisdiction.credit_interest(ledger, day.year)
    return after.balance("pension", IA) - ledger.balance("pension", IA)


def test_a_december_payment_earns_one_twelfth_by_monthly_products() -> None:
    """116号 月积数法: 1,200.00 paid in December 2024 earns 1 month of the 2.62 % rate,
    1200 × 0.0262 × 1/12 = 2.62; paid in January, 12 months, 31.44. The annual factor gives
    any 2024 payment 1200 × 0.0262 × 0.5415 = 17.02 (54 % of a year's interest)."""
    assert credited(MONTHLY, dt.date(2024, 12, 15), "1200.00") == yuan("2.62")
    assert credited(MONTHLY, dt.date(2024, 1, 15), "1200.00") == yuan("31.44")
    assert credited(CN, dt.date(2024, 12, 15), "1200.00") == yuan("17.02")
    assert credited(CN, dt.date(2024, 1, 15), "1200.00") == yuan("17.02")


def test_the_method_is_pack_data_cited_and_marked_unverified() -> None:
    rule = interest_rule(CN.pack, "CN-SH", 2024)
    assert rule.method is InterestMethod.ANNUAL_FACTOR
    assert rule.rate == Decimal("0.0262")
    assert not any(value.verified for value in rule.parameters)
    assert interest_rule(MONTHLY.pack, "CN-SH", 2024).method is InterestMethod.MONTHLY_PRODUCTS
    assert interest_rule(MONTHLY.pack, "CN-BJ", 2024).method is InterestMethod.ANNUAL_FACTOR


@settings(max_examples=40, deadline=None)
@given(
    amounts=st.lists(st.integers(0, 500_000), min_size=12, max_size=12),
    opening=st.integers(0, 10_000_000),
)
def test_twelve_equal_months_earn_the_same_by_either_method_up_to_the_factor(
    amounts: list[int], opening: int
) -> None:
    """Monthly products over a year never exceed the opening's full year plus every amount's
    full year, and a year of equal payments earns 78/144 = 0.5416… of a year on them — the
    1.083 × ½ of the annual factor, to the fen it rounds to."""
    rule = interest_rule(MONTHLY.pack, "CN-SH", 2024)
    flows = {m + 1: Decimal(a).scaleb(-2) for m, a in enumerate(amounts)}
    start = Decimal(opening).scaleb(-2)
    interest = year_interest(start, flows, rule, "CNY")
    ceiling = (start + sum(flows.values(), Decimal(0))) * rule.rate
    assert Decimal(0) <= interest.amount <= ceiling.quantize(Decimal("0.01")) + Decimal("0.01")
    equal = {m: Decimal("1000.00") for m in range(1, 13)}
    by_month = year_interest(Decimal(0), equal, rule, "CNY")
    assert by_month == yuan("170.30")  # 12000 × 0.0262 × 78/144 = 170.30


def career(months: int = 13) -> Ledger:
    statements = [
        CN.monthly_contributions(
            RETIREE, [], Month(2024, 1).plus(i), enrolments=[fs.Enrolment("pension", "CN-SH")]
        )
        for i in range(months)
    ]
    return Ledger.for_worker(RETIREE).post(*statements)


def test_a_transfer_and_a_pension_on_the_same_day_credit_the_same_interest() -> None:
    """A man born 1965-01-10 retires on 2025-02-10 (60y1m, CN.md §3.2). Moving his account on
    that day or starting his pension on it credits the same interest: 2024 in full, then the
    one completed month of 2025 at the 2024 rate (the pack's part-year rule)."""
    ledger = career()
    day = CN.retirement_date(RETIREE).date
    assert day == dt.date(2025, 2, 10)
    quote = CN.quote_transfer(ledger, from_region="CN-SH", to_region="CN-SC", on=day)
    projection = CN.project_pension(RETIREE, ledger, region="CN-BJ")  # a base there in 2025
    assert projection.account_balance == quote.individual_account
    assert quote.move is not None
    assert sum(credit.amount.amount for credit in quote.move.interest) > 0


def test_crediting_a_year_a_transfer_already_settled_changes_nothing() -> None:
    """The docs promise crediting a credited year is a no-op, also after a transfer settled it."""
    ledger = career()
    quote = CN.quote_transfer(
        ledger, from_region="CN-SH", to_region="CN-SC", on=dt.date(2025, 6, 30)
    )
    moved = ledger.apply(quote.execute())
    assert CN.credit_interest(moved, 2024) is moved


@pytest.mark.parametrize("day", [dt.date(2025, 3, 31), dt.date(2025, 12, 31)])
def test_back_dated_months_earn_the_same_by_quote_and_by_crediting(day: dt.date) -> None:
    """A 2024 month paid late (booked in 2025) earns by its booking date on every path: the
    quote's complete years are the very entries credit_interest books."""
    statements = [
        CN.monthly_contributions(
            RETIREE, [], Month(2024, m), enrolments=[fs.Enrolment("pension", "CN-SH")]
        )
        for m in range(1, 12)
    ]
    late = CN.monthly_contributions(
        RETIREE, [], Month(2024, 12), enrolments=[fs.Enrolment("pension", "CN-SH")]
    )
    ledger = Ledger.for_worker(RETIREE).post(*statements).post(late, booked_on=dt.date(2025, 1, 20))
    quote = CN.quote_transfer(ledger, from_region="CN-SH", to_region="CN-SC", on=day)
    by_crediting = credit_interest(CN.pack, ledger, 2024)
    entry = by_crediting.get("interest/r-1/pension/CN-SH/2024")
    assert entry is not None
    assert quote.move is not None
    settled = {credit.entry_id: credit.amount for credit in quote.move.interest}
    assert settled["interest/r-1/pension/CN-SH/2024"] == entry.fund(IA)


def test_crediting_a_year_after_moving_back_and_forth_changes_nothing() -> None:
    """Issue 8: a worker moves Shanghai → Beijing (2025-06) → Shanghai (2025-08) and on to
    Beijing in 2026; the last quote settles Shanghai's 2025, emptied and paid into again.
    Crediting 2025 afterwards raised LedgerConflict (the quote booked the year with another
    note than crediting would); now both book the very same entry and it is a no-op."""
    worker = fs.Worker(
        id="r-2", birth_date=dt.date(1985, 1, 10), sex=fs.Sex.MALE, hukou_region="CN-SC",
        retirement_category=fs.RetirementCategory.MALE,
    )  # fmt: skip

    def months(region: str, first: Month, count: int) -> list[fs.ContributionStatement]:
        return [
            CN.monthly_contributions(
                worker, [], first.plus(i), enrolments=[fs.Enrolment("pension", region)]
            )
            for i in range(count)
        ]

    assumed = Decimal("0.015")
    ledger = Ledger.for_worker(worker).post(*months("CN-SH", Month(2024, 1), 18))
    for origin, target, day, then in (
        ("CN-SH", "CN-BJ", dt.date(2025, 6, 30), months("CN-BJ", Month(2025, 7), 2)),
        ("CN-BJ", "CN-SH", dt.date(2025, 8, 31), months("CN-SH", Month(2025, 9), 6)),
        ("CN-SH", "CN-BJ", dt.date(2026, 3, 31), []),
    ):
        quote = CN.quote_transfer(
            ledger, from_region=origin, to_region=target, on=day, assumed_rate=assumed
        )
        ledger = ledger.apply(quote.execute()).post(*then)
    assert CN.credit_interest(ledger, 2025, assumed_rate=assumed) is ledger
