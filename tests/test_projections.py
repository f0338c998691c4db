"""Pension projection: worked examples from the fact sheet, eligibility, and properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import BaseChoice, InvalidInput, Ledger, Money, Month, RuleNotFound

CN = fs.load_jurisdiction("CN")


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


# A man born 1972-05-10: original retirement month 2032-05, 88 months after 2025-01, so the
# reform delays him 88 // 4 + 1 = 23 months: legal date 2034-04-10 at 61y11m (CN.md §3.1).
SH_WORKER = fs.Worker(
    id="sh-1",
    birth_date=dt.date(1972, 5, 10),
    sex=fs.Sex.MALE,
    hukou_region="CN-SC",
    retirement_category=fs.RetirementCategory.MALE,
)


def shanghai_career(worker: fs.Worker, first: Month, last: Month, base: BaseChoice) -> Ledger:
    statements = [
        CN.monthly_contributions(
            worker, [], month, enrolments=[fs.Enrolment("pension", "CN-SH", base)]
        )
        for month in first.through(last)
    ]
    return Ledger.for_worker(worker).post(*statements)


GRADE_1 = BaseChoice.grade("1")
LEDGER_AT_AVERAGE_WAGE = shanghai_career(SH_WORKER, Month(2014, 4), Month(2025, 9), GRADE_1)


OCTOBER_2025 = Month(2025, 10)


def assume(
    base: BaseChoice = GRADE_1, growth: str = "0", start: Month = OCTOBER_2025
) -> fs.Assumptions:
    return fs.Assumptions(
        start=start,
        region="CN-SH",
        base=base,
        wage_growth=Decimal(growth),
        interest_rate=Decimal("0.02"),
    )


def test_basic_pension_worked_example() -> None:
    """CN.md §2.4: W_calc 12434, I 1.0, N 20 → 12434 × 2/2 × 20 × 1 % = 2486.80.

    A Shanghai career always at the average wage (grade 1.0, so every month's index is
    exactly 1): 138 months on the ledger (2014-04 … 2025-09) and 102 projected at no wage
    growth (2025-10 … 2034-03) = 240 months; Shanghai's calculation base 12434 (SRC-DATA).
    """
    projection = CN.project_pension(
        SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH", assumptions=assume()
    )
    assert projection.retirement.date == dt.date(2034, 4, 10)
    assert str(projection.retirement.age) == "61y11m"
    assert projection.contributed_months == 240
    assert projection.projected_months == 102
    assert projection.average_index == 1
    assert projection.calculation_base == yuan("12434")
    assert projection.basic_pension == yuan("2486.80")
    # account pension = balance / divisor of 61 (132, 国发〔2005〕38号; months of age floored)
    assert projection.divisor.months == 132
    assert projection.account_pension == (projection.account_balance / 132).quantize()
    assert projection.monthly_amount == projection.basic_pension + projection.account_pension
    assert projection.eligible
    assert projection.minimum_months == 210  # 17y6m for a 2034 retirement (CN.md §3.3)


def test_account_interest_and_divisor_worked_example() -> None:
    """Beijing, a man born 1965-01-10: legal date 2025-02-10 at 60y1m (delay 1, CN.md §3.2).

    An opening balance of 100,000.00 booked 2024-12-31 with 240 months earns the 2024 rate
    2.62 % as a current-year amount (劳办发〔1997〕116号 factor 1.083 × ½):
    100000 × 0.0262 × 0.5415 = 1418.73 → 101,418.73. The retirement year earns its part year
    up to the retirement date as a transfer would (one completed month, at the year before's
    rate; the pack's part-year rule, unverified): 101418.73 × 0.0262 × 1/12 = 221.43 →
    101,640.16; ÷ 139 (age 60) = 731.22. Until issue 10 the retirement year earned nothing
    (101,418.73 / 729.63), understating every projected balance.
    Basic: Beijing's 2025 calculation base 12049 (SRC-DATA) × (1 + 0) / 2 × 20 × 1 % = 1204.90
    (no month has a known base, so the index is 0).
    """
    worker = fs.Worker(
        id="bj-1", birth_date=dt.date(1965, 1, 10), sex="male", hukou_region="CN-BJ",
        retirement_category="male",
    )  # fmt: skip
    opening = fs.LedgerEntry(
        id="adjustment/bj-1/opening", kind=fs.EntryKind.ADJUSTMENT, worker_id="bj-1",
        scheme="pension", region="CN-BJ", month=None, booked_on=dt.date(2024, 12, 31),
        funds={"individual_account": yuan("100000.00")}, months=240,
    )  # fmt: skip
    projection = CN.project_pension(
        worker, Ledger.for_worker(worker).apply([opening]), region="CN-BJ"
    )
    assert projection.account_balance == yuan("101640.16")
    assert projection.account_pension == yuan("731.22")
    assert projection.basic_pension == yuan("1204.90")
    assert projection.monthly_amount == yuan("1936.12")
    assert projection.indexed_months == 0


def test_short_career_is_told_what_is_missing() -> None:
    """One month (2025-01) in Beijing at the floor, retiring 2025-02-10: the minimum is 180
    months (《社会保险法》 Art. 16), so 179 are missing; at Beijing's floor in force on the
    retirement date (6821 from 2024-07, SRC-CALC) × 20 % = 1364.20 a month → 244,191.80."""
    worker = fs.Worker(
        id="bj-2", birth_date=dt.date(1965, 1, 10), sex="male", hukou_region="CN-BJ",
        retirement_category="male",
    )  # fmt: skip
    statements = [
        CN.monthly_contributions(worker, [], m, enrolments=[fs.Enrolment("pension", "CN-BJ")])
        for m in (Month(2025, 1),)
    ]
    projection = CN.project_pension(
        worker, Ledger.for_worker(worker).post(*statements), region="CN-BJ"
    )
    assert not projection.eligible
    assert projection.shortfall_months == 179
    assert projection.shortfall_cost == yuan("244191.80")
    assert projection.monthly_amount == yuan("0")
    assert projection.amount_if_eligible > yuan("0")


def test_no_hidden_defaults() -> None:
    """Without assumptions, a retirement after the last published crediting rate cannot be
    projected: the unpublished year raises instead of being guessed."""
    with pytest.raises(RuleNotFound, match="Pass assumed_rate"):
        CN.project_pension(SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH")
    with pytest.raises(InvalidInput, match="EARNINGS"):
        assume(base=BaseChoice.EARNINGS)
    with pytest.raises(InvalidInput, match="wage_growth must be a Decimal"):
        fs.Assumptions(
            start=Month(2025, 10), region="CN-SH", base=GRADE_1, wage_growth=0.03,  # type: ignore[arg-type]
            interest_rate=Decimal("0.02"),
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="must come after the ledger's last contributed month"):
        CN.project_pension(
            SH_WORKER,
            LEDGER_AT_AVERAGE_WAGE,
            region="CN-SH",
            assumptions=assume(start=Month(2025, 1)),
        )


def test_growth_is_explained_and_retire_on_is_checked() -> None:
    projection = CN.project_pension(
        SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH", assumptions=assume(growth="0.03")
    )
    text = projection.explain().render("en")
    assert "pension.calculation_base projected to" in text
    assert "3%" in text
    assert projection.calculation_base > yuan("12434")
    late = CN.project_pension(
        SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH", assumptions=assume(),
        retire_on=dt.date(2035, 4, 10),
    )  # fmt: skip
    assert late.retirement.late_months == 12
    assert (
        late.monthly_amount
        > CN.project_pension(
            SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH", assumptions=assume()
        ).monthly_amount
    )
    with pytest.raises(InvalidInput, match=r"late_months must be 0\.\.36"):
        CN.project_pension(
            SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH", assumptions=assume(),
            retire_on=dt.date(2040, 4, 10),
        )  # fmt: skip
    assert "基础养老金" in projection.explain().render("zh_CN")


# -- properties ----------------------------------------------------------------------------

starts = st.builds(Month, st.integers(2025, 2031), st.integers(1, 12)).filter(
    lambda m: m >= Month(2025, 10)
)
grades = st.decimals("0.6", "3", places=1)


@settings(max_examples=15, deadline=None)
@given(start=starts, later=st.integers(1, 36), grade=grades)
def test_more_contributed_months_never_lower_the_pension(
    start: Month, later: int, grade: Decimal
) -> None:
    short = CN.project_pension(
        SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH",
        assumptions=assume(base=BaseChoice.grade(grade), start=start.plus(later)),
    )  # fmt: skip
    long = CN.project_pension(
        SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH",
        assumptions=assume(base=BaseChoice.grade(grade), start=start),
    )  # fmt: skip
    assert long.contributed_months >= short.contributed_months
    assert long.amount_if_eligible >= short.amount_if_eligible
    assert long.monthly_amount >= short.monthly_amount


@settings(max_examples=15, deadline=None)
@given(low=grades, raise_by=st.decimals("0", "2", places=1), growth=st.sampled_from(["0", "0.03"]))
def test_a_higher_base_never_lowers_the_pension(
    low: Decimal, raise_by: Decimal, growth: str
) -> None:
    a = CN.project_pension(
        SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH",
        assumptions=assume(base=BaseChoice.grade(low), growth=growth),
    )  # fmt: skip
    b = CN.project_pension(
        SH_WORKER, LEDGER_AT_AVERAGE_WAGE, region="CN-SH",
        assumptions=assume(base=BaseChoice.grade(low + raise_by), growth=growth),
    )  # fmt: skip
    assert b.monthly_amount >= a.monthly_amount
    assert b.account_balance >= a.account_balance


def test_interest_the_ledger_already_has_is_kept_not_credited_again() -> None:
    """Crediting 2025 on the ledger first must not change the projection beyond the one
    rounding step (the ledger's months and the projected months of 2025 are then rounded
    apart), nor raise when a later year was credited at another assumed rate."""
    worker = fs.Worker(
        id="pc-1", birth_date=dt.date(1990, 3, 15), sex="male", hukou_region="CN-SC",
        retirement_category="male",
    )  # fmt: skip
    ledger = shanghai_career(worker, Month(2025, 1), Month(2025, 6), BaseChoice.FLOOR)
    assumptions = fs.Assumptions(
        start=Month(2025, 7), region="CN-SH", base=BaseChoice.FLOOR,
        wage_growth=Decimal("0.03"), interest_rate=Decimal("0.02"),
    )  # fmt: skip
    plain = CN.project_pension(worker, ledger, region="CN-SH", assumptions=assumptions)
    credited = CN.project_pension(
        worker, CN.credit_interest(ledger, 2025), region="CN-SH", assumptions=assumptions
    )
    assert abs(plain.account_balance.amount - credited.account_balance.amount) <= Decimal("0.01")
    at_other_rate = CN.credit_interest(
        CN.credit_interest(ledger, 2025), 2026, assumed_rate=Decimal("0.05")
    )
    higher = CN.project_pension(worker, at_other_rate, region="CN-SH", assumptions=assumptions)
    assert higher.account_balance > plain.account_balance  # 2026 at 5 % stands


def test_months_booked_after_retirement_do_not_count() -> None:
    """A man born 1965-09-15 reaches his legal age on 2025-12-15 (delay 3 months): of a
    ledger running 2024-07 … 2026-06 in Beijing only the 17 months to 2025-11 count."""
    worker = fs.Worker(
        id="late-1", birth_date=dt.date(1965, 9, 15), sex="male", hukou_region="CN-BJ",
        retirement_category="male",
    )  # fmt: skip
    statements = [
        CN.monthly_contributions(worker, [], m, enrolments=[fs.Enrolment("pension", "CN-BJ")])
        for m in Month(2024, 7).through(Month(2026, 6))
    ]
    ledger = Ledger.for_worker(worker).post(*statements)
    with pytest.raises(RuleNotFound, match="needs an average wage"):
        CN.project_pension(worker, ledger, region="CN-BJ")  # 2024 has no Beijing wage
    later = Ledger.for_worker(worker).post(*statements[6:])  # 2025-01 onwards
    projection = CN.project_pension(worker, later, region="CN-BJ")
    assert projection.retirement.date == dt.date(2025, 12, 15)
    assert projection.contributed_months == 11  # 2025-01 … 2025-11
    assert projection.indexed_months == 11


def test_the_index_wage_region_is_a_cited_pack_choice() -> None:
    """人社部发〔2010〕70号 is recalled to index a moved career against the benefit region's
    wages (docs/source-decisions.md (a), unverified); the pack keeps each paying region's until
    the text is read, and a reform can follow the recalled text. A floor month in Zhejiang
    (2024-09, base 4,812) projected for a Jiangsu pension indexes against Zhejiang's 8,310 or
    Jiangsu's 8,132 (SRC-CALC-CITY and SRC-PROVINCE-TABLE-2024, derived, unverified)."""
    worker = fs.Worker(
        id="zj-1", birth_date=dt.date(1965, 1, 10), sex="male", hukou_region="CN-SH",
        retirement_category="male",
    )  # fmt: skip
    month = Month(2024, 9)
    statement = CN.monthly_contributions(
        worker, [], month, enrolments=[fs.Enrolment("pension", "CN-ZJ")]
    )
    ledger = Ledger.for_worker(worker).post(statement)
    base = statement.lines[0].base
    assert base is not None

    def index(jurisdiction: fs.Jurisdiction, wage_region: str) -> Decimal:
        projection = jurisdiction.project_pension(
            worker, ledger, region="CN-JS", retire_on=dt.date(2025, 2, 10)
        )
        wage = jurisdiction.parameter(
            "pension.average_wage", region=wage_region, on=month.first_day
        )
        assert projection.average_index == base.amount / wage.money().amount
        return projection.average_index

    whose = CN.parameter("pension_benefit.index_wage_region", on=dt.date(2025, 2, 10))
    assert whose.value == "paying"
    assert not whose.verified
    benefit = CN.with_reform(
        fs.Reform(
            name="index_in_the_benefit_region",
            set_values=[
                fs.SetValue("pension_benefit.index_wage_region", "benefit", dt.date(2006, 1, 1))
            ],
        )
    )
    assert index(CN, "CN-ZJ") != index(benefit, "CN-JS")
