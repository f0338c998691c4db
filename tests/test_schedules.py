"""Contribution schedules, payments and late charges, with the sources' worked examples.

Sources and grades are those of the CN pack's ``schedule.toml``: Shanghai collects monthly
only and a missed month cannot be made up (上海社保, [S3]); 《社会保险法》 Art. 86 charges
0.05 % a day (滞纳金); CPF Regulations reg 3(3)–(5) (S 922/2024) charge 1.5 % a month counted
per day, at least $5.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import InvalidInput, Money, Month, PackError, Payment
from tests.strategies import RIDER as WORKER
from tests.strategies import hand_statements, payments

CN = fs.load_jurisdiction("CN")
COFUNDED = CN.with_reform("platform_cofunding")
FLOOR = [fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.FLOOR)]
SEPTEMBER = Month(2025, 9)


def cny(text: str) -> Money:
    return Money(text, "CNY")


def cpf_rule() -> fs.LateChargeRule:
    """CPF late-payment interest as reg 3(3)–(5) and CPF's example state it."""
    return fs.LateChargeRule(
        "monthly_rate_per_day",
        rate=Decimal("0.015"),
        minimum=Money("5", "SGD"),
        rounding="down",
        rounding_unit=Decimal("1"),
        precision=Decimal("0.0001"),
        count_payment_day=False,
        citation=fs.Citation(
            "Central Provident Fund Regulations reg 3(3)–(5), inserted by S 922/2024",
            url="https://sso.agc.gov.sg/SL-Supp/S922-2024/Published/20241129",
        ),
    )


# -- worked examples ---------------------------------------------------------------------------


def test_art86_platform_1492_overdue_30_days_costs_22_38() -> None:
    """《社会保险法》 Art. 86: 按日加收万分之五 — 1,492.00 × 0.0005 × 30 = 22.38.

    Under platform co-funding, a platform's 16 % of a declared base of 9,325 is 1,492.00; its
    remittance for September is due on 15 October (pack rule, unverified); paid 30 days late.
    """
    base = fs.BaseChoice.declared(cny("9325"))
    job = fs.Engagement(
        worker_id="w-001", platform_id="food-co", industry="instant_delivery",
        region="CN-SH", month=SEPTEMBER, earnings=cny("5000"), orders=0,
    )  # fmt: skip
    statement = COFUNDED.monthly_contributions(
        WORKER, [job], SEPTEMBER, enrolments=[fs.Enrolment("pension", "CN-SH", base)]
    )
    remittance = COFUNDED.platform_remittance([statement], platform_id="food-co", month=SEPTEMBER)
    assert remittance.total == cny("1492.00")
    assert remittance.items[0].due_date == dt.date(2025, 10, 15)
    paid_on = dt.date(2025, 11, 14)
    reconciled = remittance.reconcile([Payment(cny("1492.00"), paid_on, "bank-77")], on=paid_on)
    status = reconciled.statuses[0]
    assert status.late_charge.days == 30
    assert status.late_charge.amount == cny("22.38")
    assert status.state is fs.InstallmentState.PAID
    explanation = status.late_charge.explain()
    assert explanation.citation is not None
    assert explanation.citation.article == "第八十六条"
    assert "用人单位" in (explanation.citation.note or "")  # says it is applied by analogy
    assert "第八十六条" in explanation.render("zh_CN")


def test_cpf_official_example_3000_for_october_paid_20_november_is_28() -> None:
    """ask.gov.sg (CPF): $3,000 for October paid on 20 November is late 19 days;
    3000 × 1.5 % × 19/30 = 28.50, cents dropped → $28."""
    charge = fs.late_charge(
        [(Money("3000", "SGD"), dt.date(2024, 11, 20), True)],
        due=dt.date(2024, 10, 31),
        rule=cpf_rule(),
    )
    assert charge.days == 19
    assert charge.parts[0].charge == Decimal("28.5")
    assert charge.amount == Money("28", "SGD")
    assert not charge.minimum_applied
    assert "S 922/2024" in charge.explain().render("en")


def test_cpf_minimum_5_dollars() -> None:
    """Derived from reg 3(3)(b) and CPF's day count: $200 for March paid 10 April is late
    9 days → 200 × 1.5 % × 9/30 = 0.90 → the $5 minimum."""
    charge = fs.late_charge(
        [(Money("200", "SGD"), dt.date(2025, 4, 10), True)],
        due=dt.date(2025, 3, 31),
        rule=cpf_rule(),
    )
    assert (charge.days, charge.amount, charge.minimum_applied) == (9, Money("5", "SGD"), True)


def test_daily_rate_counts_the_day_of_payment_like_the_tax_analog() -> None:
    """Tax-law analog (zlketang, [U]): deadline 15 March, paid 24 April → 40 days;
    300,000 × 0.05 % × 40 = 6,000."""
    rule = CN.payment_rules(payer="platform", region="CN-SH", on=dt.date(2025, 1, 1)).late_charge
    charge = fs.late_charge(
        [(cny("300000"), dt.date(2025, 4, 24), True)], due=dt.date(2025, 3, 15), rule=rule
    )
    assert (charge.days, charge.amount) == (40, cny("6000.00"))


# -- flexible employees --------------------------------------------------------------------


def shanghai_schedule(frequency: str = "monthly") -> fs.ContributionSchedule:
    return CN.contribution_schedule(
        worker=WORKER, enrolments=FLOOR, region="CN-SH", start="2025-07", end="2025-09",
        frequency=frequency,
    )  # fmt: skip


def test_shanghai_flexible_employees_pay_monthly_by_the_23rd() -> None:
    """上海社保: 灵活就业人员实行按月缴费; pay before the 24th of each month (City News Service)."""
    schedule = shanghai_schedule()
    assert [i.due_date for i in schedule.installments] == [
        dt.date(2025, 7, 23), dt.date(2025, 8, 23), dt.date(2025, 9, 23)]  # fmt: skip
    assert schedule.installments[0].amount("pension") == cny("1492.00")
    assert schedule.installments[0].key == "w-001/worker/CN-SH/2025-07"
    with pytest.raises(InvalidInput, match=r"quarterly.*allows monthly"):
        shanghai_schedule("quarterly")


def test_shanghai_missed_month_lapses_without_a_fee_and_cannot_be_made_up() -> None:
    """上海社保: 不得以事后追补缴费的方式增加缴费年限 — a late payment passes the missed
    month by, and nothing is charged for it."""
    schedule = shanghai_schedule()
    paid = [Payment(cny("1492.00"), dt.date(2025, 7, 20), "p-1"),
            Payment(cny("1492.00"), dt.date(2025, 8, 25), "p-2")]  # fmt: skip
    result = schedule.reconcile(paid, on=dt.date(2025, 10, 1))
    states = [s.state for s in result.statuses]
    assert states == [
        fs.InstallmentState.PAID,
        fs.InstallmentState.LAPSED,
        fs.InstallmentState.PAID,
    ]
    august = result.statuses[1]
    assert (august.lapsed, august.outstanding, august.late_charge.amount) == (
        cny("1492.00"), cny("0.00"), cny("0.00"))  # fmt: skip
    assert result.arrears == cny("0.00")
    citation = august.late_charge.explain().citation
    assert citation is not None
    assert citation.source_id == "SRC-SH-FLEX-MONTHLY"
    assert "lapses" in (citation.note or "")


def test_unsourced_regions_fall_back_to_national_unverified_rules() -> None:
    """Beijing has no sourced rule: the national series (monthly, month end, no fee, late
    payment accepted) applies, and every one of its values is marked unverified."""
    rules = CN.payment_rules(payer="worker", region="CN-BJ", on=dt.date(2025, 1, 1))
    assert rules.frequencies == (fs.Frequency.MONTHLY,)
    assert (rules.due.month_offset, rules.due.day) == (0, 0)
    assert all(not value.verified for value in rules.sources)
    statements = hand_statements("w-2", "CN-BJ", Month(2025, 1), [100_000, 100_000])
    schedule = CN.contribution_schedule(statements, region="CN-BJ")
    assert [i.due_date for i in schedule.installments] == [dt.date(2025, 1, 31),
                                                           dt.date(2025, 2, 28)]  # fmt: skip
    result = schedule.reconcile([], on=dt.date(2025, 2, 10))
    assert [s.state for s in result.statuses] == [fs.InstallmentState.OVERDUE,
                                                  fs.InstallmentState.NOT_DUE]  # fmt: skip
    assert result.overdue == cny("1000.00")
    assert result.late_charges == cny("0.00")


def test_hunan_quarterly_installments_cover_calendar_quarters() -> None:
    """Hunan (kidbbs.com, [U]): pension 按月、按季或者按年 from 2021-01-01. A schedule from
    February to August has a short first and last quarter; due at each quarter's end
    (national rule, unverified)."""
    statements = hand_statements("w-3", "CN-HN", Month(2025, 2), [149_200] * 7)
    schedule = CN.contribution_schedule(statements, region="CN-HN", frequency="quarterly")
    spans = [(str(i.months[0]), str(i.months[-1]), i.due_date) for i in schedule.installments]
    assert spans == [("2025-02", "2025-03", dt.date(2025, 3, 31)),
                     ("2025-04", "2025-06", dt.date(2025, 6, 30)),
                     ("2025-07", "2025-08", dt.date(2025, 8, 31))]  # fmt: skip
    assert [i.total for i in schedule.installments] == [cny("2984.00"), cny("4476.00"),
                                                        cny("2984.00")]  # fmt: skip
    yearly = CN.contribution_schedule(statements, region="CN-HN", frequency="yearly")
    assert len(yearly.installments) == 1
    assert yearly.total == schedule.total
    with pytest.raises(InvalidInput, match="half_yearly"):
        CN.contribution_schedule(statements, region="CN-HN", frequency="half_yearly")


def test_bad_schedule_input_is_rejected() -> None:
    statements = hand_statements("w-4", "CN-BJ", Month(2025, 1), [100, 100, 100])
    with pytest.raises(InvalidInput, match="no statement for 2025-04"):
        CN.contribution_schedule(statements, region="CN-BJ", end=Month(2025, 5))
    with pytest.raises(InvalidInput, match="twice"):
        CN.contribution_schedule(statements + statements[:1], region="CN-BJ")
    with pytest.raises(InvalidInput, match="frequency must be one of"):
        CN.contribution_schedule(statements, region="CN-BJ", frequency="weekly")
    schedule = CN.contribution_schedule(statements, region="CN-BJ")
    day = dt.date(2025, 1, 5)
    with pytest.raises(InvalidInput, match="appears twice"):
        schedule.reconcile([Payment(cny("1"), day, "x"), Payment(cny("2"), day, "x")], on=day)
    with pytest.raises(InvalidInput, match="after the reconciliation date"):
        schedule.reconcile([Payment(cny("1"), dt.date(2025, 2, 1), "x")], on=day)
    with pytest.raises(InvalidInput, match=r"Payment\.amount"):
        Payment(cny("-1"), day, "x")


def test_late_charge_method_is_chosen_by_pack_data(tmp_path: Path) -> None:
    """The engine never branches on a country: a vendor pack that selects the monthly method
    for platforms in Shanghai gets it, parameters and all."""
    import shutil
    from importlib import resources

    with resources.as_file(resources.files("flexsecure.jurisdictions") / "cn" / "pack") as src:
        shutil.copytree(src, tmp_path / "cn")
    topic = tmp_path / "cn" / "schedule.toml"
    cite = 'source = "SRC-PROJECT", evidence = "unverified", verified = false'
    text = topic.read_text(encoding="utf-8").replace(
        'value = "daily_rate"', 'value = "monthly_rate_per_day"'
    )
    text += (
        f'\n[parameters."platform.late_minimum"]\nunit = "money"\ndescription = "test"\n'
        f'values = [{{ effective_from = 2022-07-01, value = "5", {cite} }}]\n'
        f'\n[parameters."platform.late_precision"]\nunit = "decimal"\ndescription = "test"\n'
        f'values = [{{ effective_from = 2022-07-01, value = "0.0001", {cite} }}]\n'
    )
    topic.write_text(text.replace('value = "0.0005"', 'value = "0.015"'), encoding="utf-8")
    vendor = fs.load_jurisdiction(tmp_path / "cn")
    rule = vendor.payment_rules(payer="platform", region="CN-SH", on=dt.date(2025, 1, 1))
    assert rule.late_charge.method is fs.LateChargeMethod.MONTHLY_RATE_PER_DAY
    charge = fs.late_charge([(cny("3000"), dt.date(2025, 11, 20), True)],
                            due=dt.date(2025, 10, 31), rule=rule.late_charge)  # fmt: skip
    # the CN pack counts the day of payment (20 days) and rounds half-up to the fen
    assert charge.amount == cny("30.00")
    topic.write_text(text.replace("monthly_rate_per_day", "weekly_rate"), encoding="utf-8")
    with pytest.raises(PackError, match="unknown LateChargeMethod 'weekly_rate'"):
        fs.load_jurisdiction(tmp_path / "cn").payment_rules(
            payer="platform", region="CN-SH", on=dt.date(2025, 1, 1)
        )


# -- properties ------------------------------------------------------------------------------

START = Month(2025, 1)
amounts = st.lists(st.integers(0, 400_000), min_size=1, max_size=14)
frequencies = st.sampled_from(["monthly", "quarterly", "yearly"])
PAY_WINDOW = (dt.date(2024, 12, 1), dt.date(2026, 6, 30))


def hunan(fen: list[int], frequency: str = "monthly") -> fs.ContributionSchedule:
    return CN.contribution_schedule(
        hand_statements("w-p", "CN-HN", START, fen), region="CN-HN", frequency=frequency
    )


@given(amounts, frequencies)
def test_installments_sum_to_the_schedule_total(fen: list[int], frequency: str) -> None:
    schedule = hunan(fen, frequency)
    assert schedule.total == Money(Decimal(sum(fen)).scaleb(-2), "CNY")
    assert sum(len(i.months) for i in schedule.installments) == len(fen)


@settings(max_examples=60)
@given(amounts, frequencies, payments(*PAY_WINDOW))
def test_payments_are_never_lost_or_counted_twice(
    fen: list[int], frequency: str, paid: list[Payment]
) -> None:
    result = hunan(fen, frequency).reconcile(paid, on=PAY_WINDOW[1])
    received = sum((p.amount.amount for p in paid), Decimal(0))
    assert result.paid.amount + result.credit.amount == received
    for payment in paid:
        parts = [a.amount.amount for a in result.applied if a.reference == payment.reference]
        assert sum(parts, Decimal(0)) <= payment.amount.amount
    for status in result.statuses:
        whole = status.paid + status.outstanding + status.lapsed
        assert whole == status.installment.total


@settings(max_examples=60)
@given(amounts, payments(*PAY_WINDOW), st.randoms(use_true_random=False))
def test_order_of_arrival_does_not_matter(
    fen: list[int], paid: list[Payment], shuffler: object
) -> None:
    schedule = hunan(fen)
    shuffled = list(paid)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    first = schedule.reconcile(paid, on=PAY_WINDOW[1])
    second = schedule.reconcile(reversed(shuffled), on=PAY_WINDOW[1])
    assert first == second


@given(amounts, frequencies)
def test_a_schedule_paid_on_its_due_dates_has_no_arrears(fen: list[int], frequency: str) -> None:
    schedule = hunan(fen, frequency)
    paid = [Payment(i.total, i.due_date, f"due-{n}")
            for n, i in enumerate(schedule.installments) if i.total]  # fmt: skip
    result = schedule.reconcile(paid, on=dt.date(2027, 1, 1))
    assert result.arrears == Money("0.00", "CNY")
    assert result.outstanding == Money("0.00", "CNY")
    assert result.credit == Money("0.00", "CNY")
    assert all(s.state is fs.InstallmentState.PAID for s in result.statuses)


@given(
    st.integers(1, 10**8),
    st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
    st.integers(0, 800),
    st.integers(1, 60),
    st.sampled_from(["daily", "cpf"]),
)
def test_fees_grow_monotonically_with_days_late(
    cents: int, due: dt.date, late: int, more: int, method: str
) -> None:
    if method == "cpf":
        rule, amount = cpf_rule(), Money(Decimal(cents).scaleb(-2), "SGD")
    else:
        rule = CN.payment_rules(payer="platform", region="CN-SH", on=due).late_charge
        amount = Money(Decimal(cents).scaleb(-2), "CNY")
    earlier = fs.late_charge([(amount, due + dt.timedelta(late), True)], due=due, rule=rule)
    later = fs.late_charge([(amount, due + dt.timedelta(late + more), True)], due=due, rule=rule)
    assert later.amount >= earlier.amount
    assert later.days >= earlier.days


def test_singapore_operators_pay_cpf_monthly_with_cpfs_late_interest() -> None:
    """The SG pack's own rules reproduce CPF's example (ask.gov.sg; CPF Regulations reg 3,
    S 922/2024): October's $3,000 due 31 October, paid 20 November → $28; the minimum $5."""
    sg = fs.load_jurisdiction("SG")
    rules = sg.payment_rules(payer="platform", region="SG", on=dt.date(2025, 11, 1))
    assert rules.frequencies == (fs.Frequency.MONTHLY,)
    charge = fs.late_charge(
        [(Money("3000", "SGD"), dt.date(2025, 11, 20), True)],
        due=dt.date(2025, 10, 31),
        rule=rules.late_charge,
    )
    assert (charge.days, charge.amount) == (19, Money("28", "SGD"))
    small = fs.late_charge(
        [(Money("200", "SGD"), dt.date(2025, 11, 10), True)],
        due=dt.date(2025, 10, 31),
        rule=rules.late_charge,
    )
    assert (small.amount, small.minimum_applied) == (Money("5", "SGD"), True)
    assert "S 922/2024" in charge.explain().render("en")
