"""Records: the JSON documents flexsecure exchanges with platforms and agencies.

Every format has a versioned JSON Schema (draft 2020-12) shipped with the package
(:func:`schema`), a writer (``*_to_record``) and a strict reader (``*_from_record``): an
unknown or missing key, a float, a malformed value or a total that is not the sum of its lines
raises :class:`~flexsecure.InvalidInput` naming the JSON path. Decode text with :func:`loads`
(numbers become Decimals, size and depth are bounded).

What a record says is checked before it can touch a ledger: :func:`verify_statement` checks a
statement's lines against the jurisdiction's rules, :func:`verify_transfer` and
:func:`verify_scheme_link` quote the record's transfer again on the ledger and compare,
:func:`verify_remittance` recomputes a platform's remittance. Each returns what the library
computes, or raises :class:`~flexsecure.RecordMismatch` at the first value that differs.

The formats: ``flexsecure.month/1`` (:func:`month_from_record`; the input of a statement),
``flexsecure.statement/1`` (:func:`statement_to_record`, :func:`statement_from_record`,
:func:`verify_statement`), ``flexsecure.ledger/1`` (:func:`ledger_to_record`,
:func:`ledger_from_record`), ``flexsecure.transfer/1`` (:func:`transfer_to_record`,
:func:`transfer_from_record`, :func:`verify_transfer`), ``flexsecure.scheme_link/1``
(:func:`scheme_link_to_record`, :func:`scheme_link_from_record`, :func:`verify_scheme_link`)
and ``flexsecure.remittance/1`` (:func:`remittance_to_record`, :func:`remittance_from_record`,
:func:`verify_remittance`). :func:`read` reads any of them by its ``format``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flexsecure.jurisdictions.cn.records import (
    SCHEME_LINK_FORMAT,
    TRANSFER_FORMAT,
    scheme_link_from_record,
    scheme_link_to_record,
    transfer_from_record,
    transfer_to_record,
)
from flexsecure.records.codec import MAX_BYTES, MAX_DEPTH, dumps, loads
from flexsecure.records.compare import first_difference
from flexsecure.records.jurisdictions import record_jurisdiction
from flexsecure.records.ledgers import (
    LEDGER_FORMAT,
    entry_from_record,
    entry_to_record,
    ledger_from_record,
    ledger_to_record,
)
from flexsecure.records.months import (
    MONTH_FORMAT,
    STATEMENT_FORMAT,
    MonthRecord,
    month_from_record,
    statement_from_record,
    statement_to_record,
)
from flexsecure.records.remittances import (
    REMITTANCE_FORMAT,
    remittance_from_record,
    remittance_to_record,
    verify_remittance,
)
from flexsecure.records.schemas import FORMATS, schema
from flexsecure.records.statements import verify_statement
from flexsecure.records.transfers import verify_scheme_link, verify_transfer
from flexsecure.values.errors import InvalidInput

__all__ = [
    "FORMATS",
    "LEDGER_FORMAT",
    "MAX_BYTES",
    "MAX_DEPTH",
    "MONTH_FORMAT",
    "REMITTANCE_FORMAT",
    "SCHEME_LINK_FORMAT",
    "STATEMENT_FORMAT",
    "TRANSFER_FORMAT",
    "MonthRecord",
    "dumps",
    "entry_from_record",
    "entry_to_record",
    "first_difference",
    "ledger_from_record",
    "ledger_to_record",
    "loads",
    "month_from_record",
    "read",
    "record_jurisdiction",
    "remittance_from_record",
    "remittance_to_record",
    "schema",
    "scheme_link_from_record",
    "scheme_link_to_record",
    "statement_from_record",
    "statement_to_record",
    "transfer_from_record",
    "transfer_to_record",
    "verify_remittance",
    "verify_scheme_link",
    "verify_statement",
    "verify_transfer",
]


def _month(data: Any) -> MonthRecord:
    code = data.get("jurisdiction") if isinstance(data, dict) else None
    return month_from_record(data, record_jurisdiction(code, "$.jurisdiction").currency)


_READERS: dict[str, Callable[[Any], object]] = {
    MONTH_FORMAT: _month,
    STATEMENT_FORMAT: statement_from_record,
    LEDGER_FORMAT: ledger_from_record,
    TRANSFER_FORMAT: transfer_from_record,
    SCHEME_LINK_FORMAT: scheme_link_from_record,
    REMITTANCE_FORMAT: remittance_from_record,
}


def read(data: Any) -> object:
    """Read any record by its ``format`` (a decoded object, or JSON text / bytes), strictly.

    A ``flexsecure.month/1`` record is read in the currency of the bundled jurisdiction it
    names. Statements, transfers and scheme links come back as what the record says; verify
    them before use.
    """
    if isinstance(data, (str, bytes)):
        data = loads(data)
    if not isinstance(data, dict):
        raise InvalidInput(f"$ must be an object, got {type(data).__name__}")
    name = data.get("format")
    reader = _READERS.get(name) if isinstance(name, str) else None
    if reader is None:
        raise InvalidInput(
            f"$.format must be one of {', '.join(_READERS)}, got {data.get('format')!r}"
        )
    return reader(data)
