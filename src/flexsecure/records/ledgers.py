"""JSON records of a ledger (``flexsecure.ledger/1``): every entry, exactly.

::

    {"format": "flexsecure.ledger/1", "worker_id": "w-001", "currency": "CNY",
     "worker": {"id": "w-001", "birth_date": "1991-05-17", "sex": "male",
                ...the worker facts the jurisdiction registers...},
     "entries": [{"id": "contribution/w-001/pension/CN-SH/2025-09/worker/-",
                  "kind": "contribution", "scheme": "pension", "region": "CN-SH",
                  "month": "2025-09", "booked_on": "2025-09-30",
                  "funds": {"individual_account": "596.80", "pooled": "895.20"},
                  "base": "7460", "months": 1, "reference": null, "note": null,
                  "account": "regular", "payer": "worker", "platform_id": null,
                  "rate": "0.20"}]}

``worker`` is ``null`` for a ledger built without the worker (``Ledger(worker_id=...)``); a
record without the key reads as ``null``. It never holds a personal fact (an identity
number): the ledger does not keep one. ``currency`` is ``null`` for a ledger nothing was posted to
yet. Amounts and rates are decimal strings and dates ISO 8601, so a round trip through
JSON gives back an equal ledger. Reading checks every entry as :meth:`Ledger.apply` does; a
bad record raises :class:`~flexsecure.InvalidInput` naming the JSON path of the bad field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from flexsecure.calculations.accounts.ledger import Ledger, LedgerEntry
from flexsecure.facts.workers import Worker, worker_facts
from flexsecure.values.errors import InvalidInput, LedgerConflict
from flexsecure.values.fields import at as _at
from flexsecure.values.fields import get as _get
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "LEDGER_FORMAT",
    "entry_from_record",
    "entry_to_record",
    "ledger_from_record",
    "ledger_to_record",
    "worker_from_record",
    "worker_to_record",
]

LEDGER_FORMAT = "flexsecure.ledger/1"

T = TypeVar("T")


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def entry_to_record(entry: LedgerEntry) -> dict[str, Any]:
    """One entry as plain JSON types (the ``entries`` items of a ledger record)."""
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "scheme": entry.scheme,
        "region": entry.region,
        "month": None if entry.month is None else str(entry.month),
        "booked_on": entry.booked_on.isoformat(),
        "funds": {fund: str(amount.amount) for fund, amount in entry.funds},
        "base": None if entry.base is None else str(entry.base.amount),
        "months": entry.months,
        "reference": entry.reference,
        "note": entry.note,
        "account": entry.account,
        "payer": entry.payer,
        "platform_id": entry.platform_id,
        "rate": _text(entry.rate),
        "marker": entry.marker,
    }


def ledger_to_record(ledger: Ledger) -> dict[str, Any]:
    """A ``flexsecure.ledger/1`` record of ``ledger``: plain JSON types, entries in order."""
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    return {
        "format": LEDGER_FORMAT,
        "worker_id": ledger.worker_id,
        "currency": ledger.currency,
        "worker": None if ledger.worker is None else worker_to_record(ledger.worker),
        "entries": [entry_to_record(entry) for entry in ledger.entries],
    }


def worker_to_record(worker: Worker) -> dict[str, Any]:
    """The worker as plain JSON types: id, birth date, sex if known, and every registered fact
    given for them except personal ones (an identity number is never written)."""
    record: dict[str, Any] = {"id": worker.id, "birth_date": worker.birth_date.isoformat()}
    if worker.sex is not None:
        record["sex"] = worker.sex.value
    known = worker_facts()
    for name, value in sorted(worker.facts.items()):
        fact = known.get(name)
        if fact is not None and not fact.personal:
            record[name] = fact.to_json(value)
    return record


def worker_from_record(data: Any, path: str) -> Worker:
    """Read :func:`worker_to_record`'s output (and, from a platform's record, personal facts
    such as an identity number); errors name the JSON ``path`` of the bad field."""
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{path} must be an object, got {data!r}")
    facts = {k: v for k, v in data.items() if k not in {"id", "birth_date", "sex"}}
    return _at(
        path,
        Worker,
        id=_get(data, "id", path),
        birth_date=_at(f"{path}.birth_date", dt.date.fromisoformat, _get(data, "birth_date", path)),
        sex=data.get("sex"),
        **facts,
    )


def _decimal(value: Any, path: str) -> Decimal:
    if not isinstance(value, str):
        raise InvalidInput(f"{path} must be a decimal string such as '596.80', got {value!r}")
    return _at(path, Decimal, value)


def _optional(value: Any, path: str, read: Callable[[Any, str], T]) -> T | None:
    return None if value is None else read(value, path)


def entry_from_record(data: Any, worker_id: str, currency: str, path: str) -> LedgerEntry:
    """Read one :func:`entry_to_record` item; errors name the JSON ``path`` of the bad field."""
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{path} must be an object, got {data!r}")
    funds_data = _get(data, "funds", path)
    if not isinstance(funds_data, Mapping):
        raise InvalidInput(f"{path}.funds must be an object of decimal strings, got {funds_data!r}")
    funds = {
        fund: Money(_decimal(amount, f"{path}.funds.{fund}"), currency)
        for fund, amount in funds_data.items()
    }
    return _at(
        path,
        LedgerEntry,
        id=_get(data, "id", path),
        kind=_get(data, "kind", path),
        worker_id=worker_id,
        scheme=_get(data, "scheme", path),
        region=_get(data, "region", path),
        month=_optional(
            _get(data, "month", path), f"{path}.month", lambda v, p: _at(p, Month.parse, v)
        ),
        booked_on=_at(f"{path}.booked_on", dt.date.fromisoformat, _get(data, "booked_on", path)),
        funds=funds,
        base=_optional(
            data.get("base"), f"{path}.base", lambda v, p: Money(_decimal(v, p), currency)
        ),
        months=data.get("months", 0),
        reference=data.get("reference"),
        note=data.get("note"),
        account=data.get("account", "regular"),
        payer=data.get("payer"),
        platform_id=data.get("platform_id"),
        rate=_optional(data.get("rate"), f"{path}.rate", _decimal),
        marker=data.get("marker"),
    )


def ledger_from_record(data: Mapping[str, Any]) -> Ledger:
    """Read a ``flexsecure.ledger/1`` record (already decoded from JSON) back into a Ledger."""
    if _get(data, "format", "$") != LEDGER_FORMAT:
        raise InvalidInput(f"$.format must be {LEDGER_FORMAT!r}, got {data.get('format')!r}")
    worker_id = _get(data, "worker_id", "$")
    currency = _get(data, "currency", "$")
    worker_data = data.get("worker")
    worker = None if worker_data is None else worker_from_record(worker_data, "$.worker")
    ledger = _at("$", Ledger, worker_id=worker_id, currency=currency, worker=worker)
    raw = _get(data, "entries", "$")
    if not isinstance(raw, list):
        raise InvalidInput(f"$.entries must be a list, got {type(raw).__name__}")
    entries = [
        entry_from_record(item, worker_id, currency, f"$.entries[{index}]")
        for index, item in enumerate(raw)
    ]
    try:
        return ledger.apply(entries)
    except LedgerConflict as error:
        raise LedgerConflict(f"$.entries: {error}") from None
    except InvalidInput as error:
        raise InvalidInput(f"$.entries: {error}") from None
