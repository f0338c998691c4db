"""Compare a record with the one the library computes, and name the first value that differs."""

from __future__ import annotations

from typing import Any

from flexsecure.values.errors import RecordMismatch

__all__ = ["first_difference"]


def first_difference(expected: Any, found: Any, path: str = "$") -> RecordMismatch | None:
    """The :class:`~flexsecure.RecordMismatch` at the first JSON path where ``found`` differs
    from ``expected`` (details before the sums over them, so the path points at the line that
    differs), or ``None`` when they are equal. A key ``found`` has and ``expected`` lacks is a
    difference too."""
    if isinstance(expected, dict) and isinstance(found, dict):
        sums = {"total", "amount"} if ("items" in expected or "lines" in expected) else set()
        for key in sorted(expected, key=lambda k: k in sums):
            difference = first_difference(expected[key], found.get(key), f"{path}.{key}")
            if difference is not None:
                return difference
        for key in found:
            if key not in expected:
                return RecordMismatch(f"{path}.{key}", None, found[key])
        return None
    if isinstance(expected, list) and isinstance(found, list):
        for index, (a, b) in enumerate(zip(expected, found, strict=False)):
            difference = first_difference(a, b, f"{path}[{index}]")
            if difference is not None:
                return difference
        if len(expected) != len(found):
            index = min(len(expected), len(found))
            return RecordMismatch(
                f"{path}[{index}]",
                expected[index] if index < len(expected) else None,
                found[index] if index < len(found) else None,
            )
        return None
    return None if expected == found else RecordMismatch(path, expected, found)
