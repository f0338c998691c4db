"""The ledger and interest crediting: worked examples from the sources, then properties.

《社会保险法》 Art. 12 ¶3 splits a flexible employee's contribution between the pooled fund and
the individual account; Art. 14 credits the account with interest. The ledger records both as
entries and derives every balance from them.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure.calculations.accounts import (
    ContributionMonth,
    EntryKind,
    Ledger,
    LedgerEntry,
)
from flexsecure.calculations.contributions import monthly_contributions
from flexsecure.calculations.statements import ContributionStatement
from flexsecure.facts.engagements import BaseChoice, Engagement, Enrolment
from flexsecure.jurisdictions.cn.crediting import credit_interest
from flexsecure.jurisdictions.cn.interest import crediting_rate
from flexsecure.records.ledgers import LEDGER_FORMAT, ledger_from_record, ledger_to_record
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput, LedgerConflict, RuleNotFound
from flexsecure.values.money import Money
from flexsecure.values.periods import Month
from tests.strategies import LEDGER_REGIONS, LEDGER_SCHEMES, RIDER, engagements, ledger_entries

PACK = fs.load_jurisdiction("CN").pack
COFUNDED = PACK.with_reform(PACK.reform("platform_cofunding"))

IA, POOLED = "individual_account", "pooled"


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


def job(month: Month, platform: str = "ride-co", earnings: str = "6200.00", orders: int = 410,
        region: str = "CN-SH") -> Engagement:  # fmt: skip
    return Engagement(
        worker_id=RIDER.id,
        platform_id=platform,
        industry="ride_hailing",
        region=region,
        month=month,
        earnings=yuan(earnings),
        orders=orders,
    )


def statement(
    month: Month,
    *,
    region: str = "CN-SH",
    base: BaseChoice = BaseChoice.FLOOR,
    pack: RulePack = PACK,
    jobs: list[Engagement] | None = None,
) -> ContributionStatement:
    return monthly_contributions(
        pack,
        RIDER,
        jobs if jobs is not None else [job(month, region=region)],
        month,
        enrolments=[Enrolment(scheme="pension", region=region, base=base)],
    )


def adjustment(
    number: int, amount: str, booked_on: dt.date, region: str = "CN-SH", months: int = 0
) -> LedgerEntry:
    return LedgerEntry(
        id=f"adjustment/{RIDER.id}/{number}",
        kind=EntryKind.ADJUSTMENT,
        worker_id=RIDER.id,
        scheme="pension",
        region=region,
        month=None,
        booked_on=booked_on,
        funds={IA: yuan(amount)},
        months=months,
        note="opening balance carried from the agency's statement",
    )


def interest(ledger: Ledger, region: str, year: int) -> Money | None:
    entry = ledger.get(f"interest/{RIDER.id}/pension/{region}/{year}")
    return None if entry is None else entry.fund(IA)


def balances(ledger: Ledger) -> dict[tuple[str, str, str | None], tuple[Money, int]]:
    """Every balance and month count the ledger can derive, for comparing two ledgers."""
    result = {}
    for scheme in LEDGER_SCHEMES:
        for region in (None, *LEDGER_REGIONS):
            for fund in (IA, POOLED):
                result[(scheme, fund, region)] = (
                    ledger.balance(scheme, fund, region=region),
                    ledger.contributed_months(scheme, region=region),
                )
    return result


# -- worked examples -----------------------------------------------------------------------


def test_shanghai_floor_2025_09_posts_596_80_to_the_account_and_one_month() -> None:
    """CN.md §1.5: base 7460 (floor from 2025-07-01, SRC-DATA) × 20 % = 1492.00, of which 8 %
    = 596.80 to the individual account and 12 % = 895.20 to the pooled fund (SRC-FLEX-PAGES)."""
    ledger = Ledger.for_worker(RIDER).post(statement(Month(2025, 9)))
    assert ledger.balance("pension", IA) == yuan("596.80")
    assert ledger.balance("pension", POOLED) == yuan("895.20")
    assert ledger.contributed_months("pension") == 1
    assert ledger.contribution_months("pension") == (
        ContributionMonth(Month(2025, 9), "CN-SH", yuan("7460")),
    )
    entry = ledger.get("contribution/w-001/pension/CN-SH/2025-09/worker/-")
    assert entry is not None
    assert entry.booked_on == dt.date(2025, 9, 30)
    assert (entry.base, entry.months, entry.payer) == (yuan("7460"), 1, "worker")
    # the injury premium is a line of its own, counted as no pension month
    assert ledger.balance("occupational_injury", POOLED) == yuan("4.10")  # 410 orders × 0.01
    assert ledger.contributed_months("occupational_injury") == 0
    assert ledger.regions("pension") == ("CN-SH",)
    # as of the day before the booking day, nothing
    assert ledger.balance("pension", IA, on=dt.date(2025, 9, 29)) == yuan("0")


def test_interest_2024_at_2_62_percent_by_hand() -> None:
    """2024 rate 2.62 % (CN.md §2.3, SRC-DATA), 劳办发〔1997〕116号 within-year method.

    Opening balance 10,000.00 (booked 2023-12-31). 2024 contributions at Shanghai's floor:
    Jan–Jun base 7310 × 8 % = 584.80, Jul–Dec base 7384 × 8 % = 590.72; 6 × 584.80 +
    6 × 590.72 = 7,053.12. Interest = 10,000.00 × 0.0262 + 7,053.12 × 0.0262 × 1.083 × ½
    = 262.00 + 100.0647… = 362.0647… → 362.06. Balance at 2024-12-31: 17,415.18.
    """
    year = [statement(m) for m in Month(2024, 1).through(Month(2024, 12))]
    ledger = (
        Ledger.for_worker(RIDER)
        .apply([adjustment(1, "10000.00", dt.date(2023, 12, 31))])
        .post(*year)
    )
    assert ledger.balance("pension", IA) == yuan("17053.12")
    credited = credit_interest(PACK, ledger, 2024)
    entry = credited.get("interest/w-001/pension/CN-SH/2024")
    assert entry is not None
    assert entry.funds == ((IA, yuan("362.06")),)
    assert (entry.kind, entry.booked_on, entry.rate) == (
        EntryKind.INTEREST,
        dt.date(2024, 12, 31),
        Decimal("0.0262"),
    )
    assert "SRC-DATA" in (entry.note or "")
    assert credited.balance("pension", IA) == yuan("17415.18")
    # as of 30 December: neither December's contribution nor the interest is booked yet
    assert credited.balance("pension", IA, on=dt.date(2024, 12, 30)) == yuan("16462.40")
    assert credited.contributed_months("pension") == 12


def test_shanghai_credits_its_own_rate_in_2015_and_the_national_rate_from_2016() -> None:
    """Shanghai 2015: 2.75 %; national 2016: 8.31 % (CN.md §2.3).

    1,000.00 × 0.0275 = 27.50; (1,000.00 + 27.50) × 0.0831 = 85.38525 → 85.39.
    """
    ledger = Ledger.for_worker(RIDER).apply([adjustment(1, "1000.00", dt.date(2014, 12, 31))])
    credited = credit_interest(PACK, ledger, range(2015, 2017))
    assert interest(credited, "CN-SH", 2015) == yuan("27.50")
    assert interest(credited, "CN-SH", 2016) == yuan("85.39")
    assert crediting_rate(PACK, "CN-SH", 2015).region == "CN-SH"
    assert crediting_rate(PACK, "CN-SH", 2016).region is None
    with pytest.raises(RuleNotFound, match="2015"):
        crediting_rate(PACK, "CN-SC", 2015)  # no Sichuan rate before unification


def test_a_year_without_a_published_rate_needs_an_assumption() -> None:
    ledger = Ledger.for_worker(RIDER).post(statement(Month(2026, 3)))
    with pytest.raises(RuleNotFound, match=r"2026.*assumed_rate"):
        credit_interest(PACK, ledger, 2026)
    assumed = credit_interest(PACK, ledger, 2026, assumed_rate=Decimal("0.015"))
    entry = assumed.get("interest/w-001/pension/CN-SH/2026")
    assert entry is not None
    assert entry.reference == "assumed_rate"
    assert (entry.note or "").startswith("ASSUMED rate 0.015")
    with pytest.raises(InvalidInput, match="assumed_rate"):
        credit_interest(PACK, ledger, 2026, assumed_rate=0.015)  # type: ignore[arg-type]


def test_2025_rate_is_confirmed_and_the_within_year_factor_is_flagged_for_checking() -> None:
    """The 2025 rate 1.50 % had one source (SRC-DATA); independent calculators (SRC-RATES-2)
    give the same 1.50 % and agree on 2016–2024, so it is verified (docs/source-decisions.md)."""
    rate_2025 = crediting_rate(PACK, "CN-BJ", 2025)
    assert rate_2025.value == Decimal("0.0150")
    assert rate_2025.citation.verified
    assert "SRC-RATES-2" in (rate_2025.citation.note or "")
    factor = PACK.value("account_interest.current_year_factor", None, dt.date(2024, 1, 1))
    assert factor.value == Decimal("0.5415")
    assert not factor.citation.verified
    assert factor.citation.source_id == "SRC-LAOBAN-1997-116"
    assert crediting_rate(PACK, "CN-SH", 2024).citation.verified


def test_crediting_a_year_twice_changes_nothing_and_years_go_in_order() -> None:
    ledger = Ledger.for_worker(RIDER).post(
        *(statement(m) for m in Month(2023, 1).through(Month(2024, 12)))
    )
    once = credit_interest(PACK, ledger, [2023, 2024])
    assert credit_interest(PACK, once, 2024) is once
    assert credit_interest(PACK, once, range(2023, 2025)) is once
    only_2024 = credit_interest(PACK, ledger, 2024)
    with pytest.raises(InvalidInput, match=r"2024 is already credited; crediting 2023"):
        credit_interest(PACK, only_2024, 2023)


def test_each_region_and_account_is_credited_on_its_own() -> None:
    """A temporary contribution account (66号, CN.md §4.2) earns interest separately."""
    ledger = Ledger(
        worker_id=RIDER.id,
        entries=[
            adjustment(1, "1000.00", dt.date(2023, 12, 31)),
            entry_with(
                id="adjustment/w-001/2",
                region="CN-SC",
                booked_on=dt.date(2023, 12, 31),
                funds={IA: yuan("2000.00")},
                account="temporary",
            ),
        ],
    )
    credited = credit_interest(PACK, ledger, 2024)
    assert interest(credited, "CN-SH", 2024) == yuan("26.20")  # 1000.00 × 2.62 %
    temporary = credited.get("interest/w-001/pension/CN-SC/2024/temporary")
    assert temporary is not None
    assert (temporary.account, temporary.fund(IA)) == ("temporary", yuan("52.40"))
    assert credited.balance("pension", IA, account="temporary") == yuan("2052.40")
    only_sh = credit_interest(PACK, ledger, 2024, region="CN-SH")
    assert [e.id for e in only_sh.entries[2:]] == ["interest/w-001/pension/CN-SH/2024"]


def test_constructing_a_ledger_checks_its_entries_like_apply() -> None:
    entry = adjustment(1, "1.00", dt.date(2025, 1, 1))
    assert Ledger(worker_id=RIDER.id, entries=[entry, entry]).entries == (entry,)
    changed = attrs.evolve(entry, months=1)
    with pytest.raises(LedgerConflict, match=r"'adjustment/w-001/1'.*months=0.*months=1"):
        Ledger(worker_id=RIDER.id, entries=[entry, changed])


def test_platform_cofunded_month_counts_once() -> None:
    """Under the co-funding scenario a month has a worker line and one line per platform;
    the month still counts once (Art. 19 counts contribution years, not payments)."""
    month = Month(2025, 9)
    jobs = [job(month), job(month, platform="food-co", earnings="2100.50", orders=233)]
    stmt = statement(month, pack=COFUNDED, jobs=jobs)
    assert len(stmt.select(scheme="pension")) == 3
    ledger = Ledger.for_worker(RIDER).post(stmt)
    assert ledger.contributed_months("pension") == 1
    assert len(ledger.contribution_months("pension")) == 1
    assert ledger.balance("pension", IA) + ledger.balance("pension", POOLED) == stmt.total(
        scheme="pension"
    )


def test_a_month_paid_in_two_regions_is_visible() -> None:
    march = Month(2025, 3)
    ledger = Ledger.for_worker(RIDER).post(
        statement(march), statement(march, region="CN-BJ", jobs=[job(march, region="CN-BJ")])
    )
    assert ledger.contributed_months("pension") == 1
    per_region = [ledger.contributed_months("pension", region=r) for r in ("CN-SH", "CN-BJ")]
    assert per_region == [1, 1]
    assert [(m.month, m.region) for m in ledger.contribution_months("pension")] == [
        (march, "CN-BJ"),
        (march, "CN-SH"),
    ]
    assert ledger.contribution_months("pension", "CN-BJ")[0].base == yuan("6821")


def test_transfer_entries_move_money_and_months() -> None:
    """66号 Art. 4: the whole account balance moves; months carry over (Art. 19 adds them)."""
    ledger = Ledger.for_worker(RIDER).post(
        *(statement(m) for m in Month(2025, 1).through(Month(2025, 3)))
    )
    moved = ledger.balance("pension", IA, region="CN-SH")
    day = dt.date(2025, 4, 15)
    out = entry_with(id="transfer_out/w-001/1", kind="transfer_out", region="CN-SH",
                     booked_on=day, funds={IA: -moved}, months=-3)  # fmt: skip
    into = entry_with(id="transfer_in/w-001/1", kind="transfer_in", region="CN-SC",
                      booked_on=day, funds={IA: moved}, months=3)  # fmt: skip
    after = ledger.apply([out, into])
    assert after.balance("pension", IA) == moved
    assert after.balance("pension", IA, region="CN-SH") == yuan("0")
    assert after.balance("pension", IA, region="CN-SC") == moved
    assert after.contributed_months("pension", region="CN-SC") == 3
    assert after.contributed_months("pension", region="CN-SH") == 0
    assert after.contributed_months("pension") == 3
    assert after.contributed_months("pension", on=dt.date(2025, 4, 14)) == 3
    assert after.regions("pension") == ("CN-SC", "CN-SH")


def test_a_different_statement_for_a_posted_month_is_a_conflict_naming_id_and_field() -> None:
    month = Month(2025, 9)
    ledger = Ledger.for_worker(RIDER).post(statement(month))
    with pytest.raises(LedgerConflict) as caught:
        ledger.post(statement(month, base=BaseChoice.CEILING))
    message = str(caught.value)
    assert "contribution/w-001/pension/CN-SH/2025-09/worker/-" in message
    assert "funds=" in message


def test_versions_branched_from_an_older_ledger_stay_apart() -> None:
    """Ledgers are values: posting to an older version gives a ledger that knows nothing of a
    newer one, even though versions share their index while they extend one another."""
    base = Ledger.for_worker(RIDER).post(statement(Month(2025, 7)))
    newer = base.post(statement(Month(2025, 8)))
    branch = base.post(statement(Month(2025, 8), base=BaseChoice.CEILING))  # no conflict here
    august = "contribution/w-001/pension/CN-SH/2025-08/worker/-"
    assert newer.get(august) != branch.get(august)
    assert newer.get(august) is not None
    assert base.get(august) is None
    assert branch.contributed_months("pension") == newer.contributed_months("pension") == 2
    with pytest.raises(LedgerConflict):
        newer.post(statement(Month(2025, 8), base=BaseChoice.CEILING))
    with pytest.raises(LedgerConflict):
        branch.post(statement(Month(2025, 8)))
    assert newer.post(statement(Month(2025, 8))) is newer  # posting again is a no-op


def test_entries_and_statements_of_another_worker_are_rejected() -> None:
    ledger = Ledger(worker_id="w-002", currency="CNY")
    with pytest.raises(InvalidInput, match="w-001"):
        ledger.post(statement(Month(2025, 9)))
    with pytest.raises(InvalidInput, match="not to this ledger's worker 'w-002'"):
        ledger.apply([adjustment(1, "1.00", dt.date(2025, 1, 1))])
    with pytest.raises(InvalidInput, match="currency"):
        Ledger(worker_id="w-002", currency="XX")


def entry_with(**changes: Any) -> LedgerEntry:
    """A valid adjustment entry of the rider, with ``changes`` (possibly invalid) applied."""
    fields: dict[str, Any] = {
        "id": "adjustment/w-001/x",
        "kind": "adjustment",
        "worker_id": RIDER.id,
        "scheme": "pension",
        "region": "CN-SH",
        "month": None,
        "booked_on": dt.date(2025, 9, 30),
        "funds": {},
    }
    return LedgerEntry(**{**fields, **changes})


def test_entry_checks_name_the_field() -> None:
    with pytest.raises(InvalidInput, match="needs its month"):
        entry_with(kind="contribution")
    with pytest.raises(InvalidInput, match="adds 0 or 1 month"):
        entry_with(kind="contribution", month=Month(2025, 9), months=2, base=yuan("7460"))
    with pytest.raises(InvalidInput, match="interest adds no months"):
        entry_with(kind="interest", months=1)
    with pytest.raises(InvalidInput, match=r"LedgerEntry\.kind"):
        entry_with(kind="bonus")
    with pytest.raises(InvalidInput, match=r"funds\['pooled'\] must be Money"):
        entry_with(funds={POOLED: 1})
    with pytest.raises(InvalidInput, match="whole number of minor units"):
        entry_with(funds={IA: yuan("0.005")})
    with pytest.raises(InvalidInput, match=r"LedgerEntry\.region"):
        entry_with(region="sh")
    with pytest.raises(InvalidInput, match=r"LedgerEntry\.booked_on"):
        entry_with(booked_on=dt.datetime(2025, 9, 30, 12, 0))


def test_ledger_record_is_versioned_and_bad_records_name_the_path() -> None:
    ledger = Ledger.for_worker(RIDER).post(statement(Month(2025, 9)))
    record = ledger_to_record(ledger)
    assert record["format"] == LEDGER_FORMAT == "flexsecure.ledger/1"
    assert record["entries"][0]["funds"] == {IA: "596.80", POOLED: "895.20"}
    with pytest.raises(InvalidInput, match="format"):
        ledger_from_record({**record, "format": "flexsecure.ledger/0"})
    broken = json.loads(json.dumps(record))
    broken["entries"][1]["booked_on"] = "30/09/2025"
    with pytest.raises(InvalidInput, match=r"\$\.entries\[1\]\.booked_on"):
        ledger_from_record(broken)
    twice = json.loads(json.dumps(record))
    twice["entries"].append({**twice["entries"][0], "base": "7461"})
    with pytest.raises(LedgerConflict, match="base"):
        ledger_from_record(twice)


# -- properties ----------------------------------------------------------------------------

ENTRY_LISTS = st.lists(ledger_entries(), max_size=12, unique_by=lambda entry: entry.id)
SIMPLE_BASES = st.sampled_from([BaseChoice.FLOOR, BaseChoice.CEILING, BaseChoice.EARNINGS])
SH_MONTHS = st.builds(Month, st.integers(2015, 2026), st.integers(1, 12))


@settings(max_examples=40, deadline=None)
@given(data=st.data(), month=SH_MONTHS, base=SIMPLE_BASES)
def test_posting_the_same_statement_twice_changes_nothing(
    data: st.DataObject, month: Month, base: BaseChoice
) -> None:
    jobs = data.draw(engagements(RIDER.id, month))
    stmt = statement(month, base=base, jobs=jobs)
    once = Ledger.for_worker(RIDER).post(stmt)
    assert once.post(stmt) is once
    assert once.post(stmt, stmt) == once
    assert len(once) == len(stmt.lines)
    assert once.balance("pension", IA) == stmt.total(scheme="pension", fund=IA)
    assert once.contributed_months("pension") == 1


@settings(max_examples=40, deadline=None)
@given(data=st.data(), entries=ENTRY_LISTS)
def test_independent_entries_in_any_order_give_the_same_balances(
    data: st.DataObject, entries: list[LedgerEntry]
) -> None:
    shuffled = data.draw(st.permutations(entries))
    together = Ledger(worker_id=RIDER.id, currency="CNY").apply(entries)
    one_by_one = Ledger(worker_id=RIDER.id, currency="CNY")
    for entry in shuffled:
        one_by_one = one_by_one.apply([entry])
    assert balances(one_by_one) == balances(together)
    for scheme in LEDGER_SCHEMES:
        assert one_by_one.contribution_months(scheme) == together.contribution_months(scheme)
        assert one_by_one.regions(scheme) == together.regions(scheme)


@settings(max_examples=40, deadline=None)
@given(data=st.data(), entries=ENTRY_LISTS.filter(bool))
def test_apply_is_atomic_and_a_failed_apply_leaves_balances_unchanged(
    data: st.DataObject, entries: list[LedgerEntry]
) -> None:
    split = data.draw(st.integers(1, len(entries)))
    ledger = Ledger(worker_id=RIDER.id, currency="CNY").apply(entries[:split])
    before, before_balances = ledger.entries, balances(ledger)
    victim = data.draw(st.sampled_from(entries[:split]))
    conflicting = attrs.evolve(victim, note=(victim.note or "") + " (changed)")
    batch = list(entries[split:])
    batch.insert(data.draw(st.integers(0, len(batch))), conflicting)
    with pytest.raises(LedgerConflict, match="note") as caught:
        ledger.apply(batch)
    assert repr(victim.id) in str(caught.value)
    assert ledger.entries == before
    assert balances(ledger) == before_balances
    assert ledger.apply(entries[split:]).entries == tuple(entries)


@settings(max_examples=40, deadline=None)
@given(entries=ENTRY_LISTS)
def test_json_round_trip_is_exact(entries: list[LedgerEntry]) -> None:
    ledger = Ledger(worker_id=RIDER.id, currency="CNY").apply(entries)
    record = ledger_to_record(ledger)
    back = ledger_from_record(json.loads(json.dumps(record)))
    assert back == ledger
    assert ledger_to_record(back) == record


def test_json_round_trip_of_a_credited_career_is_exact() -> None:
    ledger = Ledger.for_worker(RIDER).post(
        *(statement(m) for m in Month(2022, 7).through(Month(2024, 12)))
    )
    ledger = credit_interest(PACK, ledger, range(2022, 2025))
    assert ledger_from_record(json.loads(json.dumps(ledger_to_record(ledger)))) == ledger


@settings(max_examples=30, deadline=None)
@given(
    flows=st.lists(st.integers(0, 2_000_000), min_size=1, max_size=8),
    regions=st.lists(st.sampled_from(["CN-SH", "CN-SC"]), min_size=8, max_size=8),
)
def test_crediting_years_together_or_one_by_one_is_the_same(
    flows: list[int], regions: list[str]
) -> None:
    entries = [
        adjustment(i, str(Decimal(fen).scaleb(-2)), dt.date(2016 + i, 6, 30), region=regions[i])
        for i, fen in enumerate(flows)
    ]
    ledger = Ledger(worker_id=RIDER.id, currency="CNY").apply(entries)
    last = 2016 + len(flows) - 1
    together = credit_interest(PACK, ledger, range(2016, last + 1))
    one_by_one = ledger
    for year in range(2016, last + 1):
        one_by_one = credit_interest(PACK, one_by_one, year)
    assert together == one_by_one
    assert credit_interest(PACK, together, range(2016, last + 1)) is together
    interest = together.balance("pension", IA) - ledger.balance("pension", IA)
    assert not interest.is_negative


def test_a_changed_statement_for_a_posted_month_is_a_conflict() -> None:
    """Posting the same worker-month again with a platform more (or less) must not merge."""
    month = Month(2025, 9)
    one = statement(month, pack=COFUNDED, jobs=[job(month)])
    two = statement(month, pack=COFUNDED, jobs=[job(month), job(month, platform="food-co")])
    ledger = Ledger.for_worker(RIDER).post(one)
    assert ledger.post(one) == ledger
    with pytest.raises(LedgerConflict, match=r"already posted with other lines"):
        ledger.post(two)
    with pytest.raises(LedgerConflict):
        Ledger.for_worker(RIDER).post(two).post(one)


def test_lines_that_do_not_add_up_never_reach_the_ledger() -> None:
    """Statements read from records are not trusted: sub-fen amounts and funds that do not
    sum to the line are refused, and the ledger stays as it was."""
    good = statement(Month(2025, 9))
    line = good.lines[0]
    forged = attrs.evolve(
        good, lines=(attrs.evolve(line, funds=((IA, yuan("1000000.00")), (POOLED, yuan("0")))),)
    )
    with pytest.raises(InvalidInput, match=r"funds sum to 1000000\.00 CNY"):
        Ledger.for_worker(RIDER).post(forged)
    fractional = attrs.evolve(good, lines=(attrs.evolve(line, amount=yuan("1492.005")),))
    with pytest.raises(InvalidInput, match="whole minor units"):
        Ledger.for_worker(RIDER).post(fractional)


def test_ids_that_would_collide_in_entry_ids_are_refused() -> None:
    with pytest.raises(InvalidInput, match="must not contain '/' or '#'"):
        job(Month(2025, 9), platform="ride-co#2")
    with pytest.raises(InvalidInput, match="must not contain '/' or '#'"):
        attrs.evolve(RIDER, id="w/1")
