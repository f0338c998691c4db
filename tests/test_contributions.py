"""Monthly contribution statements: worked examples from the sources, then properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import BaseChoice, Engagement, Enrolment, InvalidInput, Money, Month, RuleNotFound
from tests.strategies import RIDER, base_choices, engagements

CN = fs.load_jurisdiction("CN")
COFUNDED = CN.with_reform("platform_cofunding")

SEP = Month(2025, 9)


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


def job(
    platform: str,
    industry: str,
    earnings: str,
    orders: int,
    month: Month = SEP,
    region: str = "CN-SH",
) -> Engagement:
    return Engagement(
        worker_id=RIDER.id,
        platform_id=platform,
        industry=industry,
        region=region,
        month=month,
        earnings=yuan(earnings),
        orders=orders,
    )


SEPTEMBER = [
    job("ride-co", "ride_hailing", "6200.00", 410),
    job("food-co", "instant_delivery", "2100.50", 233),
]


def pension(region: str = "CN-SH", base: BaseChoice = BaseChoice.FLOOR) -> Enrolment:
    return Enrolment(scheme="pension", region=region, base=base)


# -- worked examples ---------------------------------------------------------------------


def test_shanghai_floor_2025_09() -> None:
    """CN.md §1.5 "Shanghai 2025 floor": base 7460 → 1492.00, of which 596.80 to the account.

    Floor 7460 from 2025-07-01 (SRC-DATA); 20 % = 8 % account + 12 % pooled (SRC-FLEX-PAGES).
    """
    stmt = CN.monthly_contributions(RIDER, SEPTEMBER, Month(2025, 9), enrolments=[pension()])
    assert stmt.total(scheme="pension") == yuan("1492.00")
    assert stmt.total(scheme=fs.Scheme.PENSION, fund=fs.Fund.INDIVIDUAL_ACCOUNT) == yuan("596.80")
    assert stmt.total(scheme="pension", fund="pooled") == yuan("895.20")
    (line,) = stmt.select(scheme="pension")
    assert (line.payer, line.platform_id, line.region) == ("worker", None, "CN-SH")
    assert line.base == yuan("7460")
    assert line.rate == Decimal("0.20")


# region, month, floor, pension at floor, account at floor, ceiling, pension at ceiling, account
BANDS = [
    ("CN-SH", "2014-04", "3022", "604.40", "241.76", "15108", "3021.60", "1208.64"),
    ("CN-SH", "2015-04", "3271", "654.20", "261.68", "16353", "3270.60", "1308.24"),
    ("CN-SH", "2016-04", "3563", "712.60", "285.04", "17817", "3563.40", "1425.36"),
    ("CN-SH", "2017-04", "3902", "780.40", "312.16", "19512", "3902.40", "1560.96"),
    ("CN-SH", "2018-04", "4279", "855.80", "342.32", "21396", "4279.20", "1711.68"),
    ("CN-SH", "2019-05", "4927", "985.40", "394.16", "24633", "4926.60", "1970.64"),
    ("CN-SH", "2020-07", "4927", "985.40", "394.16", "28017", "5603.40", "2241.36"),
    ("CN-SH", "2021-07", "5975", "1195.00", "478.00", "31014", "6202.80", "2481.12"),
    ("CN-SH", "2022-07", "6520", "1304.00", "521.60", "34188", "6837.60", "2735.04"),
    ("CN-SH", "2023-07", "7310", "1462.00", "584.80", "36549", "7309.80", "2923.92"),
    ("CN-SH", "2024-07", "7384", "1476.80", "590.72", "36921", "7384.20", "2953.68"),
    ("CN-SH", "2025-07", "7460", "1492.00", "596.80", "37302", "7460.40", "2984.16"),
    ("CN-SH", "2026-07", "7546", "1509.20", "603.68", "37731", "7546.20", "3018.48"),
    ("CN-BJ", "2021-07", "5360", "1072.00", "428.80", "28221", "5644.20", "2257.68"),
    ("CN-BJ", "2022-07", "5869", "1173.80", "469.52", "31884", "6376.80", "2550.72"),
    ("CN-BJ", "2023-07", "6326", "1265.20", "506.08", "33891", "6778.20", "2711.28"),
    ("CN-BJ", "2024-07", "6821", "1364.20", "545.68", "35283", "7056.60", "2822.64"),
    ("CN-BJ", "2025-07", "7162", "1432.40", "572.96", "35811", "7162.20", "2864.88"),
    ("CN-GD", "2024-07", "4492", "898.40", "359.36", "27501", "5500.20", "2200.08"),
    ("CN-GD", "2025-07", "4775", "955.00", "382.00", "27549", "5509.80", "2203.92"),
    ("CN-FJ", "2021-01", "3488", "697.60", "279.04", "17442", "3488.40", "1395.36"),
]


@pytest.mark.parametrize(
    (
        "region",
        "month",
        "floor",
        "at_floor",
        "account_floor",
        "ceiling",
        "at_ceiling",
        "account_ceiling",
    ),
    BANDS,
    ids=[f"{row[0]}-{row[1]}" for row in BANDS],
)
def test_every_encoded_band_at_floor_and_ceiling(
    region: str,
    month: str,
    floor: str,
    at_floor: str,
    account_floor: str,
    ceiling: str,
    at_ceiling: str,
    account_ceiling: str,
) -> None:
    """CN.md §1.4 bands (SRC-DATA, SRC-CALC, SRC-SH-HRSS-2026, 闽人社文〔2020〕158号) and the
    §1.5 formula: contribution = base × 20 %, account = base × 8 %, half-up to the fen.
    The §1.5 rows (Shanghai 2024/2025/2026 floors, Beijing 2025, Guangdong 2025) are here."""
    m = Month.parse(month)
    for choice, base, total, account in (
        (BaseChoice.FLOOR, floor, at_floor, account_floor),
        (BaseChoice.CEILING, ceiling, at_ceiling, account_ceiling),
    ):
        stmt = CN.monthly_contributions(RIDER, [], m, enrolments=[pension(region, choice)])
        (line,) = stmt.lines
        assert line.base == yuan(base)
        assert line.amount == yuan(total)
        assert line.fund("individual_account") == yuan(account)
        assert line.fund("individual_account") + line.fund("pooled") == line.amount


def test_shanghai_declared_base_10000_in_2026() -> None:
    """SRC-CASES case 2: Shanghai flexible employee, self-chosen base 10000 (2026):
    pension 2000, medical 1000, total 3000 (rates 20 % / 10 %, SRC-SH-HRSS-FLEX)."""
    base = BaseChoice.declared(yuan("10000"))
    stmt = CN.monthly_contributions(
        RIDER,
        [],
        Month(2026, 8),
        enrolments=[pension(base=base), Enrolment(scheme="medical", region="CN-SH", base=base)],
    )
    assert stmt.total(scheme="pension") == yuan("2000.00")
    assert stmt.total(scheme="medical") == yuan("1000.00")
    assert stmt.total(payer="worker") == yuan("3000.00")


def test_shanghai_2026_floor_with_medical() -> None:
    """SRC-CASES case 17: from 2026-07-01 the floor is 7546: pension 1509.2, medical 754.6."""
    stmt = CN.monthly_contributions(
        RIDER,
        [],
        Month(2026, 7),
        enrolments=[pension(), Enrolment(scheme="medical", region="CN-SH")],
    )
    assert stmt.total(scheme="pension") == yuan("1509.20")
    assert stmt.total(scheme="medical") == yuan("754.60")


def test_earnings_base_sums_all_platforms() -> None:
    """BaseChoice.EARNINGS: 6200.00 + 2100.50 = 8300.50, inside the 2025 band 7460–37302."""
    stmt = CN.monthly_contributions(
        RIDER, SEPTEMBER, Month(2025, 9), enrolments=[pension(base=BaseChoice.EARNINGS)]
    )
    (line,) = stmt.select(scheme="pension")
    assert line.base == yuan("8300.50")
    assert line.amount == yuan("1660.10")
    assert line.fund("individual_account") == yuan("664.04")
    assert stmt.earnings == yuan("8300.50")


@pytest.mark.parametrize(
    ("grade", "base"),
    [("0.6", "7460.40"), ("1", "12434"), ("3", "37302"), ("0.4", "7460"), ("4", "37302")],
)
def test_grade_bases_are_clipped_to_the_band(grade: str, base: str) -> None:
    """Grades are fractions of the 2025 Shanghai average wage 12434 (SRC-DATA), clipped."""
    stmt = CN.monthly_contributions(
        RIDER, [], Month(2025, 9), enrolments=[pension(base=BaseChoice.grade(grade))]
    )
    assert stmt.lines[0].base == yuan(base)


@pytest.mark.parametrize(
    ("industry", "platform", "expected"),
    [
        ("ride_hailing", fs.Platform("ride-co"), "10.00"),
        ("instant_delivery", fs.Platform("food-co"), "70.00"),
        (
            "instant_delivery",
            fs.Platform("food-co", premium_classes={"instant_delivery": "high_claims"}),
            "250.00",
        ),
        ("intra_city_freight", fs.Platform("van-co"), "180.00"),
    ],
)
def test_injury_premium_per_1000_orders(
    industry: str, platform: fs.Platform, expected: str
) -> None:
    """CN.md §6.2 test cases: 1000 orders × the 人社部发〔2025〕24号 benchmark (SRC-OIP-CQ):
    ride-hailing 0.01 → 10.00; instant delivery 0.07 → 70.00 or 0.25 → 250.00;
    intra-city freight 0.18 → 180.00. Paid by the platform, no enrolment."""
    stmt = CN.monthly_contributions(
        RIDER, [job(platform.id, industry, "5000.00", 1000)], Month(2025, 9), platforms=[platform]
    )
    (line,) = stmt.lines
    assert (line.scheme, line.payer, line.platform_id) == (
        "occupational_injury",
        "platform",
        platform.id,
    )
    assert line.amount == yuan(expected)
    assert stmt.total(payer="worker") == yuan("0")


@pytest.mark.parametrize(
    ("region", "month", "covered"),
    [
        ("CN-SH", "2022-06", False),  # before the first pilot
        ("CN-SH", "2022-07", True),  # first pilot from 2022-07-01
        ("CN-ZJ", "2025-06", False),
        ("CN-ZJ", "2025-07", True),  # expansion from 2025-07-01 (人社部发〔2025〕24号 §1)
        ("CN-XZ", "2025-12", False),
        ("CN-XZ", "2026-01", True),  # nationwide in 2026 (date assumed, unverified)
    ],
)
def test_injury_protection_follows_the_pilot_phases(region: str, month: str, covered: bool) -> None:
    m = Month.parse(month)
    stmt = CN.monthly_contributions(
        RIDER, [job("ride-co", "ride_hailing", "100.00", 50, month=m, region=region)], m
    )
    assert bool(stmt.lines) is covered


def test_each_platform_pays_for_its_own_orders() -> None:
    stmt = CN.monthly_contributions(RIDER, SEPTEMBER, Month(2025, 9))
    assert stmt.total(platform_id="ride-co") == yuan("4.10")  # 410 × 0.01
    assert stmt.total(platform_id="food-co") == yuan("16.31")  # 233 × 0.07
    assert stmt.total(payer=fs.Payer.PLATFORM) == yuan("20.41")
    assert stmt.platform_ids == ("food-co", "ride-co")


def test_platform_cofunding_apportions_by_earnings() -> None:
    """Scenario platform_cofunding: platforms 16 % of the base, worker 8 %.
    Shanghai floor 7460 → platforms 1193.60, split 6200.00 : 2100.50 by largest remainder
    → 891.55 + 302.05; worker 596.80, all to the individual account."""
    stmt = COFUNDED.monthly_contributions(RIDER, SEPTEMBER, Month(2025, 9), enrolments=[pension()])
    assert stmt.total(scheme="pension", payer="platform") == yuan("1193.60")
    assert stmt.total(scheme="pension", platform_id="ride-co") == yuan("891.55")
    assert stmt.total(scheme="pension", platform_id="food-co") == yuan("302.05")
    assert stmt.total(scheme="pension", payer="worker") == yuan("596.80")
    assert stmt.total(scheme="pension", fund="individual_account") == yuan("596.80")
    assert stmt.total(scheme="pension", fund="pooled") == yuan("1193.60")
    assert stmt.reforms == ("platform_cofunding",)
    assert COFUNDED.reforms == ("platform_cofunding",)


def test_reform_leaves_the_original_untouched() -> None:
    before = CN.monthly_contributions(RIDER, SEPTEMBER, Month(2025, 9), enrolments=[pension()])
    CN.with_reform("platform_cofunding")
    after = CN.monthly_contributions(RIDER, SEPTEMBER, Month(2025, 9), enrolments=[pension()])
    assert before == after
    assert CN.reforms == ()
    assert CN.pack.reform("platform_cofunding").status is fs.ReformStatus.SCENARIO


def test_a_callers_own_reform() -> None:
    """A caller's reform: 10 % to the individual account from 2025-01-01, nationally."""
    reform = fs.Reform(
        name="bigger_account",
        set_values=[
            fs.SetValue("pension.individual_account_rate", Decimal("0.10"), dt.date(2025, 1, 1))
        ],
    )
    reformed = CN.with_reform(reform)
    stmt = reformed.monthly_contributions(RIDER, [], Month(2025, 9), enrolments=[pension()])
    assert stmt.total(fund="individual_account") == yuan("746.00")
    assert stmt.total() == yuan("1641.20")
    earlier = reformed.monthly_contributions(RIDER, [], Month(2024, 9), enrolments=[pension()])
    assert earlier.total(fund="individual_account") == yuan("590.72")  # before the reform
    cited = reformed.parameter("pension.individual_account_rate", on=dt.date(2025, 1, 1))
    assert not cited.verified
    assert "bigger_account" in cited.citation.title


def test_cofunding_with_no_platform_work_bills_no_platform() -> None:
    stmt = COFUNDED.monthly_contributions(RIDER, [], Month(2025, 9), enrolments=[pension()])
    assert stmt.total(payer="platform") == yuan("0")
    assert stmt.total() == yuan("596.80")


def test_explanation_names_inputs_parameters_and_citations() -> None:
    stmt = CN.monthly_contributions(RIDER, SEPTEMBER, Month(2025, 9), enrolments=[pension()])
    tree = stmt.explain()
    names = {node.value("name") for node in tree.walk() if node.key == "parameter"}
    assert {
        "pension.base_floor",
        "pension.base_ceiling",
        "pension.individual_account_rate",
        "pension.pooled_rate",
        "occupational_injury.premium_per_order.ride_hailing",
        "occupational_injury.premium_per_order.instant_delivery",
    } <= names
    assert any(c.source_id == "SRC-DATA" for c in tree.citations())
    zh = tree.render(locale="zh_CN")
    en = tree.render(locale="en")
    assert "养老保险" in zh
    assert "¥1,492.00" in zh
    assert "pension, paid by worker" in en
    assert "[unverified]" in en  # the rounding rule is marked as unverified


@pytest.mark.parametrize(
    ("base", "earned"),
    [
        (BaseChoice.FLOOR, "9000.00"),
        (BaseChoice.CEILING, "9000.00"),
        (BaseChoice.EARNINGS, "9000.00"),  # within the band
        (BaseChoice.EARNINGS, "120.50"),  # clipped to the floor
        (BaseChoice.EARNINGS, "80000"),  # clipped to the ceiling
    ],
)
def test_base_line_explanation_is_the_derivation_of_its_inputs(
    base: BaseChoice, earned: str
) -> None:
    """A base line's explanation, built when asked for, is what a
    :class:`~flexsecure.calculations.statements.Derivation` of the line's own inputs gives —
    the base choice, earnings, the region's floor and ceiling, the payer's fund rates
    (pension.toml: individual account and pooled rate) and the rounding rule — whichever way
    the statement computed the line."""
    from flexsecure.calculations.statements import BaseDerivation, Derivation

    work = [job("ride-co", "ride_hailing", earned, 0)]
    stmt = CN.monthly_contributions(RIDER, work, SEP, enrolments=[pension(base=base)])
    on = SEP.first_day

    def value(name: str) -> fs.ParameterValue:
        return CN.parameter(name, region="CN-SH", on=on)

    floor, ceiling = value("pension.base_floor"), value("pension.base_ceiling")
    clipped = min(max(yuan(earned), floor.money()), ceiling.money())
    wanted = {BaseChoice.FLOOR: floor.money(), BaseChoice.CEILING: ceiling.money()}.get(
        base, clipped
    )
    (line,) = stmt.select(scheme="pension")
    assert line.base == wanted
    derivation = Derivation(
        BaseDerivation(base, yuan(earned), floor, ceiling, None, wanted),
        (value("pension.individual_account_rate"), value("pension.pooled_rate")),
        CN.pack.schemes["pension"].rounding,
        line.amount,
    )
    assert line.explanation == derivation.explain(line)


# -- bad input ---------------------------------------------------------------------------


def test_engagement_of_another_worker_is_rejected() -> None:
    other = Engagement(
        worker_id="w-999", platform_id="ride-co", industry="ride_hailing", region="CN-SH",
        month=Month(2025, 9), earnings=yuan("1"), orders=1,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="ride-co/2025-09 belongs to worker 'w-999'"):
        CN.monthly_contributions(RIDER, [*SEPTEMBER, other], Month(2025, 9))


def test_engagement_of_another_month_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="is for 2025-08, not for the statement's 2025-09"):
        CN.monthly_contributions(
            RIDER, [job("a", "ride_hailing", "1", 1, Month(2025, 8))], Month(2025, 9)
        )


def test_negative_earnings_and_orders_are_rejected_at_construction() -> None:
    with pytest.raises(
        InvalidInput, match=r"earnings must be >= 0 CNY, got Money\('-12.00', 'CNY'\)"
    ):
        job("ride-co", "ride_hailing", "-12.00", 1)
    with pytest.raises(InvalidInput, match="orders must be an int >= 0, got -1"):
        job("ride-co", "ride_hailing", "12.00", -1)


@pytest.mark.parametrize(
    ("engagement_region", "enrolment", "industry", "message"),
    [
        ("CN-XX", None, "ride_hailing", "region 'CN-XX' is not a region of the CN pack"),
        (
            "CN-SH",
            Enrolment(scheme="dental", region="CN-SH"),
            "ride_hailing",
            "scheme must be one of",
        ),
        ("CN-SH", Enrolment(scheme="pension", region="CN-ZZ"), "ride_hailing", "region 'CN-ZZ'"),
        ("CN-SH", None, "dog_walking", "industry must be one of .* got 'dog_walking'"),
        (
            "CN-SH",
            Enrolment(scheme="occupational_injury", region="CN-SH"),
            "ride_hailing",
            "takes no enrolment",
        ),
    ],
)
def test_unknown_names_are_rejected(
    engagement_region: str, enrolment: Enrolment | None, industry: str, message: str
) -> None:
    jobs = [job("ride-co", industry, "100", 1, region=engagement_region)]
    with pytest.raises(InvalidInput, match=message):
        CN.monthly_contributions(
            RIDER, jobs, Month(2025, 9), enrolments=[enrolment] if enrolment else []
        )


def test_two_relations_in_one_scheme_are_rejected() -> None:
    with pytest.raises(InvalidInput, match="enrolled in pension twice"):
        CN.monthly_contributions(
            RIDER, [], Month(2025, 9), enrolments=[pension(), pension("CN-BJ")]
        )


def test_wrong_currency_is_rejected() -> None:
    sgd = Engagement(
        worker_id=RIDER.id, platform_id="x", industry="ride_hailing", region="CN-SH",
        month=Month(2025, 9), earnings=Money("5", "SGD"),
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="earnings must be in CNY"):
        CN.monthly_contributions(RIDER, [sgd], Month(2025, 9))


def test_scheme_without_figures_for_the_region_raises_rule_not_found() -> None:
    """Beijing charges its fixed medical amount from 2025-07 only; before it, rate × base
    applies there, and the pack has no Beijing medical band."""
    with pytest.raises(RuleNotFound, match=r"medical\.base_floor has no value for CN-BJ"):
        CN.monthly_contributions(
            RIDER, [], Month(2025, 6), enrolments=[Enrolment(scheme="medical", region="CN-BJ")]
        )


def test_unknown_premium_class_raises() -> None:
    platform = fs.Platform("ride-co", premium_classes={"ride_hailing": "platinum"})
    with pytest.raises(RuleNotFound, match="premium class 'platinum'"):
        CN.monthly_contributions(RIDER, SEPTEMBER, Month(2025, 9), platforms=[platform])


def test_worker_validation() -> None:
    with pytest.raises(
        InvalidInput, match="retirement_category 'female_50' does not fit sex 'male'"
    ):
        fs.Worker(
            id="w", birth_date=dt.date(1990, 1, 1), sex="male", hukou_region="CN-SC",
            retirement_category="female_50",
        )  # fmt: skip
    with pytest.raises(InvalidInput, match=r"Worker\.sex must be one of"):
        fs.Worker(
            id="w", birth_date=dt.date(1990, 1, 1), sex="m", hukou_region="CN-SC",
            retirement_category="male",
        )  # fmt: skip
    with pytest.raises(InvalidInput, match="hukou_region must be an ISO 3166-2 code"):
        fs.Worker(
            id="w", birth_date=dt.date(1990, 1, 1), sex="male", hukou_region="Sichuan",
            retirement_category="male",
        )  # fmt: skip


# -- properties --------------------------------------------------------------------------

FLOOR, CEILING = yuan("7460"), yuan("37302")


@settings(max_examples=60, deadline=None)
@given(jobs=engagements(RIDER.id, SEP), choice=base_choices, cofunded=st.booleans())
def test_statement_invariants(jobs: list[Engagement], choice: BaseChoice, cofunded: bool) -> None:
    jurisdiction = COFUNDED if cofunded else CN
    enrolments = [pension(base=choice), Enrolment(scheme="medical", region="CN-SH", base=choice)]
    stmt = jurisdiction.monthly_contributions(RIDER, jobs, SEP, enrolments=enrolments)
    # the total is the sum of the lines, and each line's funds sum to the line
    assert stmt.total() == Money.sum((line.amount for line in stmt.lines), "CNY")
    assert stmt.total() == stmt.total(payer="worker") + stmt.total(payer="platform")
    for line in stmt.lines:
        assert Money.sum((amount for _, amount in line.funds), "CNY") == line.amount
        assert line.amount.is_whole()
        if line.base is not None:
            assert FLOOR <= line.base <= CEILING
    # the platforms' pension share sums exactly to 16 % of the base, rounded once
    if cofunded:  # engagements() always yields at least one platform
        base = stmt.select(scheme="pension")[0].base
        assert base is not None
        assert stmt.total(scheme="pension", payer="platform") == (base * Decimal("0.16")).quantize()


@settings(max_examples=40, deadline=None)
@given(jobs=engagements(RIDER.id, SEP), choice=base_choices, seed=st.randoms())
def test_shuffling_engagements_changes_nothing(
    jobs: list[Engagement], choice: BaseChoice, seed: object
) -> None:
    shuffled = list(jobs)
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    enrolments = [pension(base=choice)]
    a = COFUNDED.monthly_contributions(RIDER, jobs, SEP, enrolments=enrolments)
    b = COFUNDED.monthly_contributions(RIDER, shuffled, SEP, enrolments=enrolments)
    assert a == b


@settings(max_examples=40, deadline=None)
@given(low=st.integers(0, 5_000_000), extra=st.integers(0, 5_000_000))
def test_more_earnings_never_lower_an_earnings_based_contribution(low: int, extra: int) -> None:
    def owed(fen: int) -> Money:
        jobs = [job("ride-co", "ride_hailing", str(Decimal(fen).scaleb(-2)), 0)]
        return CN.monthly_contributions(
            RIDER, jobs, SEP, enrolments=[pension(base=BaseChoice.EARNINGS)]
        ).total()

    assert owed(low) <= owed(low + extra)


def test_a_regional_reform_value_keeps_the_national_history_before_it() -> None:
    """Setting a premium for CN-SC from 2027 must not erase Sichuan's earlier (national)
    premium: a 2025-09 statement is unchanged, a 2027 one uses the new value."""
    reform = fs.Reform(
        name="sichuan_premium",
        set_values=[
            fs.SetValue(
                "occupational_injury.premium_per_order.ride_hailing",
                Decimal("0.02"),
                dt.date(2027, 1, 1),
                region="CN-SC",
            )
        ],
    )
    reformed = CN.with_reform(reform)
    sep = job("ride-co", "ride_hailing", "100", 1000, region="CN-SC")
    before = CN.monthly_contributions(RIDER, [sep], SEP)
    assert reformed.monthly_contributions(RIDER, [sep], SEP).lines == before.lines
    assert before.total() == yuan("10.00")
    jan = job("ride-co", "ride_hailing", "100", 1000, month=Month(2027, 1), region="CN-SC")
    assert reformed.monthly_contributions(RIDER, [jan], Month(2027, 1)).total() == yuan("20.00")


def test_reforms_built_in_python_are_validated() -> None:
    with pytest.raises(InvalidInput, match=r"Share\.payer must be one of"):
        fs.Share("employer", {"pooled": "pension.pooled_rate"})
    with pytest.raises(InvalidInput, match=r"SetValue\.effective_from must be a datetime\.date"):
        fs.SetValue("pension.pooled_rate", Decimal("0.1"), "2027-01-01")  # type: ignore[arg-type]
