"""Careers without a ledger: the projection of a worker who starts contributing now.

:func:`~flexsecure.jurisdictions.cn.projections.project_pension` on an empty ledger depends on
the worker only through their legal retirement date, and careers projected from the same
month on the same assumptions share everything up to the retirement year: the same months,
the same account amounts, the same interest on the same balances. :func:`career_projection`
gives that projection from the retirement date alone, keeping per cohort (start month and
assumptions) the account balance at the start of each year and the projected years up to each
retirement month, so a population costs one retirement year per worker, not one career.

It follows ``project_pension`` step by step with the same rules — the projected months
(``projected_years``), the interest rule of each year and of the retirement year's part year,
the basic pension ``W × (1 + I) / 2 × N × 1 %``, the account pension ``balance ÷ divisor``,
the minimum months — and a test holds the two together to the fen.
"""

from __future__ import annotations

from decimal import Decimal

import attrs

from flexsecure.calculations.statements import parameter_node
from flexsecure.jurisdictions.cn.account_balance import retirement_year_interest, whole_amount
from flexsecure.jurisdictions.cn.careers import Assumptions, YearOfContributions, grown
from flexsecure.jurisdictions.cn.careers import projected_years as _projected_years
from flexsecure.jurisdictions.cn.interest import interest_rule, year_interest
from flexsecure.jurisdictions.cn.pensions import basic_pension
from flexsecure.jurisdictions.cn.projections import (
    ACCRUAL_RATE,
    CALCULATION_BASE,
    INDEX_WAGE_REGION,
    PensionProjection,
    finished_projection,
)
from flexsecure.jurisdictions.cn.retirement import RetirementDate
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = ["career_projection"]


@attrs.define
class _Cohort:
    """What every career projected from one start month on one set of assumptions shares."""

    openings: list[Decimal]
    """The account balance on 1 January of ``start.year + i`` (whole years before it)."""
    years: dict[Month, dict[int, YearOfContributions]] = attrs.field(factory=dict)
    """The projected years up to each retirement month."""


def _cohort(pack: RulePack, assumptions: Assumptions) -> _Cohort:
    key = ("cohort", assumptions.region, assumptions.base, assumptions.wage_growth,
           assumptions.interest_rate, assumptions.start)  # fmt: skip
    cohort: _Cohort = pack.memo(key, lambda: _Cohort([Decimal(0)]))
    return cohort


def _opening(pack: RulePack, assumptions: Assumptions, cohort: _Cohort, year: int) -> Decimal:
    """The balance on 1 January of ``year``: every whole year from the start, with its
    interest — as ``project_pension`` adds them up year by year."""
    start = assumptions.start.year
    currency = pack.currency
    while start + len(cohort.openings) - 1 < year:
        done = start + len(cohort.openings) - 1
        opening = cohort.openings[-1]
        whole_year = _years(pack, assumptions, cohort, Month(done + 1, 1)).get(done)
        future = dict(whole_year.by_month) if whole_year is not None else {}
        rule = interest_rule(pack, assumptions.region, done, assumed=assumptions.interest_rate)
        interest = year_interest(whole_amount(opening, currency), dict(future), rule, currency)
        opening += sum(future.values(), Decimal(0))
        opening += interest.amount
        cohort.openings.append(opening)
    return cohort.openings[year - start]


def _years(
    pack: RulePack, assumptions: Assumptions, cohort: _Cohort, until: Month
) -> dict[int, YearOfContributions]:
    found = cohort.years.get(until)
    if found is None:
        found = cohort.years[until] = _projected_years(pack, assumptions, until)
    return found


def career_projection(
    pack: RulePack, retirement: RetirementDate, region: str, assumptions: Assumptions
) -> PensionProjection:
    """``project_pension`` on an empty ledger for a worker whose legal retirement date is
    ``retirement``, paid by ``region``, contributing on ``assumptions`` from their start."""
    if not isinstance(assumptions, Assumptions):
        raise InvalidInput(f"assumptions must be Assumptions, got {assumptions!r}")
    pack.region(region)
    pack.region(assumptions.region)
    retire_month = retirement.legal_month
    cohort = _cohort(pack, assumptions)
    projected = (
        _years(pack, assumptions, cohort, retire_month) if assumptions.start < retire_month else {}
    )
    projected_count = sum(year.months for year in projected.values())
    on = retirement.date
    growth = assumptions.wage_growth
    currency = pack.currency

    # -- the individual account at retirement (account_balance.account_at_retirement) ----
    if not projected:
        balance = Money.zero(currency)
    else:
        # the years from the start to the retirement year are the cohort's; the part year
        # to the retirement date is this career's own
        retire_year = on.year
        opening = _opening(pack, assumptions, cohort, retire_year)
        future = dict(projected[retire_year].by_month) if retire_year in projected else {}
        interest = retirement_year_interest(
            pack, assumptions.region, on, whole_amount(opening, currency), dict(future),
            assumptions.interest_rate, currency,
        )  # fmt: skip
        opening += sum(future.values(), Decimal(0))
        opening += interest.amount
        balance = Money.unchecked(opening, currency).quantize()

    # -- the basic pension -------------------------------------------------------------------
    index_sum = Decimal(0)
    whose = pack.value(INDEX_WAGE_REGION, None, on)
    if whose.text() not in ("paying", "benefit"):
        raise RuleNotFound(
            f"{INDEX_WAGE_REGION} must be 'paying' or 'benefit', got {whose.text()!r}"
        )
    index_sum += sum((year.index_sum for year in projected.values()), Decimal(0))
    average_index = index_sum / projected_count if projected_count else Decimal(0)
    calculation = grown(pack, CALCULATION_BASE, region, on, growth)
    accrual = pack.value(ACCRUAL_RATE, None, on)
    basic = basic_pension(calculation.value, average_index, projected_count, accrual.decimal())

    return finished_projection(
        pack,
        retirement=retirement,
        region=region,
        growth=growth,
        basic=basic,
        balance=balance,
        calculation_base=calculation.value,
        average_index=average_index,
        indexed_months=projected_count,
        contributed_months=projected_count,
        projected_months=projected_count,
        sources=(calculation.explain(), parameter_node(accrual), parameter_node(whose)),
    )
