"""Pension projections for a population: one row per worker and year, without ledgers.

Each worker of a cohort contributes from their ``start`` month (or the assumptions') until
the month of their legal retirement (2024 reform, :func:`retirement_date`), on the
:class:`~flexsecure.Assumptions` — region, base choice, wage growth, assumed interest. The
months are priced once for the whole cohort (:func:`projected_months`, the per-object path's
own projection of a month), so a worker costs a prefix-sum lookup per year, not a ledger.
Each year the individual account is credited with the year's rate (published, else the
assumed one) by :func:`annual_interest` (劳办发〔1997〕116号): the opening balance a full year,
the year's own amounts ``rate × factor``. The retirement year's row carries the pension:
:meth:`~flexsecure.Jurisdiction.project_pension` on an empty ledger — basic pension
``W × (1 + I) / 2 × N × 1 %`` and account pension ``balance ÷ divisor`` — so the figure is
the per-object path's to the fen, and the yearly balances are checked to end where it does.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from flexsecure.batch._arrays import decimal_array, dictionary_array
from flexsecure.batch.inputs import as_table
from flexsecure.calculations.accounts import Ledger
from flexsecure.calculations.accounts.interest import (
    CURRENT_YEAR_FACTOR,
    annual_interest,
    crediting_rate,
)
from flexsecure.calculations.projections import Assumptions, project_pension, projected_months
from flexsecure.calculations.retirement import RetirementDate, retirement_date
from flexsecure.facts.workers import Worker
from flexsecure.jurisdiction import Jurisdiction
from flexsecure.values.errors import FlexsecureError, InvalidInput, RuleNotFound
from flexsecure.values.money import Money, minor_unit
from flexsecure.values.periods import Month

__all__ = ["project_population"]

WORKER_COLUMNS = ("worker_id", "birth_date", "sex", "retirement_category")


def _workers(table: pa.Table, default_region: str) -> list[tuple[Worker, Month | None]]:
    missing = [c for c in WORKER_COLUMNS if c not in table.column_names]
    if missing:
        raise InvalidInput(f"workers lacks column(s) {', '.join(missing)}")
    rows = table.to_pylist()
    people = []
    for number, row in enumerate(rows):
        try:
            birth = row["birth_date"]
            if isinstance(birth, str):
                birth = dt.date.fromisoformat(birth)
            start = row.get("start")
            worker = Worker(
                id=str(row["worker_id"]),
                birth_date=birth,
                sex=row["sex"],
                hukou_region=row.get("hukou_region") or default_region,
                retirement_category=row["retirement_category"],
            )
            people.append((worker, Month.parse(start) if start else None))
        except (FlexsecureError, ValueError, TypeError) as error:
            raise InvalidInput(f"workers row {number}: {error}") from None
    return people


def project_population(
    jurisdiction: Jurisdiction,
    workers: Any,
    assumptions: Assumptions,
    *,
    region: str | None = None,
    errors: str = "raise",
) -> pa.Table:
    """Yearly projection rows for every worker (see the module docstring).

    ``workers`` has ``worker_id``, ``birth_date`` (date or ``YYYY-MM-DD``), ``sex``,
    ``retirement_category`` and optionally ``hukou_region`` and ``start`` (``YYYY-MM``, the
    first projected month; else ``assumptions.start``). ``region`` pays the pension (default:
    the assumptions' region). Returns one row per worker-year from the start year to the
    retirement year: ``months`` contributed that year, ``contributed_months`` so far,
    ``bases``, ``account_contributions``, ``interest``, ``account_balance`` at the year's end
    (at retirement in the last row); the last row also has ``retirement_date``,
    ``basic_pension``, ``account_pension``, ``monthly_pension`` and ``eligible``.
    A worker the per-object projection refuses (e.g. retired before the start) raises; with
    ``errors="collect"`` it gets one row with only ``worker_id`` and ``problem`` instead.
    """
    if errors not in ("raise", "collect"):
        raise InvalidInput(f"errors must be 'raise' or 'collect', got {errors!r}")
    if not isinstance(assumptions, Assumptions):
        raise InvalidInput(f"assumptions must be Assumptions, got {assumptions!r}")
    pack = jurisdiction.pack
    paying = region or assumptions.region
    pack.region(paying)
    people = _workers(as_table(workers, "workers"), assumptions.region)
    if not people:
        raise InvalidInput("workers holds no rows")
    retirements: dict[tuple[dt.date, str], RetirementDate] = {}
    plans = []
    for worker, start in people:
        key = (worker.birth_date, worker.retirement_category.value)
        if key not in retirements:
            retirements[key] = retirement_date(pack, worker)
        plans.append((worker, start or assumptions.start, retirements[key]))
    first = min(start for _, start, _ in plans)
    last = max(r.legal_month for _, _, r in plans)
    series = projected_months(pack, attrs.evolve(assumptions, start=first), last)
    scale = int(1 / minor_unit(pack.currency))
    digits = len(str(scale)) - 1
    account = np.zeros(len(series) + 1, np.int64)
    bases = np.zeros(len(series) + 1, np.int64)
    for index, (_, base, amount) in enumerate(series):
        bases[index + 1] = int(base.amount * scale)
        account[index + 1] = int(amount.amount * scale)
    account, bases = np.cumsum(account), np.cumsum(bases)
    rates: dict[int, tuple[Decimal, Decimal]] = {}

    def rate(year: int) -> tuple[Decimal, Decimal]:
        if year not in rates:
            factor = pack.value(CURRENT_YEAR_FACTOR, None, dt.date(year, 1, 1)).decimal()
            try:
                rates[year] = (crediting_rate(pack, assumptions.region, year).decimal(), factor)
            except RuleNotFound:
                rates[year] = (assumptions.interest_rate, factor)
        return rates[year]

    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "worker",
            "year",
            "months",
            "contributed_months",
            "bases",
            "account_contributions",
            "interest",
            "account_balance",
            "retirement_date",
            "basic_pension",
            "account_pension",
            "monthly_pension",
            "eligible",
            "problem",
        )
    }
    currency = pack.currency
    for number, (worker, start, retirement) in enumerate(plans):
        stop = retirement.legal_month
        try:
            projection = project_pension(
                pack,
                worker,
                Ledger.for_worker(worker, currency=currency),
                region=paying,
                assumptions=attrs.evolve(assumptions, start=start),
            )
        except FlexsecureError as error:
            if errors == "raise":
                raise type(error)(f"workers row {number} ({worker.id}): {error}") from None
            for name, values in columns.items():
                values.append(
                    number if name == "worker" else str(error) if name == "problem" else None
                )
            continue
        opening = 0
        months_so_far = 0
        for year in range(start.year, max(start.year, stop.year) + 1):
            low = max(start, Month(year, 1)).index - first.index
            high = max(min(stop, Month(year + 1, 1)).index - first.index, low)
            flows = int(account[high] - account[low])
            months_so_far += high - low
            interest = 0
            if year < stop.year:
                yearly_rate, factor = rate(year)
                credited = annual_interest(
                    Money(Decimal(opening).scaleb(-digits), currency),
                    Money(Decimal(flows).scaleb(-digits), currency),
                    yearly_rate,
                    factor,
                )
                interest = int(credited.amount * scale)
            opening += flows + interest
            columns["worker"].append(number)
            columns["year"].append(year)
            columns["months"].append(high - low)
            columns["contributed_months"].append(months_so_far)
            columns["bases"].append(int(bases[high] - bases[low]))
            columns["account_contributions"].append(flows)
            columns["interest"].append(interest)
            columns["account_balance"].append(opening)
            final = year == max(start.year, stop.year)
            if final and int(projection.account_balance.amount * scale) != opening:
                raise RuleNotFound(
                    f"worker {worker.id}: the yearly account balance "
                    f"{opening} does not end at the projection's "
                    f"{projection.account_balance}"
                )
            columns["retirement_date"].append(projection.retirement.date if final else None)
            for name in ("basic_pension", "account_pension", "monthly_pension"):
                value = getattr(projection, "monthly_amount" if name == "monthly_pension" else name)
                columns[name].append(int(value.amount * scale) if final else None)
            columns["eligible"].append(projection.eligible if final else None)
            columns["problem"].append(None)
    return _table(columns, [worker.id for worker, _, _ in plans])


def _table(columns: dict[str, list[Any]], ids: list[str]) -> pa.Table:
    worker = np.asarray(columns.pop("worker"), np.int64)
    table: dict[str, Any] = {"worker_id": dictionary_array(worker, ids, pa.int32())}
    table["year"] = pa.array(columns.pop("year"), pa.int16())
    table["months"] = pa.array(columns.pop("months"), pa.int16())
    table["contributed_months"] = pa.array(columns.pop("contributed_months"), pa.int32())
    for name in ("bases", "account_contributions", "interest", "account_balance"):
        values = columns.pop(name)
        nulls = np.asarray([v is None for v in values], np.bool_)
        table[name] = decimal_array(np.asarray([v or 0 for v in values], np.int64), 2, nulls)
    table["retirement_date"] = pa.array(columns.pop("retirement_date"), pa.date32())
    for name in ("basic_pension", "account_pension", "monthly_pension"):
        values = columns.pop(name)
        nulls = np.asarray([v is None for v in values], np.bool_)
        table[name] = decimal_array(np.asarray([v or 0 for v in values], np.int64), 2, nulls)
    table["eligible"] = pa.array(columns.pop("eligible"), pa.bool_())
    table["problem"] = pa.array(columns.pop("problem"), pa.string())
    return pa.table(table)
