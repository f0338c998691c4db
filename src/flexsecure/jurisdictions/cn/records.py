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

from flexsecure.calculations.accounts.ledger import LedgerBasis, LedgerEntry
from flexsecure.facts.workers import Sex
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
from flexsecure.records.ledgers import entry_from_record, entry_to_record
from flexsecure.rules.parameters import ParameterValue, Value
from flexsecure.values.citations import Citation, Evidence
from flexsecure.values.errors import InvalidInput
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


# -- reading ----------------------------------------------------------------------------------


def _text(data: Any, key: str, path: str) -> str:
    value = _get(data, key, path)
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{path}.{key} must be a non-empty string, got {value!r}")
    return value


def _optional_text(data: Any, key: str, path: str) -> str | None:
    value = _get(data, key, path)
    return None if value is None else _text(data, key, path)


def _int(data: Any, key: str, path: str) -> int:
    value = _get(data, key, path)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{path}.{key} must be a whole number, got {value!r}")
    return value


def _bool(data: Any, key: str, path: str) -> bool:
    value = _get(data, key, path)
    if not isinstance(value, bool):
        raise InvalidInput(f"{path}.{key} must be true or false, got {value!r}")
    return value


def _decimal(data: Any, key: str, path: str) -> Decimal:
    value = _get(data, key, path)
    if not isinstance(value, str):
        raise InvalidInput(f"{path}.{key} must be a decimal string such as '0.12', got {value!r}")
    result = _at(f"{path}.{key}", Decimal, value)
    if not result.is_finite():
        raise InvalidInput(f"{path}.{key} must be a finite decimal, got {value!r}")
    return result


def _money_of(data: Any, key: str, path: str, currency: str) -> Money:
    return _at(f"{path}.{key}", Money, _decimal(data, key, path), currency)


def _date(data: Any, key: str, path: str) -> dt.date:
    return _at(f"{path}.{key}", dt.date.fromisoformat, _text(data, key, path))


def _list(data: Any, key: str, path: str) -> list[Any]:
    value = _get(data, key, path)
    if not isinstance(value, list):
        raise InvalidInput(f"{path}.{key} must be a list, got {type(value).__name__}")
    return value


def _read_value(data: Any, path: str, currency: str) -> Value:
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
    cite = _get(data, "citation", path)
    where = f"{path}.citation"
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
    return (_text(value, "region", where), _text(value, "account", where))


def _read_common(
    data: Any, worker_id: str, currency: str
) -> tuple[LedgerBasis, tuple[LedgerEntry, ...], tuple[ParameterValue, ...]]:
    basis_data = _get(data, "basis", "$")
    basis = LedgerBasis(
        entries=_int(basis_data, "entries", "$.basis"),
        digest=_text(basis_data, "digest", "$.basis"),
    )
    entries = tuple(
        entry_from_record(item, worker_id, currency, f"$.entries[{i}]")
        for i, item in enumerate(_list(data, "entries", "$"))
    )
    parameters = tuple(
        _read_parameter(item, f"$.parameters[{i}]", currency)
        for i, item in enumerate(_list(data, "parameters", "$"))
    )
    return basis, entries, parameters


def _check_format(data: Any, expected: str) -> None:
    if not isinstance(data, Mapping):
        raise InvalidInput(f"$ must be an object, got {type(data).__name__}")
    if data.get("format") != expected:
        raise InvalidInput(f"$.format must be {expected!r}, got {data.get('format')!r}")


def transfer_from_record(data: Mapping[str, Any]) -> TransferQuote:
    """Read a ``flexsecure.transfer/1`` record (already decoded from JSON) back into a quote."""
    _check_format(data, TRANSFER_FORMAT)
    currency = _text(data, "currency", "$")
    worker_id = _text(data, "worker_id", "$")
    basis, entries, parameters = _read_common(data, worker_id, currency)
    rule_data = _get(data, "temporary", "$")
    rule = None
    if rule_data is not None:
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
        if (
            not isinstance(item, list)
            or len(item) != 2
            or not isinstance(item[0], str)
            or isinstance(item[1], bool)
            or not isinstance(item[1], int)
        ):
            raise InvalidInput(f"$.places[{i}] must be [region, months], got {item!r}")
        places.append((item[0], item[1]))
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
        move=None if move_data is None else _read_move(move_data, "$.move", currency),
        temporary=rule,
        places=tuple(places),
        basis=basis,
        entries=entries,
        parameters=parameters,
    )


def scheme_link_from_record(data: Mapping[str, Any]) -> SchemeLinkQuote:
    """Read a ``flexsecure.scheme_link/1`` record back into a quote."""
    _check_format(data, SCHEME_LINK_FORMAT)
    currency = _text(data, "currency", "$")
    worker_id = _text(data, "worker_id", "$")
    basis, entries, parameters = _read_common(data, worker_id, currency)
    pension = _get(data, "resident_account_pension", "$")
    return _at(
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
    )
