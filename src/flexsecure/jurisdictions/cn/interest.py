"""Interest on the individual account: the yearly crediting rate (记账利率) and how it applies.

《社会保险法》 Art. 14: the individual account earns interest at no less than the bank
time-deposit rate. Since 2016 one national rate a year is published for the employee scheme
(人社部 / 财政部 notices, around mid-year, for the year before); until 2015 each province set
its own. Pack: ``account_interest.rate`` (national, one value per year, effective on 1 January
of the year it is *for*) and ``account_interest.regional_rate`` (a province's own rate before
unification, e.g. Shanghai 2014 and 2015). A value is for its own year only: a year with no
value of its own has no published rate, whatever the pack's values before it.

Within the year, 劳办发〔1997〕116号 (《职工基本养老保险个人账户管理暂行办法》, from recall:
the text was not read, so the pack marks the factor unverified) credits

    interest(Y) = opening balance × r(Y)  +  amounts booked in Y × r(Y) × 1.083 × ½

The opening balance is everything booked up to 31 December of Y − 1, earlier interest
included; the amounts booked during Y (contributions, and any transfer or adjustment of that
year) earn the pack's ``account_interest.current_year_factor`` (0.5415 = 1.083 × ½) of a
year's interest. 116号 also gives the month-by-month method (月积数法), exact for irregular
payments: an amount booked in month m earns (13 − m) / 12 of a year's interest, so a single
December payment earns 1/12 where the factor would give it 54 %. The pack names the method of
each region and year (``account_interest.method``: ``annual_factor`` or ``monthly_products``).

Everything that computes interest — crediting a ledger
(:func:`~flexsecure.jurisdictions.cn.crediting.credit_interest`), settling an account that
moves (:mod:`flexsecure.jurisdictions.cn.transfers.settlement`), projecting a pension
(:mod:`flexsecure.jurisdictions.cn.projections`) — resolves the year's rule with
:func:`interest_rule` and computes with :func:`year_interest`, so one ledger gives one result
whichever path asks. A part year (an account moved, or a pension starting, before 31
December) earns the year's formula over the months completed, at the rate the pack's
part-year rule names. One reading of 1.083: twelve monthly amounts paid at the start of each month
earn 12 + 11 + … + 1 = 78 months of interest, 78 / 144 = 13/24 ≈ 1.083 × ½ of a year's interest
on their total. The year's interest is rounded once, half up to the fen (a project choice: no
rounding rule was found), and booked on 31 December of Y as an ``interest`` entry with id
``interest/<worker>/<scheme>/<region>/<year>`` (``/<account>`` appended for an account other
than ``regular``).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from fractions import Fraction

import attrs

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money, minor_unit

__all__ = [
    "CURRENT_YEAR_FACTOR",
    "METHOD",
    "NATIONAL_RATE",
    "REGIONAL_RATE",
    "InterestMethod",
    "InterestRule",
    "annual_interest",
    "check_year",
    "crediting_rate",
    "interest_entry_id",
    "interest_rule",
    "year_interest",
]

NATIONAL_RATE = "account_interest.rate"
REGIONAL_RATE = "account_interest.regional_rate"
CURRENT_YEAR_FACTOR = "account_interest.current_year_factor"
METHOD = "account_interest.method"
_FUND = "individual_account"


class InterestMethod(StrEnum):
    """How the amounts booked during a year earn interest (劳办发〔1997〕116号)."""

    ANNUAL_FACTOR = "annual_factor"
    """The year's amounts together earn ``current_year_factor`` (1.083 × ½) of a year."""
    MONTHLY_PRODUCTS = "monthly_products"
    """月积数法: an amount booked in month m earns (13 − m) / 12 of a year."""


@attrs.frozen
class InterestRule:
    """How one region's account earns interest in one year: the rate (published, or assumed
    where ``source`` is ``None``), the within-year method and its factor, each cited."""

    year: int
    rate: Decimal
    source: ParameterValue | None
    method: InterestMethod
    factor: Decimal
    parameters: tuple[ParameterValue, ...]
    """The method and factor values used (for explanations and records)."""


def interest_rule(
    pack: RulePack,
    region: str,
    year: int,
    *,
    assumed: Decimal | None = None,
    rate_year: int | None = None,
) -> InterestRule:
    """The interest rule of ``region`` for ``year``: the published crediting rate of
    ``rate_year`` (default ``year``; a part year may earn an earlier year's), else ``assumed``,
    else :class:`~flexsecure.values.errors.RuleNotFound`; the method and factor in force on
    1 January of ``year``."""

    def build() -> InterestRule:
        on = dt.date(year, 1, 1)
        factor = pack.value(CURRENT_YEAR_FACTOR, None, on)
        used = [factor]
        method = InterestMethod.ANNUAL_FACTOR
        if METHOD in pack.parameters:
            chosen = pack.value(METHOD, region, on)
            used.append(chosen)
            try:
                method = InterestMethod(chosen.text())
            except ValueError:
                raise RuleNotFound(
                    f"{METHOD} for {region} in {year} is {chosen.text()!r}; methods: "
                    f"{', '.join(m.value for m in InterestMethod)}"
                ) from None
        try:
            source: ParameterValue | None = crediting_rate(pack, region, rate_year or year)
        except RuleNotFound:
            if assumed is None:
                raise
            source = None
        rate = source.decimal() if source is not None else assumed
        assert rate is not None
        return InterestRule(year, rate, source, method, factor.decimal(), tuple(used))

    return pack.memo(("interest rule", region, year, rate_year, assumed), build)


def year_interest(
    opening: Decimal,
    flows: Mapping[int, Decimal],
    rule: InterestRule,
    currency: str,
    *,
    months: int = 12,
) -> Money:
    """Interest of one year (or of its first ``months`` months) on the individual account,
    rounded once, half up, to the minor unit.

    ``opening`` is the balance at the start of the year; ``flows`` the amounts booked in
    each month (1–12) of the year. A whole year: ``opening × r`` plus, by the rule's method,
    ``Σ flows × r × factor`` or ``Σ flow(m) × r × (13 − m) / 12``. A part year of ``k``
    completed months: the annual factor's formula over every amount booked so far × k / 12
    (the pack's part-year rule), or the monthly products up to month k,
    ``opening × r × k / 12 + Σ flow(m) × r × (k − m + 1) / 12`` (an amount of a month not
    completed has earned nothing yet).
    """
    if not 0 <= months <= 12:
        raise InvalidInput(f"months must be 0 to 12, got {months}")
    # careers projected from the same month earn the same interest on the same balances
    # year after year: the result is kept for the same inputs (the rule by identity: rules
    # come from the pack's memo; the entry holds it, so its id is not reused meanwhile)
    key = (opening, tuple(flows.items()), id(rule), currency, months)
    kept = _RECENT.get(key)
    if kept is not None and kept[0] is rule:
        return kept[1]
    whole = _on_integers(opening, flows, rule, months)
    if whole is not None:
        numerator, denominator = whole
        result = Money.unchecked(_round_ratio_half_up(numerator, denominator, currency), currency)
        if len(_RECENT) >= _RECENT_LIMIT:
            _RECENT.clear()
        _RECENT[key] = (rule, result)
        return result
    rate = Fraction(rule.rate)
    if rule.method is InterestMethod.ANNUAL_FACTOR:
        current = sum((Fraction(v) for v in flows.values()), Fraction(0))
        exact = (Fraction(opening) * rate + current * rate * Fraction(rule.factor)) * months / 12
    else:
        exact = Fraction(opening) * rate * months / 12 + sum(
            (Fraction(v) * rate * (months - m + 1) / 12 for m, v in flows.items() if m <= months),
            Fraction(0),
        )
    return Money.unchecked(round_half_up(exact, currency), currency)


_RECENT: dict[tuple[object, ...], tuple[InterestRule, Money]] = {}
_RECENT_LIMIT = 100_000
"""Year interests kept for inputs seen before (a bounded cache of a pure function)."""

_EXACT = decimal.Context(prec=decimal.MAX_PREC, traps=[decimal.Inexact])


def _on_integers(
    opening: Decimal, flows: Mapping[int, Decimal], rule: InterestRule, months: int
) -> tuple[int, int] | None:
    """:func:`year_interest`'s exact value as ``numerator / denominator`` in integers: every
    amount and rate scaled to one power of ten ``10 ** e``, the same formulas (``None`` for a
    value that is not a finite Decimal: the exact Fraction path then decides)."""
    values = (opening, rule.rate, rule.factor, *flows.values())
    places = 0
    for value in values:
        if not isinstance(value, Decimal) or not value.is_finite():
            return None
        exponent = value.as_tuple().exponent
        assert isinstance(exponent, int)
        places = max(places, -exponent)
    scale = 10**places

    def units(value: Decimal) -> int:
        return int(value.scaleb(places, context=_EXACT))

    rate = units(rule.rate)
    if rule.method is InterestMethod.ANNUAL_FACTOR:
        current = sum(units(v) for v in flows.values())
        numerator = (units(opening) * rate * scale + current * rate * units(rule.factor)) * months
        return numerator, 12 * scale**3
    numerator = units(opening) * rate * months + sum(
        units(v) * rate * (months - m + 1) for m, v in flows.items() if m <= months
    )
    return numerator, 12 * scale**2


def _round_ratio_half_up(numerator: int, denominator: int, currency: str) -> Decimal:
    """``numerator / denominator`` rounded as :func:`round_half_up` rounds, on integers."""
    unit = minor_unit(currency)
    exponent = unit.as_tuple().exponent
    assert isinstance(exponent, int)
    digits = -exponent  # the unit is 10 ** -digits
    sign = -1 if numerator < 0 else 1
    scaled = abs(numerator) * 10**digits
    whole = (2 * scaled + denominator) // (2 * denominator)
    return (Decimal(sign * whole) * unit).quantize(unit, rounding=ROUND_HALF_UP)


def round_half_up(value: Fraction, currency: str) -> Decimal:
    """``value`` rounded half up (away from zero) to the currency's minor unit, exactly."""
    unit = minor_unit(currency)
    units = value / Fraction(unit)
    sign = -1 if units < 0 else 1
    whole = int(abs(units) + Fraction(1, 2))
    return (Decimal(sign * whole) * unit).quantize(unit, rounding=ROUND_HALF_UP)


def annual_interest(
    opening: Money, current: Money, rate: Decimal, current_year_factor: Decimal
) -> Money:
    """A year's interest by the annual factor, rounded half up to the fen:
    ``opening × rate + current × rate × current_year_factor`` (劳办发〔1997〕116号: the
    opening balance earns a full year, the year's own amounts 1.083 × ½ of one). The same
    computation as :func:`year_interest` with the ``annual_factor`` method."""
    rule = InterestRule(0, rate, None, InterestMethod.ANNUAL_FACTOR, current_year_factor, ())
    return year_interest(opening.amount, {12: current.amount}, rule, opening.currency)


def interest_entry_id(
    worker_id: str, scheme: str, region: str, year: int, *, account: str = REGULAR_ACCOUNT
) -> str:
    """``interest/<worker>/<scheme>/<region>/<year>``, ``/<account>`` appended if not regular."""
    text = f"interest/{worker_id}/{scheme}/{region}/{year}"
    return text if account == REGULAR_ACCOUNT else f"{text}/{account}"


def _value_for_year(pack: RulePack, name: str, region: str | None, year: int) -> ParameterValue:
    value = pack.value(name, region, dt.date(year, 1, 1))
    if value.effective_from.year != year or value.region != region:
        raise RuleNotFound(f"{name} has no value for {year} in {region or 'the national series'}")
    return value


def crediting_rate(pack: RulePack, region: str, year: int) -> ParameterValue:
    """The published crediting rate for ``year`` in ``region``: the region's own rate for that
    year if the pack has one (before the 2016 unification), else the national rate."""
    check_year(year)
    if REGIONAL_RATE in pack.parameters:
        try:
            return _value_for_year(pack, REGIONAL_RATE, region, year)
        except RuleNotFound:
            pass
    try:
        return _value_for_year(pack, NATIONAL_RATE, None, year)
    except RuleNotFound:
        national = pack.parameter(NATIONAL_RATE).series.get(None, ())
        span = (
            f"published national rates run {national[0].effective_from.year}–"
            f"{national[-1].effective_from.year}"
            if national
            else "the pack has no national rates"
        )
        raise RuleNotFound(
            f"{NATIONAL_RATE} has no published value for {year} ({region}); {span}. "
            "Pass assumed_rate=Decimal(...) to credit an assumed rate"
        ) from None


def check_year(year: object) -> int:
    """``year`` if it is a whole calendar year, else :class:`InvalidInput`."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9998:
        raise InvalidInput(f"year must be an int such as 2024, got {year!r}")
    return year
