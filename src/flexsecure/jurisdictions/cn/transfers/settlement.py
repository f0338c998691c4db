"""Interest to the day of a move: complete years not yet credited, then the part year (66号
Art. 4 (1) moves the account "with interest")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexsecure.calculations.accounts.ledger import (
    EntryKind,
    Ledger,
    LedgerEntry,
)
from flexsecure.jurisdictions.cn.crediting import credit_interest
from flexsecure.jurisdictions.cn.interest import (
    InterestRule,
    interest_entry_id,
    interest_rule,
    year_interest,
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
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import Money
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
    """The interest an account has earned up to ``on`` and not yet been credited: complete
    years as :func:`~flexsecure.jurisdictions.cn.crediting.credit_interest` credits them (the
    very same entries), then the part year by the pack's rule — all computed by
    :func:`~flexsecure.jurisdictions.cn.interest.year_interest`."""
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
        opening = Decimal(0) if cut is not None else _opening(sub, y)
        flows = _flows(sub, y, cut, standard_id)
        if not opening and not any(flows.values()):
            continue
        rule = _rule(pack, region, y, assumed, used)
        # the year exactly as credit_interest credits it, with its very entry, so that
        # crediting the year later is a no-op (a year emptied by a transfer out earns only on
        # what arrived after it: the transfer settled the rest)
        sub = credit_interest(pack, sub, y, scheme=scheme, region=region, assumed_rate=assumed)
        entry = sub.get(standard_id)
        assert entry is not None
        amount = entry.fund(ACCOUNT_FUND)
        assert amount is not None
        made.append(entry)
        credits.append(
            InterestCredit(
                entry.id,
                region,
                account,
                y,
                12,
                _money(opening, currency),
                _money(_total(flows), currency),
                rule.rate,
                y,
                rule.source is None,
                amount,
            )
        )

    months = completed_months(on)
    if not use(used, pack.value(PART_YEAR, None, on)).flag() or months == 0 or year in standard:
        return credits, made
    part = part_year(pack, sub, region, on, assumed, used)
    if part is None:
        return credits, made
    rule, opening, flows, amount = part
    if not amount:
        return credits, made
    lag = pack.value(PART_YEAR_LAG, None, on).integer()
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
            f"part year {year} to {on} ({months} months) at the {year - lag} rate {rule.rate}"
            + (" (ASSUMED: none published)" if rule.source is None else "")
            + f": ({opening} × {rule.rate} + {_total(flows)} × {rule.rate} × {rule.factor}) "
            f"× {months} / 12"
            + ("" if rule.method.value == "annual_factor" else " (monthly products)")
        ),
        account=account,
        rate=rule.rate,
    )
    made.append(entry)
    credits.append(
        InterestCredit(
            entry.id,
            region,
            account,
            year,
            months,
            _money(opening, currency),
            _money(_total(flows), currency),
            rule.rate,
            year - lag,
            rule.source is None,
            amount,
        )
    )
    return credits, made


def part_year(
    pack: RulePack,
    ledger: Ledger,
    region: str,
    on: dt.date,
    assumed: Decimal | None,
    used: Used,
) -> tuple[InterestRule, Decimal, dict[int, Decimal], Money] | None:
    """Interest of ``on``'s year up to ``on`` on ``ledger``'s account (one region's, every year
    before credited): the year's rule at the rate the pack's part-year lag names, over the
    months completed on ``on``. ``None`` when the account holds nothing that year. Used when an
    account moves and when a pension starts, so both settle the same amount."""
    year = on.year
    cut = _last_out_in(ledger, year)
    opening = Decimal(0) if cut is not None else _opening(ledger, year)
    flows = _flows(ledger, year, cut, None)
    if not opening and not any(flows.values()):
        return None
    lag = use(used, pack.value(PART_YEAR_LAG, None, on)).integer()
    rule = _rule(pack, region, year, assumed, used, lag=lag)
    amount = year_interest(opening, flows, rule, ledger.money_currency, months=completed_months(on))
    return rule, opening, flows, amount


def _rule(
    pack: RulePack,
    region: str,
    year: int,
    assumed: Decimal | None,
    used: Used,
    *,
    lag: int = 0,
) -> InterestRule:
    """The year's interest rule (at the rate of ``lag`` years before), its values recorded."""
    try:
        rule = interest_rule(pack, region, year, assumed=assumed, rate_year=year - lag)
    except RuleNotFound as error:
        why = (
            f" (the part year of a transfer earns the rate of {lag} year(s) before: "
            f"{PART_YEAR_LAG})"
            if lag
            else ""
        )
        raise RuleNotFound(f"{error}{why}") from None
    if rule.source is not None:
        use(used, rule.source)
    for value in rule.parameters:
        use(used, value)
    return rule


def _last_out_in(ledger: Ledger, year: int) -> int | None:
    """Position of the last transfer out booked in ``year``, if any."""
    cut = None
    for position, entry in enumerate(ledger.entries):
        if entry.kind is EntryKind.TRANSFER_OUT and entry.booked_on.year == year:
            cut = position
    return cut


def _opening(ledger: Ledger, year: int) -> Decimal:
    """The individual-account balance at the end of ``year`` − 1."""
    total = Decimal(0)
    for entry in ledger.entries:
        amount = entry.fund(ACCOUNT_FUND)
        if amount is not None and entry.booked_on.year < year:
            total += amount.amount
    return _money(total, ledger.money_currency).amount  # exact: whole fen


def _flows(ledger: Ledger, year: int, cut: int | None, skip: str | None) -> dict[int, Decimal]:
    """The individual-account amounts booked in each month of ``year`` after position
    ``cut``, leaving out the entry ``skip`` (the year's own interest)."""
    months: dict[int, Decimal] = {}
    for position, entry in enumerate(ledger.entries):
        if entry.booked_on.year != year or (cut is not None and position <= cut):
            continue
        amount = entry.fund(ACCOUNT_FUND)
        if amount is not None and entry.id != skip:
            month = entry.booked_on.month
            months[month] = months.get(month, Decimal(0)) + amount.amount
    return months


def _total(flows: dict[int, Decimal]) -> Decimal:
    return sum(flows.values(), Decimal(0))


def _money(amount: Decimal, currency: str) -> Money:
    return Money.unchecked(amount, currency).quantize()  # exact: whole fen
