"""Policies side by side, with confidence intervals from repeated seeds.

:func:`compare` runs every policy on every seed — on the same population and the same draws
for all policies of a seed (common random numbers), so differences between policies are not
differences of luck — and returns one row per policy and measure of
:meth:`~flexsecure.simulate.SimulationResult.summary`: the mean over seeds and a 95 %
confidence interval ``mean ± t(0.975, k − 1) × s / √k`` (Student's t over the ``k`` seeds;
with one seed the interval is empty). The columns are decimals: money measures to the fen
(computed in Decimal), rates to six places.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pyarrow as pa

from flexsecure.simulate.policy import Policy
from flexsecure.simulate.population import Population
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.simulate.simulation import SimulationResult, simulate
from flexsecure.values.errors import InvalidInput

__all__ = ["T_975", "compare", "confidence_table"]

T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306,
         9: 2.262, 10: 2.228, 11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131,
         16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093, 20: 2.086, 25: 2.060, 30: 2.042}  # fmt: skip
"""Two-sided 95 % quantiles of Student's t by degrees of freedom (standard tables); more than
30 degrees of freedom use 1.96, and a missing row the next smaller one listed (wider)."""

CENT = Decimal("0.01")
STATISTIC = pa.decimal128(38, 6)
"""Type of the mean and interval columns: money means to the fen, rates to 6 places."""


def _t(df: int) -> float:
    if df > 30:
        return 1.96
    return T_975[max(d for d in T_975 if d <= df)]


def compare(
    jurisdiction: JurisdictionLike,
    population: Callable[[int], Population],
    policies: Sequence[Policy],
    *,
    seeds: Sequence[int],
    **options: Any,
) -> tuple[pa.Table, list[SimulationResult]]:
    """Run each policy on each seed (``population(seed)`` builds the seed's population;
    ``options`` go to :func:`~flexsecure.simulate.simulate`, e.g. ``start``, ``years``,
    ``pensions``). Returns the confidence table and every run's result."""
    if not policies or not seeds:
        raise InvalidInput("compare needs at least one policy and one seed")
    names = [p.name for p in policies]
    if len(set(names)) != len(names):
        raise InvalidInput(f"policy names must be unique, got {names}")
    results = []
    for seed in seeds:
        people = population(seed)
        for policy in policies:
            results.append(simulate(jurisdiction, people, policy, seed=seed, **options))
    return confidence_table([r.summary() for r in results]), results


def confidence_table(summaries: Sequence[dict[str, Any]]) -> pa.Table:
    """Mean and 95 % interval per policy and measure over the summaries of several seeds."""
    by_policy: dict[str, list[dict[str, Any]]] = {}
    for row in summaries:
        by_policy.setdefault(row["policy"], []).append(row)
    out: dict[str, list[Any]] = {
        k: [] for k in ("policy", "measure", "seeds", "mean", "ci_low", "ci_high")
    }
    for policy, rows in by_policy.items():
        for measure in rows[0]:
            if measure in ("policy", "seed"):
                continue
            values = [r[measure] for r in rows if r[measure] is not None]
            mean, low, high = _interval(values)
            out["policy"].append(policy)
            out["measure"].append(measure)
            out["seeds"].append(len(values))
            for key, value in (("mean", mean), ("ci_low", low), ("ci_high", high)):
                out[key].append(value)
    return pa.table({
        "policy": pa.array(out["policy"]), "measure": pa.array(out["measure"]),
        "seeds": pa.array(out["seeds"], pa.int32()),
        **{key: pa.array([_exact(v) for v in out[key]], STATISTIC)
           for key in ("mean", "ci_low", "ci_high")},
    })  # fmt: skip


def _exact(value: Any) -> Decimal | None:
    if value is None:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _interval(values: list[Any]) -> tuple[Any, Any, Any]:
    """(mean, low, high): Decimals to the fen for money, floats for rates; None if empty."""
    if not values:
        return None, None, None
    k = len(values)
    if all(isinstance(v, Decimal) for v in values):
        mean = sum(values, Decimal(0)) / k
        if k == 1:
            return mean.quantize(CENT, ROUND_HALF_UP), None, None
        spread = (sum(((v - mean) ** 2 for v in values), Decimal(0)) / (k - 1)).sqrt()
        half = Decimal(str(_t(k - 1))) * spread / Decimal(k).sqrt()
        low, high = mean - half, mean + half
        return mean.quantize(CENT, ROUND_HALF_UP), low.quantize(CENT), high.quantize(CENT)
    numbers = [float(v) for v in values]
    mean_f = sum(numbers) / k
    if k == 1:
        return round(mean_f, 6), None, None
    spread_f = math.sqrt(sum((v - mean_f) ** 2 for v in numbers) / (k - 1))
    half_f = _t(k - 1) * spread_f / math.sqrt(k)
    return round(mean_f, 6), round(mean_f - half_f, 6), round(mean_f + half_f, 6)
