"""Composable attrs validators and converters; every error names the class, the field and the value.

One set, shared by every layer above ``values``: facts, ledger entries, reforms and the rule
functions all reject bad input with the same words. A validator has the attrs signature
``(instance, attribute, value)``; :func:`require_date` and friends are the same checks for plain
function arguments, where the caller names the field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from flexsecure.values.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)


MAX_IDENTIFIER = 256
"""The longest identifier accepted (worker, platform, entry and transfer ids)."""

_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
"""Unicode categories an identifier may not contain: control, format (zero-width joiners and
spaces, direction marks), surrogates, private-use, unassigned, line and paragraph separators.
Two ids that print alike must be the same id, and a newline must never split an id in the
ledger digest."""


def identifier_problem(value: object) -> str | None:
    """Why ``value`` is not an identifier, or ``None`` when it is one."""
    if not isinstance(value, str) or not value:
        return "must be a non-empty string"
    if len(value) > MAX_IDENTIFIER:
        return f"must have at most {MAX_IDENTIFIER} characters"
    if value != value.strip():
        return "must not have surrounding spaces"
    for position, char in enumerate(value):
        if unicodedata.category(char) in _INVISIBLE:
            return (
                f"must not contain control or invisible characters (U+{ord(char):04X} at "
                f"position {position})"
            )
    return None


def check_identifier(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """A non-empty string without surrounding spaces, control or invisible characters."""
    problem = identifier_problem(value)
    if problem is not None:
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} {problem}, got {_shown(value)}"
        )


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def require_identifier(value: object, field: str) -> str:
    """``value`` if it is an identifier (see :func:`identifier_problem`), else InvalidInput."""
    problem = identifier_problem(value)
    if problem is not None:
        raise InvalidInput(f"{field} {problem}, got {_shown(value)}")
    assert isinstance(value, str)
    return value


_PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)


def parse_decimal(text: object, field: str) -> Decimal:
    """A decimal written plainly in ASCII digits (``"0.16"``, ``"-12"``): no exponent, no
    spaces, no other digits; anything else is an InvalidInput naming ``field``."""
    if not isinstance(text, str) or len(text) > 64 or not _PLAIN_DECIMAL.fullmatch(text):
        raise InvalidInput(f"{field} must be a decimal such as '0.16', got {_shown(text)}")
    return Decimal(text)


_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def parse_date(text: object, field: str) -> dt.date:
    """A strict ISO 8601 calendar date ``YYYY-MM-DD`` (ASCII digits, nothing else)."""
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise InvalidInput(f"{field} must be a date 'YYYY-MM-DD', got {_shown(text)}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} is not a calendar date, got {text!r}") from None


def check_key(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """An identifier that becomes part of ledger entry ids: no ``/`` or ``#`` in it."""
    check_identifier(instance, attribute, value)
    if "/" in value or "#" in value:
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must not contain '/' or '#' (they "
            f"separate the parts of ledger entry ids), got {value!r}"
        )


def is_region_code(value: object) -> bool:
    """An ISO 3166-2 subdivision code such as ``CN-SH``, a city under one (``CN-GD-SZ``), or a
    bare ISO 3166-1 country code such as ``SG`` for a jurisdiction without regions.

    ISO 3166-2 names no cities; a pack may name one as its subdivision's code plus a third
    part of one to three ASCII capital letters or digits (the pack declares its ``parent``).
    """
    if not isinstance(value, str):
        return False
    country, *parts = value.split("-")
    return (
        len(country) == 2
        and country.isascii()
        and country.isalpha()
        and country.isupper()
        and len(parts) <= 2
        and all(_is_code_part(part) for part in parts)
    )


def _is_code_part(part: str) -> bool:
    return 1 <= len(part) <= 3 and part.isascii() and part.isalnum() and part.upper() == part


def check_region_code(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not is_region_code(value):
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be an ISO 3166-2 code such as "
            f"'CN-SH' (or a country code such as 'SG'), got {value!r}"
        )


def is_date(value: object) -> bool:
    """A ``datetime.date`` that is not a ``datetime.datetime`` (which would carry a time)."""
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def require_date(value: object, field: str) -> dt.date:
    """``value`` if it is a plain date, else an :class:`InvalidInput` naming ``field``."""
    if not is_date(value):
        raise InvalidInput(f"{field} must be a datetime.date, got {value!r}")
    assert isinstance(value, dt.date)
    return value


def check_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a plain ``datetime.date``."""
    require_date(value, f"{type(instance).__name__}.{attribute.name}")


def check_optional_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """attrs validator: a plain ``datetime.date`` or ``None``."""
    if value is not None:
        check_date(instance, attribute, value)


def to_enum(enum: type[E], value: object, field: str) -> E:
    """Accept a member or its value; anything else is an InvalidInput naming the choices."""
    if isinstance(value, enum):
        return value
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return enum(value)
    except ValueError:
        choices = ", ".join(repr(member.value) for member in enum)
        raise InvalidInput(f"{field} must be one of {choices}, got {value!r}") from None


def plain_name(value: object) -> object:
    """A str enum member becomes its plain value, so stored names compare and print simply."""
    return value.value if isinstance(value, StrEnum) else value
