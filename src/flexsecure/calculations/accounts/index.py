"""How a ledger accepts entries: checks that leave nothing half-applied, the version guard,
and the index a line of ledger versions shares."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from flexsecure.calculations.accounts.entries import (
    ENTRY_FIELDS,
    EntryKind,
    LedgerBasis,
    LedgerEntry,
)
from flexsecure.facts.workers import Worker
from flexsecure.values.errors import InvalidInput, LedgerConflict, TransferError
from flexsecure.values.money import Money, minor_unit
from flexsecure.values.periods import Month

__all__ = [
    "ContributionMonth",
    "MonthSlot",
    "SharedIndex",
    "Versions",
    "accept_entries",
    "check_currency",
    "check_worker",
    "conflict_error",
    "month_slot",
    "to_entries",
    "to_worker",
]


# -- the ledger ----------------------------------------------------------------------------


class ContributionMonth(NamedTuple):
    """A month contributed to a scheme in a region, with its contribution base."""

    month: Month
    region: str
    base: Money


def to_entries(value: Iterable[LedgerEntry]) -> tuple[LedgerEntry, ...]:
    if isinstance(value, LedgerEntry):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        raise InvalidInput(
            f"Ledger.entries must be an iterable of LedgerEntry, got {value!r}"
        ) from None


def check_currency(_instance: object, _attribute: object, value: str | None) -> None:
    if value is None:
        return  # fixed by the first entry posted or applied
    if not isinstance(value, str):
        raise InvalidInput(f"Ledger.currency must be an ISO 4217 code, got {value!r}")
    minor_unit(value)


def conflict_error(existing: LedgerEntry, entry: LedgerEntry) -> LedgerConflict:
    for name in ENTRY_FIELDS:
        old, new = getattr(existing, name), getattr(entry, name)
        if name != "basis" and old != new:
            return LedgerConflict(
                f"entry {entry.id!r} is already in the ledger with {name}={old!r}; the new "
                f"entry has {name}={new!r}. Entries are append-only: book a correction as an "
                "adjustment entry with an id of its own"
            )
    raise AssertionError("entries differ in no field")  # pragma: no cover


def accept_entries(
    worker_id: str,
    currency: str | None,
    lookup: Callable[[str], LedgerEntry | None],
    entries: Iterable[LedgerEntry],
    *,
    before: tuple[LedgerEntry, ...] | None = None,
    dues: bool = False,
) -> tuple[dict[str, LedgerEntry], str | None]:
    """The entries not yet in ``index``, by id, after checking all of them, and the ledger's
    currency (the first entry's, when the ledger had none yet); raises on the first problem so
    that nothing of a bad batch is kept. ``before`` (the ledger's entries, in order) checks
    entries bound to a ledger version against it; a ledger built whole passes none. ``dues``
    accepts only ``due`` entries (the ledger's dues), otherwise none of them."""
    added: dict[str, LedgerEntry] = {}
    running = Versions(before) if before is not None else None
    for position, entry in enumerate(entries):
        if not isinstance(entry, LedgerEntry):
            raise InvalidInput(f"entries[{position}] must be a LedgerEntry, got {entry!r}")
        if (entry.kind is EntryKind.DUE) != dues:
            raise InvalidInput(
                f"entry {entry.id!r} is a due line: post its statement with paid=False"
                if not dues
                else f"Ledger.dues holds due lines only, got a {entry.kind.value} entry "
                f"{entry.id!r}"
            )
        if entry.worker_id != worker_id:
            raise InvalidInput(
                f"entry {entry.id!r} belongs to worker {entry.worker_id!r}, not to this "
                f"ledger's worker {worker_id!r}"
            )
        if currency is None:
            currency = entry.funds[0][1].currency if entry.funds else None
            if currency is None and entry.base is not None:
                currency = entry.base.currency
        for fund, amount in entry.funds:
            if amount.currency != currency:
                raise InvalidInput(
                    f"entry {entry.id!r}: funds must be in {currency}, got {amount!r} ({fund})"
                )
        if entry.base is not None and entry.base.currency != currency:
            raise InvalidInput(
                f"entry {entry.id!r}: base must be in {currency}, got {entry.base!r}"
            )
        existing = lookup(entry.id)
        if existing is None:
            existing = added.get(entry.id)
        if existing is None:
            if running is not None:
                running.check(entry, len(added))
            added[entry.id] = entry
        elif existing != entry:
            raise conflict_error(existing, entry)
    return added, currency


class Versions:
    """The running version of a ledger while a batch is accepted, computed only when an entry
    bound to a version (:attr:`LedgerEntry.basis`) comes by.

    An entry with a basis is accepted when the ledger, as it stands before it, has that basis,
    or when it continues the run of entries of the same basis added just before it (a batch
    goes in as one block)."""

    def __init__(self, before: tuple[LedgerEntry, ...]) -> None:
        self._before = before
        self._digest: Any = None
        self._count = 0
        self._run: tuple[LedgerBasis, int] | None = None  # (basis, position of the last one)
        self._pending: list[str] = []

    def check(self, entry: LedgerEntry, position: int) -> None:
        basis = entry.basis
        if basis is not None:
            if self._run is not None and self._run == (basis, position - 1):
                self._run = (basis, position)
            else:
                current = self._current()
                if current != basis:
                    raise TransferError(
                        f"entry {entry.id!r} was computed from this ledger when it had "
                        f"{basis.entries} entries (digest {basis.digest[:12]}…); it now has "
                        f"{current.entries} (digest {current.digest[:12]}…): the quote is "
                        "stale, quote again on the current ledger"
                    )
                self._run = (basis, position)
        self._pending.append(entry.id)

    def _current(self) -> LedgerBasis:
        if self._digest is None:
            self._digest = hashlib.sha256()
            for entry in self._before:
                self._digest.update(entry.id.encode("utf-8"))
                self._digest.update(b"\n")
            self._count = len(self._before)
        for entry_id in self._pending:
            self._digest.update(entry_id.encode("utf-8"))
            self._digest.update(b"\n")
        self._count += len(self._pending)
        self._pending.clear()
        return LedgerBasis(self._count, self._digest.hexdigest())


def to_worker(value: Worker | None) -> Worker | None:
    """The worker's facts the rules need, without personal facts (an identity number)."""
    if isinstance(value, Worker):
        return value.without_personal_facts()
    return value


def check_worker(_instance: object, _attribute: object, value: Worker | None) -> None:
    if value is not None and not isinstance(value, Worker):
        raise InvalidInput(f"Ledger.worker must be a Worker or None, got {value!r}")


MonthSlot = tuple[str, str, "Month | None", str]
"""(scheme, region, month, account): where a worker-month's contribution lines sit."""


def month_slot(entry: LedgerEntry) -> MonthSlot:
    return (entry.scheme, entry.region, entry.month, entry.account)


class SharedIndex:
    """Where each entry id sits and which contribution ids each worker-month holds, shared by a
    line of ledger versions.

    Ledgers are immutable, but a new version almost always extends the newest one. Rather than
    copy the index at every step (quadratic over a career posted month by month), each version
    reads the shared index up to its own length, and a version that extends the newest one
    appends to it in place: amortised O(1) per entry. A version that extends an older one
    (a branch) starts an index of its own, copying once.
    """

    __slots__ = ("ids", "lock", "months", "size")

    def __init__(self, entries: tuple[LedgerEntry, ...]) -> None:
        self.ids: dict[str, int] = {}
        self.months: dict[MonthSlot, list[tuple[int, str]]] = {}
        self.size = 0
        self.lock = threading.Lock()
        self._add(entries)

    def _add(self, entries: Iterable[LedgerEntry]) -> None:
        for entry in entries:
            self.ids[entry.id] = self.size
            if entry.kind is EntryKind.CONTRIBUTION:
                self.months.setdefault(month_slot(entry), []).append((self.size, entry.id))
            self.size += 1

    def __getstate__(self) -> tuple[object, ...]:
        return (self.ids, self.months, self.size)  # a lock does not pickle: a new one is made

    def __setstate__(self, state: tuple[object, ...]) -> None:
        ids, months, size = state
        self.ids, self.months, self.size = ids, months, size  # type: ignore[assignment]
        self.lock = threading.Lock()

    def extended(
        self, entries: tuple[LedgerEntry, ...], added: tuple[LedgerEntry, ...]
    ) -> SharedIndex:
        """The index of ``entries + added``: this one, extended in place when ``entries`` is
        the newest version it indexes, else a new one."""
        with self.lock:
            if self.size == len(entries):
                self._add(added)
                return self
        return SharedIndex(entries + added)
