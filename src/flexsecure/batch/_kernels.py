"""Compiled loops for the passes the engine makes over every row.

Each whole-array numpy operation reads and writes its arrays once: ``(v × f + a) >> s`` is
three passes and, at a chunk of a quarter million rows, the arrays of a chunk outgrow the
processor's caches, so each pass pays for memory traffic. The loops here do such a chain in
one pass, row by row, compiled by numba (part of the ``batch`` extra). They do integer
arithmetic only, on int64, exactly as the numpy expressions they replace: every caller has
proven beforehand that no intermediate value leaves int64 (the bounds checks of
:mod:`flexsecure.batch.rounding` and :mod:`flexsecure.batch.lines`), so nothing here can
overflow and nothing rounds but the floors the callers ask for.

Compiled code is cached on disk beside this module (the first use in a fresh installation
compiles it, in about a second per loop).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba
import numpy as np
import numpy.typing as npt

__all__ = [
    "clip",
    "fund_halves",
    "low_words",
    "min_max",
    "month_major",
    "multiply_add_shift",
    "positive",
    "times_gathered",
    "words_of_sums",
]

Ints = npt.NDArray[np.int64]
Function = TypeVar("Function", bound=Callable[..., Any])


def _compiled(function: Function) -> Function:
    """``function`` compiled to machine code (cached on disk), with its Python signature."""
    return cast(Function, numba.njit(cache=True, nogil=True)(function))


@_compiled
def _min_max(values: npt.NDArray[np.integer[Any]]) -> tuple[int, int]:
    low = high = values[0]
    for value in values:
        if value < low:
            low = value
        elif value > high:
            high = value
    return low, high


def min_max(values: npt.NDArray[np.integer[Any]]) -> tuple[int, int]:
    """The smallest and largest of a non-empty integer array, in one pass."""
    low, high = _min_max(values)
    return int(low), int(high)


@_compiled
def _multiply_add_shift(values: Ints, factor: int, addend: int, shift: int, out: Ints) -> None:
    for index in range(values.shape[0]):
        out[index] = (values[index] * factor + addend) >> shift


def multiply_add_shift(values: Ints, factor: int, addend: int, shift: int) -> Ints:
    """``(values × factor + addend) >> shift`` as one new array (the caller has checked that
    every ``values × factor + addend`` fits in int64)."""
    out = np.empty(len(values), np.int64)
    _multiply_add_shift(values, factor, addend, shift, out)
    return out


@_compiled
def _clip(values: Ints, low: Ints, high: Ints, out: Ints) -> None:
    lows, highs = low.shape[0], high.shape[0]
    for index in range(values.shape[0]):
        value = values[index]
        floor = low[index if lows > 1 else 0]
        ceiling = high[index if highs > 1 else 0]
        out[index] = floor if value < floor else ceiling if value > ceiling else value


def clip(values: Ints, low: Ints | int, high: Ints | int) -> Ints:
    """``minimum(maximum(values, low), high)`` as one new array; ``low`` and ``high`` are one
    number or one per row (``low <= high`` on every row)."""
    out = np.empty(len(values), np.int64)
    lows = np.atleast_1d(np.asarray(low, np.int64))
    _clip(values, lows, np.atleast_1d(np.asarray(high, np.int64)), out)
    return out


@_compiled
def _fund_halves(
    amount: Ints, factor: int, addend: int, shift: int, first: Ints, second: Ints
) -> None:
    for index in range(amount.shape[0]):
        whole = amount[index]
        part = (whole * factor + addend) >> shift
        first[index] = part
        second[index] = whole - part


def fund_halves(amount: Ints, factor: int, addend: int, shift: int) -> tuple[Ints, Ints]:
    """``first = (amount × factor + addend) >> shift`` and ``second = amount - first``, in
    one pass (a split of each amount over two funds; the parts sum to the amount)."""
    first = np.empty(len(amount), np.int64)
    second = np.empty(len(amount), np.int64)
    _fund_halves(amount, factor, addend, shift, first, second)
    return first, second


@_compiled
def _low_words(words: Ints, out: Ints) -> bool:
    fits = True
    for index in range(out.shape[0]):
        low = words[2 * index]
        out[index] = low
        if words[2 * index + 1] != 0 or low < 0:
            fits = False
    return fits


def low_words(words: Ints, count: int) -> tuple[Ints, bool]:
    """The low words of ``count`` decimal128 values (``words``: their int64 words, low then
    high) as a new array, and whether every value is >= 0 and fits in its low word."""
    out = np.empty(count, np.int64)
    fits = _low_words(words, out)
    return out, bool(fits)


@_compiled
def _words_of_sums(parts: tuple[Ints, ...], words: Ints) -> None:
    for index in range(words.shape[0] // 2):
        total = 0
        for part in parts:
            total += part[index]
        words[2 * index] = total
        words[2 * index + 1] = total >> 63


def words_of_sums(parts: list[Ints], count: int) -> Ints:
    """The decimal128 words (low, high) of the rowwise sums of ``parts`` (``count`` rows
    each; the caller has checked the sums fit in int64): one pass, however many parts."""
    words = np.empty(2 * count, np.int64)
    if not parts:
        words[:] = 0
        return words
    _words_of_sums(tuple(parts), words)
    return words


@_compiled
def _month_major(month: Ints, worker: Ints) -> tuple[bool, int, int]:
    low = high = worker[0]
    for index in range(1, worker.shape[0]):
        value = worker[index]
        if month[index] == month[index - 1]:
            if value <= worker[index - 1]:
                return False, 0, 0
        elif month[index] < month[index - 1]:
            return False, 0, 0
        if value < low:
            low = value
        elif value > high:
            high = value
    return True, low, high


def month_major(month: Ints, worker: Ints) -> tuple[bool, int, int]:
    """Whether the rows are in (month, worker) order with no pair twice — a month's workers
    by id, then the next month's (the usual export) — and, if so, the least and largest
    worker; one pass, stopping at the first row out of order. Needs at least one row."""
    ordered, low, high = _month_major(month, worker)
    return bool(ordered), int(low), int(high)


@_compiled
def _times_gathered(values: Ints, codes: Ints, table: Ints, factor: int, out: Ints) -> None:
    for index in range(values.shape[0]):
        out[index] = values[index] * (table[codes[index]] * factor)


def times_gathered(values: Ints, codes: Ints, table: Ints, factor: int = 1) -> Ints:
    """``values × table[codes] × factor`` as one new array, in one pass (valid ``codes``; the
    caller has checked the products fit in int64)."""
    out = np.empty(len(values), np.int64)
    _times_gathered(values, codes, table, factor, out)
    return out


@_compiled
def _positive(values: Ints, out: npt.NDArray[np.bool_]) -> int:
    high = 0
    for index in range(values.shape[0]):
        value = values[index]
        out[index] = value > 0
        if value > high:
            high = value
    return high


def positive(values: Ints) -> tuple[npt.NDArray[np.bool_], int]:
    """Which values are > 0, and the largest value (0 if none is larger), in one pass."""
    out = np.empty(len(values), np.bool_)
    return out, int(_positive(values, out))
