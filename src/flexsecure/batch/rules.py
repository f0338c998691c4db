"""The pack's rules for one (scheme, region, month), resolved once and held as integers.

The batch engine asks the same :class:`~flexsecure.rules.packs.RulePack` the per-object path
asks, through its public lookups (``value``, ``parameter``, ``scheme``), for the same
parameters: the base band and average wage of a base scheme, each payer's fund rates, and for
per-order schemes the ``in_force`` flag and the premium per order of an industry and premium
class. Rates and premiums become integer numerators over a power of ten, so a whole
population is priced with integer arithmetic; no figure is copied out of the pack.

Rounding follows the scheme's :class:`~flexsecure.rules.schemes.RoundingRule` exactly
(:mod:`flexsecure.batch.rounding`); a rule this integer form cannot state (a unit that is not
a whole number of minor units) raises
:class:`~flexsecure.RuleNotFound` naming the scheme.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Concatenate, ParamSpec, TypeVar

import attrs

from flexsecure.calculations.fixed_amounts import fixed_amount, fixed_share
from flexsecure.calculations.order_contributions import order_amounts
from flexsecure.calculations.order_plans import in_force_value, premium_values
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import ALL_PLATFORMS, EACH_PAYER, STANDARD_CLASS, SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import Money, minor_unit

P = ParamSpec("P")
T = TypeVar("T")

__all__ = [
    "BaseRules",
    "FixedRules",
    "PremiumRules",
    "Ratio",
    "ShareRates",
    "base_rules",
    "fixed_rules",
    "order_contribution_rules",
    "output_scale",
    "premium_rules",
    "rounding_unit",
]


@attrs.frozen
class Ratio:
    """An exact decimal as ``numerator / 10 ** exponent``."""

    numerator: int
    exponent: int

    @classmethod
    def of(cls, value: Decimal) -> Ratio:
        sign, digits, exponent = value.as_tuple()
        assert isinstance(exponent, int)
        number = int("".join(map(str, digits)) or "0") * (-1 if sign else 1)
        if exponent >= 0:
            return cls(number * 10**exponent, 0)
        return cls(number, -exponent)

    def at(self, exponent: int) -> int:
        """The numerator over ``10 ** exponent`` (``exponent`` >= this one's)."""
        return int(self.numerator * 10 ** (exponent - self.exponent))


def _common(values: tuple[Decimal, ...]) -> tuple[tuple[int, ...], int]:
    ratios = [Ratio.of(value) for value in values]
    exponent = max((r.exponent for r in ratios), default=0)
    return tuple(r.at(exponent) for r in ratios), exponent


@attrs.frozen
class ShareRates:
    """One payer's fund rates (or per-order premiums) as integers over ``10 ** exponent``."""

    payer: str
    funds: tuple[str, ...]
    weights: tuple[int, ...]
    """Per fund, the numerator: also the weights of the split over the funds."""
    exponent: int
    total: Decimal
    """The summed rate (or premium per order), exactly as the per-object line shows it."""

    @property
    def numerator(self) -> int:
        return sum(self.weights)


@attrs.frozen
class BaseRules:
    """A base scheme in one region and month: band, average wage, every payer's rates."""

    floor: Money
    ceiling: Money
    average_wage: Money | None
    no_average_wage: str
    """Why a grade base cannot be computed here (empty when it can)."""
    shares: tuple[ShareRates, ...]


@attrs.frozen
class PremiumRules:
    """One payer's premium per order for an industry, premium class, region and month."""

    rates: ShareRates


def rounding_unit(pack: RulePack, scheme: SchemeRules) -> int:
    """The scheme's rounding unit in minor units; it must be a whole number of them, and each
    payer must round on its own (the ``each`` method)."""
    if scheme.rounding.method != EACH_PAYER:
        raise RuleNotFound(
            f"the batch engine rounds each payer on its own; {scheme.name} rounds by the "
            f"{scheme.rounding.method!r} method"
        )
    units = scheme.rounding.unit / minor_unit(pack.currency)
    if units != units.to_integral_value() or units < 1:
        raise RuleNotFound(
            f"the batch engine rounds to whole minor units; {scheme.name} rounds to "
            f"{scheme.rounding.unit} {pack.currency}"
        )
    return int(units)


def _kept_in_pack(
    lookup: Callable[Concatenate[RulePack, SchemeRules, P], T],
) -> Callable[Concatenate[RulePack, SchemeRules, P], T]:
    """``lookup`` resolved once per pack and arguments, kept in the pack's memo.

    A stream of chunks asks for the same month's rules chunk after chunk; the pack is
    immutable, so what was resolved stays true. A lookup that fails is not kept: it is asked
    again, and fails again, wherever a chunk needs it.
    """

    @functools.wraps(lookup)
    def kept(pack: RulePack, scheme: SchemeRules, /, *args: P.args, **kwargs: P.kwargs) -> T:
        key = ("batch", lookup.__name__, scheme.name, args, tuple(sorted(kwargs.items())))
        return pack.memo(key, lambda: lookup(pack, scheme, *args, **kwargs))

    return kept


def _share_rates(payer: str, funds: tuple[str, ...], values: tuple[Decimal, ...]) -> ShareRates:
    weights, exponent = _common(values)
    return ShareRates(payer, funds, weights, exponent, sum(values, Decimal(0)))


@_kept_in_pack
def base_rules(pack: RulePack, scheme: SchemeRules, region: str, on: dt.date) -> BaseRules:
    """Band, average wage and rates of ``scheme`` in ``region`` on ``on`` (RuleNotFound if the
    pack has no value there, worded by the pack). Where the scheme charges a fixed amount,
    :func:`fixed_rules` applies instead."""
    assert scheme.base_floor is not None
    assert scheme.base_ceiling is not None
    floor = pack.value(scheme.base_floor, region, on).money()
    ceiling = pack.value(scheme.base_ceiling, region, on).money()
    average_wage = None
    why = ""
    if scheme.average_wage is None:
        why = f"{scheme.name} has no average wage, so grade bases do not apply"
    else:
        try:
            average_wage = pack.value(scheme.average_wage, region, on).money()
        except RuleNotFound as error:
            why = str(error)
    shares = []
    for share in scheme.shares:
        values = tuple(pack.value(name, region, on).decimal() for name in share.funds.values())
        shares.append(_share_rates(share.payer, tuple(share.funds), values))
    return BaseRules(floor, ceiling, average_wage, why, tuple(shares))


@attrs.frozen
class FixedRules:
    """A base scheme's fixed monthly amount in one region and month, in minor units, with the
    share that pays it (``total`` is the amount, shown as the line's rate; ``weights`` split
    it over the funds as the per-object path does)."""

    amount: Money
    rates: ShareRates


@_kept_in_pack
def fixed_rules(pack: RulePack, scheme: SchemeRules, region: str, on: dt.date) -> FixedRules | None:
    """The fixed amount ``scheme`` charges in ``region`` on ``on`` (``None``: rate × base), from
    the same lookup as the per-object path (:mod:`flexsecure.calculations.fixed_amounts`)."""
    fixed = fixed_amount(pack, scheme, region, on)
    if fixed is None:
        return None
    share = fixed_share(pack, scheme, region, on, fixed)
    weights = [rate.decimal() for rate in share.rates] or [Decimal(1)]
    rates = _share_rates(share.payer, tuple(fund for fund, _ in share.funds), tuple(weights))
    return FixedRules(share.amount, attrs.evolve(rates, total=fixed.money().amount))


@_kept_in_pack
def premium_rules(
    pack: RulePack,
    scheme: SchemeRules,
    index: int,
    industry: str,
    assigned: str | None,
    registry_key: str | None,
    region: str,
    on: dt.date,
) -> PremiumRules | None:
    """The premium of share ``index`` for one industry, assigned class (``None``: none) and
    platform registry key (``None``: not identified) in ``region`` on ``on``; ``None`` when
    the engagement owes nothing: the scheme is not in force there then, or the platform is
    not among the covered ones (occupational-injury protection, 人社部发〔2025〕24号)."""
    in_force = in_force_value(pack, scheme, region, on)  # the per-object path's lookup
    if in_force is None or not in_force.flag():
        return None
    if scheme.covered_platforms is not None and registry_key is not None:
        names = pack.value(scheme.covered_platforms, region, on).names()
        if ALL_PLATFORMS not in names and registry_key not in names:
            return None
    if assigned is None and scheme.premium_class is not None:
        premium_class = pack.value(scheme.premium_class, region, on).text()
    else:
        premium_class = assigned or STANDARD_CLASS
    share = scheme.shares[index]
    found = premium_values(pack, share, industry, premium_class, region, on)
    values = tuple(value.money().amount for value in found)
    return PremiumRules(_share_rates(share.payer, tuple(share.funds), values))


@_kept_in_pack
def order_contribution_rules(
    pack: RulePack, scheme: SchemeRules, industry: str, region: str, on: dt.date
) -> dict[str, ShareRates]:
    """Each payer's amount per order of ``scheme``'s per-order contribution in force on ``on``
    for ``industry`` in ``region`` (empty before it starts), from the per-object path's own
    :func:`~flexsecure.calculations.order_contributions.order_amounts`."""
    return {
        amount.payer: _share_rates(amount.payer, amount.funds, amount.weights)
        for amount in order_amounts(pack, scheme, industry, region, on)
    }


def output_scale(pack: RulePack) -> int:
    """Decimals that hold every rate and premium the pack can produce (a fixed line schema)."""

    def build() -> int:
        digits = 2
        for scheme in pack.schemes.values():
            per_order = [
                name
                for contribution in scheme.order_contributions
                for share in contribution.shares
                for name in share.funds.values()
            ]
            names = [*scheme.rate_parameters(), *filter(None, [scheme.fixed_amount]), *per_order]
            for name in names:
                prefix = name.split("{industry}")[0]
                for parameter_name, parameter in pack.parameters.items():
                    if parameter_name == name or (
                        "{industry}" in name and parameter_name.startswith(prefix)
                    ):
                        for values in parameter.series.values():
                            for value in values:
                                amount = value.value
                                number = amount.amount if isinstance(amount, Money) else amount
                                if isinstance(number, Decimal):
                                    digits = max(digits, Ratio.of(number).exponent)
        return min(digits, 18)

    return pack.memo(("batch", "output scale"), build)
