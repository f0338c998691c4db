"""The month-by-month simulation: who enrols, who lapses, and what everyone pays.

Each month of the run, in this order:

1. the population's engagements say who works (is *active*);
2. workers who enrolled once and have lapsed since come back with the monthly
   re-enrolment rate (``Behaviour.reenrolment_rate``; if they still work before
   retirement); then every enrolled worker, those just back included, lapses with the
   monthly hazard, and workers on the default base move to their own choice with the
   default-base hazard;
3. workers active for the first time *sign up*: they meet the policy's architecture and are
   enrolled with the :meth:`~flexsecure.simulate.Behaviour.enrolment_probability` of it (the
   policy starts with the run, so every worker signs up at their first active month, as UK
   employers' existing staff were enrolled at staging);
4. enrolled, active workers below their legal retirement month *contribute*: their month's
   engagements and enrolment go through :func:`flexsecure.batch.contributions` (the columnar
   engine, identical to :meth:`~flexsecure.Jurisdiction.monthly_contributions` to the fen) —
   contributions are collected through the platform app, so a month without platform work is
   a month without a contribution (a gap, 断缴).

Randomness: one uniform per worker for the sign-up decision (``[seed, 10]``), two per worker
and month for lapse and base moves (``[seed, 11, month]``) and, when the re-enrolment rate is
above 0, one per worker and month for coming back (``[seed, 12, month]``), all from numpy's
``Generator``. The draws do not depend on the policy or the rates, so policies run on the same
seed face the same workers and the same luck (common random numbers): a higher enrolment
probability, or a higher re-enrolment rate, enrols a superset in every month.

Only the scheme the policy is about is computed (``schemes=[policy.scheme]``): per-order
schemes such as occupational-injury protection, paid whatever anyone enrols, are the same under
every policy. When the policy's reform gives that scheme a per-order contribution (e.g. the CN
pack's ``pension_per_order``), every active worker's engagements go in with their orders, and
workers who are not enrolled pay the per-order lines too: they are not *covered* (the lines
count no contributed month), but what they pay is in the payers' totals. What those lines pay
into the individual account (``ACCOUNT_FUND``) is kept per worker, apart from the base's
(:attr:`MonthResult.order_account`, summed in :attr:`RunState.order_account`), for the pension
projection (:mod:`flexsecure.simulate.pensions`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch import contributions, minor_units_of, money_column
from flexsecure.facts.engagements import BaseChoice
from flexsecure.facts.workers import Worker
from flexsecure.simulate.behaviour import Architecture, Behaviour
from flexsecure.simulate.policy import Policy
from flexsecure.simulate.population import MonthOfWork, Population
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.values.errors import InvalidInput
from flexsecure.values.periods import Month

__all__ = [
    "ACCOUNT_FUND",
    "PAYERS",
    "MonthResult",
    "RunState",
    "month_at",
    "per_worker",
    "retirement_months",
    "run_months",
]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
PAYERS = ("worker", "platform", "government")
ACCOUNT_FUND = "individual_account"
"""The fund of the pension's individual account (per-order money credited to it is kept)."""


def month_at(index: int) -> Month:
    """The month of a :attr:`Month.index` (months since year 0)."""
    return Month(index // 12, index % 12 + 1)


def retirement_months(jurisdiction: JurisdictionLike, population: Population) -> Ints:
    """Each worker's legal retirement month index, from the jurisdiction's retirement rule.

    Retirement ages are stated in years and months of age, so the month depends on the
    birth month, not the day: one call per distinct birth month, sex and worker facts (the
    workers table's other columns, such as ``retirement_category``, except ``region``).
    """
    table = population.workers
    births = table.column("birth_date").cast(pa.date32())
    years = np.asarray(pc.year(births), np.int64)
    birth_months = (years * 12 + np.asarray(pc.month(births), np.int64) - 1).tolist()
    facts = [c for c in table.column_names if c not in ("worker_id", "birth_date", "region")]
    values = [table.column(c).cast(pa.string()).to_pylist() for c in facts]
    seen: dict[tuple[Any, ...], int] = {}
    out = np.empty(len(birth_months), np.int64)
    for row, key in enumerate(zip(birth_months, *values, strict=True)):
        if key not in seen:
            given = dict(zip(facts, key[1:], strict=True))
            worker = Worker(id="w", birth_date=month_at(key[0]).first_day, **given)
            seen[key] = Month.of(jurisdiction.retirement_date(worker).legal_date).index
        out[row] = seen[key]
    return out


def per_worker(n: int, worker: Ints, values: Ints) -> Ints:
    """Sum ``values`` by ``worker`` into an array of ``n`` (exact integer sums)."""
    out = np.zeros(n, np.int64)
    if not len(worker):
        return out
    if len(worker) > 1 and bool((worker[1:] < worker[:-1]).any()):
        order = np.argsort(worker, kind="stable")
        worker, values = worker[order], values[order]
    starts = np.concatenate([[0], np.flatnonzero(worker[1:] != worker[:-1]) + 1])
    out[worker[starts]] = np.add.reduceat(values, starts)
    return out


@attrs.define
class RunState:
    """The state of every worker during a run (arrays over the workers) and what the run has
    counted so far; no ledgers are kept."""

    signed_up: Bools
    enrolled: Bools
    on_default: Bools
    contributed_months: Ints
    active_months: Ints
    earnings: Ints
    """Sum of earnings over the run (fen), for replacement rates."""
    order_account: Ints
    """Sum over the run of what per-order lines paid into the individual account (fen), every
    payer together; 0 without a per-order contribution."""


@attrs.frozen
class MonthResult:
    """One simulated month: who was active and covered, and the amounts per worker."""

    month: Month
    active: Bools
    covered: Bools
    orders: Ints
    """Orders per worker (all active workers)."""
    paid: dict[str, Ints]
    """Per payer, the amount per worker (fen), 0 for workers without lines."""
    enrolled: Bools
    reenrolled: Bools
    """Workers who came back this month after a lapse (before this month's lapse draw)."""
    order_account: Ints
    """Per worker, what the per-order lines paid into the individual account (fen)."""


def _engine_tables(
    reformed: JurisdictionLike,
    population: Population,
    policy: Policy,
    month: Month,
    work: MonthOfWork,
    covered: Bools,
    on_default: Bools,
    region_codes: Ints,
    region_names: list[str],
    paying: Bools | None = None,
) -> tuple[pa.Table, pa.Table]:
    """The engine's tables: the engagements of the covered workers (of every worker in
    ``paying``, with their orders, when the scheme takes an amount per order) and the
    covered workers' enrolments."""
    rows = np.flatnonzero((covered if paying is None else paying)[work.worker])
    who = work.worker[rows]
    industries = list(reformed.pack.industries)
    engagements = pa.table({
        "worker_id": pa.array(who, pa.int64()),
        "platform_id": pa.DictionaryArray.from_arrays(
            pa.array(work.platform[rows].astype(np.int32)), pa.array(population.platform_ids)),
        "industry": pa.DictionaryArray.from_arrays(
            pa.array(work.industry[rows].astype(np.int32)), pa.array(industries)),
        "region": pa.DictionaryArray.from_arrays(
            pa.array(region_codes[who].astype(np.int32)), pa.array(region_names)),
        "month": pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(len(rows), np.int32)), pa.array([str(month)])),
        "earnings": money_column(work.earnings[rows]),
    })  # fmt: skip
    if paying is not None:
        engagements = engagements.append_column("orders", pa.array(work.orders[rows], pa.int64()))
    members = np.flatnonzero(covered)
    defaults = on_default[members]
    bases = [policy.chosen_base, policy.default_base]
    kinds = pa.array([b.kind.value for b in bases])
    grades = pa.array([str(b.fraction) if b.fraction is not None else None for b in bases])
    which = pa.array(defaults.astype(np.int32))
    enrolments = pa.table({
        "worker_id": pa.array(members, pa.int64()),
        "scheme": pa.DictionaryArray.from_arrays(
            pa.array(np.zeros(len(members), np.int32)), pa.array([policy.scheme])),
        "region": pa.DictionaryArray.from_arrays(
            pa.array(region_codes[members].astype(np.int32)), pa.array(region_names)),
        "base": pa.DictionaryArray.from_arrays(which, kinds).cast(pa.string()),
        "grade": pa.DictionaryArray.from_arrays(which, grades).cast(pa.string()),
    })  # fmt: skip
    return engagements, enrolments


def run_months(
    jurisdiction: JurisdictionLike,
    population: Population,
    policy: Policy,
    behaviour: Behaviour,
    *,
    start: Month,
    months: int,
    seed: int,
    money: bool = True,
    progress: bool = False,
) -> Iterator[tuple[MonthResult, RunState]]:
    """Yield each month's :class:`MonthResult` and the :class:`RunState` after it (see the
    module docstring).

    With ``money=False`` no contributions are computed (enrolment only: for calibration).
    """
    if isinstance(months, bool) or not isinstance(months, int) or months < 1:
        raise InvalidInput(f"months must be an int >= 1, got {months!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise InvalidInput(f"seed must be an int >= 0, got {seed!r}")
    reformed = policy.jurisdiction(jurisdiction)
    n = population.size
    region_text = population.workers.column("region").to_pylist()
    region_names = sorted(set(region_text))
    region_codes = np.asarray([region_names.index(r) for r in region_text], np.int64)
    probability = {
        code: float(behaviour.enrolment_probability(
            policy.architecture,
            match_rate=policy.match_rate_in(reformed, region, start.first_day)))
        for code, region in enumerate(region_names)
    }  # fmt: skip
    enrol_p = np.asarray([probability[c] for c in range(len(region_names))])[region_codes]
    lapse = float(behaviour.lapse_hazard)
    leave_default = float(behaviour.default_base_hazard)
    come_back = float(behaviour.reenrolment_rate)
    scheme = reformed.pack.scheme(policy.scheme)
    per_order = bool(scheme.order_contributions)
    to_account = per_order and ACCOUNT_FUND in scheme.funds
    retire = population.memo(
        "retirement months", lambda: retirement_months(jurisdiction, population)
    )
    decide = np.random.default_rng([seed, 10]).random(n)
    by_default = policy.architecture is Architecture.DEFAULT
    state = RunState(
        signed_up=np.zeros(n, np.bool_), enrolled=np.zeros(n, np.bool_),
        on_default=np.zeros(n, np.bool_), contributed_months=np.zeros(n, np.int64),
        active_months=np.zeros(n, np.int64), earnings=np.zeros(n, np.int64),
        order_account=np.zeros(n, np.int64),
    )  # fmt: skip
    steps = Month.range(start, start + months)
    if progress:
        from tqdm import tqdm

        steps = tqdm(steps, desc=policy.name, unit="month")
    for month in steps:
        work = population.month(month)
        working = month.index < retire
        active = np.zeros(n, np.bool_)
        active[work.worker] = True
        active &= working
        draw = np.random.default_rng([seed, 11, month.index]).random((2, n))
        back = np.zeros(n, np.bool_)
        if come_back > 0:  # enrolled once (sign-up draw), not now, still working
            lapsed = state.signed_up & (decide < enrol_p) & ~state.enrolled & working
            back = lapsed & (np.random.default_rng([seed, 12, month.index]).random(n) < come_back)
            state.enrolled |= back
        state.enrolled &= ~(draw[0] < lapse)
        state.on_default &= ~(draw[1] < leave_default)
        new = active & ~state.signed_up
        state.signed_up |= new
        joins = new & (decide < enrol_p)
        state.enrolled |= joins
        if by_default:
            state.on_default |= joins
        state.enrolled &= working
        covered = active & state.enrolled
        state.active_months += active
        state.contributed_months += covered
        state.earnings += np.where(active, per_worker(n, work.worker, work.earnings), 0)
        orders = np.where(active, per_worker(n, work.worker, work.orders), 0)
        paid = {payer: np.zeros(n, np.int64) for payer in PAYERS}
        account = np.zeros(n, np.int64)
        paying = active if per_order else None
        if money and (covered.any() or (per_order and active.any())):
            engagements, enrolments = _engine_tables(
                reformed, population, policy, month, work, covered, state.on_default,
                region_codes, region_names, paying,
            )  # fmt: skip
            computed = contributions(
                reformed, engagements, enrolments=enrolments, schemes=[policy.scheme]
            )
            totals = computed.by_worker()
            ids = np.asarray(totals.column("worker_id"), np.int64)
            for payer in PAYERS:
                if payer in totals.column_names:
                    paid[payer][ids] = minor_units_of(totals.column(payer))
            if to_account:
                kept = computed.order_fund_by_worker(ACCOUNT_FUND)
                account[np.asarray(kept.column("worker_id"), np.int64)] = minor_units_of(
                    kept.column("amount")
                )
                state.order_account += account
        yield (
            MonthResult(month, active, covered, orders, paid, state.enrolled.copy(), back, account),
            state,
        )


def base_at_end(policy: Policy, state: RunState) -> list[BaseChoice]:
    """The base each worker is on at the end of the run."""
    return [policy.default_base if d else policy.chosen_base for d in state.on_default.tolist()]
