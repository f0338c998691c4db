"""JSON records of a platform's remittance (``flexsecure.remittance/1``) and the agency check.

::

    {"format": "flexsecure.remittance/1", "jurisdiction": "CN", "reforms": [],
     "platform_id": "food-co", "month": "2025-09", "currency": "CNY", "total": "16.31",
     "items": [{"region": "CN-SH", "scheme": "occupational_injury", "due_date": "2025-10-15",
                "amount": "16.31",
                "lines": [{"worker_id": "w-001", "amount": "16.31", "base": null,
                           "rate": "0.07", "orders": 233, "industry": "instant_delivery",
                           "funds": {"pooled": "16.31"}}]}]}

Items come in (region, scheme) order and lines in worker order; amounts are decimal strings.
The JSON Schema ships as package data (:func:`remittance_schema`). Reading is strict: an
unknown or missing key, a wrong type, an amount that is not whole minor units, or an item or
total that does not add up raises :class:`~flexsecure.InvalidInput` naming the JSON path.
:func:`verify_remittance` is the agency's check: it recomputes the remittance from its own
statements and raises :class:`~flexsecure.RecordMismatch` at the first value that differs.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from typing import Any

from flexsecure.calculations.schedules import Remittance, RemittanceItem, RemittanceLine
from flexsecure.calculations.statements import ContributionStatement
from flexsecure.jurisdiction import Jurisdiction, load_jurisdiction
from flexsecure.values.errors import InvalidInput, RecordMismatch
from flexsecure.values.fields import at as _at
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "REMITTANCE_FORMAT",
    "remittance_from_record",
    "remittance_schema",
    "remittance_to_record",
    "verify_remittance",
]

REMITTANCE_FORMAT = "flexsecure.remittance/1"

_TOP = ("format", "jurisdiction", "reforms", "platform_id", "month", "currency", "total", "items")
_ITEM = ("region", "scheme", "due_date", "amount", "lines")
_LINE = ("worker_id", "amount", "base", "rate", "orders", "industry", "funds")


def remittance_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``flexsecure.remittance/1``."""
    text = (
        resources.files("flexsecure.records")
        .joinpath("schemas", "remittance-1.schema.json")
        .read_text(encoding="utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def _money(value: Money) -> str:
    return str(value.amount)


def _rate(rate: Decimal | Money) -> str:
    return str(rate.amount if isinstance(rate, Money) else rate)


def remittance_to_record(remittance: Remittance) -> dict[str, Any]:
    """A ``flexsecure.remittance/1`` record: plain JSON types, amounts as decimal strings."""
    if not isinstance(remittance, Remittance):
        raise InvalidInput(f"remittance must be a Remittance, got {remittance!r}")
    return {
        "format": REMITTANCE_FORMAT,
        "jurisdiction": remittance.jurisdiction,
        "reforms": list(remittance.reforms),
        "platform_id": remittance.platform_id,
        "month": str(remittance.month),
        "currency": remittance.currency,
        "total": _money(remittance.total),
        "items": [
            {
                "region": item.region,
                "scheme": item.scheme,
                "due_date": item.due_date.isoformat(),
                "amount": _money(item.amount),
                "lines": [
                    {
                        "worker_id": line.worker_id,
                        "amount": _money(line.amount),
                        "base": None if line.base is None else _money(line.base),
                        "rate": str(
                            line.rate.amount if isinstance(line.rate, Money) else line.rate
                        ),
                        "orders": line.orders,
                        "industry": line.industry,
                        "funds": {fund: _money(amount) for fund, amount in line.funds},
                    }
                    for line in item.lines
                ],
            }
            for item in remittance.items
        ],
    }


# -- strict reading ------------------------------------------------------------------------


def _object(data: Any, keys: tuple[str, ...], path: str) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{path} must be an object, got {type(data).__name__}")
    for key in data:
        if key not in keys:
            raise InvalidInput(f"{path}.{key} is not a key of {REMITTANCE_FORMAT} here")
    for key in keys:
        if key not in data:
            raise InvalidInput(f"{path}.{key} is missing")
    return data


def _string(value: Any, path: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{path} must be a non-empty string, got {value!r}")
    return value


def _amount(value: Any, path: str, currency: str) -> Money:
    text = _string(value, path)
    money = _at(path, Money, text, currency)
    if money.is_negative or not money.is_whole():
        raise InvalidInput(f"{path} must be >= 0 in whole minor units, got {text!r}")
    return money


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise InvalidInput(f"{path} must be a list, got {type(value).__name__}")
    return value


def _line(data: Any, path: str, currency: str) -> RemittanceLine:
    data = _object(data, _LINE, path)
    base = None if data["base"] is None else _amount(data["base"], path + ".base", currency)
    rate_text = _string(data["rate"], path + ".rate")
    rate: Decimal | Money = (
        _at(path + ".rate", Money, rate_text, currency)
        if base is None
        else _at(path + ".rate", Decimal, rate_text)
    )
    orders = data["orders"]
    if orders is not None and (isinstance(orders, bool) or not isinstance(orders, int)):
        raise InvalidInput(f"{path}.orders must be a whole number or null, got {orders!r}")
    funds = data["funds"]
    if not isinstance(funds, Mapping):
        raise InvalidInput(f"{path}.funds must be an object")
    amount = _amount(data["amount"], path + ".amount", currency)
    parts = tuple(
        (fund, _amount(value, f"{path}.funds.{fund}", currency)) for fund, value in funds.items()
    )
    if parts and sum((m.amount for _, m in parts), Decimal(0)) != amount.amount:
        raise InvalidInput(f"{path}.funds do not sum to the amount {amount.amount}")
    return RemittanceLine(
        worker_id=_string(data["worker_id"], path + ".worker_id"),
        amount=amount,
        base=base,
        rate=rate,
        orders=orders,
        industry=_string(data["industry"], path + ".industry", optional=True),
        funds=parts,
    )


def _item(data: Any, path: str, currency: str) -> RemittanceItem:
    data = _object(data, _ITEM, path)
    lines = tuple(
        _line(line, f"{path}.lines[{i}]", currency)
        for i, line in enumerate(_list(data["lines"], path + ".lines"))
    )
    if not lines:
        raise InvalidInput(f"{path}.lines must not be empty")
    amount = _amount(data["amount"], path + ".amount", currency)
    if sum((line.amount.amount for line in lines), Decimal(0)) != amount.amount:
        raise InvalidInput(f"{path}.amount {amount.amount} is not the sum of its lines")
    return RemittanceItem(
        region=_string(data["region"], path + ".region"),
        scheme=_string(data["scheme"], path + ".scheme"),
        due_date=_at(path + ".due_date", dt.date.fromisoformat, _string(data["due_date"], path)),
        amount=amount,
        lines=lines,
    )


def remittance_from_record(data: Any) -> Remittance:
    """Read a ``flexsecure.remittance/1`` record strictly (see the module docstring)."""
    data = _object(data, _TOP, "$")
    if data["format"] != REMITTANCE_FORMAT:
        raise InvalidInput(f"$.format must be {REMITTANCE_FORMAT!r}, got {data['format']!r}")
    currency = _string(data["currency"], "$.currency")
    _at("$.currency", Money.zero, currency)
    reforms = _list(data["reforms"], "$.reforms")
    items = tuple(
        _item(item, f"$.items[{i}]", currency)
        for i, item in enumerate(_list(data["items"], "$.items"))
    )
    total = _amount(data["total"], "$.total", currency)
    if sum((item.amount.amount for item in items), Decimal(0)) != total.amount:
        raise InvalidInput(f"$.total {total.amount} is not the sum of the items")
    return Remittance(
        platform_id=_string(data["platform_id"], "$.platform_id"),
        month=_at("$.month", Month.parse, data["month"]),
        jurisdiction=_string(data["jurisdiction"], "$.jurisdiction"),
        reforms=tuple(_string(r, f"$.reforms[{i}]") for i, r in enumerate(reforms)),
        currency=currency,
        items=items,
    )


# -- the agency's check --------------------------------------------------------------------


def _first_difference(expected: Any, found: Any, path: str) -> RecordMismatch | None:
    if isinstance(expected, dict) and isinstance(found, dict):
        # details before the sums over them, so the path points at the line that differs
        sums = {"total", "amount"} if ("items" in expected or "lines" in expected) else set()
        for key in sorted(expected, key=lambda k: k in sums):
            difference = _first_difference(expected[key], found.get(key), f"{path}.{key}")
            if difference is not None:
                return difference
        return None
    if isinstance(expected, list) and isinstance(found, list):
        for index, (a, b) in enumerate(zip(expected, found, strict=False)):
            difference = _first_difference(a, b, f"{path}[{index}]")
            if difference is not None:
                return difference
        if len(expected) != len(found):
            index = min(len(expected), len(found))
            return RecordMismatch(
                f"{path}[{index}]",
                expected[index] if index < len(expected) else None,
                found[index] if index < len(found) else None,
            )
        return None
    return None if expected == found else RecordMismatch(path, expected, found)


def verify_remittance(
    record: Any,
    statements: Iterable[ContributionStatement],
    *,
    jurisdiction: Jurisdiction | None = None,
) -> Remittance:
    """Check a platform's ``record`` against the remittance recomputed from ``statements``.

    The jurisdiction is the record's bundled one with its reforms, unless ``jurisdiction``
    is given (a vendor's pack). Returns the recomputed remittance when every value agrees;
    raises :class:`~flexsecure.RecordMismatch` naming the JSON path of the first value that
    differs, or :class:`~flexsecure.InvalidInput` when the record is malformed.
    """
    found = remittance_from_record(record)
    if jurisdiction is None:
        jurisdiction = load_jurisdiction(found.jurisdiction)
        for reform in found.reforms:
            jurisdiction = jurisdiction.with_reform(reform)
    expected = jurisdiction.platform_remittance(
        statements, platform_id=found.platform_id, month=found.month
    )
    difference = _first_difference(remittance_to_record(expected), remittance_to_record(found), "$")
    if difference is not None:
        raise difference
    return expected
