"""Overlay packs: a vendor's changes to a bundled pack, without copying it.

A vendor who computes for one more city, or who has this year's base band before the project
does, should not copy nine TOML files and keep them in step by hand. An overlay is a pack
folder whose ``jurisdiction.toml`` names the pack it builds on::

    extends = "CN"                 # a bundled jurisdiction

    [sources.SRC-VENDOR]           # new source ids (the base's ids cannot be redefined)
    title = "Notice of the provincial HRSS bureau, 2026"

    [regions.CN-SH]                # a region of the base: its names are updated
    en = "Shanghai Municipality"

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

from flexsecure.rules.packs import (
    Region,
    RulePack,
    _checked,
    _Context,
    _date,
    _list_of_names,
    _mark_broken,
    _names,
    _only,
    _parameter,
    _problem_count,
    _read_toml,
    _reforms,
    _region,
    _report,
    _source,
    _table,
    _text,
    _tolerated,
    _topic_files,
    load_pack,
)
from flexsecure.rules.parameters import Parameter
from flexsecure.rules.schemes import SchemeRules
from flexsecure.values.errors import PackError, RuleNotFound

__all__ = ["load_overlay"]

_KEYS = {"extends", "code", "currency", "locale", "names", "industries", "sources", "regions"}


def load_overlay(folder: Traversable, origin: str, data: Mapping[str, Any]) -> RulePack:
    """The pack named by ``data["extends"]`` with the overlay in ``folder`` laid over it."""
    label = f"{origin}/jurisdiction.toml"
    _only(data, _KEYS, label, "")
    extends = _text(data, "extends", label)
    if not extends.isalpha():
        raise PackError(
            label, "extends", f"must be the code of a bundled pack such as 'CN', got {extends!r}"
        )
    try:
        base = load_pack(extends)
    except RuleNotFound as error:
        raise PackError(label, "extends", str(error)) from None
    for key in ("code", "currency", "locale"):
        if key in data and data[key] != getattr(base, key):
            _report(
                PackError(
                    label,
                    key,
                    f"an overlay keeps the {key} of {base.code} ({getattr(base, key)!r}), "
                    f"got {data[key]!r}",
                )
            )
    names = dict(base.names)
    if "names" in data:
        with _tolerated():
            names.update(_names({**names, **_table(data, "names", label)}, label, "names"))
    industries = list(base.industries)
    if "industries" in data:
        with _tolerated():
            added = _list_of_names(data, "industries", label)
            industries += [industry for industry in added if industry not in industries]
    sources = dict(base.sources)
    for key, value in _table(data, "sources", label).items():
        with _tolerated():
            if key in base.sources:
                raise PackError(
                    label, f"sources.{key}", f"already declared by {base.code}; use a new id"
                )
            sources[key] = _source(value, label, f"sources.{key}")
    regions = dict(base.regions)
    for code, region_names in _table(data, "regions", label).items():
        with _tolerated():
            region = _region(base.code, code, region_names, label)
            earlier = base.regions.get(code)
            if earlier is not None:
                region = Region(code, {**earlier.names, **region.names})
            regions[code] = region

    context = _Context(currency=base.currency, regions=regions, sources=sources)
    parameters = dict(base.parameters)
    schemes = dict(base.schemes)
    for file in _topic_files(folder):
        stem = file.name.removesuffix(".toml")
        file_label = f"{origin}/{file.name}"
        with _tolerated():
            topic = _read_toml(file, file_label)
            _only(topic, {"scheme", "parameters"}, file_label, "")
            for short_name, spec in _table(topic, "parameters", file_label).items():
                name = f"{stem}.{short_name}"
                before = _problem_count()
                with _tolerated():
                    merged = _parameter_over(
                        parameters.get(name), name, spec, context, file_label, short_name
                    )
                    if _problem_count() == before:
                        parameters[name] = merged
                if _problem_count() != before:
                    _mark_broken(name)
            if "scheme" in topic:
                schemes[stem] = _scheme_over(
                    base.code, stem, schemes.get(stem), topic["scheme"], context, file_label
                )

    pack = attrs.evolve(
        base,
        names=names,
        regions=regions,
        industries=tuple(industries),
        sources=sources,
        schemes=schemes,
        parameters=parameters,
        reforms=_reforms(folder, context, origin, base.reforms),
        origin=f"{origin} (extends {base.code})",
    )
    return _checked(pack, f"{origin}/{{scheme}}.toml")


def _parameter_over(
    existing: Parameter | None,
    name: str,
    spec: Any,
    context: _Context,
    file: str,
    short_name: str,
) -> Parameter:
    key = f"parameters.{short_name}"
    if existing is None:
        return _parameter(name, spec, context, file, key)
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with values")
    _only(spec, {"unit", "description", "values"}, file, key + ".")
    unit = spec.get("unit", existing.unit.value)
    if unit != existing.unit.value:
        raise PackError(
            file,
            key + ".unit",
            f"{name} has unit {existing.unit.value}; an overlay cannot change it, got {unit!r}",
        )
    description = spec.get("description", existing.description)
    own = _parameter(
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
    context: _Context,
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
    _only(spec, {"coverage"}, file, "scheme.")
    coverage = dict(existing.coverage)
    for region, start in _table(spec, "coverage", file, "scheme.").items():
        with _tolerated():
            if region not in context.regions:
                raise PackError(file, f"scheme.coverage.{region}", "unknown region")
            coverage[region] = _date({"d": start}, "d", file, f"scheme.coverage.{region} ")
    return attrs.evolve(existing, coverage=coverage)
