"""The ledger: append-only entries of one worker's scheme accounts; balances are derived.

The basic pension joins a pooled fund with an individual account (《社会保险法》 Art. 11; a
flexible employee's contribution is split between the two, Art. 12 ¶3). The individual account
is the worker's own: it may not be drawn early, it earns interest at no less than the bank
time-deposit rate and it is inherited (Art. 14). The relation follows the person from region
to region and contribution years add up (Art. 19; 国办发〔2009〕66号 Art. 4 moves the whole
account balance and 12 % of the contribution bases into the pooled fund of the new place).

A :class:`Ledger` keeps what happened to one worker's accounts as :class:`LedgerEntry`
values — contributions (one entry per statement line), interest, transfers out and in, and
adjustments — and answers every question by summing them: the individual-account balance, what
was paid into the pooled fund, the contributed months, as of any date. Nothing derived is
stored, so a balance can never disagree with its entries.

Entries are never changed or removed. Every entry has a deterministic id (see
:func:`contribution_entry_id`), so applying an entry that is already there is a no-op, and an
entry with the same id but different content is a :class:`~flexsecure.values.errors.LedgerConflict`.
A correction is a new ``adjustment`` entry with an id of its own::

    >>> import datetime as dt
    >>> from flexsecure import Money
    >>> opening = LedgerEntry(
    ...     id="adjustment/w-001/opening", kind=EntryKind.ADJUSTMENT, worker_id="w-001",
    ...     scheme="pension", region="CN-SH", month=None, booked_on=dt.date(2024, 12, 31),
    ...     funds={"individual_account": Money("1000.00", "CNY")}, months=12)
    >>> ledger = Ledger(worker_id="w-001", currency="CNY").apply([opening])
    >>> ledger.balance("pension", "individual_account"), ledger.contributed_months("pension")
    (Money('1000.00', 'CNY'), 12)
    >>> ledger.apply([opening]) == ledger
    True
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from flexsecure.calculations.accounts.dues import as_due, payment_entries
from flexsecure.calculations.accounts.entries import (
    REGULAR_ACCOUNT,
    EntryKind,
    LedgerBasis,
    LedgerEntry,
    bind_entries,
    unchecked_entry,
)
from flexsecure.calculations.accounts.index import (
    ContributionMonth,
    MonthSlot,
    SharedIndex,
    accept_entries,
    check_currency,
    check_worker,
    month_slot,
    to_entries,
    to_worker,
)
from flexsecure.calculations.accounts.postings import (
    contribution_entries,
    contribution_entry_id,
)
from flexsecure.calculations.accounts.queries import LedgerQueries
from flexsecure.calculations.schedules.payments import Reconciliation
from flexsecure.calculations.statements import ContributionStatement, check_line
from flexsecure.facts.workers import Worker
from flexsecure.values.checks import check_identifier
from flexsecure.values.errors import InvalidInput, LedgerConflict, TransferError

__all__ = [
    "REGULAR_ACCOUNT",
    "ContributionMonth",
    "EntryBatch",
    "EntryKind",
    "Ledger",
    "LedgerBasis",
    "LedgerEntry",
    "bind_entries",
    "contribution_entries",
    "contribution_entry_id",
    "unchecked_entry",
]


class EntryBatch(tuple[LedgerEntry, ...]):
    """Entries computed from one version of a ledger (``basis``), e.g. a transfer's execution.

    A tuple of entries like any other, carrying the :class:`LedgerBasis` it was computed from
    and what it is (``purpose``, used in messages). :meth:`Ledger.apply` applies it only to
    that version of the ledger, or to a ledger that already holds every entry of it (a no-op).
    """

    basis: LedgerBasis
    purpose: str

    def __new__(
        cls, entries: Iterable[LedgerEntry], *, basis: LedgerBasis, purpose: str
    ) -> EntryBatch:
        batch = super().__new__(cls, entries)
        batch.basis = basis
        batch.purpose = purpose
        return batch

    def __reduce__(self) -> tuple[Any, ...]:
        return (_batch, (tuple(self), self.basis, self.purpose))


def _batch(entries: tuple[LedgerEntry, ...], basis: LedgerBasis, purpose: str) -> EntryBatch:
    """Rebuild an :class:`EntryBatch` (for copy and pickle)."""
    return EntryBatch(entries, basis=basis, purpose=purpose)


@attrs.frozen(repr=False)
class Ledger(LedgerQueries):
    """The append-only entries of one worker's accounts, and the balances derived from them.

    Build one with :meth:`for_worker` (or ``Ledger(worker_id=...)``), then :meth:`post`
    statements and :meth:`apply` other entries; each returns a new ledger and leaves this one
    as it was. Queries filter by scheme, region and date and sum the entries: O(entries).

    ``worker`` (set by :meth:`for_worker`) keeps the worker's facts that rules about the
    ledger need — birth date, sex, the facts the jurisdiction registered — so that, e.g., a
    transfer can be quoted from the ledger alone. Personal facts (identity numbers) are never
    kept.
    """

    worker_id: str = attrs.field(validator=check_identifier)
    entries: tuple[LedgerEntry, ...] = attrs.field(default=(), converter=to_entries)
    currency: str | None = attrs.field(default=None, kw_only=True, validator=check_currency)
    """ISO 4217 code of every amount on the ledger; ``None`` until the first entry fixes it."""
    worker: Worker | None = attrs.field(
        default=None, kw_only=True, converter=to_worker, validator=check_worker
    )
    dues: tuple[LedgerEntry, ...] = attrs.field(default=(), kw_only=True, converter=to_entries)
    """Statement lines posted as owed (``post(..., paid=False)``), kind ``due``, in the order
    posted: not money on the account until :meth:`pay` books what was paid against them."""
    _shared: SharedIndex = attrs.field(
        init=False, eq=False, hash=False, repr=False, factory=lambda: SharedIndex(())
    )

    def __attrs_post_init__(self) -> None:
        if self.worker is not None and self.worker.id != self.worker_id:
            raise InvalidInput(
                f"Ledger.worker is worker {self.worker.id!r}, not the ledger's worker "
                f"{self.worker_id!r}"
            )
        # a ledger built whole (a view of some entries of another) is not checked against
        # the versions its entries were computed from; apply() is
        index, currency = accept_entries(
            self.worker_id, self.currency, lambda _: None, self.entries
        )
        dues, currency = accept_entries(
            self.worker_id, currency, lambda _: None, self.dues, dues=True
        )
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "entries", tuple(index.values()))
        object.__setattr__(self, "dues", tuple(dues.values()))
        object.__setattr__(self, "_shared", SharedIndex(self.entries))

    @classmethod
    def for_worker(cls, worker: Worker, *, currency: str | None = None) -> Ledger:
        """An empty ledger for ``worker``, keeping the worker's facts (not personal ones).

        ``currency`` is fixed by the first statement posted (or entry applied) unless given.
        """
        if not isinstance(worker, Worker):
            raise InvalidInput(f"worker must be a Worker, got {worker!r}")
        return cls(worker_id=worker.id, currency=currency, worker=worker)

    def __repr__(self) -> str:
        dues = f", dues={len(self.dues)}" if self.dues else ""
        return (
            f"Ledger(worker_id={self.worker_id!r}, currency={self.currency!r}, "
            f"entries={len(self.entries)}{dues})"
        )

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> LedgerEntry | None:
        """The entry with ``entry_id``, or ``None``."""
        position = self._shared.ids.get(entry_id)
        if position is None or position >= len(self.entries):
            return None
        return self.entries[position]

    def basis(self) -> LedgerBasis:
        """This version of the ledger: its entry count and a SHA-256 digest of the entry ids.

        Ids identify content (an id cannot be reused with other content), so two ledgers of
        one worker with the same basis hold the same entries in the same order.
        """
        digest = hashlib.sha256()
        for entry in self.entries:
            digest.update(entry.id.encode("utf-8"))
            digest.update(b"\n")
        return LedgerBasis(len(self.entries), digest.hexdigest())

    # -- appending ------------------------------------------------------------------------
    def apply(self, entries: Iterable[LedgerEntry]) -> Ledger:
        """A new ledger with ``entries`` appended: all of them or, on any error, none.

        An entry whose id is already in the ledger (or earlier in the batch) with identical
        content is skipped; with different content it raises
        :class:`~flexsecure.values.errors.LedgerConflict` naming the id and the first field
        that differs. An entry of another worker or currency raises ``InvalidInput``.

        An :class:`EntryBatch` (a transfer's execution) applies only to the version of the
        ledger it was computed from; on any other version it raises
        :class:`~flexsecure.values.errors.TransferError` (a stale quote), unless every entry
        of it is already here, which is a no-op.
        """
        added, currency = accept_entries(
            self.worker_id, self.currency, self.get, to_entries(entries), before=self.entries
        )
        if not added:
            return self
        if isinstance(entries, EntryBatch):
            basis = self.basis()
            if basis != entries.basis:
                raise TransferError(
                    f"{entries.purpose} was computed from this ledger when it had "
                    f"{entries.basis.entries} entries (digest {entries.basis.digest[:12]}…); "
                    f"it now has {basis.entries} (digest {basis.digest[:12]}…): the quote is "
                    "stale, quote again on the current ledger"
                )
        new = tuple(added.values())
        ledger = object.__new__(Ledger)
        object.__setattr__(ledger, "worker_id", self.worker_id)
        object.__setattr__(ledger, "entries", self.entries + new)
        object.__setattr__(ledger, "currency", currency)
        object.__setattr__(ledger, "worker", self.worker)
        object.__setattr__(ledger, "dues", self.dues)
        object.__setattr__(ledger, "_shared", self._shared.extended(self.entries, new))
        return ledger

    def post(
        self,
        *statements: ContributionStatement,
        booked_on: dt.date | None = None,
        accounts: Mapping[tuple[str, str], str] | None = None,
        paid: bool = True,
    ) -> Ledger:
        """A new ledger with every line of ``statements`` as a contribution entry.

        ``paid=True`` (the default) posts statements already paid: each line is money on the
        account and its month counts at once. ``paid=False`` posts what is *due*: each line
        goes to :attr:`dues` and counts for nothing — no balance, no month, no interest, no
        transfer — until :meth:`pay` books the payments made against it.

        Only lines the engine computed or verified against a jurisdiction's rules are posted
        (:attr:`ContributionLine.derived
        <flexsecure.calculations.statements.ContributionLine.derived>`): a statement read
        from a record goes through :meth:`Jurisdiction.verify_statement
        <flexsecure.Jurisdiction.verify_statement>` first, so an amount, base, rate or region
        the rules do not give can never reach a ledger.

        Entries book on the last day of their statement's month, or on ``booked_on`` for all
        of them when given. ``accounts`` sends the lines of a (scheme, region) to another
        account than the regular one, e.g. ``{("pension", "CN-GD"): "temporary"}`` for a
        temporary contribution account (see
        :func:`flexsecure.jurisdictions.cn.transfers.temporary_accounts`). Pass a whole career's
        statements in one call to append them in one step (one copy of the entries instead of
        one per month). Posting a statement again is a no-op; posting a different statement for
        a worker-month already posted raises :class:`~flexsecure.values.errors.LedgerConflict`.
        """
        entries: list[LedgerEntry] = []
        currency = self.currency
        for position, statement in enumerate(statements):
            if not isinstance(statement, ContributionStatement):
                raise InvalidInput(
                    f"statements[{position}] must be a ContributionStatement, got {statement!r}"
                )
            if statement.worker_id != self.worker_id:
                raise InvalidInput(
                    f"statement for {statement.month} belongs to worker {statement.worker_id!r}, "
                    f"not to this ledger's worker {self.worker_id!r}"
                )
            currency = currency or statement.currency
            if statement.currency != currency:
                raise InvalidInput(
                    f"statement for {statement.month} is in {statement.currency}, the ledger "
                    f"in {currency}"
                )
            for index, line in enumerate(statement.lines):
                where = f"statements[{position}].lines[{index}]"
                check_line(line, currency, where)
                if not line.derived:
                    raise InvalidInput(
                        f"{where} was neither computed by a jurisdiction nor verified against "
                        "one; verify the statement first: jurisdiction.verify_statement(statement)"
                    )
            entries.extend(contribution_entries(statement, booked_on=booked_on, accounts=accounts))
        if not isinstance(paid, bool):
            raise InvalidInput(f"paid must be True or False, got {paid!r}")
        if paid:
            self._check_same_months(entries)
            self._check_not_due(entries)
            return self.apply(entries)
        return self._post_due([as_due(entry) for entry in entries])

    def _check_not_due(self, entries: list[LedgerEntry]) -> None:
        """A worker-month posted as due is settled by payments, never by posting it paid."""
        due_slots = {month_slot(due) for due in self.dues}
        for entry in entries:
            if month_slot(entry) in due_slots:
                raise LedgerConflict(
                    f"{entry.scheme} in {entry.region} for {entry.month} is posted as due; "
                    "record its payment with Ledger.pay instead of posting it as paid"
                )

    def _post_due(self, dues: list[LedgerEntry]) -> Ledger:
        known = {due.id: due for due in self.dues}
        slots: dict[MonthSlot, set[str]] = {}
        for due in self.dues:
            slots.setdefault(month_slot(due), set()).add(due.id)
        new: dict[MonthSlot, set[str]] = {}
        for due in dues:
            new.setdefault(month_slot(due), set()).add(due.id)
        size = len(self.entries)
        for slot, ids in new.items():
            earlier = slots.get(slot)
            if earlier and earlier != ids:
                scheme, region, month, _ = slot
                raise LedgerConflict(
                    f"{scheme} in {region} for {month} is already due with other lines "
                    f"({', '.join(sorted(earlier ^ ids))} differ)"
                )
            if any(position < size for position, _ in self._shared.months.get(slot, ())):
                scheme, region, month, _ = slot
                raise LedgerConflict(
                    f"{scheme} in {region} for {month} is already posted as paid; it cannot "
                    "be due again"
                )
        added, currency = accept_entries(self.worker_id, self.currency, known.get, dues, dues=True)
        if not added:
            return self
        return attrs.evolve(self, currency=currency, dues=self.dues + tuple(added.values()))

    def pay(self, reconciliation: Reconciliation) -> Ledger:
        """A new ledger with what ``reconciliation``'s payments paid on :attr:`dues`.

        Each payment applied to an installment becomes ``contribution`` entries booked on the
        day it was paid, under its reference: balances, interest and transfers count the money
        from that day, and a month counts once the pack's ``partial_month`` rule says so (see
        :mod:`flexsecure.calculations.accounts.dues`). Lapsed installments (the pack allows
        no later payment) and unpaid ones leave their dues unpaid. Paying the same
        reconciliation again is a no-op; all entries or, on any error, none.
        """
        if (
            isinstance(reconciliation, Reconciliation)
            and self.currency is not None
            and reconciliation.currency != self.currency
        ):
            raise InvalidInput(
                f"the reconciliation is in {reconciliation.currency}, the ledger in {self.currency}"
            )
        return self.apply(payment_entries(self.worker_id, self.dues, self.entries, reconciliation))

    def _check_same_months(self, entries: list[LedgerEntry]) -> None:
        """A worker-month posted again must be the same statement, line for line: a changed
        statement (a platform more or less) is a conflict, never a silent merge."""

        new: dict[MonthSlot, set[str]] = {}
        for entry in entries:
            new.setdefault(month_slot(entry), set()).add(entry.id)
        size = len(self.entries)
        for slot, new_ids in new.items():
            ids = {i for position, i in self._shared.months.get(slot, ()) if position < size}
            if ids and ids != new_ids:
                scheme, region, month, _ = slot
                raise LedgerConflict(
                    f"{scheme} in {region} for {month} is already posted with other lines "
                    f"({', '.join(sorted(ids ^ new_ids))} differ); post an adjustment instead"
                )

    def in_currency(self, currency: str) -> Ledger:
        """This ledger with its currency fixed to ``currency``: itself if it is already in it,
        a copy if it had none yet; a ledger in another currency raises
        :class:`~flexsecure.values.errors.InvalidInput`. Rules call it with their
        jurisdiction's currency before they read amounts."""
        if self.currency == currency:
            return self
        if self.currency is not None:
            raise InvalidInput(f"the ledger is in {self.currency}, the rules in {currency}")
        return attrs.evolve(self, currency=currency)
