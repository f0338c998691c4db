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

``dues`` holds the statement lines posted as owed and not settled by payments alone (kind
``"due"``, see :attr:`Ledger.dues <flexsecure.calculations.accounts.Ledger.dues>`); a
record without the key has none. ``worker`` is ``null`` for a ledger built without the
worker (``Ledger(worker_id=...)``); a record without the key reads as ``null``. It never
holds a personal fact (an identity number): the ledger does not keep one. ``currency`` is
``null`` for a ledger nothing was posted to yet. Amounts and rates are decimal strings and
dates ISO 8601, so a round trip through JSON gives back an equal ledger. Reading checks every
entry as :meth:`Ledger.apply` does; a
bad record raises :class:`~flexsecure.InvalidInput` naming the JSON path of the bad field.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from flexsecure.calculations.accounts.ledger import Ledger, LedgerBasis, LedgerEntry
from flexsecure.facts.workers import Worker, worker_facts
from flexsecure.values import fields as _f
from flexsecure.values.errors import InvalidInput, LedgerConflict, TransferError
from flexsecure.values.fields import at as _at
from flexsecure.values.periods import Month

__all__ = [
    "LEDGER_FORMAT",
    "basis_from_record",
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
        "basis": None
        if entry.basis is None
        else {"entries": entry.basis.entries, "digest": entry.basis.digest},
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
        "dues": [entry_to_record(due) for due in ledger.dues],
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
    such as an identity number); errors name the JSON ``path`` of the bad field. A key that
    is not ``id``, ``birth_date``, ``sex`` or a registered worker fact is an error."""
    data = _f.fields(data, path, ("id", "birth_date"), ("sex", *worker_facts()))
    facts = {k: v for k, v in data.items() if k not in {"id", "birth_date", "sex"}}
    for name, value in facts.items():
        if not isinstance(value, (str, type(None))):
            raise InvalidInput(f"{path}.{name} must be a string, got {type(value).__name__}")
    return _at(
        path,
        Worker,
        id=_f.identifier(data["id"], f"{path}.id"),
        birth_date=_f.date(data["birth_date"], f"{path}.birth_date"),
        sex=_f.optional(data.get("sex"), f"{path}.sex", _f.text),
        **facts,
    )


_ENTRY_KEYS = ("id", "kind", "scheme", "region", "month", "booked_on", "funds")
_ENTRY_OPTIONAL = (
    "base", "months", "reference", "note", "account", "payer", "platform_id", "rate", "basis",
    "marker",
)  # fmt: skip


def basis_from_record(data: Any, path: str) -> LedgerBasis:
    """A ledger version ``{"entries": n, "digest": "<64 hex digits>"}``."""
    data = _f.fields(data, path, ("entries", "digest"))
    digest = data["digest"]
    if not (
        isinstance(digest, str)
        and len(digest) == 64
        and all(c in "0123456789abcdef" for c in digest)
    ):
        raise InvalidInput(f"{path}.digest must be 64 lower-case hex digits, got {digest!r}")
    return LedgerBasis(_f.integer(data["entries"], f"{path}.entries", minimum=0), digest)


def entry_from_record(data: Any, worker_id: str, currency: str, path: str) -> LedgerEntry:
    """Read one :func:`entry_to_record` item; errors name the JSON ``path`` of the bad field."""
    data = _f.fields(data, path, _ENTRY_KEYS, _ENTRY_OPTIONAL)
    funds_data = data["funds"]
    if not isinstance(funds_data, Mapping):
        raise InvalidInput(f"{path}.funds must be an object of decimal strings, got {funds_data!r}")
    funds = {
        _f.identifier(fund, f"{path}.funds"): _f.money(amount, f"{path}.funds.{fund}", currency)
        for fund, amount in funds_data.items()
    }

    def note(key: str) -> str | None:
        return _f.optional(data.get(key), f"{path}.{key}", _f.text)

    return _at(
        path,
        LedgerEntry,
        id=_f.identifier(data["id"], f"{path}.id"),
        kind=_f.text(data["kind"], f"{path}.kind"),
        worker_id=worker_id,
        scheme=_f.identifier(data["scheme"], f"{path}.scheme"),
        region=_f.text(data["region"], f"{path}.region", limit=16),
        month=_f.optional(data["month"], f"{path}.month", lambda v, p: _at(p, Month.parse, v)),
        booked_on=_f.date(data["booked_on"], f"{path}.booked_on"),
        funds=funds,
        base=_f.optional(data.get("base"), f"{path}.base", lambda v, p: _f.money(v, p, currency)),
        months=_f.integer(data.get("months", 0), f"{path}.months", maximum=12 * 200),
        reference=note("reference"),
        note=note("note"),
        account=_f.identifier(data.get("account", "regular"), f"{path}.account"),
        payer=_f.optional(data.get("payer"), f"{path}.payer", _f.identifier),
        platform_id=_f.optional(data.get("platform_id"), f"{path}.platform_id", _f.identifier),
        rate=_f.optional(data.get("rate"), f"{path}.rate", _f.decimal),
        basis=_f.optional(data.get("basis"), f"{path}.basis", basis_from_record),
        marker=_f.optional(data.get("marker"), f"{path}.marker", _f.identifier),
    )


def ledger_from_record(data: Any) -> Ledger:
    """Read a ``flexsecure.ledger/1`` record (already decoded from JSON) back into a Ledger.

    Strict: unknown or missing keys, floats and malformed values raise
    :class:`~flexsecure.InvalidInput` naming the JSON path; the entries are applied as
    :meth:`Ledger.apply` does, so an entry bound to a ledger version (a transfer's) must sit
    where that version ends, and nothing of a bad record is kept.
    """
    data = _f.fields(data, "$", ("format", "worker_id", "currency", "entries"), ("worker", "dues"))
    if data["format"] != LEDGER_FORMAT:
        raise InvalidInput(f"$.format must be {LEDGER_FORMAT!r}, got {data['format']!r}")
    worker_id = _f.identifier(data["worker_id"], "$.worker_id")
    currency = _f.optional(data["currency"], "$.currency", lambda v, p: _f.text(v, p, limit=3))
    worker_data = data.get("worker")
    worker = None if worker_data is None else worker_from_record(worker_data, "$.worker")
    ledger = _at("$", Ledger, worker_id=worker_id, currency=currency, worker=worker)
    raw = _f.array(data["entries"], "$.entries")
    entries = [
        entry_from_record(item, worker_id, currency or "", f"$.entries[{index}]")
        for index, item in enumerate(raw)
    ]
    dues = [
        entry_from_record(item, worker_id, currency or "", f"$.dues[{index}]")
        for index, item in enumerate(_f.array(data.get("dues", []), "$.dues"))
    ]
    if dues:
        ledger = _at("$.dues", Ledger, worker_id=worker_id, currency=currency, worker=worker,
                     dues=dues)  # fmt: skip
    try:
        return ledger.apply(entries)
    except LedgerConflict as error:
        raise LedgerConflict(f"$.entries: {error}") from None
    except TransferError as error:
        raise TransferError(f"$.entries: {error}") from None
    except InvalidInput as error:
        raise InvalidInput(f"$.entries: {error}") from None
