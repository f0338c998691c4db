"""Moving the relation: the quote of a transfer from one region to another.

A worker who moves to work in another province takes the pension relation along (国办发
〔2009〕66号 Arts. 3–4; 《社会保险法》 Art. 19). :func:`quote_transfer` computes, from the
ledger as it stands, what the move involves — or the temporary account the receiving region
keeps instead (Art. 5 (2)) — as a :class:`~flexsecure.jurisdictions.cn.transfers.quotes.
TransferQuote` whose :meth:`~flexsecure.jurisdictions.cn.transfers.quotes.TransferQuote.execute`
gives the entries; see :mod:`flexsecure.jurisdictions.cn.transfers.quotes` for the two steps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexsecure.calculations.accounts.ledger import REGULAR_ACCOUNT, Ledger, LedgerEntry
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.transfers.moves import TEMPORARY_ACCOUNT, PooledMode, Used
from flexsecure.jurisdictions.cn.transfers.planning import (
    arrival,
    check_assumed,
    check_date,
    marker,
    plan_move,
    resolve_worker,
)
from flexsecure.jurisdictions.cn.transfers.quotes import (
    TransferKind,
    TransferQuote,
    assembled_quote,
    check_quote_id,
    prepare_quote,
    quote_id,
)
from flexsecure.jurisdictions.cn.transfers.temporary import temporary_rule
from flexsecure.jurisdictions.cn.transfers.view import Marker, View, open_temporary_regions
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import TransferError

__all__ = ["quote_transfer"]


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
