"""JSON records of a worker-month: the input a platform backend sends, the statement it gets.

Input (``flexsecure.month/1``)::

    {"format": "flexsecure.month/1", "jurisdiction": "CN", "month": "2025-09",
     "worker": {"id": ..., "birth_date": "1995-04-12", "sex": "male",
                ...the worker facts the jurisdiction registers...},
     "platforms": [{"id": "food-co", "name": "...", "registry_key": "meituan",
                    "premium_classes": {}, "premium_classes_by_region": {}}],
     "engagements": [{"platform_id": ..., "industry": ..., "region": ...,
                      "earnings": "6200.00", "orders": 410}],
     "enrolments": [{"scheme": "pension", "region": "CN-SH", "base": "floor"}]}

Output (``flexsecure.statement/1``): every line with amounts as decimal strings, so a round
trip through JSON is exact, and the notes on work that owed nothing (``reason`` and where).
Bad records raise :class:`~flexsecure.InvalidInput` naming the JSON path of the bad field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from flexsecure.calculations.statements import (
    ContributionLine,
    ContributionStatement,
    StatementNote,
)
from flexsecure.facts.engagements import BaseChoice, Engagement, Enrolment, Platform
from flexsecure.facts.workers import Worker
from flexsecure.records.ledgers import worker_from_record
from flexsecure.values import fields as _f
from flexsecure.values.checks import is_region_code
from flexsecure.values.errors import InvalidInput, RecordMismatch
from flexsecure.values.fields import at as _at
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "MONTH_FORMAT",
    "STATEMENT_FORMAT",
    "MonthRecord",
    "month_from_record",
    "statement_from_record",
    "statement_to_record",
]

T = TypeVar("T")

MONTH_FORMAT = "flexsecure.month/1"
STATEMENT_FORMAT = "flexsecure.statement/1"


@attrs.frozen
class MonthRecord:
    """A parsed worker-month: everything :meth:`Jurisdiction.monthly_contributions` needs."""

    jurisdiction: str
    month: Month
    worker: Worker
    engagements: tuple[Engagement, ...]
    enrolments: tuple[Enrolment, ...]
    platforms: tuple[Platform, ...]


def _base_choice(value: Any, currency: str, path: str) -> BaseChoice:
    if isinstance(value, str):
        if value.startswith("grade:"):
            return _at(path, BaseChoice.grade, value.removeprefix("grade:"))
        if value.startswith("declared:"):
            amount = _f.money(value.removeprefix("declared:"), path, currency)
            return BaseChoice.declared(amount)
        if value in ("floor", "ceiling", "earnings"):
            return BaseChoice(value)
    raise InvalidInput(
        f"{path} must be 'floor', 'ceiling', 'earnings', 'grade:0.6' or 'declared:10000', "
        f"got {value!r}"
    )


_MONTH_KEYS = ("format", "jurisdiction", "month", "worker", "engagements")
_ENGAGEMENT_KEYS = ("platform_id", "industry", "region", "earnings")


def _jurisdiction_code(value: Any, path: str) -> str:
    if not (isinstance(value, str) and len(value) == 2 and value.isascii() and value.isupper()):
        raise InvalidInput(f"{path} must be a jurisdiction code such as 'CN', got {value!r}")
    return value


def _classes(value: Any, path: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidInput(f"{path} must be an object, got {type(value).__name__}")
    return {_f.identifier(k, path): _f.identifier(v, f"{path}.{k}") for k, v in value.items()}


def _platform(data: Any, path: str) -> Platform:
    data = _f.fields(
        data,
        path,
        ("id",),
        ("name", "premium_classes", "registry_key", "premium_classes_by_region"),
    )
    by_region = data.get("premium_classes_by_region", {})
    if not isinstance(by_region, Mapping):
        raise InvalidInput(f"{path}.premium_classes_by_region must be an object")
    return _at(
        path,
        Platform,
        _f.identifier(data["id"], f"{path}.id"),
        name=_f.text(data["name"], f"{path}.name") if "name" in data else "",
        premium_classes=_classes(data.get("premium_classes", {}), f"{path}.premium_classes"),
        registry_key=_f.optional(data.get("registry_key"), f"{path}.registry_key", _f.text),
        premium_classes_by_region={
            _at(f"{path}.premium_classes_by_region", _region, region): _classes(
                classes, f"{path}.premium_classes_by_region.{region}"
            )
            for region, classes in by_region.items()
        },
    )


def _engagement(data: Any, path: str, worker_id: str, month: Month, currency: str) -> Engagement:
    data = _f.fields(data, path, _ENGAGEMENT_KEYS, ("orders", "hours", "vehicle"))
    hours = data.get("hours")
    vehicle = data.get("vehicle")
    if vehicle is not None and not isinstance(vehicle, (str, list)):
        raise InvalidInput(f"{path}.vehicle must be a name or a list of names, got {vehicle!r}")
    return _at(
        path,
        Engagement,
        worker_id=worker_id,
        platform_id=_f.identifier(data["platform_id"], f"{path}.platform_id"),
        industry=_f.identifier(data["industry"], f"{path}.industry"),
        region=_f.text(data["region"], f"{path}.region", limit=16),
        month=month,
        earnings=_f.money(data["earnings"], f"{path}.earnings", currency),
        orders=_f.integer(data.get("orders", 0), f"{path}.orders", minimum=0),
        hours=None if hours is None else _f.decimal(hours, f"{path}.hours"),
        vehicle=tuple(vehicle) if isinstance(vehicle, list) else vehicle,
    )


def _enrolment(data: Any, path: str, currency: str) -> Enrolment:
    data = _f.fields(data, path, ("scheme", "region"), ("base",))
    return _at(
        path,
        Enrolment,
        scheme=_f.identifier(data["scheme"], f"{path}.scheme"),
        region=_f.text(data["region"], f"{path}.region", limit=16),
        base=_base_choice(data.get("base", "floor"), currency, f"{path}.base"),
    )


def month_from_record(data: Any, currency: str) -> MonthRecord:
    """Parse a ``flexsecure.month/1`` record (already decoded from JSON); amounts are in
    ``currency``, the currency of the jurisdiction the record is for. Strict: an unknown or
    missing key, a float, a malformed value raise :class:`~flexsecure.InvalidInput` naming the
    JSON path."""
    data = _f.fields(data, "$", _MONTH_KEYS, ("platforms", "enrolments"))
    if data["format"] != MONTH_FORMAT:
        raise InvalidInput(f"$.format must be {MONTH_FORMAT!r}, got {data['format']!r}")
    jurisdiction = _jurisdiction_code(data["jurisdiction"], "$.jurisdiction")
    month = _at("$.month", Month.parse, data["month"])
    worker = worker_from_record(data["worker"], "$.worker")
    platforms = tuple(
        _platform(p, f"$.platforms[{i}]")
        for i, p in enumerate(_f.array(data.get("platforms", []), "$.platforms"))
    )
    engagements = tuple(
        _engagement(e, f"$.engagements[{i}]", worker.id, month, currency)
        for i, e in enumerate(_f.array(data["engagements"], "$.engagements"))
    )
    enrolments = tuple(
        _enrolment(e, f"$.enrolments[{i}]", currency)
        for i, e in enumerate(_f.array(data.get("enrolments", []), "$.enrolments"))
    )
    return MonthRecord(
        jurisdiction=jurisdiction,
        month=month,
        worker=worker,
        engagements=engagements,
        enrolments=enrolments,
        platforms=platforms,
    )


def _money(value: Money | None) -> str | None:
    return None if value is None else str(value.amount)


def statement_to_record(statement: ContributionStatement) -> dict[str, Any]:
    """A ``flexsecure.statement/1`` record: plain JSON types, amounts as decimal strings."""
    return {
        "format": STATEMENT_FORMAT,
        "jurisdiction": statement.jurisdiction,
        "reforms": list(statement.reforms),
        "worker_id": statement.worker_id,
        "month": str(statement.month),
        "currency": statement.currency,
        "earnings": _money(statement.earnings),
        "lines": [
            {
                "scheme": line.scheme,
                "payer": line.payer,
                "platform_id": line.platform_id,
                "region": line.region,
                "industry": line.industry,
                "base": _money(line.base),
                "orders": line.orders,
                "rate": str(line.rate.amount if isinstance(line.rate, Money) else line.rate),
                "amount": str(line.amount.amount),
                "funds": {fund: str(amount.amount) for fund, amount in line.funds},
            }
            for line in statement.lines
        ],
        "totals": {
            payer: str(statement.total(payer=payer).amount)
            for payer in sorted({line.payer for line in statement.lines})
        },
        "notes": [
            {
                "scheme": note.scheme,
                "reason": note.reason,
                "platform_id": note.platform_id,
                "region": note.region,
                "industry": note.industry,
                "orders": note.orders,
            }
            for note in statement.notes
        ],
    }


_STATEMENT_KEYS = (
    "format", "jurisdiction", "reforms", "worker_id", "month", "currency", "earnings", "lines",
    "totals", "notes",
)  # fmt: skip
_NOTE_KEYS = ("scheme", "reason", "platform_id", "region", "industry", "orders")
_LINE_KEYS = (
    "scheme", "payer", "platform_id", "region", "industry", "base", "orders", "rate", "amount",
    "funds",
)  # fmt: skip


def _line(data: Any, path: str, currency: str) -> ContributionLine:
    data = _f.fields(data, path, _LINE_KEYS)
    base = _f.optional(data["base"], f"{path}.base", lambda v, p: _f.money(v, p, currency))
    if base is not None and base.is_negative:
        raise InvalidInput(f"{path}.base must be >= 0, got {data['base']!r}")
    rate: Decimal | Money = (
        _f.money(data["rate"], f"{path}.rate", currency, whole=False)
        if base is None
        else _f.decimal(data["rate"], f"{path}.rate")
    )
    amount = _f.money(data["amount"], f"{path}.amount", currency)
    if (
        amount.is_negative
        or (isinstance(rate, Decimal) and rate < 0)
        or (isinstance(rate, Money) and rate.is_negative)
    ):
        raise InvalidInput(f"{path}: amount and rate must be >= 0")
    funds_data = data["funds"]
    if not isinstance(funds_data, Mapping):
        raise InvalidInput(f"{path}.funds must be an object, got {type(funds_data).__name__}")
    funds = tuple(
        (
            _f.identifier(fund, f"{path}.funds"),
            _f.money(value, f"{path}.funds.{fund}", currency),
        )
        for fund, value in funds_data.items()
    )
    if funds and sum((m.amount for _, m in funds), Decimal(0)) != amount.amount:
        raise InvalidInput(f"{path}.funds do not sum to the amount {amount.amount}")
    orders = _f.optional(data["orders"], f"{path}.orders", lambda v, p: _f.integer(v, p, minimum=0))
    return ContributionLine(
        scheme=_f.identifier(data["scheme"], f"{path}.scheme"),
        payer=_f.identifier(data["payer"], f"{path}.payer"),
        platform_id=_f.optional(data["platform_id"], f"{path}.platform_id", _f.identifier),
        region=_at(f"{path}.region", _region, data["region"]),
        base=base,
        rate=rate,
        amount=amount,
        funds=funds,
        orders=orders,
        industry=_f.optional(data["industry"], f"{path}.industry", _f.identifier),
    )


def _region(value: Any) -> str:
    if not is_region_code(value):
        raise InvalidInput(f"must be an ISO 3166-2 code such as 'CN-SH', got {value!r}")
    assert isinstance(value, str)
    return value


def statement_from_record(data: Any) -> ContributionStatement:
    """Read back a ``flexsecure.statement/1`` record (explanations are not carried).

    Strict, like every reader: unknown or missing keys, floats, funds that do not sum to their
    line and totals that are not the sums of their lines are errors naming the JSON path. The
    lines are what the record says; :func:`~flexsecure.records.verify_statement` checks them
    against the jurisdiction's rules, and only a verified statement can be posted to a ledger.
    """
    data = _f.fields(data, "$", _STATEMENT_KEYS)
    if data["format"] != STATEMENT_FORMAT:
        raise InvalidInput(f"$.format must be {STATEMENT_FORMAT!r}, got {data['format']!r}")
    currency = _f.text(data["currency"], "$.currency", limit=3)
    _at("$.currency", Money.zero, currency)
    lines = tuple(
        _line(line, f"$.lines[{i}]", currency)
        for i, line in enumerate(_f.array(data["lines"], "$.lines"))
    )
    totals = data["totals"]
    if not isinstance(totals, Mapping):
        raise InvalidInput(f"$.totals must be an object, got {type(totals).__name__}")
    payers = sorted({line.payer for line in lines})
    if sorted(totals) != payers:
        raise InvalidInput(
            f"$.totals must have one total per payer of the lines ({', '.join(payers) or 'none'})"
            f", got {', '.join(sorted(map(str, totals))) or 'none'}"
        )
    for payer in payers:
        total = _f.money(totals[payer], f"$.totals.{payer}", currency)
        found = sum((line.amount.amount for line in lines if line.payer == payer), Decimal(0))
        if found != total.amount:
            raise RecordMismatch(f"$.totals.{payer}", str(found), str(total.amount))
    reforms = tuple(
        _f.identifier(r, f"$.reforms[{i}]")
        for i, r in enumerate(_f.array(data["reforms"], "$.reforms"))
    )
    earnings = _f.optional(data["earnings"], "$.earnings", lambda v, p: _f.money(v, p, currency))
    return _at(
        "$",
        ContributionStatement,
        worker_id=_f.identifier(data["worker_id"], "$.worker_id"),
        month=_at("$.month", Month.parse, data["month"]),
        currency=currency,
        lines=lines,
        jurisdiction=_jurisdiction_code(data["jurisdiction"], "$.jurisdiction"),
        reforms=reforms,
        earnings=earnings,
        notes=tuple(
            _note(note, f"$.notes[{i}]")
            for i, note in enumerate(_f.array(data["notes"], "$.notes"))
        ),
    )


def _count(value: Any, path: str) -> int:
    return _f.integer(value, path, minimum=0)


def _note(data: Any, path: str) -> StatementNote:
    data = _f.fields(data, path, _NOTE_KEYS)
    return StatementNote(
        scheme=_f.identifier(data["scheme"], f"{path}.scheme"),
        reason=_f.identifier(data["reason"], f"{path}.reason"),
        platform_id=_f.optional(data["platform_id"], f"{path}.platform_id", _f.identifier),
        region=_at(f"{path}.region", _region, data["region"]),
        industry=_f.optional(data["industry"], f"{path}.industry", _f.identifier),
        orders=_f.optional(
            data["orders"], f"{path}.orders", lambda v, p: _f.integer(v, p, minimum=0)
        ),
    )
