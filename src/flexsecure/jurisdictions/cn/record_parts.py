"""Reading the parts a transfer record and a scheme-link record share: parameter values with
their citations, interest credits, duplicate months, account moves, and the common keys.

Every reader names the JSON path of a bad field (:class:`~flexsecure.InvalidInput`), as the
records in :mod:`flexsecure.jurisdictions.cn.records` promise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

from flexsecure.calculations.accounts.ledger import LedgerBasis, LedgerEntry
from flexsecure.jurisdictions.cn.transfers.moves import (
    AccountMove,
    DuplicateMonth,
    InterestCredit,
    PooledMode,
)
from flexsecure.records.ledgers import basis_from_record, entry_from_record
from flexsecure.rules.parameters import ParameterValue, Value
from flexsecure.values import fields as _f
from flexsecure.values.citations import Citation, Evidence
from flexsecure.values.errors import InvalidInput
from flexsecure.values.fields import at as _at
from flexsecure.values.fields import get as _get
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

T = TypeVar("T")

__all__ = [
    "CITATION_KEYS",
    "COMMON_KEYS",
    "DUPLICATE_KEYS",
    "INTEREST_KEYS",
    "MOVE_KEYS",
    "PARAMETER_KEYS",
    "TEMPORARY_KEYS",
    "check_format",
    "date_at",
    "decimal_at",
    "flag_at",
    "integer_at",
    "list_at",
    "money_at",
    "optional_text_at",
    "read_account",
    "read_common",
    "read_duplicate",
    "read_interest",
    "read_move",
    "read_parameter",
    "read_value",
    "text_at",
]


PARAMETER_KEYS = ("name", "region", "effective_from", "effective_until", "value", "citation")
CITATION_KEYS = ("title", "url", "article", "evidence", "verified", "note", "source_id")
INTEREST_KEYS = (
    "entry_id", "region", "account", "year", "months", "opening", "current", "rate",
    "rate_year", "assumed", "amount",
)  # fmt: skip
DUPLICATE_KEYS = (
    "month", "region", "account", "other_region", "other_account", "kept_region",
    "kept_account",
)  # fmt: skip
MOVE_KEYS = (
    "region", "account", "principal", "interest", "individual_account", "pooled_mode",
    "pooled_rate", "pooled_bases", "pooled_months", "pooled_share", "pooled_forwarded",
    "pooled", "months_held", "months_cleared", "months", "duplicates",
)  # fmt: skip
TEMPORARY_KEYS = ("required", "to_region", "hukou_region", "sex", "age_months", "min_age_months")
COMMON_KEYS = ("format", "jurisdiction", "worker_id", "scheme", "currency", "on", "basis",
                "entries", "parameters")  # fmt: skip


def text_at(data: Any, key: str, path: str) -> str:
    return _f.text(_get(data, key, path), f"{path}.{key}")


def optional_text_at(data: Any, key: str, path: str) -> str | None:
    return _f.optional(_get(data, key, path), f"{path}.{key}", _f.text)


def integer_at(data: Any, key: str, path: str) -> int:
    return _f.integer(_get(data, key, path), f"{path}.{key}")


def flag_at(data: Any, key: str, path: str) -> bool:
    return _f.flag(_get(data, key, path), f"{path}.{key}")


def decimal_at(data: Any, key: str, path: str) -> Decimal:
    return _f.decimal(_get(data, key, path), f"{path}.{key}")


def money_at(data: Any, key: str, path: str, currency: str) -> Money:
    return _f.money(_get(data, key, path), f"{path}.{key}", currency)


def date_at(data: Any, key: str, path: str) -> dt.date:
    return _f.date(_get(data, key, path), f"{path}.{key}")


def list_at(data: Any, key: str, path: str) -> list[Any]:
    return _f.array(_get(data, key, path), f"{path}.{key}")


def read_value(data: Any, path: str, currency: str) -> Value:
    _f.fields(data, path, ("type", "value"))
    kind = text_at(data, "type", path)
    if kind == "flag":
        return flag_at(data, "value", path)
    if kind == "integer":
        return integer_at(data, "value", path)
    if kind == "money":
        return money_at(data, "value", path, currency)
    if kind == "decimal":
        return decimal_at(data, "value", path)
    if kind == "table":
        rows = _get(data, "value", path)
        if not isinstance(rows, Mapping):
            raise InvalidInput(f"{path}.value must be an object, got {rows!r}")
        return MappingProxyType(
            {_at(f"{path}.value", int, row): decimal_at(rows, row, f"{path}.value") for row in rows}
        )
    if kind == "name":
        return text_at(data, "value", path)
    if kind == "names":
        names = _get(data, "value", path)
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise InvalidInput(f"{path}.value must be a list of names, got {names!r}")
        return tuple(names)
    raise InvalidInput(
        f"{path}.type must be flag, integer, money, decimal, table, name or names, got {kind!r}"
    )


def read_parameter(data: Any, path: str, currency: str) -> ParameterValue:
    _f.fields(data, path, PARAMETER_KEYS)
    cite = _get(data, "citation", path)
    where = f"{path}.citation"
    _f.fields(cite, where, CITATION_KEYS)
    citation = _at(
        where,
        Citation,
        title=text_at(cite, "title", where),
        url=optional_text_at(cite, "url", where),
        article=optional_text_at(cite, "article", where),
        evidence=_at(f"{where}.evidence", Evidence, text_at(cite, "evidence", where)),
        verified=flag_at(cite, "verified", where),
        note=optional_text_at(cite, "note", where),
        source_id=optional_text_at(cite, "source_id", where),
    )
    until = _get(data, "effective_until", path)
    return ParameterValue(
        name=text_at(data, "name", path),
        region=optional_text_at(data, "region", path),
        effective_from=date_at(data, "effective_from", path),
        value=read_value(_get(data, "value", path), f"{path}.value", currency),
        citation=citation,
        effective_until=None if until is None else date_at(data, "effective_until", path),
    )


def read_interest(data: Any, path: str, currency: str) -> InterestCredit:
    _f.fields(data, path, INTEREST_KEYS)
    return _at(
        path,
        InterestCredit,
        entry_id=text_at(data, "entry_id", path),
        region=text_at(data, "region", path),
        account=text_at(data, "account", path),
        year=integer_at(data, "year", path),
        months=integer_at(data, "months", path),
        opening=money_at(data, "opening", path, currency),
        current=money_at(data, "current", path, currency),
        rate=decimal_at(data, "rate", path),
        rate_year=integer_at(data, "rate_year", path),
        assumed=flag_at(data, "assumed", path),
        amount=money_at(data, "amount", path, currency),
    )


def read_duplicate(data: Any, path: str) -> DuplicateMonth:
    _f.fields(data, path, DUPLICATE_KEYS)
    return DuplicateMonth(
        month=_at(f"{path}.month", Month.parse, text_at(data, "month", path)),
        region=text_at(data, "region", path),
        account=text_at(data, "account", path),
        other_region=text_at(data, "other_region", path),
        other_account=text_at(data, "other_account", path),
        kept_region=text_at(data, "kept_region", path),
        kept_account=text_at(data, "kept_account", path),
    )


def read_move(data: Any, path: str, currency: str) -> AccountMove:
    _f.fields(data, path, MOVE_KEYS)
    rate = _get(data, "pooled_rate", path)
    return AccountMove(
        region=text_at(data, "region", path),
        account=text_at(data, "account", path),
        principal=money_at(data, "principal", path, currency),
        interest=tuple(
            read_interest(item, f"{path}.interest[{i}]", currency)
            for i, item in enumerate(list_at(data, "interest", path))
        ),
        individual_account=money_at(data, "individual_account", path, currency),
        pooled_mode=_at(f"{path}.pooled_mode", PooledMode, text_at(data, "pooled_mode", path)),
        pooled_rate=None if rate is None else decimal_at(data, "pooled_rate", path),
        pooled_bases=money_at(data, "pooled_bases", path, currency),
        pooled_months=integer_at(data, "pooled_months", path),
        pooled_share=money_at(data, "pooled_share", path, currency),
        pooled_forwarded=money_at(data, "pooled_forwarded", path, currency),
        pooled=money_at(data, "pooled", path, currency),
        months_held=integer_at(data, "months_held", path),
        months_cleared=integer_at(data, "months_cleared", path),
        months=integer_at(data, "months", path),
        duplicates=tuple(
            read_duplicate(item, f"{path}.duplicates[{i}]")
            for i, item in enumerate(list_at(data, "duplicates", path))
        ),
    )


def read_account(data: Any, key: str, path: str) -> tuple[str, str] | None:
    value = _get(data, key, path)
    if value is None:
        return None
    where = f"{path}.{key}"
    _f.fields(value, where, ("region", "account"))
    return (text_at(value, "region", where), text_at(value, "account", where))


def read_common(
    data: Any, worker_id: str, currency: str
) -> tuple[LedgerBasis, tuple[LedgerEntry, ...], tuple[ParameterValue, ...]]:
    basis = basis_from_record(_get(data, "basis", "$"), "$.basis")
    entries = tuple(
        entry_from_record(item, worker_id, currency, f"$.entries[{i}]")
        for i, item in enumerate(list_at(data, "entries", "$"))
    )
    parameters = tuple(
        read_parameter(item, f"$.parameters[{i}]", currency)
        for i, item in enumerate(list_at(data, "parameters", "$"))
    )
    return basis, entries, parameters


def check_format(data: Any, expected: str, keys: tuple[str, ...]) -> None:
    _f.fields(data, "$", keys)
    if data.get("format") != expected:
        raise InvalidInput(f"$.format must be {expected!r}, got {data.get('format')!r}")
