"""Who is simulated: workers and, month by month, their platform work.

A :class:`Population` is a workers table — ``worker_id``, ``birth_date``, ``sex``,
``retirement_category``, ``hukou_region`` and ``region`` (where they work and would enrol) —
and, for any month, the month's engagements as integer arrays (worker row, platform, industry,
earnings in fen, orders). A worker with at least one engagement in a month is *active* then.

* :func:`synthetic_population` draws one from a :class:`PopulationSpec`, reproducibly from a
  seed: the same seed gives the same workers and the same months, however the months are read.
* :meth:`Population.from_tables` takes your own: a workers table and an engagements table in
  the columns of :mod:`flexsecure.batch.inputs` (pyarrow or pandas; earnings exact, never
  float).

Every default of :class:`PopulationSpec` is **illustrative** unless its docstring cites a source:
replace it with survey data for real work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch import minor_units_of
from flexsecure.batch.inputs import as_table
from flexsecure.facts.workers import Sex
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.values.errors import InvalidInput
from flexsecure.values.periods import Month

__all__ = ["MonthOfWork", "Population", "PopulationSpec", "synthetic_population"]

Ints = npt.NDArray[np.int64]
T = TypeVar("T")
WORKER_COLUMNS = ("worker_id", "birth_date", "sex", "retirement_category", "region")
MALE, FEMALE_50, FEMALE_55 = "male", "female_50", "female_55"
"""The retirement categories the synthetic workers get: the values of the CN worker fact
``retirement_category`` (original retirement age 60, 50 and 55)."""


@attrs.frozen
class MonthOfWork:
    """One month's engagements: parallel arrays, one entry per engagement."""

    worker: Ints
    """Row of the worker in the population's workers table."""
    platform: Ints
    """Index into ``Population.platform_ids``."""
    industry: Ints
    """Index into the pack's industries."""
    earnings: Ints
    """Earnings in minor units (fen)."""
    orders: Ints


def _weights(value: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    if not value or any(not isinstance(w, Decimal) or w < 0 for w in value.values()):
        raise InvalidInput(f"weights must map names to Decimals >= 0, got {dict(value)!r}")
    if sum(value.values()) <= 0:
        raise InvalidInput(f"weights must not all be 0, got {dict(value)!r}")
    return MappingProxyType(dict(value))


def _share(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, Decimal) or not 0 <= value <= 1:
        raise InvalidInput(
            f"PopulationSpec.{attribute.name} must be a Decimal in [0, 1], got {value!r}"
        )


def _names(value: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(value))


@attrs.frozen
class PopulationSpec:
    """How :func:`synthetic_population` draws workers. Defaults are illustrative unless cited."""

    workers: int = attrs.field(default=10_000)
    regions: Mapping[str, Decimal] = attrs.field(
        default={"CN-SH": Decimal("0.5"), "CN-BJ": Decimal("0.5")}, converter=_weights
    )
    """Work regions and their weights (illustrative)."""
    local_hukou_share: Decimal = attrs.field(default=Decimal("0.2"), validator=_share)
    """Share whose hukou is their work region: Meituan reports more than 80 % of its riders
    are migrants (Caixin Global 2025-02-20, BEHAVIOUR.md #62 [S3]); 0.2 follows from it."""
    hukou_regions: tuple[str, ...] = ("CN-SC", "CN-HA", "CN-AH", "CN-HN", "CN-JX", "CN-GX")
    """Hukou regions of migrants, drawn uniformly (illustrative: large sending provinces)."""
    male_share: Decimal = attrs.field(default=Decimal("0.85"), validator=_share)
    """Illustrative."""
    female_50_share: Decimal = attrs.field(default=Decimal("0.8"), validator=_share)
    """Share of women in the original retirement age 50 group (workers); illustrative."""
    min_age: int = 20
    max_age: int = 50
    """Ages at the start, drawn uniformly in whole months (illustrative)."""
    activity: tuple[Decimal, Decimal] = (Decimal("0.8"), Decimal("0.8"))
    """Beta(a, b) of each worker's share of months with platform work: mean 0.5, many near 0
    or 1. Illustrative, in the spirit of Meituan's 2023 figures — 7.45 m riders with income,
    0.82 m working 260 days or more, nearly half under 30 days (BEHAVIOUR.md #62 [S3])."""
    median_earnings: Decimal = Decimal("6000")
    """Median monthly platform earnings of a worker, yuan (illustrative)."""
    earnings_spread: Decimal = Decimal("0.5")
    """σ of log earnings between workers (illustrative)."""
    month_spread: Decimal = Decimal("0.25")
    """σ of log earnings between a worker's months (illustrative)."""
    platforms: Mapping[str, str] = attrs.field(
        default={"ride-co": "ride_hailing", "food-co": "instant_delivery",
                 "van-co": "intra_city_freight"},
        converter=_names,
    )  # fmt: skip
    """Platform id → industry (illustrative names)."""
    platform_weights: tuple[Decimal, ...] = (Decimal("0.3"), Decimal("0.6"), Decimal("0.1"))
    """Share of workers whose main platform is each of ``platforms`` (illustrative)."""
    yuan_per_order: tuple[Decimal, ...] = (Decimal("30"), Decimal("8"), Decimal("60"))
    """Earnings per order on each platform, for the order counts (illustrative)."""
    multi_homing_share: Decimal = attrs.field(default=Decimal("0.3"), validator=_share)
    """Share working for a second platform too (illustrative)."""

    def __attrs_post_init__(self) -> None:
        if isinstance(self.workers, bool) or not isinstance(self.workers, int) or self.workers < 1:
            raise InvalidInput(f"PopulationSpec.workers must be an int >= 1, got {self.workers!r}")
        if not 16 <= self.min_age <= self.max_age <= 60:
            raise InvalidInput(
                f"PopulationSpec ages must satisfy 16 <= min_age <= max_age <= 60, "
                f"got {self.min_age}..{self.max_age}"
            )
        count = len(self.platforms)
        if len(self.platform_weights) != count or len(self.yuan_per_order) != count:
            raise InvalidInput(
                f"PopulationSpec needs one platform weight and one yuan_per_order per platform "
                f"({count}), got {len(self.platform_weights)} and {len(self.yuan_per_order)}"
            )


def _probabilities(weights: Any) -> npt.NDArray[np.float64]:
    values = np.asarray([float(w) for w in weights], np.float64)
    return np.asarray(values / values.sum(), np.float64)


@attrs.frozen(eq=False)
class Population:
    """Workers and their months of platform work (see the module docstring)."""

    workers: pa.Table
    platform_ids: tuple[str, ...]
    _month_of_work: Callable[[Month], MonthOfWork] = attrs.field(repr=False)
    _memo: dict[str, Any] = attrs.field(factory=dict, init=False, repr=False)

    @property
    def size(self) -> int:
        return int(self.workers.num_rows)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """``build()`` once per population (e.g. retirement months, shared by policies)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[no-any-return]

    def month(self, month: Month) -> MonthOfWork:
        """The engagements of ``month``."""
        return self._month_of_work(month)

    @classmethod
    def from_tables(
        cls, jurisdiction: JurisdictionLike, workers: Any, engagements: Any
    ) -> Population:
        """Your own population: ``workers`` (columns of the module docstring; ``hukou_region``
        optional) and ``engagements`` in the batch columns (``orders`` optional)."""
        table = as_table(workers, "workers")
        missing = [c for c in WORKER_COLUMNS if c not in table.column_names]
        if missing:
            raise InvalidInput(f"workers lacks column(s) {', '.join(missing)}")
        if "hukou_region" not in table.column_names:
            table = table.append_column("hukou_region", table.column("region"))
        pack = jurisdiction.pack
        for region in set(table.column("region").to_pylist()):
            pack.region(region)
        jobs = as_table(engagements, "engagements")
        ids = table.column("worker_id").cast(pa.string())
        if pc.count_distinct(ids).as_py() != len(ids):
            raise InvalidInput("workers: worker_id must be unique")
        row = pc.index_in(jobs.column("worker_id").cast(pa.string()), value_set=ids)
        if row.null_count:
            first = jobs.column("worker_id")[pc.index(pc.is_null(row), True).as_py()]
            raise InvalidInput(f"engagements: worker_id {first.as_py()!r} is not in workers")
        month_text = jobs.column("month").cast(pa.string())
        uniques = pc.unique(month_text).to_pylist()
        index = {text: Month.parse(text).index for text in uniques}
        months = np.asarray([index[t] for t in month_text.to_pylist()], np.int64)
        if pa.types.is_floating(jobs.column("earnings").type):
            raise InvalidInput("engagements: earnings are float; give exact decimals or strings")
        earnings = minor_units_of(jobs.column("earnings").cast(pa.decimal128(18, 2)))
        platforms = jobs.column("platform_id").cast(pa.string())
        platform_ids = tuple(sorted(pc.unique(platforms).to_pylist()))
        platform = np.asarray(pc.index_in(platforms, value_set=pa.array(platform_ids)), np.int64)
        industries = list(pack.industries)
        industry_text = jobs.column("industry").cast(pa.string()).to_pylist()
        unknown = sorted(set(industry_text) - set(industries))
        if unknown:
            raise InvalidInput(f"engagements: industry {unknown[0]!r} is not one of {industries}")
        industry = np.asarray([industries.index(t) for t in industry_text], np.int64)
        orders = (
            np.asarray(jobs.column("orders").fill_null(0), np.int64)
            if "orders" in jobs.column_names
            else np.zeros(jobs.num_rows, np.int64)
        )
        worker = np.asarray(row, np.int64)
        order = np.argsort(months, kind="stable")
        bounds = {int(m): (int(a), int(b)) for m, a, b in _runs(months[order])}

        def month_of_work(month: Month) -> MonthOfWork:
            low, high = bounds.get(month.index, (0, 0))
            rows = order[low:high]
            return MonthOfWork(
                worker[rows], platform[rows], industry[rows], earnings[rows], orders[rows]
            )

        return cls(table, platform_ids, month_of_work)


def _runs(sorted_months: Ints) -> list[tuple[int, int, int]]:
    if not len(sorted_months):
        return []
    starts = np.flatnonzero(np.diff(sorted_months)) + 1
    lows = np.concatenate([[0], starts])
    highs = np.concatenate([starts, [len(sorted_months)]])
    return [(int(sorted_months[a]), int(a), int(b)) for a, b in zip(lows, highs, strict=True)]


def synthetic_population(
    jurisdiction: JurisdictionLike,
    spec: PopulationSpec,
    *,
    start: Month,
    seed: int,
    first_id: int = 0,
) -> Population:
    """Draw ``spec.workers`` workers aged ``min_age``–``max_age`` at ``start``, with integer
    ids from ``first_id``; each month's work is drawn from ``(seed, month)``, so months can be
    read in any order or chunk."""
    pack = jurisdiction.pack
    for code in (*spec.regions, *spec.hukou_regions):
        pack.region(code)
    industries = list(pack.industries)
    for industry in spec.platforms.values():
        pack.check_industry(industry, "PopulationSpec.platforms")
    rng = np.random.default_rng([seed, 0])
    n = spec.workers
    regions = list(spec.regions)
    region = rng.choice(len(regions), n, p=_probabilities(spec.regions.values()))
    local = rng.random(n) < float(spec.local_hukou_share)
    elsewhere = rng.integers(0, len(spec.hukou_regions), n)
    hukou: Any = np.where(local, np.asarray(regions, object)[region],
                     np.asarray(spec.hukou_regions, object)[elsewhere])  # fmt: skip
    male = rng.random(n) < float(spec.male_share)
    female_50 = rng.random(n) < float(spec.female_50_share)
    category: Any = np.where(male, MALE, np.where(female_50, FEMALE_50, FEMALE_55))
    age_months = rng.integers(spec.min_age * 12, spec.max_age * 12 + 1, n)
    birth_index = start.index - age_months
    birth_day = rng.integers(0, 28, n)
    births = ((birth_index - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")
              + birth_day.astype("timedelta64[D]"))  # fmt: skip
    activity = rng.beta(float(spec.activity[0]), float(spec.activity[1]), n)
    level = float(spec.median_earnings) * np.exp(rng.normal(0, float(spec.earnings_spread), n))
    weights = _probabilities(spec.platform_weights)
    main = rng.choice(len(weights), n, p=weights)
    multi = rng.random(n) < float(spec.multi_homing_share)
    second = (main + rng.integers(1, max(len(weights), 2), n)) % len(weights)
    main_share = rng.uniform(0.5, 0.9, n)
    workers = pa.table({
        "worker_id": pa.array(np.arange(first_id, first_id + n, dtype=np.int64)),
        "birth_date": pa.array(births, pa.date32()),
        "sex": pa.array(np.where(male, Sex.MALE.value, Sex.FEMALE.value).tolist()),
        "retirement_category": pa.array(category.tolist()),
        "hukou_region": pa.array(hukou.tolist()),
        "region": pa.array(np.asarray(regions, object)[region].tolist()),
    })  # fmt: skip
    platform_ids = tuple(spec.platforms)
    industry_of = np.asarray([industries.index(spec.platforms[p]) for p in platform_ids], np.int64)
    fen_per_order = np.asarray([int(y * 100) for y in spec.yuan_per_order], np.int64)
    month_spread = float(spec.month_spread)

    def month_of_work(month: Month) -> MonthOfWork:
        draw = np.random.default_rng([seed, 1, month.index])
        people = np.flatnonzero(draw.random(n) < activity)
        noise = draw.normal(0, month_spread, len(people))
        total = np.round(level[people] * np.exp(noise) * 100).astype(np.int64)
        share = np.where(multi[people], main_share[people], 1.0)
        first_part = np.round(total * share).astype(np.int64)
        counts = 1 + multi[people].astype(np.int64)
        worker = np.repeat(people, counts)  # sorted: people is
        at = np.repeat(np.arange(len(people)), counts)
        first = np.ones(len(worker), np.bool_)
        first[1:] = worker[1:] != worker[:-1]
        platform = np.where(first, main[worker], second[worker]).astype(np.int64)
        earnings = np.where(first, first_part[at], total[at] - first_part[at])
        orders = earnings // fen_per_order[platform]
        return MonthOfWork(
            worker.astype(np.int64), platform, industry_of[platform], earnings, orders
        )

    return Population(workers, platform_ids, month_of_work)
