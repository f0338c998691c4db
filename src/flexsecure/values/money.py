"""Exact amounts of money.

A :class:`Money` is a :class:`~decimal.Decimal` amount and an ISO 4217 currency code. It is
never built from a ``float`` (a float cannot hold 0.1 exactly), never combined with another
currency, and rounded only when asked, with a named rounding mode::

    >>> from flexsecure import Money
    >>> base = Money("7460", "CNY")
    >>> (base * Decimal("0.08")).quantize()
    Money('596.80', 'CNY')
    >>> [str(share.amount) for share in Money("100.00", "CNY").allocate([1, 1, 1])]
    ['33.34', '33.33', '33.33']

Intermediate results keep every digit; :meth:`Money.quantize` rounds to the currency's minor
unit (the fen for CNY) or to any coarser unit a rule names (``Decimal("0.1")`` for the jiao).

Supported amounts are bounded: a magnitude below :data:`MAX_AMOUNT` (10¹⁵, a thousand
trillion) with at most :data:`MAX_PLACES` (28) decimal places. Arithmetic runs in a context of
:data:`PRECISION` (80) significant digits, wide enough that adding, subtracting and comparing
any supported amounts, and multiplying one by a rate, is exact; a larger or finer amount is
refused with :class:`~flexsecure.InvalidInput` instead of silently losing a fen::

    >>> Money("1234567890123456789012345678.91", "CNY")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    flexsecure.values.errors.InvalidInput: amount must be below 10^15 in magnitude, got ...

Strings are plain decimal notation in ASCII digits (``"-12.30"``): no exponent, no
full-width or other Unicode digits, no surrounding spaces.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import Any

import attrs

from flexsecure.values.errors import CurrencyMismatch, InvalidInput

__all__ = [
    "MAX_AMOUNT",
    "MAX_PLACES",
    "PRECISION",
    "Money",
    "Rounding",
    "largest_remainder",
    "minor_unit",
    "round_units",
    "split_exactly",
]

MAX_AMOUNT = Decimal(10) ** 15
"""Amounts must be smaller than this in magnitude (10¹⁵ units of the currency)."""
MAX_PLACES = 28
"""Amounts may have at most this many decimal places."""
PRECISION = 80
"""Significant digits of the context money arithmetic runs in: 15 integer digits and 28
places of two amounts, or of an amount and a rate, fit with room to spare, so those operations
are exact."""

_CONTEXT = decimal.Context(
    prec=PRECISION,
    rounding=decimal.ROUND_HALF_EVEN,
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)
"""The context of every Money operation; only a division can round (at the 80th digit)."""

_PLAIN = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?", re.ASCII)

_EXACT = decimal.Context(
    prec=decimal.MAX_PREC,
    Emax=decimal.MAX_EMAX,
    Emin=decimal.MIN_EMIN,
    traps=[decimal.Inexact, decimal.InvalidOperation, decimal.DivisionByZero],
)
"""A context in which every operation we use is exact, or raises."""


class Rounding(StrEnum):
    """Named rounding modes, as rules state them."""

    HALF_UP = "half_up"
    """0.005 → 0.01: the usual commercial rounding (四舍五入)."""
    HALF_EVEN = "half_even"
    """Banker's rounding: halves go to the even neighbour."""
    UP = "up"
    """Away from zero: any remainder rounds up (e.g. Shanghai's 见分进角)."""
    DOWN = "down"
    """Toward zero: remainders are dropped."""

    @property
    def decimal_mode(self) -> str:
        return _DECIMAL_MODES[self]


_DECIMAL_MODES = {
    Rounding.HALF_UP: decimal.ROUND_HALF_UP,
    Rounding.HALF_EVEN: decimal.ROUND_HALF_EVEN,
    Rounding.UP: decimal.ROUND_UP,
    Rounding.DOWN: decimal.ROUND_DOWN,
}


_new = object.__new__


@cache
def minor_unit(currency: str) -> Decimal:
    """The smallest unit of ``currency`` as a Decimal (``Decimal('0.01')`` for CNY).

    Taken from the CLDR data that Babel ships, so every ISO 4217 currency is known.
    """
    from babel.numbers import get_currency_precision, list_currencies

    if currency not in list_currencies():
        raise InvalidInput(f"currency must be an ISO 4217 code such as 'CNY', got {currency!r}")
    return Decimal(1).scaleb(-get_currency_precision(currency))


def largest_remainder(units: int, weights: Sequence[int]) -> list[int]:
    """Split ``units`` (a whole number >= 0 of some unit) by integer ``weights`` (>= 0, not
    all zero): each part is its exact share rounded down, then the units left over go one
    each to the largest remainders, ties to the earlier weight. The parts sum to ``units``.

    >>> from flexsecure.values.money import largest_remainder
    >>> largest_remainder(10, [1, 1, 1])
    [4, 3, 3]
    """
    if len(weights) == 2 and units >= 0:
        # two parts: the first is its share rounded half up (a remainder of exactly half is
        # the larger or tied one, and ties go to the earlier weight), the second the rest
        first, second = weights
        total = first + second
        part = (2 * units * first + total) // (2 * total)
        return [part, units - part]
    total = sum(weights)
    floors = []
    remainders = []
    for weight in weights:
        floor, remainder = divmod(units * weight, total)
        floors.append(floor)
        remainders.append(remainder)
    leftover = units - sum(floors)
    if leftover == 1:  # the usual case (always, with two weights): the first largest gets it
        floors[remainders.index(max(remainders))] += 1
    elif leftover:
        order = sorted(range(len(floors)), key=lambda i: (-remainders[i], i))
        for index in order[:leftover]:
            floors[index] += 1
    return floors


def round_units(numerator: int, denominator: int, rounding: Rounding) -> int:
    """``numerator / denominator`` (both >= 0, ``denominator`` > 0) rounded to an integer by
    ``rounding``: what :meth:`Money.quantize` does, on integers (e.g. minor units times a rate
    numerator, over the rate's power of ten).

    >>> from flexsecure.values.money import Rounding, round_units
    >>> round_units(149250, 100, Rounding.HALF_UP), round_units(149250, 100, Rounding.HALF_EVEN)
    (1493, 1492)
    """
    if rounding is Rounding.HALF_UP:
        return (2 * numerator + denominator) // (2 * denominator)
    if rounding is Rounding.DOWN:
        return numerator // denominator
    if rounding is Rounding.UP:
        return -(-numerator // denominator)
    quotient, remainder = divmod(numerator, denominator)
    if 2 * remainder > denominator or (2 * remainder == denominator and quotient % 2):
        quotient += 1
    return quotient


def _integers(weights: Sequence[Decimal]) -> list[int]:
    """Decimal weights as integers over one power of ten (exact: the proportions are kept)."""
    places = 0
    for weight in weights:
        exponent = weight.as_tuple().exponent
        assert isinstance(exponent, int)
        places = max(places, -exponent)
    return [int(weight.scaleb(places, context=_EXACT)) for weight in weights]


def _largest_remainder(amount: Decimal, unit: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """Split ``amount`` (a whole number of ``unit``) by ``weights`` (>= 0, not all zero).

    Exact throughout — integer units and weights (Python integers have no size limit), so it
    holds for amounts and weights of any size.
    """
    units = int(_EXACT.divide_int(abs(amount), unit))
    step = -unit if amount < 0 else unit
    return [Decimal(count) * step for count in largest_remainder(units, _integers(weights))]


def split_exactly(amount: Money, weights: Sequence[Decimal]) -> tuple[Money, ...]:
    """:meth:`Money.allocate` for trusted input: non-negative Decimal weights, not all zero,
    and an amount in whole minor units. Skips the checks, for calculations' hot paths."""
    return tuple(
        Money.unchecked(share, amount.currency)
        for share in _largest_remainder(amount.amount, minor_unit(amount.currency), weights)
    )


@cache
def _is_power_of_ten(unit: Decimal) -> bool:
    return unit > 0 and unit.as_tuple().digits == (1,)


def _in_range(value: Decimal, shown: object) -> Decimal:
    """``value`` if it is a supported amount (see the module docstring), else InvalidInput."""
    if not value.is_finite():
        raise InvalidInput(f"amount must be a finite number, got {shown!r}")
    if abs(value) >= MAX_AMOUNT:
        raise InvalidInput(f"amount must be below 10^15 in magnitude, got {shown!r}")
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)
    if exponent < -MAX_PLACES and value != value.quantize(
        Decimal(1).scaleb(-MAX_PLACES), context=_CONTEXT
    ):
        raise InvalidInput(f"amount must have at most {MAX_PLACES} decimal places, got {shown!r}")
    return value


def _to_decimal(value: object) -> Decimal:
    if isinstance(value, Decimal):
        return _in_range(value, value)
    if isinstance(value, (bool, float)):
        raise InvalidInput(
            f"amount must be a Decimal, an int or a string such as '12.30', got {value!r} "
            f"({type(value).__name__}); floats cannot hold money exactly"
        )
    if isinstance(value, int):
        if abs(value) >= MAX_AMOUNT:
            raise InvalidInput(f"amount must be below 10^15 in magnitude, got {value!r}")
        return Decimal(value)
    if isinstance(value, str):
        if len(value) > 64 or not _PLAIN.fullmatch(value):
            raise InvalidInput(
                f"amount must be a decimal number in ASCII digits such as '12.30', got "
                f"{value[:64]!r}"
            )
        return _in_range(Decimal(value), value)
    raise InvalidInput(f"amount must be a Decimal, an int or a string, got {value!r}")


def _check_currency(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or len(value) != 3 or not value.isupper():
        raise InvalidInput(f"currency must be an ISO 4217 code such as 'CNY', got {value!r}")
    minor_unit(value)


@attrs.frozen(repr=False, order=False)
class Money:
    """An exact amount in one currency."""

    amount: Decimal = attrs.field(converter=_to_decimal)
    currency: str = attrs.field(validator=_check_currency)

    @classmethod
    def unchecked(cls, amount: Decimal, currency: str) -> Money:
        """Build without validation, for engine code whose ``amount`` is a finite Decimal
        derived from valid Money and whose ``currency`` is a valid code (hot paths only: any
        other caller uses ``Money(amount, currency)``)."""
        money = _new(cls)
        _set_amount(money, amount)  # the slots' own setters: what object.__setattr__ reaches
        _set_currency(money, currency)
        return money

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    def __repr__(self) -> str:
        return f"Money('{self.amount}', '{self.currency}')"

    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    # -- arithmetic ---------------------------------------------------------------------
    def _same(self, other: object, operation: str) -> Money:
        if not isinstance(other, Money):
            raise InvalidInput(f"cannot {operation} {self!r} and {other!r}: both must be Money")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot {operation} {self!r} and {other!r}: currencies differ")
        return other

    def __add__(self, other: Money) -> Money:
        return Money.unchecked(
            _CONTEXT.add(self.amount, self._same(other, "add").amount), self.currency
        )

    def __radd__(self, other: object) -> Money:
        if other == 0:  # lets sum() start from 0
            return self
        return self._same(other, "add") + self

    def __sub__(self, other: Money) -> Money:
        return Money.unchecked(
            _CONTEXT.subtract(self.amount, self._same(other, "subtract").amount), self.currency
        )

    def __neg__(self) -> Money:
        return Money.unchecked(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, (Decimal, int)):
            raise InvalidInput(f"Money can be multiplied by a Decimal or an int, got {factor!r}")
        return Money.unchecked(_CONTEXT.multiply(self.amount, factor), self.currency)

    __rmul__ = __mul__

    def __truediv__(self, divisor: Decimal | int) -> Money:
        if isinstance(divisor, bool) or not isinstance(divisor, (Decimal, int)):
            raise InvalidInput(f"Money can be divided by a Decimal or an int, got {divisor!r}")
        if divisor == 0:
            raise InvalidInput(f"cannot divide {self!r} by zero")
        return Money.unchecked(_CONTEXT.divide(self.amount, divisor), self.currency)

    # -- comparison ---------------------------------------------------------------------
    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    @property
    def is_negative(self) -> bool:
        return self.amount < 0

    # -- rounding and splitting ---------------------------------------------------------
    def quantize(
        self, unit: Decimal | None = None, rounding: Rounding | str = Rounding.HALF_UP
    ) -> Money:
        """Round to ``unit`` (default: the currency's minor unit) with the named mode."""
        if not isinstance(rounding, Rounding):
            try:
                rounding = Rounding(rounding)
            except ValueError:
                modes = ", ".join(repr(r.value) for r in Rounding)
                raise InvalidInput(f"rounding must be one of {modes}, got {rounding!r}") from None
        mode = _DECIMAL_MODES[rounding]
        minor = minor_unit(self.currency)
        if unit is not None and not isinstance(unit, Decimal):
            raise InvalidInput(
                f"rounding unit must be a Decimal such as Decimal('0.1'), got {unit!r}"
            )
        step = minor if unit is None else unit
        if not step.is_finite() or step <= 0 or abs(step) >= MAX_AMOUNT:
            raise InvalidInput(f"rounding unit must be > 0 and below 10^15, got {step!r}")
        if abs(self.amount) >= MAX_AMOUNT:
            raise InvalidInput(f"cannot round {self!r}: beyond the supported 10^15")
        if _is_power_of_ten(step):
            rounded = self.amount.quantize(step, rounding=mode, context=_CONTEXT)
        else:
            quotient = _CONTEXT.divide(self.amount, step)
            rounded = _CONTEXT.multiply(
                quotient.quantize(Decimal(1), rounding=mode, context=_CONTEXT), step
            )
        if step > minor:  # show the result in minor units: 596.9 → 596.90
            rounded = rounded.quantize(minor, context=_CONTEXT)
        return Money.unchecked(rounded, self.currency)

    def is_whole(self, unit: Decimal | None = None) -> bool:
        """True when the amount is a whole number of ``unit`` (default the minor unit)."""
        step = minor_unit(self.currency) if unit is None else unit
        if not isinstance(step, Decimal) or not step.is_finite() or step <= 0:
            raise InvalidInput(f"unit must be a Decimal > 0, got {step!r}")
        return _CONTEXT.remainder(self.amount, step) == 0

    def allocate(self, weights: Sequence[Decimal | int]) -> tuple[Money, ...]:
        """Split exactly in proportion to ``weights`` (largest-remainder method).

        Each share is the exact proportion rounded down to the minor unit; the minor units
        left over go one each to the shares with the largest remainders, ties to the
        earlier weight. The shares always sum to ``self`` and each lies within one minor
        unit of its exact proportion. The amount must already be a whole number of minor
        units, so nothing has to be rounded away.
        """
        parts = [_to_weight(weight, index) for index, weight in enumerate(weights)]
        if not parts:
            raise InvalidInput("weights must not be empty")
        unit = minor_unit(self.currency)
        magnitude = abs(self.amount)
        if _EXACT.remainder(magnitude, unit):
            raise InvalidInput(
                f"cannot allocate {self!r}: not a whole number of {unit} {self.currency}; "
                "quantize it first"
            )
        if not any(parts):
            raise InvalidInput(f"weights must not all be zero, got {list(weights)!r}")
        return tuple(
            Money.unchecked(share, self.currency)
            for share in _largest_remainder(self.amount, unit, parts)
        )

    @staticmethod
    def sum(amounts: Iterable[Money], currency: str) -> Money:
        """Sum ``amounts`` (possibly none) in ``currency``."""
        total = Money.zero(currency)
        for amount in amounts:
            total = total + amount
        return total


_set_amount = Money.__dict__["amount"].__set__
_set_currency = Money.__dict__["currency"].__set__


def _to_weight(weight: Any, index: int) -> Decimal:
    if isinstance(weight, bool) or not isinstance(weight, (Decimal, int)):
        raise InvalidInput(f"weights[{index}] must be a Decimal or an int, got {weight!r}")
    value = Decimal(weight)
    if value < 0 or not value.is_finite():
        raise InvalidInput(f"weights[{index}] must be a finite number >= 0, got {weight!r}")
    return value
