"""Crediting the individual account's interest to a ledger, year by year (《社会保险法》 Art. 14;
劳办发〔1997〕116号).

:func:`credit_interest` books one ``interest`` entry per account and year on 31 December,
computed by :func:`~flexsecure.jurisdictions.cn.interest.year_interest` with the year's
:func:`~flexsecure.jurisdictions.cn.interest.interest_rule`: the same computation a transfer's
settlement and a pension projection use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from flexsecure.calculations.accounts.ledger import (
    EntryKind,
    Ledger,
    LedgerEntry,
    unchecked_entry,
)
from flexsecure.jurisdictions.cn.interest import (
    InterestMethod,
    InterestRule,
    check_year,
    interest_entry_id,
    interest_rule,
    year_interest,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money

__all__ = ["credit_interest"]

_FUND = "individual_account"


def _years(year: int | Iterable[int]) -> list[int]:
    if isinstance(year, int) and not isinstance(year, bool):
        return [check_year(year)]
    if isinstance(year, (str, bytes)):
        raise InvalidInput(f"year must be an int or an iterable of ints, got {year!r}")
    try:
        given = list(year)  # type: ignore[arg-type]
    except TypeError:
        raise InvalidInput(f"year must be an int or an iterable of ints, got {year!r}") from None
    if not given:
        raise InvalidInput("year must name at least one year")
    return sorted({check_year(y) for y in given})


def _check_assumed(rate: object) -> Decimal | None:
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, (Decimal, int)):
        raise InvalidInput(
            f"assumed_rate must be a Decimal such as Decimal('0.015'), got {rate!r}"
            + ("; floats cannot hold rates exactly" if isinstance(rate, float) else "")
        )
    value = Decimal(rate)
    if not value.is_finite() or not 0 <= value <= 1:
        raise InvalidInput(f"assumed_rate must be a fraction between 0 and 1, got {rate!r}")
    return value


def credit_interest(
    pack: RulePack,
    ledger: Ledger,
    year: int | Iterable[int],
    *,
    scheme: str = "pension",
    region: str | None = None,
    assumed_rate: Decimal | None = None,
) -> Ledger:
    """A new ledger with the individual account's interest for ``year`` credited.

    ``year`` may be one year or several (``range(2016, 2026)``); years are credited in
    ascending order, each opening balance including the interest of the years before. Every
    region of the scheme's relation (or only ``region``) and every account (regular,
    temporary) with money is credited separately. A year without a published rate raises
    :class:`~flexsecure.values.errors.RuleNotFound` unless ``assumed_rate`` is given; the
    entry of an assumed year says so in its ``note`` and has ``reference="assumed_rate"``.

    Crediting a year again is a no-op. Crediting a year before one already credited raises
    ``InvalidInput``: it would change that later year's opening balance. A year left out is
    simply not credited (its interest is missing from every later balance).
    """
    ledger = ledger.in_currency(pack.currency)
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    pack.scheme(scheme)  # raises InvalidInput naming the pack's schemes
    if region is not None:
        pack.region(region)
    years = _years(year)
    assumed = _check_assumed(assumed_rate)
    wanted = set(years)
    worker = ledger.worker_id

    # A transfer out empties the account and settles its interest up to the transfer date
    # (66号 Art. 4: the balance moves "with interest"); that year, only what is booked after
    # the last transfer out still earns interest here.
    last_out: dict[tuple[str, str, int], dt.date] = {}
    for entry in ledger.entries:
        if entry.kind is EntryKind.TRANSFER_OUT and entry.scheme == scheme:
            slot = (entry.region, entry.account, entry.booked_on.year)
            last_out[slot] = max(last_out.get(slot, entry.booked_on), entry.booked_on)

    # One pass: the year's own amounts per (region, account), leaving out the interest
    # entries this call computes (they are compared, not counted).
    flows: dict[tuple[str, str], dict[int, dict[int, Decimal]]] = {}
    after_out: dict[tuple[str, str, int], dict[int, Decimal]] = {}
    credited: dict[tuple[str, str], set[int]] = {}
    for entry in ledger.entries:
        if entry.scheme != scheme or (region is not None and entry.region != region):
            continue
        key = (entry.region, entry.account)
        booked = entry.booked_on.year
        if entry.kind is EntryKind.INTEREST and entry.id == interest_entry_id(
            worker, scheme, entry.region, booked, account=entry.account
        ):
            credited.setdefault(key, set()).add(booked)
            if booked in wanted:
                continue
        amount = entry.fund(_FUND)
        if amount is not None:
            _add(flows.setdefault(key, {}).setdefault(booked, {}), entry, amount)
            out = last_out.get((*key, booked))
            if out is not None and entry.booked_on > out:
                _add(after_out.setdefault((*key, booked), {}), entry, amount)

    entries: list[LedgerEntry] = []
    currency = ledger.money_currency
    for key in sorted(flows):
        where, account = key
        by_year = flows[key]
        done = credited.get(key, set())
        opening = Decimal(0)
        previous = 0
        for y in years:
            # the years between the ones credited here (and before the first) just add up
            opening += sum(
                (sum(v.values(), Decimal(0)) for b, v in by_year.items() if previous < b < y),
                Decimal(0),
            )
            previous = y
            current = by_year.get(y, {})
            if not opening and not any(current.values()):
                continue
            entry_id = interest_entry_id(worker, scheme, where, y, account=account)
            if y not in done:
                later = sorted(b for b in done if b > y)
                if later:
                    raise InvalidInput(
                        f"interest for {where} {later[0]} is already credited; crediting {y} "
                        f"now would change {later[0]}'s opening balance (credit years in order)"
                    )
            rule = interest_rule(pack, where, y, assumed=assumed)
            if (where, account, y) in last_out:
                # settled up to the transfer: only later amounts earn, as the year's own; an
                # account emptied with nothing after it has nothing left to credit
                opening_amount, earning = Decimal(0), after_out.get((where, account, y), {})
                if not any(earning.values()):
                    opening += sum(current.values(), Decimal(0))
                    continue
            else:
                opening_amount, earning = opening, current
            opening_amount = Money.unchecked(opening_amount, currency).quantize().amount
            interest = year_interest(opening_amount, earning, rule, currency)
            entries.append(
                unchecked_entry(
                    id=entry_id,
                    kind=EntryKind.INTEREST,
                    worker_id=worker,
                    scheme=scheme,
                    region=where,
                    month=None,
                    booked_on=dt.date(y, 12, 31),
                    funds=((_FUND, interest),),
                    base=None,
                    months=0,
                    reference=_reference(rule.source),
                    note=_note(rule, opening_amount, earning),
                    account=account,
                    payer=None,
                    platform_id=None,
                    rate=rule.rate,
                )
            )
            opening += sum(current.values(), Decimal(0)) + interest.amount  # next opening
    entries.sort(key=lambda entry: (entry.booked_on, entry.id))  # as if credited year by year
    return ledger.apply(entries)


def _add(months: dict[int, Decimal], entry: LedgerEntry, amount: Money) -> None:
    month = entry.booked_on.month
    months[month] = months.get(month, Decimal(0)) + amount.amount


def _reference(source: ParameterValue | None) -> str:
    if source is None:
        return "assumed_rate"
    return f"{source.name}/{source.region or 'national'}/{source.effective_from.isoformat()}"


def _note(rule: InterestRule, opening: Decimal, flows: Mapping[int, Decimal]) -> str:
    """How an interest entry was computed, in words a reader of the ledger can check."""
    current = sum(flows.values(), Decimal(0))
    if rule.method is InterestMethod.ANNUAL_FACTOR:
        formula = f"{opening} × {rule.rate} + {current} × {rule.rate} × {rule.factor}"
    else:
        parts = " + ".join(f"{v} × {13 - m}/12" for m, v in sorted(flows.items()) if v)
        formula = f"{opening} × {rule.rate} + ({parts or '0'}) × {rule.rate} (monthly products)"
    source = rule.source
    if source is None:
        return (
            f"ASSUMED rate {rule.rate} for {rule.year}: no published crediting rate for that "
            f"year; {formula}"
        )
    citation = source.citation
    grade = citation.evidence.value + ("" if citation.verified else ", unverified")
    return f"{rule.year} rate {rule.rate} ({source.name}, {citation.source_id}, {grade}); {formula}"
