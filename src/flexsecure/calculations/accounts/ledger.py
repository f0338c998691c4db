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
from decimal import Decimal
from typing import Any

import attrs

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
from flexsecure.calculations.statements import ContributionStatement, check_line
from flexsecure.facts.vocabulary import Fund, Scheme
from flexsecure.facts.workers import Worker
from flexsecure.values.checks import (
    check_identifier,
    plain_name,
)
from flexsecure.values.errors import InvalidInput, LedgerConflict, TransferError
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

_SCHEMES = frozenset(member.value for member in Scheme)
_FUNDS = frozenset(member.value for member in Fund)

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
class Ledger:
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
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "entries", tuple(index.values()))
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
        return (
            f"Ledger(worker_id={self.worker_id!r}, currency={self.currency!r}, "
            f"entries={len(self.entries)})"
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
        object.__setattr__(ledger, "_shared", self._shared.extended(self.entries, new))
        return ledger

    def post(
        self,
        *statements: ContributionStatement,
        booked_on: dt.date | None = None,
        accounts: Mapping[tuple[str, str], str] | None = None,
    ) -> Ledger:
        """A new ledger with every line of ``statements`` as a contribution entry.

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
        self._check_same_months(entries)
        return self.apply(entries)

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

    # -- derived --------------------------------------------------------------------------
    def balance(
        self,
        scheme: str,
        fund: str,
        *,
        region: str | None = None,
        on: dt.date | None = None,
        account: str | None = None,
    ) -> Money:
        """The sum of ``fund`` over the entries of ``scheme`` booked on or before ``on``.

        For ``individual_account`` this is the account balance with the interest credited so
        far; for ``pooled`` it is a record of what was paid into the pooled fund, which buys
        years of service, not a balance of the worker's. ``region=None`` sums all regions,
        ``account=None`` all accounts. A scheme or fund that is neither a common name
        (:class:`~flexsecure.Scheme`, :class:`~flexsecure.Fund`) nor on any entry is a
        misspelling and raises :class:`~flexsecure.values.errors.InvalidInput` (not a zero).
        """
        self._check_names(scheme, fund)
        total = Decimal(0)
        for entry in self.entries:
            if (
                entry.scheme != scheme
                or (region is not None and entry.region != region)
                or (on is not None and entry.booked_on > on)
                or (account is not None and entry.account != account)
            ):
                continue
            for name, amount in entry.funds:
                if name == fund:
                    total += amount.amount
        return Money.unchecked(total, self.money_currency)

    def _check_names(self, scheme: object, fund: object) -> None:
        scheme, fund = plain_name(scheme), plain_name(fund)
        if not isinstance(scheme, str) or not isinstance(fund, str):
            raise InvalidInput(f"scheme and fund must be names, got {scheme!r} and {fund!r}")
        if scheme not in _SCHEMES and all(entry.scheme != scheme for entry in self.entries):
            known = sorted(_SCHEMES | {entry.scheme for entry in self.entries})
            raise InvalidInput(f"no scheme {scheme!r} on this ledger; known: {', '.join(known)}")
        if fund not in _FUNDS and all(entry.fund(fund) is None for entry in self.entries):
            known = sorted(_FUNDS | {name for entry in self.entries for name, _ in entry.funds})
            raise InvalidInput(f"no fund {fund!r} on this ledger; known: {', '.join(known)}")

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

    @property
    def money_currency(self) -> str:
        """The ledger's currency, for amounts derived from it; an empty ledger with no currency
        given has none yet and raises :class:`~flexsecure.values.errors.InvalidInput`."""
        if self.currency is None:
            raise InvalidInput(
                f"the ledger of {self.worker_id!r} has no currency yet: nothing is posted; give "
                "currency= to Ledger.for_worker (the jurisdiction's, e.g. cn.currency)"
            )
        return self.currency

    def contributed_months(
        self, scheme: str, *, region: str | None = None, on: dt.date | None = None
    ) -> int:
        """Contributed months of ``scheme`` booked on or before ``on``.

        Distinct calendar months of contribution, plus the months carried by transfer and
        adjustment entries. A month paid in two regions counts once here when ``region`` is
        ``None`` and once in each region when asked per region, so a duplicate month shows
        as ``sum over regions > total``.
        """
        months: set[Month | None] = set()
        carried = 0
        for entry in self.entries:
            if (
                entry.scheme != scheme
                or (region is not None and entry.region != region)
                or (on is not None and entry.booked_on > on)
            ):
                continue
            if entry.kind is EntryKind.CONTRIBUTION:
                if entry.months:
                    months.add(entry.month)
            else:
                carried += entry.months
        return len(months) + carried

    def contribution_months(
        self, scheme: str, region: str | None = None, *, on: dt.date | None = None
    ) -> tuple[ContributionMonth, ...]:
        """Each (month, region) contributed to ``scheme``, with its base, sorted.

        The history as paid: months later carried to another region by a transfer still show
        under the region that collected them. A month paid in two regions appears twice.
        """
        chosen: dict[tuple[Month, str], LedgerEntry] = {}
        for entry in self.entries:
            if (
                entry.kind is not EntryKind.CONTRIBUTION
                or not entry.months
                or entry.scheme != scheme
                or (region is not None and entry.region != region)
                or (on is not None and entry.booked_on > on)
            ):
                continue
            assert entry.month is not None
            key = (entry.month, entry.region)
            earlier = chosen.get(key)
            if earlier is None or entry.id < earlier.id:
                chosen[key] = entry
        result = []
        for (month, where), entry in sorted(chosen.items(), key=lambda item: item[0]):
            assert entry.base is not None
            result.append(ContributionMonth(month, where, entry.base))
        return tuple(result)

    def regions(self, scheme: str, *, on: dt.date | None = None) -> tuple[str, ...]:
        """The regions with entries of ``scheme`` booked on or before ``on``, sorted."""
        return tuple(
            sorted(
                {
                    entry.region
                    for entry in self.entries
                    if entry.scheme == scheme and (on is None or entry.booked_on <= on)
                }
            )
        )
