"""Duplicate months (CN.md §4.4, unverified): a month paid in the moving account and in another
one; by ``transfer.duplicate_keep_sending`` one payment is kept and the other cleared."""

from __future__ import annotations

import datetime as dt

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
    EntryKind,
    LedgerEntry,
)
from flexsecure.jurisdictions.cn.transfers.moves import KEEP_SENDING, DuplicateMonth, Key, Used, use
from flexsecure.jurisdictions.cn.transfers.view import Marker, View
from flexsecure.rules.packs import RulePack
from flexsecure.values.periods import Month

__all__ = [
    "cleared_marker",
    "find_duplicates",
]

# -- duplicates ------------------------------------------------------------------------------


def find_duplicates(
    pack: RulePack,
    view: View,
    key: Key,
    on: dt.date,
    cleared: set[tuple[Month, str, str]],
    used: Used,
) -> tuple[list[DuplicateMonth], set[tuple[Month, str, str]]]:
    gone = cleared | view.cleared
    others: dict[Month, list[Key]] = {}
    for other in view.accounts():
        if other == key:
            continue
        for month in view.own.get(other, {}):
            if (month, *other) not in gone:
                others.setdefault(month, []).append(other)
    found: list[DuplicateMonth] = []
    new: set[tuple[Month, str, str]] = set()
    keep_sending: bool | None = None
    for month in sorted(view.held_own(key)):
        if (month, *key) in gone or month not in others:
            continue
        if keep_sending is None:
            keep_sending = use(used, pack.value(KEEP_SENDING, None, on)).flag()
        copies = others[month]
        carried = any(view.carried_away(month, other) for other in copies)
        if keep_sending and not carried:
            kept = key
            new.update((month, *other) for other in copies)
        else:
            kept = copies[0]
            new.add((month, *key))
        for other in copies:
            found.append(
                DuplicateMonth(
                    month=month,
                    region=key[0],
                    account=key[1],
                    other_region=other[0],
                    other_account=other[1],
                    kept_region=(kept if kept == key else other)[0],
                    kept_account=(kept if kept == key else other)[1],
                )
            )
    return found, new


def cleared_marker(
    view: View,
    prefix: str,
    month: Month,
    region: str,
    account: str,
    on: dt.date,
    duplicates: list[DuplicateMonth],
) -> LedgerEntry:
    kept = sorted(
        {d.kept_region for d in duplicates if d.month == month and d.cleared == (region, account)}
    )
    suffix = "" if account == REGULAR_ACCOUNT else f"/{account}"
    return LedgerEntry(
        id=f"{prefix}/cleared/{region}/{month}{suffix}",
        kind=EntryKind.ADJUSTMENT,
        worker_id=view.ledger.worker_id,
        scheme=view.scheme,
        region=region,
        month=month,
        booked_on=on,
        funds={},
        months=0,
        reference=prefix,
        note=(
            f"duplicate month {month}: the payment in {region} is cleared (kept in "
            f"{', '.join(kept)}); not carried, its refund is not booked here"
        ),
        account=account,
        marker=Marker.DUPLICATE_CLEARED,
    )
