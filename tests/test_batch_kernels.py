"""The batch engine's compiled loops are the numpy expressions they replace.

Each loop of :mod:`flexsecure.batch._kernels` does in one pass what a chain of numpy
operations did; here each is held to that chain on random arrays, including the edges the
loops decide on (a value equal to a bound, a negative low word, a set high word, a row out
of order, one month broadcast).
"""

from __future__ import annotations

import itertools

import pytest

np = pytest.importorskip("numpy")
pytest.importorskip("numba")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from flexsecure.batch import _kernels as kernels  # noqa: E402

values = st.lists(st.integers(-(2**40), 2**40), min_size=1, max_size=60)


@given(values)
@settings(max_examples=200, deadline=None)
def test_min_max_is_min_and_max(given_values: list[int]) -> None:
    array = np.asarray(given_values, np.int64)
    assert kernels.min_max(array) == (min(given_values), max(given_values))
    small = np.clip(array, -(2**31), 2**31 - 1).astype(np.int32)
    assert kernels.min_max(small) == (int(small.min()), int(small.max()))


@given(values, st.integers(-(2**40), 2**40), st.integers(0, 2**40), st.booleans())
@settings(max_examples=200, deadline=None)
def test_clip_is_numpy_clip(given_values: list[int], low: int, width: int, rows: bool) -> None:
    array = np.asarray(given_values, np.int64)
    high = low + width
    expected = np.clip(array, low, high)
    if rows:  # one bound per row
        lows = np.full(len(array), low, np.int64)
        assert kernels.clip(array, lows, np.full(len(array), high, np.int64)).tolist() == (
            expected.tolist()
        )
    else:
        assert kernels.clip(array, low, high).tolist() == expected.tolist()


@given(
    st.lists(st.integers(0, 2**30), min_size=1, max_size=60),
    st.integers(0, 2**16),
    st.integers(0, 2**16),
    st.integers(0, 40),
)
@settings(max_examples=200, deadline=None)
def test_multiply_add_shift_and_fund_halves(
    given_values: list[int], factor: int, addend: int, shift: int
) -> None:
    array = np.asarray(given_values, np.int64)
    expected = [(v * factor + addend) >> shift for v in given_values]
    assert kernels.multiply_add_shift(array, factor, addend, shift).tolist() == expected
    first, second = kernels.fund_halves(array, factor, addend, shift)
    assert first.tolist() == expected
    assert (first + second).tolist() == given_values  # the parts sum to the whole


@given(values, st.lists(st.integers(-3, 3), min_size=60, max_size=60))
@settings(max_examples=200, deadline=None)
def test_low_words_and_words_of_sums_round_trip(given_values: list[int], highs: list[int]) -> None:
    """Words written for sums read back as the sums; a value fits exactly when its high word
    is 0 and its low word is >= 0."""
    array = np.asarray(given_values, np.int64)
    count = len(array)
    words = kernels.words_of_sums([array], count)
    assert words[1::2].tolist() == [-1 if v < 0 else 0 for v in given_values]
    low, fits = kernels.low_words(words, count)
    assert low.tolist() == given_values
    assert fits == (min(given_values) >= 0)
    words[1::2] = highs[:count]
    assert kernels.low_words(words, count)[1] == (min(given_values) >= 0 and not any(highs[:count]))
    twice = kernels.words_of_sums([array, array], count)
    assert twice[::2].tolist() == [2 * v for v in given_values]
    thrice = kernels.words_of_sums([array, array, array], count)
    assert thrice[::2].tolist() == [3 * v for v in given_values]
    assert kernels.words_of_sums([], count).tolist() == [0] * (2 * count)


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(-5, 50)), min_size=2, max_size=60))
@settings(max_examples=300, deadline=None)
def test_month_major_is_strictly_increasing_pairs(rows: list[tuple[int, int]]) -> None:
    month = np.asarray([m for m, _ in rows], np.int64)
    worker = np.asarray([w for _, w in rows], np.int64)
    ordered = all(a < b for a, b in itertools.pairwise(rows))
    found = kernels.month_major(month, worker)
    assert found[0] == ordered
    if ordered:
        assert found[1:] == (int(worker.min()), int(worker.max()))
    one_month = np.broadcast_to(np.int64(2), worker.shape)
    increasing = all(a < b for a, b in itertools.pairwise(worker))
    found = kernels.month_major(one_month, worker)
    assert found[0] == increasing
    if increasing:
        assert found[1:] == (int(worker.min()), int(worker.max()))


@given(
    st.lists(st.tuples(st.integers(0, 10**4), st.integers(0, 4)), min_size=1, max_size=60),
    st.lists(st.integers(0, 10**6), min_size=5, max_size=5),
    st.integers(1, 100),
)
@settings(max_examples=200, deadline=None)
def test_times_gathered(rows: list[tuple[int, int]], table: list[int], factor: int) -> None:
    orders = np.asarray([o for o, _ in rows], np.int64)
    codes = np.asarray([c for _, c in rows], np.int64)
    premiums = np.asarray(table, np.int64)
    expected = (orders * premiums[codes] * factor).tolist()
    assert kernels.times_gathered(orders, codes, premiums, factor).tolist() == expected
    words = kernels.times_gathered_words(orders, codes.astype(np.int32), premiums, factor)
    assert words[::2].tolist() == expected
    assert words[1::2].tolist() == [0] * len(expected)  # the high words: products are >= 0


@given(st.lists(st.integers(-50, 50), min_size=1, max_size=60))
@settings(max_examples=200, deadline=None)
def test_offsets_are_differences_and_presence(given_values: list[int]) -> None:
    array = np.asarray(given_values, np.int64)
    low, high = min(given_values), max(given_values)
    found, present = kernels.offsets(array, low, high)
    assert found.tolist() == [v - low for v in given_values]
    assert present.tolist() == (np.bincount(array - low, minlength=high - low + 1) > 0).tolist()


@given(
    st.lists(st.tuples(st.integers(0, 11), st.integers(0, 7)), min_size=1, max_size=60),
    st.integers(0, 30),
)
@settings(max_examples=200, deadline=None)
def test_keys_seen_are_keys_and_their_presence(rows: list[tuple[int, int]], constant: int) -> None:
    month = np.asarray([m for m, _ in rows], np.int64)
    industry = np.asarray([i for _, i in rows], np.int64)
    space = 12 * 8 + 31
    key, seen = kernels.keys_seen(month, 1, industry, 12, constant, space)
    expected = month + industry * 12 + constant
    assert key.tolist() == expected.tolist()
    marks = np.zeros(space, np.bool_)
    marks[expected] = True
    assert seen.tolist() == marks.tolist()


@given(
    st.lists(st.integers(0, 3 * 10**6), min_size=1, max_size=60),
    st.integers(0, 10**6),
    st.integers(0, 3 * 10**6),
)
@settings(max_examples=200, deadline=None)
def test_clip_round_is_the_three_loops(given_values: list[int], low: int, width: int) -> None:
    """The fused pass gives what clip, multiply_add_shift and fund_halves give in turn."""
    array = np.asarray(given_values, np.int64)
    high = low + width
    rounding, split = (2 * 20, 100, 9), (2 * 8, 20, 6)
    amount, first = kernels.clip_round(array, low, high, rounding, split)
    alone, none = kernels.clip_round(array, low, high, rounding)
    expected_amount = kernels.multiply_add_shift(kernels.clip(array, low, high), *rounding)
    expected_first, _ = kernels.fund_halves(expected_amount, *split)
    assert amount.tolist() == alone.tolist() == expected_amount.tolist()
    assert first is not None
    assert first.tolist() == expected_first.tolist()
    assert none is None


@given(
    st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=20),
    st.lists(st.integers(0, 10**6), max_size=60),
    st.sampled_from([np.int8, np.int16, np.int32, np.int64]),
)
@settings(max_examples=200, deadline=None)
def test_gather_is_fancy_indexing(table: list[int], picks: list[int], kind: type) -> None:
    values = np.asarray(table, np.int64)
    indices = np.asarray([p % len(table) for p in picks], kind)
    gathered = kernels.gather(values, indices)
    assert gathered.dtype == np.int64
    assert gathered.tolist() == values[indices].tolist()


@given(st.lists(st.integers(0, 3), min_size=1, max_size=40))
@settings(max_examples=300, deadline=None)
def test_two_runs_finds_where_one_run_gives_way_to_another(given_values: list[int]) -> None:
    values = np.asarray(given_values, np.int32)
    runs = [i for i in range(1, len(given_values)) if given_values[i] != given_values[i - 1]]
    assert kernels.two_runs(values) == (runs[0] if len(runs) == 1 else None)
