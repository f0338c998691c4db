"""Worker-months: the rows of a population grouped as the per-object path sees them.

A worker-month is one worker in one month: the engagements of that month (summed earnings,
each platform's share of them) and the enrolments that hold in it. Problems are tracked per
worker-month: a bad row refuses its whole worker-month, since the statement the per-object
path would compute from the remaining rows would be a different one.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import INT64_SAFE, Ints, Problem, bounds, dense_unique, run_starts
from flexsecure.batch.inputs import Engagements, Inputs, repeated_orders
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import Enrolling
from flexsecure.values.errors import FlexsecureError, InvalidInput
from flexsecure.values.periods import Month

__all__ = ["Refusal", "WorkerMonths", "group"]


@attrs.frozen
class Refusal:
    """Why some worker-months (or rows) are not computed."""

    table: str
    rows: Ints
    """The rows at fault in ``table`` (empty when the fault is a rule, not a row)."""
    column: str
    reason: str
    error: type[FlexsecureError]
    values: tuple[str, ...] = ()
    months: Ints = attrs.field(factory=lambda: np.zeros(0, np.int64))
    """The worker-months refused because of it."""


@attrs.define
class WorkerMonths:
    """Engagement rows sorted into worker-months, with the enrolments of each."""

    inputs: Inputs
    jobs: Engagements
    """Engagement rows in worker-month order (``jobs.rows``: their input row numbers)."""
    job_wm: Ints
    worker: Ints
    month: Ints
    first: int
    span: int
    earnings: Ints
    job_start: Ints
    """Index into ``jobs`` of each worker-month's first engagement (``job_count`` of them)."""
    job_count: Ints
    enrolled: dict[int, tuple[Ints, Ints]]
    """Scheme position → (worker-months, enrolment rows)."""
    refused: npt.NDArray[np.bool_]
    one_job_each: bool = False
    """True when every worker-month has exactly one engagement."""
    refused_count: int = 0
    """How many worker-months are refused (so that "any refused?" costs nothing)."""
    bases: dict[Any, Any] = attrs.field(factory=dict)
    """Contribution bases already computed, shared by schemes on the same band and choice."""
    refusals: list[Refusal] = attrs.field(factory=list)

    def refuse(
        self,
        months: Ints,
        reason: str,
        error: type[FlexsecureError],
        column: str,
        table: str = "",
        rows: Ints | None = None,
        values: tuple[str, ...] = (),
    ) -> None:
        """Refuse ``months`` (worker-month indexes) for ``reason``."""
        months = np.unique(np.asarray(months, np.int64))
        fresh = months[~self.refused[months]] if len(months) else months
        if not len(fresh) and rows is None:
            return
        self.refused[fresh] = True
        self.refused_count += len(fresh)
        empty = np.zeros(0, np.int64)
        self.refusals.append(
            Refusal(table, empty if rows is None else rows, column, reason, error, values, fresh)
        )

    def raise_first(self) -> None:
        if not self.refusals:
            return
        first = self.refusals[0]
        where = ""
        if first.table and len(first.rows):
            where = f"{first.table} row {int(first.rows.min())}, column {first.column!r}: "
        elif len(first.months):
            wm = int(first.months[0])
            where = f"worker {self.worker_label(wm)!r}, {Month._from_index(int(self.month[wm]))}: "
        value = f" (got {first.values[0]!r})" if first.values else ""
        raise first.error(f"{where}{first.reason}{value}")

    def worker_label(self, wm: int) -> str | int:
        labels = self.inputs.workers.labels
        key = int(self.worker[wm])
        return labels[key] if labels is not None else key

    def enrolment_rows(self, position: int) -> tuple[Ints, Ints]:
        wm, rows = self.enrolled.get(position, (np.zeros(0, np.int64), np.zeros(0, np.int64)))
        if not self.refused_count:
            return wm, rows
        keep = ~self.refused[wm]
        return wm[keep], rows[keep]

    def job_month(self, rows: Ints) -> Ints:
        return self.month[self.job_wm[rows]]

    def premium_classes(self, pack: RulePack) -> tuple[Ints | int, tuple[str | None, ...]]:
        """Per engagement, an index into the class names assigned to its platform for its
        industry and region (0: none assigned) — from distinct (platform, industry, region)."""
        platforms = self.inputs.platforms
        names: tuple[str | None, ...] = (None, *sorted(set(platforms.classes.values())))
        if not platforms.classes:
            return 0, names
        jobs = self.jobs
        regions = list(pack.regions)
        key = (jobs.platform * len(pack.industries) + jobs.industry) * len(regions) + jobs.region
        unique, inverse = dense_unique(key)
        found = np.zeros(len(unique), np.int64)
        for position, value in enumerate(unique.tolist()):
            rest, place = divmod(value, len(regions))
            platform, industry = divmod(rest, len(pack.industries))
            region = pack.regions[regions[place]]
            chain = (region.code,) if region.parent is None else (region.code, region.parent)
            found[position] = names.index(platforms.premium_class(platform, industry, chain))
        return found[inverse], names

    def registry_keys(self) -> tuple[Ints | int, tuple[str | None, ...]]:
        """Per engagement, an index into the registry keys (0: platform not identified)."""
        registry = self.inputs.platforms.registry
        keys: tuple[str | None, ...] = (None, *sorted(set(registry.values())))
        if not registry:
            return 0, keys
        table = np.zeros(max(len(self.inputs.platform_ids), 1), np.int64)
        for platform, key in registry.items():
            table[platform] = keys.index(key)
        return table[self.jobs.platform], keys


def _take(jobs: Engagements, order: Ints) -> Engagements:
    return Engagements(*(getattr(jobs, f.name)[order] for f in attrs.fields(Engagements)))


def group(pack: RulePack, inputs: Inputs) -> WorkerMonths:
    """Sort the engagements into worker-months and attach each worker-month's enrolments."""
    jobs = inputs.engagements
    members = inputs.enrolments
    size = len(jobs.worker)
    worker_bounds = bounds(jobs.worker) if size else (0, 0)
    month_bounds = bounds(jobs.month) if size else (0, 0)  # one month: read, not scanned
    any_unattributed = min(worker_bounds[0], month_bounds[0]) < 0
    unattributed: npt.NDArray[np.bool_]
    if not any_unattributed:
        unattributed = np.broadcast_to(np.bool_(False), (size,))
        job_bounds = [(month_bounds, worker_bounds)] if size else []
    else:
        unattributed = (jobs.worker < 0) | (jobs.month < 0)
        kept = ~unattributed
        job_bounds = [(bounds(jobs.month[kept]), bounds(jobs.worker[kept]))] if kept.any() else []
    explicit = (members.month >= 0) & (members.worker >= 0)
    enrolled_bounds = (
        [(bounds(members.month[explicit]), bounds(members.worker[explicit]))]
        if explicit.any()
        else []
    )
    month_range = [m for m, _ in job_bounds + enrolled_bounds]
    first = min((b[0] for b in month_range), default=Month(2000, 1).index)
    span = max((b[1] for b in month_range), default=first) - first + 1
    people = [w for _, w in job_bounds + enrolled_bounds]
    low = min((b[0] for b in people), default=0)
    high = max((b[1] for b in people), default=0)
    if (high - low + 1) * span >= INT64_SAFE:
        raise InvalidInput("worker_id: integer ids span too wide a range; use text ids")
    key = jobs.worker - low  # (worker - low) × span + (month - first), in one new array
    if span != 1:
        key *= span
    key += jobs.month
    if first:
        key -= first
    if any_unattributed:
        key[unattributed] = -1
    alone = not explicit.any() and not any_unattributed
    if alone and (len(key) < 2 or bool((key[1:] > key[:-1]).all())):
        # one row per worker-month, in order (e.g. a month's workers by id): nothing to group
        return _one_row_each(pack, inputs, jobs, key, low, span, first)
    ordered = bool(len(key) < 2 or (key[1:] >= key[:-1]).all())
    if not ordered and alone and _distinct(key):
        # one row per worker-month in any order (e.g. month by month): no sort needed
        return _one_row_each(pack, inputs, jobs, key, low, span, first)
    order = np.arange(len(key)) if ordered else np.argsort(key, kind="stable")
    sorted_key = key if ordered else key[order]
    skip = int(np.searchsorted(sorted_key, 0))  # unattributed rows (-1) sort first
    if not ordered or skip:
        key = sorted_key[skip:]
        jobs = _take(jobs, order[skip:])
    starts = run_starts(key)
    repeated = repeated_orders(jobs, key, starts)
    if len(repeated):
        inputs.problems["engagements"].append(
            Problem(
                np.sort(order[skip + repeated]),
                "orders",
                "repeats another engagement of its worker-month (same platform, industry, "
                "region, earnings and orders): the same orders given twice would be billed "
                "twice; give each engagement once",
            )
        )
    enrol_keys = (members.worker[explicit] - low) * span + (members.month[explicit] - first)
    if len(starts) == len(key) and not len(enrol_keys):  # one engagement per worker-month
        return _one_row_each(pack, inputs, jobs, key, low, span, first, order, skip, unattributed)
    group_keys = key[starts]
    sizes = np.diff(np.append(starts, len(key)))
    if len(enrol_keys):
        wm_keys = np.union1d(group_keys, enrol_keys)
        group_wm = np.searchsorted(wm_keys, group_keys)
    else:
        wm_keys, group_wm = group_keys, np.arange(len(group_keys))
    count = len(wm_keys)
    job_wm = group_wm if len(starts) == len(key) else np.repeat(group_wm, sizes)
    job_start = np.zeros(count, np.int64)
    job_count = np.zeros(count, np.int64)
    job_start[group_wm] = starts
    job_count[group_wm] = sizes
    earnings = np.zeros(count, np.int64)
    if len(key):
        largest = int(jobs.earnings.max())
        if largest * int(sizes.max()) >= INT64_SAFE:
            raise InvalidInput("earnings: a worker-month's total is too large for the engine")
        earnings[group_wm] = (
            jobs.earnings if len(starts) == len(key) else np.add.reduceat(jobs.earnings, starts)
        )
    single = len(starts) == len(key) == count
    result = WorkerMonths(
        inputs=inputs,
        jobs=jobs,
        job_wm=job_wm,
        worker=jobs.worker if single else wm_keys // span + low,
        month=jobs.month if single else wm_keys % span + first,
        first=first,
        span=span,
        earnings=earnings,
        job_start=job_start,
        job_count=job_count,
        enrolled={},
        refused=np.zeros(count, np.bool_),
        one_job_each=len(starts) == len(key) == count,
    )
    _refuse_bad_rows(result, order, skip, unattributed, low, span, first)
    _attach_enrolments(pack, result, low)
    return result


def _distinct(key: Ints) -> bool:
    """Whether no key repeats (checked in linear time when the keys are dense enough)."""
    top = int(key.max()) + 1
    if top > max(4 * len(key), 1 << 25):  # a bitmap of at most 32 MB
        return False
    present = np.zeros(top, np.bool_)
    present[key] = True
    return int(np.count_nonzero(present)) == len(key)


def _one_row_each(
    pack: RulePack,
    inputs: Inputs,
    jobs: Engagements,
    key: Ints,
    low: int,
    span: int,
    first: int,
    order: Ints | None = None,
    skip: int = 0,
    unattributed: npt.NDArray[np.bool_] | None = None,
) -> WorkerMonths:
    """Worker-months of input with exactly one engagement each, kept in input order."""
    count = len(key)
    every = np.arange(count, dtype=np.int64)
    result = WorkerMonths(
        inputs=inputs,
        jobs=jobs,
        job_wm=every,
        worker=jobs.worker,
        month=jobs.month,
        first=first,
        span=span,
        earnings=jobs.earnings,
        job_start=every,
        job_count=np.broadcast_to(np.int64(1), (count,)),  # read only: one engagement each
        enrolled={},
        refused=np.zeros(count, np.bool_),
        one_job_each=True,
    )
    if order is None:
        order, unattributed = every, np.broadcast_to(np.bool_(False), (count,))
    assert unattributed is not None
    _refuse_bad_rows(result, order, skip, unattributed, low, span, first)
    _attach_enrolments(pack, result, low)
    return result


def _refuse_bad_rows(
    months: WorkerMonths,
    order: Ints,
    skip: int,
    unattributed: npt.NDArray[np.bool_],
    low: int,
    span: int,
    first: int,
) -> None:
    """Every row-level problem refuses the worker-month(s) its row belongs to."""
    problems = months.inputs.problems
    if not any(problems.values()):
        return
    position = np.empty(len(order), np.int64)
    position[order] = np.arange(len(order)) - skip  # input row → index into months.jobs
    keys = (months.worker - low) * span + (months.month - first)
    members = months.inputs.enrolments
    for table in ("engagements", "enrolments", "platforms"):
        for problem in sorted(problems[table], key=lambda p: int(p.rows.min())):
            rows = problem.rows
            if table == "engagements":
                attributed = rows[~unattributed[rows]]
                wm = months.job_wm[position[attributed]]
            elif table == "enrolments":
                wm = _enrolment_months(
                    members.worker[rows], members.month[rows], months, keys, low, span, first
                )
            else:  # a bad premium-class row: every month with an engagement of that platform
                codes = months.inputs.platforms.platform[rows]
                wm = np.unique(months.job_wm[np.isin(months.jobs.platform, codes[codes >= 0])])
            if table == "engagements":
                rows = months.inputs.engagements.rows[rows]  # numbered in the whole input
            months.refuse(
                wm, problem.reason, InvalidInput, problem.column, table, rows, problem.values
            )


def _enrolment_months(
    worker: Ints, month: Ints, months: WorkerMonths, keys: Ints, low: int, span: int, first: int
) -> Ints:
    found: list[Ints] = []
    every = month < 0
    if every.any():
        found.append(np.flatnonzero(np.isin(months.worker, worker[every])))
    if (~every).any():
        wanted = (worker[~every] - low) * span + (month[~every] - first)
        found.append(np.flatnonzero(np.isin(keys, wanted)))
    return np.concatenate(found) if found else np.zeros(0, np.int64)


def _attach_enrolments(pack: RulePack, months: WorkerMonths, low: int) -> None:
    members = months.inputs.enrolments
    schemes = list(pack.schemes.values())
    count = len(months.worker)
    for position, scheme in enumerate(schemes):
        chosen = np.flatnonzero(members.scheme == position)
        if not len(chosen):
            continue
        if scheme.enrolling is Enrolling.AUTOMATIC:
            if members.everyone:
                raise InvalidInput(
                    f"{scheme.name} applies to every covered engagement and takes no enrolment"
                )
            months.refuse(
                _enrolment_months(
                    members.worker[chosen],
                    members.month[chosen],
                    months,
                    _keys(months, low),
                    low,
                    months.span,
                    months.first,
                ),
                f"{scheme.name} applies to every covered engagement and takes no enrolment",
                InvalidInput,
                "scheme",
                "enrolments",
                chosen,
            )
            continue
        if members.everyone:
            if len(chosen) > 1:
                raise InvalidInput(
                    f"enrolments: the worker is enrolled in {scheme.name} twice; "
                    "one relation per scheme at a time"
                )
            months.enrolled[position] = (
                months.job_wm if months.one_job_each else np.arange(count, dtype=np.int64),
                np.broadcast_to(np.int64(chosen[0]), (count,)),
            )
            continue
        row_of = np.full(count, -1, np.int64)
        twice = np.zeros(count, np.bool_)
        general = chosen[members.month[chosen] < 0]
        general = general[members.worker[general] >= 0]
        if len(general):
            order = np.argsort(members.worker[general], kind="stable")
            general = general[order]
            sorted_workers = members.worker[general]
            place = np.searchsorted(sorted_workers, months.worker)
            place = np.minimum(place, len(general) - 1)
            hit = sorted_workers[place] == months.worker
            row_of[hit] = general[place[hit]]
            doubled = np.flatnonzero(np.r_[sorted_workers[1:] == sorted_workers[:-1], False])
            twice |= np.isin(months.worker, sorted_workers[doubled])
        specific = chosen[(members.month[chosen] >= 0) & (members.worker[chosen] >= 0)]
        if len(specific):
            keys = _keys(months, low)
            wanted = (members.worker[specific] - low) * months.span + (
                members.month[specific] - months.first
            )
            wm = np.searchsorted(keys, wanted)
            for row, target in zip(specific.tolist(), wm.tolist(), strict=True):
                if row_of[target] >= 0:
                    twice[target] = True
                row_of[target] = row
        if twice.any():
            months.refuse(
                np.flatnonzero(twice),
                f"the worker is enrolled in {scheme.name} twice; one relation per scheme at a time",
                InvalidInput,
                "scheme",
            )
        wm = np.flatnonzero(row_of >= 0)
        months.enrolled[position] = (wm, row_of[wm])


def _keys(months: WorkerMonths, low: int) -> Ints:
    return (months.worker - low) * months.span + (months.month - months.first)
