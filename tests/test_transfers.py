"""Portability across regions: the rules of 国办发〔2009〕66号 and 人社部发〔2014〕17号 as worked
examples, then properties that must hold for every career.

Sources (fact sheet CN.md): §4.1 what moves (66号 Art. 4, [S] via SRC-66-PAGES), §4.2 the
temporary account (Art. 5 (2), [S]), §4.3 the four rules of Art. 6 ([S]), §4.4 duplicate months
([U]), §5 the resident-scheme link (Art. 5 [S3]; the 15 years and Art. 6 [U]).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import RetirementCategory, Sex, Worker
from flexsecure.calculations.accounts import (
    EntryKind,
    Ledger,
    LedgerEntry,
    contribution_entry_id,
)
from flexsecure.calculations.accounts.ledger import EntryBatch
from flexsecure.calculations.contributions import fund_amounts, monthly_contributions
from flexsecure.calculations.statements import ContributionStatement
from flexsecure.facts.engagements import BaseChoice, Enrolment
from flexsecure.jurisdictions.cn.crediting import credit_interest
from flexsecure.jurisdictions.cn.records import (
    SCHEME_LINK_FORMAT,
    TRANSFER_FORMAT,
    scheme_link_from_record,
    scheme_link_to_record,
    transfer_from_record,
    transfer_to_record,
)
from flexsecure.jurisdictions.cn.transfers import (
    LinkDirection,
    SchemeLinkQuote,
    TransferKind,
    TransferQuote,
    benefit_region,
    quote_scheme_link,
    quote_temporary_collection,
    quote_transfer,
    relation_region,
    temporary_accounts,
)
from flexsecure.jurisdictions.cn.transfers.moves import TEMPORARY_ACCOUNT
from flexsecure.records.ledgers import ledger_from_record, ledger_to_record
from flexsecure.rules.reforms import Reform, SetValue
from flexsecure.values.errors import InvalidInput, LedgerConflict, RuleNotFound, TransferError
from flexsecure.values.money import Money
from flexsecure.values.periods import Month
from tests.strategies import EXPLICIT_REGIONS, RIDER, Stint, movers, stints

PACK = fs.load_jurisdiction("CN").pack
IA, POOLED = "individual_account", "pooled"
ASSUMED = Decimal("0.02")


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


def span(first: Month, last: Month) -> list[Month]:
    return list(first.through(last))


def at_floor(worker: Worker, region: str, months: Iterable[Month]) -> list[ContributionStatement]:
    """Statements of months paid at ``region``'s floor (needs a band in the pack)."""
    enrolments = [Enrolment(scheme="pension", region=region, base=BaseChoice.FLOOR)]
    return [monthly_contributions(PACK, worker, [], m, enrolments=enrolments) for m in months]


def explicit(
    worker: Worker,
    region: str,
    months: Iterable[Month],
    base: str = "4000",
    account: str = "regular",
) -> list[LedgerEntry]:
    """Months of a region without a band in the pack, booked as entries on a declared base with
    the pack's national rates (8 % account, 12 % pooled)."""
    entries = []
    for month in months:
        amount = yuan(base)
        entries.append(
            LedgerEntry(
                id=contribution_entry_id(
                    worker.id, "pension", region, month, "worker", None, account=account
                ),
                kind=EntryKind.CONTRIBUTION,
                worker_id=worker.id,
                scheme="pension",
                region=region,
                month=month,
                booked_on=month.last_day,
                funds=dict(fund_amounts(PACK, "pension", region, month.first_day, amount)),
                base=amount,
                months=1,
                payer="worker",
                account=account,
            )
        )
    return entries


def shanghai_2025(worker: Worker = RIDER) -> Ledger:
    """Twelve months of 2025 at the Shanghai floor: 7384 until June, 7460 from July."""
    return Ledger.for_worker(worker).post(
        *at_floor(worker, "CN-SH", span(Month(2025, 1), Month(2025, 12)))
    )


def total(ledger: Ledger, fund: str) -> Money:
    return ledger.balance("pension", fund)


# -- 66号 Art. 4: what moves ---------------------------------------------------------------


def test_shanghai_year_at_the_floor_moves_12_percent_of_the_bases() -> None:
    """66号 Art. 4 (2) ([S], SRC-66-PAGES): the pooled fund hands over 12 % of the sum of the
    monthly bases since 1998. Shanghai 2025 at the floor: 6 × 7384 + 6 × 7460 = 89064;
    12 % = 10687.68. Art. 4 (1): the whole individual account moves with its interest:
    6 × 590.72 + 6 × 596.80 = 7125.12, plus 2025's interest 7125.12 × 1.5 % × 0.5415 = 57.87
    (account_interest.*), so 7182.99; 12 months carry over."""
    ledger = shanghai_2025()
    quote = quote_transfer(
        PACK, ledger, from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 1, 1)
    )
    assert quote.kind is TransferKind.TRANSFER
    assert quote.move is not None
    assert quote.move.pooled_bases == yuan("89064")
    assert quote.move.pooled_months == 12
    assert quote.pooled == yuan("10687.68")
    assert quote.move.principal == yuan("7125.12")
    assert quote.interest == yuan("57.87")
    assert quote.individual_account == yuan("7182.99")
    assert quote.months == 12
    assert quote.duplicates == ()

    moved = ledger.apply(quote.execute())
    assert moved.balance("pension", IA, region="CN-SH") == yuan("0.00")
    assert moved.balance("pension", IA, region="CN-SC") == yuan("7182.99")
    assert moved.balance("pension", POOLED, region="CN-SC") == yuan("10687.68")
    # a flexible worker's pooled contributions are exactly 12 %: nothing stays behind
    assert moved.balance("pension", POOLED, region="CN-SH") == yuan("0.00")
    assert moved.contributed_months("pension", region="CN-SC") == 12
    assert moved.contributed_months("pension", region="CN-SH") == 0
    assert moved.contributed_months("pension") == 12
    assert relation_region(moved) == "CN-SC"
    # the complete year's interest is the ordinary interest entry: crediting it again is a no-op
    assert moved.get("interest/w-001/pension/CN-SH/2025") is not None
    out = moved.get(f"transfer/{quote.transfer_id}/out")
    arrived = moved.get(f"transfer/{quote.transfer_id}/in")
    assert out is not None
    assert arrived is not None
    assert out.funds == tuple((fund, -amount) for fund, amount in arrived.funds)
    assert out.months == -arrived.months == -12


def test_the_part_year_earns_the_previous_year_rate_prorated_by_months() -> None:
    """Part-year rule (transfer.part_year_interest, part_year_rate_lag_years; unverified): on
    2026-06-30 six months of 2026 are complete; 2026's rate is not published, 2025's (1.5 %)
    is used: 7182.99 × 1.5 % × 6 / 12 = 53.872… → 53.87, booked in Shanghai on the day."""
    quote = quote_transfer(
        PACK, shanghai_2025(), from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 6, 30)
    )
    assert quote.move is not None
    part = quote.move.interest[-1]
    assert (part.year, part.months, part.rate_year, part.rate) == (2026, 6, 2025, Decimal("0.0150"))
    assert part.opening == yuan("7182.99")
    assert part.amount == yuan("53.87")
    assert quote.individual_account == yuan("7236.86")
    entry = next(e for e in quote.entries if e.id == part.entry_id)
    assert (entry.kind, entry.booked_on, entry.region) == (
        EntryKind.INTEREST,
        dt.date(2026, 6, 30),
        "CN-SH",
    )


def test_crediting_the_transfer_year_later_leaves_nothing_in_the_sending_region() -> None:
    """After a transfer on 2026-06-30 the Shanghai account is empty and its 2026 interest up
    to the transfer was settled by the transfer; crediting 2026 afterwards must not put
    interest back into Shanghai."""
    ledger = shanghai_2025()
    quote = quote_transfer(
        PACK, ledger, from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 6, 30)
    )
    moved = credit_interest(PACK, ledger.apply(quote.execute()), 2026, assumed_rate=ASSUMED)
    assert moved.balance("pension", IA, region="CN-SH") == yuan("0")


def test_a_year_without_a_published_rate_needs_an_assumed_rate() -> None:
    """account_interest.rate has values up to 2025: a transfer in 2027 needs 2026's rate."""
    ledger = shanghai_2025()
    with pytest.raises(RuleNotFound, match=r"no published value for 2026.*assumed_rate"):
        quote_transfer(
            PACK, ledger, from_region="CN-SH", to_region="CN-SC", on=dt.date(2027, 3, 31)
        )
    quote = quote_transfer(
        PACK,
        ledger,
        from_region="CN-SH",
        to_region="CN-SC",
        on=dt.date(2027, 3, 31),
        assumed_rate=ASSUMED,
    )
    assert quote.move is not None
    y2026, part = quote.move.interest[-2:]
    assert (y2026.year, y2026.assumed, y2026.amount) == (
        2026,
        True,
        yuan("143.66"),
    )  # 7182.99 × 2 %
    # 2027 to March: (7326.65 × 2 %) × 3 / 12 = 36.633… at the (assumed) 2026 rate
    assert (part.year, part.months, part.assumed, part.amount) == (2027, 3, True, yuan("36.63"))


def test_only_bases_from_the_first_counted_year_move_to_the_pooled_fund() -> None:
    """Art. 4 (2) counts bases "1998年1月1日后" (transfer.pooled_bases_from_year). With the year
    set to 2025 by a reform, a Shanghai career of 2024-07 … 2025-06 moves 12 months but only
    the 2025 bases: 12 % × 6 × 7384 = 5316.48."""
    later = PACK.with_reform(
        Reform(
            name="from_2025",
            set_values=[SetValue("transfer.pooled_bases_from_year", 2025, dt.date(2010, 1, 1))],
        )
    )
    ledger = Ledger.for_worker(RIDER).post(
        *at_floor(RIDER, "CN-SH", span(Month(2024, 7), Month(2025, 6)))
    )
    quote = quote_transfer(
        later, ledger, from_region="CN-SH", to_region="CN-SC", on=dt.date(2025, 7, 1)
    )
    assert quote.move is not None
    assert (quote.months, quote.move.pooled_months, quote.pooled) == (12, 6, yuan("5316.48"))


# -- quoting errors ---------------------------------------------------------------------------


def test_impossible_transfers_name_the_problem() -> None:
    ledger = shanghai_2025()
    on = dt.date(2026, 1, 1)
    with pytest.raises(TransferError, match="both 'CN-SH'"):
        quote_transfer(PACK, ledger, from_region="CN-SH", to_region="CN-SH", on=on)
    with pytest.raises(InvalidInput, match="'CN-XX' is not a region"):
        quote_transfer(PACK, ledger, from_region="CN-SH", to_region="CN-XX", on=on)
    with pytest.raises(InvalidInput, match="scheme must be one of"):
        quote_transfer(PACK, ledger, scheme="dental", from_region="CN-SH", to_region="CN-SC", on=on)
    with pytest.raises(TransferError, match="CN-BJ holds no pension relation"):
        quote_transfer(PACK, ledger, from_region="CN-BJ", to_region="CN-SC", on=on)
    with pytest.raises(TransferError, match="CN-SH holds no pension relation"):
        quote_transfer(
            PACK, Ledger.for_worker(RIDER), from_region="CN-SH", to_region="CN-SC", on=on
        )
    with pytest.raises(TransferError, match=r"before the ledger's last pension entry .*2025-12-31"):
        quote_transfer(
            PACK, ledger, from_region="CN-SH", to_region="CN-SC", on=dt.date(2025, 12, 30)
        )
    floating: Any = 0.02
    with pytest.raises(InvalidInput, match=r"assumed_rate.*floats"):
        quote_transfer(
            PACK, ledger, from_region="CN-SH", to_region="CN-SC", on=on, assumed_rate=floating
        )


def test_a_ledger_without_its_worker_needs_worker_for_the_temporary_account_rule() -> None:
    """The ledger carries only worker_id unless built with Ledger.for_worker."""
    bare = Ledger(worker_id=RIDER.id, currency="CNY").apply(shanghai_2025().entries)
    with pytest.raises(TransferError, match="worker= is needed"):
        quote_transfer(PACK, bare, from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 1, 1))
    with_worker = quote_transfer(
        PACK, bare, from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 1, 1), worker=RIDER
    )
    kept = quote_transfer(
        PACK, shanghai_2025(), from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 1, 1)
    )
    assert with_worker.entries == kept.entries
    other = RIDER.with_facts(hukou_region="CN-GD")
    with pytest.raises(InvalidInput, match="differs from the worker kept on the ledger"):
        quote_transfer(
            PACK,
            shanghai_2025(),
            from_region="CN-SH",
            to_region="CN-SC",
            on=dt.date(2026, 1, 1),
            worker=other,
        )


def test_the_ledger_keeps_its_worker_but_never_the_resident_id() -> None:
    worker = attrs.evolve(RIDER, birth_date=dt.date(1949, 12, 31)).with_facts(
        resident_id="11010519491231002X"
    )
    ledger = Ledger.for_worker(worker)
    assert ledger.worker == worker.with_facts(resident_id=None)
    text = json.dumps(ledger_to_record(ledger))
    assert "1231002X" not in text
    assert "19491231" not in text
    back = ledger_from_record(json.loads(text))
    assert back == ledger
    assert back.worker == ledger.worker
    with pytest.raises(InvalidInput, match=r"Ledger\.worker is worker"):
        Ledger(worker_id="w-other", worker=RIDER)


def test_posting_to_another_account_names_bad_routes() -> None:
    stmt = at_floor(RIDER, "CN-SH", [Month(2025, 1)])[0]
    bad: Any = {"CN-SH": "temporary"}
    with pytest.raises(InvalidInput, match=r"accounts must map \(scheme, region\)"):
        Ledger.for_worker(RIDER).post(stmt, accounts=bad)
    routed = Ledger.for_worker(RIDER).post(stmt, accounts={("pension", "CN-SH"): "temporary"})
    assert routed.balance("pension", IA, account=TEMPORARY_ACCOUNT) == yuan("590.72")
    assert all(entry.id.endswith("/temporary") for entry in routed.entries)


# -- execution: atomic, once, never stale --------------------------------------------------


def test_executing_twice_changes_nothing_and_a_stale_quote_is_refused() -> None:
    ledger = shanghai_2025()
    quote = quote_transfer(
        PACK, ledger, from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 1, 31)
    )
    batch = quote.execute()
    assert isinstance(batch, EntryBatch)
    assert batch == quote.entries
    moved = ledger.apply(batch)
    assert moved.apply(quote.execute()) is moved
    assert len(moved) == len(ledger) + len(quote.entries)

    # the ledger changed after the quote: a January statement arrived
    later = ledger.post(*at_floor(RIDER, "CN-SH", [Month(2026, 1)]))
    with pytest.raises(TransferError, match="stale"):
        later.apply(quote.execute())
    fresh = quote_transfer(
        PACK, later, from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 1, 31)
    )
    assert fresh.months == 13
    # the same transfer id with other content conflicts entry by entry
    with pytest.raises(LedgerConflict, match="transfer/"):
        moved.apply(fresh.execute())


def test_a_failed_execution_leaves_the_ledger_as_it_was() -> None:
    """All or none: one bad entry in the batch and nothing is applied."""
    ledger = shanghai_2025()
    quote = quote_transfer(
        PACK, ledger, from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 1, 1)
    )
    bad = attrs.evolve(quote.entries[-1], worker_id="w-other")
    with pytest.raises(InvalidInput, match="w-other"):
        ledger.apply(EntryBatch((*quote.entries[:-1], bad), basis=quote.basis, purpose="test"))
    assert len(ledger) == 12
    assert ledger.balance("pension", IA, region="CN-SC") == yuan("0")


# -- 66号 Art. 5 (2): temporary accounts ----------------------------------------------------

FIFTY = Worker(
    id="w-050",
    birth_date=dt.date(1975, 6, 15),
    sex=Sex.MALE,
    hukou_region="CN-SC",
    retirement_category=RetirementCategory.MALE,
)


def fifty_year_old() -> Ledger:
    """Shanghai 2023-01 … 2025-05, then three months in Guangdong before asking to transfer."""
    return Ledger.for_worker(FIFTY).post(
        *at_floor(FIFTY, "CN-SH", span(Month(2023, 1), Month(2025, 5))),
        *at_floor(FIFTY, "CN-GD", span(Month(2025, 6), Month(2025, 8))),
    )


def test_a_man_of_50_moving_to_a_non_hukou_region_pays_into_a_temporary_account() -> None:
    """66号 Art. 5 (2) ([S]): moving to a region that is not the hukou region at 50 (men; 40
    for women) the relation stays at the previous place and the new place opens a temporary
    account for all contributions. The worker turned 50 on 2025-06-15; on 2025-09-01 he is
    50y2m and Guangdong is not his hukou region (Sichuan)."""
    ledger = fifty_year_old()
    gd_before = ledger.balance("pension", IA, region="CN-GD")
    quote = quote_transfer(
        PACK, ledger, from_region="CN-SH", to_region="CN-GD", on=dt.date(2025, 9, 1)
    )
    assert quote.kind is TransferKind.TEMPORARY_ACCOUNT
    assert quote.temporary is not None
    assert quote.temporary.required
    assert str(quote.temporary.age) == "50y2m"
    assert quote.relation_region == "CN-SH"
    # Guangdong's three regular months move into its temporary account, Shanghai stays
    assert quote.source == ("CN-GD", "regular")
    assert quote.destination == ("CN-GD", TEMPORARY_ACCOUNT)
    assert quote.months == 3
    # 2025-06 at the 2024-07 floor 4492 (359.36), 2025-07 and -08 at 4775 (382.00 each), plus
    # the part year to 2025-09-01 (8 months) at 2024's 2.62 %:
    # 1123.36 × 2.62 % × 0.5415 × 8 / 12 = 10.624… → 10.62
    assert (gd_before, quote.interest) == (yuan("1123.36"), yuan("10.62"))
    assert quote.individual_account == gd_before + quote.interest
    moved = ledger.apply(quote.execute())
    assert relation_region(moved) == "CN-SH"
    assert moved.balance("pension", IA, region="CN-GD", account="regular") == yuan("0.00")
    in_temporary = moved.balance("pension", IA, region="CN-GD", account=TEMPORARY_ACCOUNT)
    assert in_temporary == quote.individual_account
    assert temporary_accounts(moved) == {("pension", "CN-GD"): TEMPORARY_ACCOUNT}

    # later Guangdong months go to the temporary account
    moved = moved.post(
        *at_floor(FIFTY, "CN-GD", span(Month(2025, 9), Month(2025, 12))),
        accounts=temporary_accounts(moved),
    )
    temp = moved.balance("pension", IA, region="CN-GD", account=TEMPORARY_ACCOUNT)
    assert temp == in_temporary + 4 * yuan("382.00")  # 4775 × 8 %
    assert relation_region(moved) == "CN-SH"

    # moving again: the temporary account is collected first, into the previous place
    with pytest.raises(TransferError, match="temporary account is open in CN-GD"):
        quote_transfer(PACK, moved, from_region="CN-SH", to_region="CN-FJ", on=dt.date(2026, 1, 1))
    with pytest.raises(TransferError, match="only a temporary account"):
        quote_transfer(PACK, moved, from_region="CN-GD", to_region="CN-FJ", on=dt.date(2026, 1, 1))
    collect = quote_temporary_collection(PACK, moved, region="CN-GD", on=dt.date(2026, 1, 1))
    assert collect.kind is TransferKind.TEMPORARY_COLLECTION
    assert (collect.to_region, collect.months) == ("CN-SH", 7)
    assert collect.pooled == moved.balance(
        "pension", POOLED, region="CN-GD", account=TEMPORARY_ACCOUNT
    )
    collected = moved.apply(collect.execute())
    assert collected.balance("pension", IA, region="CN-GD") == yuan("0.00")
    assert temporary_accounts(collected) == {}
    assert collected.contributed_months("pension", region="CN-SH") == 29 + 7
    assert collected.contributed_months("pension") == moved.contributed_months("pension") == 36
    # and the relation may move on: Fujian is not his hukou region either, so again temporary
    onward = quote_transfer(
        PACK, collected, from_region="CN-SH", to_region="CN-FJ", on=dt.date(2026, 1, 1)
    )
    assert onward.kind is TransferKind.TEMPORARY_ACCOUNT


def test_no_temporary_account_when_moving_to_the_hukou_region_or_when_younger() -> None:
    """Art. 5 (2) applies only to a non-hukou region and from 50 (men) / 40 (women)."""
    home = quote_transfer(
        PACK, fifty_year_old(), from_region="CN-SH", to_region="CN-SC", on=dt.date(2025, 9, 1)
    )
    assert home.kind is TransferKind.TRANSFER
    assert home.temporary is not None
    assert not home.temporary.required
    younger = attrs.evolve(FIFTY, id="w-049", birth_date=dt.date(1975, 9, 2))  # 49y11m
    ledger = Ledger.for_worker(younger).post(
        *at_floor(younger, "CN-SH", span(Month(2023, 1), Month(2025, 5)))
    )
    quote = quote_transfer(
        PACK, ledger, from_region="CN-SH", to_region="CN-GD", on=dt.date(2025, 9, 1)
    )
    assert quote.kind is TransferKind.TRANSFER
    assert quote.temporary is not None
    assert str(quote.temporary.age) == "49y11m"


def test_a_woman_of_40_moving_away_from_home_keeps_a_temporary_account() -> None:
    forty = Worker(
        id="w-040",
        birth_date=dt.date(1985, 1, 1),
        sex=Sex.FEMALE,
        hukou_region="CN-SH",
        retirement_category=RetirementCategory.FEMALE_50,
    )
    ledger = Ledger.for_worker(forty).post(*at_floor(forty, "CN-SH", [Month(2025, 1)]))
    quote = quote_transfer(
        PACK, ledger, from_region="CN-SH", to_region="CN-BJ", on=dt.date(2025, 2, 1)
    )
    assert quote.kind is TransferKind.TEMPORARY_ACCOUNT
    assert quote.move is None  # nothing paid in Beijing yet: only the account is opened
    assert [e.id.rsplit("/", 1)[-1] for e in quote.entries] == ["temporary-opened"]
    opened = ledger.apply(quote.execute())
    assert temporary_accounts(opened) == {("pension", "CN-BJ"): TEMPORARY_ACCOUNT}


def test_a_temporary_account_at_retirement_goes_to_the_region_that_pays() -> None:
    """Art. 5 (2): on reaching pension age the temporary account goes to "待遇领取地"."""
    old = Worker(
        id="w-064",
        birth_date=dt.date(1964, 3, 10),
        sex=Sex.MALE,
        hukou_region="CN-SC",
        retirement_category=RetirementCategory.MALE,
    )
    ledger = Ledger.for_worker(old).apply(
        explicit(old, "CN-SC", span(Month(2010, 1), Month(2020, 12)))
    )
    ledger = ledger.apply(
        explicit(old, "CN-GD", span(Month(2021, 1), Month(2023, 12)), account=TEMPORARY_ACCOUNT)
    )
    collect = quote_temporary_collection(
        PACK, ledger, region="CN-GD", on=dt.date(2024, 4, 1), assumed_rate=ASSUMED
    )
    assert collect.to_region == "CN-SC"  # hukou and relation: rule 1 of Art. 6


# -- 66号 Art. 6: who pays ------------------------------------------------------------------


def history(worker: Worker, *stints: tuple[str, Month, Month]) -> Ledger:
    ledger = Ledger.for_worker(worker)
    for region, first, last in stints:
        ledger = ledger.apply(explicit(worker, region, span(first, last)))
    return ledger


ON = dt.date(2040, 1, 1)


def test_rule_1_the_relation_at_the_hukou_place() -> None:
    """Art. 6 (1): relation in the hukou region → the hukou region pays, whatever the years."""
    ledger = history(
        RIDER,
        ("CN-SH", Month(2020, 1), Month(2031, 12)),
        ("CN-SC", Month(2032, 1), Month(2033, 12)),
    )
    decision = benefit_region(PACK, RIDER, ledger, on=ON)
    assert (decision.region, decision.rule, decision.relation_region) == ("CN-SC", 1, "CN-SC")
    assert decision.months_in("CN-SH") == 144


def test_rule_2_ten_years_where_the_relation_is() -> None:
    """Art. 6 (2): relation elsewhere with ≥ 10 years there → that region pays."""
    ledger = history(
        RIDER,
        ("CN-SC", Month(2015, 1), Month(2019, 12)),
        ("CN-SH", Month(2020, 1), Month(2029, 12)),
    )
    decision = benefit_region(PACK, RIDER, ledger, on=ON)
    assert (decision.region, decision.rule) == ("CN-SH", 2)
    assert decision.months_in("CN-SH") == 120


def test_rule_3_back_to_the_previous_place_with_ten_years() -> None:
    """Art. 6 (3): < 10 years where the relation is → the previous place with ≥ 10 years; with
    two such places the most recent (transfer.benefit_region_most_recent, unverified)."""
    ledger = history(
        RIDER,
        ("CN-BJ", Month(2010, 1), Month(2019, 12)),
        ("CN-SH", Month(2020, 1), Month(2029, 12)),
        ("CN-GD", Month(2030, 1), Month(2034, 12)),
    )
    decision = benefit_region(PACK, RIDER, ledger, on=ON)
    assert (decision.region, decision.rule, decision.relation_region) == ("CN-SH", 3, "CN-GD")
    assert decision.earlier == ("CN-SH", "CN-BJ")
    earliest = PACK.with_reform(
        Reform(
            name="earliest",
            set_values=[
                SetValue("transfer.benefit_region_most_recent", False, dt.date(2010, 1, 1))
            ],
        )
    )
    assert benefit_region(earliest, RIDER, ledger, on=ON).region == "CN-BJ"


def test_rule_4_fewer_than_ten_years_everywhere_goes_home() -> None:
    """Art. 6 (4): < 10 years at every place → relation and money gathered at the hukou place."""
    ledger = history(
        RIDER,
        ("CN-SH", Month(2020, 1), Month(2024, 12)),
        ("CN-GD", Month(2025, 1), Month(2033, 12)),
    )
    decision = benefit_region(PACK, RIDER, ledger, on=ON)
    assert (decision.region, decision.rule) == ("CN-SC", 4)
    assert decision.months_in("CN-GD") == 108
    text = decision.explain().render("en")
    assert "rule 4 of Art. 6" in text
    assert "Art. 6" in str(decision.explain().citations()[0])


def test_temporary_account_months_do_not_count_toward_ten_years() -> None:
    """transfer.temporary_years_count (unverified): ten years in a temporary account do not
    make a place qualify."""
    ledger = history(RIDER, ("CN-SH", Month(2020, 1), Month(2024, 12)))
    ledger = ledger.apply(
        explicit(RIDER, "CN-GD", span(Month(2025, 1), Month(2034, 12)), account=TEMPORARY_ACCOUNT)
    )
    decision = benefit_region(PACK, RIDER, ledger, on=ON)
    assert (decision.region, decision.rule, decision.months_in("CN-GD")) == ("CN-SC", 4, 0)


def test_an_empty_ledger_has_no_benefit_region() -> None:
    with pytest.raises(TransferError, match="holds no pension relation"):
        benefit_region(PACK, RIDER, Ledger.for_worker(RIDER), on=ON)


# -- duplicate months ------------------------------------------------------------------------


def duplicated() -> Ledger:
    """Beijing 2022-01 … 06 and Shanghai 2022-06 … 12: June 2022 is paid twice."""
    return Ledger.for_worker(RIDER).post(
        *at_floor(RIDER, "CN-BJ", span(Month(2022, 1), Month(2022, 6))),
        *at_floor(RIDER, "CN-SH", span(Month(2022, 6), Month(2022, 12))),
    )


def test_a_month_paid_in_two_regions_is_listed_and_carried_once() -> None:
    """CN.md §4.4 ([U]): duplicate months are cleared, one payment kept. The pack keeps the one
    that stays (transfer.duplicate_keep_sending = false): Beijing's June is cleared — not
    carried, its base not in the pooled transfer."""
    ledger = duplicated()
    assert ledger.contributed_months("pension") == 12
    quote = quote_transfer(
        PACK, ledger, from_region="CN-BJ", to_region="CN-SH", on=dt.date(2023, 1, 1)
    )
    (duplicate,) = quote.duplicates
    assert (duplicate.month, duplicate.other_region, duplicate.kept_region) == (
        Month(2022, 6),
        "CN-SH",
        "CN-SH",
    )
    assert duplicate.cleared == ("CN-BJ", "regular")
    assert quote.move is not None
    assert (quote.months, quote.move.months_cleared, quote.move.pooled_months) == (5, 1, 5)
    assert quote.pooled == yuan("3216.00")  # 12 % × 5 × 5360 (Beijing's floor until 2022-06)
    moved = ledger.apply(quote.execute())
    assert moved.contributed_months("pension") == 12
    assert moved.contributed_months("pension", region="CN-SH") == 12
    # Beijing still shows its cleared June (its refund is not booked)
    assert moved.contributed_months("pension", region="CN-BJ") == 1
    # the cleared month stays cleared: moving on from Shanghai finds no duplicate
    onward = quote_transfer(
        PACK, moved, from_region="CN-SH", to_region="CN-SC", on=dt.date(2023, 1, 2)
    )
    assert onward.duplicates == ()
    assert onward.months == 12


def test_keeping_the_sending_payment_clears_the_other() -> None:
    keep = PACK.with_reform(
        Reform(
            name="keep_sending",
            set_values=[SetValue("transfer.duplicate_keep_sending", True, dt.date(2010, 1, 1))],
        )
    )
    ledger = duplicated()
    quote = quote_transfer(
        keep, ledger, from_region="CN-BJ", to_region="CN-SH", on=dt.date(2023, 1, 1)
    )
    (duplicate,) = quote.duplicates
    assert (duplicate.kept_region, duplicate.cleared) == ("CN-BJ", ("CN-SH", "regular"))
    assert quote.months == 6
    moved = ledger.apply(quote.execute())
    assert moved.contributed_months("pension") == 12
    onward = quote_transfer(
        keep, moved, from_region="CN-SH", to_region="CN-SC", on=dt.date(2023, 1, 2)
    )
    assert onward.months == 12


# -- 人社部发〔2014〕17号: the resident-scheme link ---------------------------------------------

SIXTY = Worker(
    id="w-060",
    birth_date=dt.date(1965, 1, 15),
    sex=Sex.MALE,
    hukou_region="CN-SC",
    retirement_category=RetirementCategory.MALE,
)
LEGAL = dt.date(2025, 2, 15)  # 60y1m: one month of delay (2024 reform)
SHANGHAI_YEARS = span(Month(2014, 4), Month(2025, 1))  # 130 months


def test_fifteen_employee_years_take_the_resident_account_in() -> None:
    """17号 Art. 3 (SRC-2014-17-TEXT, reposted verbatim): “城镇职工养老保险缴费年限满15年（含
    延长缴费至15年）的，可以申请从城乡居民养老保险转入城镇职工养老保险”; Art. 5 ([S3],
    SRC-2014-17): with ≥ 15 employee years (link_min_employee_years) the whole resident
    balance merges into the employee account; resident years are not added
    (link_counts_resident_years = false)."""
    ledger = Ledger.for_worker(SIXTY).apply(
        explicit(SIXTY, "CN-SC", span(Month(2009, 1), Month(2014, 3)))
    )
    ledger = ledger.post(*at_floor(SIXTY, "CN-SH", SHANGHAI_YEARS))
    assert ledger.contributed_months("pension") == 193
    quote = quote_scheme_link(
        PACK, ledger, resident_balance=yuan("8000.00"), resident_months=60, on=LEGAL
    )
    assert quote.direction is LinkDirection.RESIDENT_TO_EMPLOYEE
    assert (quote.region, quote.min_employee_months, quote.employee_months_after) == (
        "CN-SH",
        180,
        193,
    )
    linked = ledger.apply(quote.execute())
    assert total(linked, IA) == total(ledger, IA) + yuan("8000.00")
    assert linked.contributed_months("pension") == 193
    assert (quote.resident_balance_after, quote.resident_months_after) == (yuan("0.00"), 0)


def test_fewer_than_fifteen_years_take_the_employee_account_to_the_resident_scheme() -> None:
    """17号 Art. 3 (SRC-2014-17-TEXT): “缴费年限不足15年的，可以申请从城镇职工养老保险转入城乡
    居民养老保险”; Art. 6 (its words on third-party pages): the employee individual account
    (with interest to the day) joins the resident account and “参加城镇职工养老保险的缴费年限
    合并计算为城乡居民养老保险缴费年限”; the pooled fund stays (recalled). The resident account
    pension is the balance ÷ 139 ([S3])."""
    ledger = Ledger.for_worker(SIXTY).post(*at_floor(SIXTY, "CN-SH", SHANGHAI_YEARS))
    assert ledger.contributed_months("pension") == 130
    with pytest.raises(TransferError, match="reaches it on 2025-02-15"):
        quote_scheme_link(
            PACK,
            ledger,
            resident_balance=yuan("8000.00"),
            resident_months=60,
            on=dt.date(2025, 2, 14),
        )
    quote = quote_scheme_link(
        PACK, ledger, resident_balance=yuan("8000.00"), resident_months=60, on=LEGAL
    )
    assert quote.direction is LinkDirection.EMPLOYEE_TO_RESIDENT
    (move,) = quote.moves
    assert move.region == "CN-SH"
    assert move.interest[0].year == 2014
    assert move.interest[-1].months == 1  # January 2025 completed on 2025-02-15
    assert quote.resident_balance_after == yuan("8000.00") + move.individual_account
    assert quote.resident_months_after == 60 + 130
    assert quote.resident_account_pension == (quote.resident_balance_after / 139).quantize()
    linked = ledger.apply(quote.execute())
    assert linked.balance("pension", IA) == yuan("0.00")
    assert linked.contributed_months("pension") == 0
    assert linked.balance("pension", POOLED) == ledger.balance("pension", POOLED)
    assert "resident" in quote.explain().render("en")


@pytest.mark.parametrize(
    ("months", "direction"),
    [(180, LinkDirection.RESIDENT_TO_EMPLOYEE), (179, LinkDirection.EMPLOYEE_TO_RESIDENT)],
)
def test_the_link_threshold_is_fifteen_years_to_the_month(
    months: int, direction: LinkDirection
) -> None:
    """人社部发〔2014〕17号 Art. 3 (SRC-2014-17-TEXT): “缴费年限满15年……可以申请从城乡居民养老保险
    转入城镇职工养老保险 …… 不足15年的，可以申请从城镇职工养老保险转入城乡居民养老保险”. Exactly 180
    employee months at the legal age take the resident account in; 179 send the employee account
    to the resident scheme. Through the public API (Jurisdiction.quote_scheme_link)."""
    sichuan = span(Month(2014, 4) + (130 - months), Month(2014, 3))  # before Shanghai's 130
    ledger = Ledger.for_worker(SIXTY).apply(explicit(SIXTY, "CN-SC", sichuan))
    ledger = ledger.post(*at_floor(SIXTY, "CN-SH", SHANGHAI_YEARS))
    assert ledger.contributed_months("pension") == months
    cn = fs.load_jurisdiction("CN")
    quote = cn.quote_scheme_link(  # Sichuan's 2010–2013 crediting rates are not in the pack
        ledger,
        resident_balance=yuan("5000.00"),
        resident_months=36,
        on=LEGAL,
        assumed_rate=Decimal("0.03"),
    )
    assert quote.direction is direction
    assert quote.min_employee_months == 180


def test_resident_scheme_figures_are_pack_data() -> None:
    """国发〔2014〕8号 as reported ([S3], SRC-2014-8): 12 grades of 100 … 2000 yuan a year, a
    subsidy of at least 30 yuan, account divisor 139."""
    on = dt.date(2025, 1, 1)
    grades = PACK.value("resident_pension.contribution_grades", None, on).table()
    assert list(grades.values()) == [
        Decimal(v) for v in (100, 200, 300, 400, 500, 600, 700, 800, 900, 1000, 1500, 2000)
    ]
    assert PACK.value("resident_pension.subsidy_minimum", None, on).money() == yuan("30")
    assert PACK.value("resident_pension.account_divisor", None, on).decimal() == 139
    threshold = PACK.value("resident_pension.link_min_employee_years", None, on)
    assert (threshold.value, threshold.citation.article) == (15, "Art. 3")
    assert threshold.citation.verified


# -- records ---------------------------------------------------------------------------------


def round_trip_transfer(quote: TransferQuote) -> TransferQuote:
    return transfer_from_record(json.loads(json.dumps(transfer_to_record(quote))))


def test_transfer_records_round_trip_exactly() -> None:
    ledger = duplicated()
    quote = quote_transfer(
        PACK, ledger, from_region="CN-BJ", to_region="CN-SH", on=dt.date(2023, 3, 31)
    )
    record = transfer_to_record(quote)
    assert record["format"] == TRANSFER_FORMAT == "flexsecure.transfer/1"
    assert record["move"]["pooled"] == str(quote.pooled.amount)
    back = round_trip_transfer(quote)
    assert back == quote
    assert back.explain().render("zh_CN") == quote.explain().render("zh_CN")
    with pytest.raises(TransferError, match="read from a record"):
        back.execute()  # what a counterparty says does not execute before it is verified
    checked = fs.records.verify_transfer(record, ledger)
    assert checked == quote
    assert ledger.apply(checked.execute()) == ledger.apply(quote.execute())

    temporary = quote_transfer(
        PACK, fifty_year_old(), from_region="CN-SH", to_region="CN-GD", on=dt.date(2025, 9, 1)
    )
    assert round_trip_transfer(temporary) == temporary


def test_scheme_link_records_round_trip_exactly() -> None:
    ledger = Ledger.for_worker(SIXTY).post(*at_floor(SIXTY, "CN-SH", SHANGHAI_YEARS))
    quote = quote_scheme_link(
        PACK, ledger, resident_balance=yuan("8000.00"), resident_months=60, on=LEGAL
    )
    record = scheme_link_to_record(quote)
    assert record["format"] == SCHEME_LINK_FORMAT
    back: SchemeLinkQuote = scheme_link_from_record(json.loads(json.dumps(record)))
    assert back == quote


def test_bad_transfer_records_name_the_json_path() -> None:
    quote = quote_transfer(
        PACK, shanghai_2025(), from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 6, 30)
    )
    record = json.loads(json.dumps(transfer_to_record(quote)))
    with pytest.raises(InvalidInput, match=r"\$\.format"):
        transfer_from_record({**record, "format": "flexsecure.transfer/0"})
    broken = json.loads(json.dumps(record))
    broken["move"]["interest"][0]["rate"] = 0.015
    with pytest.raises(InvalidInput, match=r"\$\.move\.interest\[0\]\.rate"):
        transfer_from_record(broken)
    broken = json.loads(json.dumps(record))
    broken["entries"][1]["booked_on"] = "31/12/2025"
    with pytest.raises(InvalidInput, match=r"\$\.entries\[1\]\.booked_on"):
        transfer_from_record(broken)
    broken = json.loads(json.dumps(record))
    del broken["parameters"][0]["citation"]["verified"]
    with pytest.raises(InvalidInput, match=r"\$\.parameters\[0\]\.citation\.verified"):
        transfer_from_record(broken)


def test_explanations_cite_articles_4_to_6() -> None:
    quote = quote_transfer(
        PACK, shanghai_2025(), from_region="CN-SH", to_region="CN-SC", on=dt.date(2026, 6, 30)
    )
    articles = {c.article for c in quote.explain().citations() if c.source_id == "SRC-66-PAGES"}
    assert articles == {"Art. 4 (2)", "Art. 5 (2)", "Art. 6"}
    text = quote.explain().render("en")
    assert "12% × bases CN¥89,064.00 (12 months) = CN¥10,687.68" in text
    assert "[unverified]" in text  # the part-year rule
    assert "统筹基金" in quote.explain().render("zh_CN")


# -- properties ------------------------------------------------------------------------------


def post_stint(ledger: Ledger, worker: Worker, stint: Stint, first: Month) -> Ledger:
    months = span(first, first.plus(stint.months - 1))
    if stint.region in EXPLICIT_REGIONS:
        return ledger.apply(explicit(worker, stint.region, months))
    return ledger.post(*at_floor(worker, stint.region, months))


def last_booked(ledger: Ledger) -> dt.date:
    return max(entry.booked_on for entry in ledger.entries)


def check_execution(before: Ledger, quote: TransferQuote) -> Ledger:
    """Execute ``quote`` and check that it moves without creating or losing a fen or a month."""
    after = before.apply(quote.execute())
    assert after.apply(quote.execute()) is after  # once
    event(f"{quote.kind.value}" + (" with duplicates" if quote.duplicates else ""))
    interest = quote.interest
    assert total(after, IA) == total(before, IA) + interest
    assert total(after, POOLED) == total(before, POOLED)
    assert after.contributed_months("pension") == before.contributed_months("pension")
    if quote.move is not None:
        assert quote.source is not None
        assert quote.destination is not None
        out = after.get(f"transfer/{quote.transfer_id}/out")
        arrived = after.get(f"transfer/{quote.transfer_id}/in")
        assert out is not None
        assert arrived is not None
        assert out.funds == tuple((fund, -amount) for fund, amount in arrived.funds)
        assert out.months == -arrived.months == -quote.months
        src_region, src_account = quote.source
        dst_region, dst_account = quote.destination
        assert after.balance("pension", IA, region=src_region, account=src_account) == yuan("0")
        assert after.balance("pension", IA, region=dst_region, account=dst_account) == (
            before.balance("pension", IA, region=dst_region, account=dst_account)
            + quote.individual_account
        )
    assert round_trip_transfer(quote) == quote
    return after


_THERE_AND_BACK = Worker(
    id="w-move", birth_date=dt.date(1998, 1, 1), sex=Sex.MALE, hukou_region="CN-SC",
    retirement_category=RetirementCategory.MALE,
)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(worker=movers(), career=stints())
@example(  # two moves the same way on one day: their default ids must not collide
    worker=_THERE_AND_BACK,
    career=[Stint("CN-SH", 1, False, 0), Stint("CN-BJ", 1, False, 0),
            Stint("CN-SH", 1, True, 0), Stint("CN-BJ", 1, True, 0)],
)  # fmt: skip
@example(  # money in on the day of a move out, after it, earns in the year's settlement
    worker=_THERE_AND_BACK,
    career=[Stint("CN-SH", 1, False, 0), Stint("CN-BJ", 7, True, 0), Stint("CN-SH", 18, True, 0),
            Stint("CN-BJ", 1, True, 0), Stint("CN-SH", 1, False, 0)],
)  # fmt: skip
def test_random_careers_never_create_or_lose_a_fen_or_a_month(
    worker: Worker, career: list[Stint]
) -> None:
    """Careers over 2–5 regions, moving the relation after each stint (collecting a temporary
    account first when one is open): every execution conserves money to the fen — what leaves
    arrives, only the settled interest is new — and every contributed month; executing twice
    changes nothing; the pension is always paid by the hukou region or a region of insurance."""
    ledger = Ledger.for_worker(worker)
    month = Month(2024, 1)
    holder = career[0].region
    for index, stint in enumerate(career):
        first = month.plus(-1) if stint.overlap else month
        ledger = post_stint(ledger, worker, stint, first)
        month = first.plus(stint.months)
        if index == 0:
            continue
        on = last_booked(ledger) + dt.timedelta(days=stint.delay_days)
        for region in [r for (_s, r) in temporary_accounts(ledger)]:
            collect = quote_temporary_collection(
                PACK, ledger, region=region, on=on, assumed_rate=ASSUMED
            )
            ledger = check_execution(ledger, collect)
            assert temporary_accounts(ledger) == {}
        if holder == stint.region:
            continue
        quote = quote_transfer(
            PACK, ledger, from_region=holder, to_region=stint.region, on=on, assumed_rate=ASSUMED
        )
        ledger = check_execution(ledger, quote)
        holder = quote.relation_region
    decision = benefit_region(PACK, worker, ledger, on=last_booked(ledger))
    event(f"benefit rule {decision.rule}")
    insured = {entry.region for entry in ledger.entries if entry.kind is EntryKind.CONTRIBUTION}
    assert decision.region in insured | {worker.hukou_region}
    assert decision.rule in (1, 2, 3, 4)
    assert ledger_from_record(json.loads(json.dumps(ledger_to_record(ledger)))) == ledger


@settings(max_examples=60, deadline=None)
@given(
    worker=movers(),
    career=stints(min_size=2, max_size=4),
    opening=st.integers(0, 240),
    link_on=st.integers(0, 400),
    resident=st.integers(0, 5_000_000),
)
def test_the_scheme_link_moves_every_fen_to_one_side(
    worker: Worker, career: list[Stint], opening: int, link_on: int, resident: int
) -> None:
    """17号: whichever way the link goes, no fen is created or lost between the schemes. An
    opening balance of up to 20 years (an adjustment) puts careers on both sides of 15 years."""
    ledger = Ledger.for_worker(worker).apply(
        [
            LedgerEntry(
                id=f"adjustment/{worker.id}/opening",
                kind=EntryKind.ADJUSTMENT,
                worker_id=worker.id,
                scheme="pension",
                region=career[0].region,
                month=None,
                booked_on=dt.date(2023, 12, 31),
                funds={IA: yuan("100.00") * opening},
                months=opening,
                note="months paid before the ledger began",
            )
        ]
        if opening
        else []
    )
    month = Month(2024, 1)
    for stint in career:
        first = month.plus(-1) if stint.overlap else month
        ledger = post_stint(ledger, worker, stint, first)
        month = first.plus(stint.months)
    balance = Money(Decimal(resident).scaleb(-2), "CNY")
    from flexsecure.jurisdictions.cn.retirement import retirement_date

    on = max(retirement_date(PACK, worker).legal_date, last_booked(ledger)) + dt.timedelta(
        days=link_on
    )
    quote = quote_scheme_link(
        PACK, ledger, resident_balance=balance, resident_months=12, on=on, assumed_rate=ASSUMED
    )
    linked = ledger.apply(quote.execute())
    assert linked.apply(quote.execute()) is linked
    event(quote.direction.value)
    interest = Money.sum((m.interest_total for m in quote.moves), "CNY")
    if quote.direction is LinkDirection.RESIDENT_TO_EMPLOYEE:
        assert total(linked, IA) == total(ledger, IA) + balance
    else:
        assert total(linked, IA) == yuan("0")
        assert quote.resident_balance_after == balance + total(ledger, IA) + interest
        assert linked.contributed_months("pension") == 0
    assert total(linked, POOLED) == total(ledger, POOLED)
    assert scheme_link_from_record(json.loads(json.dumps(scheme_link_to_record(quote)))) == quote
