"""Careers not yet lived: the explicit assumptions a projection extends a ledger by, and the
months they project.

:class:`Assumptions` say where and on which base the worker keeps contributing, from which
month, how fast wages grow and what the account earns in years without a published crediting
rate — nothing is assumed silently. A pack value still in force after its year is grown by the
assumed wage growth for every full year since it took effect, rounded to whole yuan as
published bands are (:func:`grown`); each projected month is computed by the same rules as a
statement (:func:`projected_month`), and months of one year are summed once and shared by every
career on the same assumptions (:func:`projected_years`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from flexsecure.calculations.contributions import contribution_base, fund_amounts
from flexsecure.calculations.statements import parameter_node
from flexsecure.facts.engagements import BaseChoice, BaseKind
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money, Rounding
from flexsecure.values.periods import Month

__all__ = [
    "Assumptions",
    "Grown",
    "YearOfContributions",
    "grown",
    "index_wage",
    "projected_month",
    "projected_months",
    "projected_years",
    "rules_key",
]

SCHEME = "pension"
ACCOUNT = "individual_account"
FLOOR = "pension.base_floor"
CEILING = "pension.base_ceiling"
AVERAGE_WAGE = "pension.average_wage"
CALCULATION_BASE = "pension.calculation_base"
YUAN = Decimal(1)


def _check_rate(name: str, value: object, high: Decimal) -> None:
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidInput(
            f"Assumptions.{name} must be a Decimal such as Decimal('0.03'), got {value!r}"
            + ("; floats cannot hold it exactly" if isinstance(value, float) else "")
        )
    if not -1 < value <= high:
        raise InvalidInput(f"Assumptions.{name} must be in (-1, {high}], got {value!r}")


@attrs.frozen
class Assumptions:
    """Explicit assumptions that extend a career to its retirement date. No defaults.

    From ``start`` until the month before retirement the worker contributes in ``region`` on
    ``base`` (``FLOOR``, ``CEILING``, a ``grade`` of the average wage or a ``declared``
    amount; a month's earnings are not known in advance, so ``EARNINGS`` is refused). Pack
    values are grown by ``wage_growth`` a year once their year is over; years without a
    published crediting rate earn ``interest_rate``.
    """

    start: Month
    region: str
    base: BaseChoice
    wage_growth: Decimal
    interest_rate: Decimal

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.start, Month):
            raise InvalidInput(f"Assumptions.start must be a Month, got {self.start!r}")
        if not isinstance(self.base, BaseChoice):
            raise InvalidInput(f"Assumptions.base must be a BaseChoice, got {self.base!r}")
        if self.base.kind is BaseKind.EARNINGS:
            raise InvalidInput(
                "Assumptions.base cannot be EARNINGS: future earnings are unknown; use "
                "BaseChoice.declared(Money(...)) or a grade"
            )
        _check_rate("wage_growth", self.wage_growth, Decimal(1))
        _check_rate("interest_rate", self.interest_rate, Decimal(1))


@attrs.frozen
class Grown:
    """A pack value, grown by the assumed wage growth for the full years since it began."""

    source: ParameterValue
    value: Money
    years: int
    growth: Decimal | None

    def explain(self) -> Explanation:
        node = parameter_node(self.source)
        if not self.years:
            return node
        return Explanation(
            "projected_value",
            {"name": self.source.name, "value": self.value, "years": self.years,
             "growth": self.growth},
            formula="value × (1 + growth) ^ years, rounded to whole yuan",
            children=[node],
        )  # fmt: skip


def grown(pack: RulePack, name: str, region: str, on: dt.date, growth: Decimal | None) -> Grown:
    def build() -> Grown:
        source = pack.value(name, region, on)
        money = source.money()
        start = Month.of(source.effective_from)
        years = Month.of(on).months_since(start) // 12 if growth is not None else 0
        if not years:
            return Grown(source, money, 0, growth)
        assert growth is not None
        value = (money * (1 + growth) ** years).quantize(YUAN, Rounding.HALF_UP)
        return Grown(source, value, years, growth)

    return pack.memo(("grown", name, region, on, growth), build)


def index_wage(pack: RulePack, region: str, on: dt.date, growth: Decimal | None) -> Grown:
    """The wage a month's base is indexed against: the region's average wage, or — where the
    pack has none for the region — its pension calculation base (计发基数, by definition the
    previous year's average wage in most provinces; a project choice, shown in explanations)."""
    parameter = pack.parameter(AVERAGE_WAGE)
    name = AVERAGE_WAGE if parameter.has_region(region) else CALCULATION_BASE
    try:
        return grown(pack, name, region, on, growth)
    except RuleNotFound as error:
        raise RuleNotFound(
            f"the contribution index of {region} in {Month.of(on)} needs an average wage: {error}"
        ) from None


@attrs.frozen
class YearOfContributions:
    """Projected months of one calendar year, summed (all on the same rules)."""

    months: int
    account: Decimal
    """What the months put into the individual account."""
    index_sum: Decimal
    """Σ base ÷ average wage over the months."""
    by_month: tuple[tuple[int, Decimal], ...] = ()
    """(month 1–12, amount into the individual account), for month-by-month interest."""


def projected_month(
    pack: RulePack, assumptions: Assumptions, month: Month
) -> tuple[Money, Decimal, Decimal]:
    """(base, individual-account amount, base ÷ index wage) of one projected month."""

    def build() -> tuple[Money, Decimal, Decimal]:
        on = month.first_day
        growth = assumptions.wage_growth
        floor = grown(pack, FLOOR, assumptions.region, on, growth).value
        ceiling = grown(pack, CEILING, assumptions.region, on, growth).value
        wage = index_wage(pack, assumptions.region, on, growth).value
        base = contribution_base(assumptions.base, floor, floor, ceiling, wage)
        funds = dict(fund_amounts(pack, SCHEME, assumptions.region, on, base))
        account = funds.get(ACCOUNT)
        return base, account.amount if account else Decimal(0), base.amount / wage.amount

    return pack.memo(("projected month", rules_key(assumptions), month), build)


def rules_key(assumptions: Assumptions) -> tuple[object, ...]:
    """What a projected month depends on (not ``start``), so careers share the work."""
    return (assumptions.region, assumptions.base, assumptions.wage_growth)


def projected_months(
    pack: RulePack, assumptions: Assumptions, until: Month
) -> tuple[tuple[Month, Money, Money], ...]:
    """The projected months from ``assumptions.start`` up to but not including ``until``:
    (month, base, individual-account amount), on the pack's rules and the assumptions."""
    return tuple(
        (month, base, Money.unchecked(account, base.currency))
        for month in Month.range(assumptions.start, until)
        for base, account, _ in (projected_month(pack, assumptions, month),)
    )


def projected_years(
    pack: RulePack, assumptions: Assumptions, until: Month
) -> dict[int, YearOfContributions]:
    years: dict[int, YearOfContributions] = {}
    for year in range(assumptions.start.year, until.year + 1):
        first = max(assumptions.start, Month(year, 1))
        stop = min(until, Month(year + 1, 1))
        if first >= stop:
            continue

        def build(first: Month = first, stop: Month = stop) -> YearOfContributions:
            account = Decimal(0)
            index_sum = Decimal(0)
            by_month = []
            for month in Month.range(first, stop):
                _, amount, ratio = projected_month(pack, assumptions, month)
                account += amount
                index_sum += ratio
                by_month.append((month.month, amount))
            return YearOfContributions(
                stop.months_since(first), account, index_sum, tuple(by_month)
            )

        years[year] = pack.memo(("projected year", rules_key(assumptions), first, stop), build)
    return years
