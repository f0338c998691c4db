"""A base scheme's rules for a chunk's (region, month) keys, as the arrays the engine indexes.

Every chunk of a run asks for the same few keys (one region, a month or two), so what the
engine derives from :func:`~flexsecure.batch.rules.base_rules` and
:func:`~flexsecure.batch.rules.fixed_rules` — each key's band in minor units, whether a
fixed amount applies there, each share's rate numerators over a common power of ten — is
built once per (scheme, keys) and kept beside the pack (:meth:`RulePack.memo`); the arrays
are read only. A key whose rules the pack cannot give is kept as its error message, for
the engine to refuse the worker-months that ask for it.
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import Ints
from flexsecure.batch.rules import BaseRules, FixedRules, ShareRates, base_rules, fixed_rules
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import Money, minor_unit
from flexsecure.values.periods import Month

__all__ = ["Bands", "ShareTable", "bands", "units_of"]


def _frozen(values: list[int]) -> Ints:
    array = np.asarray(values, np.int64)
    array.flags.writeable = False
    return array


def _frozen_flags(values: list[bool]) -> npt.NDArray[np.bool_]:
    array = np.asarray(values, np.bool_)
    array.flags.writeable = False
    return array


def _single(values: list[int]) -> int | None:
    """The one value of ``values`` when they are all the same (no per-row gather needed)."""
    return values[0] if values and all(v == values[0] for v in values) else None


@attrs.frozen
class ShareTable:
    """One share's rates at each key: integer numerators over ``10 ** exponent``."""

    numerators: Ints
    exponent: int
    rates: tuple[ShareRates | None, ...]
    single: int | None
    """The numerator when every key has the same (the usual case), else ``None``."""
    largest: int
    least: int


@attrs.frozen
class Bands:
    """Rules of one base scheme at each key (``None`` where the key has none or is unused)."""

    rules: tuple[BaseRules | None, ...]
    fixed: tuple[FixedRules | None, ...]
    """A fixed monthly amount, where one replaces the band and rates."""
    errors: tuple[tuple[int, str], ...]
    """(key index, why its rules are not found): its worker-months are refused."""
    failed: npt.NDArray[np.bool_]
    is_fixed: npt.NDArray[np.bool_]
    floors: Ints
    ceilings: Ints
    floor: int | None
    """The floor when every key has the same, else ``None``; ``ceiling`` likewise."""
    ceiling: int | None
    shares: tuple[ShareTable, ...]


def bands(
    pack: RulePack,
    scheme: SchemeRules,
    keys: tuple[int, ...],
    used: tuple[bool, ...] | None,
    span: int,
    first: int,
) -> Bands:
    """The rules of ``scheme`` at each key ``region × span + (month - first)`` (``used``:
    which keys a row asks for; ``None``: all), built once per pack and keys."""
    request = (keys, used, span, first)
    return pack.memo(("batch bands", scheme.name, request), lambda: _build(pack, scheme, request))


def _build(
    pack: RulePack,
    scheme: SchemeRules,
    request: tuple[tuple[int, ...], tuple[bool, ...] | None, int, int],
) -> Bands:
    keys, used, span, first = request
    regions = list(pack.regions)
    rules: list[BaseRules | None] = []
    fixed: list[FixedRules | None] = []
    errors: list[tuple[int, str]] = []
    for index, key in enumerate(keys):
        if used is not None and not used[index]:
            rules.append(None)  # a month between the chunk's first and last that it lacks
            fixed.append(None)
            continue
        place, offset = divmod(key, span)
        on = Month._from_index(first + offset).first_day
        try:
            flat = fixed_rules(pack, scheme, regions[place], on)
            rule = base_rules(pack, scheme, regions[place], on) if flat is None else None
        except RuleNotFound as error:
            flat = rule = None
            errors.append((index, str(error)))
        fixed.append(flat)
        rules.append(rule)
    if used is not None:  # no row asks for an unused key: give it a used one's rules, so
        # that one band everywhere still reads as one value (no per-row gather)
        known = next((r for r in rules if r is not None), None)
        rules = [known if not used[i] else r for i, r in enumerate(rules)]
    scale = 10 ** -int(minor_unit(pack.currency).as_tuple().exponent)
    floors = [units_of(r.floor, scale, scheme.name) if r else 0 for r in rules]
    ceilings = [units_of(r.ceiling, scale, scheme.name) if r else 0 for r in rules]
    failed = [False] * len(keys)
    for index, _ in errors:
        failed[index] = True
    return Bands(
        rules=tuple(rules),
        fixed=tuple(fixed),
        errors=tuple(errors),
        failed=_frozen_flags(failed),
        is_fixed=_frozen_flags([rule is not None for rule in fixed]),
        floors=_frozen(floors),
        ceilings=_frozen(ceilings),
        floor=_single(floors),
        ceiling=_single(ceilings),
        shares=tuple(_share_table(rules, index) for index in range(len(scheme.shares))),
    )


def _share_table(rules: list[BaseRules | None], index: int) -> ShareTable:
    exponent = max((r.shares[index].exponent for r in rules if r), default=0)
    numerators = [
        r.shares[index].numerator * 10 ** (exponent - r.shares[index].exponent) if r else 0
        for r in rules
    ]
    return ShareTable(
        numerators=_frozen(numerators),
        exponent=exponent,
        rates=tuple(r.shares[index] if r else None for r in rules),
        single=_single(numerators),
        largest=max(numerators, default=0),
        least=min(numerators, default=0),
    )


def units_of(amount: Money, scale: int, scheme: str) -> int:
    """``amount`` in minor units (``scale`` of them to the currency unit); a band value that
    is not a whole number of them cannot be computed on integers."""
    units = amount.amount * scale
    if units != units.to_integral_value():
        raise RuleNotFound(
            f"the batch engine needs whole minor units; {scheme} has a band value {amount!r}"
        )
    return int(units)
