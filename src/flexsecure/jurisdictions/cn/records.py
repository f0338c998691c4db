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

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

from flexsecure.calculations.accounts.ledger import EntryKind, LedgerBasis, LedgerEntry
from flexsecure.facts.workers import Sex
from flexsecure.jurisdictions.cn.record_writers import (
    SCHEME_LINK_FORMAT,
    TRANSFER_FORMAT,
    scheme_link_to_record,
    transfer_to_record,
)
from flexsecure.jurisdictions.cn.transfers.links import LinkDirection, SchemeLinkQuote
from flexsecure.jurisdictions.cn.transfers.moves import (
    AccountMove,
    DuplicateMonth,
    InterestCredit,
    PooledMode,
)
from flexsecure.jurisdictions.cn.transfers.quotes import (
    TransferKind,
    TransferQuote,
)
from flexsecure.jurisdictions.cn.transfers.temporary import TemporaryAccountRule
from flexsecure.records.ledgers import basis_from_record, entry_from_record
from flexsecure.rules.parameters import ParameterValue, Value
from flexsecure.values import fields as _f
from flexsecure.values.citations import Citation, Evidence
from flexsecure.values.errors import InvalidInput, RecordMismatch
from flexsecure.values.fields import at as _at
from flexsecure.values.fields import get as _get
from flexsecure.values.money import Money
from flexsecure.values.periods import Age, Month

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

_PARAMETER_KEYS = ("name", "region", "effective_from", "effective_until", "value", "citation")
_CITATION_KEYS = ("title", "url", "article", "evidence", "verified", "note", "source_id")
_INTEREST_KEYS = (
    "entry_id", "region", "account", "year", "months", "opening", "current", "rate",
    "rate_year", "assumed", "amount",
)  # fmt: skip
_DUPLICATE_KEYS = (
    "month", "region", "account", "other_region", "other_account", "kept_region",
    "kept_account",
)  # fmt: skip
_MOVE_KEYS = (
    "region", "account", "principal", "interest", "individual_account", "pooled_mode",
    "pooled_rate", "pooled_bases", "pooled_months", "pooled_share", "pooled_forwarded",
    "pooled", "months_held", "months_cleared", "months", "duplicates",
)  # fmt: skip
_TEMPORARY_KEYS = ("required", "to_region", "hukou_region", "sex", "age_months", "min_age_months")
_COMMON_KEYS = ("format", "jurisdiction", "worker_id", "scheme", "currency", "on", "basis",
                "entries", "parameters")  # fmt: skip
_TRANSFER_KEYS = (
    *_COMMON_KEYS, "transfer_id", "kind", "from_region", "to_region", "relation_region",
    "source", "destination", "move", "temporary", "places",
)  # fmt: skip
_LINK_KEYS = (
    *_COMMON_KEYS, "link_id", "direction", "legal_retirement_date", "employee_months",
    "min_employee_months", "resident_balance", "resident_months", "region", "moves",
    "employee_months_after", "resident_balance_after", "resident_months_after",
    "resident_account_pension",
)  # fmt: skip


def _text(data: Any, key: str, path: str) -> str:
    return _f.text(_get(data, key, path), f"{path}.{key}")


def _optional_text(data: Any, key: str, path: str) -> str | None:
    return _f.optional(_get(data, key, path), f"{path}.{key}", _f.text)


def _int(data: Any, key: str, path: str) -> int:
    return _f.integer(_get(data, key, path), f"{path}.{key}")


def _bool(data: Any, key: str, path: str) -> bool:
    return _f.flag(_get(data, key, path), f"{path}.{key}")


def _decimal(data: Any, key: str, path: str) -> Decimal:
    return _f.decimal(_get(data, key, path), f"{path}.{key}")


def _money_of(data: Any, key: str, path: str, currency: str) -> Money:
    return _f.money(_get(data, key, path), f"{path}.{key}", currency)


def _date(data: Any, key: str, path: str) -> dt.date:
    return _f.date(_get(data, key, path), f"{path}.{key}")


def _list(data: Any, key: str, path: str) -> list[Any]:
    return _f.array(_get(data, key, path), f"{path}.{key}")


def _read_value(data: Any, path: str, currency: str) -> Value:
    _f.fields(data, path, ("type", "value"))
    kind = _text(data, "type", path)
    if kind == "flag":
        return _bool(data, "value", path)
    if kind == "integer":
        return _int(data, "value", path)
    if kind == "money":
        return _money_of(data, "value", path, currency)
    if kind == "decimal":
        return _decimal(data, "value", path)
    if kind == "table":
        rows = _get(data, "value", path)
        if not isinstance(rows, Mapping):
            raise InvalidInput(f"{path}.value must be an object, got {rows!r}")
        return MappingProxyType(
            {_at(f"{path}.value", int, row): _decimal(rows, row, f"{path}.value") for row in rows}
        )
    if kind == "name":
        return _text(data, "value", path)
    if kind == "names":
        names = _get(data, "value", path)
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise InvalidInput(f"{path}.value must be a list of names, got {names!r}")
        return tuple(names)
    raise InvalidInput(
        f"{path}.type must be flag, integer, money, decimal, table, name or names, got {kind!r}"
    )


def _read_parameter(data: Any, path: str, currency: str) -> ParameterValue:
    _f.fields(data, path, _PARAMETER_KEYS)
    cite = _get(data, "citation", path)
    where = f"{path}.citation"
    _f.fields(cite, where, _CITATION_KEYS)
    citation = _at(
        where,
        Citation,
        title=_text(cite, "title", where),
        url=_optional_text(cite, "url", where),
        article=_optional_text(cite, "article", where),
        evidence=_at(f"{where}.evidence", Evidence, _text(cite, "evidence", where)),
        verified=_bool(cite, "verified", where),
        note=_optional_text(cite, "note", where),
        source_id=_optional_text(cite, "source_id", where),
    )
    until = _get(data, "effective_until", path)
    return ParameterValue(
        name=_text(data, "name", path),
        region=_optional_text(data, "region", path),
        effective_from=_date(data, "effective_from", path),
        value=_read_value(_get(data, "value", path), f"{path}.value", currency),
        citation=citation,
        effective_until=None if until is None else _date(data, "effective_until", path),
    )


def _read_interest(data: Any, path: str, currency: str) -> InterestCredit:
    _f.fields(data, path, _INTEREST_KEYS)
    return _at(
        path,
        InterestCredit,
        entry_id=_text(data, "entry_id", path),
        region=_text(data, "region", path),
        account=_text(data, "account", path),
        year=_int(data, "year", path),
        months=_int(data, "months", path),
        opening=_money_of(data, "opening", path, currency),
        current=_money_of(data, "current", path, currency),
        rate=_decimal(data, "rate", path),
        rate_year=_int(data, "rate_year", path),
        assumed=_bool(data, "assumed", path),
        amount=_money_of(data, "amount", path, currency),
    )


def _read_duplicate(data: Any, path: str) -> DuplicateMonth:
    _f.fields(data, path, _DUPLICATE_KEYS)
    return DuplicateMonth(
        month=_at(f"{path}.month", Month.parse, _text(data, "month", path)),
        region=_text(data, "region", path),
        account=_text(data, "account", path),
        other_region=_text(data, "other_region", path),
        other_account=_text(data, "other_account", path),
        kept_region=_text(data, "kept_region", path),
        kept_account=_text(data, "kept_account", path),
    )


def _read_move(data: Any, path: str, currency: str) -> AccountMove:
    _f.fields(data, path, _MOVE_KEYS)
    rate = _get(data, "pooled_rate", path)
    return AccountMove(
        region=_text(data, "region", path),
        account=_text(data, "account", path),
        principal=_money_of(data, "principal", path, currency),
        interest=tuple(
            _read_interest(item, f"{path}.interest[{i}]", currency)
            for i, item in enumerate(_list(data, "interest", path))
        ),
        individual_account=_money_of(data, "individual_account", path, currency),
        pooled_mode=_at(f"{path}.pooled_mode", PooledMode, _text(data, "pooled_mode", path)),
        pooled_rate=None if rate is None else _decimal(data, "pooled_rate", path),
        pooled_bases=_money_of(data, "pooled_bases", path, currency),
        pooled_months=_int(data, "pooled_months", path),
        pooled_share=_money_of(data, "pooled_share", path, currency),
        pooled_forwarded=_money_of(data, "pooled_forwarded", path, currency),
        pooled=_money_of(data, "pooled", path, currency),
        months_held=_int(data, "months_held", path),
        months_cleared=_int(data, "months_cleared", path),
        months=_int(data, "months", path),
        duplicates=tuple(
            _read_duplicate(item, f"{path}.duplicates[{i}]")
            for i, item in enumerate(_list(data, "duplicates", path))
        ),
    )


def _read_account(data: Any, key: str, path: str) -> tuple[str, str] | None:
    value = _get(data, key, path)
    if value is None:
        return None
    where = f"{path}.{key}"
    _f.fields(value, where, ("region", "account"))
    return (_text(value, "region", where), _text(value, "account", where))


def _read_common(
    data: Any, worker_id: str, currency: str
) -> tuple[LedgerBasis, tuple[LedgerEntry, ...], tuple[ParameterValue, ...]]:
    basis = basis_from_record(_get(data, "basis", "$"), "$.basis")
    entries = tuple(
        entry_from_record(item, worker_id, currency, f"$.entries[{i}]")
        for i, item in enumerate(_list(data, "entries", "$"))
    )
    parameters = tuple(
        _read_parameter(item, f"$.parameters[{i}]", currency)
        for i, item in enumerate(_list(data, "parameters", "$"))
    )
    return basis, entries, parameters


def _check_format(data: Any, expected: str, keys: tuple[str, ...]) -> None:
    _f.fields(data, "$", keys)
    if data.get("format") != expected:
        raise InvalidInput(f"$.format must be {expected!r}, got {data.get('format')!r}")


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
    _check_format(data, TRANSFER_FORMAT, _TRANSFER_KEYS)
    currency = _text(data, "currency", "$")
    worker_id = _text(data, "worker_id", "$")
    basis, entries, parameters = _read_common(data, worker_id, currency)
    rule_data = _get(data, "temporary", "$")
    rule = None
    if rule_data is not None:
        _f.fields(rule_data, "$.temporary", _TEMPORARY_KEYS)
        rule = _at(
            "$.temporary",
            TemporaryAccountRule,
            required=_bool(rule_data, "required", "$.temporary"),
            to_region=_text(rule_data, "to_region", "$.temporary"),
            hukou_region=_text(rule_data, "hukou_region", "$.temporary"),
            sex=_at("$.temporary.sex", Sex, _text(rule_data, "sex", "$.temporary")),
            age=_at(
                "$.temporary.age_months",
                Age.from_months,
                _int(rule_data, "age_months", "$.temporary"),
            ),
            min_age=_at(
                "$.temporary.min_age_months",
                Age.from_months,
                _int(rule_data, "min_age_months", "$.temporary"),
            ),
        )
    move_data = _get(data, "move", "$")
    places = []
    for i, item in enumerate(_list(data, "places", "$")):
        if not isinstance(item, list) or len(item) != 2:
            raise InvalidInput(f"$.places[{i}] must be [region, months], got {item!r}")
        _f.text(item[0], f"$.places[{i}][0]", limit=16)
        _f.integer(item[1], f"$.places[{i}][1]")
        places.append((item[0], item[1]))
    move = None if move_data is None else _read_move(move_data, "$.move", currency)
    _check_move(move, _check_cancels(entries), "transfer")
    return _at(
        "$",
        TransferQuote,
        transfer_id=_text(data, "transfer_id", "$"),
        kind=_at("$.kind", TransferKind, _text(data, "kind", "$")),
        jurisdiction=_text(data, "jurisdiction", "$"),
        worker_id=worker_id,
        scheme=_text(data, "scheme", "$"),
        currency=currency,
        on=_date(data, "on", "$"),
        from_region=_text(data, "from_region", "$"),
        to_region=_text(data, "to_region", "$"),
        relation_region=_text(data, "relation_region", "$"),
        source=_read_account(data, "source", "$"),
        destination=_read_account(data, "destination", "$"),
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
    _check_format(data, SCHEME_LINK_FORMAT, _LINK_KEYS)
    currency = _text(data, "currency", "$")
    worker_id = _text(data, "worker_id", "$")
    basis, entries, parameters = _read_common(data, worker_id, currency)
    pension = _get(data, "resident_account_pension", "$")
    quote = _at(
        "$",
        SchemeLinkQuote,
        link_id=_text(data, "link_id", "$"),
        direction=_at("$.direction", LinkDirection, _text(data, "direction", "$")),
        jurisdiction=_text(data, "jurisdiction", "$"),
        worker_id=worker_id,
        scheme=_text(data, "scheme", "$"),
        currency=currency,
        on=_date(data, "on", "$"),
        legal_retirement_date=_date(data, "legal_retirement_date", "$"),
        employee_months=_int(data, "employee_months", "$"),
        min_employee_months=_int(data, "min_employee_months", "$"),
        resident_balance=_money_of(data, "resident_balance", "$", currency),
        resident_months=_int(data, "resident_months", "$"),
        region=_optional_text(data, "region", "$"),
        moves=tuple(
            _read_move(item, f"$.moves[{i}]", currency)
            for i, item in enumerate(_list(data, "moves", "$"))
        ),
        employee_months_after=_int(data, "employee_months_after", "$"),
        resident_balance_after=_money_of(data, "resident_balance_after", "$", currency),
        resident_months_after=_int(data, "resident_months_after", "$"),
        resident_account_pension=None
        if pension is None
        else _money_of(data, "resident_account_pension", "$", currency),
        basis=basis,
        entries=entries,
        parameters=parameters,
        from_record=True,
    )
    return _check_link(quote)
