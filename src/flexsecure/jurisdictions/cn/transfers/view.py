"""The ledger as the moves see it: one scheme's entries by account, the markers of decisions
already taken, and where the relation is."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
    EntryKind,
    Ledger,
    LedgerEntry,
)
from flexsecure.jurisdictions.cn.transfers.moves import TEMPORARY_ACCOUNT, Key
from flexsecure.values.errors import InvalidInput, TransferError
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "Marker",
    "View",
    "is_cleared_marker",
    "is_open_marker",
    "is_seal_marker",
    "kept_relation",
    "open_temporary_regions",
    "regular_relation",
    "relation_region",
    "temporary_accounts",
]

# -- the ledger as the moves see it --------------------------------------------------------


class Marker(StrEnum):
    """The decisions a move records in the ledger as entries without money or months
    (:attr:`LedgerEntry.marker <flexsecure.LedgerEntry.marker>`)."""

    TEMPORARY_OPENED = "temporary_opened"
    """A temporary account opened at the new place; the relation stays where it was."""
    TEMPORARY_SEALED = "temporary_sealed"
    """A temporary account sealed after its collection."""
    DUPLICATE_CLEARED = "duplicate_cleared"
    """A duplicate month's payment cleared: not carried, its base not counted."""


def is_cleared_marker(entry: LedgerEntry) -> bool:
    """True for the entry that records a duplicate month's payment as cleared."""
    return entry.marker == Marker.DUPLICATE_CLEARED


def is_open_marker(entry: LedgerEntry) -> bool:
    """True for the entry that opens a temporary account (the relation stays where it was)."""
    return entry.marker == Marker.TEMPORARY_OPENED


def kept_relation(view: View, region: str) -> str | None:
    """Where the relation was kept when the temporary account in ``region`` was opened (the
    "原参保地" of 66号 Art. 5 (2)); the relation now if no opening is recorded."""
    opened = [
        position
        for position, entry in view.by_key.get((region, TEMPORARY_ACCOUNT), [])
        if is_open_marker(entry)
    ]
    if not opened:
        return regular_relation(view)
    return regular_relation(View(view.ledger, view.scheme, before=opened[-1]))


def is_seal_marker(entry: LedgerEntry) -> bool:
    """True for the entry that seals a temporary account after its collection."""
    return entry.marker == Marker.TEMPORARY_SEALED


class View:
    """One scheme's entries of a ledger up to a date (or before a ledger position), indexed by
    account, for the moves."""

    def __init__(
        self, ledger: Ledger, scheme: str, on: dt.date | None = None, *, before: int | None = None
    ) -> None:
        self.ledger = ledger
        self.scheme = scheme
        self.currency = ledger.money_currency
        self.by_key: dict[Key, list[tuple[int, LedgerEntry]]] = {}
        self.last_out: dict[Key, int] = {}
        self.cleared: set[tuple[Month, str, str]] = set()
        self.own: dict[Key, dict[Month, tuple[int, LedgerEntry]]] = {}
        for position, entry in enumerate(ledger.entries):
            if before is not None and position >= before:
                break
            if entry.scheme != scheme or (on is not None and entry.booked_on > on):
                continue
            key = (entry.region, entry.account)
            self.by_key.setdefault(key, []).append((position, entry))
            if entry.kind is EntryKind.TRANSFER_OUT:
                self.last_out[key] = position
            elif entry.kind is EntryKind.CONTRIBUTION and entry.months:
                assert entry.month is not None
                copies = self.own.setdefault(key, {})
                earlier = copies.get(entry.month)
                if earlier is None or entry.id < earlier[1].id:
                    copies[entry.month] = (position, entry)
            elif is_cleared_marker(entry):
                assert entry.month is not None
                self.cleared.add((entry.month, entry.region, entry.account))

    def accounts(self) -> list[Key]:
        return sorted(self.by_key)

    def entries(self, key: Key) -> list[LedgerEntry]:
        return [entry for _, entry in self.by_key.get(key, [])]

    def held(self, key: Key) -> list[LedgerEntry]:
        """Entries booked after the account's last transfer out, in ledger order."""
        cut = self.last_out.get(key, -1)
        return [entry for position, entry in self.by_key.get(key, []) if position > cut]

    def held_own(self, key: Key) -> dict[Month, LedgerEntry]:
        """The account's own contributed months not yet carried away, with their entries."""
        cut = self.last_out.get(key, -1)
        return {
            month: entry
            for month, (position, entry) in self.own.get(key, {}).items()
            if position > cut
        }

    def carried_away(self, month: Month, key: Key) -> bool:
        """True when the account's payment of ``month`` left with an earlier transfer out."""
        copy = self.own.get(key, {}).get(month)
        return copy is not None and copy[0] < self.last_out.get(key, -1)

    def months_held(self, key: Key) -> int:
        """Contributed months the account holds: its own months plus those carried in or out
        (what :meth:`Ledger.contributed_months` counts, for one account)."""
        carried = sum(
            entry.months for entry in self.entries(key) if entry.kind is not EntryKind.CONTRIBUTION
        )
        return len(self.own.get(key, {})) + carried

    def balance(self, key: Key, fund: str) -> Money:
        total = Decimal(0)
        for entry in self.entries(key):
            amount = entry.fund(fund)
            if amount is not None:
                total += amount.amount
        return Money.unchecked(total, self.currency).quantize()  # exact: whole fen

    def held_sum(self, key: Key, fund: str, *, contributions: bool) -> Money:
        """The sum of ``fund`` over held entries: contributions only, or everything else."""
        total = Decimal(0)
        for entry in self.held(key):
            if (entry.kind is EntryKind.CONTRIBUTION) != contributions:
                continue
            amount = entry.fund(fund)
            if amount is not None:
                total += amount.amount
        return Money.unchecked(total, self.currency).quantize()  # exact: whole fen

    def last_booked(self) -> LedgerEntry | None:
        latest: LedgerEntry | None = None
        for entries in self.by_key.values():
            for _, entry in entries:
                if latest is None or entry.booked_on > latest.booked_on:
                    latest = entry
        return latest


def relation_region(ledger: Ledger, scheme: str = "pension", *, on: dt.date | None = None) -> str:
    """The region where the worker's ``scheme`` relation is: where the latest contribution or
    transfer into a *regular* account still held there was booked (by date, then ledger order).

    A temporary account never holds the relation (66号 Art. 5 (2): it stays at the previous
    place). Raises :class:`~flexsecure.values.errors.TransferError` when the ledger holds no
    relation (nothing contributed, or everything moved away).
    """
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    found = regular_relation(View(ledger, scheme, on))
    if found is None:
        raise TransferError(
            f"the ledger of worker {ledger.worker_id!r} holds no {scheme} relation"
            + (f" on {on}" if on is not None else "")
            + ": no contribution or transfer into a regular account is held anywhere"
        )
    return found


def regular_relation(view: View) -> str | None:
    """The region holding the regular relation: the latest contribution or transfer in that
    was not moved out since; ``None`` if there is none."""
    best: tuple[dt.date, int] | None = None
    region: str | None = None
    for key in view.accounts():
        if key[1] != REGULAR_ACCOUNT:
            continue
        cut = view.last_out.get(key, -1)
        for position, entry in view.by_key[key]:
            if position <= cut or entry.kind not in (EntryKind.CONTRIBUTION, EntryKind.TRANSFER_IN):
                continue
            rank = (entry.booked_on, position)
            if best is None or rank > best:
                best, region = rank, key[0]
    return region


def temporary_accounts(ledger: Ledger, scheme: str = "pension") -> dict[tuple[str, str], str]:
    """The open temporary contribution accounts of ``scheme``, as ``Ledger.post`` takes them.

    ``{("pension", "CN-GD"): "temporary"}`` while a temporary account is open in Guangdong
    (opened by a transfer quote, not yet sealed by its collection), so that
    ``ledger.post(statement, accounts=temporary_accounts(ledger))`` books the new place's
    contributions into it (66号 Art. 5 (2)).
    """
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    return {
        (scheme, region): TEMPORARY_ACCOUNT
        for region in open_temporary_regions(View(ledger, scheme))
    }


def open_temporary_regions(view: View) -> list[str]:
    """Regions where a temporary account is open (not sealed by a collection)."""
    regions = []
    for region, account in view.accounts():
        if account != TEMPORARY_ACCOUNT:
            continue
        last = view.by_key[(region, account)][-1][1]
        if not is_seal_marker(last):
            regions.append(region)
    return regions
