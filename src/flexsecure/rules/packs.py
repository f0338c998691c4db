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
:func:`check_pack` runs the same checks but goes on past each problem and returns them all,
for a vendor fixing a pack (``flexsecure pack check``).

A pack whose ``jurisdiction.toml`` says ``extends = "CN"`` is an *overlay*: it adds or
overrides regions, sources and dated values of the bundled pack without copying the rest
(:mod:`flexsecure.rules.overlays`).
"""

from __future__ import annotations

import copyreg
import datetime as dt
from collections.abc import Callable, Hashable, Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import attrs

from flexsecure.rules.pack_checks import check_scheme
from flexsecure.rules.pack_problems import (
    PROBLEMS,
    Collecting,
    Reported,
)
from flexsecure.rules.pack_readers import (
    ListedPlatform,
    PackContext,
    Region,
    parse_value,
)
from flexsecure.rules.parameters import Parameter, ParameterValue, Unit
from flexsecure.rules.reforms import Reform, coerce_reform_decimal
from flexsecure.rules.schemes import (
    OrderContribution,
    SchemeRules,
    Share,
)
from flexsecure.values.citations import Citation
from flexsecure.values.errors import InvalidInput, PackError, RuleNotFound

__all__ = [
    "BundledPacks",
    "ListedPlatform",
    "PackContext",
    "Region",
    "RulePack",
    "check_pack",
    "load_pack",
]

T = TypeVar("T")

_MEMO_LIMIT = 200_000
"""Most resolved values a pack keeps; past it the memo starts again (plenty for every
region × month × base choice a population run touches)."""


def check_pack(
    source: str | Path | Traversable, *, bundled: BundledPacks | None = None
) -> tuple[PackError, ...]:
    """Every problem of the pack at ``source``, each a :class:`PackError` with its file and
    key; empty when the pack loads.

    The checks are those of :func:`load_pack`; parts that depend on a broken part (a scheme
    naming a parameter whose values are wrong) are skipped rather than reported twice.
    """
    collecting = Collecting()
    token = PROBLEMS.set(collecting)
    try:
        load_pack(source, bundled=bundled)
    except PackError as error:  # a problem that stops the reading (no jurisdiction.toml, ...)
        collecting.problems.append(error)
    except Reported:
        pass
    finally:
        PROBLEMS.reset(token)
    return tuple(collecting.problems)


def _mapping_proxy(items: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    """Rebuild a read-only mapping on unpickling (see the ``copyreg`` line below)."""
    return MappingProxyType(items)


# Packs, parameters and reforms keep read-only mappings; the standard library cannot pickle
# them, so a pack could not reach a process pool or a Dask worker. Pickle them as their
# items, rebuilt read-only: this only lets pickles succeed that failed before.
copyreg.pickle(MappingProxyType, lambda proxy: (_mapping_proxy, (dict(proxy),)))


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
            value = parse_value(raw, Unit(unit), self.currency, file, key)
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
            schemes[scheme_name] = _reshare(schemes[scheme_name], shares, reform.effective_from)
        for scheme_name, rounding in reform.rounding.items():
            if scheme_name not in schemes:
                raise PackError(file, f"rounding.{scheme_name}", "unknown scheme")
            schemes[scheme_name] = attrs.evolve(schemes[scheme_name], rounding=rounding)
        for scheme_name, contribution in reform.order_contributions.items():
            if scheme_name not in schemes:
                raise PackError(file, f"order_contributions.{scheme_name}", "unknown scheme")
            schemes[scheme_name] = _add_order_contribution(schemes[scheme_name], contribution)
        pack = attrs.evolve(
            self,
            parameters=parameters,
            schemes=schemes,
            applied_reforms=(*self.applied_reforms, reform.name),
        )
        for scheme in pack.schemes.values():
            check_scheme(pack, scheme, file)
        return pack


def _reshare(scheme: SchemeRules, shares: tuple[Share, ...], start: dt.date | None) -> SchemeRules:
    """``scheme`` with ``shares`` from ``start`` on (``None``: for every date)."""
    if start is None:
        return attrs.evolve(scheme, shares=shares, share_changes=())
    kept = tuple((day, old) for day, old in scheme.share_changes if day < start)
    return attrs.evolve(scheme, share_changes=(*kept, (start, shares)))


def _add_order_contribution(scheme: SchemeRules, contribution: OrderContribution) -> SchemeRules:
    """``scheme`` taking ``contribution`` from its date on (earlier ones stay before it)."""
    start = contribution.effective_from
    kept = tuple(c for c in scheme.order_contributions if c.effective_from < start)
    return attrs.evolve(scheme, order_contributions=(*kept, contribution))


# ---------------------------------------------------------------------------------------
# loading


BundledPacks = Callable[[str], Traversable]
"""Finds the folder of a bundled jurisdiction's pack by code, for an overlay's ``extends``
(the jurisdiction registry, above this layer, passes it in)."""


def load_pack(source: str | Path | Traversable, *, bundled: BundledPacks | None = None) -> RulePack:
    """Load and validate the pack in folder ``source`` (a path, or package data).

    Bundled packs are found by code through :func:`flexsecure.load_jurisdiction`; this
    function only reads folders. ``bundled`` finds the pack an overlay extends.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_dir():
            raise PackError(str(path), "(folder)", "is not a folder holding a rule pack")
        return _load(path, str(path), bundled)
    if not isinstance(source, Traversable) or not source.is_dir():
        raise PackError(str(source), "(folder)", "is not a folder holding a rule pack")
    return _load(source, f"<bundled {source.name.upper()} pack>", bundled)


def _load(folder: Traversable, origin: str, bundled: BundledPacks | None) -> RulePack:
    from flexsecure.rules.pack_loading import load_folder  # loading builds on RulePack

    return load_folder(folder, origin, bundled)
