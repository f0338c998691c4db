"""Calibration: the opt-in enrolment rate that reproduces an observed coverage.

Evidence on opt-in take-up mostly comes from other countries' employees; the coverage of
flexible workers in China is observed (e.g. the pack's ``behaviour.observed_pension_coverage``).
:func:`calibrate_opt_in` finds the ``opt_in_enrolment_rate`` at which the simulated coverage
— covered ÷ active worker-months of ``region`` (all regions if ``None``) in calendar ``year``,
under opt-in, on a fixed seed — meets the target:

* the run starts at ``start`` and stops at the end of ``year`` (enrolment only: no money);
* with the seed fixed the draws are fixed, and a higher rate enrols a superset of workers
  (common random numbers), so simulated coverage never falls as the rate rises;
* bisection on [0, 1] (rates to four places) halves the bracket until the coverage is
  within ``tolerance`` of the target or the bracket is 0.0001 wide; the rate whose coverage
  came closest is the fit (coverage moves in steps of one worker's months, so a small
  population may not meet a tight tolerance); a target outside the coverage reachable at
  rates 0 and 1 raises :class:`~flexsecure.InvalidInput`.

The result is the fitted rate, the coverage it gives, and a :class:`Behaviour` carrying it —
the other behavioural parameters (lapse above all) stay those given, so the fit is only as
good as they are.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import attrs
import numpy as np

from flexsecure.simulate.behaviour import Architecture, Behaviour
from flexsecure.simulate.policy import Policy
from flexsecure.simulate.population import Population
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.simulate.run import run_months
from flexsecure.values.errors import InvalidInput
from flexsecure.values.periods import Month

__all__ = ["Calibration", "calibrate_opt_in", "simulated_coverage"]

PLACES = Decimal("0.0001")


@attrs.frozen
class Calibration:
    """A fitted opt-in enrolment rate and how it was found."""

    rate: Decimal
    coverage: float
    """Simulated coverage at ``rate``."""
    target: Decimal
    region: str | None
    year: int
    seed: int
    iterations: int
    behaviour: Behaviour
    """The behaviour given, with ``opt_in_enrolment_rate = rate``."""


def simulated_coverage(
    jurisdiction: JurisdictionLike,
    population: Population,
    behaviour: Behaviour,
    *,
    year: int,
    region: str | None,
    start: Month,
    seed: int,
    policy: Policy | None = None,
) -> float:
    """Covered ÷ active worker-months in ``region`` and ``year`` (enrolment only)."""
    if start > Month(year, 12):
        raise InvalidInput(f"year {year} ends before the run starts in {start}")
    months = Month(year, 12).index - start.index + 1
    policy = policy or Policy("opt-in", Architecture.OPT_IN)
    regions = np.asarray(population.workers.column("region").to_pylist(), object)
    if region is not None and region not in set(regions.tolist()):
        raise InvalidInput(f"region {region!r} has no workers in the population")
    mine = np.ones(len(regions), np.bool_) if region is None else regions == region
    active = covered = 0
    for result, _ in run_months(jurisdiction, population, policy, behaviour, start=start,
                                months=months, seed=seed, money=False):  # fmt: skip
        if result.month.year == year:
            active += int(np.count_nonzero(result.active & mine))
            covered += int(np.count_nonzero(result.covered & mine))
    return covered / active if active else 0.0


def calibrate_opt_in(
    jurisdiction: JurisdictionLike,
    population: Population,
    *,
    target: Decimal,
    year: int,
    start: Month,
    seed: int,
    region: str | None = None,
    behaviour: Behaviour | None = None,
    tolerance: Decimal = Decimal("0.002"),
    max_iterations: int = 30,
) -> Calibration:
    """Fit ``opt_in_enrolment_rate`` to ``target`` coverage (see the module docstring)."""
    if isinstance(target, bool) or not isinstance(target, Decimal) or not 0 <= target <= 1:
        raise InvalidInput(f"target must be a Decimal coverage in [0, 1], got {target!r}")
    given = behaviour or Behaviour.from_pack(jurisdiction, on=start.first_day)

    def coverage(rate: Decimal) -> float:
        trial = attrs.evolve(given, opt_in_enrolment_rate=rate)
        return simulated_coverage(jurisdiction, population, trial, year=year, region=region,
                                  start=start, seed=seed)  # fmt: skip

    goal = float(target)
    low, high = Decimal(0), Decimal(1)
    at_low, at_high = coverage(low), coverage(high)
    if not at_low <= goal <= at_high:
        raise InvalidInput(
            f"coverage {target} is out of reach: rates 0 and 1 give {at_low:.4f} and "
            f"{at_high:.4f} in {region or 'all regions'} {year} (lapses and gaps bound it)"
        )
    best = min(((low, at_low), (high, at_high)), key=lambda pair: abs(pair[1] - goal))
    iterations = 0
    while iterations < max_iterations and high - low > PLACES:
        if abs(best[1] - goal) <= tolerance:
            break
        iterations += 1
        middle = ((low + high) / 2).quantize(PLACES, ROUND_HALF_UP)
        found = coverage(middle)
        if abs(found - goal) < abs(best[1] - goal):
            best = (middle, found)
        if found < goal:
            low = middle
        else:
            high = middle
    rate, found = best
    return Calibration(rate, found, target, region, year, seed, iterations,
                       attrs.evolve(given, opt_in_enrolment_rate=rate))  # fmt: skip
