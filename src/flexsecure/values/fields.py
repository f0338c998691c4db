"""Reading fields of JSON-like records: fetch a field, build a value, and name the JSON path on any
error. Shared by every record reader (the core's and each jurisdiction's)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from flexsecure.values.errors import FlexsecureError, InvalidInput

__all__ = ["at", "get"]

T = TypeVar("T")


def get(data: Any, key: str, path: str) -> Any:
    """``data[key]``, or an InvalidInput naming ``path.key`` when it is not there."""
    if not isinstance(data, Mapping) or key not in data:
        raise InvalidInput(f"{path}.{key} is missing")
    return data[key]


def at(path: str, build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``build(*args, **kwargs)``, turning any error of a bad value into an InvalidInput
    that starts with the JSON ``path``."""
    try:
        return build(*args, **kwargs)
    except (FlexsecureError, TypeError, ValueError, ArithmeticError, KeyError) as error:
        raise InvalidInput(f"{path}: {error}") from None
