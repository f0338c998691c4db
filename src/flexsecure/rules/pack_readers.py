"""The typed readers of the pack format: each reads one kind of TOML value (a text, a table, a
date, a source, a parameter and its dated values, a rounding rule) and raises a
:class:`~flexsecure.values.errors.PackError` naming the file and the key."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any

import attrs

from flexsecure.rules.pack_problems import problem_count, report, tolerated
from flexsecure.rules.parameters import Parameter, ParameterValue, Unit, Value, chain_series
from flexsecure.rules.schemes import (
    ALL_PLATFORMS,
    EACH_PAYER,
    RoundingRule,
)
from flexsecure.values.checks import is_date, is_region_code
from flexsecure.values.citations import Citation, Evidence
from flexsecure.values.errors import PackError
from flexsecure.values.money import Money, Rounding, minor_unit

__all__ = [
    "VALUE_KEYS",
    "ListedPlatform",
    "PackContext",
    "Region",
    "citation_of",
    "date_of",
    "dated_value",
    "decimal_of",
    "list_of_names",
    "listed_platform_of",
    "name_value_of",
    "names_of",
    "only",
    "optional_text_of",
    "parameter_of",
    "parse_value",
    "region_of",
    "rounding_of",
    "source_of",
    "table_of",
    "text_of",
]


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


@attrs.frozen
class PackContext:
    """What the readers of a pack's topic files need from its ``jurisdiction.toml``."""

    currency: str
    regions: Mapping[str, Region]
    sources: Mapping[str, Citation]


# -- small typed readers -----------------------------------------------------------------


def only(table: Mapping[str, Any], allowed: set[str], file: str, prefix: str) -> None:
    for key in table:
        if key not in allowed:
            report(
                PackError(
                    file,
                    f"{prefix}{key}",
                    f"unknown key; allowed here: {', '.join(sorted(allowed))}",
                )
            )


def text_of(table: Mapping[str, Any], key: str, file: str, prefix: str = "") -> str:
    if key not in table:
        raise PackError(file, prefix + key, "missing")
    value = table[key]
    if not isinstance(value, str) or not value.strip():
        raise PackError(file, prefix + key, f"must be a non-empty string, got {value!r}")
    return value


def optional_text_of(table: Mapping[str, Any], key: str, file: str, prefix: str = "") -> str | None:
    return text_of(table, key, file, prefix) if key in table else None


def table_of(table: Mapping[str, Any], key: str, file: str, prefix: str = "") -> dict[str, Any]:
    value = table.get(key, {})
    if not isinstance(value, dict):
        raise PackError(file, prefix + key, f"must be a table, got {type(value).__name__}")
    return value


def region_of(region_code: str, table: object, country: str, file: str) -> Region:
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
    return Region(region_code, names_of(names, file, key), parent)


def listed_platform_of(key: str, table: object, file: str) -> ListedPlatform:
    """A ``[platforms.KEY]`` table: the names of a platform the pack's rules name."""
    where = f"platforms.{key}"
    name_value_of(key, file, where)
    if key == ALL_PLATFORMS:
        raise PackError(file, where, f"{ALL_PLATFORMS!r} means every platform; pick another key")
    if not isinstance(table, dict):
        raise PackError(file, where, "must be a table of names by locale")
    return ListedPlatform(key, names_of(table, file, where))


def names_of(table: Mapping[str, Any], file: str, key: str) -> dict[str, str]:
    if "en" not in table:
        raise PackError(file, f"{key}.en", "an English name is required")
    return {locale: text_of(table, locale, file, f"{key}.") for locale in table}


def list_of_names(
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


def date_of(table: Mapping[str, Any], key: str, file: str, prefix: str) -> dt.date:
    value = table.get(key)
    if not is_date(value):
        raise PackError(
            file, prefix + key, f"must be a TOML date such as 2025-07-01, got {value!r}"
        )
    assert isinstance(value, dt.date)
    return value


def source_of(spec: Any, file: str, key: str) -> Citation:
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with a title")
    only(spec, {"title", "url", "note"}, file, key + ".")
    return Citation(
        title=text_of(spec, "title", file, key + "."),
        url=optional_text_of(spec, "url", file, key + "."),
        note=optional_text_of(spec, "note", file, key + "."),
        source_id=key.removeprefix("sources."),
    )


def citation_of(spec: Mapping[str, Any], context: PackContext, file: str, key: str) -> Citation:
    source_id = text_of(spec, "source", file, key + ".")
    if source_id not in context.sources:
        raise PackError(
            file, key + ".source", f"unknown source {source_id!r}; declare it under [sources]"
        )
    source = context.sources[source_id]
    evidence_text = text_of(spec, "evidence", file, key + ".")
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
        url=optional_text_of(spec, "url", file, key + ".") or source.url,
        article=optional_text_of(spec, "article", file, key + "."),
        evidence=evidence,
        verified=verified,
        note=optional_text_of(spec, "note", file, key + "."),
        source_id=source_id,
    )


def decimal_of(raw: Any, file: str, key: str) -> Decimal:
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


def parse_value(raw: Any, unit: Unit, currency: str, file: str, key: str) -> Value:
    if unit is Unit.MONEY:
        if isinstance(raw, Money):
            if raw.currency != currency:
                raise PackError(file, key, f"must be in {currency}, got {raw!r}")
            raw = raw.amount
        return Money(decimal_of(raw, file, key), currency)
    if unit is Unit.RATE:
        rate = decimal_of(raw, file, key)
        if rate > 1:
            raise PackError(file, key, f"a rate is a fraction between 0 and 1, got {raw!r}")
        return rate
    if unit is Unit.DECIMAL:
        return decimal_of(raw, file, key)
    if unit is Unit.INTEGER:
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            raise PackError(file, key, f"must be a whole number >= 0, got {raw!r}")
        return raw
    if unit is Unit.FLAG:
        if not isinstance(raw, bool):
            raise PackError(file, key, f"must be true or false, got {raw!r}")
        return raw
    if unit is Unit.NAME:
        return name_value_of(raw, file, key)
    if unit is Unit.NAMES:
        if not isinstance(raw, (list, tuple)) or not raw:
            raise PackError(
                file, key, f'must be a non-empty list of names such as ["monthly"], got {raw!r}'
            )
        names = tuple(name_value_of(item, file, f"{key}[{i}]") for i, item in enumerate(raw))
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
        table[index] = decimal_of(cell, file, f"{key}.{row}")
    return MappingProxyType(dict(sorted(table.items())))


def name_value_of(raw: Any, file: str, key: str) -> str:
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


VALUE_KEYS = {
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


def parameter_of(name: str, spec: Any, context: PackContext, file: str, key: str) -> Parameter:
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with unit, description and values")
    only(spec, {"unit", "description", "values"}, file, key + ".")
    unit_text = text_of(spec, "unit", file, key + ".")
    try:
        unit = Unit(unit_text)
    except ValueError:
        raise PackError(
            file,
            key + ".unit",
            f"must be one of {', '.join(u.value for u in Unit)}, got {unit_text!r}",
        ) from None
    description = text_of(spec, "description", file, key + ".")
    values = spec.get("values")
    if not isinstance(values, list) or not values:
        raise PackError(file, key + ".values", "must be a non-empty list of dated values")
    series: dict[str | None, list[ParameterValue]] = {}
    for index, entry in enumerate(values):
        entry_key = f"{key}.values[{index}]"
        with tolerated():
            parsed = dated_value(name, entry, unit, context, file, entry_key)
            if parsed is None:
                continue
            earlier = series.setdefault(parsed.region, [])
            if earlier and parsed.effective_from <= earlier[-1].effective_from:
                day, previous = parsed.effective_from, earlier[-1].effective_from
                problem = "overlaps" if day == previous else "is before"
                raise PackError(
                    file,
                    entry_key + ".effective_from",
                    f"{day} {problem} the previous value for "
                    f"{parsed.region or 'the national series'} ({previous}); "
                    "list values in date order, one per date",
                )
            earlier.append(parsed)
    return Parameter(name, unit, description, chain_series(series))


def dated_value(
    name: str, entry: Any, unit: Unit, context: PackContext, file: str, key: str
) -> ParameterValue | None:
    """One dated value; ``None`` when collecting and one of its fields had a problem."""
    if not isinstance(entry, dict):
        raise PackError(file, key, "must be a table")
    before = problem_count()
    only(entry, VALUE_KEYS, file, key + ".")
    region = entry.get("region")
    if region is not None and region not in context.regions:
        report(PackError(file, key + ".region", f"unknown region {region!r}"))
    effective_from = value = citation = None
    with tolerated():
        effective_from = date_of(entry, "effective_from", file, key + ".")
    with tolerated():
        if "value" not in entry:
            raise PackError(file, key + ".value", "missing")
        value = parse_value(entry["value"], unit, context.currency, file, key + ".value")
    with tolerated():
        citation = citation_of(entry, context, file, key)
    if problem_count() != before or effective_from is None or value is None or citation is None:
        return None
    return ParameterValue(name, region, effective_from, value, citation)


def rounding_of(spec: Any, context: PackContext, file: str, key: str) -> RoundingRule:
    if not isinstance(spec, dict):
        raise PackError(file, key, "must be a table with mode, unit and a source")
    only(
        spec,
        {"method", "mode", "unit", "source", "evidence", "verified", "note", "article", "url"},
        file,
        key + ".",
    )
    method = spec.get("method", EACH_PAYER)
    if not isinstance(method, str) or not method.isidentifier():
        raise PackError(file, key + ".method", f"must name a rounding rule, got {method!r}")
    mode_text = text_of(spec, "mode", file, key + ".")
    try:
        mode = Rounding(mode_text)
    except ValueError:
        raise PackError(
            file,
            key + ".mode",
            f"must be one of {', '.join(r.value for r in Rounding)}, got {mode_text!r}",
        ) from None
    unit = decimal_of(spec.get("unit"), file, key + ".unit")
    if unit <= 0 or unit < minor_unit(context.currency):
        raise PackError(file, key + ".unit", f"must be at least one minor unit, got {unit}")
    return RoundingRule(mode, unit, citation_of(spec, context, file, key), method)
