"""The cross-checks that need the whole pack: a scheme's parameters exist with the right
units, its coverage claims are backed by values, floors never exceed ceilings, listed
platforms and premium classes are known."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from flexsecure.rules.pack_problems import is_broken, report, tolerated
from flexsecure.rules.parameters import Parameter, Unit
from flexsecure.rules.schemes import (
    ALL_PLATFORMS,
    BASE,
    ORDERS,
    STANDARD_CLASS,
    SchemeRules,
)
from flexsecure.values.errors import PackError, RuleNotFound

if TYPE_CHECKING:
    from flexsecure.rules.packs import RulePack

__all__ = [
    "check_band",
    "check_covered_platforms",
    "check_premium_classes",
    "check_scheme",
]


def check_scheme(pack: RulePack, scheme: SchemeRules, file: str) -> None:
    """Cross-checks that need the whole pack: references, units, coverage claims."""

    def need(key: str, name: str | None, unit: Unit | None) -> Parameter | None:
        """The named parameter, checked (its unit too, unless ``None``); ``None`` after a
        problem noted while collecting."""
        if name is not None and is_broken(name):
            return None  # its own problem is reported already
        with tolerated():
            if name is None:
                raise PackError(file, f"scheme.{key}", f"required for a {scheme.basis} scheme")
            parameter = pack.parameters.get(name)
            if parameter is None:
                raise PackError(file, f"scheme.{key}", f"refers to unknown parameter {name!r}")
            if unit is not None and parameter.unit is not unit:
                raise PackError(
                    file,
                    f"scheme.{key}",
                    f"{name} has unit {parameter.unit.value}, expected {unit.value}",
                )
            return parameter
        return None

    # (key, parameter, first day the claim needs it or None, day it stops needing it or None)
    claims: list[tuple[str, Parameter | None, dt.date | None, dt.date | None]] = []
    rate_unit: Unit | None = None  # a basis registered by a jurisdiction checks its own units
    fixed = None
    if scheme.fixed_amount is not None:
        if scheme.basis != BASE:
            raise PackError(file, "scheme.fixed_amount", "belongs to a base scheme")
        fixed = need("fixed_amount", scheme.fixed_amount, Unit.MONEY)
        for start, _, shares in scheme.share_periods():
            if len(shares) != 1:
                when = f" (shares from {start})" if start is not None else ""
                report(
                    PackError(
                        file,
                        "scheme.fixed_amount",
                        f"a fixed amount is one payer's, but {scheme.name} has "
                        f"{len(shares)} shares{when}",
                    )
                )
    if scheme.basis == BASE:
        floor = need("base_floor", scheme.base_floor, Unit.MONEY)
        ceiling = need("base_ceiling", scheme.base_ceiling, Unit.MONEY)
        if floor is not None and ceiling is not None:
            with tolerated():
                check_band(pack, floor, ceiling, file)
        claims.append(("base_floor", floor, None, None))
        claims.append(("base_ceiling", ceiling, None, None))
        if scheme.average_wage is not None:
            need("average_wage", scheme.average_wage, Unit.MONEY)
        rate_unit = Unit.RATE
    elif scheme.basis == ORDERS:
        claims.append(("in_force", need("in_force", scheme.in_force, Unit.FLAG), None, None))
        if scheme.covered_platforms is not None:
            covered = need("covered_platforms", scheme.covered_platforms, Unit.NAMES)
            if covered is not None:
                with tolerated():
                    check_covered_platforms(pack, covered, file)
            claims.append(("covered_platforms", covered, None, None))
        if scheme.premium_class is not None:
            classes = need("premium_class", scheme.premium_class, Unit.NAME)
            if classes is not None:
                with tolerated():
                    check_premium_classes(pack, scheme, classes, file)
            claims.append(("premium_class", classes, None, None))
        rate_unit = Unit.MONEY
    if scheme.basis != ORDERS and (scheme.covered_platforms or scheme.premium_class):
        raise PackError(
            file, "scheme", "covered_platforms and premium_class belong to an orders scheme"
        )
    for role, name in scheme.parameters.items():
        key = f"parameters.{role}"
        claims.append((f"scheme.{key}", need(key, name, None), None, None))
    for period_start, period_end, shares in scheme.share_periods():
        for index, share in enumerate(shares):
            for fund, template in share.funds.items():
                if fund not in scheme.funds:
                    report(PackError(file, f"scheme.shares[{index}].funds.{fund}", "unknown fund"))
                    continue
                names = (
                    [share.parameter_for(fund, i) for i in pack.industries]
                    if "{industry}" in template
                    else [template]
                )
                for name in names:
                    key = f"shares[{index}].funds.{fund}"
                    if period_start is not None:
                        key = f"{key} (from {period_start})"
                    parameter = need(key, name, rate_unit)
                    claims.append((f"scheme.{key}", parameter, period_start, period_end))
    per_order = _order_contribution_claims(pack, scheme, file, need)
    for region, start in scheme.coverage.items():
        if fixed is not None and _holds(fixed, region, start):
            # a fixed amount from the start: it is the claim (and the rates split it over
            # the funds when there are several)
            needed = [c for c in claims if c[0].startswith("scheme.shares") and _split(scheme)]
            region_claims = [("fixed_amount", fixed, None, None), *needed, *per_order]
        else:
            region_claims = [*claims, *per_order]
        for key, parameter, needed_from, needed_until in region_claims:
            if parameter is None or (needed_until is not None and needed_until <= start):
                continue  # reported already, or shares that ended before the coverage begins
            on = max(start, needed_from) if needed_from is not None else start
            try:
                parameter.at(region, on)
            except RuleNotFound as error:
                report(
                    PackError(
                        file,
                        f"scheme.coverage.{region}",
                        f"claims {scheme.name} from {start}, but {key}: {error}",
                    )
                )
                break  # one problem per claimed region


Claim = tuple[str, Parameter | None, dt.date | None, dt.date | None]


def _order_contribution_claims(
    pack: RulePack,
    scheme: SchemeRules,
    file: str,
    need: Callable[[str, str | None, Unit | None], Parameter | None],
) -> list[Claim]:
    """A per-order contribution's amounts: money parameters of the scheme's funds, with a
    value in every covered region from the contribution's date until the next one's."""
    claims: list[Claim] = []
    contributions = scheme.order_contributions
    for number, contribution in enumerate(contributions):
        until = (
            contributions[number + 1].effective_from if number + 1 < len(contributions) else None
        )
        for index, share in enumerate(contribution.shares):
            for fund, template in share.funds.items():
                key = f"order_contributions[{number}].shares[{index}].funds.{fund}"
                if fund not in scheme.funds:
                    report(PackError(file, key, "unknown fund"))
                    continue
                names = (
                    [share.parameter_for(fund, i) for i in pack.industries]
                    if "{industry}" in template
                    else [template]
                )
                for name in names:
                    parameter = need(key, name, Unit.MONEY)
                    claims.append((key, parameter, contribution.effective_from, until))
    return claims


def _holds(parameter: Parameter, region: str, on: dt.date) -> bool:
    try:
        parameter.at(region, on)
    except RuleNotFound:
        return False
    return True


def _split(scheme: SchemeRules) -> bool:
    """Whether a fixed amount needs the rates: to split it over more than one fund."""
    return any(len(share.funds) > 1 for _, _, shares in scheme.share_periods() for share in shares)


def check_band(pack: RulePack, floor: Parameter, ceiling: Parameter, file: str) -> None:
    """floor ≤ ceiling in every region (and nationally) on every date either of them changes."""
    days = sorted(
        {
            value.effective_from
            for parameter in (floor, ceiling)
            for values in parameter.series.values()
            for value in values
        }
    )
    for region in (None, *pack.regions):
        for day in days:
            try:
                low, high = floor.at(region, day), ceiling.at(region, day)
            except RuleNotFound:
                continue
            if low.money() > high.money():
                raise PackError(
                    file,
                    "scheme.base_floor",
                    f"{floor.name} {low.money().amount} is above {ceiling.name} "
                    f"{high.money().amount} in {region or 'the national series'} on {day}",
                )


def check_covered_platforms(pack: RulePack, parameter: Parameter, file: str) -> None:
    """Every name listed is a platform of the pack's registry, or ``all`` on its own."""
    for values in parameter.series.values():
        for value in values:
            where = f"{parameter.name} ({value.region or 'national'}, {value.effective_from})"
            names = value.names()
            if ALL_PLATFORMS in names and len(names) > 1:
                raise PackError(file, where, f"{ALL_PLATFORMS!r} stands alone, got {names!r}")
            unknown = [n for n in names if n != ALL_PLATFORMS and n not in pack.platforms]
            if unknown:
                raise PackError(
                    file,
                    where,
                    f"lists {', '.join(unknown)}, not in the pack's [platforms] "
                    f"({', '.join(pack.platforms) or 'none'})",
                )


def check_premium_classes(
    pack: RulePack, scheme: SchemeRules, parameter: Parameter, file: str
) -> None:
    """Every default premium class has a parameter for every industry of every share."""
    for values in parameter.series.values():
        for value in values:
            premium_class = value.text()
            if premium_class == STANDARD_CLASS:
                continue
            for share in scheme.shares:
                for fund in share.funds:
                    for industry in pack.industries:
                        name = f"{share.parameter_for(fund, industry)}.{premium_class}"
                        if name not in pack.parameters:
                            raise PackError(
                                file,
                                f"{parameter.name} ({value.region or 'national'}, "
                                f"{value.effective_from})",
                                f"premium class {premium_class!r} needs parameter {name}",
                            )
