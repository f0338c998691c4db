"""Rows of the enrolments, platforms and engagements tables attached to their worker-months.

Once :func:`~flexsecure.batch.grouping.group` has the worker-months, each enrolment row is
attached to the months it holds in (a worker enrolled twice in a scheme at once is refused,
as the per-object path refuses it), and every row-level problem of any table refuses the
worker-month(s) its row belongs to.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import Ints, repeated
from flexsecure.batch.months import WorkerMonths
from flexsecure.rules.packs import RulePack
from flexsecure.rules.schemes import Enrolling
from flexsecure.values.errors import InvalidInput

__all__ = ["attach_enrolments", "refuse_bad_rows"]


def refuse_bad_rows(
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
                given = months.inputs.engagements  # rows numbered in the whole input
                rows = given.rows[rows] + given.first_row
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


def attach_enrolments(pack: RulePack, months: WorkerMonths, low: int) -> None:
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
                repeated(chosen[0], count),
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
