"""Posting statements: the ledger entries of a contribution statement's lines.

One entry per line, with a deterministic id (:func:`contribution_entry_id`), so posting a
statement again is a no-op; a month counts once per scheme and region however many payers
pay it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from flexsecure.calculations.accounts.entries import (
    REGULAR_ACCOUNT,
    EntryKind,
    LedgerEntry,
    unchecked_entry,
)
from flexsecure.calculations.statements import ContributionStatement
from flexsecure.values.checks import (
    plain_name,
    require_date,
)
from flexsecure.values.errors import InvalidInput
from flexsecure.values.periods import Month

__all__ = ["check_accounts", "contribution_entries", "contribution_entry_id"]


# -- ids -----------------------------------------------------------------------------------


def contribution_entry_id(
    worker_id: str,
    scheme: str,
    region: str,
    month: Month,
    payer: str,
    platform_id: str | None,
    *,
    account: str = REGULAR_ACCOUNT,
) -> str:
    """``contribution/<worker>/<scheme>/<region>/<YYYY-MM>/<payer>/<platform or ->``.

    An account other than ``regular`` is appended as ``/<account>``. When one statement has
    two lines with the same id (one platform with engagements in two industries of a region),
    :func:`contribution_entries` appends ``#2``, ``#3``… in the statement's line order.
    """
    text = f"contribution/{worker_id}/{scheme}/{region}/{month}/{payer}/{platform_id or '-'}"
    return text if account == REGULAR_ACCOUNT else f"{text}/{account}"


def contribution_entries(
    statement: ContributionStatement,
    *,
    booked_on: dt.date | None = None,
    accounts: Mapping[tuple[str, str], str] | None = None,
) -> tuple[LedgerEntry, ...]:
    """One entry per line of ``statement``, booked on the month's last day unless told.

    A month counts once per (scheme, region) however many payers or platforms pay it: the
    first line with a base carries ``months=1``, the others 0. Per-order lines (no base)
    count no month. ``accounts`` maps (scheme, region) to the account its lines go to
    (``{("pension", "CN-GD"): "temporary"}``); lines not named go to the regular account.
    """
    if not isinstance(statement, ContributionStatement):
        raise InvalidInput(f"statement must be a ContributionStatement, got {statement!r}")
    if booked_on is not None:
        require_date(booked_on, "booked_on")
    routes = check_accounts(accounts)
    day = statement.month.last_day if booked_on is None else booked_on
    counted: set[tuple[str, str]] = set()
    used: dict[str, int] = {}
    entries = []
    for line in statement.lines:
        account = routes.get((line.scheme, line.region), REGULAR_ACCOUNT)
        entry_id = contribution_entry_id(
            statement.worker_id,
            line.scheme,
            line.region,
            statement.month,
            line.payer,
            line.platform_id,
            account=account,
        )
        seen = used.get(entry_id, 0) + 1
        used[entry_id] = seen
        if seen > 1:
            entry_id = f"{entry_id}#{seen}"
        months = 0
        if line.base is not None and (line.scheme, line.region) not in counted:
            counted.add((line.scheme, line.region))
            months = 1
        entries.append(
            unchecked_entry(
                id=entry_id,
                kind=EntryKind.CONTRIBUTION,
                worker_id=statement.worker_id,
                scheme=line.scheme,
                region=line.region,
                month=statement.month,
                booked_on=day,
                funds=tuple(sorted(line.funds, key=lambda pair: pair[0])),
                base=line.base,
                months=months,
                reference=None,
                note=None,
                account=account,
                payer=line.payer,
                platform_id=line.platform_id,
                rate=line.rate if isinstance(line.rate, Decimal) else None,
            )
        )
    return tuple(entries)


def check_accounts(accounts: object) -> dict[tuple[str, str], str]:
    if accounts is None:
        return {}
    if not isinstance(accounts, Mapping):
        raise InvalidInput(
            "accounts must map (scheme, region) to an account name, e.g. "
            f"{{('pension', 'CN-GD'): 'temporary'}}, got {accounts!r}"
        )
    routes: dict[tuple[str, str], str] = {}
    for key, account in accounts.items():
        if (
            not isinstance(key, tuple)
            or len(key) != 2
            or not all(isinstance(part, str) for part in key)
            or not isinstance(account, str)
            or not account
            or account != account.strip()
        ):
            raise InvalidInput(
                "accounts must map (scheme, region) to an account name, e.g. "
                f"{{('pension', 'CN-GD'): 'temporary'}}, got {key!r}: {account!r}"
            )
        routes[(str(plain_name(key[0])), key[1])] = account
    return routes
