"""Reading a scheme (``[scheme]`` of a topic file) and a reform (``reforms/<name>.toml``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flexsecure.rules.pack_problems import Reported, problem_count, report, tolerated
from flexsecure.rules.pack_readers import (
    PackContext,
    citation_of,
    date_of,
    list_of_names,
    only,
    optional_text_of,
    rounding_of,
    table_of,
    text_of,
)
from flexsecure.rules.parameters import Unit
from flexsecure.rules.reforms import Reform, ReformStatus, SetValue
from flexsecure.rules.schemes import (
    PAYERS,
    Enrolling,
    OrderContribution,
    SchemeRules,
    Share,
)
from flexsecure.values.errors import InvalidInput, PackError

__all__ = [
    "INDUSTRY",
    "PARAMETER_TEMPLATE",
    "SCHEME_KEYS",
    "order_contribution_of",
    "reform_of",
    "scheme_of",
    "share_of",
]


INDUSTRY = "{industry}"
PARAMETER_TEMPLATE = re.compile(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*", re.ASCII)


def share_of(spec: Any, file: str, key: str) -> Share:
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with payer and funds")
    only(spec, {"payer", "funds"}, file, key + ".")
    payer = text_of(spec, "payer", file, key + ".")
    if payer not in PAYERS:
        raise PackError(
            file, key + ".payer", f"must be worker, platform or government, got {payer!r}"
        )
    funds = table_of(spec, "funds", file, key + ".")
    if not funds or not all(isinstance(v, str) and v for v in funds.values()):
        raise PackError(file, key + ".funds", "must map fund names to parameter names")
    for fund, name in funds.items():
        if not PARAMETER_TEMPLATE.fullmatch(name.replace(INDUSTRY, "industry")):
            raise PackError(
                file,
                f"{key}.funds.{fund}",
                f"must be a parameter name, with at most the placeholder {INDUSTRY} "
                f"(closed substitution, nothing else is interpreted), got {name!r}",
            )
    return Share(payer, funds)


SCHEME_KEYS = {
    "description",
    "basis",
    "enrolling",
    "funds",
    "shares",
    "rounding",
    "base_floor",
    "base_ceiling",
    "average_wage",
    "in_force",
    "covered_platforms",
    "premium_class",
    "fixed_amount",
    "coverage",
    "parameters",
}


def scheme_of(name: str, spec: Any, context: PackContext, file: str) -> SchemeRules:
    if not isinstance(spec, dict):
        raise PackError(file, "scheme", "must be a table")
    before = problem_count()
    only(spec, SCHEME_KEYS, file, "scheme.")
    basis = text_of(spec, "basis", file, "scheme.")
    if not basis.isidentifier():
        raise PackError(file, "scheme.basis", f"must name a registered basis, got {basis!r}")
    try:
        enrolling = Enrolling(text_of(spec, "enrolling", file, "scheme."))
    except ValueError:
        raise PackError(
            file,
            "scheme.enrolling",
            f"must be one of {', '.join(e.value for e in Enrolling)}, "
            f"got {spec.get('enrolling')!r}",
        ) from None
    shares_spec = spec.get("shares")
    if not isinstance(shares_spec, list) or not shares_spec:
        raise PackError(file, "scheme.shares", "must be a non-empty list of payer shares")
    shares = []
    for index, entry in enumerate(shares_spec):
        with tolerated():
            shares.append(share_of(entry, file, f"scheme.shares[{index}]"))
    payers = [share.payer for share in shares]
    if len(set(payers)) != len(payers):
        report(PackError(file, "scheme.shares", f"each payer may have one share, got {payers}"))
    named = table_of(spec, "parameters", file, "scheme.")
    if not all(isinstance(v, str) and v for v in named.values()):
        report(PackError(file, "scheme.parameters", "must map roles to parameter names"))
    coverage = {}
    for region, start in table_of(spec, "coverage", file, "scheme.").items():
        with tolerated():
            if region not in context.regions:
                raise PackError(file, f"scheme.coverage.{region}", "unknown region")
            coverage[region] = date_of({"d": start}, "d", file, f"scheme.coverage.{region} ")
    rounding = None
    with tolerated():
        rounding = rounding_of(spec.get("rounding"), context, file, "scheme.rounding")
    if problem_count() != before or rounding is None:
        raise Reported()
    return SchemeRules(
        name=name,
        basis=basis,
        enrolling=enrolling,
        funds=list_of_names(spec, "funds", file, "scheme."),
        shares=tuple(shares),
        rounding=rounding,
        base_floor=optional_text_of(spec, "base_floor", file, "scheme."),
        base_ceiling=optional_text_of(spec, "base_ceiling", file, "scheme."),
        average_wage=optional_text_of(spec, "average_wage", file, "scheme."),
        in_force=optional_text_of(spec, "in_force", file, "scheme."),
        covered_platforms=optional_text_of(spec, "covered_platforms", file, "scheme."),
        premium_class=optional_text_of(spec, "premium_class", file, "scheme."),
        fixed_amount=optional_text_of(spec, "fixed_amount", file, "scheme."),
        coverage=coverage,
        description=spec.get("description", ""),
        parameters=named,
    )


def order_contribution_of(spec: Any, file: str, key: str) -> OrderContribution:
    """``[order_contributions.<scheme>]`` of a reform: ``effective_from``, ``enrolling``
    (``automatic`` or ``voluntary``; default automatic) and ``[[...shares]]`` of payers."""
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with effective_from and shares")
    only(spec, {"effective_from", "enrolling", "shares"}, file, key + ".")
    entries = spec.get("shares")
    if not isinstance(entries, list) or not entries:
        raise PackError(file, key + ".shares", "must be a non-empty list of payer shares")
    shares = tuple(share_of(s, file, f"{key}.shares[{i}]") for i, s in enumerate(entries))
    enrolling = spec.get("enrolling", Enrolling.AUTOMATIC.value)
    if enrolling not in (Enrolling.AUTOMATIC.value, Enrolling.VOLUNTARY.value):
        raise PackError(
            file, key + ".enrolling", f"must be automatic or voluntary, got {enrolling!r}"
        )
    try:
        return OrderContribution(
            effective_from=date_of(spec, "effective_from", file, key + "."),
            shares=shares,
            enrolling=Enrolling(enrolling),
        )
    except InvalidInput as error:
        raise PackError(file, key, str(error)) from None


def reform_of(data: Mapping[str, Any], context: PackContext, file: str) -> Reform:
    only(
        data,
        {
            "name",
            "title",
            "status",
            "description",
            "source",
            "evidence",
            "verified",
            "note",
            "article",
            "url",
            "set_values",
            "shares",
            "effective_from",
            "rounding",
            "order_contributions",
        },
        file,
        "",
    )
    citation = citation_of(data, context, file, "(reform)")
    set_values = []
    for index, entry in enumerate(data.get("set_values", [])):
        key = f"set_values[{index}]"
        if not isinstance(entry, dict):
            raise PackError(file, key, "must be a table")
        only(entry, {"parameter", "unit", "region", "effective_from", "value"}, file, key + ".")
        unit_text = entry.get("unit")
        try:
            unit = Unit(unit_text) if unit_text is not None else None
        except ValueError:
            raise PackError(file, key + ".unit", f"unknown unit {unit_text!r}") from None
        if "value" not in entry:
            raise PackError(file, key + ".value", "missing")
        set_values.append(
            SetValue(
                parameter=text_of(entry, "parameter", file, key + "."),
                value=entry["value"],
                effective_from=date_of(entry, "effective_from", file, key + "."),
                region=entry.get("region"),
                unit=unit,
            )
        )
    shares = {
        scheme: tuple(share_of(s, file, f"shares.{scheme}[{i}]") for i, s in enumerate(entries))
        for scheme, entries in table_of(data, "shares", file).items()
    }
    rounding = {
        scheme: rounding_of(spec, context, file, f"rounding.{scheme}")
        for scheme, spec in table_of(data, "rounding", file).items()
    }
    order_contributions = {
        scheme: order_contribution_of(spec, file, f"order_contributions.{scheme}")
        for scheme, spec in table_of(data, "order_contributions", file).items()
    }
    status_text = text_of(data, "status", file)
    try:
        status = ReformStatus(status_text)
    except ValueError:
        raise PackError(file, "status", f"must be scenario or law, got {status_text!r}") from None
    return Reform(
        name=text_of(data, "name", file),
        title=text_of(data, "title", file),
        status=status,
        description=data.get("description", ""),
        set_values=tuple(set_values),
        shares=shares,
        citation=citation,
        rounding=rounding,
        order_contributions=order_contributions,
        effective_from=(
            date_of(data, "effective_from", file, "") if "effective_from" in data else None
        ),
    )
