"""The CN pack's provinces where platform workers are, and cities named under their province.

Each figure is the sourced one (issue 10, item 5); the sources are the pack's own ``[sources]``
entries, and docs/source-decisions.md says how each was graded.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given

import flexsecure as fs
from flexsecure import BaseChoice, Enrolment, Evidence, InvalidInput, Money, Month
from tests.strategies import money

CN = fs.load_jurisdiction("CN")

RIDER = fs.Worker(
    id="w-zj",
    birth_date=dt.date(1994, 3, 8),
    sex=fs.Sex.MALE,
    hukou_region="CN-ZJ",
    retirement_category=fs.RetirementCategory.MALE,
)


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


# (region, a day in the period, floor, ceiling, average wage, source of the band)
BANDS_2025 = [
    ("CN-ZJ", dt.date(2025, 3, 1), "4986", "25299", "8433", "SRC-BASE-2025-31"),
    ("CN-JS", dt.date(2025, 3, 1), "4952", "24762", "8254", "SRC-BASE-2025-31"),
    ("CN-SC", dt.date(2025, 3, 1), "4588", "22938", "7646", "SRC-BASE-2025-31"),
    ("CN-CQ", dt.date(2025, 3, 1), "4404", "22017", "7339", "SRC-BASE-2025-31"),
    ("CN-HA", dt.date(2025, 3, 1), "3831", "19155", "6385", "SRC-BASE-2025-31"),
    ("CN-SD", dt.date(2025, 3, 1), "4504", "22518", "7506", "SRC-BASE-2025-31"),
    ("CN-TJ", dt.date(2025, 3, 1), "5124", "25620", "8540", "SRC-BASE-2025-31"),
    ("CN-AH", dt.date(2025, 3, 1), "4311", "21556", "7185", "SRC-BASE-2025-31"),
    ("CN-HB-WH", dt.date(2025, 3, 1), "4498", "22488", "7496", "SRC-BASE-2025-31"),
    ("CN-GD-GZ", dt.date(2025, 9, 1), "5510", "27549", "9183", "SRC-CALC-CITY"),
    ("CN-GD-SZ", dt.date(2025, 9, 1), "4775", "27549", "9183", "SRC-DATA"),
]


@pytest.mark.parametrize(
    ("region", "on", "floor", "ceiling", "wage", "source"),
    BANDS_2025,
    ids=[row[0] for row in BANDS_2025],
)
def test_2025_band_and_average_wage_of_each_new_region(
    region: str, on: dt.date, floor: str, ceiling: str, wage: str, source: str
) -> None:
    """2025 bands of the provincial notices as compiled in SRC-BASE-2025-31 (浙人社发〔2025〕52号,
    苏人社发〔2025〕33号, 川人社办发〔2025〕39号, 豫人社办〔2025〕67号, 鲁人社字〔2025〕91号,
    津人社局发〔2025〕6号, 皖人社秘〔2025〕154号, 鄂人社发〔2025〕28号 tier 1) and the Guangzhou and
    Shenzhen tiers of Guangdong's 2025-07 year (SRC-CALC-CITY; SRC-DATA)."""
    low = CN.parameter("pension.base_floor", region=region, on=on)
    assert low.value == yuan(floor)
    assert low.citation.source_id == source
    assert CN.parameter("pension.base_ceiling", region=region, on=on).value == yuan(ceiling)
    assert CN.parameter("pension.average_wage", region=region, on=on).value == yuan(wage)


def test_where_the_band_is_the_published_60_and_300_percent_of_the_wage() -> None:
    """国办发〔2019〕13号 (CN.md §1.3): 60 % … 300 % of the all-urban average wage, whole yuan.
    Zhejiang is the exception the notice publishes: its floor is 60 % of the year before's
    wage (0.6 × 8310 = 4986) while its ceiling is 300 % of 8433."""
    on = dt.date(2025, 3, 1)
    for region in ("CN-JS", "CN-SC", "CN-CQ", "CN-HA", "CN-SD", "CN-TJ", "CN-HB-WH"):
        wage = CN.parameter("pension.average_wage", region=region, on=on).money()
        floor = CN.parameter("pension.base_floor", region=region, on=on).money()
        ceiling = CN.parameter("pension.base_ceiling", region=region, on=on).money()
        assert abs(floor.amount - wage.amount * 6 / 10) < 1, region
        assert ceiling.amount == wage.amount * 3, region
    zj_2024 = CN.parameter("pension.average_wage", region="CN-ZJ", on=dt.date(2024, 3, 1))
    assert CN.parameter("pension.base_floor", region="CN-ZJ", on=on).money().amount == (
        zj_2024.money().amount * 6 / 10
    )


def test_zhejiang_has_three_calendar_years_of_bands() -> None:
    """Hangzhou calculator of SRC-CALC-CITY: the province-wide band runs for the calendar year,
    2023 4462 / 24060, 2024 4812 / 24930, 2025 4986 / 25299."""
    for year, floor in ((2023, "4462"), (2024, "4812"), (2025, "4986")):
        value = CN.parameter("pension.base_floor", region="CN-ZJ", on=dt.date(year, 12, 31))
        assert value.value == yuan(floor)
        assert value.effective_from == dt.date(year, 1, 1)


def test_guangdong_bands_run_from_july() -> None:
    """Guangdong's band year runs July–June (SRC-CALC-CITY; SRC-DATA dates the 2025 band
    2025-07-01): June 2025 is still on 4492 / 27501, July on 4775 / 27549."""
    june = CN.parameter("pension.base_floor", region="CN-GD", on=dt.date(2025, 6, 30))
    july = CN.parameter("pension.base_floor", region="CN-GD", on=dt.date(2025, 7, 1))
    assert (june.value, july.value) == (yuan("4492"), yuan("4775"))
    with pytest.raises(fs.RuleNotFound, match="starts at 2024-07-01"):
        CN.parameter("pension.base_floor", region="CN-GD", on=dt.date(2024, 6, 30))


def test_a_zhejiang_rider_at_the_floor_pays_20_percent_of_4986() -> None:
    """浙人社发〔2025〕52号 floor 4986 (SRC-BASE-2025-31) and the 20 % flexible rate
    (12 % pooled + 8 % account, SRC-FLEX-PAGES): 4986 × 20 % = 997.20, 398.88 to the account."""
    enrolment = Enrolment(scheme="pension", region="CN-ZJ", base=BaseChoice.FLOOR)
    statement = CN.monthly_contributions(RIDER, [], Month(2025, 3), enrolments=[enrolment])
    (line,) = statement.lines
    assert line.base == yuan("4986")
    assert line.amount == yuan("997.20")
    assert line.fund("individual_account") == yuan("398.88")
    assert line.fund("individual_account") + line.fund("pooled") == line.amount


def test_a_shenzhen_rider_is_billed_on_the_city_band() -> None:
    """A city is a region of its own: Shenzhen's 2025-07 floor 4775 × 20 % = 955.00 (SRC-DATA,
    SRC-CALC-CITY)."""
    enrolment = Enrolment(scheme="pension", region="CN-GD-SZ", base=BaseChoice.FLOOR)
    statement = CN.monthly_contributions(RIDER, [], Month(2025, 9), enrolments=[enrolment])
    (line,) = statement.lines
    assert (line.base, line.amount) == (yuan("4775"), yuan("955.00"))


def test_cities_are_named_under_their_province() -> None:
    city = CN.region("CN-GD-SZ")
    assert city.parent == "CN-GD"
    assert (city.name("en"), city.name("zh_CN")) == ("Shenzhen", "深圳市")
    assert CN.region("CN-GD").parent is None
    assert {r.code for r in CN.regions if r.parent == "CN-GD"} == {"CN-GD-GZ", "CN-GD-SZ"}
    worker = fs.Worker(
        id="w-sz",
        birth_date=dt.date(1990, 1, 1),
        sex=fs.Sex.FEMALE,
        hukou_region="CN-GD-SZ",
        retirement_category=fs.RetirementCategory.FEMALE_50,
    )
    assert worker.hukou_region == "CN-GD-SZ"
    for bad in ("CN-GD-SZ-1", "CN-GD-", "CN-GD-shz", "CN-GD-SHEN"):
        with pytest.raises(InvalidInput, match="ISO 3166-2"):
            fs.Worker(
                id="w-bad",
                birth_date=dt.date(1990, 1, 1),
                sex=fs.Sex.FEMALE,
                hukou_region=bad,
                retirement_category=fs.RetirementCategory.FEMALE_50,
            )


def test_beijing_calculation_base_has_a_second_source_and_the_2025_rate_is_verified() -> None:
    """Beijing 12049 (京人社发〔2025〕13号) is in SRC-DATA and SRC-CALC-BASES-2025 (×2); the
    2025 crediting rate 1.50 % in SRC-DATA and SRC-RATES-2."""
    base = CN.parameter("pension.calculation_base", region="CN-BJ", on=dt.date(2025, 6, 1))
    assert base.value == yuan("12049")
    assert base.citation.verified
    assert "京人社发〔2025〕13号" in (base.citation.note or "")
    rate = CN.parameter("account_interest.rate", on=dt.date(2025, 6, 1))
    assert rate.citation.verified
    assert rate.citation.evidence is Evidence.THIRD_PARTY


# -- medical insurance of flexible employees (docs/source-decisions.md (i)) -------------------


def medical_line(
    region: str, month: Month, base: BaseChoice = BaseChoice.FLOOR
) -> fs.ContributionLine:
    enrolment = Enrolment(scheme="medical", region=region, base=base)
    statement = CN.monthly_contributions(RIDER, [], month, enrolments=[enrolment])
    (line,) = statement.lines
    return line


def test_a_shenzhen_flexible_employee_pays_8_percent_of_the_2026_medical_floor() -> None:
    """深圳市人民政府令第358号 Art. 9 (SRC-SZ-MED-358): flexible employees join tier 1 and pay
    8 % of their base; 深圳市医保局 2025-12-29 (SRC-SZ-MED-2026): the 2026 medical base runs
    6727 … 33633 and the rate returns from 7 % to 8 % — 6727 × 8 % = 538.16, on a medical floor
    that is not the pension floor (4775)."""
    line = medical_line("CN-GD-SZ", Month(2026, 3))
    assert (line.base, line.amount) == (yuan("6727"), yuan("538.16"))
    pension = CN.parameter("pension.base_floor", region="CN-GD-SZ", on=dt.date(2026, 3, 1))
    assert pension.value == yuan("4775")
    assert medical_line("CN-GD-SZ", Month(2026, 3), BaseChoice.CEILING).amount == yuan("2690.64")
    cut = CN.parameter("medical.worker_rate", region="CN-GD-SZ", on=dt.date(2025, 6, 1))
    assert cut.value == Decimal("0.07")
    assert cut.citation.source_id == "SRC-SZ-MED-CUT-2023"


def test_a_guangzhou_flexible_employee_pays_6_5_percent_in_2025_and_8_percent_in_2026() -> None:
    """穗医保规字〔2022〕1号 二（二） (SRC-GZ-MED-2022): 8 %; the 2024-02-29 notice
    (SRC-GZ-MED-CUT-2024): 6.5 % from 2024-03-01 to 2025-12-31. On the 2025 medical floor 6236
    (SRC-GZ-MED-BAND, third-party): 6236 × 6.5 % = 405.34 in March 2025, × 8 % = 498.88 in
    March 2026 (the 2026 band was not found: the 2025 one holds)."""
    assert medical_line("CN-GD-GZ", Month(2025, 3)).amount == yuan("405.34")
    assert medical_line("CN-GD-GZ", Month(2026, 3)).amount == yuan("498.88")
    band = CN.parameter("medical.base_floor", region="CN-GD-GZ", on=dt.date(2025, 3, 1))
    assert band.citation.evidence is Evidence.THIRD_PARTY
    assert not band.citation.verified


def test_a_tianjin_flexible_employee_pays_8_5_percent_on_the_city_band() -> None:
    """天津市医保局 市税务局 notice of 2026-03-09 (SRC-TJ-MED-2026): 缴费比例为8.5%, on the base the
    city sets — 5124 … 25620 for employee medical insurance (SRC-TJ-BASE-2025):
    5124 × 8.5 % = 435.54."""
    line = medical_line("CN-TJ", Month(2026, 4))
    assert (line.base, line.amount) == (yuan("5124"), yuan("435.54"))
    with pytest.raises(fs.RuleNotFound, match=r"medical\.worker_rate has no value for CN-TJ"):
        medical_line("CN-TJ", Month(2026, 2))


def test_a_chongqing_individual_pays_tier_1_on_the_fixed_base() -> None:
    """渝医保发〔2024〕47号 as interpreted by 重庆市医保局 (SRC-CQ-MED-2025): in 2025 the base is
    61500 a year (5125 a month) and tier 1 costs 3075 a year: 5125 × 5 % = 256.25 a month,
    twelve of which are 3075.00. The base is fixed: the ceiling is the floor."""
    line = medical_line("CN-CQ", Month(2025, 3))
    assert (line.base, line.amount) == (yuan("5125"), yuan("256.25"))
    assert line.amount * 12 == yuan("3075.00")
    assert medical_line("CN-CQ", Month(2025, 3), BaseChoice.CEILING).amount == line.amount


def test_wuhan_has_a_medical_rate_but_no_medical_band() -> None:
    """武汉市医保局 Q&A (SRC-WH-MED): 以缴费基数的6%; the base Wuhan's flexible employees pay on
    was not found, so the pack claims no coverage and enrolling says which figure is missing."""
    rate = CN.parameter("medical.worker_rate", region="CN-HB-WH", on=dt.date(2025, 3, 1))
    assert rate.value == Decimal("0.06")
    assert rate.citation.evidence is Evidence.OFFICIAL
    with pytest.raises(fs.RuleNotFound, match=r"medical\.base_floor has no value for CN-HB-WH"):
        medical_line("CN-HB-WH", Month(2025, 3))


def test_shanghai_medical_band_is_the_pension_band() -> None:
    """沪人社规〔2023〕5号 三 (SRC-SH-FLEX-2023-5): one 60 %–300 % band for pension and medical, so
    medical's band and wage repeat the pension's from the first covered month on."""
    for year in range(2024, 2027):
        for month in (3, 9):
            on = dt.date(year, month, 1)
            for name in ("base_floor", "base_ceiling", "average_wage"):
                medical = CN.parameter(f"medical.{name}", region="CN-SH", on=on)
                pension = CN.parameter(f"pension.{name}", region="CN-SH", on=on)
                assert medical.value == pension.value, (name, on)


# -- Beijing's fixed amount and the cities of provinces that set medical rates per city -----


@pytest.mark.parametrize(
    "choice",
    [BaseChoice.FLOOR, BaseChoice.CEILING, BaseChoice.declared(Money("20000", "CNY"))],
    ids=["floor", "ceiling", "declared"],
)
def test_a_beijing_flexible_employee_pays_the_fixed_584_92(choice: BaseChoice) -> None:
    """京人社发〔2025〕11号 三 (SRC-BJ-MED-2025): “参加职工基本医疗保险的个人……月缴纳职工基本医疗
    保险费584.92元”, from July 2025 (一). Whatever base the worker chose, the medical line is
    584.92: no base, the amount as its rate, all of it in the pooled fund."""
    line = medical_line("CN-BJ", Month(2025, 9), choice)
    assert line.amount == yuan("584.92")
    assert line.base is None
    assert line.rate == yuan("584.92")
    assert line.funds == (("pooled", yuan("584.92")),)
    assert line.derived
    tree = line.explanation
    assert tree.formula == "amount = the fixed monthly amount"
    amount = tree.children[0]
    assert amount.value("name") == "medical.fixed_amount"
    assert amount.citation is not None
    assert amount.citation.source_id == "SRC-BJ-MED-2025"
    assert amount.citation.evidence is Evidence.OFFICIAL
    assert "金额 = 固定月缴费额" in tree.render(locale="zh_CN")


@given(base=money(0, 6_000_000), earned=money(0, 6_000_000))
def test_beijing_fixed_amount_does_not_depend_on_the_base_or_the_earnings(
    base: Money, earned: Money
) -> None:
    """Whatever a Beijing flexible employee declares or earns, the medical line is the fixed
    584.92 (京人社发〔2025〕11号 三), its funds sum to it, and the pension line still follows the
    base chosen."""
    job = fs.Engagement(
        worker_id=RIDER.id,
        platform_id="ride-co",
        industry="ride_hailing",
        region="CN-BJ",
        month=Month(2025, 9),
        earnings=earned,
    )
    enrolments = [
        Enrolment(scheme="medical", region="CN-BJ", base=BaseChoice.declared(base)),
        Enrolment(scheme="pension", region="CN-BJ", base=BaseChoice.EARNINGS),
    ]
    statement = CN.monthly_contributions(RIDER, [job], Month(2025, 9), enrolments=enrolments)
    (medical,) = statement.select(scheme="medical")
    assert medical.amount == yuan("584.92")
    assert sum(amount.amount for _, amount in medical.funds) == medical.amount.amount
    (pension,) = statement.select(scheme="pension")
    assert pension.base == min(max(earned, yuan("7162")), yuan("35811"))


def test_beijing_charges_the_fixed_amount_from_july_2025_only() -> None:
    """Before 2025-07 the pack has no Beijing medical figure (the 2024 amount was not found):
    rate × base applies there and has no band, so the month is refused, naming what is missing."""
    with pytest.raises(fs.RuleNotFound, match=r"medical\.base_floor has no value for CN-BJ"):
        medical_line("CN-BJ", Month(2025, 6))
    assert medical_line("CN-BJ", Month(2025, 7)).amount == yuan("584.92")


def test_a_beijing_fixed_line_survives_a_record_and_its_verification() -> None:
    """The statement record of a fixed line (base null, rate 584.92) reads back and verifies
    against the pack line by line; a wrong amount is refused."""
    enrolment = Enrolment(scheme="medical", region="CN-BJ")
    statement = CN.monthly_contributions(RIDER, [], Month(2025, 9), enrolments=[enrolment])
    record = fs.records.statement_to_record(statement)
    assert record["lines"][0]["base"] is None
    assert record["lines"][0]["rate"] == "584.92"
    verified = fs.records.verify_statement(record)
    assert verified.lines == statement.lines
    assert all(line.derived for line in verified.lines)
    record["lines"][0]["amount"] = "584.90"
    record["lines"][0]["funds"] = {"pooled": "584.90"}
    record["totals"] = {key: "584.90" for key in record["totals"]}
    with pytest.raises(fs.RecordMismatch, match=r"lines\[0\]\.amount"):
        fs.records.verify_statement(record)


def test_a_hangzhou_flexible_employee_pays_9_5_percent() -> None:
    """杭医保〔2022〕41号 (SRC-HZ-MED-2022): from 2023-01-01 flexible employees pay the employer
    rate, 9.5 % (maternity included). On Zhejiang's 2025 floor 4986 (the band's use for the
    medical base is assumed, graded unverified): 4986 × 9.5 % = 473.67; on the ceiling
    25299 × 9.5 % = 2403.405 → 2403.41."""
    line = medical_line("CN-ZJ-HZ", Month(2025, 3))
    assert (line.base, line.rate, line.amount) == (yuan("4986"), Decimal("0.095"), yuan("473.67"))
    assert medical_line("CN-ZJ-HZ", Month(2025, 3), BaseChoice.CEILING).amount == yuan("2403.41")
    band = CN.parameter("medical.base_floor", region="CN-ZJ-HZ", on=dt.date(2025, 3, 1))
    assert band.citation.evidence is Evidence.UNVERIFIED
    assert band.citation.verified is False


def test_a_nanjing_flexible_employee_pays_8_percent() -> None:
    """南京市 press conference of 2023-04-11 (SRC-NJ-MED-2023): from 2023-04-01 the rate is
    7 % + 2 % − 1 point = 8 %. On Jiangsu's 2025 floor 4952 (assumed as the medical base):
    4952 × 8 % = 396.16."""
    line = medical_line("CN-JS-NJ", Month(2025, 3))
    assert (line.base, line.amount) == (yuan("4952"), yuan("396.16"))
    rate = CN.parameter("medical.worker_rate", region="CN-JS-NJ", on=dt.date(2023, 4, 1))
    assert rate.value == Decimal("0.08")
    assert rate.citation.verified


@pytest.mark.parametrize("choice", [BaseChoice.FLOOR, BaseChoice.CEILING, BaseChoice.grade("0.6")])
def test_a_chengdu_flexible_employee_pays_the_basic_8_75_percent_on_the_fixed_base(
    choice: BaseChoice,
) -> None:
    """成都市医保局 Q&A of 2025-04-16 (SRC-CD-MED-2025): the base is 80 % of the provincial wage
    (90220 a year → 6015 a month) and “基本：6015×8.75%=526.31元/月”; the 0.75 % 大病 part
    (45.11) is paid on top and is not in the pack's rate. Every base choice gives 6015."""
    line = medical_line("CN-SC-CD", Month(2025, 3), choice)
    assert (line.base, line.amount) == (yuan("6015"), yuan("526.31"))


@pytest.mark.parametrize(
    ("city", "province"), [("CN-ZJ-HZ", "CN-ZJ"), ("CN-JS-NJ", "CN-JS"), ("CN-SC-CD", "CN-SC")]
)
def test_a_city_pays_its_provinces_pension_band(city: str, province: str) -> None:
    """Zhejiang, Jiangsu and Sichuan set one pension band for the whole province (浙人社发〔2025〕
    52号, 苏人社发〔2025〕33号, 川人社办发〔2025〕39号): a city carries the same figures, so a
    rider at the floor pays the same 20 % in the city as in the province."""
    assert CN.pack.region(city).parent == province
    for month in (Month(2024, 3), Month(2025, 3)):
        on = month.first_day
        for name in ("base_floor", "base_ceiling", "average_wage"):
            mine = CN.parameter(f"pension.{name}", region=city, on=on)
            theirs = CN.parameter(f"pension.{name}", region=province, on=on)
            assert mine.value == theirs.value, (name, month)
        lines = [
            CN.monthly_contributions(
                RIDER, [], month, enrolments=[Enrolment(scheme="pension", region=region)]
            ).total()
            for region in (city, province)
        ]
        assert lines[0] == lines[1]


def fixed(region: str) -> bool:
    """Whether the region charges a fixed medical amount (its own series of the parameter)."""
    return region in CN.pack.parameter("medical.fixed_amount").series


COVERED = [
    (region, start)
    for region, start in CN.pack.scheme("medical").coverage.items()
    if not fixed(region)
]


@pytest.mark.parametrize(("region", "start"), COVERED, ids=[row[0] for row in COVERED])
@given(first=money(0, 6_000_000), second=money(0, 6_000_000))
def test_medical_amount_is_the_rate_times_the_clipped_base_and_grows_with_it(
    region: str, start: dt.date, first: Money, second: Money
) -> None:
    """In every covered region: amount = half-up(rate × base clipped to the medical band), to
    the fen, and a higher declared base never pays less."""
    month = Month.of(start) if start.day == 1 else Month.of(start) + 1  # first whole month
    low, high = sorted((first, second), key=lambda m: m.amount)
    lines = [medical_line(region, month, BaseChoice.declared(base)) for base in (low, high)]
    on = month.first_day
    rate = CN.parameter("medical.worker_rate", region=region, on=on).decimal()
    floor = CN.parameter("medical.base_floor", region=region, on=on).money()
    ceiling = CN.parameter("medical.base_ceiling", region=region, on=on).money()
    for base, line in zip((low, high), lines, strict=True):
        clipped = min(max(base, floor), ceiling)
        assert line.base == clipped
        expected = (clipped.amount * rate).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert line.amount == yuan(str(expected))
    assert lines[0].amount <= lines[1].amount
