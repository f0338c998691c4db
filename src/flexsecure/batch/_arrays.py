"""Arrow columns in, numpy integer arrays out (and back), with per-row problems kept.

Money travels as ``decimal128`` (or exact strings) and becomes int64 *minor units*; strings
become dense integer codes over their distinct values, so every check runs once per distinct
value, never once per row. Nothing here rounds or guesses: a value that is not a whole number
of minor units, a float column, a null where a value is needed — each is a :class:`Problem`
naming the row and the column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.values.errors import InvalidInput

__all__ = [
    "Codes",
    "Ints",
    "Problem",
    "check_values",
    "decimal_array",
    "decimal_from_words",
    "decimal_words",
    "dictionary_array",
    "encode",
    "gather",
    "integers",
    "minor_units",
    "minor_units_of",
    "money_column",
    "run_starts",
    "scaled_decimal",
    "through",
]

Ints = npt.NDArray[np.int64]
INT64_SAFE = 2**62
"""Products of two int64 factors are checked against this bound before they are formed."""


@attrs.frozen
class Problem:
    """One bad value: where it is and what is wrong with it."""

    rows: Ints
    """Row numbers (0-based, data rows) in the input table."""
    column: str
    reason: str
    values: tuple[str, ...] = ()
    """The offending value of each row, as text (empty: same for all or not shown)."""


@attrs.frozen
class Codes:
    """A string column as dense codes: ``values[codes[i]]`` is row ``i`` (``-1``: null)."""

    codes: npt.NDArray[np.int64]
    values: tuple[str, ...]


def _plain(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return column


def encode(column: pa.Array | pa.ChunkedArray, name: str) -> Codes:
    """Dense codes of a string (or dictionary-of-string) column."""
    array = _plain(column)
    if pa.types.is_dictionary(array.type):
        if not (
            pa.types.is_string(array.type.value_type)
            or pa.types.is_large_string(array.type.value_type)
        ):
            raise InvalidInput(f"column {name!r} must hold text, got {array.type}")
        inner = encode(array.dictionary, name)
        if array.null_count == 0 and array.indices.null_count == 0:
            indices = array.indices.to_numpy(zero_copy_only=False)
            if not len(inner.codes):
                return Codes(np.full(len(array), -1, np.int64), inner.values)
            return Codes(through(inner.codes, indices), inner.values)
        valid = array.is_valid().to_numpy(zero_copy_only=False)
        indices = array.indices.fill_null(0).to_numpy(zero_copy_only=False)
        codes = inner.codes[indices] if len(inner.codes) else np.zeros(len(array), np.int64)
        return Codes(np.where(valid, codes, -1).astype(np.int64), inner.values)
    if pa.types.is_null(array.type):
        return Codes(np.full(len(array), -1, np.int64), ())
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        raise InvalidInput(f"column {name!r} must hold text, got {array.type}")
    encoded = pc.dictionary_encode(array)
    indices = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    return Codes(indices, tuple(encoded.dictionary.to_pylist()))


def encode_together(
    columns: Sequence[pa.Array | pa.ChunkedArray], name: str
) -> tuple[list[Ints], tuple[str, ...]]:
    """Codes of several text columns over one shared vocabulary (each column encoded once)."""
    parts = [encode(column, name) for column in columns]
    values: dict[str, int] = {}
    result = []
    for part in parts:
        lookup = np.asarray(
            [values.setdefault(v, len(values)) for v in part.values] or [0], np.int64
        )
        if part.values and not np.array_equal(lookup, np.arange(len(part.values))):
            result.append(np.where(part.codes >= 0, lookup[np.maximum(part.codes, 0)], -1))
        else:
            result.append(part.codes)
    return result, tuple(values)


def through(table: Ints, indices: npt.NDArray[np.integer]) -> Ints:
    """``table[indices]`` as int64; when every index is the same (one region, one platform,
    one month in the chunk) a read-only broadcast of that one value, which costs no memory."""
    if len(indices):
        low = int(indices.min())
        if low == int(indices.max()):
            return np.broadcast_to(table[low], indices.shape)
    result: Ints = table[indices]
    return result


def dense_unique(keys: Ints) -> tuple[Ints, Ints]:
    """``np.unique(keys, return_inverse=True)`` in linear time for small non-negative keys."""
    if not len(keys):
        return keys, keys
    top = int(keys.max())
    if int(keys.min()) < 0 or top > 4 * len(keys) + 4096:
        unique, inverse = np.unique(keys, return_inverse=True)
        return unique, inverse.reshape(-1)
    present = np.zeros(top + 1, np.bool_)
    present[keys] = True
    lookup = np.cumsum(present) - 1
    return np.flatnonzero(present), lookup[keys]


def run_starts(sorted_keys: Ints) -> Ints:
    """Index of the first row of each run of equal values in ``sorted_keys``."""
    if not len(sorted_keys):
        return np.zeros(0, np.int64)
    change = np.empty(len(sorted_keys), np.bool_)
    change[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=change[1:])
    return np.flatnonzero(change)


def dictionary_array(
    codes: Ints, values: Sequence[str], index_type: pa.DataType | None = None
) -> pa.DictionaryArray:
    """Codes (``-1``: null) over ``values`` as an Arrow dictionary array (int32 indices
    unless ``index_type`` says otherwise)."""
    index_type = index_type or pa.int32()
    if not len(codes) or int(codes.min()) >= 0:
        indices = pa.array(codes.astype(index_type.to_pandas_dtype(), copy=False))
    else:
        mask = codes < 0
        indices = pa.array(np.where(mask, 0, codes).astype(index_type.to_pandas_dtype()), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(values), pa.string()))


def _decimal_units(array: pa.Array, column: str, scale: int) -> tuple[Ints, list[Problem]]:
    """Unscaled decimal128 values, rescaled to ``scale`` digits; rows that do not fit are bad."""
    count = len(array)
    problems: list[Problem] = []
    data = np.frombuffer(array.buffers()[1], dtype=np.int64)
    words = data[2 * array.offset : 2 * (array.offset + count)].reshape(count, 2)
    low, high = words[:, 0].copy(), words[:, 1]
    if array.null_count:
        valid = array.is_valid().to_numpy(zero_copy_only=False)
        too_big = valid & (high != (low >> 63))
    elif not count or (not high.any() and int(low.min()) >= 0):  # all fit: high words are 0
        valid = np.broadcast_to(np.True_, (count,))
        too_big = np.broadcast_to(np.False_, (count,))
    else:
        valid = np.broadcast_to(np.True_, (count,))
        too_big = np.right_shift(low, 63)
        too_big = np.not_equal(high, too_big)
    shift = scale - array.type.scale
    if shift > 0:
        factor = 10**shift
        too_big = too_big | (valid & (np.abs(low) > INT64_SAFE // factor))
        low = low * factor
    elif shift < 0:
        factor = 10**-shift
        remainder = low % factor
        fraction = valid & ~too_big & (remainder != 0)
        if fraction.any():
            problems.append(
                Problem(
                    np.flatnonzero(fraction),
                    column,
                    f"must be a whole number of minor units ({scale} decimals)",
                    _texts(array, fraction),
                )
            )
        low = low // factor
        too_big = too_big | fraction
    if too_big.any():
        problems.append(
            Problem(np.flatnonzero(too_big), column, "is too large", _texts(array, too_big))
        )
    if array.null_count or too_big.any():
        low[~valid | too_big] = 0
    return low, problems


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
    array = _plain(column)
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
    if pa.types.is_null(kind):
        units = np.zeros(len(array), np.int64)
        nulls = np.ones(len(array), np.bool_)
    else:
        units, more = _decimal_units(array, name, scale)
        problems.extend(more)
        nulls = (
            ~array.is_valid().to_numpy(zero_copy_only=False)
            if array.null_count
            else np.zeros(len(array), np.bool_)
        )
    if len(units) and int(units.min()) < 0:
        negative = units < 0
        problems.append(
            Problem(np.flatnonzero(negative), name, "must be >= 0", _texts(array, negative))
        )
    if required and nulls.any():
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


def decimal_words(count: int) -> tuple[Ints, Ints]:
    """A buffer for ``count`` ``decimal128`` values and the view of their low words: write the
    int64 unscaled values there (e.g. sum into it), then :func:`decimal_from_words`."""
    words = np.empty(2 * count, np.int64)
    return words, words[::2]


def decimal_from_words(
    words: Ints, scale: int, nulls: npt.NDArray[np.bool_] | None = None, precision: int = 18
) -> pa.Array:
    """The ``decimal128(precision, scale)`` array whose low words are filled in ``words``
    (the high words, each value's sign, are written here)."""
    count = len(words) // 2
    low = words[::2]
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
    """int64 unscaled values as ``decimal128(precision, scale)``, built on the same words."""
    words, low = decimal_words(len(units))
    low[:] = units
    return decimal_from_words(words, scale, nulls, precision)


def scaled_decimal(value: Decimal, scale: int) -> int:
    """``value`` as an integer of ``scale`` decimals; it must be exact."""
    scaled = value.scaleb(scale)
    if scaled != scaled.to_integral_value():
        raise InvalidInput(f"{value} has more than {scale} decimals")
    return int(scaled)


def integers(column: pa.Array | pa.ChunkedArray, name: str) -> tuple[Ints, list[Problem]]:
    """A count column (orders): int64 >= 0; strings of digits are read exactly."""
    array = _plain(column)
    kind = array.type
    if pa.types.is_floating(kind):
        raise InvalidInput(f"column {name!r} must hold whole numbers, got {kind}")
    problems: list[Problem] = []
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        try:
            array = pc.cast(pc.utf8_trim_whitespace(array), pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            texts = array.to_pylist()
            bad = [i for i, t in enumerate(texts) if t is not None and not t.strip().isdigit()]
            problems.append(
                Problem(
                    np.asarray(bad, np.int64),
                    name,
                    "must be a whole number",
                    tuple(str(texts[i]) for i in bad[:1000]),
                )
            )
            good = [None if t is None or i in set(bad) else int(t) for i, t in enumerate(texts)]
            array = pa.array(good, pa.int64())
    elif not pa.types.is_integer(kind) and not pa.types.is_null(kind):
        raise InvalidInput(f"column {name!r} must hold whole numbers, got {kind}")
    if array.null_count == 0 and not pa.types.is_null(kind):
        values = array.cast(pa.int64()).to_numpy(zero_copy_only=False)
    else:
        valid = array.is_valid().to_numpy(zero_copy_only=False)
        values = array.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        problems.append(Problem(np.flatnonzero(~valid), name, "is missing"))
    if len(values) and int(values.min()) < 0:
        negative = values < 0
        problems.append(
            Problem(
                np.flatnonzero(negative),
                name,
                "must be >= 0",
                tuple(str(v) for v in values[negative][:1000]),
            )
        )
        values = np.where(negative, 0, values)
    return values.astype(np.int64, copy=False), problems


def check_values(codes: Codes, name: str, check: Callable[[str], str | None]) -> list[Problem]:
    """Run ``check`` (a reason, or ``None`` when fine) once per distinct value."""
    problems: list[Problem] = []
    bad = {
        index: reason
        for index, value in enumerate(codes.values)
        if (reason := check(value)) is not None
    }
    for index, reason in bad.items():
        rows = np.flatnonzero(codes.codes == index)
        problems.append(Problem(rows, name, reason, (codes.values[index],)))
    if len(codes.codes) and int(codes.codes.min()) < 0:
        problems.append(Problem(np.flatnonzero(codes.codes < 0), name, "is missing"))
    return problems


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


def gather(table: Ints, codes: Ints) -> Ints | int:
    """``table[codes]``, or the one value when the table holds a single distinct value."""
    if len(table) and bool((table == table[0]).all()):
        return int(table[0])
    return table[codes]
