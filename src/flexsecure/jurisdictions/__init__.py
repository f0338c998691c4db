"""Jurisdictions: one package per country, and the registry that finds them.

A jurisdiction package (``flexsecure.jurisdictions.cn``, ``flexsecure.jurisdictions.sg``)
holds its rule pack (``pack/``, TOML data), its rule functions, its texts, and one call to
:func:`register_jurisdiction` that tells the engine what it offers. The engine below this
package knows no country: a jurisdiction adds general mechanisms to it by registering them
(a contribution basis, a rounding rule, worker facts), never by a branch on its code.

:func:`jurisdiction_rules` finds a registered jurisdiction by code, importing its package the
first time it is asked for, so ``fs.load_jurisdiction("SG")`` works without any import of
Singapore's code by the core.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import attrs

from flexsecure.values.errors import InvalidInput, NotInJurisdiction, RuleNotFound

__all__ = [
    "JurisdictionRules",
    "bundled_codes",
    "jurisdiction_rules",
    "register_jurisdiction",
    "registered_jurisdictions",
]

Texts = Mapping[str, Mapping[str, str]]
"""Message key (or term) → locale → text."""


def _freeze(value: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class JurisdictionRules:
    """What a jurisdiction package registers: its pack folder, calculations and texts.

    ``calculations`` maps the name of a :class:`~flexsecure.Jurisdiction` method
    (``retirement_date``, ``quote_transfer``, …) to the rule function that computes it; each
    takes the jurisdiction's :class:`~flexsecure.rules.packs.RulePack` first. Contributions
    need no entry: the engine computes them from the pack's schemes and the registered bases.
    ``messages`` and ``terms`` are the texts of the jurisdiction's explanations and words, by
    locale; the i18n layer looks them up after its own.
    """

    code: str
    pack: Traversable = attrs.field(eq=False)
    calculations: Mapping[str, Callable[..., Any]] = attrs.field(
        factory=dict, converter=_freeze, eq=False
    )
    messages: Texts = attrs.field(factory=dict, converter=_freeze, eq=False)
    terms: Texts = attrs.field(factory=dict, converter=_freeze, eq=False)

    def calculation(self, name: str) -> Callable[..., Any]:
        """The rule function registered for ``name``, or :class:`NotInJurisdiction`."""
        try:
            return self.calculations[name]
        except KeyError:
            raise NotInJurisdiction(self.code, name, tuple(sorted(self.calculations))) from None

    def __reduce__(self) -> tuple[Any, ...]:
        # Functions and package folders do not pickle; the registration is found again by code
        # in the receiving process (a Dask worker, a process pool).
        return (jurisdiction_rules, (self.code,))


_REGISTRY: dict[str, JurisdictionRules] = {}


def register_jurisdiction(rules: JurisdictionRules) -> None:
    """Register a jurisdiction package's rules under its code (upper case, e.g. ``"SG"``)."""
    if not isinstance(rules, JurisdictionRules):
        raise InvalidInput(f"rules must be JurisdictionRules, got {rules!r}")
    if not (len(rules.code) == 2 and rules.code.isascii() and rules.code.isupper()):
        raise InvalidInput(f"a jurisdiction code is ISO 3166-1 alpha-2, got {rules.code!r}")
    _REGISTRY[rules.code] = rules


def registered_jurisdictions() -> Mapping[str, JurisdictionRules]:
    """The jurisdictions registered so far (those whose package has been imported)."""
    return MappingProxyType(_REGISTRY)


def bundled_codes() -> tuple[str, ...]:
    """Codes of the jurisdictions shipped with flexsecure (packages with a ``pack`` folder)."""
    return tuple(
        sorted(
            folder.name.upper()
            for folder in resources.files(__name__).iterdir()
            if folder.is_dir() and folder.joinpath("pack").is_dir()
        )
    )


def jurisdiction_rules(code: str) -> JurisdictionRules:
    """The registered rules of jurisdiction ``code``, importing its package if need be."""
    if not isinstance(code, str):
        raise InvalidInput(f"code must be a jurisdiction code such as 'CN', got {code!r}")
    key = code.upper()
    if key not in _REGISTRY:
        if key in bundled_codes():
            importlib.import_module(f"{__name__}.{key.lower()}")
        if key not in _REGISTRY:
            raise RuleNotFound(
                f"no bundled jurisdiction {code!r}; bundled: {', '.join(bundled_codes())}; "
                "pass a folder path to load a pack of your own"
            )
    return _REGISTRY[key]
