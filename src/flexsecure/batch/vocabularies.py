"""Text columns as codes of the pack's vocabularies: industries, regions, schemes, months.

A dictionary-encoded column (as Parquet files give) is read through its dictionary: each
distinct value is looked up once, and the lookups are kept for the next chunk, which has the
same dictionary. Other text columns are encoded first. A value the pack does not know is a
:class:`~flexsecure.batch._arrays.Problem` naming its rows and column.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch._arrays import (
    AnyInts,
    Ints,
    Problem,
    check_values,
    codes_bounded,
    encode,
    through_bounded,
)
from flexsecure.values.errors import InvalidInput
from flexsecure.values.periods import Month

__all__ = [
    "EVERY_MONTH",
    "key_problem",
    "month_index",
    "month_index_bounded",
    "month_lookup",
    "vocabulary",
    "vocabulary_bounded",
]

EVERY_MONTH = -1


def key_problem(value: str) -> str | None:
    """The rules of an identifier that becomes part of ledger entry ids (``check_key``)."""
    if not value or value != value.strip():
        return "must be a non-empty string without surrounding spaces"
    if "/" in value or "#" in value:
        return "must not contain '/' or '#'"
    return None


def month_index(column: pa.Array | pa.ChunkedArray, name: str) -> tuple[Ints, list[Problem]]:
    """Month indexes (:attr:`Month.index`) of a column of month labels ('2025-03'), dates
    or timestamps; a missing or unreadable month is :data:`EVERY_MONTH` and a bad row."""
    index, problems, _ = month_index_bounded(column, name)
    return index, problems


def month_index_bounded(
    column: pa.Array | pa.ChunkedArray, name: str
) -> tuple[Ints, list[Problem], tuple[int, int] | None]:
    """:func:`month_index`, and the least and largest index (both held by rows) when they
    come with the reading (a clean dictionary column of month labels in order); ``None``
    otherwise."""
    kind = column.type
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        days = pc.cast(column, pa.date32()) if not pa.types.is_date32(kind) else column
        years = pc.year(days).to_numpy(zero_copy_only=False)
        months = pc.month(days).to_numpy(zero_copy_only=False)
        valid = (
            days.is_valid().to_numpy(zero_copy_only=False)
            if isinstance(days, pa.Array)
            else pc.is_valid(days).to_numpy(zero_copy_only=False)
        )
        index = np.where(valid, years * 12 + months - 1, EVERY_MONTH).astype(np.int64)
        missing = [] if valid.all() else [Problem(np.flatnonzero(~valid), name, "is missing")]
        return index, missing, None
    array = (
        column.chunk(0)
        if isinstance(column, pa.ChunkedArray) and column.num_chunks == 1
        else column
    )
    if (
        isinstance(array, pa.DictionaryArray)
        and not array.null_count
        and not array.dictionary.null_count
        and pa.types.is_string(array.type.value_type)
    ):  # the usual case: a clean dictionary of month labels, one lookup per row
        direct = month_lookup(tuple(array.dictionary.to_pylist()))
        if direct is not None:
            index, found = through_bounded(direct, array.indices.to_numpy(zero_copy_only=False))
            # the bounds are the months at the least and largest index, which rows hold,
            # when the labels are in order (the usual dictionary); otherwise a superset
            return index, [], found if bool((direct[1:] >= direct[:-1]).all()) else None
    codes = encode(column, name)
    lookup = np.empty(len(codes.values), np.int64)
    reasons: dict[int, str] = {}
    for position, text in enumerate(codes.values):
        try:
            lookup[position] = Month.parse(text).index
        except InvalidInput:
            lookup[position] = EVERY_MONTH
            reasons[position] = "must look like '2025-03'"
    index = np.append(lookup, EVERY_MONTH)[codes.codes]  # code -1 (null) → the last entry
    by_text = {codes.values[position]: reason for position, reason in reasons.items()}
    problems = check_values(codes, name, by_text.get)
    return index.astype(np.int64, copy=False), problems, None


@functools.lru_cache(maxsize=64)
def month_lookup(texts: tuple[str, ...]) -> Ints | None:
    """Month indexes of ``texts``, or ``None`` if one is not a month (the slow path says so).

    Kept for the next chunk, which has the same dictionary of month labels (read only)."""
    lookup = np.empty(len(texts) or 1, np.int64)
    for position, text in enumerate(texts):
        try:
            lookup[position] = Month.parse(text).index
        except InvalidInput:
            return None
    lookup.flags.writeable = False
    return lookup


def vocabulary(
    column: pa.ChunkedArray, allowed: Sequence[str], name: str, problems: list[Problem]
) -> Ints:
    """Codes of ``column`` as positions in ``allowed``; other values are bad rows."""
    return vocabulary_bounded(column, allowed, name, problems)[0].astype(np.int64, copy=False)


def vocabulary_bounded(
    column: pa.ChunkedArray, allowed: Sequence[str], name: str, problems: list[Problem]
) -> tuple[AnyInts, tuple[int, int] | None]:
    """:func:`vocabulary` (codes of any integer width: a dictionary in ``allowed``'s own
    order gives its indices as they are), and the least and largest code when they come
    with the reading (a clean dictionary column); ``None`` otherwise."""
    allowed = tuple(allowed)
    array = column.chunk(0) if column.num_chunks == 1 else None
    if array is not None and pa.types.is_dictionary(array.type) and not array.null_count:
        # the usual case: a clean dictionary column, one lookup per row
        found = _positions_of(allowed, tuple(array.dictionary.to_pylist()))
        if found is not None:
            return codes_bounded(found, array.indices.to_numpy(zero_copy_only=False))
    position = _positions(allowed)
    codes = encode(column, name)
    lookup = np.asarray([position.get(value, -1) for value in codes.values] or [0], np.int64)
    shown = ", ".join(list(allowed)[:6]) + (", ..." if len(allowed) > 6 else "")

    def check(value: str) -> str | None:
        return None if value in position else f"must be one of the pack's {name}s ({shown})"

    problems.extend(check_values(codes, name, check))
    return np.append(lookup[: len(codes.values)], -1)[codes.codes], None  # null → -1


@functools.lru_cache(maxsize=64)
def _positions(allowed: tuple[str, ...]) -> dict[str, int]:
    return {value: index for index, value in enumerate(allowed)}


@functools.lru_cache(maxsize=256)
def _positions_of(allowed: tuple[str, ...], texts: tuple[str, ...]) -> Ints | None:
    """Each text's position in ``allowed`` (read only), or ``None`` if one is not there (the
    slow path says which); kept for the next chunk, which has the same dictionary."""
    position = _positions(allowed)
    found = [position.get(text, -1) for text in texts]
    if -1 in found:
        return None
    lookup = np.asarray(found or [0], np.int64)
    lookup.flags.writeable = False
    return lookup
