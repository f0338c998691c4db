"""Fixed-amount lines of a base scheme, for a whole population at once.

Where a base scheme charges a fixed monthly amount (the scheme's ``fixed_amount`` parameter,
:mod:`flexsecure.calculations.fixed_amounts`), every enrolled worker-month of that region and
month pays the same amount whatever base was chosen: one line of the scheme's one payer (for
platforms, apportioned by earnings), no base, the amount as its rate, split over the funds.
The amount and its split come from the same lookup as the per-object path.
"""

from __future__ import annotations

import numpy as np

from flexsecure.batch._arrays import Ints
from flexsecure.batch.lines import Block, apportion, split_funds
from flexsecure.batch.months import WorkerMonths
from flexsecure.batch.rules import FixedRules, ShareRates
from flexsecure.values.errors import RuleNotFound
from flexsecure.values.money import minor_unit

__all__ = ["fixed_block"]


def fixed_block(
    months: WorkerMonths,
    position: int,
    currency: str,
    wm: Ints,
    region: Ints,
    inverse: Ints,
    rules: list[FixedRules | None],
) -> Block | None:
    """The lines of the worker-months ``wm`` (regions ``region``) whose rules ``rules[inverse]``
    are a fixed amount; ``None`` when there are none. ``wm`` must not hold refused months."""
    chosen = np.asarray([rule is not None for rule in rules], np.bool_)[inverse]
    if not chosen.any():
        return None
    scale = 10 ** -int(minor_unit(currency).as_tuple().exponent)
    units = np.zeros(len(rules), np.int64)
    rates: list[ShareRates | None] = []
    for index, rule in enumerate(rules):
        rates.append(rule.rates if rule is not None else None)
        if rule is not None:
            amount = rule.amount.amount * scale
            if amount != amount.to_integral_value():
                raise RuleNotFound(f"the batch engine needs whole minor units, got {rule.amount!r}")
            units[index] = int(amount)
    payer = next(rule.rates.payer for rule in rules if rule is not None)
    codes = inverse[chosen]
    block = Block.base_lines(
        position,
        0,
        payer,
        wm[chosen],
        np.asarray(region)[chosen],
        np.full(int(chosen.sum()), -1, np.int64),  # no base
        units[codes],
        codes,
        rates,
    )
    if payer == "platform":
        block = apportion(block, months)
    return split_funds(block)
