"""Retirement dates under the 2024 reform: worked examples from the sources, then properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import RetirementCategory, Sex, Worker
from flexsecure.jurisdictions.cn.retirement import (
    RetirementDate,
    legal_delay,
    minimum_contribution_months,
    retirement_date,
)
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.periods import Age, Month, age_on

MALE = RetirementCategory.MALE
FEMALE_55 = RetirementCategory.FEMALE_55
FEMALE_50 = RetirementCategory.FEMALE_50
ORIGINAL_YEARS = {MALE: 60, FEMALE_55: 55, FEMALE_50: 50}
MAX_DELAY = {MALE: 36, FEMALE_55: 36, FEMALE_50: 60}


@pytest.fixture(scope="module")
def cn() -> RulePack:
    return fs.load_jurisdiction("CN").pack


def worker(birth: dt.date, category: RetirementCategory) -> Worker:
    return Worker(
        id="w-ret",
        birth_date=birth,
        sex=Sex.MALE if category is MALE else Sex.FEMALE,
        hukou_region="CN-SC",
        retirement_category=category,
    )


# -- CN.md §3.2: legal retirement age ------------------------------------------------------

SECTION_3_2 = [
    # category, birth, delay, legal age, legal date
    (MALE, dt.date(1964, 12, 1), 0, Age(60, 0), dt.date(2024, 12, 1)),
    (MALE, dt.date(1965, 1, 1), 1, Age(60, 1), dt.date(2025, 2, 1)),
    (MALE, dt.date(1967, 5, 12), 8, Age(60, 8), dt.date(2028, 1, 12)),
    (MALE, dt.date(1976, 12, 1), 36, Age(63, 0), dt.date(2039, 12, 1)),
    (FEMALE_55, dt.date(1970, 1, 1), 1, Age(55, 1), dt.date(2025, 2, 1)),
    (FEMALE_55, dt.date(1981, 12, 1), 36, Age(58, 0), dt.date(2039, 12, 1)),
    (FEMALE_55, dt.date(1984, 1, 16), 36, Age(58, 0), dt.date(2042, 1, 16)),
    (FEMALE_50, dt.date(1975, 1, 1), 1, Age(50, 1), dt.date(2025, 2, 1)),
    (FEMALE_50, dt.date(1984, 12, 1), 60, Age(55, 0), dt.date(2039, 12, 1)),
]


@pytest.mark.parametrize(("category", "birth", "delay", "legal_age", "legal_date"), SECTION_3_2)
def test_legal_retirement_age_cases(
    cn: RulePack,
    category: RetirementCategory,
    birth: dt.date,
    delay: int,
    legal_age: Age,
    legal_date: dt.date,
) -> None:
    """CN.md §3.2: samples of SRC-DATA and cases 1 and 16 of SRC-CASES, under 办法 Art. 1.

    Rows given only to the month are checked on the 1st; the day is the birth day.
    """
    result = retirement_date(cn, worker(birth, category))
    assert result.delay_months == delay
    assert result.legal_age == legal_age
    assert result.legal_date == legal_date
    assert result.date == legal_date
    assert result.age == legal_age
    assert result.original_age == Age(ORIGINAL_YEARS[category])
    assert result.category is category


def test_man_born_1967_05_12_retires_2028_01_12(cn: RulePack) -> None:
    """SRC-CASES case 1 (CN.md §3.2): a man born 1967-05-12 retires on 2028-01-12 at 60 y 8 m."""
    result = retirement_date(cn, worker(dt.date(1967, 5, 12), MALE))
    assert isinstance(result, RetirementDate)
    assert (result.legal_date, str(result.legal_age)) == (dt.date(2028, 1, 12), "60y8m")
    assert result.legal_month == Month(2028, 1)


def test_woman_55_born_1984_01_16_retires_2042_01_16(cn: RulePack) -> None:
    """SRC-CASES case 16 (CN.md §3.2): a woman (original age 55) born 1984-01-16 → 2042-01-16."""
    result = retirement_date(cn, worker(dt.date(1984, 1, 16), FEMALE_55))
    assert result.legal_date == dt.date(2042, 1, 16)
    assert result.delay_months == 36


def test_birth_day_is_clipped_to_the_end_of_the_legal_month(cn: RulePack) -> None:
    """The legal date is the birth day in the legal month (SRC-CASES), clipped to month end."""
    cases = [
        # birth, category, legal date: original month, m, delay in the comment
        (dt.date(1965, 7, 31), MALE, dt.date(2025, 9, 30)),  # 2025-07, m 6, delay 2
        (dt.date(1965, 11, 30), MALE, dt.date(2026, 2, 28)),  # 2025-11, m 10, delay 3
        (dt.date(1967, 12, 31), MALE, dt.date(2028, 9, 30)),  # 2027-12, m 35, delay 9
        (dt.date(1968, 2, 29), MALE, dt.date(2028, 12, 29)),  # 2028-02, m 37, delay 10
        (dt.date(1975, 12, 31), FEMALE_50, dt.date(2026, 6, 30)),  # 2025-12, m 11, delay 6
        (dt.date(1964, 2, 29), MALE, dt.date(2024, 2, 29)),  # before the reform: no delay
    ]
    for birth, category, legal_date in cases:
        assert retirement_date(cn, worker(birth, category)).legal_date == legal_date, birth


def test_legal_delay_rule() -> None:
    """办法 Art. 1 / CN.md §3.1: delay = 0 before the start, else min(m // step + 1, max)."""
    assert legal_delay(-1, 4, 36) == 0
    assert legal_delay(0, 4, 36) == 1
    assert legal_delay(3, 4, 36) == 1
    assert legal_delay(4, 4, 36) == 2
    assert legal_delay(143, 4, 36) == 36
    assert legal_delay(10_000, 2, 60) == 60
    with pytest.raises(InvalidInput, match="step must be >= 1"):
        legal_delay(5, 0, 36)


# -- CN.md §3.3: minimum contribution months ---------------------------------------------


@pytest.mark.parametrize(
    ("year", "months"),
    [
        (2011, 180),
        (2024, 180),
        (2025, 180),
        (2029, 180),
        (2030, 186),
        (2031, 192),
        (2032, 198),
        (2035, 216),
        (2038, 234),
        (2039, 240),
        (2042, 240),
        (2060, 240),
    ],
)
def test_minimum_contribution_months(cn: RulePack, year: int, months: int) -> None:
    """CN.md §3.3 (SRC-DATA; SRC-CASES: 15.5 y for 2030, 16 y for 2031, 20 y for 2042)."""
    assert minimum_contribution_months(cn, year) == months


def test_minimum_contribution_months_before_the_pack(cn: RulePack) -> None:
    """The table starts with 《社会保险法》 Art. 16 in force on 2011-07-01."""
    with pytest.raises(RuleNotFound, match="retirement year 2010; its values start at 2011-07-01"):
        minimum_contribution_months(cn, 2010)
    with pytest.raises(InvalidInput, match="retirement_year must be a year"):
        minimum_contribution_months(cn, True)


# -- flexible retirement (办法 Art. 3) ------------------------------------------------------


def test_early_retirement_with_enough_contributions(cn: RulePack) -> None:
    """办法 Art. 3: up to the delay early (never below 60), with 15 years in 2028."""
    result = retirement_date(
        cn, worker(dt.date(1967, 5, 12), MALE), early_months=8, contributed_months=180
    )
    assert result.date == dt.date(2027, 5, 12)
    assert result.age == Age(60, 0)
    assert result.legal_date == dt.date(2028, 1, 12)
    assert result.minimum_contribution_months == 180
    assert result.early_months == 8


def test_early_retirement_never_below_the_original_age(cn: RulePack) -> None:
    """办法 Art. 3: the early date may not fall below the original age (60 for men)."""
    with pytest.raises(
        InvalidInput,
        match=r"early_months must be 0\.\.8 for this worker \(legal age 60y8m, original age 60y0m",
    ):
        retirement_date(
            cn, worker(dt.date(1967, 5, 12), MALE), early_months=9, contributed_months=300
        )


def test_early_retirement_at_most_36_months(cn: RulePack) -> None:
    """办法 Art. 3: at most three years early, even with a five-year delay (women 50)."""
    woman = worker(dt.date(1990, 3, 5), FEMALE_50)
    result = retirement_date(cn, woman, early_months=36, contributed_months=240)
    assert result.legal_age == Age(55)
    assert result.age == Age(52)
    with pytest.raises(InvalidInput, match=r"early_months must be 0\.\.36 .*at most 36 months"):
        retirement_date(cn, woman, early_months=37, contributed_months=240)


def test_early_retirement_needs_contributed_months(cn: RulePack) -> None:
    """办法 Art. 3: early retirement only after the minimum contribution years (2030: 186)."""
    man = worker(dt.date(1969, 6, 1), MALE)  # original 2029-06, m 53, delay 14 → 2030-08
    assert retirement_date(cn, man).legal_date == dt.date(2030, 8, 1)
    with pytest.raises(InvalidInput, match=r"needs contributed_months.*at least 186"):
        retirement_date(cn, man, early_months=6)
    with pytest.raises(InvalidInput, match=r"at least 186 contributed months.*got contributed_m"):
        retirement_date(cn, man, early_months=6, contributed_months=185)
    assert retirement_date(cn, man, early_months=6, contributed_months=186).date == dt.date(
        2030, 2, 1
    )


def test_late_retirement(cn: RulePack) -> None:
    """办法 Art. 3: up to three years late."""
    man = worker(dt.date(1980, 7, 20), MALE)
    result = retirement_date(cn, man, late_months=36)
    assert result.legal_date == dt.date(2043, 7, 20)
    assert result.date == dt.date(2046, 7, 20)
    assert result.age == Age(66)
    with pytest.raises(InvalidInput, match=r"late_months must be 0\.\.36 for this worker"):
        retirement_date(cn, man, late_months=37)


def test_no_flexible_retirement_before_the_reform(cn: RulePack) -> None:
    """Flexible retirement starts with the reform (2025-01-01): none for earlier legal dates."""
    with pytest.raises(InvalidInput, match=r"0\.\.0 .*no flexible retirement before 2025-01-01"):
        retirement_date(cn, worker(dt.date(1960, 3, 3), MALE), late_months=1)


def test_early_and_late_together_are_refused(cn: RulePack) -> None:
    with pytest.raises(InvalidInput, match="not both; got early_months=2, late_months=3"):
        retirement_date(
            cn,
            worker(dt.date(1970, 1, 1), MALE),
            early_months=2,
            late_months=3,
            contributed_months=200,
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"early_months": -1}, r"early_months must be 0\.\.8"),
        ({"late_months": -2}, r"late_months must be 0\.\.36"),
        ({"early_months": 1.5}, "early_months must be a whole number of months, got 1.5"),
        ({"late_months": True}, "late_months must be a whole number of months, got True"),
        ({"contributed_months": -1}, "contributed_months must be >= 0, got -1"),
        ({"contributed_months": "180"}, "contributed_months must be a whole number"),
    ],
)
def test_bad_elections(cn: RulePack, kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        retirement_date(cn, worker(dt.date(1967, 5, 12), MALE), **kwargs)  # type: ignore[arg-type]


def test_not_a_worker(cn: RulePack) -> None:
    with pytest.raises(InvalidInput, match="worker must be a Worker"):
        retirement_date(cn, "w-1")  # type: ignore[arg-type]


def test_before_the_pack_starts(cn: RulePack) -> None:
    with pytest.raises(RuleNotFound, match=r"original_age_months\.male has no national value"):
        retirement_date(cn, worker(dt.date(1910, 1, 1), MALE))


def test_explanation_cites_every_parameter(cn: RulePack) -> None:
    """The explanation names the reform's parameters with their citations."""
    result = retirement_date(
        cn, worker(dt.date(1967, 5, 12), MALE), early_months=2, contributed_months=200
    )
    tree = result.explain()
    assert tree.value("legal_age") == "60y8m"
    assert tree.value("date") == dt.date(2027, 11, 12)
    names = [node.value("name") for node in tree.children]
    assert names == [
        "retirement.original_age_months.male",
        "retirement.gradual_delay",
        "retirement.delay_step_months.male",
        "retirement.max_delay_months.male",
        "retirement.flexible_early_max_months",
        "retirement.minimum_contribution_months",
    ]
    assert all(node.citation is not None for node in tree.children)
    assert {c.source_id for c in tree.citations()} == {"SRC-NPC2024", "SRC-DATA"}
    assert "60y8m" in tree.render()


def test_explanation_without_delay(cn: RulePack) -> None:
    tree = retirement_date(cn, worker(dt.date(1960, 1, 1), MALE)).explain()
    assert tree.formula is not None
    assert tree.formula.startswith("legal age = original age (no delay applies)")
    assert [node.value("name") for node in tree.children] == [
        "retirement.original_age_months.male",
        "retirement.gradual_delay",
    ]


# -- properties ---------------------------------------------------------------------------

categories = st.sampled_from(list(RetirementCategory))
births = st.dates(dt.date(1940, 1, 1), dt.date(2005, 12, 31))


@settings(max_examples=150, deadline=None)
@given(category=categories, birth=births)
def test_legal_month_never_decreases_with_the_birth_month(
    cn: RulePack, category: RetirementCategory, birth: dt.date
) -> None:
    """One month later born: the legal month moves 1 month (no step) or 2 (a step of delay)."""
    this = retirement_date(cn, worker(birth, category))
    following = retirement_date(cn, worker(Month.of(birth).plus(1).first_day, category))
    assert 1 <= following.legal_month.months_since(this.legal_month) <= 2


@settings(max_examples=150, deadline=None)
@given(category=categories, birth=births)
def test_delay_bounds_and_ages(cn: RulePack, category: RetirementCategory, birth: dt.date) -> None:
    """The delay never exceeds 36 / 36 / 60 months; the legal age is never below the original."""
    result = retirement_date(cn, worker(birth, category))
    assert 0 <= result.delay_months <= MAX_DELAY[category]
    assert result.legal_age >= result.original_age == Age(ORIGINAL_YEARS[category])
    assert result.legal_age.total_months == result.original_age.total_months + (result.delay_months)
    assert age_on(birth, result.legal_date) == result.legal_age
    if Month.of(birth).plus(ORIGINAL_YEARS[category] * 12) < Month(2025, 1):
        assert result.delay_months == 0


@settings(max_examples=150, deadline=None)
@given(
    category=categories,
    birth=st.dates(dt.date(1965, 1, 1), dt.date(2000, 12, 31)),
    early=st.integers(0, 80),
    late=st.integers(0, 80),
)
def test_flexible_bounds_are_enforced(
    cn: RulePack, category: RetirementCategory, birth: dt.date, early: int, late: int
) -> None:
    """办法 Art. 3: early ≤ min(36, delay), late ≤ 36, not both; the age follows the date."""
    person = worker(birth, category)
    legal = retirement_date(cn, person)
    flexible = 36 if legal.legal_date >= dt.date(2025, 1, 1) else 0
    early_ok = early <= min(flexible, legal.delay_months)
    late_ok = late <= flexible
    allowed = early_ok and late_ok and not (early and late)
    if not allowed:
        with pytest.raises(InvalidInput):
            retirement_date(
                cn, person, early_months=early, late_months=late, contributed_months=240
            )
        return
    result = retirement_date(
        cn, person, early_months=early, late_months=late, contributed_months=240
    )
    assert result.legal_date == legal.legal_date
    assert result.age.total_months == legal.legal_age.total_months - early + late
    assert result.age >= result.original_age
    assert age_on(birth, result.date) == result.age
    assert Month.of(result.date).months_since(legal.legal_month) == late - early
