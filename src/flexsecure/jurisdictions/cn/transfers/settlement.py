"""Interest to the day of a move: complete years not yet credited, then the part year (66号
Art. 4 (1) moves the account "with interest")."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flexsecure.calculations.accounts.ledger import (
    EntryKind,
    Ledger,
    LedgerEntry,
)
from flexsecure.jurisdictions.cn.interest import (
    CURRENT_YEAR_FACTOR,
    annual_interest,
    credit_interest,
    crediting_rate,
    interest_entry_id,
)
from flexsecure.jurisdictions.cn.transfers.moves import (
    ACCOUNT_FUND,
    PART_YEAR,
    PART_YEAR_LAG,
    InterestCredit,
    Key,
    Used,
    use,
)
from flexsecure.jurisdictions.cn.transfers.view import View
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import Money, minor_unit
from flexsecure.values.periods import Month

__all__ = [
    "completed_months",
    "settle_interest",
]

# -- interest to the day ---------------------------------------------------------------------


def completed_months(on: dt.date) -> int:
    """Months of ``on``'s year completed on ``on``: Jan 1 → 0, Jan 31 → 1, Dec 31 → 12."""
    month = Month.of(on)
    return on.month - 1 + (1 if on == month.last_day else 0)


def settle_interest(
    pack: RulePack,
    view: View,
    key: Key,
    on: dt.date,
    prefix: str,
    interest_id: str,
    assumed: Decimal | None,
    used: Used,
) -> tuple[list[InterestCredit], list[LedgerEntry]]:
    region, account = key
    worker, scheme, currency = view.ledger.worker_id, view.scheme, view.currency
    own = view.entries(key)
    flow_years = {e.booked_on.year for e in own if e.fund(ACCOUNT_FUND) is not None}
    if not flow_years:
        return [], []
    standard = {
        e.booked_on.year
        for e in own
        if e.kind is EntryKind.INTEREST
        and e.id == interest_entry_id(worker, scheme, region, e.booked_on.year, account=account)
    }
    year = on.year
    start = max(min(flow_years), max(standard) + 1 if standard else min(flow_years))
    sub = Ledger(worker_id=worker, entries=own, currency=currency)
    credits: list[InterestCredit] = []
    made: list[LedgerEntry] = []
    for y in range(start, year):
        standard_id = interest_entry_id(worker, scheme, region, y, account=account)
        cut = _last_out_in(sub, y)
        opening = Money.zero(currency).quantize() if cut is not None else _opening(sub, y)
        current = _flows(sub, y, cut, standard_id)
        if not opening and not current:
            continue
        rate, published = _rate(pack, region, y, assumed, 0, used)
        factor = use(used, pack.value(CURRENT_YEAR_FACTOR, None, dt.date(y, 1, 1))).decimal()
        if cut is None:
            # the year as credit_interest credits it, with its very entry (a later call is a
            # no-op)
            sub = credit_interest(pack, sub, y, scheme=scheme, region=region, assumed_rate=assumed)
            entry = sub.get(standard_id)
            assert entry is not None
            amount = entry.fund(ACCOUNT_FUND)
            assert amount is not None
        else:
            # emptied by a transfer out during the year, which settled the interest before it
            amount = annual_interest(opening, current, rate, factor)
            entry = LedgerEntry(
                id=standard_id,
                kind=EntryKind.INTEREST,
                worker_id=worker,
                scheme=scheme,
                region=region,
                month=None,
                booked_on=dt.date(y, 12, 31),
                funds={ACCOUNT_FUND: amount},
                reference=prefix,
                note=(
                    f"{y}: the account was emptied by a transfer out during the year, which "
                    f"settled the interest before it; {current.amount} booked after it × "
                    f"{rate} × {factor}"
                ),
                account=account,
                rate=rate,
            )
            sub = sub.apply([entry])
        made.append(entry)
        credits.append(
            InterestCredit(
                entry.id,
                region,
                account,
                y,
                12,
                opening,
                current,
                rate,
                y,
                published is None,
                amount,
            )
        )

    months = completed_months(on)
    if not use(used, pack.value(PART_YEAR, None, on)).flag() or months == 0 or year in standard:
        return credits, made
    cut = _last_out_in(sub, year)
    opening = Money.zero(currency).quantize() if cut is not None else _opening(sub, year)
    current = _flows(sub, year, cut, None)
    if not opening and not current:
        return credits, made
    lag = use(used, pack.value(PART_YEAR_LAG, None, on)).integer()
    rate, published = _rate(pack, region, year - lag, assumed, lag, used)
    factor = use(used, pack.value(CURRENT_YEAR_FACTOR, None, dt.date(year, 1, 1))).decimal()
    exact = opening.amount * rate + current.amount * rate * factor
    amount = Money.unchecked(_round_half_up(Fraction(exact) * months / 12, currency), currency)
    if not amount:
        return credits, made
    entry = LedgerEntry(
        id=interest_id,
        kind=EntryKind.INTEREST,
        worker_id=worker,
        scheme=scheme,
        region=region,
        month=None,
        booked_on=on,
        funds={ACCOUNT_FUND: amount},
        reference=prefix,
        note=(
            f"part year {year} to {on} ({months} months) at the {year - lag} rate {rate}"
            + (" (ASSUMED: none published)" if published is None else "")
            + f": ({opening.amount} × {rate} + {current.amount} × {rate} × {factor}) "
            f"× {months} / 12"
        ),
        account=account,
        rate=rate,
    )
    made.append(entry)
    credits.append(
        InterestCredit(
            entry.id,
            region,
            account,
            year,
            months,
            opening,
            current,
            rate,
            year - lag,
            published is None,
            amount,
        )
    )
    return credits, made


def _last_out_in(ledger: Ledger, year: int) -> int | None:
    """Position of the last transfer out booked in ``year``, if any."""
    cut = None
    for position, entry in enumerate(ledger.entries):
        if entry.kind is EntryKind.TRANSFER_OUT and entry.booked_on.year == year:
            cut = position
    return cut


def _opening(ledger: Ledger, year: int) -> Money:
    """The individual-account balance at the end of ``year`` − 1."""
    total = Decimal(0)
    for entry in ledger.entries:
        amount = entry.fund(ACCOUNT_FUND)
        if amount is not None and entry.booked_on.year < year:
            total += amount.amount
    return Money.unchecked(total, ledger.money_currency).quantize()  # exact: whole fen


def _flows(ledger: Ledger, year: int, cut: int | None, skip: str | None) -> Money:
    """The individual-account amounts booked in ``year`` after position ``cut``, leaving out
    the entry ``skip`` (the year's own interest)."""
    total = Decimal(0)
    for position, entry in enumerate(ledger.entries):
        if entry.booked_on.year != year or (cut is not None and position <= cut):
            continue
        amount = entry.fund(ACCOUNT_FUND)
        if amount is not None and entry.id != skip:
            total += amount.amount
    return Money.unchecked(total, ledger.money_currency).quantize()  # exact: whole fen


def _rate(
    pack: RulePack, region: str, year: int, assumed: Decimal | None, lag: int, used: Used
) -> tuple[Decimal, ParameterValue | None]:
    """The published crediting rate of ``year`` (recorded as used), else ``assumed``."""
    try:
        value = crediting_rate(pack, region, year)
    except RuleNotFound as error:
        if assumed is None:
            why = (
                f" (the part year of a transfer earns the rate of {lag} year(s) before: "
                f"{PART_YEAR_LAG})"
                if lag
                else ""
            )
            raise RuleNotFound(f"{error}{why}") from None
        return assumed, None
    use(used, value)
    return value.decimal(), value


def _round_half_up(value: Fraction, currency: str) -> Decimal:
    """``value`` rounded half up (away from zero) to the currency's minor unit, exactly."""
    unit = minor_unit(currency)
    units = value / Fraction(unit)
    sign = -1 if units < 0 else 1
    whole = int(abs(units) + Fraction(1, 2))
    return (Decimal(sign * whole) * unit).quantize(unit, rounding=ROUND_HALF_UP)
