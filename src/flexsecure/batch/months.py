"""Worker-months: the rows of a population grouped as the per-object path sees them.

A worker-month is one worker in one month: the engagements of that month (summed earnings,
each platform's share of them) and the enrolments that hold in it. Problems are tracked per
worker-month: a bad row refuses its whole worker-month, since the statement the per-object
path would compute from the remaining rows would be a different one.

:func:`flexsecure.batch.grouping.group` builds them from a chunk's inputs;
:mod:`flexsecure.batch.attach` attaches the enrolments and refuses the months of bad rows.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from flexsecure.batch._arrays import Ints, dense_unique
from flexsecure.batch.inputs import Engagements, Inputs
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import FlexsecureError
from flexsecure.values.periods import Month

__all__ = ["Refusal", "WorkerMonths"]


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
    """Engagement rows in worker-month order (``jobs.rows + jobs.first_row``: their input row
    numbers)."""
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
