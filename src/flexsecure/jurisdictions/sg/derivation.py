"""Why a Singapore CPF line has its amount: the explanation tree of one operator's month.

A line's derivation keeps what the rule used — each job's gross earnings and FEDA, the
operator's net earnings, the worker's group and age band, the tier, the rate cells of the
pack's tables, the rounding and the allocation to accounts — and builds the
:class:`~flexsecure.values.explanation.Explanation` only when asked. Message keys are
``cpf.*`` (texts in :mod:`.texts`); parameters cite their CPF, MOM and ask.gov.sg pages, the
net-earnings node cites the Act.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING

import attrs

from flexsecure.calculations.statements import parameter_node
from flexsecure.jurisdictions.sg.cpf import Allocation
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import RoundingRule
from flexsecure.values.citations import Citation
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.money import Money

if TYPE_CHECKING:
    import datetime as dt

    from flexsecure.calculations.statements import ContributionLine

__all__ = ["CpfDerivation", "JobEarnings", "OperatorMonth", "RateCell"]


@attrs.frozen
class JobEarnings:
    """One engagement's contribution to an operator's net earnings."""

    industry: str
    modes: tuple[str, ...]
    gross: Money
    deduction: ParameterValue
    """The FEDA applied: the job's mode's, or the lowest of its modes'."""
    net: Money

    def explain(self) -> Explanation:
        return Explanation(
            "cpf.job",
            {
                "industry": self.industry,
                "modes": " + ".join(self.modes),
                "gross": self.gross,
                "rate": self.deduction.decimal(),
                "net": self.net,
            },
            formula="net = gross × (1 − FEDA)"
            + (" (lowest FEDA of the modes)" if len(self.modes) > 1 else ""),
            children=[parameter_node(self.deduction)],
        )


@attrs.frozen
class RateCell:
    """One cell of a rate table: the band's rate, with the table value's citation."""

    parameter: ParameterValue
    band: int
    rate: Decimal

    def explain(self) -> Explanation:
        return Explanation(
            "cpf.rate",
            {
                "name": self.parameter.name,
                "band": self.band,
                "rate": self.rate,
                "effective_from": self.parameter.effective_from,
            },
            citation=self.parameter.citation,
        )


def _freeze(value: Mapping[str, Money]) -> Mapping[str, Money]:
    return MappingProxyType(dict(value))


@attrs.frozen
class OperatorMonth:
    """What one operator's lines of a month share: NE, group, band, tier, rounding, accounts."""

    platform_id: str
    net_earnings: Money
    jobs: tuple[JobEarnings, ...]
    group_a: bool
    opted_in: bool
    birth_date: dt.date
    mandatory_birth_year: ParameterValue
    age: int
    band: int
    band_rule: ParameterValue
    tier: str
    """``none``, ``operator_only``, ``phase_in`` or ``full``."""
    thresholds: tuple[ParameterValue, ...]
    exact: Mapping[str, Money] = attrs.field(converter=_freeze, eq=False)
    rounded: Mapping[str, Money] = attrs.field(converter=_freeze, eq=False)
    rounding: RoundingRule
    rounding_method: str
    allocation: Allocation
    special_fund: str
    """``special``, or ``retirement`` from the band above 55."""
    allocation_cells: tuple[RateCell, ...]
    allocation_rules: tuple[ParameterValue, ...]
    act: Citation | None = None

    def earnings_node(self) -> Explanation:
        return Explanation(
            "cpf.net_earnings",
            {"platform": self.platform_id, "net_earnings": self.net_earnings},
            formula="NE = Σ gross × (1 − FEDA), per operator, never pooled across operators",
            citation=self.act,
            children=[job.explain() for job in self.jobs],
        )

    def group_node(self) -> Explanation:
        return Explanation(
            "cpf.group.a" if self.group_a else "cpf.group.b",
            {"birth_date": self.birth_date, "opted_in": "yes" if self.opted_in else "no"},
            children=[parameter_node(self.mandatory_birth_year)],
        )

    def band_node(self) -> Explanation:
        return Explanation(
            "cpf.band",
            {"band": self.band, "age": self.age},
            formula="band = the greatest band age ≤ age",
            children=[parameter_node(self.band_rule)],
        )

    def tier_node(self) -> Explanation:
        return Explanation(
            "cpf.tier",
            {"tier": self.tier, "net_earnings": self.net_earnings},
            formula="≤ $50: nothing; to $500: operator only; to $750: worker k × (NE − 500); "
            "above: full rates",
            children=[parameter_node(value) for value in self.thresholds],
        )

    def rounding_node(self) -> Explanation:
        currency = self.net_earnings.currency
        zero = Money.zero(currency)
        values: dict[str, ExplanationValue] = {
            "method": self.rounding_method,
            "exact_worker": self.exact.get("worker", zero),
            "exact_platform": self.exact.get("platform", zero),
            "total": Money.sum(self.rounded.values(), currency),
            "worker": self.rounded.get("worker", zero),
            "platform": self.rounded.get("platform", zero),
        }
        return Explanation(
            "cpf.rounding",
            values,
            formula=f"total rounded {self.rounding.mode.value} to {self.rounding.unit}; "
            "worker's share rounded down; operator = total − worker",
            citation=self.rounding.citation,
        )

    def allocation_node(self) -> Explanation:
        split = self.allocation
        return Explanation(
            "cpf.allocation",
            {
                "total": split.total,
                "medisave": split.medisave,
                "special_fund": self.special_fund,
                "special": split.special,
                "ordinary": split.ordinary,
            },
            formula="MediSave = min(MediSave rate × NE, total); Special/Retirement = share × "
            "(total − MediSave); Ordinary = the rest",
            children=[
                *(cell.explain() for cell in self.allocation_cells),
                *(parameter_node(value) for value in self.allocation_rules),
            ],
        )


@attrs.frozen
class CpfDerivation:
    """One payer's line of one operator's month."""

    operator: OperatorMonth
    payer: str
    rate: RateCell
    phase_in_factor: ParameterValue | None = None
    """Set when the worker's share was phased in (k = factor × rate)."""

    def explain(self, line: ContributionLine) -> Explanation:
        """The line's amount, from the jobs' gross earnings to the accounts it goes to."""
        operator = self.operator
        rate_children = [self.rate.explain()]
        if self.phase_in_factor is not None:
            rate_children.append(parameter_node(self.phase_in_factor))
            formula = "exact = factor × rate × (NE − 500); amount by the CPF rounding rule"
        elif operator.tier == "none":
            formula = "amount = 0 (NE up to the threshold)"
        else:
            formula = "exact = rate × NE; amount by the CPF rounding rule"
        return Explanation(
            "cpf.line",
            {
                "scheme": line.scheme,
                "payer": line.payer,
                "platform": line.platform_id,
                "region": line.region,
                "amount": line.amount,
                "base": line.base,
                "rate": self.rate.rate,
                "group": "A" if operator.group_a else "B",
                "tier": operator.tier,
            },
            formula=formula,
            children=[
                operator.earnings_node(),
                operator.group_node(),
                operator.band_node(),
                operator.tier_node(),
                *rate_children,
                operator.rounding_node(),
                operator.allocation_node(),
                Explanation("funds", dict(line.funds), formula="this line's part of each account"),
            ],
        )
