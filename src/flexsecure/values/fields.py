"""Reading fields of JSON-like records strictly: every error names the JSON path and the check.

Shared by every record reader (the core's and each jurisdiction's). A reader takes an object
with :func:`fields` — the keys it must have and the keys it may have; any other key is an
error, never silently dropped — and reads each value with the typed readers below. Numbers are
read exactly: money and rates are decimal strings (``"596.80"``) or JSON numbers decoded as
:class:`~decimal.Decimal` (``json.loads(text, parse_float=Decimal)``); a ``float`` is refused,
because it has already lost digits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from flexsecure.values.checks import identifier_problem, parse_date, parse_decimal
from flexsecure.values.errors import FlexsecureError, InvalidInput
from flexsecure.values.money import Money

__all__ = [
    "array",
    "at",
    "date",
    "decimal",
    "fields",
    "flag",
    "get",
    "identifier",
    "integer",
    "money",
    "optional",
    "text",
]

T = TypeVar("T")

MAX_TEXT = 4096
"""The longest free text (a note, a citation title) a record may hold."""


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def get(data: Any, key: str, path: str) -> Any:
    """``data[key]``, or an InvalidInput naming ``path.key`` when it is not there."""
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{path} must be an object, got {type(data).__name__}")
    if key not in data:
        raise InvalidInput(f"{path}.{key} is missing")
    return data[key]


def at(path: str, build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``build(*args, **kwargs)``, turning any error of a bad value into an InvalidInput
    that starts with the JSON ``path``."""
    try:
        return build(*args, **kwargs)
    except (FlexsecureError, TypeError, ValueError, ArithmeticError, KeyError) as error:
        raise InvalidInput(f"{path}: {error}") from None


def fields(
    data: Any, path: str, required: Iterable[str], optional: Iterable[str] = ()
) -> Mapping[str, Any]:
    """``data`` as an object holding every ``required`` key, and no key that is neither
    required nor ``optional`` (a misspelt key is an error, never dropped)."""
    if not isinstance(data, Mapping):
        raise InvalidInput(f"{path} must be an object, got {type(data).__name__}")
    needed = tuple(required)
    allowed = set(needed) | set(optional)
    for key in data:
        if key not in allowed:
            where = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key!r}]"
            raise InvalidInput(f"{where}: unknown key; allowed: {', '.join(sorted(allowed))}")
    for key in needed:
        if key not in data:
            raise InvalidInput(f"{path}.{key} is missing")
    return data


def text(value: Any, path: str, *, limit: int = MAX_TEXT) -> str:
    """A non-empty string of at most ``limit`` characters."""
    if not isinstance(value, str) or not value:
        raise InvalidInput(f"{path} must be a non-empty string, got {_shown(value)}")
    if len(value) > limit:
        raise InvalidInput(f"{path} must have at most {limit} characters, got {len(value)}")
    return value


def identifier(value: Any, path: str) -> str:
    """An id: a short string without surrounding spaces, control or invisible characters."""
    problem = identifier_problem(value)
    if problem is not None:
        raise InvalidInput(f"{path} {problem}, got {_shown(value)}")
    assert isinstance(value, str)
    return value


def optional(value: Any, path: str, read: Callable[[Any, str], T]) -> T | None:
    """``None`` for a JSON ``null``, else ``read(value, path)``."""
    return None if value is None else read(value, path)


def integer(value: Any, path: str, *, minimum: int | None = None, maximum: int = 10**9) -> int:
    """A JSON whole number (not a boolean) between ``minimum`` and ``maximum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{path} must be a whole number, got {_shown(value)}")
    if minimum is not None and value < minimum:
        raise InvalidInput(f"{path} must be >= {minimum}, got {value}")
    if value > maximum or value < -maximum:
        raise InvalidInput(f"{path} must be at most {maximum} in magnitude, got {value}")
    return value


def flag(value: Any, path: str) -> bool:
    """``true`` or ``false``."""
    if not isinstance(value, bool):
        raise InvalidInput(f"{path} must be true or false, got {_shown(value)}")
    return value


def decimal(value: Any, path: str) -> Decimal:
    """An exact decimal: a string in ASCII digits (``"0.16"``), a JSON number decoded as a
    Decimal, or a whole number; never a float."""
    if isinstance(value, str):
        return parse_decimal(value, path)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput(f"{path} must be a finite decimal, got {value}")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, float):
        raise InvalidInput(
            f"{path} is a float ({value!r}); decode JSON with parse_float=Decimal or write "
            "amounts as strings"
        )
    raise InvalidInput(f"{path} must be a decimal such as '0.16', got {_shown(value)}")


def money(value: Any, path: str, currency: str, *, whole: bool = True) -> Money:
    """An amount in ``currency`` (see :func:`decimal`), in whole minor units if ``whole``."""
    amount = at(path, Money, decimal(value, path), currency)
    if whole and not amount.is_whole():
        raise InvalidInput(f"{path} must be a whole number of minor units, got {value!r}")
    return amount


def date(value: Any, path: str) -> dt.date:
    """A strict ISO 8601 date, ``YYYY-MM-DD``."""
    return parse_date(value, path)


def array(value: Any, path: str, *, limit: int = 100_000) -> list[Any]:
    """A JSON array of at most ``limit`` items."""
    if not isinstance(value, list):
        raise InvalidInput(f"{path} must be a list, got {type(value).__name__}")
    if len(value) > limit:
        raise InvalidInput(f"{path} must have at most {limit} items, got {len(value)}")
    return value
