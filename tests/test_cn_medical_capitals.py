"""Flexible employees' medical rates of Fuzhou, Zhengzhou, Jinan and Hefei (issue 10, item 5).

Medical insurance is pooled by city, and no province-wide rate or official text was found for
Fujian, Henan, Shandong or Anhui (docs/source-decisions.md (k)). Their capitals carry the rates
of third-party pages, every one ``verified = false`` ((l)); each city repeats its province's
pension band, wage and injury dates, as Hangzhou, Nanjing and Chengdu do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

import flexsecure as fs
from flexsecure import BaseChoice, Enrolment, Evidence, Money, Month

CN = fs.load_jurisdiction("CN")

RIDER = fs.Worker(
    id="w-capitals",
    birth_date=dt.date(1992, 6, 1),
    sex=fs.Sex.FEMALE,
    hukou_region="CN-HA",
    retirement_category=fs.RetirementCategory.FEMALE_50,
)

CAPITALS = [
    ("CN-FJ-FZ", "CN-FJ"),
    ("CN-HA-ZZ", "CN-HA"),
    ("CN-SD-JN", "CN-SD"),
    ("CN-AH-HF", "CN-AH"),
]


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


def medical_line(
    region: str, month: Month, base: BaseChoice = BaseChoice.FLOOR
) -> fs.ContributionLine:
    enrolment = Enrolment(scheme="medical", region=region, base=base)
    (line,) = CN.monthly_contributions(RIDER, [], month, enrolments=[enrolment]).lines
    return line


CHOICES = [
    BaseChoice.FLOOR,
    BaseChoice.CEILING,
    BaseChoice.grade("3"),
    BaseChoice.declared(yuan("1")),
]


@pytest.mark.parametrize("choice", CHOICES, ids=["floor", "ceiling", "grade-3", "declared-1"])
def test_a_fuzhou_flexible_employee_pays_10_percent_on_60_percent_of_fujians_wage(
    choice: BaseChoice,
) -> None:
    """SRC-FZ-MED-PAGE: “灵活就业人员以全省全口径城镇单位就业人员月平均工资的60%为缴费基数，按10%
    比例由个人缴纳基本医疗保险费”. 2025: 0.6 × 7535 = 4521, × 10 % = 452.10; 2026: the medical
    floor 4579 of 闽医保函〔2026〕65号 (SRC-FJ-MED-BASE-2026), × 10 % = 457.90. Whatever base is
    chosen, the base is the fixed one."""
    line = medical_line("CN-FJ-FZ", Month(2025, 3), choice)
    assert (line.base, line.rate, line.amount) == (yuan("4521"), Decimal("0.10"), yuan("452.10"))
    line = medical_line("CN-FJ-FZ", Month(2026, 3), choice)
    assert (line.base, line.amount) == (yuan("4579"), yuan("457.90"))


def test_a_zhengzhou_flexible_employee_pays_the_pages_500_80_a_month_in_2025() -> None:
    """SRC-ZZ-MED-PAGE: base 80 % of Henan's 2024 wage 6260 = 5008, medical 9 % + maternity 1 %,
    “每月需缴纳的费用为 500.8元” — 5008 × 10 % = 500.80, the page's own total."""
    line = medical_line("CN-HA-ZZ", Month(2025, 3))
    assert (line.base, line.rate, line.amount) == (yuan("5008"), Decimal("0.10"), yuan("500.80"))
    assert medical_line("CN-HA-ZZ", Month(2025, 3), BaseChoice.CEILING) == line
    wage = CN.parameter("medical.average_wage", region="CN-HA-ZZ", on=dt.date(2025, 3, 1))
    assert line.base is not None
    assert line.base.amount == wage.money().amount * Decimal("0.8")


def test_a_jinan_flexible_employee_pays_9_percent_on_shandongs_floor() -> None:
    """SRC-JN-MED-PAGE (2022): 一档 “按照9%（设立个人账户）缴费” on 60 % of the average wage, the
    band's floor. On Shandong's floor: 2024 4416 × 9 % = 397.44; 2025 4504 × 9 % = 405.36
    (0.6 × 7506 = 4503.6 → 4504, 鲁人社字〔2025〕91号)."""
    assert medical_line("CN-SD-JN", Month(2024, 3)).amount == yuan("397.44")
    line = medical_line("CN-SD-JN", Month(2025, 3), BaseChoice.CEILING)
    assert (line.base, line.rate, line.amount) == (yuan("4504"), Decimal("0.09"), yuan("405.36"))
    floor = CN.parameter("pension.base_floor", region="CN-SD", on=dt.date(2025, 3, 1))
    assert line.base == floor.money()


def test_a_hefei_flexible_employee_pays_9_percent_on_60_percent_of_anhuis_wage() -> None:
    """SRC-HF-MED-PAGE: “个人缴费比例由10%下调为9%” on 60 % of the province's wage (Anhui's 2022
    rule, SRC-AH-FLEX-MED-2022): 0.6 × 7185 = 4311, × 9 % = 387.99."""
    line = medical_line("CN-AH-HF", Month(2025, 3))
    assert (line.base, line.rate, line.amount) == (yuan("4311"), Decimal("0.09"), yuan("387.99"))


@pytest.mark.parametrize(
    ("city", "month"),
    [("CN-FJ-FZ", Month(2024, 12)), ("CN-HA-ZZ", Month(2024, 12)), ("CN-AH-HF", Month(2024, 12))],
)
def test_no_medical_line_before_the_first_base_found(city: str, month: Month) -> None:
    """The bases start in 2025 (Jinan's in 2024, where Shandong's floor starts): an earlier
    month is refused, naming the missing figure, rather than priced on a guess."""
    with pytest.raises(fs.RuleNotFound, match=rf"medical\.base_floor has no value for {city}"):
        medical_line(city, month)


@pytest.mark.parametrize(("city", "province"), CAPITALS, ids=[row[0] for row in CAPITALS])
def test_every_capital_figure_is_unverified_and_the_explanation_says_so(
    city: str, province: str
) -> None:
    """No official text and no two agreeing sources were found (docs/source-decisions.md (l)):
    the rate and the base the line used are cited ``verified = false``, their evidence is
    third-party or derived, and the rendered explanation marks them unverified."""
    month = Month(2025, 3)
    line = medical_line(city, month)
    cited = {
        node.value("name"): node.citation
        for node in line.explanation.walk()
        if node.key == "parameter" and node.citation is not None
    }
    for name in ("medical.worker_rate", "medical.base_floor", "medical.base_ceiling"):
        citation = cited[name]
        assert citation.verified is False, name
        assert citation.evidence in (Evidence.THIRD_PARTY, Evidence.DERIVED), name
    assert cited["medical.worker_rate"].evidence is Evidence.THIRD_PARTY
    assert "[unverified]" in line.explanation.render(locale="en")
    assert CN.pack.region(city).parent == province


@pytest.mark.parametrize(("city", "province"), CAPITALS, ids=[row[0] for row in CAPITALS])
def test_a_capital_repeats_its_provinces_pension_and_injury_figures(
    city: str, province: str
) -> None:
    """A city has no fallback to its province, so each capital carries the province's own
    series of every parameter the province has (pension band, wage, calculation base, injury
    dates), value for value and date for date, with the same sources."""
    compared = 0
    for parameter in CN.pack.parameters.values():
        if province not in parameter.series:
            continue
        mine = [(v.effective_from, v.value, v.citation.source_id) for v in parameter.series[city]]
        theirs = [
            (v.effective_from, v.value, v.citation.source_id) for v in parameter.series[province]
        ]
        assert mine == theirs, parameter.name
        compared += 1
    assert compared >= 3
    assert CN.pack.scheme("pension").coverage[city] == CN.pack.scheme("pension").coverage[province]
