"""Interest on the individual account: the yearly crediting rate (记账利率) and how it applies.

《社会保险法》 Art. 14: the individual account earns interest at no less than the bank
time-deposit rate. Since 2016 one national rate a year is published for the employee scheme
(人社部 / 财政部 notices, around mid-year, for the year before); until 2015 each province set
its own. Pack: ``account_interest.rate`` (national, one value per year, effective on 1 January
of the year it is *for*) and ``account_interest.regional_rate`` (a province's own rate before
unification, e.g. Shanghai 2014 and 2015). A value is for its own year only: a year with no
value of its own has no published rate, whatever the pack's values before it.

Within the year, 劳办发〔1997〕116号 (《职工基本养老保险个人账户管理暂行办法》, from recall:
the text was not read, so the pack marks the factor unverified) credits

    interest(Y) = opening balance × r(Y)  +  amounts booked in Y × r(Y) × 1.083 × ½

The opening balance is everything booked up to 31 December of Y − 1, earlier interest
included; the amounts booked during Y (contributions, and any transfer or adjustment of that
year) earn the pack's ``account_interest.current_year_factor`` (0.5415 = 1.083 × ½) of a
year's interest. One reading of 1.083: twelve monthly amounts paid at the start of each month
earn 12 + 11 + … + 1 = 78 months of interest, 78 / 144 = 13/24 ≈ 1.083 × ½ of a year's interest
on their total. The year's interest is rounded once, half up to the fen (a project choice: no
rounding rule was found), and booked on 31 December of Y as an ``interest`` entry with id
``interest/<worker>/<scheme>/<region>/<year>`` (``/<account>`` appended for an account other
than ``regular``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
    EntryKind,
    Ledger,
    LedgerEntry,
    unchecked_entry,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money, Rounding

__all__ = [
    "CURRENT_YEAR_FACTOR",
    "NATIONAL_RATE",
    "REGIONAL_RATE",
    "annual_interest",
    "credit_interest",
    "crediting_rate",
    "interest_entry_id",
]

NATIONAL_RATE = "account_interest.rate"
REGIONAL_RATE = "account_interest.regional_rate"
CURRENT_YEAR_FACTOR = "account_interest.current_year_factor"
_FUND = "individual_account"


def annual_interest(
    opening: Money, current: Money, rate: Decimal, current_year_factor: Decimal
) -> Money:
    """A year's interest on the individual account, rounded half up to the fen.

    ``opening × rate + current × rate × current_year_factor`` (劳办发〔1997〕116号: the
    opening balance earns a full year, the year's own amounts 1.083 × ½ of one).
    """
    exact = opening * rate + current * (rate * current_year_factor)
    return exact.quantize(rounding=Rounding.HALF_UP)


def interest_entry_id(
    worker_id: str, scheme: str, region: str, year: int, *, account: str = REGULAR_ACCOUNT
) -> str:
    """``interest/<worker>/<scheme>/<region>/<year>``, ``/<account>`` appended if not regular."""
    text = f"interest/{worker_id}/{scheme}/{region}/{year}"
    return text if account == REGULAR_ACCOUNT else f"{text}/{account}"


def _value_for_year(pack: RulePack, name: str, region: str | None, year: int) -> ParameterValue:
    value = pack.value(name, region, dt.date(year, 1, 1))
    if value.effective_from.year != year or value.region != region:
        raise RuleNotFound(f"{name} has no value for {year} in {region or 'the national series'}")
    return value


def crediting_rate(pack: RulePack, region: str, year: int) -> ParameterValue:
    """The published crediting rate for ``year`` in ``region``: the region's own rate for that
    year if the pack has one (before the 2016 unification), else the national rate."""
    _check_year(year)
    if REGIONAL_RATE in pack.parameters:
        try:
            return _value_for_year(pack, REGIONAL_RATE, region, year)
        except RuleNotFound:
            pass
    try:
        return _value_for_year(pack, NATIONAL_RATE, None, year)
    except RuleNotFound:
        national = pack.parameter(NATIONAL_RATE).series.get(None, ())
        span = (
            f"published national rates run {national[0].effective_from.year}–"
            f"{national[-1].effective_from.year}"
            if national
            else "the pack has no national rates"
        )
        raise RuleNotFound(
            f"{NATIONAL_RATE} has no published value for {year} ({region}); {span}. "
            "Pass assumed_rate=Decimal(...) to credit an assumed rate"
        ) from None


def _check_year(year: object) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
        raise InvalidInput(f"year must be an int such as 2024, got {year!r}")
    return year


def _years(year: int | Iterable[int]) -> list[int]:
    if isinstance(year, int) and not isinstance(year, bool):
        return [_check_year(year)]
    if isinstance(year, (str, bytes)):
        raise InvalidInput(f"year must be an int or an iterable of ints, got {year!r}")
    try:
        given = list(year)  # type: ignore[arg-type]
    except TypeError:
        raise InvalidInput(f"year must be an int or an iterable of ints, got {year!r}") from None
    if not given:
        raise InvalidInput("year must name at least one year")
    return sorted({_check_year(y) for y in given})


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
    flows: dict[tuple[str, str], dict[int, Decimal]] = {}
    after_out: dict[tuple[str, str, int], Decimal] = {}
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
            by_year = flows.setdefault(key, {})
            by_year[booked] = by_year.get(booked, Decimal(0)) + amount.amount
            out = last_out.get((*key, booked))
            if out is not None and entry.booked_on > out:
                slot = (*key, booked)
                after_out[slot] = after_out.get(slot, Decimal(0)) + amount.amount

    factors: dict[int, Decimal] = {}
    rates: dict[tuple[str, int], tuple[Decimal, ParameterValue | None]] = {}
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
            opening += sum((v for b, v in by_year.items() if previous < b < y), Decimal(0))
            previous = y
            current = by_year.get(y, Decimal(0))
            if not opening and not current:
                continue
            entry_id = interest_entry_id(worker, scheme, where, y, account=account)
            if y not in done:
                later = sorted(b for b in done if b > y)
                if later:
                    raise InvalidInput(
                        f"interest for {where} {later[0]} is already credited; crediting {y} "
                        f"now would change {later[0]}'s opening balance (credit years in order)"
                    )
            if (where, y) not in rates:
                rates[(where, y)] = _rate(pack, where, y, assumed)
            rate, source = rates[(where, y)]
            if y not in factors:
                factors[y] = pack.value(CURRENT_YEAR_FACTOR, None, dt.date(y, 1, 1)).decimal()
            factor = factors[y]
            if (where, account, y) in last_out:
                # settled up to the transfer: only later amounts earn, as the year's own
                opening_money = Money.unchecked(Decimal(0), currency)
                current_money = Money.unchecked(
                    after_out.get((where, account, y), Decimal(0)), currency
                )
            else:
                opening_money = Money.unchecked(opening, currency).quantize()  # exact: whole fen
                current_money = Money.unchecked(current, currency).quantize()
            interest = annual_interest(opening_money, current_money, rate, factor)
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
                    reference=_reference(source),
                    note=_note(y, rate, source, opening_money, current_money, factor),
                    account=account,
                    payer=None,
                    platform_id=None,
                    rate=rate,
                )
            )
            opening += current + interest.amount  # the next year's opening balance
    entries.sort(key=lambda entry: (entry.booked_on, entry.id))  # as if credited year by year
    return ledger.apply(entries)


def _rate(
    pack: RulePack, region: str, year: int, assumed: Decimal | None
) -> tuple[Decimal, ParameterValue | None]:
    try:
        value = crediting_rate(pack, region, year)
    except RuleNotFound:
        if assumed is None:
            raise
        return assumed, None
    return value.decimal(), value


def _reference(source: ParameterValue | None) -> str:
    if source is None:
        return "assumed_rate"
    return f"{source.name}/{source.region or 'national'}/{source.effective_from.isoformat()}"


def _note(
    year: int,
    rate: Decimal,
    source: ParameterValue | None,
    opening: Money,
    current: Money,
    factor: Decimal,
) -> str:
    formula = f"{opening.amount} × {rate} + {current.amount} × {rate} × {factor}"
    if source is None:
        return (
            f"ASSUMED rate {rate} for {year}: no published crediting rate for that year; {formula}"
        )
    citation = source.citation
    grade = citation.evidence.value + ("" if citation.verified else ", unverified")
    return f"{year} rate {rate} ({source.name}, {citation.source_id}, {grade}); {formula}"
