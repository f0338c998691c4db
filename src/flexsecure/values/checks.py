"""Composable attrs validators and converters; every error names the class, the field and the value.

One set, shared by every layer above ``values``: facts, ledger entries, reforms and the rule
functions all reject bad input with the same words. A validator has the attrs signature
``(instance, attribute, value)``; :func:`require_date` and friends are the same checks for plain
function arguments, where the caller names the field.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, TypeVar

import attrs

from flexsecure.values.errors import InvalidInput

E = TypeVar("E", bound=StrEnum)


def check_identifier(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    """A non-empty string without surrounding spaces."""
    if not isinstance(value, str) or not value or value != value.strip():
        raise InvalidInput(
            f"{type(instance).__name__}.{attribute.name} must be a non-empty string without "
            f"surrounding spaces, got {value!r}"
        )


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
