"""Transfer quotes: what moving the relation would move, and the entries that move it.

A worker who moves to work in another province takes the pension relation along: the
sending region's agency issues a certificate of contributions and hands over the individual
account and a share of the pooled fund; contribution years add up (国办发〔2009〕66号 Arts. 3–4;
《社会保险法》 Art. 19). A transfer here is two steps:

* :func:`quote_transfer` computes, from the ledger as it stands, everything the move involves
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
from decimal import Decimal
from enum import StrEnum

import attrs

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
    EntryBatch,
    Ledger,
    LedgerBasis,
    LedgerEntry,
    bind_entries,
)
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.transfers.moves import (
    TEMPORARY_ACCOUNT,
    AccountMove,
    DuplicateMonth,
    PooledMode,
    Used,
    leaves,
    use,
)
from flexsecure.jurisdictions.cn.transfers.places import MIN_YEARS, months_by_region
from flexsecure.jurisdictions.cn.transfers.planning import (
    arrival,
    check_assumed,
    check_date,
    marker,
    plan_move,
    resolve_worker,
)
from flexsecure.jurisdictions.cn.transfers.temporary import TemporaryAccountRule, temporary_rule
from flexsecure.jurisdictions.cn.transfers.view import (
    Marker,
    View,
    open_temporary_regions,
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
    "quote_transfer",
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


# -- quoting ----------------------------------------------------------------------------------


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


def quote_transfer(
    pack: RulePack,
    ledger: Ledger,
    *,
    scheme: str = "pension",
    from_region: str,
    to_region: str,
    on: dt.date,
    worker: Worker | None = None,
    transfer_id: str | None = None,
    assumed_rate: Decimal | None = None,
) -> TransferQuote:
    """Quote moving ``worker``'s ``scheme`` relation from ``from_region`` to ``to_region`` on
    ``on`` (国办发〔2009〕66号 Arts. 4–6; see the module docstring).

    ``worker=None`` takes the worker kept on the ledger (:meth:`Ledger.for_worker`); without
    one the temporary-account rule cannot be decided and a
    :class:`~flexsecure.values.errors.TransferError` says so. ``transfer_id`` (default
    ``<worker>/<scheme>/<from>-to-<to>/<date>``) names the entries. A year without a published
    crediting rate raises :class:`~flexsecure.values.errors.RuleNotFound` unless
    ``assumed_rate`` is given.

    Raises ``InvalidInput`` for a region or scheme the pack does not have, and
    ``TransferError`` when ``from_region == to_region``, when ``on`` is before the ledger's
    last entry, when ``from_region`` holds no relation to move (nothing there, or only a
    temporary account), or while a temporary account is open (collect it first).
    """
    ledger = ledger.in_currency(pack.currency)
    prepare_quote(pack, ledger, scheme, (from_region, to_region))
    check_quote_id(transfer_id)
    assumed = check_assumed(assumed_rate)
    if from_region == to_region:
        raise TransferError(
            f"from_region and to_region are both {from_region!r}: a transfer moves the "
            "relation to another region"
        )
    view = View(ledger, scheme)
    on = check_date(ledger, view, on, "a transfer")
    person = resolve_worker(ledger, worker, "the temporary-account rule (66号 Art. 5 (2))")
    tid = transfer_id or quote_id(ledger, scheme, f"{from_region}-to-{to_region}", on)
    prefix = f"transfer/{tid}"
    source = (from_region, REGULAR_ACCOUNT)

    open_temporary = open_temporary_regions(view)
    if not view.held(source) and not view.balance(source, "individual_account"):
        if from_region in open_temporary:
            raise TransferError(
                f"{from_region} holds only a temporary account of worker {ledger.worker_id!r}, "
                "not the relation: collect it with quote_temporary_collection (66号 Art. 5 (2))"
            )
        raise TransferError(
            f"{from_region} holds no {scheme} relation of worker {ledger.worker_id!r} to "
            f"transfer (nothing paid into or transferred to its regular account is held there)"
        )
    if open_temporary:
        raise TransferError(
            f"a temporary account is open in {', '.join(open_temporary)}: on moving again its "
            "principal and interest go first to the previous place (66号 Art. 5 (2)); collect "
            "it with quote_temporary_collection, then quote this transfer"
        )

    used: Used = {}
    rule = temporary_rule(pack, person, to_region, on, used)
    entries: list[LedgerEntry] = []
    if not rule.required:
        plan = plan_move(
            pack,
            view,
            source,
            on,
            pooled_mode=PooledMode.SHARE,
            resolve_duplicates=True,
            prefix=prefix,
            out_id=f"{prefix}/out",
            interest_id=f"{prefix}/interest",
            destination=f"{to_region} ({REGULAR_ACCOUNT})",
            assumed_rate=assumed,
            used=used,
        )
        if plan.move.is_empty:
            raise TransferError(
                f"{from_region} holds nothing of worker {ledger.worker_id!r} to transfer: no "
                "money and no contributed months"
            )
        entries.extend(plan.entries)
        destination = (to_region, REGULAR_ACCOUNT)
        entries.append(
            arrival(
                view,
                plan.move,
                prefix=prefix,
                region=to_region,
                account=REGULAR_ACCOUNT,
                on=on,
                origin=f"{from_region} ({REGULAR_ACCOUNT})",
            )
        )
        kind, relation, move = TransferKind.TRANSFER, to_region, plan.move
        moved: tuple[tuple[str, str] | None, tuple[str, str] | None] = (source, destination)
    else:
        # the relation stays; whatever the new place's regular account holds goes into the
        # temporary account opened there
        here = (to_region, REGULAR_ACCOUNT)
        move = None
        moved = (None, None)
        if view.held(here) or view.balance(here, "individual_account"):
            plan = plan_move(
                pack,
                view,
                here,
                on,
                pooled_mode=PooledMode.WHOLE,
                resolve_duplicates=False,
                prefix=prefix,
                out_id=f"{prefix}/out",
                interest_id=f"{prefix}/interest",
                destination=f"{to_region} ({TEMPORARY_ACCOUNT})",
                assumed_rate=assumed,
                used=used,
            )
            if not plan.move.is_empty:
                move = plan.move
                moved = (here, (to_region, TEMPORARY_ACCOUNT))
                entries.extend(plan.entries)
                entries.append(
                    arrival(
                        view,
                        plan.move,
                        prefix=prefix,
                        region=to_region,
                        account=TEMPORARY_ACCOUNT,
                        on=on,
                        origin=f"{to_region} ({REGULAR_ACCOUNT})",
                    )
                )
        entries.append(
            marker(
                view,
                kind=Marker.TEMPORARY_OPENED,
                entry_id=f"{prefix}/temporary-opened",
                prefix=prefix,
                region=to_region,
                account=TEMPORARY_ACCOUNT,
                on=on,
                note=f"temporary contribution account opened; the relation stays in {from_region}",
            )
        )
        kind, relation = TransferKind.TEMPORARY_ACCOUNT, from_region
    return assembled_quote(
        pack, ledger, view, on, used, transfer_id=tid, kind=kind, from_region=from_region,
        to_region=to_region, relation_region=relation, moved=moved, move=move, temporary=rule,
        entries=entries,
    )  # fmt: skip


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
