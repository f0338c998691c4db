"""Pension projections for a population: one row per worker and year, without ledgers.

Each worker of a cohort contributes from their ``start`` month (or the assumptions') until
the month of their legal retirement (2024 reform, ``retirement_date``), on the
:class:`~flexsecure.Assumptions` — region, base choice, wage growth, assumed interest. The
years are priced by the per-object path's own projection (``projected_years``, memoised on
the pack per rules and span, so a cohort on the same assumptions shares the work), and each
year the individual account earns the year's interest by the one interest rule
(``interest_rule`` and ``year_interest``, 劳办发〔1997〕116号: the method, rate and factor the
pack gives for the region and year). The retirement year's row carries the pension: the
per-object projection on an empty ledger — basic pension ``W × (1 + I) / 2 × N × 1 %`` and
account pension ``balance ÷ divisor`` — so the figure is the per-object path's to the fen; its
interest is what the balance at retirement adds to the year's contributions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from flexsecure.batch._arrays import dictionary_array
from flexsecure.batch._money import decimal_array
from flexsecure.batch.inputs import as_table
from flexsecure.calculations.accounts import Ledger
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.careers import Assumptions, projected_years
from flexsecure.jurisdictions.cn.cohorts import career_projection
from flexsecure.jurisdictions.cn.interest import interest_rule, year_interest
from flexsecure.jurisdictions.cn.projections import PensionProjection, project_pension
from flexsecure.jurisdictions.cn.retirement import RetirementDate, retirement_date
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import FlexsecureError, InvalidInput
from flexsecure.values.money import minor_unit
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
    jurisdiction: Any,
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
    ``account_contributions``, ``interest``, ``account_balance`` at the year's end (at
    retirement in the last row); the last row also has ``retirement_date``,
    ``basic_pension``, ``account_pension``, ``monthly_pension`` and ``eligible``.
    A worker the per-object projection refuses (e.g. retired before the start) raises; with
    ``errors="collect"`` it gets one row with only ``worker_id`` and ``problem`` instead.
    """
    if errors not in ("raise", "collect"):
        raise InvalidInput(f"errors must be 'raise' or 'collect', got {errors!r}")
    if not isinstance(assumptions, Assumptions):
        raise InvalidInput(f"assumptions must be Assumptions, got {assumptions!r}")
    pack = getattr(jurisdiction, "pack", None)
    if not isinstance(pack, RulePack):
        raise InvalidInput(f"jurisdiction must be a Jurisdiction, got {jurisdiction!r}")
    paying = region or assumptions.region
    pack.region(paying)
    people = _workers(as_table(workers, "workers"), assumptions.region)
    if not people:
        raise InvalidInput("workers holds no rows")
    scale = int(1 / minor_unit(pack.currency))
    currency = pack.currency
    retirements: dict[tuple[Any, ...], RetirementDate] = {}
    # On an empty ledger a projection depends on the worker only through their legal
    # retirement date (date, ages, category, birth date): workers who share it and the start
    # month share the whole career, computed once (``project_pension`` itself, so the same
    # figures to the fen) and copied to each of them.
    careers: dict[tuple[RetirementDate, Month], int] = {}
    blocks: list[dict[str, list[Any]]] = []
    chosen: list[int] = []
    shared: dict[Any, Any] = {}
    for number, (worker, start) in enumerate(people):
        start = start or assumptions.start
        key = (worker.birth_date, worker.sex, tuple(sorted(worker.facts.items())))
        try:
            if key not in retirements:
                retirements[key] = retirement_date(pack, worker)
            career = (retirements[key], start)
            if career not in careers:
                starting = attrs.evolve(assumptions, start=start)
                try:
                    projection = career_projection(pack, retirements[key], paying, starting)
                except FlexsecureError:  # the per-object projection says what is wrong
                    projection = project_pension(
                        pack,
                        worker,
                        Ledger.for_worker(worker, currency=currency),
                        region=paying,
                        assumptions=starting,
                    )
                careers[career] = len(blocks)
                blocks.append(
                    _career_rows(
                        pack, assumptions, start, retirements[key], projection, scale, shared
                    )
                )
        except FlexsecureError as error:
            if errors == "raise":
                raise type(error)(f"workers row {number} ({worker.id}): {error}") from None
            chosen.append(len(blocks))
            blocks.append({"problem": [str(error)]})
            continue
        chosen.append(careers[career])
    return _table(blocks, chosen, [worker.id for worker, _ in people])


COLUMNS = (
    "year",
    "months",
    "contributed_months",
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


def _career_rows(
    pack: RulePack,
    assumptions: Assumptions,
    start: Month,
    retirement: RetirementDate,
    projection: PensionProjection,
    scale: int,
    shared: dict[Any, Any],
) -> dict[str, list[Any]]:
    """The rows of one career, year by year to the retirement year (money in minor units).

    ``shared`` keeps what careers from the same start share: each whole year's (months,
    contributions, interest, balance) and the projected years up to each retirement month.
    """
    currency = pack.currency
    columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
    stop = retirement.legal_month
    last_year = max(start.year, stop.year)
    years = shared.get((start, stop))
    if years is None:
        years = shared[(start, stop)] = projected_years(
            pack, attrs.evolve(assumptions, start=start), stop
        )
    opening = Decimal(0)
    so_far = 0
    for year in range(start.year, last_year + 1):
        final = year == last_year
        whole = None if final else shared.get((start, year))
        if whole is None:
            contributed = years.get(year)
            flows = contributed.account if contributed is not None else Decimal(0)
            months = contributed.months if contributed is not None else 0
            if final:  # the part year to retirement: what the projection's balance adds
                balance = projection.account_balance.amount
                interest = balance - opening - flows
            else:
                rule = interest_rule(
                    pack, assumptions.region, year, assumed=assumptions.interest_rate
                )
                by_month = dict(contributed.by_month) if contributed is not None else {}
                interest = year_interest(opening, by_month, rule, currency).amount
                balance = opening + flows + interest
                shared[(start, year)] = (months, flows, interest, balance)
        else:
            months, flows, interest, balance = whole
        so_far += months
        opening = balance
        columns["year"].append(year)
        columns["months"].append(months)
        columns["contributed_months"].append(so_far)
        for name, value in (
            ("account_contributions", flows),
            ("interest", interest),
            ("account_balance", balance),
        ):
            columns[name].append(int(value * scale))
        columns["retirement_date"].append(projection.retirement.date if final else None)
        for name, money in (
            ("basic_pension", projection.basic_pension),
            ("account_pension", projection.account_pension),
            ("monthly_pension", projection.monthly_amount),
        ):
            columns[name].append(int(money.amount * scale) if final else None)
        columns["eligible"].append(projection.eligible if final else None)
        columns["problem"].append(None)
    return columns


def _table(blocks: list[dict[str, list[Any]]], chosen: list[int], ids: list[str]) -> pa.Table:
    """Every worker's rows: each block's columns once, then taken per worker (a gather)."""
    lengths = np.asarray([len(b["problem"]) for b in blocks], np.int64)
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    which = np.asarray(chosen, np.int64)
    sizes = lengths[which]
    total = int(sizes.sum())
    # row r of worker w is offsets[block] + (r - first row of w)
    firsts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    take = np.repeat(offsets[which], sizes) + np.arange(total, dtype=np.int64) - firsts

    def flat(name: str) -> list[Any]:
        values: list[Any] = []
        for block, length in zip(blocks, lengths.tolist(), strict=True):
            values.extend(block.get(name) or [None] * length)
        return values

    def money(name: str) -> pa.Array:
        values = flat(name)
        nulls = np.asarray([v is None for v in values], np.bool_)
        units = np.asarray([v or 0 for v in values], np.int64)
        return decimal_array(units[take], 2, nulls[take])

    worker = np.repeat(np.arange(len(chosen), dtype=np.int64), sizes)
    indices = pa.array(take)
    table: dict[str, Any] = {"worker_id": dictionary_array(worker, ids, pa.int32())}
    kinds = {"year": pa.int16(), "months": pa.int16(), "contributed_months": pa.int32()}
    for name, kind in kinds.items():
        table[name] = pa.array(flat(name), kind).take(indices)
    for name in ("account_contributions", "interest", "account_balance"):
        table[name] = money(name)
    table["retirement_date"] = pa.array(flat("retirement_date"), pa.date32()).take(indices)
    for name in ("basic_pension", "account_pension", "monthly_pension"):
        table[name] = money(name)
    table["eligible"] = pa.array(flat("eligible"), pa.bool_()).take(indices)
    table["problem"] = pa.array(flat("problem"), pa.string()).take(indices)
    return pa.table(table)
