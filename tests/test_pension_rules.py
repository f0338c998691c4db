"""Benefit rules: basic pension, divisors and account pension — worked examples, properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure.jurisdictions.cn.pensions import (
    Divisor,
    account_pension,
    average_contribution_index,
    basic_pension,
    divisor,
    divisor_months,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.reforms import Reform, SetValue
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money
from flexsecure.values.periods import Age
from tests.strategies import money

ON = dt.date(2030, 1, 1)
ONE_PERCENT = Decimal("0.01")


@pytest.fixture(scope="module")
def cn() -> RulePack:
    return fs.load_jurisdiction("CN").pack


@pytest.fixture(scope="module")
def interpolating(cn: RulePack) -> RulePack:
    """The CN pack with the divisor of an age with months interpolated (option (b) of §2.2)."""
    return cn.with_reform(
        Reform(
            name="interpolated_divisors",
            set_values=[
                SetValue("pension_benefit.divisor_interpolation", True, dt.date(2006, 1, 1))
            ],
        )
    )


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


# -- CN.md §2.4: benefit cases ----------------------------------------------------------


def test_basic_pension_case(cn: RulePack) -> None:
    """CN.md §2.4 [D]: W 12434, I 1.0, N 20 → 12434 × 2/2 × 20 × 1 % = 2486.80.

    Formula 国发〔2005〕38号 as SRC-DATA / SRC-CALC state it; the rate from the pack.
    """
    rate = cn.value("pension_benefit.basic_accrual_rate", None, ON).decimal()
    assert rate == ONE_PERCENT
    assert basic_pension(yuan("12434"), Decimal("1.0"), 240, rate) == yuan("2486.80")


def test_basic_pension_with_leftover_months_and_a_floor_index() -> None:
    """Leftover months count as twelfths; a floor contributor has I = 0.6 (CN.md §2.1).

    7460 × 1.6 / 2 × (185 / 12) × 1 % = 920.0666… → 920.07 (half-up to the fen).
    """
    assert basic_pension(yuan("7460"), Decimal("0.6"), 185, ONE_PERCENT) == yuan("920.07")
    assert basic_pension(yuan("7460"), Decimal("0.6"), 0, ONE_PERCENT) == yuan("0.00")


@pytest.mark.parametrize(
    ("age", "expected"),
    [(Age(60), "719.42"), (Age(55), "588.24"), (Age(50), "512.82")],
)
def test_account_pension_cases(cn: RulePack, age: Age, expected: str) -> None:
    """CN.md §2.4 [D]: 100000 / 139 = 719.42; / 170 = 588.24; / 195 = 512.82."""
    months = divisor_months(cn, age, ON)
    assert account_pension(yuan("100000"), months) == yuan(expected)


# -- CN.md §2.2: the divisor table -------------------------------------------------------

SECTION_2_2 = {
    40: 233, 41: 230, 42: 226, 43: 223, 44: 220, 45: 216, 46: 212, 47: 208,
    48: 204, 49: 199, 50: 195, 51: 190, 52: 185, 53: 180, 54: 175, 55: 170,
    56: 164, 57: 158, 58: 152, 59: 145, 60: 139, 61: 132, 62: 125, 63: 117,
    64: 109, 65: 101, 66: 93, 67: 84, 68: 75, 69: 65, 70: 56,
}  # fmt: skip


@pytest.mark.parametrize(("years", "months"), sorted(SECTION_2_2.items()))
def test_divisor_table(cn: RulePack, years: int, months: int) -> None:
    """CN.md §2.2: the annex of 国发〔2005〕38号 (个人账户养老金计发月数表), read in the Fujian
    gazette's text reprint (SRC-GUOFA-2005-38-FJ, docs/source-decisions.md (c))."""
    result = divisor(cn, Age(years), ON)
    assert result.months == months
    assert not result.interpolated
    (source,) = result.parameters
    assert source.name == "pension_benefit.divisor_months"
    assert source.citation.source_id == "SRC-GUOFA-2005-38-FJ"
    assert source.citation.verified


def test_the_divisor_at_47_is_208_as_the_annex_says(cn: RulePack) -> None:
    """国发〔2005〕38号 附件 (Fujian gazette reprint, SRC-GUOFA-2005-38-FJ): “46 212 47 208 48 204”.
    A woman retiring at 47 with 100000 in her account draws 100000 / 208 = 480.769… → 480.77 a
    month (207, the other calculators' reading, would give 483.09)."""
    result = divisor(cn, Age(47), ON)
    assert result.months == 208
    assert result.parameters[0].citation.evidence is fs.Evidence.OFFICIAL
    assert account_pension(yuan("100000"), result.months) == yuan("480.77")
    assert "pension_benefit.divisor_months_disputed" not in cn.parameters


def test_divisor_table_covers_40_to_70(cn: RulePack) -> None:
    """One table, ages 40–70, nothing else."""
    table = cn.value("pension_benefit.divisor_months", None, ON).table()
    assert sorted(table) == list(range(40, 71))


def test_divisor_of_an_age_with_months_takes_the_completed_years(cn: RulePack) -> None:
    """CN.md §2.2 [U]: the pack's choice (flag false) is the divisor of the completed years."""
    result = divisor(cn, Age(60, 8), ON)
    assert result.months == 139
    assert not result.interpolated
    assert [p.name for p in result.parameters] == [
        "pension_benefit.divisor_months",
        "pension_benefit.divisor_interpolation",
    ]
    assert result.parameters[1].citation.verified is False
    assert divisor_months(cn, Age(70, 11), ON) == 56


def test_divisor_interpolation(interpolating: RulePack) -> None:
    """Option (b) of CN.md §2.2: d(y) + (d(y+1) − d(y)) × m / 12."""
    assert divisor_months(interpolating, Age(60, 6), ON) == Decimal("135.5")
    assert divisor_months(interpolating, Age(55, 3), ON) == Decimal("168.5")  # 170 − 6 × 3/12
    assert divisor_months(interpolating, Age(60), ON) == 139
    assert divisor_months(interpolating, Age(70), ON) == 56
    across = divisor(interpolating, Age(46, 6), ON)  # 212 and 208
    assert across.months == 210
    assert across.interpolated
    assert [p.name for p in across.parameters] == [
        "pension_benefit.divisor_months",
        "pension_benefit.divisor_interpolation",
    ]


@pytest.mark.parametrize("age", [Age(39, 11), Age(71), Age(20)])
def test_divisor_out_of_the_table(cn: RulePack, age: Age) -> None:
    with pytest.raises(RuleNotFound, match=rf"rows for ages 40\.\.70 on 2030-01-01; .*age {age}"):
        divisor_months(cn, age, ON)


def test_interpolating_past_70_needs_71(interpolating: RulePack) -> None:
    with pytest.raises(RuleNotFound, match=r"age 70y1m \(interpolating needs age 71\)"):
        divisor_months(interpolating, Age(70, 1), ON)


def test_divisor_before_the_table(cn: RulePack) -> None:
    with pytest.raises(RuleNotFound, match="the pack starts at 2006-01-01"):
        divisor_months(cn, Age(60), dt.date(2005, 12, 31))


def test_divisor_explanation(cn: RulePack, interpolating: RulePack) -> None:
    tree = divisor(cn, Age(60, 5), ON).explain()
    assert tree.value("months") == 139
    assert tree.formula == "d(y): the divisor of the completed years"
    assert tree.children[0].value("value") == "60: 139"
    assert tree.children[0].citation is not None
    tree = divisor(interpolating, Age(66, 6), ON).explain()
    assert tree.children[0].value("value") == "66: 93, 67: 84"
    assert "[unverified]" in tree.render()
    assert isinstance(divisor(cn, Age(60), ON), Divisor)


def test_divisor_needs_an_age(cn: RulePack) -> None:
    with pytest.raises(InvalidInput, match="age must be an Age"):
        divisor_months(cn, 60, ON)  # type: ignore[arg-type]


# -- average contribution index ----------------------------------------------------------


def test_average_contribution_index() -> None:
    """CN.md §2.1: the mean over months of base ÷ average wage; at 60 % floors, I = 0.6."""
    wage = yuan("12434")
    assert average_contribution_index([(yuan("7460.40"), wage)] * 12) == Decimal("0.6")
    months = [(yuan("5000"), yuan("10000")), (yuan("15000"), yuan("10000"))]
    assert average_contribution_index(months) == 1
    assert average_contribution_index(iter(months)) == 1


@pytest.mark.parametrize(
    ("pairs", "message"),
    [
        ([], "at least one month"),
        ([(yuan("1"), yuan("0"))], r"bases_and_wages\[0\]: average wage must be > 0"),
        ([(yuan("1"), Money("1", "USD"))], "must be in the same currency"),
        ([(yuan("-1"), yuan("1"))], r"bases_and_wages\[0\] base must be >= 0"),
        ([(yuan("1"), yuan("1")), "x"], r"bases_and_wages\[1\] must be a \(base, average"),
        ([("x", yuan("1"))], r"bases_and_wages\[0\] base must be Money, got 'x'"),
        ([(Decimal(1), yuan("1"))], r"bases_and_wages\[0\] base must be Money"),
    ],
)
def test_average_contribution_index_refuses(pairs: list[object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        average_contribution_index(pairs)  # type: ignore[arg-type]


# -- input checks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((yuan("-1"), Decimal(1), 12, ONE_PERCENT), "calculation_base must be >= 0"),
        ((Decimal(1), Decimal(1), 12, ONE_PERCENT), "calculation_base must be Money"),
        ((yuan("1"), 0.6, 12, ONE_PERCENT), "floats cannot hold it exactly"),
        ((yuan("1"), Decimal(-1), 12, ONE_PERCENT), "average_index must be a finite number >= 0"),
        ((yuan("1"), Decimal(1), -1, ONE_PERCENT), "contributed_months must be a whole number"),
        ((yuan("1"), Decimal(1), 1.5, ONE_PERCENT), "contributed_months must be a whole number"),
        ((yuan("1"), Decimal(1), 12, Decimal(2)), "accrual_rate must be a fraction"),
    ],
)
def test_basic_pension_refuses(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        basic_pension(*args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("balance", "by", "message"),
    [
        (yuan("-1"), Decimal(139), "balance must be >= 0"),
        (yuan("1"), Decimal(0), "divisor must be > 0 months"),
        (yuan("1"), 139.0, "divisor must be a Decimal"),
        (yuan("1"), Decimal("NaN"), "divisor must be > 0 months"),
    ],
)
def test_account_pension_refuses(balance: Money, by: object, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        account_pension(balance, by)  # type: ignore[arg-type]


# -- properties ------------------------------------------------------------------------------

indexes = st.decimals("0", "3", places=4)
careers = st.integers(0, 600)


@settings(max_examples=200, deadline=None)
@given(base=money(0, 5_000_000), index=indexes, months=careers)
def test_a_longer_career_never_lowers_the_basic_pension(
    base: Money, index: Decimal, months: int
) -> None:
    """长缴多得: one more contribution month never lowers the basic pension."""
    shorter = basic_pension(base, index, months, ONE_PERCENT)
    longer = basic_pension(base, index, months + 1, ONE_PERCENT)
    assert longer >= shorter
    assert shorter.is_whole()


@settings(max_examples=200, deadline=None)
@given(base=money(0, 5_000_000), index=indexes, months=careers)
def test_basic_pension_is_the_exact_formula_rounded(
    base: Money, index: Decimal, months: int
) -> None:
    """The result lies within half a fen of W × (1 + I) / 2 × N/12 × 1 %."""
    exact = base.amount * (1 + index) / 2 * months / 12 * ONE_PERCENT
    assert abs(basic_pension(base, index, months, ONE_PERCENT).amount - exact) <= Decimal("0.005")


@settings(max_examples=200, deadline=None)
@given(balance=money(0, 100_000_000), years=st.integers(40, 69), extra=st.integers(0, 11))
def test_a_later_retirement_never_lowers_the_account_pension(
    cn: RulePack, interpolating: RulePack, balance: Money, years: int, extra: int
) -> None:
    """晚退多得: divisors fall with age, so the same balance pays at least as much later."""
    for pack in (cn, interpolating):
        earlier = divisor_months(pack, Age(years, extra), ON)
        later = divisor_months(pack, Age(years + 1), ON)
        assert later < earlier
        assert account_pension(balance, later) >= account_pension(balance, earlier)


@settings(max_examples=100, deadline=None)
@given(years=st.integers(40, 69), extra=st.integers(1, 11))
def test_interpolated_divisor_lies_between_its_neighbours(
    interpolating: RulePack, years: int, extra: int
) -> None:
    low = divisor_months(interpolating, Age(years + 1), ON)
    high = divisor_months(interpolating, Age(years), ON)
    assert low < divisor_months(interpolating, Age(years, extra), ON) < high


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(money(0, 10_000_000), money(1, 10_000_000)), min_size=1))
def test_average_index_lies_between_the_smallest_and_largest_ratio(
    pairs: list[tuple[Money, Money]],
) -> None:
    ratios = [base.amount / wage.amount for base, wage in pairs]
    assert min(ratios) <= average_contribution_index(pairs) <= max(ratios)
