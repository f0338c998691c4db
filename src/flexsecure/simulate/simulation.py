"""Run a policy over a population and tabulate what happened.

:func:`simulate` runs the months (:mod:`flexsecure.simulate.run`), then projects pensions for
a sample (:mod:`flexsecure.simulate.pensions`), and returns a :class:`SimulationResult` of
tidy pyarrow tables (``.to_pandas()`` on any of them):

Every table starts with a ``policy`` column (the policy's name), so the tables of several runs
concatenate into one tidy table.

* ``monthly`` — per month and region: workers ``active``, ``covered`` (contributing),
  ``enrolled`` (a stock: enrolled whether or not they worked), ``coverage_rate`` =
  covered ÷ active;
* ``yearly`` — per year, region and cohort (birth decade): workers, active and covered
  worker-months, coverage rate, contributions by payer (exact decimals), orders, the platforms'
  cost per order and the fiscal cost (what the government pays);
* ``worker_years`` — one row per worker and year (``worker_years=True``; 10 million rows for a
  million workers over ten years, so off by default for large runs);
* ``pensions`` — the projected pensions of the sample.

:meth:`SimulationResult.summary` gives the run's headline measures as one row.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch import money_column
from flexsecure.simulate.behaviour import Behaviour
from flexsecure.simulate.pensions import PensionSettings, project_sample, sample_rows
from flexsecure.simulate.policy import Policy
from flexsecure.simulate.population import Population
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.simulate.run import PAYERS, base_at_end, retirement_months, run_months
from flexsecure.values.periods import Month

__all__ = ["SimulationResult", "labelled", "simulate"]

T = TypeVar("T", pa.Table, None)

MONEY = pa.decimal128(18, 2)
PENSION_MEASURES = (
    "median_replacement_rate",
    "median_replacement_rate_eligible",
    "median_account_pension",
    "median_account_pension_eligible",
    "eligible_share",
    "below_minimum_share",
)
PER_ORDER = Decimal("0.0001")


def _yuan(fen: int) -> Decimal:
    return Decimal(int(fen)).scaleb(-2)


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@attrs.frozen(eq=False)
class SimulationResult:
    """Tables of one run (see the module docstring) and what produced them."""

    policy: Policy
    seed: int
    start: Month
    months: int
    behaviour: Behaviour
    monthly: pa.Table
    yearly: pa.Table
    pensions: pa.Table | None
    worker_years: pa.Table | None
    ever_active: int
    """Workers active in at least one month of the run."""
    ever_covered: int
    """Workers who contributed in at least one month of the run."""

    def summary(self) -> dict[str, Any]:
        """Headline measures of the run: coverage (whole run and last 12 months), the share
        of workers ever covered, contributions by payer, platform cost per order, fiscal
        cost, and from the pension sample the median replacement rate and the median account
        pension (everyone with a projection, zeros included; and the eligible only), the share
        eligible for a monthly pension and the share below the residents' minimum."""
        monthly, yearly = self.monthly, self.yearly
        first = self.start + max(self.months - 12, 0)
        recent = monthly.filter(pc.greater_equal(monthly["month"], str(first)))
        totals = {
            name: int(pc.sum(yearly[name]).as_py() or 0)
            for name in ("active_months", "covered_months", "orders")
        }
        money = {p: pc.sum(yearly[f"paid_{p}"]).as_py() or Decimal(0) for p in PAYERS}
        row: dict[str, Any] = {
            "policy": self.policy.name,
            "seed": self.seed,
            "coverage_rate": _ratio(totals["covered_months"], totals["active_months"]),
            "coverage_last_year": _ratio(int(pc.sum(recent["covered"]).as_py() or 0),
                                         int(pc.sum(recent["active"]).as_py() or 0)),
            "ever_covered_share": _ratio(self.ever_covered, self.ever_active),
            "active_worker_months": totals["active_months"],
            **{f"paid_{p}": money[p] for p in PAYERS},
            "platform_cost_per_order": (money["platform"] / totals["orders"]).quantize(PER_ORDER)
            if totals["orders"] else None,
            "fiscal_cost": money["government"],
        }  # fmt: skip
        row.update(_pension_measures(self.pensions))
        return row


def _pension_measures(pensions: pa.Table | None) -> dict[str, Any]:
    if pensions is None or not pensions.num_rows:
        return dict.fromkeys(PENSION_MEASURES)
    valid = pensions.filter(pc.is_null(pensions["problem"]))
    rates = valid["replacement_rate"].to_numpy(zero_copy_only=False).astype(np.float64)
    eligible = valid["eligible"].to_numpy(zero_copy_only=False).astype(np.bool_)
    below = valid["below_resident_minimum"].drop_null().to_numpy(zero_copy_only=False)
    known = ~np.isnan(rates)
    accounts = valid["account_pension"].to_pylist()
    return {
        "median_replacement_rate": float(np.median(rates[known])) if known.any() else None,
        "median_replacement_rate_eligible": float(np.median(rates[known & eligible]))
        if (known & eligible).any() else None,
        "median_account_pension": _median(accounts),
        "median_account_pension_eligible": _median(
            [a for a, ok in zip(accounts, eligible.tolist(), strict=True) if ok]
        ),
        "eligible_share": float(eligible.mean()) if len(eligible) else None,
        "below_minimum_share": float(below.mean()) if len(below) else None,
    }  # fmt: skip


def _median(values: list[Decimal]) -> Decimal | None:
    """The exact median of ``values`` (the mean of the middle two for an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


@attrs.define
class _Year:
    """Per-worker counts of the current year."""

    active: Any
    covered: Any
    orders: Any
    paid: dict[str, Any]

    @classmethod
    def empty(cls, n: int) -> _Year:
        def zeros() -> Any:
            return np.zeros(n, np.int64)

        return cls(zeros(), zeros(), zeros(), {p: zeros() for p in PAYERS})


def simulate(
    jurisdiction: JurisdictionLike,
    population: Population,
    policy: Policy,
    *,
    start: Month,
    years: int,
    seed: int,
    behaviour: Behaviour | None = None,
    pensions: PensionSettings | None = None,
    worker_years: bool = False,
    progress: bool = False,
) -> SimulationResult:
    """Run ``policy`` over ``population`` for ``years`` from ``start`` (see the module
    docstring). ``behaviour`` defaults to the pack's, read on ``start``; without ``pensions``
    no pensions are projected. Identical inputs and ``seed`` give identical tables."""
    if behaviour is None:
        behaviour = Behaviour.from_pack(jurisdiction, on=start.first_day)
    months = years * 12 if isinstance(years, int) and not isinstance(years, bool) else years
    retire = population.memo(
        "retirement months", lambda: retirement_months(jurisdiction, population)
    )  # shared with run_months
    n = population.size
    regions = population.workers.column("region").to_pylist()
    region_names = sorted(set(regions))
    region = np.asarray([region_names.index(r) for r in regions], np.int64)
    births = population.workers.column("birth_date").cast(pa.date32())
    cohort = (np.asarray(pc.year(births), np.int64) // 10) * 10
    monthly: dict[str, list[Any]] = {
        k: [] for k in ("month", "region", "active", "covered", "enrolled")
    }
    yearly: list[pa.Table] = []
    rows: list[pa.Table] = []
    year = _Year.empty(n)
    ever = np.zeros(n, np.bool_)
    state = None
    for result, state_now in run_months(jurisdiction, population, policy, behaviour, start=start,
                                    months=months, seed=seed, progress=progress):  # fmt: skip
        for code, name in enumerate(region_names):
            mine = region == code
            monthly["month"].append(str(result.month))
            monthly["region"].append(name)
            monthly["active"].append(int(np.count_nonzero(result.active & mine)))
            monthly["covered"].append(int(np.count_nonzero(result.covered & mine)))
            monthly["enrolled"].append(int(np.count_nonzero(result.enrolled & mine)))
        year.active += result.active
        year.covered += result.covered
        year.orders += result.orders
        for payer in PAYERS:
            year.paid[payer] += result.paid[payer]
        ever |= result.covered
        state = state_now
        if result.month.month == 12 or result.month.index == start.index + months - 1:
            yearly.append(_group_year(result.month.year, year, region, region_names, cohort))
            if worker_years:
                rows.append(_worker_year(population, result.month.year, year, result.enrolled))
            year = _Year.empty(n)
    assert state is not None
    table = pa.concat_tables(yearly)
    monthly_table = pa.table(monthly)
    monthly_table = monthly_table.append_column(
        "coverage_rate", pc.divide(pc.cast(monthly_table["covered"], pa.float64()),
                                   pc.cast(monthly_table["active"], pa.float64())))  # fmt: skip
    projected = None
    if pensions is not None:
        sample = sample_rows(population, pensions, seed)
        projected = project_sample(
            policy.jurisdiction(jurisdiction), population, rows=sample,
            contributed=state.contributed_months, retire=retire,
            bases=base_at_end(policy, state), earnings=state.earnings,
            active_months=state.active_months, start=start, months=months, settings=pensions,
            order_account=state.order_account,
        )  # fmt: skip
    worker_table = pa.concat_tables(rows) if rows else None
    return SimulationResult(
        policy, seed, start, months, behaviour, labelled(monthly_table, policy.name),
        labelled(table, policy.name), labelled(projected, policy.name),
        labelled(worker_table, policy.name),
        int(np.count_nonzero(state.active_months)), int(np.count_nonzero(ever)),
    )  # fmt: skip


def labelled(table: T, policy: str) -> T:
    """``table`` with a first column ``policy`` (tables of several runs concatenate tidily)."""
    if table is None or "policy" in table.column_names:
        return table
    return table.add_column(0, "policy", pa.array([policy] * table.num_rows, pa.string()))


def _group_year(
    year_number: int, year: _Year, region: Any, names: list[str], cohort: Any
) -> pa.Table:
    """Sum the year's per-worker counts by region and cohort (exact integer sums)."""
    cohorts = np.unique(cohort)
    key = region * len(cohorts) + np.searchsorted(cohorts, cohort)
    size = len(names) * len(cohorts)
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    starts = np.concatenate([[0], np.flatnonzero(ordered[1:] != ordered[:-1]) + 1])

    def total(values: Any) -> Any:
        out = np.zeros(size, np.int64)
        out[ordered[starts]] = np.add.reduceat(np.asarray(values, np.int64)[order], starts)
        return out

    workers = np.bincount(key, minlength=size).astype(np.int64)
    active_workers = total(year.active > 0)
    active, covered, orders = total(year.active), total(year.covered), total(year.orders)
    paid = {p: total(year.paid[p]) for p in PAYERS}
    keep = workers > 0
    groups = np.flatnonzero(keep)
    columns: dict[str, Any] = {
        "year": pa.array(np.full(len(groups), year_number), pa.int16()),
        "region": pa.array([names[g // len(cohorts)] for g in groups.tolist()]),
        "cohort": pa.array(cohorts[groups % len(cohorts)], pa.int16()),
        "workers": pa.array(workers[groups]),
        "active_workers": pa.array(active_workers[groups]),
        "covered_workers": pa.array(total(year.covered > 0)[groups]),
        "active_months": pa.array(active[groups]),
        "covered_months": pa.array(covered[groups]),
        "coverage_rate": pa.array(
            [_ratio(int(c), int(a)) for c, a in zip(covered[groups], active[groups], strict=True)],
            pa.float64()),
        "orders": pa.array(orders[groups]),
    }  # fmt: skip
    for payer in PAYERS:
        columns[f"paid_{payer}"] = pa.array([_yuan(v) for v in paid[payer][groups]], MONEY)
    columns["platform_cost_per_order"] = pa.array(
        [(_yuan(p) / o).quantize(PER_ORDER) if o else None
         for p, o in zip(paid["platform"][groups], orders[groups], strict=True)],
        pa.decimal128(18, 4))  # fmt: skip
    columns["fiscal_cost"] = columns["paid_government"]
    return pa.table(columns)


def _worker_year(population: Population, year_number: int, year: _Year, enrolled: Any) -> pa.Table:
    workers = population.workers
    columns: dict[str, Any] = {
        "worker_id": workers.column("worker_id"),
        "year": pa.array(np.full(workers.num_rows, year_number), pa.int16()),
        "region": workers.column("region"),
        "active_months": pa.array(year.active, pa.int16()),
        "covered_months": pa.array(year.covered, pa.int16()),
        "enrolled_at_end": pa.array(enrolled),
        "orders": pa.array(year.orders),
    }
    for payer in PAYERS:
        columns[f"paid_{payer}"] = money_column(year.paid[payer])
    return pa.table(columns)
