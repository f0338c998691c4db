"""Money columns: Arrow decimals (or exact strings) in as int64 minor units, and back.

Money travels as ``decimal128`` (or exact decimal strings) and becomes int64 *minor units*
(fen); results go back out as ``decimal128`` built on the same integers. Nothing here rounds
or guesses: a value that is not a whole number of minor units, a float column, a null where
a value is needed, a negative amount — each is a :class:`~flexsecure.batch._arrays.Problem`
naming the row and the column.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch._arrays import INT64_SAFE, Ints, Problem, plain, repeated
from flexsecure.batch._kernels import low_words, words_of_sums
from flexsecure.values.errors import InvalidInput

__all__ = [
    "decimal_array",
    "decimal_from_words",
    "minor_units",
    "minor_units_of",
    "money_column",
    "scaled_decimal",
]


def _decimal_units(array: pa.Array, column: str, scale: int) -> tuple[Ints, list[Problem], bool]:
    """Unscaled decimal128 values, rescaled to ``scale`` digits; rows that do not fit are bad.

    The flag says every value is known to be >= 0 (the usual case, found on the way), so the
    caller need not scan for negatives again.
    """
    count = len(array)
    problems: list[Problem] = []
    data = np.frombuffer(array.buffers()[1], dtype=np.int64)
    flat = data[2 * array.offset : 2 * (array.offset + count)]
    high = flat.reshape(count, 2)[:, 1]
    valid: npt.NDArray[np.bool_] | None = None  # None: every row has a value
    too_big: npt.NDArray[np.bool_] | None = None  # None: every value fits
    nonnegative = False
    # the low words, copied in the same pass that checks every value is >= 0 and fits
    low, fits = low_words(flat, count)
    if array.null_count:
        valid = array.is_valid().to_numpy(zero_copy_only=False)
        too_big = valid & (high != (low >> 63))
    elif fits:  # all fit: high words are 0
        nonnegative = True
    else:
        too_big = np.not_equal(high, np.right_shift(low, 63))
    shift = scale - array.type.scale
    if shift > 0:
        factor = 10**shift
        large = np.abs(low) > INT64_SAFE // factor
        if valid is not None:
            large &= valid
        too_big = large if too_big is None else too_big | large
        low *= factor
    elif shift < 0:
        factor = 10**-shift
        fraction = low % factor != 0
        if valid is not None:
            fraction &= valid
        if too_big is not None:
            fraction &= ~too_big
        if fraction.any():
            problems.append(
                Problem(
                    np.flatnonzero(fraction),
                    column,
                    f"must be a whole number of minor units ({scale} decimals)",
                    _texts(array, fraction),
                )
            )
            too_big = fraction if too_big is None else too_big | fraction
        low //= factor
    if too_big is not None and too_big.any():
        problems.append(
            Problem(np.flatnonzero(too_big), column, "is too large", _texts(array, too_big))
        )
        low[too_big] = 0
        nonnegative = False
    if valid is not None:
        low[~valid] = 0
    return low, problems, nonnegative


def _texts(array: pa.Array, mask: npt.NDArray[np.bool_], limit: int = 1000) -> tuple[str, ...]:
    rows = np.flatnonzero(mask)[:limit]
    return tuple(str(array[int(row)].as_py()) for row in rows)


def minor_units(
    column: pa.Array | pa.ChunkedArray, name: str, scale: int, *, required: bool = True
) -> tuple[Ints, npt.NDArray[np.bool_], list[Problem]]:
    """Money as int64 minor units (``scale`` decimals), the null mask, and the bad rows.

    Accepts ``decimal128``/``decimal256`` of any scale, whole-number integer columns (whole
    currency units) and exact decimal strings. Floats are refused for the whole column.
    """
    array = plain(column)
    kind = array.type
    if pa.types.is_floating(kind):
        raise InvalidInput(
            f"column {name!r} is {kind}: money must be decimal128(18, 2) or exact strings "
            "such as '6200.50'; floats cannot hold it exactly"
        )
    if pa.types.is_dictionary(kind):
        array = array.cast(kind.value_type)
        kind = array.type
    problems: list[Problem] = []
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        array, problems = _strings_to_decimal(array, name, scale)
        kind = array.type
    elif pa.types.is_integer(kind):
        array = array.cast(pa.int64()).cast(pa.decimal128(38, 0))
        kind = array.type
    elif pa.types.is_decimal(kind) and kind.bit_width != 128:
        array = array.cast(pa.decimal128(38, min(kind.scale, 38)))
        kind = array.type
    elif not pa.types.is_decimal(kind) and not pa.types.is_null(kind):
        raise InvalidInput(f"column {name!r} must be decimal money, got {kind}")
    nonnegative = False
    if pa.types.is_null(kind):
        units = np.zeros(len(array), np.int64)
        nulls = np.ones(len(array), np.bool_)
    else:
        units, more, nonnegative = _decimal_units(array, name, scale)
        problems.extend(more)
        nulls = (
            ~array.is_valid().to_numpy(zero_copy_only=False)
            if array.null_count
            else repeated(False, len(array), np.bool_)
        )
    if not nonnegative and len(units) and int(units.min()) < 0:
        negative = units < 0
        problems.append(
            Problem(np.flatnonzero(negative), name, "must be >= 0", _texts(array, negative))
        )
    if required and array.null_count and nulls.any():
        problems.append(Problem(np.flatnonzero(nulls), name, "is missing"))
    return units, nulls, problems


def _strings_to_decimal(array: pa.Array, name: str, scale: int) -> tuple[pa.Array, list[Problem]]:
    """Exact strings to decimal128(38, scale); rows that are not such numbers are bad."""
    stripped = pc.utf8_trim_whitespace(array)
    try:
        return pc.cast(stripped, pa.decimal128(38, scale)), []
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    values: list[Decimal | None] = []
    bad_rows: list[int] = []
    bad_texts: list[str] = []
    unit = Decimal(1).scaleb(-scale)
    for row, text in enumerate(stripped.to_pylist()):
        if text is None:
            values.append(None)
            continue
        try:
            value = Decimal(text)
            if not value.is_finite() or value != value.quantize(unit):
                raise InvalidOperation
            values.append(value.quantize(unit))
        except (InvalidOperation, ValueError):
            bad_rows.append(row)
            bad_texts.append(text)
            values.append(Decimal(0))
    problem = Problem(
        np.asarray(bad_rows, np.int64),
        name,
        f"must be a decimal number with at most {scale} decimals",
        tuple(bad_texts),
    )
    return pa.array(values, pa.decimal128(38, scale)), [problem] if bad_rows else []


def decimal_from_words(
    words: Ints,
    scale: int,
    nulls: npt.NDArray[np.bool_] | None = None,
    precision: int = 18,
    *,
    high_words_set: bool = False,
) -> pa.Array:
    """The ``decimal128(precision, scale)`` array whose low words are filled in ``words``.

    The high words, each value's sign, are written here, unless ``high_words_set``: the
    caller knows they are right already (each value's sign, written with its low word).
    """
    count = len(words) // 2
    low = words[::2]
    if not high_words_set:
        if count and int(low.min()) < 0:
            np.right_shift(low, 63, out=words[1::2])
        else:
            words[1::2] = 0
    validity = None
    null_count = 0
    if nulls is not None and nulls.any():
        validity = pa.array(~nulls).buffers()[1]
        null_count = int(nulls.sum())
    return pa.Array.from_buffers(
        pa.decimal128(precision, scale), count, [validity, pa.py_buffer(words)], null_count
    )


def decimal_array(
    units: Ints, scale: int, nulls: npt.NDArray[np.bool_] | None = None, precision: int = 18
) -> pa.Array:
    """int64 unscaled values as ``decimal128(precision, scale)``: both words of each value
    written in one pass."""
    words = words_of_sums([np.asarray(units, np.int64)], len(units))
    return decimal_from_words(words, scale, nulls, precision, high_words_set=True)


def scaled_decimal(value: Decimal, scale: int) -> int:
    """``value`` as an integer of ``scale`` decimals; it must be exact."""
    scaled = value.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise InvalidInput(f"{value} has more than {scale} decimals")
    return int(scaled)


def money_column(units: Ints, scale: int = 2) -> pa.Array:
    """Integer minor units (fen) as an exact ``decimal128(18, scale)`` money column.

    The way to build an engagements table from numpy arrays without a float in between.
    """
    values = np.asarray(units)
    if values.dtype.kind not in "iu":
        raise InvalidInput(f"money_column needs integer minor units, got dtype {values.dtype}")
    return decimal_array(values.astype(np.int64), scale)


def minor_units_of(column: pa.Array | pa.ChunkedArray, scale: int = 2) -> Ints:
    """A decimal money column as int64 minor units (nulls as 0): for exact sums in numpy."""
    units, _, problems = minor_units(column, "column", scale, required=False)
    if problems:
        raise InvalidInput(f"minor_units_of: {problems[0].column} {problems[0].reason}")
    return units
