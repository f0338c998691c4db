"""Per-order contributions to a scheme, for every engagement at once.

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

from flexsecure.batch._arrays import INT64_SAFE, dense_unique
from flexsecure.batch.lines import Block, split_funds
from flexsecure.batch.months import WorkerMonths
from flexsecure.batch.rules import ShareRates, order_contribution_rules, round_ratio, rounding_unit
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import Enrolling, SchemeRules
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import minor_unit
from flexsecure.values.periods import Month

__all__ = ["per_order_blocks"]


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
    key = (jobs.industry * len(regions) + jobs.region) * months.span + (jobs.month - months.first)
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
