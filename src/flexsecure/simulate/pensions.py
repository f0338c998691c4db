"""Pensions at retirement for a sample of simulated workers.

A run covers a few years of careers that last decades, so a pension needs an assumption about
the rest of the career. The one used here extends the behaviour the run observed:

* a worker who contributed ``c`` of the ``T`` months the run simulated before their legal
  retirement month is assumed to keep that *density* ``c / T`` until retirement, so their
  career counts ``N = round(c / T × M)`` months, ``M`` the months from the start of the run
  to retirement (the months before the run are not known: none are counted);
* those ``N`` months are projected on the base the worker is on at the end of the run, as
  consecutive months ending at retirement, by :func:`flexsecure.batch.project_population` —
  the library's own projection (basic pension ``W × (1 + I) / 2 × N × 1 %``, account pension
  ``balance ÷ divisor``, the minimum contribution months of the retirement year: a worker short
  of them gets no monthly pension), with explicit :class:`~flexsecure.Assumptions` for wage
  growth and interest (:class:`PensionSettings`);
* the **replacement rate** is the monthly pension over the worker's average monthly earnings
  in the run's active months grown by the assumed wage growth to the retirement year;
* **below the resident minimum** compares the pension with the residents' scheme's central
  minimum basic pension (pack: ``resident_pension.minimum_basic_pension``) in force at
  retirement — the floor an old person gets without an employee pension.

Projections cost milliseconds a worker, so they run on a sample (the same workers under every
policy of a seed: ``[seed, 20]``).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch import minor_units_of, project_population
from flexsecure.facts.engagements import BaseChoice
from flexsecure.jurisdictions.cn.careers import Assumptions
from flexsecure.simulate.population import Population
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.simulate.run import month_at
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.periods import Month

__all__ = ["MINIMUM_PENSION", "PensionSettings", "project_sample"]

MINIMUM_PENSION = "resident_pension.minimum_basic_pension"


def _growth(_instance: object, attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, Decimal) or not -1 < value <= 1:
        raise InvalidInput(
            f"PensionSettings.{attribute.name} must be a Decimal in (-1, 1], got {value!r}"
        )


@attrs.frozen
class PensionSettings:
    """Assumptions of the pension projection. No defaults: they are the user's to state."""

    wage_growth: Decimal = attrs.field(validator=_growth)
    interest_rate: Decimal = attrs.field(validator=_growth)
    """Crediting rate of years without a published one."""
    sample: int = attrs.field(default=2_000)
    """Workers projected per run (all of them if the population is smaller)."""

    @sample.validator
    def _check_sample(self, _attribute: object, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInput(f"PensionSettings.sample must be an int >= 1, got {value!r}")


def sample_rows(population: Population, settings: PensionSettings, seed: int) -> Any:
    """The sampled workers' rows, the same for every policy of ``seed``."""
    n = population.size
    if settings.sample >= n:
        return np.arange(n, dtype=np.int64)
    rng = np.random.default_rng([seed, 20])
    return np.sort(rng.choice(n, settings.sample, replace=False)).astype(np.int64)


def project_sample(
    reformed: JurisdictionLike,
    population: Population,
    *,
    rows: Any,
    contributed: Any,
    retire: Any,
    bases: list[BaseChoice],
    earnings: Any,
    active_months: Any,
    start: Month,
    months: int,
    settings: PensionSettings,
) -> pa.Table:
    """One row per sampled worker: the career months assumed, the projected pension and its
    measures (see the module docstring); ``problem`` says why a worker has no projection."""
    workers = population.workers.take(pa.array(rows))
    regions = workers.column("region").to_pylist()
    until = retire[rows] - start.index
    simulated = np.minimum(until, months)
    done = contributed[rows]
    career = np.where(simulated > 0, np.rint(done * until / np.maximum(simulated, 1)), 0)
    career = career.astype(np.int64)
    pension: list[int | None] = [None] * len(rows)
    eligible: list[bool | None] = [None] * len(rows)
    retirement: list[dt.date | None] = [None] * len(rows)
    problem: list[str | None] = [None] * len(rows)
    for index in np.flatnonzero(until <= 0).tolist():
        problem[index] = "reaches the legal retirement age before the run starts"
    groups: dict[tuple[str, BaseChoice], list[int]] = {}
    for index, row in enumerate(rows.tolist()):
        if until[index] > 0 and career[index] > 0:
            groups.setdefault((regions[index], bases[row]), []).append(index)
        elif until[index] > 0:
            pension[index], eligible[index] = 0, False
    for (region, base), members in groups.items():
        chosen = np.asarray(members, np.int64)
        first = [str(month_at(int(retire[rows[i]] - career[i]))) for i in members]
        table = workers.take(pa.array(chosen)).append_column("start", pa.array(first))
        table = table.set_column(0, "worker_id", pa.array([str(i) for i in members]))
        assumptions = Assumptions(start=start, region=region, base=base,
                                  wage_growth=settings.wage_growth,
                                  interest_rate=settings.interest_rate)  # fmt: skip
        projected = project_population(reformed, table, assumptions, errors="collect")
        last = projected.filter(pc.is_valid(projected["retirement_date"]))
        for worker_id, amount, ok, day in zip(
            last["worker_id"].to_pylist(), minor_units_of(last["monthly_pension"]).tolist(),
            last["eligible"].to_pylist(), last["retirement_date"].to_pylist(), strict=True,
        ):  # fmt: skip
            index = int(worker_id)
            pension[index], eligible[index], retirement[index] = amount, ok, day
        failed = projected.filter(pc.is_valid(projected["problem"]))
        for worker_id, why in zip(failed["worker_id"].to_pylist(), failed["problem"].to_pylist(),
                                  strict=True):  # fmt: skip
            problem[int(worker_id)] = why
    return _measures(reformed, workers, rows, done, career, pension, eligible, retirement,
                     problem, earnings, active_months, retire, start, months, settings)  # fmt: skip


def _measures(
    reformed: JurisdictionLike, workers: pa.Table, rows: Any, done: Any, career: Any,
    pension: list[Any], eligible: list[bool | None], retirement: list[dt.date | None],
    problem: list[str | None], earnings: Any, active_months: Any, retire: Any, start: Month,
    months: int, settings: PensionSettings,
) -> pa.Table:  # fmt: skip
    """Replacement rate and the comparison with the residents' minimum, per sampled worker."""
    growth = float(settings.wage_growth)
    mid_year = (start + months // 2).year
    replacement: list[float | None] = []
    below: list[bool | None] = []
    minimum_missing: str | None = None
    for index, row in enumerate(rows.tolist()):
        amount = pension[index]
        if amount is None:
            replacement.append(None)
            below.append(None)
            continue
        worked = int(active_months[row])
        retire_year = month_at(int(retire[row])).year
        if worked:
            wage = earnings[row] / worked * (1 + growth) ** (retire_year - mid_year)
            replacement.append(amount / wage if wage > 0 else None)
        else:
            replacement.append(None)
        on = month_at(int(retire[row])).first_day
        try:
            minimum = reformed.parameter(MINIMUM_PENSION, on=on).value
            below.append(Decimal(amount).scaleb(-2) < minimum.amount)  # type: ignore[union-attr]
        except RuleNotFound as error:
            minimum_missing = str(error)
            below.append(None)
    if minimum_missing is not None:
        problem = [p or f"no residents' minimum: {minimum_missing}" for p in problem]
    return pa.table({
        "worker_id": workers.column("worker_id"),
        "region": workers.column("region"),
        "birth_date": workers.column("birth_date"),
        "contributed_months": pa.array(done, pa.int32()),
        "career_months": pa.array(career, pa.int32()),
        "retirement_date": pa.array(retirement, pa.date32()),
        "monthly_pension": pa.array(
            [Decimal(p).scaleb(-2) if p is not None else None for p in pension],
            pa.decimal128(18, 2),
        ),
        "eligible": pa.array(eligible, pa.bool_()),
        "replacement_rate": pa.array(replacement, pa.float64()),
        "below_resident_minimum": pa.array(below, pa.bool_()),
        "problem": pa.array(problem, pa.string()),
    })  # fmt: skip
