"""Chinese resident identity numbers (居民身份证号码, GB 11643-1999).

An 18-character number: 6 digits of the address code, 8 digits of birth date (YYYYMMDD), a
3-digit sequence (odd for men, even for women) and a check character computed with ISO 7064
MOD 11-2 over the first 17 digits, ``X`` standing for 10::

    >>> from flexsecure.jurisdictions.cn.identity import ResidentId, is_valid
    >>> is_valid("11010519491231002X")
    True
    >>> rid = ResidentId("11010519491231002X")
    >>> rid
    ResidentId('110105**********2X')
    >>> rid.birth_date
    datetime.date(1949, 12, 31)

The number is personal data. A :class:`ResidentId` shows only a masked form in ``repr``,
``str`` and every error message; :meth:`ResidentId.reveal` returns it whole for the caller who
must send it to an agency.
"""

from __future__ import annotations

import datetime as dt

from flexsecure.values.errors import InvalidInput

__all__ = [
    "InvalidChecksum",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidLength",
    "ResidentId",
    "check_character",
    "compact",
    "is_valid",
    "mask",
    "validate",
]

_WEIGHTS = tuple(pow(2, 17 - position, 11) for position in range(17))


class InvalidLength(InvalidInput):
    """The number does not have 18 characters."""


class InvalidFormat(InvalidInput):
    """The number has characters other than 17 digits and a final digit or X."""


class InvalidComponent(InvalidInput):
    """A part of the number (the birth date) is not a real value."""


class InvalidChecksum(InvalidInput):
    """The check character does not match the first 17 digits."""


def compact(number: str) -> str:
    """Strip spaces and hyphens and upper-case a final ``x``."""
    return number.replace(" ", "").replace("-", "").strip().upper()


def mask(number: str) -> str:
    """Keep the 6-digit address code and the last two characters: ``110105**********2X``."""
    text = compact(number)
    if len(text) <= 8:
        return "*" * len(text)
    return text[:6] + "*" * (len(text) - 8) + text[-2:]


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def _birth_date(text: str) -> dt.date:
    try:
        return dt.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        raise InvalidComponent(
            f"resident id {mask(text)}: characters 7-14 are not a valid birth date"
        ) from None


def validate(number: str) -> str:
    """Check length, format, birth date and check character; return the compact number."""
    if not isinstance(number, str):
        raise InvalidFormat(f"resident id must be a string, got {type(number).__name__}")
    text = compact(number)
    if len(text) != 18:
        raise InvalidLength(f"resident id must have 18 characters, got {len(text)}")
    if not text[:17].isdigit() or not (text[17].isdigit() or text[17] == "X"):
        raise InvalidFormat(f"resident id {mask(text)} must be 17 digits followed by a digit or X")
    _birth_date(text)
    if check_character(text[:17]) != text[17]:
        raise InvalidChecksum(f"resident id {mask(text)} has a wrong check character")
    return text


def is_valid(number: str) -> bool:
    """True when :func:`validate` accepts ``number``."""
    try:
        validate(number)
    except InvalidInput:
        return False
    return True


class ResidentId:
    """A validated resident id that never shows itself whole by accident."""

    __slots__ = ("_number",)

    def __init__(self, number: str) -> None:
        self._number = validate(number)

    @property
    def birth_date(self) -> dt.date:
        return _birth_date(self._number)

    @property
    def is_male(self) -> bool:
        """The sequence digit (17th character) is odd for men, even for women."""
        return int(self._number[16]) % 2 == 1

    @property
    def masked(self) -> str:
        return mask(self._number)

    def reveal(self) -> str:
        """The whole number, for the one place that must send it on."""
        return self._number

    def __repr__(self) -> str:
        return f"ResidentId('{self.masked}')"

    def __str__(self) -> str:
        return self.masked

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ResidentId) and other._number == self._number

    def __hash__(self) -> int:
        return hash(("ResidentId", self._number))

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, "_number"):
            raise AttributeError("ResidentId is immutable")
        object.__setattr__(self, name, value)

    def __reduce__(self) -> tuple[type[ResidentId], tuple[str]]:
        return (ResidentId, (self._number,))
