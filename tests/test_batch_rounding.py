"""The batch engine's integer rounding: its short forms are the plain integer arithmetic.

``multiply_add_floor`` computes ``(v × factor + addend) // divisor`` with the division
folded into the multiplication (a multiplication by ``factor × m``, an addition and a
shift) where the values' bound allows it; ``round_scaled`` rounds ``v × factor /
denominator`` through it. Both are held here to Python's own ``//`` and to
:func:`~flexsecure.batch.rounding.round_ratio`, at the bound and beside the multiples.
"""

from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from flexsecure.batch.rounding import multiply_add_floor, round_ratio, round_scaled  # noqa: E402
from flexsecure.values.money import Rounding  # noqa: E402


@given(
    factor=st.integers(min_value=0, max_value=10**6),
    addend=st.integers(min_value=0, max_value=10**6),
    divisor=st.integers(min_value=1, max_value=10**7),
    largest=st.integers(min_value=0, max_value=2**36),
    data=st.data(),
)
@settings(max_examples=400, deadline=None)
def test_multiply_add_floor_is_floor_division(
    factor: int, addend: int, divisor: int, largest: int, data: st.DataObject
) -> None:
    """Every value from 0 to the bound, the bound itself and the values beside a multiple of
    the divisor give ``(v × factor + addend) // divisor`` exactly."""
    values = data.draw(st.lists(st.integers(0, largest), min_size=1, max_size=30))
    near = [largest, 0]
    if factor:
        for k in (-1, 0, 1):
            step = (largest * factor + addend) // divisor * divisor - addend
            if 0 <= (v := step // factor + k) <= largest:
                near.append(v)
    given_values = np.asarray(values + near, np.int64)
    expected = [(int(v) * factor + addend) // divisor for v in given_values]
    if largest * factor + addend >= 2**62:  # beyond what callers ask of it
        return
    assert multiply_add_floor(given_values, factor, addend, divisor, largest).tolist() == expected
    assert multiply_add_floor(given_values, factor, addend, divisor, None).tolist() == expected


@given(
    rate=st.integers(min_value=0, max_value=10**4),
    exponent=st.integers(min_value=0, max_value=6),
    mode=st.sampled_from(list(Rounding)),
    bases=st.lists(st.integers(0, 10**9), min_size=1, max_size=40),
)
@settings(max_examples=300, deadline=None)
def test_round_scaled_rounds_as_round_ratio(
    rate: int, exponent: int, mode: Rounding, bases: list[int]
) -> None:
    """A base × a rate over a power of ten, rounded by each mode: the short form (with the
    bases' bound given) is the same as rounding the product as it is."""
    values = np.asarray(bases, np.int64)
    denominator = 10**exponent
    expected = round_ratio(values * rate, denominator, mode).tolist()
    assert round_scaled(values, rate, denominator, mode, max(bases)).tolist() == expected
