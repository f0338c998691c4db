"""Arrow columns in, numpy integer arrays out (and back), with per-row problems kept.

Strings become dense integer codes over their distinct values, so every check runs once per distinct
value, never once per row. Nothing here rounds or guesses: a value that is not a whole number
of minor units, a float column, a null where a value is needed — each is a :class:`Problem`
naming the row and the column.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, cast

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch._kernels import gather, min_max
from flexsecure.values.errors import InvalidInput

__all__ = [
    "INT64_SAFE",
    "Codes",
    "Ints",
    "Problem",
    "bounds",
    "check_values",
    "codes_bounded",
    "counting",
    "dictionary_array",
    "encode",
    "integers",
    "plain",
    "repeated",
    "run_starts",
    "through",
    "through_bounded",
    "zeros",
]

Ints = npt.NDArray[np.int64]
AnyInts = npt.NDArray[np.integer[Any]]
"""Integer codes of any width, as Arrow's dictionary indices are read (int8 to int64, no
copy). Arithmetic on them widens explicitly (``dtype=np.int64``): numpy keeps the narrow
type when such an array is multiplied by a Python int."""
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


def plain(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One Arrow array of a column (its chunks combined, if it has several)."""
    if isinstance(column, pa.ChunkedArray):
        return column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    return column


def encode(column: pa.Array | pa.ChunkedArray, name: str) -> Codes:
    """Dense codes of a string (or dictionary-of-string) column."""
    array = plain(column)
    if pa.types.is_dictionary(array.type):
        if not (
            pa.types.is_string(array.type.value_type)
            or pa.types.is_large_string(array.type.value_type)
        ):
            raise InvalidInput(f"column {name!r} must hold text, got {array.type}")
        inner = _dictionary_codes(array.dictionary, name)
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


def _dictionary_codes(dictionary: pa.Array, name: str) -> Codes:
    """:func:`encode` of a dictionary's values: a small dictionary of distinct values without
    nulls (the usual one) is its own code list, with no encoding pass."""
    if len(dictionary) <= 4096 and not dictionary.null_count:
        found = _own_codes(tuple(dictionary.to_pylist()))
        if found is not None:
            return found
    return encode(dictionary, name)


@functools.lru_cache(maxsize=256)
def _own_codes(values: tuple[str, ...]) -> Codes | None:
    """Distinct values as their own codes (read only; the next chunk has the same
    dictionary), or ``None`` if one repeats."""
    if len(set(values)) != len(values):
        return None
    codes = np.arange(len(values), dtype=np.int64)
    codes.flags.writeable = False
    return Codes(codes, values)


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
        if part.values and lookup.tolist() != list(range(len(part.values))):
            result.append(np.where(part.codes >= 0, lookup[np.maximum(part.codes, 0)], -1))
        else:
            result.append(part.codes)
    return result, tuple(values)


def bounds(values: npt.NDArray[np.integer]) -> tuple[int, int]:
    """The smallest and largest value of a non-empty array; a read-only broadcast (one value
    repeated, as :func:`through` returns for a column with one value in the chunk) is read
    once instead of scanned."""
    if values.ndim == 1 and values.strides == (0,):
        value = int(values[0])
        return value, value
    if values.dtype.kind == "i":
        return min_max(values)  # one compiled pass for both
    return int(values.min()), int(values.max())


def through(table: Ints, indices: npt.NDArray[np.integer]) -> Ints:
    """``table[indices]`` as int64 (valid indices, as Arrow's dictionary arrays hold them).

    A table of one value (one region, one platform in the chunk), or indices that are all the
    same (one month), give a read-only broadcast of that one value, which costs no memory; a
    table that maps each index to itself (the dictionary in the pack's own order) a widening
    copy of the indices, several times cheaper than a gather.
    """
    return through_bounded(table, indices)[0]


def through_bounded(
    table: Ints, indices: npt.NDArray[np.integer]
) -> tuple[Ints, tuple[int, int] | None]:
    """:func:`through`, and bounds of the values it gives (the least and largest value of
    the table between the least and largest index; ``None`` for no rows), found on the way."""
    values, found = _through(table, indices, widen=True)
    return cast(Ints, values), found


def codes_bounded(
    table: Ints, indices: npt.NDArray[np.integer]
) -> tuple[AnyInts, tuple[int, int] | None]:
    """:func:`through_bounded`, except that a table mapping each index to itself gives the
    indices as they are (no copy, their own integer width): for codes only compared, used
    as indexes or read by compiled loops."""
    return _through(table, indices, widen=False)


def _through(
    table: Ints, indices: npt.NDArray[np.integer], *, widen: bool
) -> tuple[AnyInts, tuple[int, int] | None]:
    if not len(indices):
        empty: Ints = table[indices]
        return empty, None
    if len(table) == 1:
        return repeated(table[0], len(indices)), (int(table[0]), int(table[0]))
    low, high = bounds(indices)
    if low == high:
        return repeated(table[low], len(indices)), (int(table[low]), int(table[low]))
    if table.tolist() == list(range(len(table))):  # dictionaries are small
        keep = not widen and indices.dtype.kind == "i"  # signed: arithmetic stays integer
        return indices if keep else indices.astype(np.int64), (low, high)
    reached = table[low : high + 1]
    if low < 0 or high >= len(table):
        raise IndexError(f"index {low if low < 0 else high} is out of bounds for {len(table)}")
    return gather(table, indices), (int(reached.min()), int(reached.max()))


KEPT_ROWS = 1 << 22
"""The longest run of row numbers (or zeros) kept for the next chunks, 32 MB of int64."""
_kept: dict[str, npt.NDArray[Any]] = {}


def counting(count: int) -> Ints:
    """``0, 1, ..., count - 1``, read-only: row numbers and worker-month indexes that would
    otherwise be a new array each chunk — a view of the longest such array made so far (up
    to :data:`KEPT_ROWS`), as chunks and their month pieces differ in length."""
    return cast(Ints, _kept_prefix("counting", count, np.int64, np.arange))


def zeros(count: int, dtype: type = np.int32) -> npt.NDArray[Any]:
    """``count`` zeros, read-only, kept as :func:`counting` keeps its numbers: e.g. the
    month indexes of a chunk of one month, shared by the results' month columns (Arrow's
    arrays are immutable; a read-only buffer is never written)."""
    return _kept_prefix(f"zeros {np.dtype(dtype).str}", count, dtype, np.zeros)


def _kept_prefix(
    name: str, count: int, dtype: type, make: Callable[..., npt.NDArray[Any]]
) -> npt.NDArray[Any]:
    kept = _kept.get(name)
    if kept is not None and len(kept) >= count:
        return kept[:count]
    values = make(count, dtype=dtype)
    values.flags.writeable = False
    if count <= KEPT_ROWS:
        _kept[name] = values
    return values


def repeated(value: object, count: int, dtype: type = np.int64) -> npt.NDArray[Any]:
    """``value`` ``count`` times as a read-only array that holds it once (stride 0), as
    ``np.broadcast_to`` gives, built directly: chunks make a dozen of these each, mostly the
    same ones (kept: being read only, they can be shared)."""
    return _repeated(dtype, value, count)


@functools.lru_cache(maxsize=64)
def _repeated(dtype: type, value: object, count: int) -> npt.NDArray[Any]:
    one: npt.NDArray[Any] = np.array([value], dtype)
    values: npt.NDArray[Any] = np.ndarray((count,), dtype, buffer=one, strides=(0,))
    values.flags.writeable = False
    return values


def dense_unique(keys: AnyInts) -> tuple[Ints, Ints]:
    """``np.unique(keys, return_inverse=True)`` in linear time for small non-negative keys
    (both as int64, whatever the keys' integer width)."""
    if not len(keys):
        empty = keys.astype(np.int64)
        return empty, empty
    top = int(keys.max())
    if int(keys.min()) < 0 or top > 4 * len(keys) + 4096:
        unique, inverse = np.unique(keys, return_inverse=True)
        return unique.astype(np.int64, copy=False), inverse.reshape(-1).astype(np.int64, copy=False)
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
    codes: npt.NDArray[np.integer],
    values: Sequence[str],
    index_type: pa.DataType | None = None,
    *,
    in_range: bool = False,
) -> pa.DictionaryArray:
    """Codes (``-1``: null) over ``values`` as an Arrow dictionary array (int32 indices
    unless ``index_type`` says otherwise).

    ``in_range``: the caller has proven every code lies in ``[0, len(values))``, so neither
    the null scan here nor Arrow's check of the indices (each a whole pass) is needed."""
    index_type = index_type or pa.int32()
    if in_range:
        indices = pa.array(codes.astype(index_type.to_pandas_dtype(), copy=False))
        return pa.DictionaryArray.from_arrays(indices, _dictionary(tuple(values)), safe=False)
    if not len(codes) or int(codes.min()) >= 0:
        indices = pa.array(codes.astype(index_type.to_pandas_dtype(), copy=False))
    else:
        mask = codes < 0
        indices = pa.array(np.where(mask, 0, codes).astype(index_type.to_pandas_dtype()), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, _dictionary(tuple(values)))


@functools.lru_cache(maxsize=256)
def _dictionary(values: tuple[str, ...]) -> pa.Array:
    """The string array of a dictionary's values (immutable), built once for every chunk."""
    return pa.array(list(values), pa.string())


def integers(
    column: pa.Array | pa.ChunkedArray, name: str
) -> tuple[Ints, list[Problem], tuple[int, int] | None]:
    """A count column (orders): int64 >= 0 (strings of digits are read exactly), and bounds
    the values lie within (``None`` for no rows), found on the way."""
    array = plain(column)
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
        wide = array if kind == pa.int64() else array.cast(pa.int64())
        values = wide.to_numpy(zero_copy_only=False)
    else:
        valid = array.is_valid().to_numpy(zero_copy_only=False)
        values = array.cast(pa.int64()).fill_null(0).to_numpy(zero_copy_only=False)
        problems.append(Problem(np.flatnonzero(~valid), name, "is missing"))
    found = bounds(values) if len(values) else None
    if found is not None and found[0] < 0:
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
        found = (0, max(found[1], 0))
    return values.astype(np.int64, copy=False), problems, found


def check_values(codes: Codes, name: str, check: Callable[[str], str | None]) -> list[Problem]:
    """Run ``check`` (a reason, or ``None`` when fine) once per distinct value; a bad value
    no row holds (a vocabulary shared by two tables) is not a problem of these rows."""
    problems: list[Problem] = []
    bad = {
        index: reason
        for index, value in enumerate(codes.values)
        if (reason := check(value)) is not None
    }
    for index, reason in bad.items():
        rows = np.flatnonzero(codes.codes == index)
        if len(rows):
            problems.append(Problem(rows, name, reason, (codes.values[index],)))
    if len(codes.codes) and bounds(codes.codes)[0] < 0:
        problems.append(Problem(np.flatnonzero(codes.codes < 0), name, "is missing"))
    return problems
