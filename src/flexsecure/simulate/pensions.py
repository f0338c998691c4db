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
* money a **per-order contribution** paid into the individual account during the run (the
  CN pack's ``pension_per_order``) is extended the same way — the observed amount per active
  month, at the observed density of active months, held flat (a fixed amount per order) —
  credited with the same interest rule and added to the account balance at retirement, so the
  account pension (``balance ÷ divisor``) includes it; it counts no contributed month, so it
  never makes a worker eligible (:mod:`flexsecure.simulate.order_accounts`);
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
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.careers import Assumptions
from flexsecure.jurisdictions.cn.pensions import account_pension, divisor
from flexsecure.jurisdictions.cn.retirement import retirement_date
from flexsecure.simulate.order_accounts import (
    extended_months,
    order_account_at_retirement,
    order_flows,
)
from flexsecure.simulate.population import Population
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.simulate.run import month_at
from flexsecure.values.errors import FlexsecureError, InvalidInput, RuleNotFound
from flexsecure.values.money import Money
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
    order_account: Any = None,
) -> pa.Table:
    """One row per sampled worker: the career months assumed, the projected pension and its
    measures (see the module docstring); ``problem`` says why a worker has no projection.

    ``order_account`` is per worker the per-order money paid into the individual account
    during the run (fen; ``None``: none)."""
    workers = population.workers.take(pa.array(rows))
    regions = workers.column("region").to_pylist()
    until = retire[rows] - start.index
    simulated = np.minimum(until, months)
    done = contributed[rows]
    career = np.where(simulated > 0, np.rint(done * until / np.maximum(simulated, 1)), 0)
    career = career.astype(np.int64)
    pension: list[int | None] = [None] * len(rows)
    account: list[int | None] = [None] * len(rows)
    basic: list[int] = [0] * len(rows)
    balance: list[int] = [0] * len(rows)
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
            pension[index], account[index], eligible[index] = 0, 0, False
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
        for worker_id, amount, ok, day, own, base_part, whole in zip(
            last["worker_id"].to_pylist(), minor_units_of(last["monthly_pension"]).tolist(),
            last["eligible"].to_pylist(), last["retirement_date"].to_pylist(),
            minor_units_of(last["account_pension"]).tolist(),
            minor_units_of(last["basic_pension"]).tolist(),
            minor_units_of(last["account_balance"]).tolist(), strict=True,
        ):  # fmt: skip
            index = int(worker_id)
            pension[index], eligible[index], retirement[index] = amount, ok, day
            account[index], basic[index], balance[index] = own, base_part, whole
        failed = projected.filter(pc.is_valid(projected["problem"]))
        for worker_id, why in zip(failed["worker_id"].to_pylist(), failed["problem"].to_pylist(),
                                  strict=True):  # fmt: skip
            problem[int(worker_id)] = why
    extra = [0] * len(rows)
    if order_account is not None:
        for index, row in enumerate(rows.tolist()):
            paid = int(order_account[row])
            if paid and pension[index] is not None and problem[index] is None:
                try:
                    extra[index] = _add_order_account(
                        reformed, workers, index, row, paid, int(active_months[row]),
                        int(until[index]), int(simulated[index]), retire, settings,
                        pension, account, eligible, basic, balance,
                    )  # fmt: skip
                except FlexsecureError as error:
                    pension[index] = account[index] = eligible[index] = None
                    problem[index] = f"per-order account: {error}"
    table = _measures(
        reformed, workers, rows, done, career, pension, eligible, retirement, problem,
        earnings, active_months, retire, start, months, settings,
    )  # fmt: skip
    at = table.column_names.index("eligible")
    table = table.add_column(at, "account_pension", _yuan_column(account))
    return table.add_column(at + 1, "order_account_balance", _yuan_column(
        [e if a is not None else None for e, a in zip(extra, account, strict=True)]))  # fmt: skip


def _yuan_column(fen: list[int | None]) -> pa.Array:
    return pa.array([Decimal(f).scaleb(-2) if f is not None else None for f in fen],
                    pa.decimal128(18, 2))  # fmt: skip


def _add_order_account(
    reformed: JurisdictionLike, workers: pa.Table, index: int, row: int, paid: int, active: int,
    until: int, simulated: int, retire: Any, settings: PensionSettings, pension: list[Any],
    account: list[Any], eligible: list[Any], basic: list[int], balance: list[int],
) -> int:  # fmt: skip
    """Add worker ``index``'s per-order money (``paid`` fen over ``active`` months of the run)
    to their account at retirement; returns the per-order part of the balance (fen). The
    eligibility and the basic pension stay the projection's (the money counts no month)."""
    pack = reformed.pack
    record = workers.slice(index, 1).to_pylist()[0]
    person = Worker(id=str(record["worker_id"]), birth_date=record["birth_date"],
                    sex=record["sex"], hukou_region=record.get("hukou_region") or record["region"],
                    retirement_category=record["retirement_category"])  # fmt: skip
    retirement = retirement_date(pack, person)
    legal = month_at(int(retire[row]))
    flows = order_flows(paid, active, extended_months(active, until, simulated), legal)
    part = order_account_at_retirement(pack, record["region"], retirement.date, flows,
                                       settings.interest_rate)  # fmt: skip
    fen = int(part.scaleb(2))
    if not fen:
        return 0
    whole = Money(Decimal(balance[index] + fen).scaleb(-2), pack.currency)
    own = account_pension(whole, divisor(pack, retirement.age, retirement.date).months)
    account[index] = int(own.amount.scaleb(2))
    if eligible[index]:
        pension[index] = basic[index] + account[index]
    return fen


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
