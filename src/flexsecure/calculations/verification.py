"""Verify contribution statements that come from outside against the rules of a pack.

A statement computed here carries, on each line, how it was derived. A statement read from a
record (a platform's, another agency's) carries only what the record says, and what a record
says is checked before it can touch a ledger (:meth:`Ledger.post
<flexsecure.calculations.accounts.Ledger.post>` refuses lines that were neither computed nor
verified). :func:`verify_statement` checks every line against the pack line by line:

* the jurisdiction, its reforms and the currency are the pack's;
* the scheme, region and payer exist in the pack, a platform line names its platform;
* a **base** line: one base per scheme and region, within the region's floor and ceiling on
  the month's first day; the rate is the payer's rate in the pack; the amount is
  ``round(base × rate)`` by the scheme's rounding rule (the platforms' lines together: their
  split between platforms follows earnings the statement does not carry); the funds split the
  amount as the pack's fund rates say;
* a **fixed-amount** line (a base scheme where the region charges a fixed monthly amount):
  no base, the amount as its rate, the payer's line (or the platforms' lines together)
  equal to the rounded amount, its funds split as the pack says;
* a **per-order** line: the engagement's lines are recomputed from its orders, industry and
  region (with the standard premium or one of the pack's premium classes) and must be equal;
  so are the per-order lines a scheme of another basis takes under a per-order contribution
  (they name their platform whoever pays).

Lines of a basis a jurisdiction registered (neither ``base`` nor ``orders``) cannot be verified
line by line: recompute such a statement from its inputs. The first failed check raises
:class:`~flexsecure.RecordMismatch` naming the JSON path of the line and what was expected;
on success the statement is returned with every line marked as verified (its explanation
cites the parameters it was checked against).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from flexsecure.calculations.base_schemes import base_band, payer_amounts
from flexsecure.calculations.fixed_amounts import fixed_amount, fixed_share
from flexsecure.calculations.funds import split_funds
from flexsecure.calculations.order_contributions import per_order_lines
from flexsecure.calculations.order_schemes import engagement_lines
from flexsecure.calculations.statements import (
    ContributionLine,
    ContributionStatement,
    check_line,
    line_values,
    parameter_node,
    rounding_node,
)
from flexsecure.facts.engagements import Engagement, Platform
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.schemes import BASE, ORDERS, RoundingRule, SchemeRules
from flexsecure.values.errors import FlexsecureError, InvalidInput, RecordMismatch
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = ["VerifiedLine", "verify_statement"]

PER_ORDER = "per_order"
"""Group key of a scheme's per-order contribution lines (a scheme of another basis)."""


@attrs.frozen
class VerifiedLine:
    """The derivation of a line read from outside and checked against a pack: the parameter
    values and the rounding rule it agrees with."""

    pack: str
    parameters: tuple[ParameterValue, ...]
    rounding: RoundingRule

    def explain(self, line: ContributionLine) -> Explanation:
        values, formula = line_values(line)
        values["verified_against"] = self.pack
        children = [parameter_node(value) for value in self.parameters]
        children.append(rounding_node(self.rounding))
        return Explanation("line", values, formula=formula, children=children)


FIXED = "fixed"
"""Group key of a base scheme's lines in a region and month where it charges a fixed amount."""


def _pack_name(pack: RulePack) -> str:
    return " + ".join((pack.code, *pack.applied_reforms))


def verify_statement(pack: RulePack, statement: ContributionStatement) -> ContributionStatement:
    """``statement`` with every line verified against ``pack`` (see the module docstring)."""
    if not isinstance(statement, ContributionStatement):
        raise InvalidInput(f"statement must be a ContributionStatement, got {statement!r}")
    if statement.jurisdiction != pack.code:
        raise RecordMismatch("$.jurisdiction", pack.code, statement.jurisdiction)
    if tuple(statement.reforms) != pack.applied_reforms:
        raise RecordMismatch("$.reforms", list(pack.applied_reforms), list(statement.reforms))
    if statement.currency != pack.currency:
        raise RecordMismatch("$.currency", pack.currency, statement.currency)
    lines = statement.lines
    groups: dict[tuple[object, ...], list[int]] = {}
    for index, line in enumerate(lines):
        path = f"$.lines[{index}]"
        check_line(line, pack.currency, path)
        scheme = pack.schemes.get(line.scheme)
        if scheme is None:
            raise RecordMismatch(f"{path}.scheme", f"one of {', '.join(pack.schemes)}", line.scheme)
        if line.region not in pack.regions:
            raise RecordMismatch(f"{path}.region", "a region of the pack", line.region)
        if line.payer not in scheme.payers():
            raise RecordMismatch(
                f"{path}.payer", f"one of {', '.join(scheme.payers())}", line.payer
            )
        per_order = scheme.basis != ORDERS and line.orders is not None
        if per_order:
            if line.platform_id is None:
                raise RecordMismatch(f"{path}.platform_id", "the engagement's platform", None)
        elif (line.payer == "platform") != (line.platform_id is not None):
            raise RecordMismatch(
                f"{path}.platform_id",
                "a platform id on platform lines only",
                line.platform_id,
            )
        if per_order:
            key: tuple[object, ...] = (
                PER_ORDER,
                scheme.name,
                line.platform_id,
                line.region,
                line.industry,
                line.orders,
            )
        elif scheme.basis == BASE and fixed_amount(
            pack, scheme, line.region, statement.month.first_day
        ):
            key = (FIXED, scheme.name, line.region)
        elif scheme.basis == BASE:
            key = (BASE, scheme.name, line.region)
        elif scheme.basis == ORDERS:
            key = (ORDERS, scheme.name, line.platform_id, line.region, line.industry, line.orders)
        else:
            raise InvalidInput(
                f"{path}: lines of the {scheme.basis!r} basis cannot be verified line by line; "
                "recompute the statement from its inputs"
            )
        groups.setdefault(key, []).append(index)
    verified: list[ContributionLine | None] = [None] * len(lines)
    for key, indices in groups.items():
        scheme = pack.schemes[str(key[1])]
        if key[0] == FIXED:
            _verify_fixed(pack, scheme, statement.month, lines, indices, verified)
        elif key[0] == BASE:
            _verify_base(pack, scheme, statement.month, lines, indices, verified)
        elif key[0] == PER_ORDER:
            _verify_per_order(pack, scheme, statement, lines, indices, verified)
        else:
            _verify_orders(pack, scheme, statement, lines, indices, verified)
    done = tuple(line for line in verified if line is not None)
    assert len(done) == len(lines)
    return attrs.evolve(statement, lines=done)


def _marked(line: ContributionLine, derivation: object) -> ContributionLine:
    return ContributionLine(
        scheme=line.scheme,
        payer=line.payer,
        platform_id=line.platform_id,
        region=line.region,
        base=line.base,
        rate=line.rate,
        amount=line.amount,
        funds=line.funds,
        orders=line.orders,
        industry=line.industry,
        derivation=derivation,  # type: ignore[arg-type]
    )


def _funds_text(funds: Sequence[tuple[str, Money]]) -> dict[str, str]:
    return {fund: str(amount.amount) for fund, amount in sorted(funds)}


def _verify_base(
    pack: RulePack,
    scheme: SchemeRules,
    month: Month,
    lines: Sequence[ContributionLine],
    indices: list[int],
    out: list[ContributionLine | None],
) -> None:
    first = f"$.lines[{indices[0]}]"
    base = lines[indices[0]].base
    if base is None:
        raise RecordMismatch(f"{first}.base", "the contribution base", None)
    for index in indices:
        line = lines[index]
        path = f"$.lines[{index}]"
        if line.base != base:
            raise RecordMismatch(f"{path}.base", str(base.amount), line.base and str(line.base))
        if line.orders is not None or line.industry is not None:
            raise RecordMismatch(f"{path}.orders", None, line.orders)
        if not isinstance(line.rate, Decimal):
            raise RecordMismatch(f"{path}.rate", "a rate", str(line.rate))
    region, on = lines[indices[0]].region, month.first_day
    try:
        band = base_band(pack, scheme, region, on)
        shares = payer_amounts(pack, scheme, region, on, base)
    except FlexsecureError as error:
        raise type(error)(f"{first}: {error}") from None
    floor, ceiling = band.floor.money(), band.ceiling.money()
    if not floor <= base <= ceiling:
        raise RecordMismatch(
            f"{first}.base", f"between {floor.amount} and {ceiling.amount}", str(base.amount)
        )
    parameters = (band.floor, band.ceiling)
    for share in shares:
        rates, expected = share.rates, share.amount
        mine = [index for index in indices if lines[index].payer == share.payer]
        if share.payer != "platform" and len(mine) != 1:
            raise RecordMismatch(
                f"{first}", f"one {share.payer} line of {scheme.name} in {region}", len(mine)
            )
        if len({lines[index].platform_id for index in mine}) != len(mine):
            raise RecordMismatch(f"$.lines[{mine[-1]}].platform_id", "one line per platform", 2)
        total = Decimal(0)
        derivation = VerifiedLine(_pack_name(pack), parameters + rates.parameters, scheme.rounding)
        for index in mine:
            line, path = lines[index], f"$.lines[{index}]"
            if line.rate != rates.total:
                raise RecordMismatch(f"{path}.rate", str(rates.total), str(line.rate))
            funds = split_funds(line.amount, rates.funds, rates.values)
            if _funds_text(line.funds) != _funds_text(funds):
                raise RecordMismatch(f"{path}.funds", _funds_text(funds), _funds_text(line.funds))
            total += line.amount.amount
            out[index] = _marked(line, derivation)
        if mine and total != expected.amount:
            what = "amount" if len(mine) == 1 else "amount (the platforms' lines together)"
            raise RecordMismatch(f"$.lines[{mine[0]}].{what}", str(expected.amount), str(total))


def _verify_fixed(
    pack: RulePack,
    scheme: SchemeRules,
    month: Month,
    lines: Sequence[ContributionLine],
    indices: list[int],
    out: list[ContributionLine | None],
) -> None:
    """A fixed amount's lines: no base and no orders, the amount as ``rate``, the payer's
    line (or the platforms' lines together) equal to the rounded amount, the funds split as
    the pack says."""
    first = f"$.lines[{indices[0]}]"
    region, on = lines[indices[0]].region, month.first_day
    fixed = fixed_amount(pack, scheme, region, on)
    assert fixed is not None  # the group was keyed by it
    try:
        share = fixed_share(pack, scheme, region, on, fixed)
    except FlexsecureError as error:
        raise type(error)(f"{first}: {error}") from None
    derivation = VerifiedLine(_pack_name(pack), (fixed, *share.rates), scheme.rounding)
    names = tuple(fund for fund, _ in share.funds)
    weights = [rate.decimal() for rate in share.rates] or [Decimal(1)]
    total = Decimal(0)
    for index in indices:
        line, path = lines[index], f"$.lines[{index}]"
        if line.base is not None or line.orders is not None or line.industry is not None:
            raise RecordMismatch(
                f"{path}.base",
                "no base and no orders (a fixed amount)",
                line.base and str(line.base.amount),
            )
        if line.payer != share.payer:
            raise RecordMismatch(f"{path}.payer", share.payer, line.payer)
        if line.rate != fixed.money():
            raise RecordMismatch(f"{path}.rate", str(fixed.money().amount), str(line.rate))
        funds = split_funds(line.amount, names, weights)
        if _funds_text(line.funds) != _funds_text(funds):
            raise RecordMismatch(f"{path}.funds", _funds_text(funds), _funds_text(line.funds))
        total += line.amount.amount
        out[index] = _marked(line, derivation)
    if share.payer != "platform" and len(indices) != 1:
        raise RecordMismatch(
            first, f"one {share.payer} line of {scheme.name} in {region}", len(indices)
        )
    if len({lines[index].platform_id for index in indices}) != len(indices):
        raise RecordMismatch(f"$.lines[{indices[-1]}].platform_id", "one line per platform", 2)
    if total != share.amount.amount:
        what = "amount" if len(indices) == 1 else "amount (the platforms' lines together)"
        raise RecordMismatch(f"{first}.{what}", str(share.amount.amount), str(total))


def _premium_classes(pack: RulePack, scheme: SchemeRules, industry: str) -> list[str]:
    found: set[str] = set()
    for share in scheme.shares:
        for fund in share.funds:
            prefix = share.parameter_for(fund, industry) + "."
            found.update(
                name.removeprefix(prefix) for name in pack.parameters if name.startswith(prefix)
            )
    return sorted(found)


def _summary(line: ContributionLine) -> tuple[str, tuple[object, Money, dict[str, str]]]:
    return line.payer, (line.rate, line.amount, _funds_text(line.funds))


def _verify_per_order(
    pack: RulePack,
    scheme: SchemeRules,
    statement: ContributionStatement,
    lines: Sequence[ContributionLine],
    indices: list[int],
    out: list[ContributionLine | None],
) -> None:
    """An engagement's per-order contribution lines, recomputed from its orders."""
    first = lines[indices[0]]
    path = f"$.lines[{indices[0]}]"
    if first.base is not None or first.industry not in pack.industries:
        raise RecordMismatch(
            f"{path}.industry", "no base, and an industry of the pack", first.industry
        )
    assert first.platform_id is not None
    assert first.orders is not None
    found = {lines[i].payer: _summary(lines[i])[1] for i in indices}
    if len(found) != len(indices):
        raise RecordMismatch(path, "one line per payer for an engagement", len(indices))
    job = Engagement(
        worker_id=statement.worker_id,
        platform_id=first.platform_id,
        industry=first.industry,
        region=first.region,
        month=statement.month,
        earnings=Money.zero(pack.currency),
        orders=first.orders,
    )
    try:
        computed = per_order_lines(pack, scheme, job, statement.month.first_day)
    except FlexsecureError as error:
        raise type(error)(f"{path}: {error}") from None
    expected = {line.payer: _summary(line)[1] for line in computed}
    if expected != found:
        shown = {payer: str(amount.amount) for payer, (_, amount, _) in expected.items()}
        raise RecordMismatch(
            f"{path}.amount",
            f"{shown or 'no per-order lines'} at {first.orders} orders",
            {payer: str(amount.amount) for payer, (_, amount, _) in found.items()},
        )
    by_payer = {line.payer: line for line in computed}
    for index in indices:
        out[index] = by_payer[lines[index].payer]


def _verify_orders(
    pack: RulePack,
    scheme: SchemeRules,
    statement: ContributionStatement,
    lines: Sequence[ContributionLine],
    indices: list[int],
    out: list[ContributionLine | None],
) -> None:
    first = lines[indices[0]]
    path = f"$.lines[{indices[0]}]"
    if first.base is not None or first.orders is None or first.industry is None:
        raise RecordMismatch(f"{path}.base", "no base, and orders and industry", str(first.base))
    assert first.platform_id is not None
    if first.industry not in pack.industries:
        raise RecordMismatch(
            f"{path}.industry", f"one of {', '.join(pack.industries)}", first.industry
        )
    found = {
        lines[index].payer: (
            lines[index].rate,
            lines[index].amount,
            _funds_text(lines[index].funds),
        )
        for index in indices
    }
    if len(found) != len(indices):
        raise RecordMismatch(path, "one line per payer for an engagement", len(indices))
    expected: list[ContributionLine] = []
    for premium_class in [None, *_premium_classes(pack, scheme, first.industry)]:
        try:
            job = Engagement(
                worker_id=statement.worker_id,
                platform_id=first.platform_id,
                industry=first.industry,
                region=first.region,
                month=statement.month,
                earnings=Money.zero(pack.currency),
                orders=first.orders,
            )
            platform = (
                None
                if premium_class is None
                else Platform(first.platform_id, premium_classes={first.industry: premium_class})
            )
            computed = engagement_lines(pack, scheme, job, platform, statement.month.first_day)
        except FlexsecureError as error:
            raise type(error)(f"{path}: {error}") from None
        mine = [line for line in computed if line.scheme == scheme.name]
        if premium_class is None:
            expected = mine
        if {
            line.payer: (line.rate, line.amount, _funds_text(line.funds)) for line in mine
        } == found:
            by_payer = {line.payer: line for line in mine}
            for index in indices:
                out[index] = by_payer[lines[index].payer]
            return
    shown = {line.payer: str(line.amount.amount) for line in expected}
    raise RecordMismatch(
        f"{path}.amount",
        f"{shown or 'no lines'} at {first.orders} orders (standard premium or a premium class)",
        {payer: str(amount.amount) for payer, (_, amount, _) in found.items()},
    )
