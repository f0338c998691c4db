"""Due versus paid on the ledger: a statement posted with ``paid=False`` is owed, not money on
the account; payments applied by a reconciliation are booked on the day they were paid, and
only paid months count (《社会保险法》 Art. 16: 累计缴费 years; Art. 60: 按时足额).

Shanghai's figures: the 2025-07 floor is 7,460 a month, 20 % = 1,492.00, of which 8 %
(596.80) goes to the individual account (see tests/test_contributions.py); Shanghai collects
monthly only and a missed month cannot be made up (上海社保: 灵活就业人员实行按月缴费，不得以
事后追补缴费的方式增加缴费年限)."""

from __future__ import annotations

import datetime as dt
import json
import random
from decimal import Decimal

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import InvalidInput, LedgerConflict, Money, Month, Payment
from flexsecure.records.ledgers import ledger_from_record, ledger_to_record
from flexsecure.records.schemas import schema
from tests.strategies import RIDER as WORKER

CN = fs.load_jurisdiction("CN")
COFUNDED = CN.with_reform("platform_cofunding")
IA = "individual_account"


def cny(text: str) -> Money:
    return Money(text, "CNY")


def floor_statements(region: str, first: str, count: int) -> list[fs.ContributionStatement]:
    enrolments = [fs.Enrolment(scheme="pension", region=region, base=fs.BaseChoice.FLOOR)]
    start = Month.parse(first)
    return [
        CN.monthly_contributions(WORKER, [], start + offset, enrolments=enrolments)
        for offset in range(count)
    ]


def pay(
    statements: list[fs.ContributionStatement],
    region: str,
    payments: list[Payment],
    on: dt.date,
    ledger: fs.Ledger | None = None,
) -> tuple[fs.Ledger, fs.Reconciliation]:
    schedule = CN.contribution_schedule(statements, region=region)
    result = schedule.reconcile(payments, on=on)
    if ledger is None:
        ledger = fs.Ledger.for_worker(WORKER).post(*statements, paid=False)
    return ledger.pay(result), result


# -- worked examples -----------------------------------------------------------------------


def test_posted_as_due_nothing_counts_until_paid() -> None:
    """Three Shanghai months posted as due: no balance, no month, 4,476.00 unpaid."""
    statements = floor_statements("CN-SH", "2025-07", 3)
    ledger = fs.Ledger.for_worker(WORKER).post(*statements, paid=False)
    assert len(ledger.entries) == 0
    assert len(ledger.dues) == 3
    assert ledger.balance("pension", IA) == cny("0")
    assert ledger.contributed_months("pension") == 0
    assert ledger.contribution_months("pension") == ()
    assert ledger.unpaid("pension") == cny("4476.00")
    assert ledger.unpaid_months("pension") == (Month(2025, 7), Month(2025, 8), Month(2025, 9))
    assert "dues=3" in repr(ledger)


def test_shanghai_missed_month_never_counts_toward_pension_years() -> None:
    """上海社保: a missed month cannot be made up later to add years. July paid on the 20th,
    August's payment comes on the 25th (after the 23rd) and passes it by to September: two
    months count, 1,193.60 in the account, August stays unpaid."""
    statements = floor_statements("CN-SH", "2025-07", 3)
    payments = [
        Payment(cny("1492.00"), dt.date(2025, 7, 20), "p-1"),
        Payment(cny("1492.00"), dt.date(2025, 8, 25), "p-2"),
    ]
    ledger, result = pay(statements, "CN-SH", payments, dt.date(2025, 10, 1))
    assert [s.state for s in result.statuses] == [
        fs.InstallmentState.PAID, fs.InstallmentState.LAPSED, fs.InstallmentState.PAID]  # fmt: skip
    assert ledger.contributed_months("pension") == 2
    assert [m.month for m in ledger.contribution_months("pension")] == [Month(2025, 7),
                                                                        Month(2025, 9)]  # fmt: skip
    assert ledger.balance("pension", IA) == cny("1193.60")
    assert ledger.balance("pension", "pooled") == cny("1790.40")
    assert ledger.unpaid_months("pension") == (Month(2025, 8),)
    assert ledger.unpaid("pension") == cny("1492.00")
    september = ledger.get("contribution/w-001/pension/CN-SH/2025-09/worker/-/paid/p-2")
    assert september is not None
    assert september.booked_on == dt.date(2025, 8, 25)
    assert (september.reference, september.months, september.base) == ("p-2", 1, cny("7460"))


def test_paying_in_parts_counts_the_month_once_paid_in_full() -> None:
    """Art. 60 asks for contributions 按时足额 (in full): a month paid in part does not count
    (``schedule.worker.partial_month = not_counted``, a project reading). 1,000.00 of
    1,492.00 splits 400.00 / 600.00 over the account and the pooled fund (8 : 12); the rest,
    492.00, completes the month and its funds end exactly at 596.80 / 895.20."""
    statements = floor_statements("CN-SH", "2025-07", 1)
    first = [Payment(cny("1000.00"), dt.date(2025, 7, 10), "p-1")]
    ledger, _ = pay(statements, "CN-SH", first, dt.date(2025, 7, 15))
    assert ledger.balance("pension", IA) == cny("400.00")
    assert ledger.contributed_months("pension") == 0
    assert ledger.unpaid("pension") == cny("492.00")
    both = [*first, Payment(cny("492.00"), dt.date(2025, 7, 20), "p-2")]
    ledger, _ = pay(statements, "CN-SH", both, dt.date(2025, 7, 31), ledger=ledger)
    assert ledger.balance("pension", IA) == cny("596.80")
    assert ledger.balance("pension", "pooled") == cny("895.20")
    assert ledger.contributed_months("pension") == 1
    assert ledger.unpaid("pension") == cny("0.00")
    assert ledger.unpaid_months("pension") == ()


def test_shenzhen_takes_arrears_of_under_three_months() -> None:
    """Shenzhen (3news.cn, [U]): 三个月内(不含第三个月)的社保费用如发生欠费 … 在下月划款时统一
    补扣 — July (due 31 July) can be paid until 30 September, not on 1 October."""
    rules = CN.payment_rules(payer="worker", region="CN-GD-SZ", on=dt.date(2025, 7, 1))
    assert (rules.back_payment, rules.back_payment_months) == (fs.BackPayment.MONTHS, 2)
    assert not any(value.verified for value in rules.sources if "back_payment" in value.name)
    statements = floor_statements("CN-GD-SZ", "2025-07", 1)
    amount = statements[0].total(payer="worker")
    in_time = [Payment(amount, dt.date(2025, 9, 30), "p-late")]
    ledger, result = pay(statements, "CN-GD-SZ", in_time, dt.date(2025, 10, 2))
    assert result.statuses[0].state is fs.InstallmentState.PAID
    assert ledger.contributed_months("pension") == 1
    too_late = [Payment(amount, dt.date(2025, 10, 1), "p-later")]
    ledger, result = pay(statements, "CN-GD-SZ", too_late, dt.date(2025, 10, 2))
    assert result.statuses[0].state is fs.InstallmentState.LAPSED
    assert result.credit == amount
    assert ledger.contributed_months("pension") == 0


def test_elsewhere_a_month_can_be_made_up_within_its_year_only() -> None:
    """现行政策不允许以个人身份参保人员补缴以前年度的养老保险费 (海口本地宝 [U]; Hunan:
    跨年一般不得补缴): Beijing's November 2024 paid on 31 December counts; December 2024 paid on
    2 January 2025 lapses (the national rule, unverified)."""
    statements = floor_statements("CN-BJ", "2024-11", 2)
    each = statements[0].total(payer="worker")
    assert statements[1].total(payer="worker") == each
    payments = [
        Payment(each, dt.date(2024, 12, 31), "p-nov"),
        Payment(each, dt.date(2025, 1, 2), "p-dec"),
    ]
    ledger, result = pay(statements, "CN-BJ", payments, dt.date(2025, 1, 31))
    assert [s.state for s in result.statuses] == [
        fs.InstallmentState.PAID, fs.InstallmentState.LAPSED]  # fmt: skip
    assert ledger.contribution_months("pension")[0].month == Month(2024, 11)
    assert ledger.contributed_months("pension") == 1
    assert ledger.unpaid_months("pension") == (Month(2024, 12),)


def test_interest_and_transfers_count_only_what_was_paid() -> None:
    """The account earns interest on paid amounts only, from the day they were paid, and a
    transfer (国办发〔2009〕66号 Art. 4) moves only paid months: the same as posting just the
    paid months as paid on their payment days."""
    statements = floor_statements("CN-SH", "2025-07", 3)
    payments = [
        Payment(cny("1492.00"), dt.date(2025, 7, 20), "p-1"),
        Payment(cny("1492.00"), dt.date(2025, 9, 20), "p-3"),
    ]
    ledger, _ = pay(statements, "CN-SH", payments, dt.date(2025, 10, 1))
    as_paid = (
        fs.Ledger.for_worker(WORKER)
        .post(statements[0], booked_on=dt.date(2025, 7, 20))
        .post(statements[2], booked_on=dt.date(2025, 9, 20))
    )
    credited = CN.credit_interest(ledger, 2025, scheme="pension")
    expected = CN.credit_interest(as_paid, 2025, scheme="pension")
    assert credited.balance("pension", IA) == expected.balance("pension", IA)
    assert credited.balance("pension", IA) > cny("1193.60")
    on = dt.date(2026, 1, 1)
    quote = CN.quote_transfer(credited, scheme="pension", from_region="CN-SH",
                              to_region="CN-SC", on=on)  # fmt: skip
    same = CN.quote_transfer(expected, scheme="pension", from_region="CN-SH",
                             to_region="CN-SC", on=on)  # fmt: skip
    assert (quote.months, quote.individual_account, quote.pooled) == (
        2, same.individual_account, same.pooled)  # fmt: skip


def test_a_pension_projection_counts_only_paid_months() -> None:
    """A projection reads the ledger's paid months (Art. 16: 累计缴费): with August lapsed,
    the projection starting in October has one month fewer and a smaller account than one
    on a ledger where all three months were paid."""
    statements = floor_statements("CN-SH", "2025-07", 3)
    payments = [
        Payment(cny("1492.00"), dt.date(2025, 7, 20), "p-1"),
        Payment(cny("1492.00"), dt.date(2025, 8, 25), "p-2"),
    ]
    missed, _ = pay(statements, "CN-SH", payments, dt.date(2025, 10, 1))
    full = fs.Ledger.for_worker(WORKER).post(*statements)
    assumptions = fs.Assumptions(
        start=Month(2025, 10), region="CN-SH", base=fs.BaseChoice.FLOOR,
        wage_growth=Decimal("0.03"), interest_rate=Decimal("0.02"),
    )  # fmt: skip
    short = CN.project_pension(WORKER, missed, region="CN-SH", assumptions=assumptions)
    whole = CN.project_pension(WORKER, full, region="CN-SH", assumptions=assumptions)
    assert short.contributed_months == whole.contributed_months - 1
    assert short.account_balance < whole.account_balance


def test_a_cofunded_month_counts_once_the_platform_has_paid_its_share() -> None:
    """platform_cofunding (scenario): the platform pays part of the pension. The worker paying
    their own line is not enough; the month counts when the platform's remittance for it is
    paid in full (not_counted: every line of the month paid)."""
    september = Month(2025, 9)
    job = fs.Engagement(worker_id=WORKER.id, platform_id="ride-co", industry="ride_hailing",
                        region="CN-SH", month=september, earnings=cny("9000.00"),
                        orders=300)  # fmt: skip
    enrolments = [fs.Enrolment("pension", "CN-SH", fs.BaseChoice.EARNINGS)]
    statement = COFUNDED.monthly_contributions(WORKER, [job], september, enrolments=enrolments)
    mine = statement.total(payer="worker", scheme="pension")
    platform_share = statement.total(payer="platform", scheme="pension")
    assert mine > cny("0")
    assert platform_share > cny("0")
    ledger = fs.Ledger.for_worker(WORKER).post(statement, paid=False)
    own = COFUNDED.contribution_schedule([statement], region="CN-SH")
    ledger = ledger.pay(own.reconcile([Payment(mine, dt.date(2025, 9, 20), "w-pay")],
                                      on=dt.date(2025, 9, 30)))  # fmt: skip
    assert ledger.contributed_months("pension") == 0
    remittance = COFUNDED.platform_remittance([statement], platform_id="ride-co",
                                              month=september)  # fmt: skip
    half = Payment(cny("0.01"), dt.date(2025, 10, 10), "r-1")
    ledger = ledger.pay(remittance.reconcile([half], on=dt.date(2025, 10, 12)))
    assert ledger.contributed_months("pension") == 0  # a remittance paid in part pays no line
    rest = Payment(remittance.total - half.amount, dt.date(2025, 10, 14), "r-2")
    ledger = ledger.pay(remittance.reconcile([half, rest], on=dt.date(2025, 10, 20)))
    assert ledger.contributed_months("pension") == 1
    assert ledger.unpaid() == cny("0.00")
    assert ledger.balance("pension", IA) + ledger.balance("pension", "pooled") == (
        mine + platform_share
    )
    injury = [e for e in ledger.entries if e.scheme == "occupational_injury"]
    assert injury
    assert all(e.booked_on == dt.date(2025, 10, 14) for e in injury)


def test_the_same_reference_from_two_payers_books_each_once() -> None:
    """References are unique per payer, not across payers: a worker's and a platform's
    payments both called "2025-09" each pay their own lines, and the month counts once."""
    september = Month(2025, 9)
    job = fs.Engagement(worker_id=WORKER.id, platform_id="ride-co", industry="ride_hailing",
                        region="CN-SH", month=september, earnings=cny("9000.00"),
                        orders=300)  # fmt: skip
    enrolments = [fs.Enrolment("pension", "CN-SH", fs.BaseChoice.EARNINGS)]
    statement = COFUNDED.monthly_contributions(WORKER, [job], september, enrolments=enrolments)
    remittance = COFUNDED.platform_remittance([statement], platform_id="ride-co",
                                              month=september)  # fmt: skip
    platform_paid = remittance.reconcile(
        [Payment(remittance.total, dt.date(2025, 10, 10), "2025-09")], on=dt.date(2025, 10, 31)
    )
    own = COFUNDED.contribution_schedule([statement], region="CN-SH")
    worker_paid = own.reconcile(
        [Payment(own.total, dt.date(2025, 9, 20), "2025-09")], on=dt.date(2025, 9, 30)
    )
    ledger = fs.Ledger.for_worker(WORKER).post(statement, paid=False)
    one_way = ledger.pay(worker_paid).pay(platform_paid)
    other_way = ledger.pay(platform_paid).pay(worker_paid)
    for result in (one_way, other_way):
        assert result.unpaid() == cny("0.00")
        assert sum(e.months for e in result.entries if e.scheme == "pension") == 1
        assert result.contributed_months("pension") == 1
    assert one_way.balance("pension", IA) == other_way.balance("pension", IA)
    assert one_way.pay(worker_paid).pay(platform_paid) == one_way


# -- the contract --------------------------------------------------------------------------


def test_posting_as_paid_stays_the_default() -> None:
    """``post(statement)`` keeps its meaning (already paid): the month counts at once."""
    statements = floor_statements("CN-SH", "2025-07", 2)
    ledger = fs.Ledger.for_worker(WORKER).post(*statements)
    assert ledger.dues == ()
    assert ledger.contributed_months("pension") == 2
    assert ledger.post(*statements, paid=True) == ledger


def test_a_month_is_either_due_or_posted_paid_never_both() -> None:
    statements = floor_statements("CN-SH", "2025-07", 1)
    due = fs.Ledger.for_worker(WORKER).post(*statements, paid=False)
    assert due.post(*statements, paid=False) == due  # posting the same due again: no-op
    with pytest.raises(LedgerConflict, match="posted as due"):
        due.post(*statements)
    paid = fs.Ledger.for_worker(WORKER).post(*statements)
    with pytest.raises(LedgerConflict, match="already posted as paid"):
        paid.post(*statements, paid=False)
    with pytest.raises(InvalidInput, match="paid must be True or False"):
        due.post(*statements, paid="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="due line: post its statement with paid=False"):
        fs.Ledger.for_worker(WORKER).apply(due.dues)


def test_paying_is_idempotent_and_refuses_what_matches_no_due() -> None:
    statements = floor_statements("CN-SH", "2025-07", 2)
    payments = [Payment(cny("2984.00"), dt.date(2025, 7, 20), "p-both")]
    ledger, result = pay(statements, "CN-SH", payments, dt.date(2025, 8, 31))
    assert ledger.pay(result) == ledger
    assert ledger.contributed_months("pension") == 2
    with pytest.raises(InvalidInput, match="matches no due line"):
        fs.Ledger.for_worker(WORKER).pay(result)
    with pytest.raises(InvalidInput, match="must be a Reconciliation"):
        ledger.pay(payments)  # type: ignore[arg-type]


def test_a_ledger_with_dues_round_trips_through_its_record() -> None:
    statements = floor_statements("CN-SH", "2025-07", 3)
    payments = [Payment(cny("2000.00"), dt.date(2025, 7, 20), "p-1")]
    ledger, _ = pay(statements, "CN-SH", payments, dt.date(2025, 7, 31))
    record = json.loads(json.dumps(ledger_to_record(ledger)))
    assert [due["kind"] for due in record["dues"]] == ["due"] * 3
    assert ledger_from_record(record) == ledger
    jsonschema.validate(record, schema("flexsecure.ledger/1"))


# -- properties ----------------------------------------------------------------------------


STATEMENTS = floor_statements("CN-BJ", "2025-01", 6)
MONTHLY = STATEMENTS[0].total(payer="worker")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 300_000), st.integers(0, 360)), min_size=0, max_size=6),
    st.randoms(use_true_random=False),
)
def test_payments_are_booked_whole_and_in_any_order_of_arrival(
    rows: list[tuple[int, int]], shuffle: random.Random
) -> None:
    """Whatever arrives, and in whatever order: the ledger books exactly what the
    reconciliation applied (never lost, never twice), the months it counts are fully paid,
    and paid + unpaid = due."""
    start = dt.date(2025, 1, 1)
    payments = [
        Payment(Money(Decimal(units).scaleb(-2), "CNY"), start + dt.timedelta(days=day),
                f"p-{index}")
        for index, (units, day) in enumerate(rows)
    ]  # fmt: skip
    on = dt.date(2026, 1, 31)
    ledger, result = pay(STATEMENTS, "CN-BJ", payments, on)
    booked = sum((e.amount.amount for e in ledger.entries if e.amount), cny("0").amount)
    assert booked == result.paid.amount
    due_total = sum((s.total(payer="worker") for s in STATEMENTS), cny("0"))
    assert ledger.unpaid() + result.paid == due_total
    assert ledger.contributed_months("pension") == sum(
        1 for status in result.statuses if status.state is fs.InstallmentState.PAID
    )
    shuffled = list(payments)
    shuffle.shuffle(shuffled)
    again, _ = pay(STATEMENTS, "CN-BJ", shuffled, on)
    assert again == ledger


@settings(max_examples=15, deadline=None)
@given(
    st.lists(st.sampled_from([fs.BaseChoice.FLOOR, fs.BaseChoice.CEILING]), min_size=1, max_size=4)
)
def test_due_then_paid_on_time_equals_posting_as_paid(choices: list[fs.BaseChoice]) -> None:
    """Posting what is due and paying each month in full on its due date leaves the same
    balances and months as posting the statements as paid on those dates."""
    statements = [
        CN.monthly_contributions(WORKER, [], Month(2025, 1) + offset,
                                 enrolments=[fs.Enrolment("pension", "CN-BJ", choice)])
        for offset, choice in enumerate(choices)
    ]  # fmt: skip
    schedule = CN.contribution_schedule(statements, region="CN-BJ")
    payments = [
        Payment(installment.total, installment.due_date, f"p-{index}")
        for index, installment in enumerate(schedule.installments)
    ]
    ledger, _ = pay(statements, "CN-BJ", payments, dt.date(2025, 12, 31))
    as_paid = fs.Ledger.for_worker(WORKER)
    for statement, installment in zip(statements, schedule.installments, strict=True):
        as_paid = as_paid.post(statement, booked_on=installment.due_date)
    for fund in (IA, "pooled"):
        assert ledger.balance("pension", fund) == as_paid.balance("pension", fund)
    assert ledger.contributed_months("pension") == as_paid.contributed_months("pension")
    assert ledger.contribution_months("pension") == as_paid.contribution_months("pension")
