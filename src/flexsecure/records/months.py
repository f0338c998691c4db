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
from flexsecure.values.errors import InvalidInput
from flexsecure.values.fields import at as _at
from flexsecure.values.fields import get as _get
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
            amount = _at(path, Money, value.removeprefix("declared:"), currency)
            return BaseChoice.declared(amount)
        return _at(path, BaseChoice, value)
    raise InvalidInput(
        f"{path} must be 'floor', 'ceiling', 'earnings', 'grade:0.6' or 'declared:10000', "
        f"got {value!r}"
    )


def month_from_record(data: Mapping[str, Any], currency: str) -> MonthRecord:
    """Parse a ``flexsecure.month/1`` record (already decoded from JSON); amounts are in
    ``currency``, the currency of the jurisdiction the record is for."""
    if _get(data, "format", "$") != MONTH_FORMAT:
        raise InvalidInput(f"$.format must be {MONTH_FORMAT!r}, got {data.get('format')!r}")
    month = _at("$.month", Month.parse, _get(data, "month", "$"))
    worker = worker_from_record(_get(data, "worker", "$"), "$.worker")
    platforms = tuple(
        _at(
            f"$.platforms[{i}]",
            Platform,
            _get(p, "id", f"$.platforms[{i}]"),
            name=p.get("name", ""),
            premium_classes=p.get("premium_classes", {}),
            registry_key=p.get("registry_key"),
            premium_classes_by_region=p.get("premium_classes_by_region", {}),
        )
        for i, p in enumerate(data.get("platforms", []))
    )
    engagements = tuple(
        _at(
            f"$.engagements[{i}]",
            Engagement,
            worker_id=worker.id,
            platform_id=_get(e, "platform_id", f"$.engagements[{i}]"),
            industry=_get(e, "industry", f"$.engagements[{i}]"),
            region=_get(e, "region", f"$.engagements[{i}]"),
            month=month,
            earnings=_at(
                f"$.engagements[{i}].earnings",
                Money,
                _get(e, "earnings", f"$.engagements[{i}]"),
                currency,
            ),
            orders=e.get("orders", 0),
        )
        for i, e in enumerate(_get(data, "engagements", "$"))
    )
    enrolments = tuple(
        _at(
            f"$.enrolments[{i}]",
            Enrolment,
            scheme=_get(e, "scheme", f"$.enrolments[{i}]"),
            region=_get(e, "region", f"$.enrolments[{i}]"),
            base=_base_choice(e.get("base", "floor"), currency, f"$.enrolments[{i}].base"),
        )
        for i, e in enumerate(data.get("enrolments", []))
    )
    return MonthRecord(
        jurisdiction=_get(data, "jurisdiction", "$"),
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


def statement_from_record(data: Mapping[str, Any]) -> ContributionStatement:
    """Read back a ``flexsecure.statement/1`` record (explanations are not carried)."""
    if _get(data, "format", "$") != STATEMENT_FORMAT:
        raise InvalidInput(f"$.format must be {STATEMENT_FORMAT!r}, got {data.get('format')!r}")
    currency = _get(data, "currency", "$")

    def money(value: str | None, path: str) -> Money | None:
        return None if value is None else _at(path, Money, value, currency)

    lines = []
    for i, line in enumerate(_get(data, "lines", "$")):
        path = f"$.lines[{i}]"
        base = money(line.get("base"), path + ".base")
        rate_text = _get(line, "rate", path)
        if not isinstance(rate_text, str):
            raise InvalidInput(f"{path}.rate must be a decimal string, got {rate_text!r}")
        rate: Decimal | Money = (
            _at(path + ".rate", Money, rate_text, currency)
            if base is None
            else _at(path + ".rate", Decimal, rate_text)
        )
        amount = money(_get(line, "amount", path), path + ".amount")
        assert amount is not None
        lines.append(
            ContributionLine(
                scheme=_get(line, "scheme", path),
                payer=_get(line, "payer", path),
                platform_id=line.get("platform_id"),
                region=_get(line, "region", path),
                base=base,
                rate=rate,
                amount=amount,
                funds=tuple(
                    (fund, _at(f"{path}.funds.{fund}", Money, value, currency))
                    for fund, value in _get(line, "funds", path).items()
                ),
                orders=line.get("orders"),
                industry=line.get("industry"),
            )
        )
    return ContributionStatement(
        worker_id=_get(data, "worker_id", "$"),
        month=_at("$.month", Month.parse, _get(data, "month", "$")),
        currency=currency,
        lines=tuple(lines),
        jurisdiction=_get(data, "jurisdiction", "$"),
        reforms=tuple(data.get("reforms", ())),
        earnings=money(data.get("earnings"), "$.earnings"),
        notes=tuple(
            StatementNote(
                scheme=_get(note, "scheme", f"$.notes[{i}]"),
                reason=_get(note, "reason", f"$.notes[{i}]"),
                platform_id=note.get("platform_id"),
                region=_get(note, "region", f"$.notes[{i}]"),
                industry=note.get("industry"),
                orders=note.get("orders"),
            )
            for i, note in enumerate(data.get("notes", []))
        ),
    )
