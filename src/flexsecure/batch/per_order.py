"""Per-order lines, for every engagement at once: ``orders`` schemes and per-order contributions.

:func:`order_blocks` charges the premium of an ``orders`` scheme (occupational-injury
protection) to each engagement with orders where the scheme is in force and covers the
platform. :func:`per_order_blocks` adds the per-order contributions a scheme of any basis
takes.


What :mod:`flexsecure.calculations.order_contributions` computes engagement by engagement: a
scheme with a per-order contribution in force takes, from each engagement with orders, one
line per payer of ``round(orders × amount per order)`` by the scheme's rounding rule, split
over the funds by the same largest-remainder rule; a contribution for enrolled workers only
(``voluntary``) charges the engagements of worker-months enrolled in the scheme. Amounts are
resolved once per (industry, region, month) from the same pack; a worker-month whose amounts
the pack cannot give is refused, as the per-object path refuses it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import INT64_SAFE, AnyInts, Ints, bounds, dense_unique, repeated
from flexsecure.batch._kernels import keys_seen, times_gathered, times_gathered_words
from flexsecure.batch.deferred import WithOrders
from flexsecure.batch.lines import Block, split_funds
from flexsecure.batch.months import WorkerMonths
from flexsecure.batch.rounding import round_ratio, round_ratio_inplace
from flexsecure.batch.rules import (
    PremiumRules,
    ShareRates,
    order_contribution_rules,
    premium_rules,
    rounding_unit,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import Enrolling, SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import minor_unit
from flexsecure.values.periods import Month

__all__ = ["constant_or", "order_blocks", "per_order_blocks"]


def constant_or(
    values: AnyInts,
    minus: int = 0,
    known: dict[int, tuple[int, int]] | None = None,
    found: tuple[int, int] | None = None,
) -> AnyInts | int:
    """``values - minus``, or that one number when all values are the same (saves a pass).

    ``known`` keeps the bounds found, by array, for the caller to reuse; ``found``: bounds
    already known (no scan)."""
    if len(values):
        low, high = found or bounds(values)
        if known is not None:
            known[id(values)] = (low, high)
        if low == high:
            return low - minus
    return np.subtract(values, minus, dtype=np.int64) if minus else values


def per_order_blocks(
    pack: RulePack, months: WorkerMonths, position: int, scheme: SchemeRules
) -> list[Block]:
    """The per-order contribution lines of ``scheme`` (the ``position``-th of the pack), one
    block per payer; none when the scheme takes no amount per order."""
    if not scheme.order_contributions:
        return []
    jobs = months.jobs
    use = jobs.orders > 0
    if months.refused_count:
        use &= ~months.refused[months.job_wm]
    if not use.any():
        return []
    regions = list(pack.regions)
    industry = np.multiply(jobs.industry, len(regions), dtype=np.int64)  # codes may be narrow
    key = (industry + jobs.region) * months.span + (jobs.month - months.first)
    values, codes = dense_unique(key)
    resolved: list[dict[str, ShareRates]] = []
    voluntary = np.zeros(len(values), np.bool_)
    for index, value in enumerate(values.tolist()):
        rest, offset = divmod(value, months.span)
        industry, place = divmod(rest, len(regions))
        on = Month._from_index(months.first + offset).first_day
        contribution = scheme.order_contribution_on(on)
        voluntary[index] = contribution is not None and (
            contribution.enrolling is Enrolling.VOLUNTARY
        )
        try:
            rules = order_contribution_rules(
                pack, scheme, pack.industries[industry], regions[place], on
            )
        except RuleNotFound as error:
            rules = {}
            affected = np.flatnonzero((codes == index) & use)
            if len(affected):
                platform = months.inputs.platform_ids[jobs.platform[affected[0]]]
                months.refuse(
                    months.job_wm[affected],
                    f"per-order contribution to {scheme.name}, platform {platform!r}: {error}",
                    RuleNotFound,
                    "region",
                )
        resolved.append(rules)
    if voluntary.any():
        enrolled = np.zeros(len(months.worker), np.bool_)
        enrolled[months.enrolment_rows(position)[0]] = True
        use &= ~voluntary[codes] | enrolled[months.job_wm]
    unit = rounding_unit(pack, scheme)
    digits = -int(minor_unit(pack.currency).as_tuple().exponent)
    everything = months.job_wm if months.one_job_each else np.arange(len(jobs.orders))
    blocks = []
    for share, payer in enumerate(scheme.payers()):
        rates = [rules.get(payer) for rules in resolved]
        if not any(rates):
            continue
        present = use & np.asarray([r is not None for r in rates], np.bool_)[codes]
        if months.refused_count:
            present &= ~months.refused[months.job_wm]
        exponent = max(r.exponent for r in rates if r is not None)
        numerators = np.asarray(
            [r.numerator * 10 ** (exponent - r.exponent) if r else 0 for r in rates], np.int64
        )
        orders = jobs.orders
        if int(orders.max()) * int(numerators.max()) >= INT64_SAFE:
            product = orders.astype(object) * numerators[codes].astype(object)
        else:
            product = orders * numerators[codes]
        shift = exponent - digits  # amount per order over 10**exponent → minor units
        if shift >= 0:
            amount = round_ratio(product, 10**shift * unit, scheme.rounding.mode)
        else:
            amount = round_ratio(product * 10**-shift, unit, scheme.rounding.mode)
        amount = np.asarray(amount * unit if unit != 1 else amount, np.int64)
        amount = np.where(present, amount, 0)
        block = Block.order_lines(
            position, share, payer, months, everything, amount, codes, rates,
            present=None if present.all() else present,
        )  # fmt: skip
        blocks.append(split_funds(block))
    return blocks


def _single_term(
    terms: list[tuple[AnyInts | int, int]], known: dict[int, tuple[int, int]]
) -> tuple[AnyInts, int, int, int, int] | None:
    """(array, its step, the constant, its least and largest code) when exactly one part of
    the key is an array of codes >= 0 and the others are one number each: key = array ×
    step + constant. ``known``: bounds already found, by array."""
    arrays = [(value, step) for value, step in terms if not isinstance(value, int)]
    if len(arrays) != 1:
        return None
    array, step = arrays[0]
    assert not isinstance(array, int)
    if not len(array):
        return None
    low, high = known.get(id(array)) or bounds(array)
    if low < 0 or high >= 1 << 20:
        return None
    constant = sum(value * step for value, step in terms if isinstance(value, int))
    return array, step, constant, low, high


def _key_of(terms: list[tuple[AnyInts | int, int]], count: int) -> Ints:
    """``Σ value × step`` over ``terms``: the parts that are one number in the chunk are
    summed once, the others added into one new array (a read-only broadcast if none)."""
    constant = sum(value * step for value, step in terms if isinstance(value, int))
    key: Ints | None = None
    for value, step in terms:
        if isinstance(value, int):
            continue
        if key is None:
            key = np.multiply(value, step, dtype=np.int64)
        elif step == 1:
            key += value
        else:
            key += np.multiply(value, step, dtype=np.int64)  # codes may be narrow
    if key is None:
        return repeated(constant, count)
    if constant:
        key += constant
    return key


def _keys_and_seen(
    terms: list[tuple[AnyInts | int, int]], count: int, space: int
) -> tuple[Ints, npt.NDArray[np.bool_]]:
    """:func:`_key_of`, and which keys of ``0 .. space - 1`` occur; two parts that vary (a
    chunk of two months and several industries) in one compiled pass."""
    varying: list[tuple[AnyInts, int]] = [
        (value, step) for value, step in terms if not isinstance(value, int)
    ]
    if len(varying) == 2:
        constant = sum(value * step for value, step in terms if isinstance(value, int))
        (first, first_step), (second, second_step) = varying
        return keys_seen(first, first_step, second, second_step, constant, space)
    key = _key_of(terms, count)
    seen = np.zeros(space, np.bool_)
    seen[key] = True
    return key, seen


def order_blocks(
    pack: RulePack, months: WorkerMonths, position: int, scheme: SchemeRules
) -> list[Block]:
    """Per-order lines, computed for every engagement at once: an engagement without orders,
    or where the scheme is not in force, gets amount 0 and is marked absent (no line)."""
    jobs = months.jobs
    fewest_orders, most_orders = jobs.orders_bounds or (
        bounds(jobs.orders) if len(jobs.orders) else (0, 0)
    )
    # which engagements have orders (and are not refused): made only where needed — the
    # lines of a chunk where every premium is in force are marked without it (WithOrders)
    use: npt.NDArray[np.bool_] | None = None
    if months.refused_count:
        use = (jobs.orders > 0) & ~months.refused[months.job_wm]
    if not most_orders or (use is not None and not use.any()):
        return []
    unit = rounding_unit(pack, scheme)
    everything = months.job_wm if months.one_job_each else np.arange(len(jobs.orders))
    class_index, names = months.premium_classes(pack)
    registry, keys = months.registry_keys() if scheme.covered_platforms else (0, (None,))
    regions = list(pack.regions)
    # key = (((industry × classes + class) × keys + key) × regions + region) × months + month,
    # expanded so that a part with one value in the chunk costs nothing
    step = months.span
    known: dict[int, tuple[int, int]] = {}
    # every engagement's month lies in the chunk's [first, first + span): one month, no scan
    within = (months.first, months.first + months.span - 1)
    terms: list[tuple[AnyInts | int, int]] = [
        (constant_or(jobs.month, found=within), 1),
        (-months.first, 1),
    ]
    sizes = ((jobs.region, len(regions)), (registry, len(keys)), (class_index, len(names)))
    for part, size in sizes:
        terms.append((constant_or(part, 0, known) if not isinstance(part, int) else part, step))
        step *= size
    terms.append((constant_or(jobs.industry, 0, known, jobs.industry_bounds), step))
    space = step * len(pack.industries)
    single = _single_term(terms, known)
    if single is not None:  # one part varies (e.g. the industry): its own codes are the slots
        # every code from the least to the largest is resolved, without a scan for the ones
        # present: a code no row has is looked up in the memo and asked for by no row (it
        # refuses no worker-month, as ``affected`` below is empty for it)
        codes, step_of, constant, least, largest = single
        slot_of = np.arange(least, largest + 1)
        values, slots = slot_of * step_of + constant, largest + 1
    elif space <= 1 << 20:  # the keys themselves index the tables
        key, seen = _keys_and_seen(terms, len(jobs.orders), space)
        values, codes, slots = np.flatnonzero(seen), key, space
        slot_of = values
    else:  # a sparse key space: number the keys densely
        values, codes = dense_unique(_key_of(terms, len(jobs.orders)))
        slots = len(values)
        slot_of = np.arange(slots)
    blocks = []
    currency_digits = -int(minor_unit(pack.currency).as_tuple().exponent)
    for index, share in enumerate(scheme.shares):
        premiums: list[PremiumRules | None] = [None] * slots
        for slot, value in zip(slot_of.tolist(), values.tolist(), strict=True):
            rest, offset = divmod(value, months.span)
            rest, place = divmod(rest, len(regions))
            rest, registry_key = divmod(rest, len(keys))
            industry, premium_class = divmod(rest, len(names))
            on = Month._from_index(months.first + offset).first_day
            try:
                premiums[slot] = premium_rules(
                    pack,
                    scheme,
                    index,
                    pack.industries[industry],
                    names[premium_class],
                    keys[registry_key],
                    regions[place],
                    on,
                )
            except RuleNotFound as error:
                if use is None:
                    use = jobs.orders > 0
                affected = np.flatnonzero((codes == slot) & use)
                if len(affected):  # engagements without orders never ask for a premium
                    platform = months.inputs.platform_ids[jobs.platform[affected[0]]]
                    months.refuse(
                        months.job_wm[affected],
                        f"platform {platform!r}: {error}",
                        RuleNotFound,
                        "platform_id",
                    )
        in_force = np.asarray([p is not None for p in premiums], np.bool_)
        in_force_here = in_force[slot_of]
        everywhere = bool(in_force_here.all()) and not months.refused_count
        present: npt.NDArray[np.bool_] | WithOrders | None
        if everywhere:  # the lines: the engagements with orders (all of them if none has 0)
            present = WithOrders(jobs.orders) if fewest_orders <= 0 else None
        else:
            if use is None:
                use = jobs.orders > 0
            present = use if in_force_here.all() else use & in_force[codes]
            if months.refused_count:
                present = present & ~months.refused[months.job_wm]
        exponent = max((p.rates.exponent for p in premiums if p), default=0)
        numerators = np.asarray(
            [p.rates.numerator * 10 ** (exponent - p.rates.exponent) if p else 0 for p in premiums]
            or [0],
            np.int64,
        )
        orders = jobs.orders
        # premium per order in currency units over 10**exponent → minor units
        shift = exponent - currency_digits
        denominator = (10**shift if shift >= 0 else 1) * unit
        factor = 10**-shift if shift < 0 else 1
        one = bool((numerators == numerators[0]).all())  # one premium in the chunk
        words: Ints | None = None
        if most_orders * int(numerators.max()) * factor >= INT64_SAFE:
            product = orders.astype(object) * numerators[codes].astype(object) * factor
            amount = round_ratio(product, denominator, scheme.rounding.mode)
        elif everywhere and denominator == 1 and unit == 1:
            # whole minor units per order: the amounts are final as multiplied, so they are
            # written straight as decimal128 words (the payer's totals per worker, as is)
            words = times_gathered_words(
                orders,
                repeated(0, len(orders)) if one else codes,
                numerators[:1] if one else numerators,
                factor,
            )
            words.flags.writeable = False  # shared by the amounts (a view) and the totals
            amount = words[::2]
        else:
            if one:
                product = np.multiply(orders, int(numerators[0]) * factor, dtype=np.int64)
            else:  # gathered, multiplied and scaled in one pass
                product = times_gathered(orders, codes, numerators, factor)
            amount = round_ratio_inplace(product, denominator, scheme.rounding.mode)
        if unit != 1:
            amount = amount * unit
        amount = np.asarray(amount, np.int64)
        # rows without orders already have amount 0 (0 × premium); only rows where the
        # premium is not in force, or whose worker-month is refused, need zeroing
        if isinstance(present, np.ndarray):
            if present.all():
                present = None
            else:
                amount = np.where(present, amount, 0)
        block = Block.order_lines(
            position,
            index,
            share.payer,
            months,
            everything,
            amount,
            codes,
            [p.rates if p else None for p in premiums],
            present=present,
            words=words,
        )
        blocks.append(split_funds(block))
    return blocks
