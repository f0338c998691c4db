"""The individual account at retirement: a career's account money credited to the day.

:func:`~flexsecure.jurisdictions.cn.projections.project_pension` divides the account balance
on the retirement date by the divisor. That balance is the ledger's account money plus the
projected months, each year credited with interest by the pack's rule (劳办发〔1997〕116号:
once a year, on 31 December), and the retirement year's part year by the rule that settles an
account moving before the year ends. The population paths (cohorts, per-order money) use the
same two steps, :func:`retirement_year_interest` and :func:`whole_amount`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexsecure.calculations.accounts import EntryKind, Ledger, LedgerEntry
from flexsecure.jurisdictions.cn.careers import Assumptions, YearOfContributions
from flexsecure.jurisdictions.cn.crediting import credit_interest
from flexsecure.jurisdictions.cn.interest import interest_rule, year_interest
from flexsecure.jurisdictions.cn.retirement import RetirementDate
from flexsecure.jurisdictions.cn.transfers.moves import PART_YEAR, PART_YEAR_LAG
from flexsecure.jurisdictions.cn.transfers.settlement import completed_months
from flexsecure.rules.packs import RulePack
from flexsecure.values.money import Money

__all__ = ["ACCOUNT", "SCHEME", "account_at_retirement", "retirement_year_interest", "whole_amount"]

SCHEME = "pension"
ACCOUNT = "individual_account"


def _is_yearly_credit(entry: LedgerEntry) -> bool:
    """Interest credited for a whole year: booked on 31 December (劳办发〔1997〕116号 credits
    once a year), whatever its id — ours or an agency's. A transfer's settlement of part-year
    interest is booked on the transfer date instead."""
    day = entry.booked_on
    return entry.kind is EntryKind.INTEREST and day.month == 12 and day.day == 31


def account_at_retirement(
    pack: RulePack,
    ledger: Ledger,
    assumptions: Assumptions | None,
    projected: dict[int, YearOfContributions],
    retirement: RetirementDate,
    retirement_region: str,
) -> Money:
    """The individual-account balance on the retirement date, interest included.

    Years the ledger has already credited keep its interest: only projected amounts of such
    a year earn more. Years before the projection starts that are not credited yet are
    credited on the ledger (after the last credited year; an earlier gap stays a gap, as with
    :func:`~flexsecure.jurisdictions.cn.crediting.credit_interest`). Later years are credited
    here, on ledger and projected amounts.
    """
    retire_year = retirement.date.year
    assumed = assumptions.interest_rate if assumptions is not None else None
    years_with_money: set[int] = set(projected)
    credited: set[int] = set()
    for entry in ledger.entries:
        if entry.scheme == SCHEME and entry.booked_on <= retirement.date:
            if entry.fund(ACCOUNT) is not None:
                years_with_money.add(entry.booked_on.year)
            if _is_yearly_credit(entry):
                credited.add(entry.booked_on.year)
    if not years_with_money:
        return Money.zero(ledger.money_currency)
    first = min(years_with_money)
    projection_starts = assumptions.start.year if assumptions is not None else retire_year
    ledger_until = max(first, min(projection_starts, retire_year))
    to_credit = [y for y in range(first, ledger_until) if y > max(credited, default=first - 1)]
    if to_credit:
        ledger = credit_interest(pack, ledger, to_credit, scheme=SCHEME, assumed_rate=assumed)
        credited.update(to_credit)
    opening = Decimal(0)
    flows: dict[int, dict[int, Decimal]] = {}
    for entry in ledger.entries:
        amount = entry.fund(ACCOUNT) if entry.scheme == SCHEME else None
        if amount is None or entry.booked_on > retirement.date:
            continue
        year = entry.booked_on.year
        if year < ledger_until:
            opening += amount.amount
        else:
            months = flows.setdefault(year, {})
            months[entry.booked_on.month] = months.get(entry.booked_on.month, Decimal(0)) + (
                amount.amount
            )
    currency = ledger.money_currency
    region = assumptions.region if assumptions is not None else retirement_region
    for year in range(ledger_until, retire_year + 1):
        booked = flows.get(year, {})
        future = dict(projected[year].by_month) if year in projected else {}
        earning = future if year in credited else _merged(booked, future)
        start = Decimal(0) if year in credited else whole_amount(opening, currency)
        # the ledger's interest of a credited year stands; projected months earn theirs
        if year < retire_year:
            rule = interest_rule(pack, region, year, assumed=assumed)
            interest = year_interest(start, earning, rule, currency)
        else:
            interest = retirement_year_interest(
                pack, region, retirement.date, start, earning, assumed, currency
            )
        opening += sum(booked.values(), Decimal(0)) + sum(future.values(), Decimal(0))
        opening += interest.amount
    return Money.unchecked(opening, currency).quantize()


def retirement_year_interest(
    pack: RulePack,
    region: str,
    retire_on: dt.date,
    opening: Decimal,
    flows: dict[int, Decimal],
    assumed: Decimal | None,
    currency: str,
) -> Money:
    """The part year up to the retirement date, by the same rule that settles an account that
    moves before the year ends (the pack's part-year flag and rate lag; unverified)."""
    months = completed_months(retire_on)
    if not months or not pack.value(PART_YEAR, None, retire_on).flag():
        return Money.zero(currency)
    lag = pack.value(PART_YEAR_LAG, None, retire_on).integer()
    year = retire_on.year
    rule = interest_rule(pack, region, year, assumed=assumed, rate_year=year - lag)
    return year_interest(opening, flows, rule, currency, months=months)


def _merged(first: dict[int, Decimal], second: dict[int, Decimal]) -> dict[int, Decimal]:
    merged = dict(first)
    for month, amount in second.items():
        merged[month] = merged.get(month, Decimal(0)) + amount
    return merged


def whole_amount(amount: Decimal, currency: str) -> Decimal:
    """``amount`` as a whole number of minor units (exact for account sums of whole fen)."""
    return Money.unchecked(amount, currency).quantize().amount  # exact: whole fen
