"""Planning one account move: who, when, and the entries it takes (66号 Art. 4).

A plan gathers, for one account on one date, the interest to the day, the duplicate months,
the pooled-fund part and the months, and the entries that carry them out."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from flexsecure.calculations.accounts.ledger import (
    EntryKind,
    Ledger,
    LedgerEntry,
)
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.transfers.duplicates import cleared_marker, find_duplicates
from flexsecure.jurisdictions.cn.transfers.moves import (
    ACCOUNT_FUND,
    POOLED_FROM_YEAR,
    POOLED_FUND,
    POOLED_RATE,
    AccountMove,
    DuplicateMonth,
    Key,
    PooledMode,
    Used,
    use,
)
from flexsecure.jurisdictions.cn.transfers.settlement import settle_interest
from flexsecure.jurisdictions.cn.transfers.view import Marker, View
from flexsecure.rules.packs import RulePack
from flexsecure.values.checks import require_date
from flexsecure.values.errors import InvalidInput, TransferError
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "Plan",
    "arrival",
    "check_assumed",
    "check_date",
    "marker",
    "plan_move",
    "resolve_worker",
]

# -- planning one move -----------------------------------------------------------------------


@attrs.frozen
class Plan:
    """An account move and the entries that settle it (interest, cleared duplicates, out)."""

    move: AccountMove
    entries: tuple[LedgerEntry, ...]
    cleared: frozenset[tuple[Month, str, str]]


def resolve_worker(ledger: Ledger, worker: Worker | None, needed_for: str) -> Worker:
    """``worker``, else the ledger's own; both must be the ledger's worker."""
    if worker is not None:
        if not isinstance(worker, Worker):
            raise InvalidInput(f"worker must be a Worker, got {worker!r}")
        if worker.id != ledger.worker_id:
            raise InvalidInput(
                f"worker {worker.id!r} is not the ledger's worker {ledger.worker_id!r}"
            )
        known = ledger.worker
        if known is not None and worker.without_personal_facts() != known:
            raise InvalidInput(
                f"worker {worker.id!r} differs from the worker kept on the ledger "
                f"({known!r}); pass the same facts or leave worker= out"
            )
        return worker
    if ledger.worker is None:
        raise TransferError(
            f"worker= is needed: {needed_for} depends on the worker's birth date, sex and hukou "
            "region, and this ledger does not keep its worker; pass worker= or build the "
            "ledger with Ledger.for_worker(worker)"
        )
    return ledger.worker


def check_date(ledger: Ledger, view: View, on: object, what: str) -> dt.date:
    """``on`` must be a date on or after the scheme's last booked entry."""
    on = require_date(on, "on")
    last = view.last_booked()
    if last is not None and on < last.booked_on:
        raise TransferError(
            f"{what} on {on} is before the ledger's last {view.scheme} entry {last.id!r} "
            f"(booked {last.booked_on}); quote on {last.booked_on} or later"
        )
    return on


def check_assumed(rate: object) -> Decimal | None:
    if rate is None:
        return None
    if isinstance(rate, bool) or not isinstance(rate, Decimal) or not rate.is_finite():
        raise InvalidInput(
            f"assumed_rate must be a Decimal such as Decimal('0.015'), got {rate!r}"
            + ("; floats cannot hold rates exactly" if isinstance(rate, float) else "")
        )
    if not 0 <= rate <= 1:
        raise InvalidInput(f"assumed_rate must be a fraction between 0 and 1, got {rate!r}")
    return rate


def plan_move(
    pack: RulePack,
    view: View,
    key: Key,
    on: dt.date,
    *,
    pooled_mode: PooledMode,
    resolve_duplicates: bool,
    prefix: str,
    out_id: str,
    interest_id: str,
    destination: str,
    assumed_rate: Decimal | None,
    used: Used,
    pending: frozenset[tuple[Month, str, str]] = frozenset(),
) -> Plan:
    """Settle and empty account ``key`` on ``on``: see the module docstring.

    ``prefix`` starts the ids of the cleared-duplicate entries (``<prefix>/cleared/...``) and
    is every entry's ``reference``; ``out_id`` is the id of the transfer-out entry and
    ``interest_id`` of the part year's interest; ``destination`` is said in the transfer-out's
    note. ``pending`` are duplicates cleared by other moves of the same quote. ``used``
    collects the parameter values read.
    """
    region, account = key
    entries: list[LedgerEntry] = []
    credits, interest_entries = settle_interest(
        pack, view, key, on, prefix, interest_id, assumed_rate, used
    )
    entries.extend(interest_entries)

    duplicates: list[DuplicateMonth] = []
    cleared = set(pending)
    if resolve_duplicates:
        duplicates, new_cleared = find_duplicates(pack, view, key, on, cleared, used)
        for month, where, which in sorted(new_cleared):
            entries.append(cleared_marker(view, prefix, month, where, which, on, duplicates))
        cleared |= new_cleared
    all_cleared = cleared | view.cleared

    own = view.held_own(key)
    months_held = view.months_held(key)
    months_cleared = sum(1 for (_m, r, a) in all_cleared if (r, a) == key)
    months = months_held - months_cleared

    zero = Money.zero(view.currency).quantize()
    rate: Decimal | None = None
    bases, counted, share, forwarded = zero, 0, zero, zero
    if pooled_mode is PooledMode.SHARE:
        rate_value = use(used, pack.value(POOLED_RATE, None, on))
        from_value = use(used, pack.value(POOLED_FROM_YEAR, None, on))
        rate, first_year = rate_value.decimal(), from_value.integer()
        total = Decimal(0)
        for month, entry in own.items():
            if month.year >= first_year and (month, region, account) not in all_cleared:
                assert entry.base is not None
                total += entry.base.amount
                counted += 1
        bases = Money.unchecked(total, view.currency)
        rounding = pack.scheme(view.scheme).rounding
        share = rounding.apply(bases * rate)
        forwarded = view.held_sum(key, POOLED_FUND, contributions=False)
        pooled = share + forwarded
    elif pooled_mode is PooledMode.WHOLE:
        pooled = view.held_sum(key, POOLED_FUND, contributions=True) + view.held_sum(
            key, POOLED_FUND, contributions=False
        )
    else:
        pooled = zero

    principal = view.balance(key, ACCOUNT_FUND)  # before the interest settled here
    interest_total = Money.sum((credit.amount for credit in credits), view.currency)
    individual = principal + interest_total
    if individual.is_negative or pooled.is_negative or months < 0:
        raise TransferError(
            f"account {region}/{account} cannot move: individual account {individual.amount}, "
            f"pooled {pooled.amount}, months {months} (a negative amount means a correction "
            "is missing; book it as an adjustment first)"
        )
    move = AccountMove(
        region=region,
        account=account,
        principal=principal,
        interest=tuple(credits),
        individual_account=individual,
        pooled_mode=pooled_mode,
        pooled_rate=rate,
        pooled_bases=bases,
        pooled_months=counted,
        pooled_share=share,
        pooled_forwarded=forwarded,
        pooled=pooled,
        months_held=months_held,
        months_cleared=months_cleared,
        months=months,
        duplicates=tuple(duplicates),
    )
    funds = {ACCOUNT_FUND: -individual}
    if pooled_mode is not PooledMode.NONE:
        funds[POOLED_FUND] = -pooled
    entries.append(
        LedgerEntry(
            id=out_id,
            kind=EntryKind.TRANSFER_OUT,
            worker_id=view.ledger.worker_id,
            scheme=view.scheme,
            region=region,
            month=None,
            booked_on=on,
            funds=funds,
            months=-months,
            reference=prefix,
            note=f"to {destination}",
            account=account,
        )
    )
    return Plan(move, tuple(entries), frozenset(cleared - set(pending)))


def arrival(
    view: View,
    move: AccountMove,
    *,
    prefix: str,
    region: str,
    account: str,
    on: dt.date,
    origin: str,
) -> LedgerEntry:
    """The transfer-in entry (``<prefix>/in``) that receives ``move`` in (``region``,
    ``account``)."""
    funds = {ACCOUNT_FUND: move.individual_account}
    if move.pooled_mode is not PooledMode.NONE:
        funds[POOLED_FUND] = move.pooled
    return LedgerEntry(
        id=f"{prefix}/in",
        kind=EntryKind.TRANSFER_IN,
        worker_id=view.ledger.worker_id,
        scheme=view.scheme,
        region=region,
        month=None,
        booked_on=on,
        funds=funds,
        months=move.months,
        reference=prefix,
        note=f"from {origin}",
        account=account,
    )


def marker(
    view: View,
    *,
    kind: Marker,
    entry_id: str,
    prefix: str,
    region: str,
    account: str,
    on: dt.date,
    note: str,
) -> LedgerEntry:
    """An entry without money or months that records a decision (a temporary account opened
    or sealed)."""
    return LedgerEntry(
        id=entry_id,
        kind=EntryKind.ADJUSTMENT,
        worker_id=view.ledger.worker_id,
        scheme=view.scheme,
        region=region,
        month=None,
        booked_on=on,
        funds={},
        months=0,
        reference=prefix,
        note=note,
        account=account,
        marker=kind,
    )
