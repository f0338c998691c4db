"""Overlay packs: a vendor's changes to a bundled pack, without copying it.

A vendor who computes for one more city, or who has this year's base band before the project
does, should not copy nine TOML files and keep them in step by hand. An overlay is a pack
folder whose ``jurisdiction.toml`` names the pack it builds on::

    extends = "CN"                 # a bundled jurisdiction

    [sources.SRC-VENDOR]           # new source ids (the base's ids cannot be redefined)
    title = "Notice of the provincial HRSS bureau, 2026"

    [regions.CN-SH]                # a region of the base: its names are updated
    en = "Shanghai Municipality"

    [platforms.vendor-ride]        # platforms the rules name, added to the base's
    en = "A ride-hailing platform"

Topic files hold only what changes, under the same names as the base pack:

* ``[parameters.NAME]`` of a parameter the base has: ``values`` (and optionally a new
  ``description``; ``unit``, if given, must be the base's). Each value replaces its region's
  series from its ``effective_from`` on — the rule reforms follow — so earlier values stay,
  and a region without a series of its own keeps the national values before its first one.
* ``[parameters.NAME]`` of a new parameter: a whole parameter (``unit``, ``description``,
  ``values``).
* ``[scheme]`` of a scheme the base has: only ``coverage``, adding or moving the first date
  a region is computed.

``reforms/*.toml`` are added to the base's reforms (a name the base has is replaced). The
result is checked as a whole, exactly like a pack of its own: its schemes' coverage claims
and every reform, the base's included, must hold with the overlay's values.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources.abc import Traversable
from typing import Any

import attrs

from flexsecure.rules.pack_loading import PackReading
from flexsecure.rules.packs import (
    BundledPacks,
    PackContext,
    Region,
    RulePack,
    load_pack,
)
from flexsecure.rules.parameters import Parameter
from flexsecure.rules.schemes import SchemeRules
from flexsecure.values.errors import PackError, RuleNotFound

__all__ = ["load_overlay"]

R = PackReading

_KEYS = {
    "extends",
    "code",
    "currency",
    "locale",
    "names",
    "industries",
    "sources",
    "regions",
    "platforms",
}


def load_overlay(
    folder: Traversable, origin: str, data: Mapping[str, Any], bundled: BundledPacks | None
) -> RulePack:
    """The pack named by ``data["extends"]`` with the overlay in ``folder`` laid over it;
    ``bundled`` finds that pack's folder by code (:func:`flexsecure.load_jurisdiction` passes
    the jurisdiction registry)."""
    label = f"{origin}/jurisdiction.toml"
    R.only(data, _KEYS, label, "")
    extends = R.text(data, "extends", label)
    if not extends.isalpha():
        raise PackError(
            label, "extends", f"must be the code of a bundled pack such as 'CN', got {extends!r}"
        )
    if bundled is None:
        raise PackError(
            label,
            "extends",
            "an overlay is loaded through flexsecure.load_jurisdiction or flexsecure.check_pack, "
            "which find the bundled pack it extends",
        )
    try:
        base = load_pack(bundled(extends.upper()), bundled=bundled)
    except RuleNotFound as error:
        raise PackError(label, "extends", str(error)) from None
    for key in ("code", "currency", "locale"):
        if key in data and data[key] != getattr(base, key):
            R.report(
                PackError(
                    label,
                    key,
                    f"an overlay keeps the {key} of {base.code} ({getattr(base, key)!r}), "
                    f"got {data[key]!r}",
                )
            )
    names = dict(base.names)
    if "names" in data:
        with R.tolerated():
            names.update(R.names({**names, **R.table(data, "names", label)}, label, "names"))
    industries = list(base.industries)
    if "industries" in data:
        with R.tolerated():
            added = R.list_of_names(data, "industries", label)
            industries += [industry for industry in added if industry not in industries]
    sources = dict(base.sources)
    for key, value in R.table(data, "sources", label).items():
        with R.tolerated():
            if key in base.sources:
                raise PackError(
                    label, f"sources.{key}", f"already declared by {base.code}; use a new id"
                )
            sources[key] = R.source(value, label, f"sources.{key}")
    regions = dict(base.regions)
    for code, region_names in R.table(data, "regions", label).items():
        with R.tolerated():
            region = R.region(code, region_names, base.code, label)
            earlier = base.regions.get(code)
            if earlier is not None:
                region = Region(code, {**earlier.names, **region.names}, region.parent)
            regions[code] = region

    platforms = dict(base.platforms)
    for key, table in R.table(data, "platforms", label).items():
        with R.tolerated():
            platforms[key] = R.listed_platform(key, table, label)

    context = PackContext(currency=base.currency, regions=regions, sources=sources)
    parameters = dict(base.parameters)
    schemes = dict(base.schemes)
    for file in R.topic_files(folder, origin):
        stem = file.name.removesuffix(".toml")
        file_label = f"{origin}/{file.name}"
        with R.tolerated():
            topic = R.read_toml(file, file_label)
            R.only(topic, {"scheme", "parameters"}, file_label, "")
            for short_name, spec in R.table(topic, "parameters", file_label).items():
                name = f"{stem}.{short_name}"
                before = R.problem_count()
                with R.tolerated():
                    merged = _parameter_over(
                        parameters.get(name), name, spec, context, file_label, short_name
                    )
                    if R.problem_count() == before:
                        parameters[name] = merged
                if R.problem_count() != before:
                    R.mark_broken(name)
            if "scheme" in topic:
                schemes[stem] = _scheme_over(
                    base.code, stem, schemes.get(stem), topic["scheme"], context, file_label
                )

    pack = attrs.evolve(
        base,
        names=names,
        regions=regions,
        platforms=platforms,
        industries=tuple(industries),
        sources=sources,
        schemes=schemes,
        parameters=parameters,
        reforms=R.reforms(folder, context, origin, base.reforms),
        origin=f"{origin} (extends {base.code})",
    )
    return R.checked(pack, f"{origin}/{{scheme}}.toml")


def _parameter_over(
    existing: Parameter | None,
    name: str,
    spec: Any,
    context: PackContext,
    file: str,
    short_name: str,
) -> Parameter:
    key = f"parameters.{short_name}"
    if existing is None:
        return R.parameter(name, spec, context, file, key)
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with values")
    R.only(spec, {"unit", "description", "values"}, file, key + ".")
    unit = spec.get("unit", existing.unit.value)
    if unit != existing.unit.value:
        raise PackError(
            file,
            key + ".unit",
            f"{name} has unit {existing.unit.value}; an overlay cannot change it, got {unit!r}",
        )
    description = spec.get("description", existing.description)
    own = R.parameter(
        name,
        {"unit": unit, "description": description, "values": spec.get("values")},
        context,
        file,
        key,
    )
    merged = existing.with_values(tuple(v for series in own.series.values() for v in series))
    return Parameter(name, existing.unit, own.description, merged.series)


def _scheme_over(
    code: str,
    stem: str,
    existing: SchemeRules | None,
    spec: Any,
    context: PackContext,
    file: str,
) -> SchemeRules:
    if existing is None:
        raise PackError(
            file,
            "scheme",
            f"{stem} is not a scheme of {code}: an overlay can extend the coverage of its "
            "schemes, not add one",
        )
    if not isinstance(spec, dict):
        raise PackError(file, "scheme", "must be a table")
    R.only(spec, {"coverage"}, file, "scheme.")
    coverage = dict(existing.coverage)
    for region, start in R.table(spec, "coverage", file, "scheme.").items():
        with R.tolerated():
            if region not in context.regions:
                raise PackError(file, f"scheme.coverage.{region}", "unknown region")
            coverage[region] = R.date({"d": start}, "d", file, f"scheme.coverage.{region} ")
    return attrs.evolve(existing, coverage=coverage)
