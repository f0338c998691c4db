"""JSON records of a transfer (``flexsecure.transfer/1``) and of a scheme link
(``flexsecure.scheme_link/1``): what the sending and receiving agencies exchange.

A transfer record holds the quote — what moves and why, with the parameter values and their
citations — and its execution: the ledger entries, in the ``flexsecure.ledger/1`` entry
form. The receiving agency can check the amounts against the rules and apply the entries;
``basis`` names the version of the sending ledger they were computed from::

    {"format": "flexsecure.transfer/1", "transfer_id": "w-001/pension/CN-SH-to-CN-SC/2026-01-01",
     "kind": "transfer", "jurisdiction": "CN", "worker_id": "w-001", "scheme": "pension",
     "currency": "CNY", "on": "2026-01-01", "from_region": "CN-SH", "to_region": "CN-SC",
     "relation_region": "CN-SC",
     "source": {"region": "CN-SH", "account": "regular"},
     "destination": {"region": "CN-SC", "account": "regular"},
     "move": {"region": "CN-SH", "account": "regular", "principal": "7160.64",
              "interest": [{"entry_id": "interest/w-001/pension/CN-SH/2025", "region": "CN-SH",
                            "account": "regular", "year": 2025, "months": 12,
                            "opening": "0.00", "current": "7160.64", "rate": "0.0150",
                            "rate_year": 2025, "assumed": false, "amount": "58.16"}],
              "individual_account": "7218.80", "pooled_mode": "share", "pooled_rate": "0.12",
              "pooled_bases": "89064", "pooled_months": 12, "pooled_share": "10687.68",
              "pooled_forwarded": "0.00", "pooled": "10687.68",
              "months_held": 12, "months_cleared": 0, "months": 12, "duplicates": []},
     "temporary": {"required": false, "to_region": "CN-SC", "hukou_region": "CN-SC",
                   "sex": "male", "age_months": 429, "min_age_months": 600},
     "places": [["CN-SH", 12]],
     "basis": {"entries": 12, "digest": "…64 hex digits…"},
     "entries": [… ledger entries …],
     "parameters": [{"name": "transfer.pooled_rate", "region": null,
                     "effective_from": "2010-01-01", "effective_until": null,
                     "value": {"type": "decimal", "value": "0.12"},
                     "citation": {"title": "…", "url": "…", "article": "Art. 4 (2)",
                                  "evidence": "official", "verified": true, "note": "…",
                                  "source_id": "SRC-66-PAGES"}}]}

``move`` and ``temporary`` are ``null`` when there is none (a temporary account opened where
nothing was paid yet; a collection). Amounts, rates and bases are decimal strings in the
record's currency; months are counts; dates ISO 8601. A round trip through JSON gives back an
equal quote (:func:`transfer_from_record`); a bad record raises
:class:`~flexsecure.InvalidInput` naming the JSON path of the bad field.

A scheme-link record has the same parts: the direction and condition, the resident account
before and after, the employee ``moves`` (employee → resident) or the receiving ``region``
(resident → employee), ``basis``, ``entries`` and ``parameters``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from flexsecure.calculations.accounts.ledger import EntryKind, LedgerEntry
from flexsecure.facts.workers import Sex
from flexsecure.jurisdictions.cn.record_parts import (
    COMMON_KEYS,
    TEMPORARY_KEYS,
    check_format,
    date_at,
    flag_at,
    integer_at,
    list_at,
    money_at,
    optional_text_at,
    read_account,
    read_common,
    read_move,
    text_at,
)
from flexsecure.jurisdictions.cn.record_writers import (
    SCHEME_LINK_FORMAT,
    TRANSFER_FORMAT,
    scheme_link_to_record,
    transfer_to_record,
)
from flexsecure.jurisdictions.cn.transfers.links import LinkDirection, SchemeLinkQuote
from flexsecure.jurisdictions.cn.transfers.moves import (
    AccountMove,
)
from flexsecure.jurisdictions.cn.transfers.quotes import (
    TransferKind,
    TransferQuote,
)
from flexsecure.jurisdictions.cn.transfers.temporary import TemporaryAccountRule
from flexsecure.values import fields as _f
from flexsecure.values.errors import InvalidInput, RecordMismatch
from flexsecure.values.fields import at as _at
from flexsecure.values.fields import get as _get
from flexsecure.values.periods import Age

__all__ = [
    "SCHEME_LINK_FORMAT",
    "TRANSFER_FORMAT",
    "scheme_link_from_record",
    "scheme_link_to_record",
    "transfer_from_record",
    "transfer_to_record",
]

T = TypeVar("T")


# -- reading ----------------------------------------------------------------------------------

_TRANSFER_KEYS = (
    *COMMON_KEYS, "transfer_id", "kind", "from_region", "to_region", "relation_region",
    "source", "destination", "move", "temporary", "places",
)  # fmt: skip
_LINK_KEYS = (
    *COMMON_KEYS, "link_id", "direction", "legal_retirement_date", "employee_months",
    "min_employee_months", "resident_balance", "resident_months", "region", "moves",
    "employee_months_after", "resident_balance_after", "resident_months_after",
    "resident_account_pension",
)  # fmt: skip


def _check_cancels(entries: tuple[LedgerEntry, ...]) -> dict[str, Decimal]:
    """What the transfer-in entries carry per fund, after checking that the transfer-out and
    transfer-in entries cancel to the fen, fund by fund and month by month."""
    moving = [e for e in entries if e.kind in (EntryKind.TRANSFER_OUT, EntryKind.TRANSFER_IN)]
    totals: dict[str, Decimal] = {}
    arrived: dict[str, Decimal] = {}
    for entry in moving:
        for fund, amount in entry.funds:
            totals[fund] = totals.get(fund, Decimal(0)) + amount.amount
            if entry.kind is EntryKind.TRANSFER_IN:
                arrived[fund] = arrived.get(fund, Decimal(0)) + amount.amount
    for fund, total in sorted(totals.items()):
        if total:
            raise RecordMismatch(f"$.entries (fund {fund})", "out and in cancel: 0", str(total))
    months = sum(entry.months for entry in moving)
    if months:
        raise RecordMismatch("$.entries (months)", "out and in cancel: 0", months)
    return arrived


def _check_move(move: AccountMove | None, arrived: dict[str, Decimal], kind: str) -> None:
    """A transfer's entries carry what its ``move`` says moves, and nothing when none does."""
    if move is None:
        if any(arrived.values()):
            raise RecordMismatch("$.move", f"the move of this {kind}", None)
        return
    for fund, amount in (("individual_account", move.individual_account), ("pooled", move.pooled)):
        found = arrived.get(fund, Decimal(0))
        if found != amount.amount:
            raise RecordMismatch(f"$.move.{fund}", str(found), str(amount.amount))


def transfer_from_record(data: Mapping[str, Any]) -> TransferQuote:
    """Read a ``flexsecure.transfer/1`` record (already decoded from JSON) back into a quote."""
    check_format(data, TRANSFER_FORMAT, _TRANSFER_KEYS)
    currency = text_at(data, "currency", "$")
    worker_id = text_at(data, "worker_id", "$")
    basis, entries, parameters = read_common(data, worker_id, currency)
    rule_data = _get(data, "temporary", "$")
    rule = None
    if rule_data is not None:
        _f.fields(rule_data, "$.temporary", TEMPORARY_KEYS)
        rule = _at(
            "$.temporary",
            TemporaryAccountRule,
            required=flag_at(rule_data, "required", "$.temporary"),
            to_region=text_at(rule_data, "to_region", "$.temporary"),
            hukou_region=text_at(rule_data, "hukou_region", "$.temporary"),
            sex=_at("$.temporary.sex", Sex, text_at(rule_data, "sex", "$.temporary")),
            age=_at(
                "$.temporary.age_months",
                Age.from_months,
                integer_at(rule_data, "age_months", "$.temporary"),
            ),
            min_age=_at(
                "$.temporary.min_age_months",
                Age.from_months,
                integer_at(rule_data, "min_age_months", "$.temporary"),
            ),
        )
    move_data = _get(data, "move", "$")
    places = []
    for i, item in enumerate(list_at(data, "places", "$")):
        if not isinstance(item, list) or len(item) != 2:
            raise InvalidInput(f"$.places[{i}] must be [region, months], got {item!r}")
        _f.text(item[0], f"$.places[{i}][0]", limit=16)
        _f.integer(item[1], f"$.places[{i}][1]")
        places.append((item[0], item[1]))
    move = None if move_data is None else read_move(move_data, "$.move", currency)
    _check_move(move, _check_cancels(entries), "transfer")
    return _at(
        "$",
        TransferQuote,
        transfer_id=text_at(data, "transfer_id", "$"),
        kind=_at("$.kind", TransferKind, text_at(data, "kind", "$")),
        jurisdiction=text_at(data, "jurisdiction", "$"),
        worker_id=worker_id,
        scheme=text_at(data, "scheme", "$"),
        currency=currency,
        on=date_at(data, "on", "$"),
        from_region=text_at(data, "from_region", "$"),
        to_region=text_at(data, "to_region", "$"),
        relation_region=text_at(data, "relation_region", "$"),
        source=read_account(data, "source", "$"),
        destination=read_account(data, "destination", "$"),
        move=move,
        temporary=rule,
        places=tuple(places),
        basis=basis,
        entries=entries,
        parameters=parameters,
        from_record=True,
    )


def _check_link(quote: SchemeLinkQuote) -> SchemeLinkQuote:
    """A link's entries move what it says: the employee accounts out to the resident scheme,
    or the resident balance into the employee account, to the fen."""
    moved: dict[EntryKind, Decimal] = {EntryKind.TRANSFER_OUT: Decimal(0)}
    moved[EntryKind.TRANSFER_IN] = Decimal(0)
    for entry in quote.entries:
        if entry.kind in moved:
            for fund, amount in entry.funds:
                if fund == "individual_account":
                    moved[entry.kind] += amount.amount
    if quote.direction is LinkDirection.RESIDENT_TO_EMPLOYEE:
        kind, expected = EntryKind.TRANSFER_IN, quote.resident_balance.amount
    else:
        kind, expected = EntryKind.TRANSFER_OUT, -quote.moved.amount
    if moved[kind] != expected:
        raise RecordMismatch(f"$.entries ({kind.value})", str(expected), str(moved[kind]))
    return quote


def scheme_link_from_record(data: Mapping[str, Any]) -> SchemeLinkQuote:
    """Read a ``flexsecure.scheme_link/1`` record back into a quote."""
    check_format(data, SCHEME_LINK_FORMAT, _LINK_KEYS)
    currency = text_at(data, "currency", "$")
    worker_id = text_at(data, "worker_id", "$")
    basis, entries, parameters = read_common(data, worker_id, currency)
    pension = _get(data, "resident_account_pension", "$")
    quote = _at(
        "$",
        SchemeLinkQuote,
        link_id=text_at(data, "link_id", "$"),
        direction=_at("$.direction", LinkDirection, text_at(data, "direction", "$")),
        jurisdiction=text_at(data, "jurisdiction", "$"),
        worker_id=worker_id,
        scheme=text_at(data, "scheme", "$"),
        currency=currency,
        on=date_at(data, "on", "$"),
        legal_retirement_date=date_at(data, "legal_retirement_date", "$"),
        employee_months=integer_at(data, "employee_months", "$"),
        min_employee_months=integer_at(data, "min_employee_months", "$"),
        resident_balance=money_at(data, "resident_balance", "$", currency),
        resident_months=integer_at(data, "resident_months", "$"),
        region=optional_text_at(data, "region", "$"),
        moves=tuple(
            read_move(item, f"$.moves[{i}]", currency)
            for i, item in enumerate(list_at(data, "moves", "$"))
        ),
        employee_months_after=integer_at(data, "employee_months_after", "$"),
        resident_balance_after=money_at(data, "resident_balance_after", "$", currency),
        resident_months_after=integer_at(data, "resident_months_after", "$"),
        resident_account_pension=None
        if pension is None
        else money_at(data, "resident_account_pension", "$", currency),
        basis=basis,
        entries=entries,
        parameters=parameters,
        from_record=True,
    )
    return _check_link(quote)
