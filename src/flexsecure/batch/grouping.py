"""Grouping a chunk's engagements into worker-months.

Rows are keyed by (worker, month); a chunk of one row per worker-month in order (a month's
workers by id, the usual export) or in any order without repeats is taken as it is, and any
other is sorted once. Engagements that repeat the same orders in one worker-month are bad
rows, as the per-object path refuses them. The enrolments and the bad rows are then attached
to their worker-months (:mod:`flexsecure.batch.attach`).
"""

from __future__ import annotations

import attrs
import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import (
    INT64_SAFE,
    Ints,
    Problem,
    bounds,
    counting,
    repeated,
    run_starts,
)
from flexsecure.batch._kernels import month_major
from flexsecure.batch.attach import attach_enrolments, refuse_bad_rows
from flexsecure.batch.inputs import Engagements, Inputs, negative_ids, repeated_orders
from flexsecure.batch.months import WorkerMonths
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput
from flexsecure.values.periods import Month

__all__ = ["group"]


def _take(jobs: Engagements, order: Ints) -> Engagements:
    """The engagement rows ``order`` picks, in that order."""
    arrays = {
        field.name: getattr(jobs, field.name)[order]
        for field in attrs.fields(Engagements)
        if field.name not in ("first_row", "industry_bounds", "month_bounds", "orders_bounds")
    }
    return attrs.evolve(jobs, **arrays, month_bounds=None)  # rows may be left out


def group(pack: RulePack, inputs: Inputs) -> WorkerMonths:
    """Sort the engagements into worker-months and attach each worker-month's enrolments."""
    jobs = inputs.engagements
    members = inputs.enrolments
    size = len(jobs.worker)
    # known from reading a dictionary column; one month (a broadcast) read, not scanned
    month_bounds = (jobs.month_bounds or bounds(jobs.month)) if size else (0, 0)
    # a month's workers by id, then the next month's (the usual export): the keys (worker,
    # month) are distinct and in order, and the worker bounds come with the check
    layout = month_major(jobs.month, jobs.worker) if size > 1 else (False, 0, 0)
    increasing = layout[0]
    worker_bounds = layout[1:] if increasing else bounds(jobs.worker) if size else (0, 0)
    if worker_bounds[0] < 0 and inputs.workers.labels is None:  # integer ids below 0
        inputs.problems["engagements"].append(negative_ids(jobs.worker))
    any_unattributed = min(worker_bounds[0], month_bounds[0]) < 0
    unattributed: npt.NDArray[np.bool_]
    if not any_unattributed:
        unattributed = repeated(False, size, np.bool_)
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
    alone = not explicit.any() and not any_unattributed
    if alone and increasing:  # one row per worker-month, in order: no key to build
        return _one_row_each(pack, inputs, jobs, size, low, span, first)
    key = jobs.worker - low  # (worker - low) × span + (month - first), in one new array
    if span != 1:
        key *= span
    key += jobs.month
    if first:
        key -= first
    if any_unattributed:
        key[unattributed] = -1
    if alone and (len(key) < 2 or bool((key[1:] > key[:-1]).all())):
        # one row per worker-month, in order (e.g. a month's workers by id): nothing to group
        return _one_row_each(pack, inputs, jobs, len(key), low, span, first)
    ordered = bool(len(key) < 2 or (key[1:] >= key[:-1]).all())
    if not ordered and alone and _distinct(key):
        # one row per worker-month in any order (e.g. month by month): no sort needed
        return _one_row_each(pack, inputs, jobs, len(key), low, span, first)
    order = np.arange(len(key)) if ordered else np.argsort(key, kind="stable")
    sorted_key = key if ordered else key[order]
    skip = int(np.searchsorted(sorted_key, 0))  # unattributed rows (-1) sort first
    if not ordered or skip:
        key = sorted_key[skip:]
        jobs = _take(jobs, order[skip:])
    starts = run_starts(key)
    repeats = repeated_orders(jobs, key, starts)
    if len(repeats):
        inputs.problems["engagements"].append(
            Problem(
                np.sort(order[skip + repeats]),
                "orders",
                "repeats another engagement of its worker-month (same platform, industry, "
                "region, earnings and orders): the same orders given twice would be billed "
                "twice; give each engagement once",
            )
        )
    enrol_keys = (members.worker[explicit] - low) * span + (members.month[explicit] - first)
    if len(starts) == len(key) and not len(enrol_keys):  # one engagement per worker-month
        return _one_row_each(
            pack, inputs, jobs, len(key), low, span, first, order, skip, unattributed
        )
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
    refuse_bad_rows(result, order, skip, unattributed, low, span, first)
    attach_enrolments(pack, result, low)
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
    count: int,
    low: int,
    span: int,
    first: int,
    order: Ints | None = None,
    skip: int = 0,
    unattributed: npt.NDArray[np.bool_] | None = None,
) -> WorkerMonths:
    """The ``count`` worker-months of input with exactly one engagement each, kept in input
    order."""
    every = counting(count)
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
        job_count=repeated(1, count),  # read only: one engagement each
        enrolled={},
        refused=np.zeros(count, np.bool_),
        one_job_each=True,
    )
    if order is None:
        order, unattributed = every, repeated(False, count, np.bool_)
    assert unattributed is not None
    refuse_bad_rows(result, order, skip, unattributed, low, span, first)
    attach_enrolments(pack, result, low)
    return result
