"""The monthly pension at retirement: basic pension and individual-account pension.

A flexible employee in the urban employee scheme draws, per month, a **basic pension**
(基础养老金) from the pooled fund and an **individual-account pension** (个人账户养老金)
(《社会保险法》 Art. 15; 国发〔2005〕38号; fact sheet CN.md §2.1):

* basic pension = ``W × (1 + I) / 2 × N × 1 %`` — ``W`` the calculation base (the previous
  year's local average wage or a published 计发基数), ``I`` the worker's average contribution
  index, ``N`` the contribution years (pack: ``pension_benefit.basic_accrual_rate``);
* account pension = account balance ÷ divisor (计发月数) of the retirement age (pack:
  ``pension_benefit.divisor_months``, the annex table of 国发〔2005〕38号).

Each rule below is one small pure function; the numbers come in as arguments or from the pack::

    >>> from decimal import Decimal
    >>> from flexsecure.values.money import Money
    >>> basic_pension(Money("12434", "CNY"), Decimal("1.0"), 240, Decimal("0.01"))
    Money('2486.80', 'CNY')
    >>> account_pension(Money("100000", "CNY"), Decimal(139))
    Money('719.42', 'CNY')

Both amounts are rounded half-up to the fen, each on its own: pension approvals state the basic
and the account pension separately in fen. That rounding is the project's choice; no rule for
it was found ([U]). The average index and an interpolated divisor keep every digit (Decimal
precision), since rounding them would be a local rule the pack does not know.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from fractions import Fraction

import attrs

from flexsecure.calculations.statements import parameter_node
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money
from flexsecure.values.periods import Age

__all__ = [
    "Divisor",
    "account_pension",
    "average_contribution_index",
    "basic_pension",
    "divisor",
    "divisor_months",
]

_DIVISOR = "pension_benefit.divisor_months"
_DIVISOR_DISPUTED = "pension_benefit.divisor_months_disputed"
_INTERPOLATION = "pension_benefit.divisor_interpolation"
_MONTHS_PER_YEAR = 12


# -- basic pension ------------------------------------------------------------------------


def basic_pension(
    calculation_base: Money,
    average_index: Decimal,
    contributed_months: int,
    accrual_rate: Decimal,
) -> Money:
    """Monthly basic pension: ``W × (1 + I) / 2 × (months / 12) × accrual rate``, to the fen.

    国发〔2005〕38号 as the calculators state it (CN.md §2.1, [S3] ×3): the mean of the
    calculation base and the worker's indexed wage (``W × I``), times 1 % per contribution
    year. Leftover months count as twelfths of a year (the fact sheet notes a local rule for
    them, not found: [U]). Rounded half-up to the fen.
    """
    _check_money("calculation_base", calculation_base)
    _check_decimal("average_index", average_index)
    _check_decimal("accrual_rate", accrual_rate)
    if accrual_rate > 1:
        raise InvalidInput(f"accrual_rate must be a fraction between 0 and 1, got {accrual_rate}")
    if (
        isinstance(contributed_months, bool)
        or not isinstance(contributed_months, int)
        or contributed_months < 0
    ):
        raise InvalidInput(
            f"contributed_months must be a whole number >= 0, got {contributed_months!r}"
        )
    exact = (calculation_base * ((1 + average_index) * contributed_months * accrual_rate)) / (
        2 * _MONTHS_PER_YEAR
    )
    return exact.quantize()


def average_contribution_index(bases_and_wages: Iterable[tuple[Money, Money]]) -> Decimal:
    """Average contribution index ``I``: the mean over months of base ÷ that year's average wage.

    CN.md §2.1 (calculators' definition, [S3]): a flexible employee always at the floor of
    60 % of the average wage has ``I`` = 0.6. One pair per contribution month. The mean is
    summed exactly (as fractions) and rounded once to Decimal precision; no coarser rounding,
    since local averaging rules are [U].
    """
    total = Fraction(0)
    count = 0
    for index, pair in enumerate(bases_and_wages):
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise InvalidInput(
                f"bases_and_wages[{index}] must be a (base, average wage) pair, got {pair!r}"
            )
        base, wage = pair
        _check_money(f"bases_and_wages[{index}] base", base)
        _check_money(f"bases_and_wages[{index}] average wage", wage)
        if base.currency != wage.currency:
            raise InvalidInput(
                f"bases_and_wages[{index}]: base {base!r} and average wage {wage!r} "
                "must be in the same currency"
            )
        if not wage:
            raise InvalidInput(f"bases_and_wages[{index}]: average wage must be > 0, got {wage!r}")
        total += Fraction(base.amount) / Fraction(wage.amount)
        count += 1
    if count == 0:
        raise InvalidInput("bases_and_wages must hold at least one month")
    mean = total / count
    return Decimal(mean.numerator) / Decimal(mean.denominator)


# -- individual-account pension -----------------------------------------------------------


def account_pension(balance: Money, divisor: Decimal) -> Money:
    """Monthly individual-account pension: balance ÷ divisor (计发月数), half-up to the fen.

    《社会保险法》 Art. 15 and 国发〔2005〕38号 (CN.md §2.1): the account balance at retirement
    is paid out over the divisor months of the retirement age (see :func:`divisor_months`).
    """
    _check_money("balance", balance)
    if isinstance(divisor, bool) or not isinstance(divisor, (Decimal, int)):
        raise InvalidInput(f"divisor must be a Decimal number of months, got {divisor!r}")
    if not Decimal(divisor).is_finite() or divisor <= 0:
        raise InvalidInput(f"divisor must be > 0 months, got {divisor!r}")
    return (balance / divisor).quantize()


@attrs.frozen
class Divisor:
    """The divisor (计发月数) for one retirement age, with the table rows it came from."""

    months: Decimal
    age: Age
    interpolated: bool
    """True when the months were interpolated between two integer ages."""
    parameters: tuple[ParameterValue, ...] = attrs.field(eq=False, repr=False)

    def explain(self) -> Explanation:
        """The divisor, how it was read from the table, and the cited table parameters."""
        if self.interpolated:
            formula = "d(y) + (d(y + 1) − d(y)) × m / 12"
        elif self.age.months:
            formula = "d(y): the divisor of the completed years"
        else:
            formula = "d(y)"
        years = self.age.years
        wanted = (years, years + 1) if self.interpolated else (years,)
        return Explanation(
            "pension.divisor",
            {"age": str(self.age), "months": self.months},
            formula=formula,
            children=[_table_node(value, wanted) for value in self.parameters],
        )


def divisor(pack: RulePack, age: Age, on: dt.date) -> Divisor:
    """The divisor (计发月数) at retirement age ``age`` on ``on``, with its sources.

    国发〔2005〕38号 annex: a divisor per integer age 40–70 (pack:
    ``pension_benefit.divisor_months``; a pack may keep rows whose sources disagree apart in
    ``…_disputed``, read after it). For an age
    with months the pack flag ``pension_benefit.divisor_interpolation`` decides: false takes
    the divisor of the completed years, true interpolates linearly to the next age. No
    national month-granular table was found (CN.md §2.2, [U]).
    """
    if not isinstance(age, Age):
        raise InvalidInput(f"age must be an Age (years and months), got {age!r}")
    tables = _divisor_tables(pack, on)
    interpolate = pack.value(_INTERPOLATION, None, on)
    low_months, low_value = _row(tables, age.years, age, on)
    used = [low_value]
    if age.months and interpolate.flag():
        high_months, high_value = _row(tables, age.years + 1, age, on)
        if high_value is not low_value:
            used.append(high_value)
        months = (
            low_months * (_MONTHS_PER_YEAR - age.months) + high_months * age.months
        ) / _MONTHS_PER_YEAR
        return Divisor(months, age, True, (*used, interpolate))
    if age.months:
        used.append(interpolate)
    return Divisor(low_months, age, False, tuple(used))


def divisor_months(pack: RulePack, age: Age, on: dt.date) -> Decimal:
    """The divisor (计发月数) at retirement age ``age`` on ``on``; see :func:`divisor`.

    Ages outside the table raise :class:`~flexsecure.values.errors.RuleNotFound` naming its
    range.
    """
    return divisor(pack, age, on).months


# -- helpers ------------------------------------------------------------------------------


def _check_money(field: str, value: object) -> None:
    if not isinstance(value, Money):
        raise InvalidInput(f"{field} must be Money, got {value!r}")
    if value.is_negative:
        raise InvalidInput(f"{field} must be >= 0, got {value!r}")


def _check_decimal(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise InvalidInput(
            f"{field} must be a Decimal such as Decimal('0.6'), got {value!r}"
            + ("; floats cannot hold it exactly" if isinstance(value, float) else "")
        )
    if not Decimal(value).is_finite() or value < 0:
        raise InvalidInput(f"{field} must be a finite number >= 0, got {value!r}")


def _divisor_tables(pack: RulePack, on: dt.date) -> tuple[ParameterValue, ...]:
    """The divisor table in force on ``on``, then its disputed rows if the pack has them."""
    tables = [pack.value(_DIVISOR, None, on)]
    if _DIVISOR_DISPUTED in pack.parameters:
        tables.append(pack.value(_DIVISOR_DISPUTED, None, on))
    return tuple(tables)


def _row(
    tables: tuple[ParameterValue, ...], years: int, age: Age, on: dt.date
) -> tuple[Decimal, ParameterValue]:
    for value in tables:
        months = value.table().get(years)
        if months is not None:
            return months, value
    ages = [row for value in tables for row in value.table()]
    needs = f" (interpolating needs age {years})" if years != age.years else ""
    raise RuleNotFound(
        f"{_DIVISOR} has rows for ages {min(ages)}..{max(ages)} on {on}; "
        f"no divisor for age {age}{needs}"
    )


def _table_node(value: ParameterValue, wanted: tuple[int, ...]) -> Explanation:
    """A cited leaf for a table parameter, showing only the ``wanted`` rows."""
    table: Mapping[int, Decimal] | None = None
    if isinstance(value.value, Mapping):
        table = value.value
    if table is None:
        return parameter_node(value)
    rows = {row: months for row, months in table.items() if row in wanted}
    return Explanation(
        "parameter",
        {
            "name": value.name,
            "value": ", ".join(f"{row}: {months}" for row, months in rows.items()),
            "region": value.region or "national",
            "effective_from": value.effective_from,
        },
        citation=value.citation,
    )
