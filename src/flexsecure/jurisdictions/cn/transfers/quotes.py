"""Transfer quotes: what moving the relation would move, and the entries that move it.

A worker who moves to work in another province takes the pension relation along: the
sending region's agency issues a certificate of contributions and hands over the individual
account and a share of the pooled fund; contribution years add up (国办发〔2009〕66号 Arts. 3–4;
《社会保险法》 Art. 19). A transfer here is two steps:

* :func:`~flexsecure.jurisdictions.cn.transfers.relation.quote_transfer` computes, from the
  ledger as it stands, everything the move involves
  (an :class:`~flexsecure.jurisdictions.cn.transfers.moves.AccountMove`: the individual account
  with interest to the transfer date, the 12 % pooled part, the months, duplicate months) and
  whether the receiving region must keep a **temporary account** instead (66号 Art. 5 (2):
  the receiving region is not the hukou region and the worker is a man of 50 or more or a
  woman of 40 or more on the transfer date — ``transfer.temporary_account_age_months.*``);
* :meth:`TransferQuote.execute` returns the ledger entries that make it happen. Applied with
  :meth:`Ledger.apply <flexsecure.calculations.accounts.Ledger.apply>` they go in all
  together or not at all, applying them again changes nothing, and they apply only to the
  version of the ledger the quote was computed from (a stale quote raises
  :class:`~flexsecure.values.errors.TransferError`).

When the temporary-account rule applies the relation stays where it is; the quote opens a
temporary account in the receiving region (moving into it whatever that region's regular
account already holds) and the region's later contributions are posted to it with
``ledger.post(statement, accounts=temporary_accounts(ledger))``. When the worker moves again or
reaches retirement, :func:`quote_temporary_collection` seals the temporary account and moves
all its principal and interest to the previous place (where the relation is) or to the region
that pays the pension (:func:`~flexsecure.jurisdictions.cn.transfers.places.benefit_region`).

Entry ids derive from the transfer id (``transfer/<transfer id>/out``, ``…/in``,
``…/interest``, ``…/cleared/<region>/<month>``, ``…/temporary-opened``,
``…/temporary-sealed``); complete years of interest use the ordinary interest ids.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from flexsecure.calculations.accounts.ledger import (
    EntryBatch,
    Ledger,
    LedgerBasis,
    LedgerEntry,
    bind_entries,
)
from flexsecure.jurisdictions.cn.transfers.moves import (
    AccountMove,
    DuplicateMonth,
    Used,
    leaves,
    use,
)
from flexsecure.jurisdictions.cn.transfers.places import MIN_YEARS, months_by_region
from flexsecure.jurisdictions.cn.transfers.temporary import TemporaryAccountRule
from flexsecure.jurisdictions.cn.transfers.view import (
    View,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput, TransferError
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.money import Money

__all__ = [
    "TransferKind",
    "TransferQuote",
    "assembled_quote",
    "check_quote_id",
    "prepare_quote",
    "quote_id",
]


class TransferKind(StrEnum):
    """What a transfer quote does."""

    TRANSFER = "transfer"
    """The relation moves to the receiving region (66号 Art. 4)."""
    TEMPORARY_ACCOUNT = "temporary_account"
    """The relation stays; the receiving region opens a temporary account (Art. 5 (2))."""
    TEMPORARY_COLLECTION = "temporary_collection"
    """A temporary account is sealed and collected where the relation is or the pension is
    paid (Art. 5 (2))."""


@attrs.frozen
class TransferQuote:
    """Everything a transfer moves, and the entries that move it (:meth:`execute`)."""

    transfer_id: str
    kind: TransferKind
    jurisdiction: str
    worker_id: str
    scheme: str
    currency: str
    on: dt.date
    from_region: str
    to_region: str
    relation_region: str
    """Where the relation is once the quote is executed."""
    source: tuple[str, str] | None
    """The (region, account) that hands over; ``None`` when nothing moves."""
    destination: tuple[str, str] | None
    """The (region, account) that receives."""
    move: AccountMove | None
    temporary: TemporaryAccountRule | None
    """The temporary-account decision (for ``TRANSFER`` and ``TEMPORARY_ACCOUNT``)."""
    places: tuple[tuple[str, int], ...]
    """Months paid at each place so far, as 66号 Art. 6 will count them at retirement."""
    basis: LedgerBasis
    """The version of the ledger the quote was computed from."""
    entries: tuple[LedgerEntry, ...]
    """The entries that carry it out, each bound to ``basis`` (``bind_entries``)."""
    parameters: tuple[ParameterValue, ...] = attrs.field(repr=False)
    from_record: bool = attrs.field(default=False, kw_only=True, eq=False, repr=False)
    """Read from a record: what a counterparty says, not what the rules give. Such a quote
    does not execute; verify the record against the ledger first
    (:func:`flexsecure.records.verify_transfer`), which gives the quote computed here."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "entries", bind_entries(self.entries, self.basis))

    # -- what moves -------------------------------------------------------------------
    @property
    def individual_account(self) -> Money:
        """What leaves the sending account's individual account (interest included)."""
        return self.move.individual_account if self.move else Money.zero(self.currency)

    @property
    def interest(self) -> Money:
        """Interest credited by the quote before the money leaves."""
        return self.move.interest_total if self.move else Money.zero(self.currency)

    @property
    def pooled(self) -> Money:
        """What the pooled fund hands over."""
        return self.move.pooled if self.move else Money.zero(self.currency)

    @property
    def months(self) -> int:
        """Contributed months carried over."""
        return self.move.months if self.move else 0

    @property
    def duplicates(self) -> tuple[DuplicateMonth, ...]:
        return self.move.duplicates if self.move else ()

    @property
    def requires_temporary_account(self) -> bool:
        return self.kind is TransferKind.TEMPORARY_ACCOUNT

    # -- doing it ---------------------------------------------------------------------
    def execute(self) -> tuple[LedgerEntry, ...]:
        """The entries that carry out the quote, for :meth:`Ledger.apply`.

        An :class:`~flexsecure.calculations.accounts.ledger.EntryBatch` (a tuple) bound to the
        ledger version the quote was computed from: applied to any other version it raises
        :class:`~flexsecure.values.errors.TransferError`; applied again, it changes nothing.
        """
        if self.from_record:
            raise TransferError(
                f"transfer {self.transfer_id!r} was read from a record; verify it against the "
                "ledger with flexsecure.records.verify_transfer(record, ledger) and execute "
                "the quote that gives"
            )
        return EntryBatch(
            self.entries, basis=self.basis, purpose=f"{self.kind.value} {self.transfer_id!r}"
        )

    def explain(self) -> Explanation:
        """What moves and why, citing 66号 Art. 4 (amounts), Art. 5 (temporary account) and
        Art. 6 (the years each place counts toward paying the pension)."""
        values: dict[str, ExplanationValue] = {
            "kind": self.kind.value,
            "worker": self.worker_id,
            "scheme": self.scheme,
            "from_region": self.from_region,
            "to_region": self.to_region,
            "on": self.on,
            "relation_region": self.relation_region,
            "individual_account": self.individual_account,
            "pooled": self.pooled,
            "months": self.months,
        }
        children: list[Explanation] = []
        if self.temporary is not None:
            children.append(self.temporary.explain(self.parameters))
        if self.move is not None:
            assert self.source is not None
            assert self.destination is not None
            children.append(
                Explanation(
                    "transfer.move",
                    {
                        "from_region": self.source[0],
                        "from_account": self.source[1],
                        "to_region": self.destination[0],
                        "to_account": self.destination[1],
                    },
                    children=self.move.explain(self.parameters),
                )
            )
        places = [
            Explanation("transfer.place", {"region": region, "months": months})
            for region, months in self.places
        ]
        children.append(
            Explanation(
                "transfer.places",
                {"hukou_region": self.temporary.hukou_region if self.temporary else None},
                formula="months paid at each place; at retirement Art. 6 decides who pays",
                children=places + leaves(self.parameters, (MIN_YEARS,)),
            )
        )
        formulas = {
            TransferKind.TRANSFER: "the whole individual account with interest, the pooled "
            "part and the months move to the receiving region",
            TransferKind.TEMPORARY_ACCOUNT: "the relation stays; the receiving region keeps "
            "the contributions in a temporary account",
            TransferKind.TEMPORARY_COLLECTION: "the temporary account is sealed; all its "
            "principal and interest move to the receiving region",
        }
        return Explanation("transfer.quote", values, formula=formulas[self.kind], children=children)


# -- the steps every quote shares ---------------------------------------------------------


def quote_id(ledger: Ledger, scheme: str, what: str, on: dt.date) -> str:
    """The default id of a quote, ``<worker>/<scheme>/<what>/<date>``, with ``-2``, ``-3``, …
    appended when the ledger already holds a quote of that id (two moves the same way on one
    day, e.g. there and back and there again), so entry ids never collide."""
    base = f"{ledger.worker_id}/{scheme}/{what}/{on.isoformat()}"
    taken = {entry.reference for entry in ledger.entries if entry.reference}
    candidate, count = base, 1
    while f"transfer/{candidate}" in taken:
        count += 1
        candidate = f"{base}-{count}"
    return candidate


def check_quote_id(transfer_id: object) -> None:
    """A caller's transfer id must be usable as the prefix of entry ids."""
    if transfer_id is not None and (
        not isinstance(transfer_id, str) or not transfer_id or transfer_id != transfer_id.strip()
    ):
        raise InvalidInput(
            f"transfer_id must be a non-empty string without surrounding spaces, got "
            f"{transfer_id!r}"
        )


def prepare_quote(
    pack: RulePack, ledger: Ledger, scheme: str, regions: tuple[str | None, ...]
) -> None:
    """Check the ledger, the scheme and the regions a quote names."""
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    pack.scheme(scheme)
    for region in regions:
        if region is not None:
            pack.region(region)
    if ledger.currency not in (None, pack.currency):
        raise InvalidInput(
            f"the ledger is in {ledger.money_currency}, the {pack.code} pack in {pack.currency}"
        )


def assembled_quote(
    pack: RulePack,
    ledger: Ledger,
    view: View,
    on: dt.date,
    used: Used,
    *,
    transfer_id: str,
    kind: TransferKind,
    from_region: str,
    to_region: str,
    relation_region: str,
    moved: tuple[tuple[str, str] | None, tuple[str, str] | None],
    move: AccountMove | None,
    temporary: TemporaryAccountRule | None,
    entries: list[LedgerEntry],
) -> TransferQuote:
    """A quote of any kind, with the months held at each place on ``on`` and every pack value
    read (one assembly for transfers, temporary accounts and their collection)."""
    places = months_by_region(pack, view, on, used)
    use(used, pack.value(MIN_YEARS, None, on))
    return TransferQuote(
        transfer_id=transfer_id,
        kind=kind,
        jurisdiction=pack.code,
        worker_id=ledger.worker_id,
        scheme=view.scheme,
        currency=ledger.money_currency,
        on=on,
        from_region=from_region,
        to_region=to_region,
        relation_region=relation_region,
        source=moved[0],
        destination=moved[1],
        move=move,
        temporary=temporary,
        places=tuple((region, place.months) for region, place in places.items()),
        basis=ledger.basis(),
        entries=tuple(entries),
        parameters=tuple(used.values()),
    )
