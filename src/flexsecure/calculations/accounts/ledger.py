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
import threading
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

import attrs

from flexsecure.calculations.statements import ContributionStatement, check_line
from flexsecure.facts.workers import Worker
from flexsecure.values.checks import (
    check_date,
    check_identifier,
    check_region_code,
    plain_name,
    require_date,
    to_enum,
)
from flexsecure.values.errors import InvalidInput, LedgerConflict, TransferError
from flexsecure.values.money import Money, minor_unit
from flexsecure.values.periods import Month

__all__ = [
    "REGULAR_ACCOUNT",
    "ContributionMonth",
    "EntryBatch",
    "EntryKind",
    "Ledger",
    "LedgerBasis",
    "LedgerEntry",
    "contribution_entries",
    "contribution_entry_id",
    "unchecked_entry",
]

REGULAR_ACCOUNT = "regular"
"""The account every entry belongs to unless it says otherwise. A jurisdiction may keep others
beside it (China's temporary contribution account of 国办发〔2009〕66号)."""


class EntryKind(StrEnum):
    """What a ledger entry records."""

    CONTRIBUTION = "contribution"
    """One line of a monthly contribution statement."""
    INTEREST = "interest"
    """Interest credited to the individual account for a year (《社会保险法》 Art. 14)."""
    TRANSFER_OUT = "transfer_out"
    """Money and months leaving a region's account when the relation moves (66号 Art. 4)."""
    TRANSFER_IN = "transfer_in"
    """Money and months arriving in a region's account when the relation moves."""
    ADJUSTMENT = "adjustment"
    """Anything else: an opening balance, a correction, a refund of a duplicate month."""


# -- validation helpers ------------------------------------------------------------------


def _to_kind(value: object) -> EntryKind:
    return to_enum(EntryKind, value, "LedgerEntry.kind")


def _to_name(value: object) -> object:
    return plain_name(value)


def _to_funds(value: object) -> tuple[tuple[str, Money], ...]:
    """Funds as a tuple of (fund name, amount), sorted by name: one canonical form."""
    items: Any = value.items() if isinstance(value, Mapping) else value
    try:
        pairs = [(plain_name(name), amount) for name, amount in items]
    except (TypeError, ValueError):
        raise InvalidInput(
            "LedgerEntry.funds must map fund names to Money, e.g. "
            f"{{'individual_account': Money('596.80', 'CNY')}}, got {value!r}"
        ) from None
    seen: set[str] = set()
    currency: str | None = None
    for name, amount in pairs:
        if not isinstance(name, str) or not name:
            raise InvalidInput(f"LedgerEntry.funds names must be non-empty strings, got {name!r}")
        if name in seen:
            raise InvalidInput(f"LedgerEntry.funds names fund {name!r} twice")
        seen.add(name)
        if not isinstance(amount, Money):
            raise InvalidInput(f"LedgerEntry.funds[{name!r}] must be Money, got {amount!r}")
        if not amount.is_whole():
            raise InvalidInput(
                f"LedgerEntry.funds[{name!r}] must be a whole number of minor units (fen), "
                f"got {amount!r}; quantize it first"
            )
        if currency is not None and amount.currency != currency:
            raise InvalidInput(
                f"LedgerEntry.funds must all be in one currency, got {currency} and "
                f"{amount.currency} ({name!r})"
            )
        currency = amount.currency
    return tuple(sorted(((str(n), a) for n, a in pairs), key=lambda pair: pair[0]))


def _check_optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be a non-empty string or None, "
            f"got {value!r}"
        )


def _check_month(_instance: object, _attribute: object, value: Month | None) -> None:
    if value is not None and not isinstance(value, Month):
        raise InvalidInput(f"LedgerEntry.month must be a Month or None, got {value!r}")


def _check_base(_instance: object, _attribute: object, value: Money | None) -> None:
    if value is not None and (not isinstance(value, Money) or value.is_negative):
        raise InvalidInput(f"LedgerEntry.base must be Money >= 0 or None, got {value!r}")


def _check_months(_instance: object, _attribute: object, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"LedgerEntry.months must be an int, got {value!r}")


def _check_marker(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value.isidentifier()):
        raise InvalidInput(f"LedgerEntry.marker must be an identifier or None, got {value!r}")


def _check_rate(_instance: object, _attribute: object, value: Decimal | None) -> None:
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
        raise InvalidInput(f"LedgerEntry.rate must be a finite Decimal or None, got {value!r}")


@attrs.frozen
class LedgerEntry:
    """One event on a worker's scheme account: what moved into or out of which fund.

    ``funds`` holds the amount per fund (``individual_account``, ``pooled``; negative when
    money leaves, as on a transfer out). ``months`` is how many contributed months the entry
    adds: 1 on the first line of a month's contribution to a scheme in a region, 0 on the
    other payers' lines of that month, a carried count on a transfer in and its negative on a
    transfer out. ``base`` is the monthly contribution base, kept for the contribution index
    of the pension formula and the 12 % pooled-fund transfer of 66号 Art. 4.
    """

    id: str = attrs.field(validator=check_identifier)
    kind: EntryKind = attrs.field(converter=_to_kind)
    worker_id: str = attrs.field(validator=check_identifier)
    scheme: str = attrs.field(converter=_to_name, validator=check_identifier)
    region: str = attrs.field(validator=check_region_code)
    month: Month | None = attrs.field(validator=_check_month)
    """The contribution month; ``None`` for entries that are not about one month."""
    booked_on: dt.date = attrs.field(validator=check_date)
    """The day the entry takes effect; balances "as of" a date count entries booked by then."""
    funds: tuple[tuple[str, Money], ...] = attrs.field(converter=_to_funds)
    base: Money | None = attrs.field(default=None, validator=_check_base)
    months: int = attrs.field(default=0, validator=_check_months)
    reference: str | None = attrs.field(default=None, validator=_check_optional_text)
    """What the entry stems from (a transfer quote, a parameter, an agency's document)."""
    note: str | None = attrs.field(default=None, validator=_check_optional_text)
    account: str = attrs.field(default=REGULAR_ACCOUNT, kw_only=True, validator=check_identifier)
    """``regular``, or another account a jurisdiction keeps beside it (e.g. China's
    ``temporary`` contribution account)."""
    payer: str | None = attrs.field(
        default=None, kw_only=True, converter=_to_name, validator=_check_optional_text
    )
    platform_id: str | None = attrs.field(
        default=None, kw_only=True, validator=_check_optional_text
    )
    rate: Decimal | None = attrs.field(default=None, kw_only=True, validator=_check_rate)
    """The contribution rate of the line, or the crediting rate of an interest entry."""
    marker: str | None = attrs.field(default=None, kw_only=True, validator=_check_marker)
    """For an ``adjustment`` without money or months that records a decision (an account
    opened or sealed, a duplicate month cleared), what it records, in the jurisdiction's
    vocabulary (a str enum there); ``None`` for every other entry. Rules read this, never
    the id."""

    def __attrs_post_init__(self) -> None:
        if self.kind is EntryKind.CONTRIBUTION:
            if self.month is None:
                raise InvalidInput(f"LedgerEntry {self.id!r}: a contribution needs its month")
            if self.months not in (0, 1):
                raise InvalidInput(
                    f"LedgerEntry {self.id!r}: a contribution adds 0 or 1 month, "
                    f"got months={self.months}"
                )
            if self.months and self.base is None:
                raise InvalidInput(
                    f"LedgerEntry {self.id!r}: a contribution that counts a month needs its base"
                )
        elif self.kind is EntryKind.INTEREST and self.months:
            raise InvalidInput(
                f"LedgerEntry {self.id!r}: interest adds no months, got months={self.months}"
            )
        if self.marker is not None and (
            self.kind is not EntryKind.ADJUSTMENT or self.funds or self.months
        ):
            raise InvalidInput(
                f"LedgerEntry {self.id!r}: a marker ({self.marker!r}) is an adjustment without "
                "money or months"
            )

    def fund(self, name: str) -> Money | None:
        """The amount for fund ``name``, or ``None`` when the entry does not touch it."""
        for fund, amount in self.funds:
            if fund == name:
                return amount
        return None

    @property
    def amount(self) -> Money | None:
        """The sum over all funds (``None`` for an entry with no money, e.g. months only)."""
        if not self.funds:
            return None
        total = Decimal(0)
        for _, amount in self.funds:
            total += amount.amount
        return Money.unchecked(total, self.funds[0][1].currency)


_FIELDS = tuple(field.name for field in attrs.fields(LedgerEntry))


def unchecked_entry(**values: Any) -> LedgerEntry:
    """Build an entry from values already known to be valid, skipping the field checks (for
    rule code that derives every value from checked statements or entries; anything else
    builds a :class:`LedgerEntry`). Optional fields left out take their defaults."""
    entry = object.__new__(LedgerEntry)
    for name in _FIELDS:
        object.__setattr__(entry, name, values[name] if name in values else _DEFAULTS[name])
    return entry


_DEFAULTS = {
    field.name: field.default
    for field in attrs.fields(LedgerEntry)
    if field.default is not attrs.NOTHING
}


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
    routes = _check_accounts(accounts)
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


def _check_accounts(accounts: object) -> dict[tuple[str, str], str]:
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


# -- the ledger ----------------------------------------------------------------------------


class ContributionMonth(NamedTuple):
    """A month contributed to a scheme in a region, with its contribution base."""

    month: Month
    region: str
    base: Money


def _to_entries(value: Iterable[LedgerEntry]) -> tuple[LedgerEntry, ...]:
    if isinstance(value, LedgerEntry):
        return (value,)
    try:
        return tuple(value)
    except TypeError:
        raise InvalidInput(
            f"Ledger.entries must be an iterable of LedgerEntry, got {value!r}"
        ) from None


def _check_currency(_instance: object, _attribute: object, value: str | None) -> None:
    if value is None:
        return  # fixed by the first entry posted or applied
    if not isinstance(value, str):
        raise InvalidInput(f"Ledger.currency must be an ISO 4217 code, got {value!r}")
    minor_unit(value)


def _conflict(existing: LedgerEntry, entry: LedgerEntry) -> LedgerConflict:
    for name in _FIELDS:
        old, new = getattr(existing, name), getattr(entry, name)
        if old != new:
            return LedgerConflict(
                f"entry {entry.id!r} is already in the ledger with {name}={old!r}; the new "
                f"entry has {name}={new!r}. Entries are append-only: book a correction as an "
                "adjustment entry with an id of its own"
            )
    raise AssertionError("entries differ in no field")  # pragma: no cover


def _accept(
    worker_id: str,
    currency: str | None,
    lookup: Callable[[str], LedgerEntry | None],
    entries: Iterable[LedgerEntry],
) -> tuple[dict[str, LedgerEntry], str | None]:
    """The entries not yet in ``index``, by id, after checking all of them, and the ledger's
    currency (the first entry's, when the ledger had none yet); raises on the first problem so
    that nothing of a bad batch is kept."""
    added: dict[str, LedgerEntry] = {}
    for position, entry in enumerate(entries):
        if not isinstance(entry, LedgerEntry):
            raise InvalidInput(f"entries[{position}] must be a LedgerEntry, got {entry!r}")
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
            added[entry.id] = entry
        elif existing != entry:
            raise _conflict(existing, entry)
    return added, currency


def _to_worker(value: Worker | None) -> Worker | None:
    """The worker's facts the rules need, without personal facts (an identity number)."""
    if isinstance(value, Worker):
        return value.without_personal_facts()
    return value


def _check_worker(_instance: object, _attribute: object, value: Worker | None) -> None:
    if value is not None and not isinstance(value, Worker):
        raise InvalidInput(f"Ledger.worker must be a Worker or None, got {value!r}")


_MonthSlot = tuple[str, str, "Month | None", str]
"""(scheme, region, month, account): where a worker-month's contribution lines sit."""


def _month_slot(entry: LedgerEntry) -> _MonthSlot:
    return (entry.scheme, entry.region, entry.month, entry.account)


class _SharedIndex:
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
        self.months: dict[_MonthSlot, list[tuple[int, str]]] = {}
        self.size = 0
        self.lock = threading.Lock()
        self._add(entries)

    def _add(self, entries: Iterable[LedgerEntry]) -> None:
        for entry in entries:
            self.ids[entry.id] = self.size
            if entry.kind is EntryKind.CONTRIBUTION:
                self.months.setdefault(_month_slot(entry), []).append((self.size, entry.id))
            self.size += 1

    def __getstate__(self) -> tuple[object, ...]:
        return (self.ids, self.months, self.size)  # a lock does not pickle: a new one is made

    def __setstate__(self, state: tuple[object, ...]) -> None:
        ids, months, size = state
        self.ids, self.months, self.size = ids, months, size  # type: ignore[assignment]
        self.lock = threading.Lock()

    def extended(
        self, entries: tuple[LedgerEntry, ...], added: tuple[LedgerEntry, ...]
    ) -> _SharedIndex:
        """The index of ``entries + added``: this one, extended in place when ``entries`` is
        the newest version it indexes, else a new one."""
        with self.lock:
            if self.size == len(entries):
                self._add(added)
                return self
        return _SharedIndex(entries + added)


@attrs.frozen
class LedgerBasis:
    """One version of a ledger: how many entries it had and a digest of their ids, in order.

    A transfer quote is computed from one version; :meth:`Ledger.apply` refuses its entries
    (an :class:`EntryBatch`) on any other version, so a stale quote cannot move stale amounts.
    """

    entries: int
    digest: str


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
    entries: tuple[LedgerEntry, ...] = attrs.field(default=(), converter=_to_entries)
    currency: str | None = attrs.field(default=None, kw_only=True, validator=_check_currency)
    """ISO 4217 code of every amount on the ledger; ``None`` until the first entry fixes it."""
    worker: Worker | None = attrs.field(
        default=None, kw_only=True, converter=_to_worker, validator=_check_worker
    )
    _shared: _SharedIndex = attrs.field(
        init=False, eq=False, hash=False, repr=False, factory=lambda: _SharedIndex(())
    )

    def __attrs_post_init__(self) -> None:
        if self.worker is not None and self.worker.id != self.worker_id:
            raise InvalidInput(
                f"Ledger.worker is worker {self.worker.id!r}, not the ledger's worker "
                f"{self.worker_id!r}"
            )
        index, currency = _accept(self.worker_id, self.currency, lambda _: None, self.entries)
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "entries", tuple(index.values()))
        object.__setattr__(self, "_shared", _SharedIndex(self.entries))

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
        added, currency = _accept(self.worker_id, self.currency, self.get, _to_entries(entries))
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
                check_line(line, currency, f"statements[{position}].lines[{index}]")
            entries.extend(contribution_entries(statement, booked_on=booked_on, accounts=accounts))
        self._check_same_months(entries)
        return self.apply(entries)

    def _check_same_months(self, entries: list[LedgerEntry]) -> None:
        """A worker-month posted again must be the same statement, line for line: a changed
        statement (a platform more or less) is a conflict, never a silent merge."""

        new: dict[_MonthSlot, set[str]] = {}
        for entry in entries:
            new.setdefault(_month_slot(entry), set()).add(entry.id)
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
        ``account=None`` all accounts.
        """
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
