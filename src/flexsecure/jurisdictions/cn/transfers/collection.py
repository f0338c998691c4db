"""Collecting a temporary contribution account (国办发〔2009〕66号 Art. 5 (2)): sealed where it
was opened and everything in it (全部缴费本息) handed to where the relation is, or to where
the pension is paid."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
    Ledger,
)
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.retirement import retirement_date
from flexsecure.jurisdictions.cn.transfers.moves import (
    TEMPORARY_ACCOUNT,
    PooledMode,
    Used,
)
from flexsecure.jurisdictions.cn.transfers.places import decide
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
from flexsecure.jurisdictions.cn.transfers.view import (
    Marker,
    View,
    kept_relation,
    open_temporary_regions,
)
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import TransferError

__all__ = ["quote_temporary_collection"]


def quote_temporary_collection(
    pack: RulePack,
    ledger: Ledger,
    *,
    scheme: str = "pension",
    region: str,
    on: dt.date,
    to_region: str | None = None,
    worker: Worker | None = None,
    transfer_id: str | None = None,
    assumed_rate: Decimal | None = None,
) -> TransferQuote:
    """Quote sealing the temporary account in ``region`` and collecting it (66号 Art. 5 (2)).

    "参保人员再次跨省流动就业或在新参保地达到待遇领取条件时，将临时基本养老保险缴费账户中的全部缴费本息，
    转移归集到原参保地或待遇领取地": all principal and interest — the whole individual account with
    interest to ``on``, everything recorded in the pooled fund, all months — move to
    ``to_region``'s regular account. Without ``to_region``: the region that pays the pension
    (:func:`~flexsecure.jurisdictions.cn.transfers.places.benefit_region`) when the worker has
    reached the legal retirement age on ``on``, else the previous place ("原参保地": where the
    relation was kept when the temporary account was opened).
    """
    ledger = ledger.in_currency(pack.currency)
    prepare_quote(pack, ledger, scheme, (region, to_region))
    check_quote_id(transfer_id)
    assumed = check_assumed(assumed_rate)
    view = View(ledger, scheme)
    on = check_date(ledger, view, on, "a collection")
    source = (region, TEMPORARY_ACCOUNT)
    if region not in open_temporary_regions(view):
        raise TransferError(
            f"worker {ledger.worker_id!r} has no open temporary {scheme} account in {region}"
        )
    used: Used = {}
    if to_region is None:
        person = resolve_worker(ledger, worker, "where a temporary account is collected")
        if on >= retirement_date(pack, person).legal_date:
            to_region = decide(pack, person, view, on).region
        else:
            relation = kept_relation(view, region)
            if relation is None:
                raise TransferError(
                    f"worker {ledger.worker_id!r} holds no {scheme} relation to collect the "
                    f"temporary account of {region} into; pass to_region="
                )
            to_region = relation
    elif worker is not None:
        resolve_worker(ledger, worker, "")
    tid = transfer_id or quote_id(ledger, scheme, f"{region}-temporary-to-{to_region}", on)
    prefix = f"transfer/{tid}"
    plan = plan_move(
        pack,
        view,
        source,
        on,
        pooled_mode=PooledMode.WHOLE,
        resolve_duplicates=True,
        prefix=prefix,
        out_id=f"{prefix}/out",
        interest_id=f"{prefix}/interest",
        destination=f"{to_region} ({REGULAR_ACCOUNT})",
        assumed_rate=assumed,
        used=used,
    )
    destination = (to_region, REGULAR_ACCOUNT)
    entries = list(plan.entries)
    entries.append(
        arrival(
            view,
            plan.move,
            prefix=prefix,
            region=to_region,
            account=REGULAR_ACCOUNT,
            on=on,
            origin=f"{region} ({TEMPORARY_ACCOUNT})",
        )
    )
    entries.append(
        marker(
            view,
            kind=Marker.TEMPORARY_SEALED,
            entry_id=f"{prefix}/temporary-sealed",
            prefix=prefix,
            region=region,
            account=TEMPORARY_ACCOUNT,
            on=on,
            note=f"temporary account sealed; all principal and interest moved to {to_region}",
        )
    )
    return assembled_quote(
        pack, ledger, view, on, used, transfer_id=tid, kind=TransferKind.TEMPORARY_COLLECTION,
        from_region=region, to_region=to_region, relation_region=to_region,
        moved=(source, destination), move=plan.move, temporary=None, entries=entries,
    )  # fmt: skip
