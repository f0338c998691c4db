"""Integer rounding of ``values × rate``: the arithmetic every base and premium line ends in.

Amounts are ``round(numerator / denominator)`` by the scheme's
:class:`~flexsecure.values.money.Rounding` mode, on int64 minor units. Each whole-array pass
costs memory traffic (and, for a new array, fresh pages), so the usual case — half up,
values with a known bound — is written as few passes as exactness allows: a division by a
constant becomes a multiplication and a shift, and that multiplication folds into the one
by the rate (:func:`multiply_add_floor`), done in one compiled pass
(``flexsecure.batch._kernels``).
"""

from __future__ import annotations

import numpy as np

from flexsecure.batch._arrays import Ints
from flexsecure.batch._kernels import multiply_add_shift
from flexsecure.values.money import Rounding

__all__ = [
    "folded_floor",
    "half_up_fold",
    "multiply_add_floor",
    "round_ratio",
    "round_ratio_inplace",
    "round_scaled",
]


def round_ratio(numerator: Ints, denominator: int, mode: Rounding) -> Ints:
    """``numerator / denominator`` rounded to an integer by ``mode`` (numerator >= 0).

    Half-up is ``(2n + d) // 2d``: one division by a constant, exact for n < 2**62.
    """
    if denominator == 1:  # already whole units (e.g. orders × a premium in whole fen)
        return numerator
    if mode is Rounding.HALF_UP:
        return (2 * numerator + denominator) // (2 * denominator)
    if mode is Rounding.UP:
        return (numerator + (denominator - 1)) // denominator
    quotient = numerator // denominator
    if mode is Rounding.HALF_EVEN:
        twice = 2 * (numerator - quotient * denominator)
        quotient = quotient + (
            (twice > denominator) | ((twice == denominator) & (quotient % 2 == 1))
        )
    return quotient


def round_ratio_inplace(numerator: Ints, denominator: int, mode: Rounding) -> Ints:
    """:func:`round_ratio`, overwriting ``numerator`` (a fresh int64 array the caller owns).

    Each whole-array pass of the engine costs memory traffic and, for a new array, fresh
    pages; rounding in place makes half-up one multiplication, one addition and one division
    over the same buffer instead of three new arrays.
    """
    if denominator == 1:
        return numerator
    if mode is Rounding.HALF_UP and numerator.dtype == np.int64:
        numerator *= 2
        numerator += denominator
        numerator //= 2 * denominator
        return numerator
    return round_ratio(numerator, denominator, mode)


def round_scaled(
    values: Ints, factor: int, denominator: int, mode: Rounding, largest: int | None = None
) -> Ints:
    """``values × factor / denominator`` rounded by ``mode``, as one new int64 array
    (``values >= 0``; the caller has checked ``max(values) × 2 × factor < 2**62``;
    ``largest``, if known, bounds the values).

    Half-up folds the doubling into the multiplication, ``(v × 2f + d) // 2d``, and the
    division into it too (:func:`multiply_add_floor`): one pass over one new buffer, where
    multiplying first and then rounding takes five.
    """
    if mode is Rounding.HALF_UP and denominator != 1:
        known = largest if factor >= 0 else None
        return multiply_add_floor(values, 2 * factor, denominator, 2 * denominator, known)
    return round_ratio_inplace(np.multiply(values, factor, dtype=np.int64), denominator, mode)


def _magic(largest: int, divisor: int) -> tuple[int, int] | None:
    """(m, s) such that ``(v × m) >> s == v // divisor`` for every ``0 <= v <= largest``,
    with ``largest × m < 2**63``; ``None`` where no such pair fits in int64.

    With ``2**s > largest × divisor`` and ``m = 2**s // divisor + 1``, write ``m = 2**s /
    divisor + e`` with ``0 < e <= 1``; then ``v × m / 2**s = v / divisor + v × e / 2**s``,
    and the excess ``v × e / 2**s < largest / 2**s < 1 / divisor`` stays below the gap from
    ``v / divisor`` to the next integer (at least ``1 / divisor``): the floor is unchanged.
    """
    if largest < 0 or divisor < 2:
        return None
    shift = (largest * divisor).bit_length()
    magic = (1 << shift) // divisor + 1
    if largest * magic >= 2**63:
        return None
    return magic, shift


def folded_floor(
    factor: int, addend: int, divisor: int, largest: int | None
) -> tuple[int, int, int] | None:
    """``(F, A, s)`` such that ``(v × F + A) >> s == (v × factor + addend) // divisor`` for
    every ``0 <= v <= largest``, each term within int64; ``None`` where none is known
    (see :func:`multiply_add_floor`)."""
    if largest is None or largest < 0 or factor < 0 or addend < 0:
        return None
    found = _magic(largest * factor + addend, divisor)
    if found is None or factor * found[0] >= 2**63:
        return None
    magic, shift = found
    return factor * magic, addend * magic, shift


def half_up_fold(factor: int, denominator: int, largest: int) -> tuple[int, int, int] | None:
    """The folded ``(F, A, s)`` of ``values × factor / denominator`` rounded half up, for
    ``0 <= values <= largest`` — what :func:`round_scaled` computes in that case — or
    ``None`` where it takes another path."""
    if denominator == 1 or factor < 0:
        return None
    return folded_floor(2 * factor, denominator, 2 * denominator, largest)


def multiply_add_floor(
    values: Ints, factor: int, addend: int, divisor: int, largest: int | None
) -> Ints:
    """``(values × factor + addend) // divisor`` as one new int64 array, for ``0 <= values <=
    largest`` (``None``: not known; then also for any values whose products fit in int64).

    With ``factor, addend >= 0`` every ``x = v × factor + addend`` lies in ``[0, bound]``,
    ``bound = largest × factor + addend``, and ``_magic`` gives ``x // divisor ==
    (x × m) >> s``. Its multiplication folds into the one by the factor:
    ``x × m = v × (factor × m) + addend × m``, each term at most ``x × m <= bound × m <
    2**63`` (and ``factor × m`` is checked to fit), so the int64 passes are exact — three
    operations (multiply, add, shift), done in one compiled pass, where multiplying, adding
    and dividing takes four numpy passes.
    """
    folded = folded_floor(factor, addend, divisor, largest)
    if folded is not None and values.dtype == np.int64:
        return multiply_add_shift(values, *folded)
    out = np.multiply(values, factor, dtype=np.int64)
    if addend:
        out += addend
    if divisor != 1:
        out //= divisor
    return out
