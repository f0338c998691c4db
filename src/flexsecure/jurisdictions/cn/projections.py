"""Pension projection: what a career pays each month from the retirement date on.

The employee pension a flexible worker earns is two parts (《社会保险法》 Art. 15; formula as in
the fact sheet CN.md §2.1):

* the **basic pension** ``W × (1 + I) / 2 × N × 1 %`` — ``W`` the paying region's calculation
  base at retirement (``pension.calculation_base``), ``I`` the average contribution index (each
  month's base ÷ that month's regional average wage, averaged over the months), ``N`` the
  contributed months ÷ 12;
* the **individual-account pension** — the account balance at retirement ÷ the divisor
  (计发月数) of the retirement age (国发〔2005〕38号 annex).

A monthly pension needs the minimum contribution months of the legal retirement year
(《社会保险法》 Art. 16; the 2024 reform raises it from 15 to 20 years from 2030); a worker short
of it is told how many months are missing and what they would cost at the floor.

**Projecting forward.** A career that has not ended yet is extended by explicit
:class:`Assumptions` — where and on which base the worker keeps contributing, from which month,
how fast wages grow and what the account earns in years without a published crediting rate.
Nothing is assumed silently: without assumptions only the ledger counts, and a year without a
published rate raises :class:`~flexsecure.values.errors.RuleNotFound`. A pack value still in
force after its year is grown by the assumed wage growth for every full year since it took
effect, rounded to whole yuan as published bands are; explanations say so.

Interest: the ledger's years are credited with
:func:`~flexsecure.jurisdictions.cn.crediting.credit_interest`; projected years use the same
rule (:func:`~flexsecure.jurisdictions.cn.interest.year_interest`), and the
retirement year earns its part year up to the retirement date by the same pack rule that
settles an account moving before the year ends (the part-year flag and rate lag of
``transfer.*``; unverified), so a transfer and a pension starting on the same day credit the
same interest.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import attrs

from flexsecure.calculations.accounts import Ledger
from flexsecure.calculations.contributions import fund_amounts
from flexsecure.calculations.statements import parameter_node
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.account_balance import SCHEME, account_at_retirement
from flexsecure.jurisdictions.cn.careers import (
    Assumptions,
    Grown,
    grown,
    index_wage,
    projected_months,
    projected_years,
)
from flexsecure.jurisdictions.cn.pensions import Divisor, account_pension, basic_pension, divisor
from flexsecure.jurisdictions.cn.retirement import (
    RetirementDate,
    minimum_contribution_months,
    retirement_date,
)
from flexsecure.rules.packs import RulePack
from flexsecure.values.checks import require_date
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "Assumptions",
    "PensionProjection",
    "finished_projection",
    "project_pension",
    "projected_months",
]

FLOOR = "pension.base_floor"
CEILING = "pension.base_ceiling"
AVERAGE_WAGE = "pension.average_wage"
CALCULATION_BASE = "pension.calculation_base"
ACCRUAL_RATE = "pension_benefit.basic_accrual_rate"
INDEX_WAGE_REGION = "pension_benefit.index_wage_region"
YUAN = Decimal(1)


@attrs.frozen
class PensionProjection:
    """A projected monthly pension at retirement, its parts and how it came about."""

    monthly_amount: Money
    """The monthly pension; zero when the minimum contribution months are not met."""
    basic_pension: Money
    account_pension: Money
    retirement: RetirementDate
    region: str
    """The region that pays (the caller's choice; see ``benefit_region`` for the law's)."""
    calculation_base: Money
    average_index: Decimal
    indexed_months: int
    """Months with a known base, over which ``average_index`` is averaged. Months carried
    without a base (e.g. an opening adjustment) count in ``contributed_months`` only; with no
    known base at all the index is 0, the most cautious reading."""
    contributed_months: int
    """All months: the ledger's and the projected ones."""
    projected_months: int
    account_balance: Money
    """The individual-account balance at retirement, interest included."""
    divisor: Divisor
    minimum_months: int
    shortfall_months: int
    shortfall_cost: Money
    """What the missing months would cost at the floor in force at retirement (all payers)."""
    _sources: tuple[Explanation, ...] = attrs.field(default=(), eq=False, repr=False)

    @property
    def eligible(self) -> bool:
        return self.shortfall_months == 0

    @property
    def amount_if_eligible(self) -> Money:
        """Basic + account pension, whether or not the minimum months are met."""
        return self.basic_pension + self.account_pension

    @property
    def parts(self) -> dict[str, Money]:
        return {"basic_pension": self.basic_pension, "account_pension": self.account_pension}

    def explain(self) -> Explanation:
        """The pension, its two parts, eligibility, and every input with its citation."""
        values: dict[str, ExplanationValue] = {
            "monthly_amount": self.monthly_amount,
            "basic_pension": self.basic_pension,
            "account_pension": self.account_pension,
            "region": self.region,
            "date": self.retirement.date,
            "contributed_months": self.contributed_months,
            "projected_months": self.projected_months,
            "minimum_months": self.minimum_months,
            "shortfall_months": self.shortfall_months,
            "shortfall_cost": self.shortfall_cost if self.shortfall_months else None,
        }
        basic = Explanation(
            "pension.basic",
            {"amount": self.basic_pension, "calculation_base": self.calculation_base,
             "average_index": self.average_index, "indexed_months": self.indexed_months,
             "contributed_months": self.contributed_months},
            formula="W × (1 + I) / 2 × (months / 12) × accrual rate",
            children=self._sources,
        )  # fmt: skip
        account = Explanation(
            "pension.account",
            {"amount": self.account_pension, "balance": self.account_balance,
             "divisor": self.divisor.months},
            formula="balance at retirement / divisor of the retirement age",
            children=[self.divisor.explain()],
        )  # fmt: skip
        return Explanation(
            "pension.projection",
            values,
            formula="monthly amount = basic + account pension, if the minimum months are met",
            children=[self.retirement.explain(), basic, account],
        )


def project_pension(
    pack: RulePack,
    worker: Worker,
    ledger: Ledger,
    *,
    region: str,
    retire_on: dt.date | None = None,
    assumptions: Assumptions | None = None,
) -> PensionProjection:
    """Project ``worker``'s monthly pension paid by ``region``, from ``ledger`` and assumptions.

    The retirement date is the legal one of the 2024 reform, or ``retire_on`` (its month,
    checked as a flexible early or late election). See the module docstring for the rules.
    """
    ledger = ledger.in_currency(pack.currency)
    if not isinstance(worker, Worker):
        raise InvalidInput(f"worker must be a Worker, got {worker!r}")
    if not isinstance(ledger, Ledger):
        raise InvalidInput(f"ledger must be a Ledger, got {ledger!r}")
    if ledger.worker_id != worker.id:
        raise InvalidInput(f"ledger belongs to worker {ledger.worker_id!r}, not to {worker.id!r}")
    pack.region(region)
    if assumptions is not None:
        if not isinstance(assumptions, Assumptions):
            raise InvalidInput(f"assumptions must be Assumptions, got {assumptions!r}")
        pack.region(assumptions.region)
    if retire_on is not None:
        require_date(retire_on, "retire_on")
    legal = retirement_date(pack, worker)
    retire_month = legal.legal_month
    if retire_on is not None:
        retire_month = Month.of(retire_on)
    # Only what is booked by the retirement date counts (a month is booked at its end).
    retire_day = retire_month.day(worker.birth_date.day)
    every_month = ledger.contribution_months(SCHEME)
    if assumptions is not None and every_month and assumptions.start <= every_month[-1].month:
        raise InvalidInput(
            f"Assumptions.start must come after the ledger's last contributed month "
            f"{every_month[-1].month}, got {assumptions.start}"
        )
    past = ledger.contribution_months(SCHEME, on=retire_day)
    ledger_months = ledger.contributed_months(SCHEME, on=retire_day)
    projected_until = retire_month
    projected = (
        projected_years(pack, assumptions, projected_until)
        if assumptions is not None and assumptions.start < projected_until
        else {}
    )
    projected_count = sum(year.months for year in projected.values())
    total_months = ledger_months + projected_count
    shift = retire_month.months_since(legal.legal_month)
    retirement = (
        retirement_date(
            pack,
            worker,
            early_months=max(0, -shift),
            late_months=max(0, shift),
            contributed_months=total_months if shift < 0 else None,
        )
        if shift
        else legal
    )
    on = retirement.date
    growth = assumptions.wage_growth if assumptions is not None else None

    # -- the individual account at retirement ----------------------------------------------
    balance = account_at_retirement(pack, ledger, assumptions, projected, retirement, region)

    # -- the basic pension -------------------------------------------------------------------
    index_sum = Decimal(0)
    index_wages: dict[tuple[str, dt.date], Grown] = {}
    whose = pack.value(INDEX_WAGE_REGION, None, on)
    if whose.text() not in ("paying", "benefit"):
        raise RuleNotFound(
            f"{INDEX_WAGE_REGION} must be 'paying' or 'benefit', got {whose.text()!r}"
        )
    for record in past:
        indexed_in = region if whose.text() == "benefit" else record.region
        wage = index_wage(pack, indexed_in, record.month.first_day, None)
        index_wages.setdefault((indexed_in, wage.source.effective_from), wage)
        index_sum += record.base.amount / wage.value.amount
    index_sum += sum((year.index_sum for year in projected.values()), Decimal(0))
    indexed_months = len(past) + projected_count
    average_index = index_sum / indexed_months if indexed_months else Decimal(0)
    calculation = grown(pack, CALCULATION_BASE, region, on, growth)
    accrual = pack.value(ACCRUAL_RATE, None, on)
    basic = basic_pension(calculation.value, average_index, total_months, accrual.decimal())

    sources = [calculation.explain(), parameter_node(accrual), parameter_node(whose)]
    sources.extend(wage.explain() for wage in index_wages.values())
    return finished_projection(
        pack,
        retirement=retirement,
        region=region,
        growth=growth,
        basic=basic,
        balance=balance,
        calculation_base=calculation.value,
        average_index=average_index,
        indexed_months=indexed_months,
        contributed_months=total_months,
        projected_months=projected_count,
        sources=tuple(sources),
    )


def finished_projection(
    pack: RulePack,
    *,
    retirement: RetirementDate,
    region: str,
    growth: Decimal | None,
    basic: Money,
    balance: Money,
    calculation_base: Money,
    average_index: Decimal,
    indexed_months: int,
    contributed_months: int,
    projected_months: int,
    sources: tuple[Explanation, ...],
) -> PensionProjection:
    """A projection once its basic pension and its account balance at retirement are known:
    the account pension (balance ÷ the divisor of the age at retirement, 国发〔2005〕38号), the
    minimum months of the retirement year and, short of them, no monthly pension and the cost
    of the months missing at the grown floor (《社会保险法》 Art. 16)."""
    on = retirement.date
    age_divisor = divisor(pack, retirement.age, on)
    account = account_pension(balance, age_divisor.months)
    minimum = minimum_contribution_months(pack, retirement.legal_date.year)
    shortfall = max(0, minimum - contributed_months)
    floor = grown(pack, FLOOR, region, on, growth).value
    per_month = Money.sum((amount for _, amount in fund_amounts(pack, SCHEME, region, on, floor)),
                          floor.currency)  # fmt: skip
    monthly = basic + account if shortfall == 0 else Money.zero(basic.currency)
    return PensionProjection(
        monthly_amount=monthly,
        basic_pension=basic,
        account_pension=account,
        retirement=retirement,
        region=region,
        calculation_base=calculation_base,
        average_index=average_index,
        indexed_months=indexed_months,
        contributed_months=contributed_months,
        projected_months=projected_months,
        account_balance=balance,
        divisor=age_divisor,
        minimum_months=minimum,
        shortfall_months=shortfall,
        shortfall_cost=per_month * shortfall,
        sources=sources,
    )
