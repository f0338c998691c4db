"""Ledger entries: what one event did to a worker's scheme account, as an immutable value.

A :class:`LedgerEntry` records one contribution line, interest, a transfer out or in, or an
adjustment (an opening balance, a correction, a decision recorded as a marker): the amount
per fund, the months it adds, the base it was paid on. :class:`LedgerBasis` names one version
of a ledger; an entry computed from a version carries it, so it can be applied only there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from flexsecure.values.checks import (
    check_date,
    check_identifier,
    check_region_code,
    plain_name,
    to_enum,
)
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "ENTRY_FIELDS",
    "REGULAR_ACCOUNT",
    "EntryKind",
    "LedgerBasis",
    "LedgerEntry",
    "bind_entries",
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
    DUE = "due"
    """One line of a statement posted as owed, not yet paid (:attr:`Ledger.dues
    <flexsecure.calculations.accounts.Ledger.dues>`): its funds are what the line asks for,
    not money on the account.
    A payment turns (part of) it into a ``contribution`` entry booked on the day it was paid."""


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


def _check_basis(_instance: object, _attribute: object, value: LedgerBasis | None) -> None:
    if value is not None and not isinstance(value, LedgerBasis):
        raise InvalidInput(f"LedgerEntry.basis must be a LedgerBasis or None, got {value!r}")


def _check_marker(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and (not isinstance(value, str) or not value.isidentifier()):
        raise InvalidInput(f"LedgerEntry.marker must be an identifier or None, got {value!r}")


def _check_rate(_instance: object, _attribute: object, value: Decimal | None) -> None:
    if value is not None and (not isinstance(value, Decimal) or not value.is_finite()):
        raise InvalidInput(f"LedgerEntry.rate must be a finite Decimal or None, got {value!r}")


@attrs.frozen
class LedgerBasis:
    """One version of a ledger: how many entries it had and a digest of their ids, in order.

    A transfer quote is computed from one version; :meth:`Ledger.apply` refuses its entries
    (an :class:`EntryBatch`) on any other version, so a stale quote cannot move stale amounts.
    """

    entries: int
    digest: str


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
    basis: LedgerBasis | None = attrs.field(
        default=None, kw_only=True, eq=False, validator=_check_basis
    )
    """The version of the ledger this entry was computed from (a transfer's entries), or
    ``None``. Not part of the entry's content: :meth:`Ledger.apply` adds an entry with a basis
    only to that version of the ledger, so a stale quote cannot be applied whatever container
    carries its entries."""
    marker: str | None = attrs.field(default=None, kw_only=True, validator=_check_marker)
    """For an ``adjustment`` without money or months that records a decision (an account
    opened or sealed, a duplicate month cleared), what it records, in the jurisdiction's
    vocabulary (a str enum there); ``None`` for every other entry. Rules read this, never
    the id."""

    def __attrs_post_init__(self) -> None:
        if self.kind is EntryKind.DUE and (self.month is None or self.months):
            raise InvalidInput(
                f"LedgerEntry {self.id!r}: a due line needs its month and adds no months (its "
                f"payment does), got month={self.month!r}, months={self.months}"
            )
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


ENTRY_FIELDS = tuple(field.name for field in attrs.fields(LedgerEntry))


def unchecked_entry(**values: Any) -> LedgerEntry:
    """Build an entry from values already known to be valid, skipping the field checks (for
    rule code that derives every value from checked statements or entries; anything else
    builds a :class:`LedgerEntry`). Optional fields left out take their defaults."""
    entry = object.__new__(LedgerEntry)
    for name in ENTRY_FIELDS:
        object.__setattr__(entry, name, values[name] if name in values else _DEFAULTS[name])
    return entry


_DEFAULTS = {
    field.name: field.default
    for field in attrs.fields(LedgerEntry)
    if field.default is not attrs.NOTHING
}


def bind_entries(entries: Iterable[LedgerEntry], basis: LedgerBasis) -> tuple[LedgerEntry, ...]:
    """``entries`` bound to the ledger version ``basis`` they were computed from (see
    :attr:`LedgerEntry.basis`); rule code calls it on every batch it derives from a ledger."""
    if not isinstance(basis, LedgerBasis):
        raise InvalidInput(f"basis must be a LedgerBasis, got {basis!r}")
    bound = []
    for entry in entries:
        if entry.basis == basis:
            bound.append(entry)
            continue
        copy = object.__new__(LedgerEntry)
        for name in ENTRY_FIELDS:
            object.__setattr__(copy, name, getattr(entry, name))
        object.__setattr__(copy, "basis", basis)
        bound.append(copy)
    return tuple(bound)
