"""Resident identity numbers (GB 11643-1999, ISO 7064 MOD 11-2)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flexsecure import InvalidInput, ResidentId, RetirementCategory, Sex, Worker
from flexsecure.jurisdictions.cn.identity import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    check_character,
    is_valid,
    mask,
    validate,
)

# The standard's own example number, with an X check character.
EXAMPLE = "11010519491231002X"


def test_valid_example_and_its_parts() -> None:
    assert validate(EXAMPLE) == EXAMPLE
    assert validate("110105 19491231 002x") == EXAMPLE
    rid = ResidentId(EXAMPLE)
    assert rid.birth_date == dt.date(1949, 12, 31)
    assert not rid.is_male


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("11010519491231002", InvalidLength),
        ("11010519491231002XX", InvalidLength),
        ("1101051949123100AX", InvalidFormat),
        ("110105194913310029", InvalidComponent),
        ("110105194912310021", InvalidChecksum),
    ],
)
def test_each_check_has_its_error(number: str, error: type[InvalidInput]) -> None:
    with pytest.raises(error):
        validate(number)
    assert not is_valid(number)


def test_the_number_never_shows_whole() -> None:
    rid = ResidentId(EXAMPLE)
    for text in (repr(rid), str(rid), rid.masked, mask(EXAMPLE)):
        assert EXAMPLE not in text
        assert text.endswith("2X") or text.endswith("2X')")
    assert rid.reveal() == EXAMPLE
    worker = Worker(
        id="w-9",
        birth_date=dt.date(1949, 12, 31),
        sex=Sex.FEMALE,
        hukou_region="CN-BJ",
        retirement_category=RetirementCategory.FEMALE_55,
        resident_id=EXAMPLE,
    )
    assert EXAMPLE not in repr(worker)
    assert EXAMPLE not in str(worker)


def test_error_messages_never_show_the_number() -> None:
    wrong = EXAMPLE[:-1] + "1"
    with pytest.raises(InvalidChecksum) as caught:
        validate(wrong)
    assert wrong not in str(caught.value)
    with pytest.raises(InvalidInput) as mismatch:
        Worker(
            id="w-9",
            birth_date=dt.date(1950, 1, 1),
            sex=Sex.FEMALE,
            hukou_region="CN-BJ",
            retirement_category=RetirementCategory.FEMALE_55,
            resident_id=EXAMPLE,
        )
    assert "birth date" in str(mismatch.value)
    assert EXAMPLE not in str(mismatch.value)


@given(
    st.integers(110000, 659999),
    st.dates(dt.date(1900, 1, 1), dt.date(2025, 12, 31)),
    st.integers(0, 999),
)
def test_generated_numbers_validate_and_single_digit_errors_are_caught(
    area: int, born: dt.date, sequence: int
) -> None:
    first17 = f"{area}{born:%Y%m%d}{sequence:03d}"
    number = first17 + check_character(first17)
    assert ResidentId(number).birth_date == born
    wrong = first17 + ("0" if number[-1] != "0" else "1")
    assert not is_valid(wrong)
