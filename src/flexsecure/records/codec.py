"""Decoding record text exactly and safely: JSON numbers as Decimal, bounded size and depth.

:func:`loads` is the one way records enter: ``json.loads`` with ``parse_float=Decimal`` (a
JSON number such as ``596.80`` stays exactly 596.80), ``NaN`` and ``Infinity`` refused, at most
:data:`MAX_BYTES` of text and :data:`MAX_DEPTH` levels of nesting, duplicate keys refused.
Every problem is an :class:`~flexsecure.InvalidInput` saying where; nothing else escapes.
:func:`dumps` writes a record as UTF-8 JSON text.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from flexsecure.values.errors import InvalidInput

__all__ = ["MAX_BYTES", "MAX_DEPTH", "dumps", "loads"]

MAX_BYTES = 64 * 1024 * 1024
"""The largest record text accepted (64 MiB)."""
MAX_DEPTH = 32
"""The deepest nesting of arrays and objects accepted (records use at most 6)."""


def _constant(name: str) -> Any:
    raise InvalidInput(f"record: {name} is not a number a record may hold")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise InvalidInput(f"record: key {key!r} appears twice in one object")
        result[key] = value
    return result


def _depth(value: Any) -> int:
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, level)
            stack.extend((child, level + 1) for child in item)
    return deepest


def _nesting(text: str) -> int:
    """The deepest bracket nesting of ``text`` outside strings: checked before decoding, so
    a hostile document cannot make the decoder recurse."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_DEPTH:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


def loads(text: str | bytes) -> Any:
    """Decode a record's JSON text (see the module docstring)."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise InvalidInput(f"record: larger than {MAX_BYTES} bytes")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise InvalidInput(f"record: not UTF-8 text (byte {error.start})") from None
    if not isinstance(text, str):
        raise InvalidInput(f"record text must be str or bytes, got {type(text).__name__}")
    if len(text) > MAX_BYTES:
        raise InvalidInput(f"record: larger than {MAX_BYTES} characters")
    if _nesting(text) > MAX_DEPTH:
        raise InvalidInput(f"record: nested deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(
            text, parse_float=Decimal, parse_constant=_constant, object_pairs_hook=_pairs
        )
    except json.JSONDecodeError as error:
        raise InvalidInput(
            f"record: not JSON at line {error.lineno} column {error.colno}: {error.msg}"
        ) from None
    except RecursionError:  # pragma: no cover - the nesting check comes first
        raise InvalidInput(f"record: nested deeper than {MAX_DEPTH} levels") from None
    if _depth(value) > MAX_DEPTH:  # pragma: no cover - the nesting check comes first
        raise InvalidInput(f"record: nested deeper than {MAX_DEPTH} levels")
    return value


def _default(value: object) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not a record value")


def dumps(record: Any, *, indent: int | None = 2) -> str:
    """``record`` as JSON text (non-ASCII kept; a stray Decimal written as a string)."""
    try:
        return json.dumps(record, ensure_ascii=False, indent=indent, default=_default)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"record cannot be written as JSON: {error}") from None
