"""Contribution statements: the lines of one worker's month, their totals and explanations.

A :class:`ContributionLine` is one payer's contribution to one scheme (and, for platforms,
one platform's part of it): the base or the orders it applies to, the rate or per-order
premium, the rounded amount and how that amount splits over the scheme's funds. A
:class:`ContributionStatement` holds all lines of a worker-month. Lines keep references to
the parameter values they used, so :attr:`ContributionLine.explanation` can show every input,
formula and citation without the cost of building the tree up front.

Work that owes nothing to a scheme which could have applied to it (orders of a platform the
scheme did not cover that month, in a region where it was not yet in force) has no line —
a zero line would claim a premium was computed — but a :class:`StatementNote` saying why,
with the rule it rests on.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

import attrs

from flexsecure.facts.engagements import BaseChoice, BaseKind
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import PAYERS, RoundingRule
from flexsecure.values.errors import InvalidInput
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "BaseDerivation",
    "ContributionLine",
    "ContributionStatement",
    "Derivation",
    "LineDerivation",
    "StatementNote",
    "check_line",
    "line_values",
    "parameter_node",
    "rounding_node",
]


@attrs.frozen
class BaseDerivation:
    """How an enrolled worker's base came about."""

    choice: BaseChoice
    earnings: Money
    floor: ParameterValue
    ceiling: ParameterValue
    average_wage: ParameterValue | None
    base: Money

    def explain(self) -> Explanation:
        children = [parameter_node(self.floor), parameter_node(self.ceiling)]
        if self.average_wage is not None:
            children.append(parameter_node(self.average_wage))
        kind = self.choice.kind
        formulas = {
            BaseKind.FLOOR: "base = floor",
            BaseKind.CEILING: "base = ceiling",
            BaseKind.EARNINGS: "base = min(max(earnings, floor), ceiling)",
            BaseKind.GRADE: "base = min(max(grade × average wage, floor), ceiling)",
            BaseKind.DECLARED: "base = min(max(declared, floor), ceiling)",
        }
        return Explanation(
            f"base.{kind.value}",
            {
                "base": self.base,
                "earnings": self.earnings,
                "grade": self.choice.fraction,
                "declared": self.choice.amount,
            },
            formula=formulas[kind],
            children=children,
        )


@attrs.frozen
class Derivation:
    """What a line was computed from; turned into an :class:`Explanation` on demand."""

    base: BaseDerivation | None
    rates: tuple[ParameterValue, ...]
    rounding: RoundingRule
    payer_total: Money
    apportioned: tuple[Decimal, Decimal] | None = None
    """(this platform's earnings, all platforms' earnings) when a platforms' total was split."""
    in_force: ParameterValue | None = None
    premium_class: str | None = None
    class_rule: ParameterValue | None = None
    """The pack's default premium class, when the caller assigned the platform none."""
    covered: ParameterValue | None = None
    """The list of covered platforms this line's platform was checked against."""
    coverage: str | None = None
    """How ``covered`` decided: ``listed``, ``all_platforms``, or ``not_identified`` (the
    caller did not say which platform it is; counted as covered)."""

    def explain(self, line: ContributionLine) -> Explanation:
        """The explanation of ``line``, which this derivation computed."""
        values, formula = line_values(line)
        children: list[Explanation] = []
        if self.base is not None:
            children.append(self.base.explain())
        children.extend(parameter_node(rate) for rate in self.rates)
        if self.in_force is not None:
            children.append(parameter_node(self.in_force))
        if self.covered is not None:
            children.append(parameter_node(self.covered))
        if self.coverage is not None:
            values["coverage"] = self.coverage
        if self.coverage == "not_identified":
            children.append(Explanation("coverage.not_identified", {"platform": line.platform_id}))
        if self.premium_class is not None:
            values["premium_class"] = self.premium_class
        if self.class_rule is not None:
            children.append(parameter_node(self.class_rule))
        children.append(rounding_node(self.rounding))
        if self.apportioned is not None:
            weight, total = self.apportioned
            formula = "amount = allocate(round(base × rate), by platform earnings)"
            children.append(
                Explanation(
                    "apportion",
                    {"total": self.payer_total, "weight": weight, "of": total},
                    formula="largest-remainder split in proportion to earnings",
                )
            )
        children.extend(_funds_nodes(line))
        return Explanation("line", values, formula=formula, children=children)


class LineDerivation(Protocol):
    """What a basis rule keeps on a line to explain it later: anything with ``explain``."""

    def explain(self, line: ContributionLine) -> Explanation:
        """The explanation of ``line``: inputs, formula, parameters, citations."""
        ...


def parameter_node(value: ParameterValue) -> Explanation:
    """An explanation leaf for one cited parameter value."""
    shown: ExplanationValue
    if isinstance(value.value, bool):
        shown = "yes" if value.value else "no"
    elif isinstance(value.value, tuple):
        shown = ", ".join(value.value)
    elif isinstance(value.value, (Money, Decimal, int)):
        shown = value.value
    else:
        shown = str(value.value)
    return Explanation(
        "parameter",
        {
            "name": value.name,
            "value": shown,
            "region": value.region or "national",
            "effective_from": value.effective_from,
        },
        citation=value.citation,
    )


def rounding_node(rule: RoundingRule) -> Explanation:
    """An explanation leaf for a rounding rule, with its citation."""
    return Explanation(
        "rounding", {"mode": rule.mode.value, "unit": rule.unit}, citation=rule.citation
    )


@attrs.frozen
class ContributionLine:
    """One payer's contribution to one scheme in one region for one month."""

    scheme: str
    payer: str
    platform_id: str | None
    """The platform billed for this line; ``None`` for the worker's own lines."""
    region: str
    base: Money | None
    """The contribution base; ``None`` for per-order and fixed-amount lines."""
    rate: Decimal | Money
    """The payer's rate (a Decimal); for per-order lines the premium per order, for a
    fixed-amount line the fixed monthly amount (Money)."""
    amount: Money
    funds: tuple[tuple[str, Money], ...]
    """How ``amount`` splits over the scheme's funds; the parts sum to ``amount`` exactly."""
    orders: int | None = None
    industry: str | None = None
    _derivation: LineDerivation | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def derived(self) -> bool:
        """True when the engine computed this line, or verified it against a pack
        (:meth:`Jurisdiction.verify_statement <flexsecure.Jurisdiction.verify_statement>`).
        Only such lines are posted to a ledger; a line built by hand or read from a record
        is what someone says, not what the rules give."""
        return self._derivation is not None

    def fund(self, name: str) -> Money:
        """The part of this line that goes to fund ``name`` (zero if none)."""
        for fund, amount in self.funds:
            if fund == name:
                return amount
        return Money.unchecked(Decimal(0), self.amount.currency)

    @property
    def explanation(self) -> Explanation:
        """The inputs, formula, parameters and citations behind ``amount``."""
        if self._derivation is not None:
            return self._derivation.explain(self)
        values, formula = line_values(self)
        return Explanation("line", values, formula=formula, children=_funds_nodes(self))


def line_values(line: ContributionLine) -> tuple[dict[str, ExplanationValue], str]:
    """The values and formula of a base, fixed-amount or per-order line's explanation node."""
    values: dict[str, ExplanationValue] = {
        "scheme": line.scheme,
        "payer": line.payer,
        "platform": line.platform_id,
        "region": line.region,
        "amount": line.amount,
    }
    if line.base is not None:
        values.update(base=line.base, rate=line.rate)
        return values, "amount = round(base × rate)"
    if line.orders is None:
        values.update(fixed=line.rate)
        return values, "amount = the fixed monthly amount"
    values.update(orders=line.orders, premium=line.rate, industry=line.industry)
    return values, "amount = round(orders × premium per order)"


def _funds_nodes(line: ContributionLine) -> list[Explanation]:
    if len(line.funds) <= 1:
        return []
    return [
        Explanation(
            "funds",
            dict(line.funds),
            formula="amount split over funds in proportion to their rates",
        )
    ]


def check_line(line: ContributionLine, currency: str, where: str) -> None:
    """Reject a line that did not come from a calculation and does not add up.

    Lines read from a record, or built by hand, reach ledgers: each amount must be in
    ``currency`` and a whole number of minor units, and the funds must sum to the amount.
    """
    if not isinstance(line, ContributionLine):
        raise InvalidInput(f"{where} must be a ContributionLine, got {line!r}")
    amounts = [("amount", line.amount), *((f"funds.{f}", m) for f, m in line.funds)]
    for field, money in amounts:
        if not isinstance(money, Money) or money.currency != currency:
            raise InvalidInput(f"{where}.{field} must be Money in {currency}, got {money!r}")
        if not money.is_whole():
            raise InvalidInput(f"{where}.{field} must be whole minor units, got {money!r}")
    funds_total = sum((money.amount for _, money in line.funds), Decimal(0))
    if line.funds and funds_total != line.amount.amount:
        raise InvalidInput(
            f"{where}: funds sum to {funds_total} {currency}, not to the amount {line.amount!r}"
        )


def _name(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"{field} must be a name such as 'worker', got {value!r}")
    return str(value.value) if hasattr(value, "value") else value


@attrs.frozen
class StatementNote:
    """Why an engagement's work produced no line of a scheme that could have applied to it.

    ``reason`` is a stable name (``platform_not_covered``, ``not_in_force``); ``rules`` are
    the cited parameter values the decision rests on; ``details`` are further values for the
    explanation (e.g. the platform's registry key and name).
    """

    scheme: str
    reason: str
    platform_id: str | None
    region: str
    industry: str | None = None
    orders: int | None = None
    rules: tuple[ParameterValue, ...] = attrs.field(default=(), eq=False)
    details: tuple[tuple[str, ExplanationValue], ...] = attrs.field(default=(), eq=False)

    @property
    def explanation(self) -> Explanation:
        """The note as an explanation node (key ``note.<reason>``), the rules as children."""
        values: dict[str, ExplanationValue] = {
            "scheme": self.scheme,
            "platform": self.platform_id,
            "region": self.region,
            "industry": self.industry,
            "orders": self.orders,
            **dict(self.details),
        }
        return Explanation(
            f"note.{self.reason}", values, children=[parameter_node(v) for v in self.rules]
        )


@attrs.frozen
class ContributionStatement:
    """All contribution lines of one worker for one month."""

    worker_id: str
    month: Month
    currency: str
    lines: tuple[ContributionLine, ...]
    jurisdiction: str
    reforms: tuple[str, ...] = ()
    """Names of the reforms applied to the jurisdiction that computed this statement."""
    earnings: Money | None = None
    """The month's earnings summed over all engagements."""
    notes: tuple[StatementNote, ...] = ()
    """Work that produced no line of a scheme that could have applied, and why."""

    def select(
        self,
        *,
        payer: str | None = None,
        scheme: str | None = None,
        platform_id: str | None = None,
    ) -> tuple[ContributionLine, ...]:
        """The lines matching every filter given (enum members or plain names)."""
        payer_name = _name(payer, "payer")
        if payer_name is not None and payer_name not in PAYERS:
            raise InvalidInput(
                f"payer must be one of {', '.join(sorted(PAYERS))}, got {payer_name!r}"
            )
        scheme_name = _name(scheme, "scheme")
        return tuple(
            line
            for line in self.lines
            if (payer_name is None or line.payer == payer_name)
            and (scheme_name is None or line.scheme == scheme_name)
            and (platform_id is None or line.platform_id == platform_id)
        )

    def total(
        self,
        *,
        payer: str | None = None,
        scheme: str | None = None,
        platform_id: str | None = None,
        fund: str | None = None,
    ) -> Money:
        """Sum of the matching lines (or of their ``fund`` parts); zero when none match."""
        if payer is None and scheme is None and platform_id is None and fund is None:
            every = Decimal(0)
            for line in self.lines:  # sum() over a generator, without the generator
                every = every + line.amount.amount
            return Money.unchecked(every, self.currency)
        fund_name = _name(fund, "fund")
        total = Decimal(0)
        for line in self.select(payer=payer, scheme=scheme, platform_id=platform_id):
            total += line.amount.amount if fund_name is None else line.fund(fund_name).amount
        return Money.unchecked(total, self.currency)

    @property
    def platform_ids(self) -> tuple[str, ...]:
        return tuple(sorted({line.platform_id for line in self.lines if line.platform_id}))

    def explain(self) -> Explanation:
        """The whole month: totals per payer and every line with its reasons."""
        payers = sorted({line.payer for line in self.lines})
        values: dict[str, ExplanationValue] = {
            "worker": self.worker_id,
            "month": self.month,
            "jurisdiction": self.jurisdiction,
            "total": self.total(),
            "earnings": self.earnings,
            "reforms": ", ".join(self.reforms) or None,
        }
        for payer in payers:
            values[f"total_{payer}"] = self.total(payer=payer)
        return Explanation(
            "statement",
            values,
            formula="total = Σ lines",
            children=[
                *(line.explanation for line in self.lines),
                *(note.explanation for note in self.notes),
            ],
        )
