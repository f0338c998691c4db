"""Base lines: each enrolled base scheme's lines of every worker-month, as blocks of arrays.

The base is the worker's choice clipped to the band of the region and month — the choices
that do not depend on earnings go through the same
:func:`~flexsecure.calculations.contributions.contribution_base` as the per-object path;
each payer's amount is ``round(base × rate)`` by the scheme's rounding rule, split over the
funds by the largest-remainder rule; a platforms' share is apportioned among the month's
platforms by earnings (:mod:`flexsecure.batch.lines`). The usual case — everyone on their
earnings within one band, one rate, half up — takes a share's amounts straight from the
earnings in one compiled pass, its bases made only when the lines table reads them.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import INT64_SAFE, Ints, bounds, dense_unique, repeated
from flexsecure.batch._kernels import clip, clip_round, offsets
from flexsecure.batch.bands import Bands, bands, units_of
from flexsecure.batch.deferred import Clipped
from flexsecure.batch.fixed import fixed_block
from flexsecure.batch.lines import Block, apportion, split_funds, two_fund_fold
from flexsecure.batch.months import WorkerMonths
from flexsecure.batch.rounding import (
    half_up_fold,
    round_ratio,
    round_ratio_inplace,
    round_scaled,
)
from flexsecure.batch.rules import BaseRules, rounding_unit
from flexsecure.calculations.contributions import contribution_base
from flexsecure.facts.engagements import BaseChoice, BaseKind
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import Money, Rounding, minor_unit

__all__ = ["base_blocks"]

KINDS = tuple(BaseKind)


def base_blocks(
    pack: RulePack, months: WorkerMonths, position: int, scheme: SchemeRules
) -> list[Block]:
    enrolled = months.enrolment_rows(position)
    if not len(enrolled[0]):
        return []
    basis = str(scheme.basis)
    if basis != "base":
        raise RuleNotFound(
            f"the batch engine does not implement basis {basis!r} of scheme {scheme.name!r}"
        )
    wm, rows = enrolled
    members = months.inputs.enrolments
    every = len(wm) == len(months.month)
    month = months.month if every else months.month[wm]
    shared: tuple[Any, ...] | None = None
    if members.everyone:  # one enrolment for all: region and choice are the same everywhere
        region = repeated(members.region[rows[0]], len(wm)) if len(wm) else wm
        kind = repeated(members.kind[rows[0]], len(wm)) if len(wm) else wm
        # schemes with the same choice share their keys, and their bases where the band's
        # values are the same (checked below: e.g. pension and medical in Shanghai)
        choice = rows[0]
        shared = (
            int(members.grade[choice]),
            int(members.declared[choice]),
            int(members.region[choice]),
            int(members.kind[choice]),
            len(wm),
        )
    cached = months.bases.get(shared) if shared is not None else None
    used: npt.NDArray[np.bool_] | None = None
    if cached is not None:
        unique, inverse, used = cached[0], cached[1], cached[4]
    elif members.everyone:
        offset = int(members.region[rows[0]]) * months.span - months.first
        # every worker-month's month lies in the chunk's [first, first + span) (no scan)
        known = (months.first, months.first + months.span - 1) if every else None
        unique, inverse, used = _month_keys(month, offset, known)
    else:
        region = members.region[rows]
        kind = members.kind[rows]
        keys = region * months.span + (month - months.first)
        unique, inverse = dense_unique(keys)
    band = bands(
        pack,
        scheme,
        tuple(unique.tolist()),
        tuple(used.tolist()) if used is not None else None,
        months.span,
        months.first,
    )
    for index, reason in band.errors:
        months.refuse(wm[inverse == index], reason, RuleNotFound, "region")
    rules, fixed = list(band.rules), list(band.fixed)  # fixed: an amount replaces the band
    failed, is_fixed, floors, ceilings = band.failed, band.is_fixed, band.floors, band.ceilings
    floor = band.floor if band.floor is not None else floors[inverse]
    ceiling = band.ceiling if band.ceiling is not None else ceilings[inverse]
    present = (
        {int(kind[0])} if members.everyone and len(kind) else set(dense_unique(kind)[0].tolist())
    )
    earned = months.earnings if len(wm) == len(months.earnings) else months.earnings[wm]
    on_earnings = present == {KINDS.index(BaseKind.EARNINGS)}
    dropped = bool(failed.any() or is_fixed.any() or months.refused_count)  # rows left out
    bands_seen = (floors.tobytes(), ceilings.tobytes())
    # every base the earnings within one band: shares may take their amounts straight from
    # the earnings (_amounts_from_earnings), and the bases are then made only if read
    direct = on_earnings and band.floor is not None and band.ceiling is not None and not dropped
    made: Ints | None  # the bases; where direct, made only if a share or a scan needs them
    if direct:
        made = None
    elif cached is not None and cached[3] is not None and cached[2] == bands_seen:
        made = cached[3]
    elif on_earnings:
        made = clip(earned, floor, ceiling)  # one compiled pass
    else:
        made = _chosen_bases(pack, months, scheme, rules, wm, rows, kind, inverse)
        earnings = kind == KINDS.index(BaseKind.EARNINGS)
        made = np.where(earnings, np.minimum(np.maximum(earned, floor), ceiling), made)
        declared = kind == KINDS.index(BaseKind.DECLARED)
        clipped = np.minimum(np.maximum(members.declared[rows], floor), ceiling)
        made = np.where(declared, clipped, made)

    def base_array() -> Ints:
        nonlocal made
        if made is None:
            made = clip(earned, floor, ceiling)
        return made

    if shared is not None and present <= {
        KINDS.index(k) for k in (BaseKind.EARNINGS, BaseKind.DECLARED)
    }:  # the next scheme on the same choice reuses the keys, and the bases if its band's match
        months.bases[shared] = (unique, inverse, bands_seen, made, used)
    blocks = []
    if is_fixed.any():
        fresh = ~months.refused[wm]
        lines = fixed_block(
            months, position, pack.currency, wm[fresh], region[fresh], inverse[fresh], fixed
        )
        if lines is not None:
            blocks.append(lines)
    if dropped or months.refused_count:  # (the chosen bases may have refused some since)
        keep = ~failed[inverse] & ~is_fixed[inverse] & ~months.refused[wm]
        wm, region, made, inverse = wm[keep], region[keep], base_array()[keep], inverse[keep]
    unit = rounding_unit(pack, scheme)
    # bases are >= 0; clipped to their bands, none exceeds the largest ceiling (no scan)
    scanned = not (on_earnings and len(ceilings))
    largest = int(ceilings.max()) if not scanned else _largest(base_array())
    for index, share in enumerate(scheme.shares):
        table = band.shares[index]
        numerators = table.numerators
        denominator = 10**table.exponent * unit
        per_base = table.single if table.single is not None else numerators[inverse]
        if not scanned and largest * 2 * table.largest >= INT64_SAFE:
            largest, scanned = _largest(base_array()), True  # a very high band
        # 0 <= base <= largest and rates >= 0: every mode rounds base × n / denominator to at
        # most its floor + 1, so the amounts are bounded without a scan (for the fund split)
        bound = (largest * table.largest // denominator + 1) * unit
        known = bound if table.least >= 0 else None
        rates = list(table.rates)
        straight = _amounts_from_earnings(pack, scheme, index, band, earned) if direct else None
        if straight is not None:  # amounts and funds in one pass; bases made when read
            within, amount, funds = straight
            block = Block.base_lines(
                position, index, share.payer, wm, region, within, amount, inverse, rates, known
            )
            blocks.append(block.with_funds(funds))
            continue
        base = base_array()
        if largest * 2 * table.largest >= INT64_SAFE:
            product = base.astype(object) * numerators[inverse].astype(object)
            amount = round_ratio(product, denominator, scheme.rounding.mode)
        elif isinstance(per_base, int):  # one rate in the chunk (the usual case)
            amount = round_scaled(base, per_base, denominator, scheme.rounding.mode, largest)
        else:
            product = np.multiply(base, per_base, dtype=np.int64)
            amount = round_ratio_inplace(product, denominator, scheme.rounding.mode)
        if unit != 1:
            amount = amount * unit
        amount = np.asarray(amount, np.int64)
        block = Block.base_lines(
            position, index, share.payer, wm, region, base, amount, inverse, rates, known
        )
        if share.payer == "platform":
            block = apportion(block, months)
        blocks.append(split_funds(block))
    return blocks


def _largest(base: Ints) -> int:
    return int(base.max()) if len(base) else 0


def _amounts_from_earnings(
    pack: RulePack, scheme: SchemeRules, index: int, band: Bands, earned: Ints
) -> tuple[Clipped, Ints, tuple[tuple[str, Ints | None], ...]] | None:
    """Share ``index``'s bases (the earnings within one band, not yet made), its amounts
    (one rate, half up) and their funds (one fund: the amounts; two: the first fund's part,
    the second's made when read), in one compiled pass — the same integers as
    :func:`~flexsecure.batch._kernels.clip`, :func:`~flexsecure.batch.rounding.round_scaled`
    and :func:`~flexsecure.batch.lines.split_funds` one after the other; ``None`` where the
    share takes another path (a platforms' share, several rates, another rounding, three
    funds)."""
    table = band.shares[index] if index < len(band.shares) else None
    if table is None or table.single is None or band.floor is None or band.ceiling is None:
        return None
    if scheme.shares[index].payer == "platform" or scheme.rounding.mode is not Rounding.HALF_UP:
        return None
    if table.least < 0 or rounding_unit(pack, scheme) != 1:
        return None
    largest, denominator = band.ceiling, 10**table.exponent
    if largest < 0 or largest * 2 * table.largest >= INT64_SAFE:
        return None
    rounding = half_up_fold(table.single, denominator, largest)
    if rounding is None:
        return None
    known = [r for r in table.rates if r is not None]
    if len(known) != len(table.rates) or not known:
        return None
    within = Clipped(earned, band.floor, band.ceiling)
    if len(known[0].funds) == 1 and all(r.funds == known[0].funds for r in known):
        amount, _ = clip_round(earned, band.floor, band.ceiling, rounding)
        return within, amount, ((known[0].funds[0], amount),)
    split = two_fund_fold(table.rates, largest * table.largest // denominator + 1)
    if split is None:
        return None
    amount, first = clip_round(earned, band.floor, band.ceiling, rounding, split[1])
    names = split[0]
    return within, amount, ((names[0], first), (names[1], None))


def _month_keys(
    month: Ints, offset: int, known: tuple[int, int] | None = None
) -> tuple[Ints, Ints, npt.NDArray[np.bool_] | None]:
    """The keys ``month + offset`` as (keys, each row's index into them, which keys rows use);
    ``known``: bounds the months lie within (no scan).

    A chunk of one month (the usual case) has one key and an inverse of zeros that costs no
    memory; a chunk of a few months indexes every month from its first to its last, so the
    inverse is one subtraction, made in the same compiled pass that marks the months
    present (``used``); otherwise
    :func:`dense_unique` (``used`` is ``None``: every key is used).
    """
    if not len(month):
        return month, month, None
    low, high = known or bounds(month)
    if low == high:
        zeros = repeated(0, len(month))
        return np.asarray([low + offset], np.int64), zeros, None
    if high - low < 4096:
        inverse, used = offsets(month, low, high)  # one compiled pass
        return np.arange(low + offset, high + offset + 1, dtype=np.int64), inverse, used
    unique, inverse = dense_unique(month + offset)
    return unique, inverse, None


def _chosen_bases(
    pack: RulePack,
    months: WorkerMonths,
    scheme: SchemeRules,
    rules: list[BaseRules | None],
    wm: Ints,
    rows: Ints,
    kind: Ints,
    inverse: Ints,
) -> Ints:
    """Bases that do not depend on earnings (floor, ceiling, grade): one call of
    :func:`contribution_base` per distinct (rules, choice); 0 for the other rows."""
    members = months.inputs.enrolments
    grades = members.grades
    scale = 10 ** -int(minor_unit(pack.currency).as_tuple().exponent)
    fixed = (kind != KINDS.index(BaseKind.EARNINGS)) & (kind != KINDS.index(BaseKind.DECLARED))
    choice_key = inverse * (len(grades) + 1) + (members.grade[rows] + 1)
    choice_key = np.where(fixed, choice_key * len(KINDS) + kind, -1)
    base = np.zeros(len(wm), np.int64)
    zero = Money.zero(pack.currency)
    for key in dense_unique(choice_key[fixed])[0].tolist():
        rest, kind_index = divmod(key, len(KINDS))
        rule_index, grade_index = divmod(rest, len(grades) + 1)
        rule = rules[rule_index]
        chosen = choice_key == key
        if rule is None:
            continue
        choice_kind = KINDS[kind_index]
        if choice_kind is BaseKind.GRADE:
            if rule.average_wage is None:
                months.refuse(wm[chosen], rule.no_average_wage, RuleNotFound, "base")
                continue
            choice = BaseChoice.grade(grades[grade_index - 1])
        else:
            choice = BaseChoice(choice_kind)
        amount = contribution_base(choice, zero, rule.floor, rule.ceiling, rule.average_wage)
        base[chosen] = units_of(amount, scale, scheme.name)
    return base
