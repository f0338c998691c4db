"""Nudges and coverage: enrolment behaviour over populations, with cited parameters.

``flexsecure.simulate`` runs a population of platform workers month by month under a
*policy* — a choice architecture (opt-in, default enrolment with opt-out, active choice), a
match, and optionally a reform of the rules (e.g. platform co-funding) — and reports who
enrols, who lapses, what workers, platforms and government pay, and what pensions people end up
with. It needs the ``batch`` extra (numpy, pyarrow): contributions come from
:func:`flexsecure.batch.contributions`, pensions from :func:`flexsecure.batch.project_population`;
plots need the ``plot`` extra (matplotlib).

* :class:`Behaviour` — the pack's ``behaviour.*`` parameters (cited) as probabilities;
* :class:`Policy` and :class:`Architecture` — what the population faces; :func:`named_policy`
  builds the four compared in the example (opt-in, default enrolment, default with platform
  co-funding, opt-in with a per-order pension micro-contribution);
* :func:`synthetic_population` / :class:`PopulationSpec` / :meth:`Population.from_tables`;
* :func:`simulate` → :class:`SimulationResult` (tidy pyarrow tables, :meth:`summary`);
* :func:`compare` — policies side by side with confidence intervals over seeds;
* :func:`calibrate_opt_in` — fit the opt-in rate to an observed coverage;
* :func:`run_partitions` (:func:`run_partition`, :func:`combine`) — larger runs in
  independent partitions, one after the other or on Dask;
* :mod:`flexsecure.simulate.plots` — coverage over time, cost vs coverage (PNG).

A tiny run::

    >>> import flexsecure as fs
    >>> from flexsecure import simulate as sim
    >>> cn = fs.load_jurisdiction("CN")
    >>> start = fs.Month(2026, 1)
    >>> people = sim.synthetic_population(cn, sim.PopulationSpec(workers=200), start=start, seed=7)
    >>> policy = sim.Policy("default enrolment", sim.Architecture.DEFAULT)
    >>> result = sim.simulate(cn, people, policy, start=start, years=1, seed=7)
    >>> summary = result.summary()
    >>> 0.5 < summary["coverage_rate"] <= 1
    True
"""

from __future__ import annotations

try:
    import numpy  # noqa: F401
    import pyarrow  # noqa: F401
except ImportError as error:  # pragma: no cover - exercised without the extra
    raise ImportError(
        f"flexsecure.simulate needs the 'batch' extra ({error.name} is not installed): "
        "pip install 'flexsecure[batch]'"
    ) from error

from flexsecure.simulate.behaviour import Architecture, Behaviour
from flexsecure.simulate.calibrate import Calibration, calibrate_opt_in, simulated_coverage
from flexsecure.simulate.compare import compare, confidence_table
from flexsecure.simulate.partitions import combine, run_partition, run_partitions
from flexsecure.simulate.pensions import PensionSettings
from flexsecure.simulate.policy import NAMED_POLICIES, Policy, named_policy
from flexsecure.simulate.population import (
    MonthOfWork,
    Population,
    PopulationSpec,
    synthetic_population,
)
from flexsecure.simulate.simulation import SimulationResult, simulate

__all__ = [
    "NAMED_POLICIES",
    "Architecture",
    "Behaviour",
    "Calibration",
    "MonthOfWork",
    "PensionSettings",
    "Policy",
    "Population",
    "PopulationSpec",
    "SimulationResult",
    "calibrate_opt_in",
    "combine",
    "compare",
    "confidence_table",
    "named_policy",
    "run_partition",
    "run_partitions",
    "simulate",
    "simulated_coverage",
    "synthetic_population",
]
