"""Compiled loops for the passes the engine makes over every row.

Each whole-array numpy operation reads and writes its arrays once: ``(v × f + a) >> s`` is
three passes and, at a chunk of a quarter million rows, the arrays of a chunk outgrow the
processor's caches, so each pass pays for memory traffic. The loops here do such a chain in
one pass, row by row, compiled by numba (part of the ``batch`` extra). They do integer
arithmetic only, on int64, exactly as the numpy expressions they replace: every caller has
proven beforehand that no intermediate value leaves int64 (the bounds checks of
:mod:`flexsecure.batch.rounding` and :mod:`flexsecure.batch.lines`), so nothing here can
overflow and nothing rounds but the floors the callers ask for.

numba is imported, and each loop compiled, on the loop's first call (about 1 s in a
process, for numba itself; about 3 s the first time ever, then the machine code is cached on
disk beside this module, or in the user's cache directory where that is read only), so that
importing :mod:`flexsecure.batch` costs nothing for it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

import numpy as np
import numpy.typing as npt

__all__ = [
    "clip",
    "clip_round",
    "fund_halves",
    "gather",
    "keys_seen",
    "low_words",
    "min_max",
    "month_major",
    "multiply_add_shift",
    "offsets",
    "times_gathered",
    "times_gathered_words",
    "two_runs",
    "words_of_sums",
]

Ints = npt.NDArray[np.int64]
Function = TypeVar("Function", bound=Callable[..., Any])


def _compiled(function: Function) -> Function:
    """``function`` compiled to machine code on its first call (cached on disk), with its
    Python signature."""
    compiled: Callable[..., Any] | None = None

    @functools.wraps(function)
    def call(*args: Any) -> Any:
        nonlocal compiled
        if compiled is None:
            import numba  # here, not at the top: importing flexsecure.batch stays cheap

            compiled = numba.njit(cache=True, nogil=True)(function)
        return compiled(*args)

    return cast(Function, call)


@_compiled
def _min_max(values: npt.NDArray[np.integer[Any]]) -> tuple[int, int]:
    low = high = values[0]
    for index in range(values.shape[0]):  # min and max, not branches: vector code
        low = min(low, values[index])
        high = max(high, values[index])
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
def _clip(values: Ints, low: int, high: int, out: Ints) -> None:
    for index in range(values.shape[0]):
        out[index] = min(max(values[index], low), high)


@_compiled
def _clip_rows(values: Ints, low: Ints, high: Ints, out: Ints) -> None:
    for index in range(values.shape[0]):
        out[index] = min(max(values[index], low[index]), high[index])


def clip(values: Ints, low: Ints | int, high: Ints | int) -> Ints:
    """``minimum(maximum(values, low), high)`` as one new array; ``low`` and ``high`` are one
    number or one per row (``low <= high`` on every row)."""
    out = np.empty(len(values), np.int64)
    if isinstance(low, int) and isinstance(high, int):
        _clip(values, low, high, out)
    else:
        rows = values.shape
        lows = np.broadcast_to(np.asarray(low, np.int64), rows)
        _clip_rows(values, lows, np.broadcast_to(np.asarray(high, np.int64), rows), out)
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
    lows = highs = 0  # "or" of every low word (its sign: any negative) and high word
    for index in range(out.shape[0]):
        low = words[2 * index]
        out[index] = low
        lows |= low
        highs |= words[2 * index + 1]
    return lows >= 0 and highs == 0


def low_words(words: Ints, count: int) -> tuple[Ints, bool]:
    """The low words of ``count`` decimal128 values (``words``: their int64 words, low then
    high) as a new array, and whether every value is >= 0 and fits in its low word."""
    out = np.empty(count, np.int64)
    fits = _low_words(words, out)
    return out, bool(fits)


@_compiled
def _words_of_one(part: Ints, words: Ints) -> None:
    for index in range(part.shape[0]):
        words[2 * index] = part[index]
        words[2 * index + 1] = part[index] >> 63


@_compiled
def _words_of_two(first: Ints, second: Ints, words: Ints) -> None:
    for index in range(first.shape[0]):
        total = first[index] + second[index]
        words[2 * index] = total
        words[2 * index + 1] = total >> 63


def words_of_sums(parts: list[Ints], count: int) -> Ints:
    """The decimal128 words (low, high) of the rowwise sums of ``parts`` (``count`` rows
    each; the caller has checked the sums fit in int64): one pass for one or two parts."""
    words = np.empty(2 * count, np.int64)
    if not parts:
        words[:] = 0
    elif len(parts) == 1:
        _words_of_one(parts[0], words)
    elif len(parts) == 2:
        _words_of_two(parts[0], parts[1], words)
    else:
        _words_of_one(np.sum(parts, axis=0, dtype=np.int64), words)
    return words


@_compiled
def _month_major(month: Ints, worker: Ints) -> tuple[bool, int, int]:
    low = high = worker[0]
    disorder = False
    for index in range(1, worker.shape[0]):
        value, before = worker[index], worker[index - 1]
        later, same = month[index] > month[index - 1], month[index] == month[index - 1]
        disorder |= not (later | (same & (value > before)))
        low = min(low, value)
        high = max(high, value)
    return not disorder, low, high


@_compiled
def _increasing(worker: Ints) -> bool:
    disorder = False
    for index in range(1, worker.shape[0]):
        disorder |= worker[index] <= worker[index - 1]
    return not disorder


def month_major(month: Ints, worker: Ints) -> tuple[bool, int, int]:
    """Whether the rows are in (month, worker) order with no pair twice — a month's workers
    by id, then the next month's (the usual export) — and, if so, the least and largest
    worker, in one pass. Needs at least one row; ``month`` may be one value broadcast."""
    if month.strides == (0,):  # one month: increasing ids, their bounds the first and last
        ordered = _increasing(worker)
        return bool(ordered), int(worker[0]), int(worker[-1])
    ordered, low, high = _month_major(month, worker)
    return bool(ordered), int(low), int(high)


@_compiled
def _times_gathered(
    values: Ints, codes: npt.NDArray[np.integer[Any]], table: Ints, factor: int, out: Ints
) -> None:
    for index in range(values.shape[0]):
        out[index] = values[index] * (table[codes[index]] * factor)


def times_gathered(
    values: Ints, codes: npt.NDArray[np.integer[Any]], table: Ints, factor: int = 1
) -> Ints:
    """``values × table[codes] × factor`` as one new array, in one pass (valid ``codes``; the
    caller has checked the products fit in int64)."""
    out = np.empty(len(values), np.int64)
    _times_gathered(values, codes, table, factor, out)
    return out


@_compiled
def _times_gathered_words(
    values: Ints, codes: npt.NDArray[np.integer[Any]], table: Ints, factor: int, words: Ints
) -> None:
    for index in range(values.shape[0]):
        product = values[index] * (table[codes[index]] * factor)
        words[2 * index] = product
        words[2 * index + 1] = product >> 63


def times_gathered_words(
    values: Ints, codes: npt.NDArray[np.integer[Any]], table: Ints, factor: int = 1
) -> Ints:
    """:func:`times_gathered`, written as the words (low, high) of decimal128 values: the
    products are the low words (``words[::2]``), ready to be a decimal column as they are."""
    words = np.empty(2 * len(values), np.int64)
    _times_gathered_words(values, codes, table, factor, words)
    return words


@_compiled
def _two_runs(values: npt.NDArray[np.integer[Any]]) -> int:
    count = values.shape[0]
    first, last = values[0], values[count - 1]
    cut = 0
    while cut < count and values[cut] == first:
        cut += 1
    other = False
    for index in range(cut, count):  # not a branch per value: vector code
        other |= values[index] != last
    return -1 if other else cut


def two_runs(values: npt.NDArray[np.integer[Any]]) -> int | None:
    """Where a run of the first value gives way to a run of the last, when ``values`` (at
    least one) are exactly those two runs; ``None`` otherwise (one value throughout
    included), in one pass."""
    cut = int(_two_runs(values))
    return cut if 0 < cut < len(values) else None


@_compiled
def _gather(table: Ints, indices: npt.NDArray[np.integer[Any]], out: Ints) -> None:
    for index in range(indices.shape[0]):
        out[index] = table[indices[index]]


def gather(table: Ints, indices: npt.NDArray[np.integer[Any]]) -> Ints:
    """``table[indices]`` as one new int64 array (every index valid: the caller has checked
    its bounds), in one pass: a few times faster than numpy's fancy indexing by a narrow
    index type, as Arrow's dictionary indices are."""
    out = np.empty(len(indices), np.int64)
    _gather(table, indices, out)
    return out


@_compiled
def _offsets(values: Ints, low: int, out: Ints, present: npt.NDArray[np.bool_]) -> None:
    for index in range(values.shape[0]):
        offset = values[index] - low
        out[index] = offset
        present[offset] = True


def offsets(values: Ints, low: int, high: int) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """``values - low`` as one new array and which of ``0 .. high - low`` occur, in one pass
    (every value lies in ``[low, high]``)."""
    out = np.empty(len(values), np.int64)
    present = np.zeros(high - low + 1, np.bool_)
    _offsets(values, low, out, present)
    return out, present


@_compiled
def _keys_seen(
    first: npt.NDArray[np.integer[Any]],
    first_step: int,
    second: npt.NDArray[np.integer[Any]],
    second_step: int,
    constant: int,
    out: Ints,
    seen: npt.NDArray[np.bool_],
) -> None:
    for index in range(first.shape[0]):
        key = first[index] * first_step + second[index] * second_step + constant
        out[index] = key
        seen[key] = True


def keys_seen(
    first: npt.NDArray[np.integer[Any]],
    first_step: int,
    second: npt.NDArray[np.integer[Any]],
    second_step: int,
    constant: int,
    space: int,
) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """``first × first_step + second × second_step + constant`` as one new array, and which
    keys of ``0 .. space - 1`` occur, in one pass (every key lies in that range)."""
    out = np.empty(len(first), np.int64)
    seen = np.zeros(space, np.bool_)
    _keys_seen(first, first_step, second, second_step, constant, out, seen)
    return out, seen


@_compiled
def _clip_round(
    values: Ints, low: int, high: int, rounding: tuple[int, int, int], out: Ints
) -> None:
    factor, addend, shift = rounding
    for index in range(values.shape[0]):
        out[index] = (min(max(values[index], low), high) * factor + addend) >> shift


@_compiled
def _clip_round_part(
    values: Ints,
    low: int,
    high: int,
    rounding: tuple[int, int, int],
    split: tuple[int, int, int],
    amount: Ints,
    first: Ints,
) -> None:
    factor, addend, shift = rounding
    part_factor, part_addend, part_shift = split
    for index in range(values.shape[0]):
        whole = (min(max(values[index], low), high) * factor + addend) >> shift
        amount[index] = whole
        first[index] = (whole * part_factor + part_addend) >> part_shift


def clip_round(
    values: Ints,
    low: int,
    high: int,
    rounding: tuple[int, int, int],
    split: tuple[int, int, int] | None = None,
) -> tuple[Ints, Ints | None]:
    """:func:`clip` of ``values`` to ``[low, high]``, then :func:`multiply_add_shift` by
    ``rounding`` of the clipped values — a scheme's amounts straight from the earnings —
    and, given ``split``, the first part of :func:`fund_halves` of those amounts, in one pass
    (the callers' bounds checks as for each). The clipped values themselves, and the second
    part, are not written: what is not asked for costs no memory traffic."""
    amount = np.empty(len(values), np.int64)
    if split is None:
        _clip_round(values, low, high, rounding, amount)
        return amount, None
    first = np.empty(len(values), np.int64)
    _clip_round_part(values, low, high, rounding, split, amount, first)
    return amount, first
