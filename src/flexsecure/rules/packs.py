"""Rule packs: load a folder of TOML files into a validated, immutable :class:`RulePack`.

A pack is data, never code. Its folder holds ``jurisdiction.toml`` (code, currency, locale,
names, regions, industries, sources) and one file per topic (``pension.toml``,
``retirement.toml``, …). A topic file may describe a scheme in its ``[scheme]`` table and holds
parameters under ``[parameters.NAME]``; the parameter's full name is ``<file stem>.<NAME>``.
Reforms shipped with the pack live in ``reforms/<name>.toml``. The format is documented in
``docs/packs.rst``.

Loading checks everything — types, units, dates in order and without overlaps, regions
declared, sources present and known, schemes referring to parameters that exist with the right
unit, coverage claims backed by values — and stops at the first problem with a
:class:`~flexsecure.values.errors.PackError` naming the file, the key and the problem.
"""

from __future__ import annotations

import copyreg
import datetime as dt
import tomllib
from collections.abc import Callable, Hashable, Mapping
from decimal import Decimal, InvalidOperation
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from flexsecure.rules.parameters import Parameter, ParameterValue, Unit, Value, chain_series
from flexsecure.rules.reforms import Reform, ReformStatus, SetValue, coerce_reform_decimal
from flexsecure.rules.schemes import (
    ALL_PLATFORMS,
    BASE,
    EACH_PAYER,
    ORDERS,
    PAYERS,
    STANDARD_CLASS,
    Enrolling,
    RoundingRule,
    SchemeRules,
    Share,
)
from flexsecure.values.checks import is_date, is_region_code
from flexsecure.values.citations import Citation, Evidence
from flexsecure.values.errors import InvalidInput, PackError, RuleNotFound
from flexsecure.values.money import Money, Rounding, minor_unit

__all__ = ["ListedPlatform", "Region", "RulePack", "load_pack"]

T = TypeVar("T")

_MEMO_LIMIT = 200_000
"""Most resolved values a pack keeps; past it the memo starts again (plenty for every
region × month × base choice a population run touches)."""


def _mapping_proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """Rebuild a read-only mapping on unpickling (see the ``copyreg`` line below)."""
    return MappingProxyType(items)


# Packs, parameters and reforms keep read-only mappings; the standard library cannot pickle
# them, so a pack could not reach a process pool or a Dask worker. Pickle them as their
# items, rebuilt read-only: this only lets pickles succeed that failed before.
copyreg.pickle(MappingProxyType, lambda proxy: (_mapping_proxy, (dict(proxy),)))


def _freeze_names(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Region:
    """A region of a jurisdiction: ISO 3166-2 code and names by locale.

    A city has no ISO code of its own: it is named under its subdivision (``CN-GD-SZ``) and
    ``parent`` is that subdivision's code; ``None`` for a subdivision itself.
    """

    code: str
    names: Mapping[str, str] = attrs.field(eq=False, converter=_freeze_names)
    parent: str | None = None

    def name(self, locale: str = "en") -> str:
        return self.names.get(locale) or self.names.get(locale.split("_")[0]) or self.code


@attrs.frozen
class ListedPlatform:
    """A platform the jurisdiction's rules name (e.g. in a list of covered platforms): its
    registry key, which a :class:`~flexsecure.facts.engagements.Platform` gives as
    ``registry_key``, and its names by locale."""

    key: str
    names: Mapping[str, str] = attrs.field(eq=False, converter=_freeze_names)

    def name(self, locale: str = "en") -> str:
        return self.names.get(locale) or self.names.get(locale.split("_")[0]) or self.key


def _freeze(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class RulePack:
    """A validated jurisdiction's rules: regions, schemes, parameters, sources, reforms."""

    code: str
    currency: str
    locale: str
    names: Mapping[str, str] = attrs.field(converter=_freeze, eq=False)
    regions: Mapping[str, Region] = attrs.field(converter=_freeze, eq=False)
    industries: tuple[str, ...]
    sources: Mapping[str, Citation] = attrs.field(converter=_freeze, eq=False)
    schemes: Mapping[str, SchemeRules] = attrs.field(converter=_freeze, eq=False)
    parameters: Mapping[str, Parameter] = attrs.field(converter=_freeze, eq=False)
    reforms: Mapping[str, Reform] = attrs.field(converter=_freeze, eq=False)
    origin: str = ""
    applied_reforms: tuple[str, ...] = ()
    platforms: Mapping[str, ListedPlatform] = attrs.field(
        factory=dict, converter=_freeze, eq=False, kw_only=True
    )
    """The platforms the pack's rules name, by registry key (``[platforms.KEY]``)."""
    _memo: dict[Hashable, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def memo(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``, computed once per ``key`` for this pack.

        Calculations resolve the same parameters for every worker of a month; the pack is
        immutable, so what they resolve can be kept beside it. A cache, never state.
        """
        try:
            result: T = self._memo[key]
        except KeyError:
            if len(self._memo) >= _MEMO_LIMIT:
                self._memo.clear()  # bounded: a long-running service never grows past it
            result = self._memo[key] = build()
        return result

    def __getstate__(self) -> dict[str, Any]:
        """Pickle the rules, not the memo: a cache is rebuilt where the pack is used."""
        return {f.name: getattr(self, f.name) for f in attrs.fields(RulePack) if f.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_memo", {})

    # -- lookups --------------------------------------------------------------------------
    def parameter(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            prefix = name.split(".")[0]
            similar = sorted(n for n in self.parameters if n.startswith(prefix + "."))
            hint = f"; parameters of {prefix}: {', '.join(similar)}" if similar else ""
            raise RuleNotFound(f"the {self.code} pack has no parameter {name!r}{hint}") from None

    def value(self, name: str, region: str | None, on: dt.date) -> ParameterValue:
        return self.parameter(name).at(region, on)

    def scheme(self, name: str) -> SchemeRules:
        try:
            return self.schemes[name]
        except KeyError:
            raise InvalidInput(
                f"scheme must be one of {', '.join(self.schemes)} in the {self.code} pack, "
                f"got {name!r}"
            ) from None

    def region(self, code: str) -> Region:
        try:
            return self.regions[code]
        except KeyError:
            raise InvalidInput(
                f"region {code!r} is not a region of the {self.code} pack "
                f"(e.g. {', '.join(list(self.regions)[:4])})"
            ) from None

    def check_industry(self, industry: str, where: str) -> None:
        if industry not in self.industries:
            raise InvalidInput(
                f"industry must be one of {', '.join(self.industries)}, got {industry!r} "
                f"for {where}"
            )

    def reform(self, name: str) -> Reform:
        try:
            return self.reforms[name]
        except KeyError:
            raise RuleNotFound(
                f"the {self.code} pack has no bundled reform {name!r}; it has: "
                f"{', '.join(self.reforms) or 'none'}"
            ) from None

    # -- reforms --------------------------------------------------------------------------
    def with_reform(self, reform: Reform) -> RulePack:
        """A new pack with ``reform`` applied; this pack is untouched."""
        file = f"reform {reform.name}"
        parameters = dict(self.parameters)
        by_parameter: dict[str, list[ParameterValue]] = {}
        for index, set_value in enumerate(reform.set_values):
            key = f"set_values[{index}] ({set_value.parameter})"
            existing = parameters.get(set_value.parameter)
            unit = existing.unit if existing is not None else set_value.unit
            if unit is None:
                raise PackError(file, key, "a new parameter needs a unit")
            if set_value.region is not None and set_value.region not in self.regions:
                raise PackError(file, key, f"unknown region {set_value.region!r}")
            raw = (
                set_value.value
                if Unit(unit) in (Unit.NAME, Unit.NAMES)
                else coerce_reform_decimal(set_value.value)
            )
            value = _parse_value(raw, Unit(unit), self.currency, file, key)
            by_parameter.setdefault(set_value.parameter, []).append(
                ParameterValue(
                    name=set_value.parameter,
                    region=set_value.region,
                    effective_from=set_value.effective_from,
                    value=value,
                    citation=reform.value_citation(set_value),
                )
            )
        for name, values in by_parameter.items():
            existing = parameters.get(name)
            if existing is None:
                unit = next(v.unit for v in reform.set_values if v.parameter == name)
                assert unit is not None
                existing = Parameter(name, Unit(unit), f"set by reform {reform.name}", {})
            parameters[name] = existing.with_values(tuple(values))
        schemes = dict(self.schemes)
        for scheme_name, shares in reform.shares.items():
            if scheme_name not in schemes:
                raise PackError(file, f"shares.{scheme_name}", "unknown scheme")
            schemes[scheme_name] = attrs.evolve(schemes[scheme_name], shares=shares)
        for scheme_name, rounding in reform.rounding.items():
            if scheme_name not in schemes:
                raise PackError(file, f"rounding.{scheme_name}", "unknown scheme")
            schemes[scheme_name] = attrs.evolve(schemes[scheme_name], rounding=rounding)
        pack = attrs.evolve(
            self,
            parameters=parameters,
            schemes=schemes,
            applied_reforms=(*self.applied_reforms, reform.name),
        )
        for scheme in pack.schemes.values():
            _check_scheme(pack, scheme, file)
        return pack


# ---------------------------------------------------------------------------------------
# loading


def load_pack(source: str | Path | Traversable) -> RulePack:
    """Load and validate the pack in folder ``source`` (a path, or package data).

    Bundled packs are found by code through :func:`flexsecure.load_jurisdiction`; this
    function only reads folders.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_dir():
            raise PackError(str(path), "(folder)", "is not a folder holding a rule pack")
        return _load_folder(path, str(path))
    if not isinstance(source, Traversable) or not source.is_dir():
        raise PackError(str(source), "(folder)", "is not a folder holding a rule pack")
    return _load_folder(source, f"<bundled {source.name.upper()} pack>")


def _read_toml(file: Traversable, label: str) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise PackError(label, "(syntax)", f"not valid TOML: {error}") from None
    except UnicodeDecodeError:
        raise PackError(label, "(encoding)", "not UTF-8 text") from None


def _load_folder(folder: Traversable, origin: str) -> RulePack:
    main = folder.joinpath("jurisdiction.toml")
    if not main.is_file():
        raise PackError(f"{origin}/jurisdiction.toml", "(file)", "missing")
    label = f"{origin}/jurisdiction.toml"
    data = _read_toml(main, label)
    _only(
        data,
        {
            "code",
            "currency",
            "locale",
            "names",
            "schemes",
            "industries",
            "sources",
            "regions",
            "platforms",
        },
        label,
        "",
    )
    code = _text(data, "code", label)
    currency = _text(data, "currency", label)
    try:
        minor_unit(currency)
    except InvalidInput:
        raise PackError(label, "currency", f"not an ISO 4217 code: {currency!r}") from None
    locale = _text(data, "locale", label)
    names = _names(_table(data, "names", label), label, "names")
    scheme_names = _list_of_names(data, "schemes", label)
    industries = _list_of_names(data, "industries", label)
    sources = {
        key: _source(value, label, f"sources.{key}")
        for key, value in _table(data, "sources", label).items()
    }
    regions_table = _table(data, "regions", label)
    if not regions_table:
        raise PackError(label, "regions", "a pack needs at least one region")
    regions = {
        region_code: _region(region_code, table, code, label)
        for region_code, table in regions_table.items()
    }
    for region in regions.values():
        if region.parent is not None and regions.get(region.parent, region).parent is not None:
            raise PackError(
                label,
                f"regions.{region.code}.parent",
                f"{region.parent!r} is not a subdivision declared in this pack",
            )

    platforms = {
        key: _listed_platform(key, table, label)
        for key, table in _table(data, "platforms", label).items()
    }

    context = _Context(currency=currency, regions=regions, sources=sources)
    parameters: dict[str, Parameter] = {}
    schemes: dict[str, SchemeRules] = {}
    topic_files = sorted(
        (f for f in folder.iterdir() if f.name.endswith(".toml") and f.name != "jurisdiction.toml"),
        key=lambda f: f.name,
    )
    for file in topic_files:
        stem = file.name.removesuffix(".toml")
        file_label = f"{origin}/{file.name}"
        topic = _read_toml(file, file_label)
        _only(topic, {"scheme", "parameters"}, file_label, "")
        for short_name, spec in _table(topic, "parameters", file_label).items():
            name = f"{stem}.{short_name}"
            parameters[name] = _parameter(
                name, spec, context, file_label, f"parameters.{short_name}"
            )
        if "scheme" in topic:
            schemes[stem] = _scheme(stem, topic["scheme"], context, file_label)
    for scheme_name in scheme_names:
        if scheme_name not in schemes:
            raise PackError(
                label, "schemes", f"{scheme_name}.toml with a [scheme] table is missing"
            )
    for scheme_name in schemes:
        if scheme_name not in scheme_names:
            raise PackError(
                f"{origin}/{scheme_name}.toml", "scheme", "not listed in jurisdiction.toml schemes"
            )
    schemes = {name: schemes[name] for name in scheme_names}

    reforms: dict[str, Reform] = {}
    reform_folder = folder.joinpath("reforms")
    if reform_folder.is_dir():
        for file in sorted(reform_folder.iterdir(), key=lambda f: f.name):
            if file.name.endswith(".toml"):
                reform_label = f"{origin}/reforms/{file.name}"
                reform = _reform(_read_toml(file, reform_label), context, reform_label)
                reforms[reform.name] = reform

    pack = RulePack(
        code=code,
        currency=currency,
        locale=locale,
        names=names,
        regions=regions,
        industries=industries,
        sources=sources,
        schemes=schemes,
        parameters=parameters,
        reforms=reforms,
        origin=origin,
        platforms=platforms,
    )
    for scheme in schemes.values():
        _check_scheme(pack, scheme, f"{origin}/{scheme.name}.toml")
    for reform in reforms.values():
        pack.with_reform(reform)  # a bundled reform must apply cleanly
    return pack


@attrs.frozen
class _Context:
    currency: str
    regions: Mapping[str, Region]
    sources: Mapping[str, Citation]


# -- small typed readers -----------------------------------------------------------------


def _only(table: Mapping[str, Any], allowed: set[str], file: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            raise PackError(
                file, f"{prefix}{key}", f"unknown key; allowed here: {', '.join(sorted(allowed))}"
            )


def _text(table: Mapping[str, Any], key: str, file: str, prefix: str = "") -> str:
    if key not in table:
        raise PackError(file, prefix + key, "missing")
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise PackError(file, prefix + key, f"must be a non-empty string, got {value!r}")
    return value


def _optional_text(table: Mapping[str, Any], key: str, file: str, prefix: str = "") -> str | None:
    return _text(table, key, file, prefix) if key in table else None


def _table(table: Mapping[str, Any], key: str, file: str, prefix: str = "") -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise PackError(file, prefix + key, f"must be a table, got {type(value).__name__}")
    return value


def _region(region_code: str, table: object, country: str, file: str) -> Region:
    """A ``[regions.X]`` table: names by locale, and ``parent`` for a city."""
    key = f"regions.{region_code}"
    own = region_code == country or region_code.startswith(country + "-")
    if not own or not is_region_code(region_code):
        raise PackError(
            file,
            key,
            f"code must be {country}-XX (ISO 3166-2), {country}-XX-YYY (a city) or {country} "
            "(a jurisdiction without regions)",
        )
    if not isinstance(table, dict):
        raise PackError(file, key, "must be a table of names")
    names = {locale: name for locale, name in table.items() if locale != "parent"}
    parent = table.get("parent")
    city = region_code.count("-") == 2
    if parent is None and city:
        raise PackError(file, key + ".parent", "a city code needs the parent subdivision")
    if parent is not None and (not city or region_code.rpartition("-")[0] != parent):
        raise PackError(
            file, key + ".parent", f"{parent!r} is not the subdivision part of {region_code}"
        )
    return Region(region_code, _names(names, file, key), parent)


def _listed_platform(key: str, table: object, file: str) -> ListedPlatform:
    """A ``[platforms.KEY]`` table: the names of a platform the pack's rules name."""
    where = f"platforms.{key}"
    _name_value(key, file, where)
    if key == ALL_PLATFORMS:
        raise PackError(file, where, f"{ALL_PLATFORMS!r} means every platform; pick another key")
    if not isinstance(table, dict):
        raise PackError(file, where, "must be a table of names by locale")
    return ListedPlatform(key, _names(table, file, where))


def _names(table: Mapping[str, Any], file: str, key: str) -> dict[str, str]:
    if "en" not in table:
        raise PackError(file, f"{key}.en", "an English name is required")
    return {locale: _text(table, locale, file, f"{key}.") for locale in table}


def _list_of_names(
    table: Mapping[str, Any], key: str, file: str, prefix: str = ""
) -> tuple[str, ...]:
    value = table.get(key)
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(item, str) and item for item in value)
    ):
        raise PackError(file, prefix + key, "must be a non-empty list of names")
    if len(set(value)) != len(value):
        raise PackError(file, prefix + key, "lists a name twice")
    return tuple(value)


def _date(table: Mapping[str, Any], key: str, file: str, prefix: str) -> dt.date:
    value = table.get(key)
    if not is_date(value):
        raise PackError(
            file, prefix + key, f"must be a TOML date such as 2025-07-01, got {value!r}"
        )
    assert isinstance(value, dt.date)
    return value


def _source(spec: Any, file: str, key: str) -> Citation:
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with a title")
    _only(spec, {"title", "url", "note"}, file, key + ".")
    return Citation(
        title=_text(spec, "title", file, key + "."),
        url=_optional_text(spec, "url", file, key + "."),
        note=_optional_text(spec, "note", file, key + "."),
        source_id=key.removeprefix("sources."),
    )


def _citation(spec: Mapping[str, Any], context: _Context, file: str, key: str) -> Citation:
    source_id = _text(spec, "source", file, key + ".")
    if source_id not in context.sources:
        raise PackError(
            file, key + ".source", f"unknown source {source_id!r}; declare it under [sources]"
        )
    source = context.sources[source_id]
    evidence_text = _text(spec, "evidence", file, key + ".")
    try:
        evidence = Evidence(evidence_text)
    except ValueError:
        raise PackError(
            file,
            key + ".evidence",
            f"must be one of {', '.join(e.value for e in Evidence)}, got {evidence_text!r}",
        ) from None
    verified = spec.get("verified")
    if not isinstance(verified, bool):
        raise PackError(file, key + ".verified", f"must be true or false, got {verified!r}")
    if verified and evidence is Evidence.UNVERIFIED:
        raise PackError(file, key + ".verified", "an unverified figure cannot be verified = true")
    return Citation(
        title=source.title,
        url=_optional_text(spec, "url", file, key + ".") or source.url,
        article=_optional_text(spec, "article", file, key + "."),
        evidence=evidence,
        verified=verified,
        note=_optional_text(spec, "note", file, key + "."),
        source_id=source_id,
    )


def _decimal(raw: Any, file: str, key: str) -> Decimal:
    if isinstance(raw, float):
        raise PackError(file, key, f'write decimals as strings ("{raw}"), not TOML floats')
    if isinstance(raw, bool) or not isinstance(raw, (str, int, Decimal)):
        raise PackError(file, key, f"must be a decimal string or an integer, got {raw!r}")
    try:
        value = Decimal(raw) if not isinstance(raw, str) else Decimal(raw.strip())
    except InvalidOperation:
        raise PackError(file, key, f"not a decimal number: {raw!r}") from None
    if not value.is_finite() or value < 0:
        raise PackError(file, key, f"must be a finite number >= 0, got {raw!r}")
    return value


def _parse_value(raw: Any, unit: Unit, currency: str, file: str, key: str) -> Value:
    if unit is Unit.MONEY:
        if isinstance(raw, Money):
            if raw.currency != currency:
                raise PackError(file, key, f"must be in {currency}, got {raw!r}")
            raw = raw.amount
        return Money(_decimal(raw, file, key), currency)
    if unit is Unit.RATE:
        rate = _decimal(raw, file, key)
        if rate > 1:
            raise PackError(file, key, f"a rate is a fraction between 0 and 1, got {raw!r}")
        return rate
    if unit is Unit.DECIMAL:
        return _decimal(raw, file, key)
    if unit is Unit.INTEGER:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            raise PackError(file, key, f"must be a whole number >= 0, got {raw!r}")
        return raw
    if unit is Unit.FLAG:
        if not isinstance(raw, bool):
            raise PackError(file, key, f"must be true or false, got {raw!r}")
        return raw
    if unit is Unit.NAME:
        return _name_value(raw, file, key)
    if unit is Unit.NAMES:
        if not isinstance(raw, (list, tuple)) or not raw:
            raise PackError(
                file, key, f'must be a non-empty list of names such as ["monthly"], got {raw!r}'
            )
        names = tuple(_name_value(item, file, f"{key}[{i}]") for i, item in enumerate(raw))
        if len(set(names)) != len(names):
            raise PackError(file, key, f"lists a name twice: {list(names)!r}")
        return names
    if not isinstance(raw, Mapping) or not raw:
        raise PackError(file, key, 'must be a non-empty table such as { 60 = "139" }')
    table: dict[int, Decimal] = {}
    for row, cell in raw.items():
        try:
            index = int(row)
        except (TypeError, ValueError):
            raise PackError(file, f"{key}.{row}", "table keys must be whole numbers") from None
        table[index] = _decimal(cell, file, f"{key}.{row}")
    return MappingProxyType(dict(sorted(table.items())))


def _name_value(raw: Any, file: str, key: str) -> str:
    """A name: lower-case letters, digits and underscores, starting with a letter."""
    if (
        not isinstance(raw, str)
        or not raw
        or not raw[0].isascii()
        or not raw[0].isalpha()
        or not all(c.isascii() and (c.isalnum() or c == "_") for c in raw)
        or raw != raw.lower()
    ):
        raise PackError(file, key, f"must be a name such as 'monthly' (a-z, 0-9, _), got {raw!r}")
    return raw


_VALUE_KEYS = {
    "region",
    "effective_from",
    "value",
    "source",
    "evidence",
    "verified",
    "note",
    "article",
    "url",
}


def _parameter(name: str, spec: Any, context: _Context, file: str, key: str) -> Parameter:
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with unit, description and values")
    _only(spec, {"unit", "description", "values"}, file, key + ".")
    unit_text = _text(spec, "unit", file, key + ".")
    try:
        unit = Unit(unit_text)
    except ValueError:
        raise PackError(
            file,
            key + ".unit",
            f"must be one of {', '.join(u.value for u in Unit)}, got {unit_text!r}",
        ) from None
    description = _text(spec, "description", file, key + ".")
    values = spec.get("values")
    if not isinstance(values, list) or not values:
        raise PackError(file, key + ".values", "must be a non-empty list of dated values")
    series: dict[str | None, list[ParameterValue]] = {}
    for index, entry in enumerate(values):
        entry_key = f"{key}.values[{index}]"
        if not isinstance(entry, dict):
            raise PackError(file, entry_key, "must be a table")
        _only(entry, _VALUE_KEYS, file, entry_key + ".")
        region = entry.get("region")
        if region is not None and region not in context.regions:
            raise PackError(file, entry_key + ".region", f"unknown region {region!r}")
        effective_from = _date(entry, "effective_from", file, entry_key + ".")
        if "value" not in entry:
            raise PackError(file, entry_key + ".value", "missing")
        value = _parse_value(entry["value"], unit, context.currency, file, entry_key + ".value")
        citation = _citation(entry, context, file, entry_key)
        earlier = series.setdefault(region, [])
        if earlier and effective_from <= earlier[-1].effective_from:
            problem = "overlaps" if effective_from == earlier[-1].effective_from else "is before"
            raise PackError(
                file,
                entry_key + ".effective_from",
                f"{effective_from} {problem} the previous value for "
                f"{region or 'the national series'} ({earlier[-1].effective_from}); "
                "list values in date order, one per date",
            )
        earlier.append(ParameterValue(name, region, effective_from, value, citation))
    return Parameter(name, unit, description, chain_series(series))


def _rounding(spec: Any, context: _Context, file: str, key: str) -> RoundingRule:
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with mode, unit and a source")
    _only(
        spec,
        {"method", "mode", "unit", "source", "evidence", "verified", "note", "article", "url"},
        file,
        key + ".",
    )
    method = spec.get("method", EACH_PAYER)
    if not isinstance(method, str) or not method.isidentifier():
        raise PackError(file, key + ".method", f"must name a rounding rule, got {method!r}")
    mode_text = _text(spec, "mode", file, key + ".")
    try:
        mode = Rounding(mode_text)
    except ValueError:
        raise PackError(
            file,
            key + ".mode",
            f"must be one of {', '.join(r.value for r in Rounding)}, got {mode_text!r}",
        ) from None
    unit = _decimal(spec.get("unit"), file, key + ".unit")
    if unit <= 0 or unit < minor_unit(context.currency):
        raise PackError(file, key + ".unit", f"must be at least one minor unit, got {unit}")
    return RoundingRule(mode, unit, _citation(spec, context, file, key), method)


def _share(spec: Any, file: str, key: str) -> Share:
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with payer and funds")
    _only(spec, {"payer", "funds"}, file, key + ".")
    payer = _text(spec, "payer", file, key + ".")
    if payer not in PAYERS:
        raise PackError(
            file, key + ".payer", f"must be worker, platform or government, got {payer!r}"
        )
    funds = _table(spec, "funds", file, key + ".")
    if not funds or not all(isinstance(v, str) and v for v in funds.values()):
        raise PackError(file, key + ".funds", "must map fund names to parameter names")
    return Share(payer, funds)


_SCHEME_KEYS = {
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
    "coverage",
    "parameters",
}


def _scheme(name: str, spec: Any, context: _Context, file: str) -> SchemeRules:
    if not isinstance(spec, dict):
        raise PackError(file, "scheme", "must be a table")
    _only(spec, _SCHEME_KEYS, file, "scheme.")
    basis = _text(spec, "basis", file, "scheme.")
    if not basis.isidentifier():
        raise PackError(file, "scheme.basis", f"must name a registered basis, got {basis!r}")
    try:
        enrolling = Enrolling(_text(spec, "enrolling", file, "scheme."))
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
    shares = tuple(
        _share(entry, file, f"scheme.shares[{index}]") for index, entry in enumerate(shares_spec)
    )
    payers = [share.payer for share in shares]
    if len(set(payers)) != len(payers):
        raise PackError(file, "scheme.shares", f"each payer may have one share, got {payers}")
    named = _table(spec, "parameters", file, "scheme.")
    if not all(isinstance(v, str) and v for v in named.values()):
        raise PackError(file, "scheme.parameters", "must map roles to parameter names")
    coverage = {}
    for region, start in _table(spec, "coverage", file, "scheme.").items():
        if region not in context.regions:
            raise PackError(file, f"scheme.coverage.{region}", "unknown region")
        coverage[region] = _date({"d": start}, "d", file, f"scheme.coverage.{region} ")
    return SchemeRules(
        name=name,
        basis=basis,
        enrolling=enrolling,
        funds=_list_of_names(spec, "funds", file, "scheme."),
        shares=shares,
        rounding=_rounding(spec.get("rounding"), context, file, "scheme.rounding"),
        base_floor=_optional_text(spec, "base_floor", file, "scheme."),
        base_ceiling=_optional_text(spec, "base_ceiling", file, "scheme."),
        average_wage=_optional_text(spec, "average_wage", file, "scheme."),
        in_force=_optional_text(spec, "in_force", file, "scheme."),
        covered_platforms=_optional_text(spec, "covered_platforms", file, "scheme."),
        premium_class=_optional_text(spec, "premium_class", file, "scheme."),
        coverage=coverage,
        description=spec.get("description", ""),
        parameters=named,
    )


def _check_scheme(pack: RulePack, scheme: SchemeRules, file: str) -> None:
    """Cross-checks that need the whole pack: references, units, coverage claims."""

    def need(key: str, name: str | None, unit: Unit) -> Parameter:
        if name is None:
            raise PackError(file, f"scheme.{key}", f"required for a {scheme.basis} scheme")
        parameter = pack.parameters.get(name)
        if parameter is None:
            raise PackError(file, f"scheme.{key}", f"refers to unknown parameter {name!r}")
        if parameter.unit is not unit:
            raise PackError(
                file,
                f"scheme.{key}",
                f"{name} has unit {parameter.unit.value}, expected {unit.value}",
            )
        return parameter

    required: list[tuple[str, Parameter]] = []
    rate_unit: Unit | None = None  # a basis registered by a jurisdiction checks its own units
    if scheme.basis == BASE:
        required.append(("base_floor", need("base_floor", scheme.base_floor, Unit.MONEY)))
        required.append(("base_ceiling", need("base_ceiling", scheme.base_ceiling, Unit.MONEY)))
        if scheme.average_wage is not None:
            need("average_wage", scheme.average_wage, Unit.MONEY)
        rate_unit = Unit.RATE
    elif scheme.basis == ORDERS:
        required.append(("in_force", need("in_force", scheme.in_force, Unit.FLAG)))
        if scheme.covered_platforms is not None:
            parameter = need("covered_platforms", scheme.covered_platforms, Unit.NAMES)
            _check_covered_platforms(pack, parameter, file)
            required.append(("covered_platforms", parameter))
        if scheme.premium_class is not None:
            parameter = need("premium_class", scheme.premium_class, Unit.NAME)
            _check_premium_classes(pack, scheme, parameter, file)
            required.append(("premium_class", parameter))
        rate_unit = Unit.MONEY
    if scheme.basis != ORDERS and (scheme.covered_platforms or scheme.premium_class):
        raise PackError(
            file, "scheme", "covered_platforms and premium_class belong to an orders scheme"
        )
    for role, name in scheme.parameters.items():
        key = f"scheme.parameters.{role}"
        if name not in pack.parameters:
            raise PackError(file, key, f"refers to unknown parameter {name!r}")
        required.append((key, pack.parameters[name]))
    for index, share in enumerate(scheme.shares):
        for fund, template in share.funds.items():
            if fund not in scheme.funds:
                raise PackError(file, f"scheme.shares[{index}].funds.{fund}", "unknown fund")
            names = (
                [share.parameter_for(fund, i) for i in pack.industries]
                if "{industry}" in template
                else [template]
            )
            for name in names:
                key = f"scheme.shares[{index}].funds.{fund}"
                if rate_unit is None:
                    if name not in pack.parameters:
                        raise PackError(file, key, f"refers to unknown parameter {name!r}")
                    required.append((key, pack.parameters[name]))
                else:
                    required.append((key, need(key, name, rate_unit)))
    for region, start in scheme.coverage.items():
        for key, parameter in required:
            try:
                parameter.at(region, start)
            except RuleNotFound as error:
                raise PackError(
                    file,
                    f"scheme.coverage.{region}",
                    f"claims {scheme.name} from {start}, but {key}: {error}",
                ) from None


def _check_covered_platforms(pack: RulePack, parameter: Parameter, file: str) -> None:
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


def _check_premium_classes(
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


def _reform(data: Mapping[str, Any], context: _Context, file: str) -> Reform:
    _only(
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
            "rounding",
        },
        file,
        "",
    )
    citation = _citation(data, context, file, "(reform)")
    set_values = []
    for index, entry in enumerate(data.get("set_values", [])):
        key = f"set_values[{index}]"
        if not isinstance(entry, dict):
            raise PackError(file, key, "must be a table")
        _only(entry, {"parameter", "unit", "region", "effective_from", "value"}, file, key + ".")
        unit_text = entry.get("unit")
        try:
            unit = Unit(unit_text) if unit_text is not None else None
        except ValueError:
            raise PackError(file, key + ".unit", f"unknown unit {unit_text!r}") from None
        if "value" not in entry:
            raise PackError(file, key + ".value", "missing")
        set_values.append(
            SetValue(
                parameter=_text(entry, "parameter", file, key + "."),
                value=entry["value"],
                effective_from=_date(entry, "effective_from", file, key + "."),
                region=entry.get("region"),
                unit=unit,
            )
        )
    shares = {
        scheme: tuple(_share(s, file, f"shares.{scheme}[{i}]") for i, s in enumerate(entries))
        for scheme, entries in _table(data, "shares", file).items()
    }
    rounding = {
        scheme: _rounding(spec, context, file, f"rounding.{scheme}")
        for scheme, spec in _table(data, "rounding", file).items()
    }
    status_text = _text(data, "status", file)
    try:
        status = ReformStatus(status_text)
    except ValueError:
        raise PackError(file, "status", f"must be scenario or law, got {status_text!r}") from None
    return Reform(
        name=_text(data, "name", file),
        title=_text(data, "title", file),
        status=status,
        description=data.get("description", ""),
        set_values=tuple(set_values),
        shares=shares,
        citation=citation,
        rounding=rounding,
    )
