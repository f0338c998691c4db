"""Verify a transfer or scheme-link record against the ledger it claims to move money on.

A ``flexsecure.transfer/1`` or ``flexsecure.scheme_link/1`` record comes from another agency.
Reading it (:func:`~flexsecure.jurisdictions.cn.records.transfer_from_record`) checks its form
and that its transfer-out and transfer-in entries cancel to the fen; the quote it gives is
marked as read from a record and does not execute. :func:`verify_transfer` is the receiving
side's check: it quotes the same transfer again on the ledger — the version the record names —
with the rules of the record's jurisdiction, compares every value, and returns the quote
computed here, whose :meth:`execute` entries can be applied. Any difference raises
:class:`~flexsecure.RecordMismatch` naming the JSON path of the first value that differs; a
ledger that has moved on since the record was made raises :class:`~flexsecure.TransferError`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flexsecure.calculations.accounts.ledger import Ledger
from flexsecure.facts.workers import Worker
from flexsecure.jurisdiction import Jurisdiction
from flexsecure.jurisdictions.cn.records import (
    scheme_link_from_record,
    scheme_link_to_record,
    transfer_from_record,
    transfer_to_record,
)
from flexsecure.jurisdictions.cn.transfers import (
    AccountMove,
    LinkDirection,
    SchemeLinkQuote,
    TransferKind,
    TransferQuote,
)
from flexsecure.records.compare import first_difference
from flexsecure.records.jurisdictions import record_jurisdiction
from flexsecure.values.errors import InvalidInput, RecordMismatch, TransferError

__all__ = ["verify_scheme_link", "verify_transfer"]


def _assumed(moves: tuple[AccountMove, ...]) -> Decimal | None:
    """The assumed crediting rate the record's interest used, if any (one rate at most)."""
    rates = {credit.rate for move in moves for credit in move.interest if credit.assumed}
    if len(rates) > 1:
        raise RecordMismatch("$.move.interest", "one assumed rate", sorted(map(str, rates)))
    return rates.pop() if rates else None


def _check_ledger(ledger: object, worker_id: str, basis: object) -> Ledger:
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    if ledger.worker_id != worker_id:
        raise RecordMismatch("$.worker_id", ledger.worker_id, worker_id)
    if ledger.basis() != basis:
        raise TransferError(
            "$.basis: the record was computed from another version of the ledger "
            f"({basis!r}); this ledger is {ledger.basis()!r}: ask for a new record"
        )
    return ledger


def verify_transfer(
    record: Any,
    ledger: Ledger,
    *,
    jurisdiction: Jurisdiction | None = None,
    worker: Worker | None = None,
) -> TransferQuote:
    """The transfer of ``record`` quoted again on ``ledger``, after checking that the record
    says exactly that (see the module docstring). ``jurisdiction`` defaults to the bundled
    one the record names, with no reforms; ``worker`` to the one kept on the ledger."""
    found = transfer_from_record(record)
    if jurisdiction is None:
        jurisdiction = record_jurisdiction(found.jurisdiction, "$.jurisdiction")
    _check_ledger(ledger, found.worker_id, found.basis)
    assumed = _assumed(() if found.move is None else (found.move,))
    if found.kind is TransferKind.TEMPORARY_COLLECTION:
        expected = jurisdiction.quote_temporary_collection(
            ledger, scheme=found.scheme, region=found.from_region, on=found.on,
            to_region=found.to_region, worker=worker, transfer_id=found.transfer_id,
            assumed_rate=assumed,
        )  # fmt: skip
    else:
        expected = jurisdiction.quote_transfer(
            ledger, scheme=found.scheme, from_region=found.from_region, to_region=found.to_region,
            on=found.on, worker=worker, transfer_id=found.transfer_id, assumed_rate=assumed,
        )  # fmt: skip
    difference = first_difference(transfer_to_record(expected), transfer_to_record(found))
    if difference is not None:
        raise difference
    return expected


def verify_scheme_link(
    record: Any,
    ledger: Ledger,
    *,
    jurisdiction: Jurisdiction | None = None,
    worker: Worker | None = None,
) -> SchemeLinkQuote:
    """The scheme link of ``record`` quoted again on ``ledger`` (as :func:`verify_transfer`)."""
    found = scheme_link_from_record(record)
    if jurisdiction is None:
        jurisdiction = record_jurisdiction(found.jurisdiction, "$.jurisdiction")
    _check_ledger(ledger, found.worker_id, found.basis)
    region = found.region if found.direction is LinkDirection.RESIDENT_TO_EMPLOYEE else None
    expected = jurisdiction.quote_scheme_link(
        ledger, resident_balance=found.resident_balance, on=found.on,
        resident_months=found.resident_months, worker=worker, scheme=found.scheme,
        region=region, link_id=found.link_id, assumed_rate=_assumed(found.moves),
    )  # fmt: skip
    difference = first_difference(scheme_link_to_record(expected), scheme_link_to_record(found))
    if difference is not None:
        raise difference
    return expected
