"""Writing China's transfer and scheme-link quotes as records (``flexsecure.transfer/1``,
``flexsecure.scheme_link/1``): every value as plain JSON types, money and rates as decimal
strings, so a round trip is exact. Reading them back is :mod:`.records`."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from flexsecure.calculations.accounts.ledger import LedgerBasis, LedgerEntry
from flexsecure.jurisdictions.cn.transfers.links import SchemeLinkQuote
from flexsecure.jurisdictions.cn.transfers.moves import (
    AccountMove,
    DuplicateMonth,
    InterestCredit,
)
from flexsecure.jurisdictions.cn.transfers.quotes import (
    TransferQuote,
)
from flexsecure.records.ledgers import entry_to_record
from flexsecure.rules.parameters import ParameterValue, Value
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money

__all__ = ["SCHEME_LINK_FORMAT", "TRANSFER_FORMAT", "scheme_link_to_record", "transfer_to_record"]

TRANSFER_FORMAT = "flexsecure.transfer/1"
SCHEME_LINK_FORMAT = "flexsecure.scheme_link/1"

T = TypeVar("T")


# -- writing ----------------------------------------------------------------------------------


def _money(value: Money) -> str:
    return str(value.amount)


def _value(value: Value) -> dict[str, Any]:
    if isinstance(value, bool):
        return {"type": "flag", "value": value}
    if isinstance(value, int):
        return {"type": "integer", "value": value}
    if isinstance(value, Money):
        return {"type": "money", "value": str(value.amount)}
    if isinstance(value, Decimal):
        return {"type": "decimal", "value": str(value)}
    if isinstance(value, str):
        return {"type": "name", "value": value}
    if isinstance(value, tuple):
        return {"type": "names", "value": list(value)}
    return {"type": "table", "value": {str(k): str(v) for k, v in value.items()}}


def _parameter(value: ParameterValue) -> dict[str, Any]:
    citation = value.citation
    return {
        "name": value.name,
        "region": value.region,
        "effective_from": value.effective_from.isoformat(),
        "effective_until": None
        if value.effective_until is None
        else value.effective_until.isoformat(),
        "value": _value(value.value),
        "citation": {
            "title": citation.title,
            "url": citation.url,
            "article": citation.article,
            "evidence": citation.evidence.value,
            "verified": citation.verified,
            "note": citation.note,
            "source_id": citation.source_id,
        },
    }


def _interest(credit: InterestCredit) -> dict[str, Any]:
    return {
        "entry_id": credit.entry_id,
        "region": credit.region,
        "account": credit.account,
        "year": credit.year,
        "months": credit.months,
        "opening": _money(credit.opening),
        "current": _money(credit.current),
        "rate": str(credit.rate),
        "rate_year": credit.rate_year,
        "assumed": credit.assumed,
        "amount": _money(credit.amount),
    }


def _duplicate(duplicate: DuplicateMonth) -> dict[str, Any]:
    return {
        "month": str(duplicate.month),
        "region": duplicate.region,
        "account": duplicate.account,
        "other_region": duplicate.other_region,
        "other_account": duplicate.other_account,
        "kept_region": duplicate.kept_region,
        "kept_account": duplicate.kept_account,
    }


def _move(move: AccountMove) -> dict[str, Any]:
    return {
        "region": move.region,
        "account": move.account,
        "principal": _money(move.principal),
        "interest": [_interest(credit) for credit in move.interest],
        "individual_account": _money(move.individual_account),
        "pooled_mode": move.pooled_mode.value,
        "pooled_rate": None if move.pooled_rate is None else str(move.pooled_rate),
        "pooled_bases": _money(move.pooled_bases),
        "pooled_months": move.pooled_months,
        "pooled_share": _money(move.pooled_share),
        "pooled_forwarded": _money(move.pooled_forwarded),
        "pooled": _money(move.pooled),
        "months_held": move.months_held,
        "months_cleared": move.months_cleared,
        "months": move.months,
        "duplicates": [_duplicate(d) for d in move.duplicates],
    }


def _account(key: tuple[str, str] | None) -> dict[str, str] | None:
    return None if key is None else {"region": key[0], "account": key[1]}


def _common(
    basis: LedgerBasis, entries: tuple[LedgerEntry, ...], parameters: tuple[ParameterValue, ...]
) -> dict[str, Any]:
    return {
        "basis": {"entries": basis.entries, "digest": basis.digest},
        "entries": [entry_to_record(entry) for entry in entries],
        "parameters": [_parameter(value) for value in parameters],
    }


def transfer_to_record(quote: TransferQuote) -> dict[str, Any]:
    """A ``flexsecure.transfer/1`` record of ``quote`` and its execution, in plain JSON types."""
    if not isinstance(quote, TransferQuote):
        raise InvalidInput(f"quote must be a TransferQuote, got {quote!r}")
    rule = quote.temporary
    return {
        "format": TRANSFER_FORMAT,
        "transfer_id": quote.transfer_id,
        "kind": quote.kind.value,
        "jurisdiction": quote.jurisdiction,
        "worker_id": quote.worker_id,
        "scheme": quote.scheme,
        "currency": quote.currency,
        "on": quote.on.isoformat(),
        "from_region": quote.from_region,
        "to_region": quote.to_region,
        "relation_region": quote.relation_region,
        "source": _account(quote.source),
        "destination": _account(quote.destination),
        "move": None if quote.move is None else _move(quote.move),
        "temporary": None
        if rule is None
        else {
            "required": rule.required,
            "to_region": rule.to_region,
            "hukou_region": rule.hukou_region,
            "sex": rule.sex.value,
            "age_months": rule.age.total_months,
            "min_age_months": rule.min_age.total_months,
        },
        "places": [[region, months] for region, months in quote.places],
        **_common(quote.basis, quote.entries, quote.parameters),
    }


def scheme_link_to_record(quote: SchemeLinkQuote) -> dict[str, Any]:
    """A ``flexsecure.scheme_link/1`` record of ``quote`` and its execution."""
    if not isinstance(quote, SchemeLinkQuote):
        raise InvalidInput(f"quote must be a SchemeLinkQuote, got {quote!r}")
    return {
        "format": SCHEME_LINK_FORMAT,
        "link_id": quote.link_id,
        "direction": quote.direction.value,
        "jurisdiction": quote.jurisdiction,
        "worker_id": quote.worker_id,
        "scheme": quote.scheme,
        "currency": quote.currency,
        "on": quote.on.isoformat(),
        "legal_retirement_date": quote.legal_retirement_date.isoformat(),
        "employee_months": quote.employee_months,
        "min_employee_months": quote.min_employee_months,
        "resident_balance": _money(quote.resident_balance),
        "resident_months": quote.resident_months,
        "region": quote.region,
        "moves": [_move(move) for move in quote.moves],
        "employee_months_after": quote.employee_months_after,
        "resident_balance_after": _money(quote.resident_balance_after),
        "resident_months_after": quote.resident_months_after,
        "resident_account_pension": None
        if quote.resident_account_pension is None
        else _money(quote.resident_account_pension),
        **_common(quote.basis, quote.entries, quote.parameters),
    }
