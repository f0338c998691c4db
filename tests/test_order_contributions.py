"""Per-order contributions to a scheme: a pension micro-contribution deducted per order.

The CN pack's ``pension_per_order`` reform is a scenario (reforms/pension_per_order.toml):
from 2026-01-01 every order deducts 0.10 yuan from the worker into the pension individual
account and the platform adds 0.10 yuan — assumed amounts, marked unverified. The lines carry
no base, so they count no contributed month.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure.records import statement_from_record, statement_to_record
from tests.strategies import RIDER as WORKER

CN = fs.load_jurisdiction("CN")
MICRO = CN.with_reform("pension_per_order")
MARCH = fs.Month(2026, 3)


def yuan(text: str) -> fs.Money:
    return fs.Money(text, "CNY")


def jobs(month: fs.Month = MARCH, ride: int = 410, food: int = 233) -> list[fs.Engagement]:
    return [
        fs.Engagement(worker_id="w-001", platform_id="ride-co", industry="ride_hailing",
                      region="CN-SH", month=month, earnings=yuan("6200.00"), orders=ride),
        fs.Engagement(worker_id="w-001", platform_id="food-co", industry="instant_delivery",
                      region="CN-SH", month=month, earnings=yuan("2100.50"), orders=food),
    ]  # fmt: skip


def pension_lines(statement: fs.ContributionStatement) -> list[tuple[str, str | None, fs.Money]]:
    return [(x.payer, x.platform_id, x.amount) for x in statement.lines if x.scheme == "pension"]


def test_every_order_pays_ten_fen_from_the_worker_and_ten_from_the_platform() -> None:
    """reforms/pension_per_order.toml (scenario, amounts assumed): 410 orders × 0.10 = 41.00
    and 233 × 0.10 = 23.30, from the worker and again from the platform, each line naming the
    app it was deducted in, all into the individual account; no enrolment is needed."""
    statement = MICRO.monthly_contributions(WORKER, jobs(), MARCH)
    assert pension_lines(statement) == [
        ("worker", "food-co", yuan("23.30")), ("platform", "food-co", yuan("23.30")),
        ("worker", "ride-co", yuan("41.00")), ("platform", "ride-co", yuan("41.00")),
    ]  # fmt: skip
    for line in statement.lines:
        if line.scheme == "pension":
            assert line.base is None
            assert dict(line.funds) == {"individual_account": line.amount}
            assert line.rate == yuan("0.10")
    assert statement.total(payer="worker") == yuan("64.30")
    for payer in ("worker", "platform"):
        amount = MICRO.parameter(f"pension.order_contribution_{payer}", on=MARCH.first_day)
        assert not amount.citation.verified  # a scenario's assumption
    # occupational-injury premiums are unchanged by the reform
    injury = [x for x in statement.lines if x.scheme == "occupational_injury"]
    assert injury == [x for x in CN.monthly_contributions(WORKER, jobs(), MARCH).lines]


def test_the_money_reaches_the_account_but_counts_no_contributed_month() -> None:
    statement = MICRO.monthly_contributions(WORKER, jobs(), MARCH)
    ledger = fs.Ledger.for_worker(WORKER, currency="CNY").post(statement)
    assert ledger.balance("pension", "individual_account") == yuan("128.60")
    assert ledger.contributed_months("pension") == 0
    enrolled = MICRO.monthly_contributions(
        WORKER, jobs(), MARCH,
        enrolments=[fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.FLOOR)],
    )  # fmt: skip
    ledger = fs.Ledger.for_worker(WORKER, currency="CNY").post(enrolled)
    assert ledger.contributed_months("pension") == 1  # the base line's month, once
    # the floor's 8 % (7460 × 0.08 = 596.80) plus the orders' 128.60
    assert ledger.balance("pension", "individual_account") == yuan("725.40")


def test_nothing_before_the_reform_starts() -> None:
    december = fs.Month(2025, 12)
    statement = MICRO.monthly_contributions(WORKER, jobs(december), december)
    assert pension_lines(statement) == []
    assert statement.lines == CN.monthly_contributions(WORKER, jobs(december), december).lines


def _members_only(amount: str = "0.05") -> fs.Reform:
    return fs.Reform(
        name="members_only",
        set_values=[fs.SetValue("pension.per_order", amount, dt.date(2026, 1, 1),
                                unit=fs.Unit.MONEY)],
        order_contributions={"pension": fs.OrderContribution(
            dt.date(2026, 1, 1), [fs.Share("worker", {"individual_account": "pension.per_order"})],
            enrolling=fs.Enrolling.VOLUNTARY)},
    )  # fmt: skip


def test_a_contribution_for_enrolled_workers_only() -> None:
    members = CN.with_reform(_members_only())
    assert pension_lines(members.monthly_contributions(WORKER, jobs(), MARCH)) == []
    enrolment = fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.FLOOR)
    statement = members.monthly_contributions(WORKER, jobs(), MARCH, enrolments=[enrolment])
    assert pension_lines(statement) == [
        ("worker", None, yuan("1492.00")),  # 7460 × 20 %
        ("worker", "food-co", yuan("11.65")),  # 233 × 0.05
        ("worker", "ride-co", yuan("20.50")),
    ]


def test_a_statement_read_from_a_record_is_verified_line_by_line() -> None:
    statement = MICRO.monthly_contributions(WORKER, jobs(), MARCH)
    record = json.loads(json.dumps(statement_to_record(statement)))
    verified = MICRO.verify_statement(statement_from_record(record))
    assert [x.amount for x in verified.lines] == [x.amount for x in statement.lines]
    for line in record["lines"]:
        if line["scheme"] == "pension" and line["payer"] == "worker":
            cent = Decimal("0.01")
            line["amount"] = str(Decimal(line["amount"]) + cent)
            line["funds"] = {"individual_account": line["amount"]}
            record["totals"]["worker"] = str(Decimal(record["totals"]["worker"]) + cent)
            break
    with pytest.raises(fs.RecordMismatch, match="amount"):
        MICRO.verify_statement(statement_from_record(record))


def test_bad_per_order_contributions_are_refused_with_the_key() -> None:
    with pytest.raises(fs.PackError, match="unknown fund"):
        CN.with_reform(fs.Reform(
            name="x", set_values=[fs.SetValue("pension.per_order", "0.1", dt.date(2026, 1, 1),
                                              unit=fs.Unit.MONEY)],
            order_contributions={"pension": fs.OrderContribution(
                dt.date(2026, 1, 1), [fs.Share("worker", {"wallet": "pension.per_order"})])},
        ))  # fmt: skip
    with pytest.raises(fs.PackError, match="expected money"):
        CN.with_reform(fs.Reform(
            name="x", order_contributions={"pension": fs.OrderContribution(
                dt.date(2026, 1, 1),
                [fs.Share("worker", {"individual_account": "pension.pooled_rate"})])},
        ))  # fmt: skip
    with pytest.raises(fs.PackError, match=r"order_contributions\.nope"):
        CN.with_reform(fs.Reform(name="x", order_contributions={
            "nope": fs.OrderContribution(dt.date(2026, 1, 1), [])}))  # fmt: skip
    with pytest.raises(fs.InvalidInput, match="enrolling"):
        fs.OrderContribution(dt.date(2026, 1, 1), [], enrolling=fs.Enrolling.OPTIONAL)
    share = fs.Share("worker", {"individual_account": "pension.per_order"})
    with pytest.raises(fs.InvalidInput, match="one share"):
        fs.OrderContribution(dt.date(2026, 1, 1), [share, share])


def test_a_reform_file_with_a_bad_enrolling_names_the_key(tmp_path: Path) -> None:
    folder = tmp_path / "vendor"
    (folder / "reforms").mkdir(parents=True)
    (folder / "jurisdiction.toml").write_text('extends = "CN"\n', encoding="utf-8")
    (folder / "reforms" / "micro.toml").write_text(
        'name = "micro"\ntitle = "x"\nstatus = "scenario"\nsource = "SRC-PROJECT"\n'
        'evidence = "unverified"\nverified = false\n'
        '[order_contributions.pension]\neffective_from = 2026-01-01\nenrolling = "sometimes"\n'
        '[[order_contributions.pension.shares]]\npayer = "worker"\n'
        'funds = { individual_account = "pension.individual_account_rate" }\n',
        encoding="utf-8",
    )
    with pytest.raises(fs.PackError, match="enrolling"):
        fs.load_jurisdiction(folder)


@settings(max_examples=40, deadline=None)
@given(
    ride=st.integers(0, 5_000),
    food=st.integers(0, 5_000),
    amount=st.integers(1, 999).map(lambda n: Decimal(n).scaleb(-3)),
)
def test_every_line_is_orders_times_the_amount_rounded_and_funds_add_up(
    ride: int, food: int, amount: Decimal
) -> None:
    """Conservation: each line is round(orders × amount) half up to the fen; the funds of
    a line add up to it; a worker with more orders never pays less."""
    reformed = CN.with_reform(_members_only(str(amount)))
    enrolment = fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.FLOOR)
    statement = reformed.monthly_contributions(
        WORKER, jobs(ride=ride, food=food), MARCH, enrolments=[enrolment]
    )
    per_order = [x for x in statement.lines if x.scheme == "pension" and x.orders is not None]
    assert sorted(x.orders or 0 for x in per_order) == sorted(n for n in (ride, food) if n)
    for line in per_order:
        assert line.orders is not None
        expected = (amount * line.orders).quantize(Decimal("0.01"), "ROUND_HALF_UP")
        assert line.amount == yuan(str(expected))
        assert sum((m for _, m in line.funds), yuan("0")) == line.amount
    more = reformed.monthly_contributions(
        WORKER, jobs(ride=ride + 1, food=food), MARCH, enrolments=[enrolment]
    )
    assert more.total(payer="worker") >= statement.total(payer="worker")
