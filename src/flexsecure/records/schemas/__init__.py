"""The JSON Schemas (draft 2020-12) of every record format, shipped as package data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from flexsecure.values.errors import InvalidInput

__all__ = ["FORMATS", "schema"]

FORMATS = {
    "flexsecure.month/1": ("flexsecure.records", "month-1"),
    "flexsecure.statement/1": ("flexsecure.records", "statement-1"),
    "flexsecure.ledger/1": ("flexsecure.records", "ledger-1"),
    "flexsecure.remittance/1": ("flexsecure.records", "remittance-1"),
    "flexsecure.transfer/1": ("flexsecure.jurisdictions.cn", "transfer-1"),
    "flexsecure.scheme_link/1": ("flexsecure.jurisdictions.cn", "scheme_link-1"),
}
"""Each record format: the package that ships its schema and the schema's file stem."""


@cache
def _text(package: str, stem: str) -> str:
    return resources.files(package).joinpath("schemas", f"{stem}.schema.json").read_text("utf-8")


def schema(format: str) -> dict[str, Any]:
    """The JSON Schema of record ``format`` (e.g. ``"flexsecure.transfer/1"``), a fresh copy."""
    try:
        package, stem = FORMATS[format]
    except (KeyError, TypeError):
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}, got {format!r}") from None
    result: dict[str, Any] = json.loads(_text(package, stem))
    return result
