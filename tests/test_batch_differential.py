"""The batch engine against the per-object path: every line equal to the fen, always.

Random populations (tests/strategies.py ``populations``): regions CN-SH, CN-BJ, CN-GD, CN-FJ
and the city CN-GD-SZ; months on both sides of the pack's band, coverage and in-force dates;
0–5 platforms a worker-month (sometimes the same platform twice); every base choice;
enrolments for every month or for one month; platforms with registry keys (covered from 2022,
from 2025, or not listed) and premium classes for every region or for one (a province's class
reaching its city), known and unknown; with and without the ``platform_cofunding`` reform, and
with per-order contributions to the pension (the bundled ``pension_per_order``, for everyone;
and one for enrolled workers only, over two funds, with a government share, in force for a
year).
A worker-month the per-object path refuses must be refused
(``errors="collect"``), and ``errors="raise"`` must raise the same kind of error.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

pa = pytest.importorskip("pyarrow")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import flexsecure as fs  # noqa: E402
from flexsecure import batch  # noqa: E402
from tests.strategies import Population, populations  # noqa: E402

CN = fs.load_jurisdiction("CN")
_MICRO = fs.Reform(
    name="micro_for_members",
    set_values=[
        fs.SetValue("pension.micro_account", "0.013", dt.date(2025, 7, 1), unit=fs.Unit.MONEY),
        fs.SetValue("pension.micro_pooled", "0.007", dt.date(2025, 7, 1), unit=fs.Unit.MONEY),
        fs.SetValue("pension.micro_state", "0.005", dt.date(2025, 7, 1), unit=fs.Unit.MONEY),
    ],
    order_contributions={
        "pension": fs.OrderContribution(
            dt.date(2025, 7, 1),
            [
                fs.Share(
                    "worker",
                    {
                        "individual_account": "pension.micro_account",
                        "pooled": "pension.micro_pooled",
                    },
                ),
                fs.Share("government", {"individual_account": "pension.micro_state"}),
            ],
            enrolling=fs.Enrolling.VOLUNTARY,
        )
    },
)
_MICRO_ENDS = fs.Reform(
    name="micro_ends",
    order_contributions={"pension": fs.OrderContribution(dt.date(2026, 7, 1), [])},
)
JURISDICTIONS = {
    "none": CN,
    "platform_cofunding": CN.with_reform("platform_cofunding"),
    # 0.10 yuan a order from the worker and the platform, for everyone, from 2026
    "pension_per_order": CN.with_reform("pension_per_order"),
    # enrolled workers only, split over two funds, a government share; from 2025-07 to 2026-06
    "micro_for_members": CN.with_reform("platform_cofunding")
    .with_reform(_MICRO)
    .with_reform(_MICRO_ENDS),
}

Line = tuple[Any, ...]


def _order(line: Line) -> tuple[str, ...]:
    """Lines sort by their text (a platform id may be None on one line and not on another)."""
    return tuple("" if value is None else str(value) for value in line)


def _worker(worker_id: str) -> fs.Worker:
    return fs.Worker(
        id=worker_id,
        birth_date=dt.date(1990, 1, 1),
        sex=fs.Sex.MALE,
        hukou_region="CN-SC",
        retirement_category=fs.RetirementCategory.MALE,
    )


def _choice(row: dict[str, Any]) -> fs.BaseChoice:
    if row["base"] == "grade":
        return fs.BaseChoice.grade(row["grade"])
    if row["base"] == "declared":
        return fs.BaseChoice.declared(fs.Money(row["declared"], "CNY"))
    return fs.BaseChoice(row["base"])


def expected(
    jurisdiction: fs.Jurisdiction, population: Population
) -> tuple[dict[tuple[str, str], list[Line]], set[tuple[str, str]], set[type]]:
    """Per worker-month, the per-object lines; and the worker-months it refuses."""
    jobs: dict[tuple[str, str], list[fs.Engagement]] = defaultdict(list)
    for row in population.engagements:
        jobs[(str(row["worker_id"]), str(row["month"]))].append(
            fs.Engagement(
                worker_id=row["worker_id"],
                platform_id=row["platform_id"],
                industry=row["industry"],
                region=row["region"],
                month=row["month"],
                earnings=fs.Money(str(row["earnings"]), "CNY"),
                orders=row["orders"],
            )
        )
    keys = set(jobs) | {
        (str(r["worker_id"]), str(r["month"]))
        for r in population.enrolments
        if r["month"] is not None
    }
    everywhere: dict[str, dict[str, str]] = defaultdict(dict)
    by_region: dict[str, dict[str, dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    registry: dict[str, str] = {}
    for row in population.platforms:
        platform = str(row["platform_id"])
        if row["registry_key"]:
            registry[platform] = row["registry_key"]
        if row["industry"] is None:
            continue
        if row["region"] is None:
            everywhere[platform][row["industry"]] = row["premium_class"]
        else:
            by_region[platform][row["region"]][row["industry"]] = row["premium_class"]
    named = {str(row["platform_id"]) for row in population.platforms}
    platforms = [
        fs.Platform(
            p,
            registry_key=registry.get(p),
            premium_classes=everywhere.get(p, {}),
            premium_classes_by_region=by_region.get(p, {}),
        )
        for p in sorted(named)
    ]
    lines: dict[tuple[str, str], list[Line]] = {}
    refused: set[tuple[str, str]] = set()
    errors: set[type] = set()
    for worker_id, month in sorted(keys):
        enrolments = [
            fs.Enrolment(scheme=r["scheme"], region=r["region"], base=_choice(r))
            for r in population.enrolments
            if r["worker_id"] == worker_id and r["month"] in (None, month)
        ]
        try:
            statement = jurisdiction.monthly_contributions(
                _worker(worker_id),
                jobs[(worker_id, month)],
                month,
                enrolments=enrolments,
                platforms=platforms,
            )
        except fs.FlexsecureError as error:
            refused.add((worker_id, month))
            errors.add(type(error))
            continue
        lines[(worker_id, month)] = sorted(
            (
                (
                    line.scheme,
                    line.payer,
                    line.platform_id,
                    line.region,
                    line.base.amount if line.base is not None else None,
                    line.rate.amount if isinstance(line.rate, fs.Money) else line.rate,
                    line.amount.amount,
                    tuple(sorted((f, m.amount) for f, m in line.funds)),
                    line.orders,
                    line.industry,
                )
                for line in statement.lines
            ),
            key=_order,
        )
    return lines, refused, errors


def actual(result: batch.BatchResult) -> dict[tuple[str, str], list[Line]]:
    funds = [name for name in result.lines.column_names if name.startswith("fund_")]
    lines: dict[tuple[str, str], list[Line]] = defaultdict(list)
    for row in result.lines.to_pylist():
        rate = row["rate"] if row["rate"] is not None else row["premium"]
        lines[(row["worker_id"], row["month"])].append(
            (
                row["scheme"],
                row["payer"],
                row["platform_id"],
                row["region"],
                row["base"],
                rate,
                row["amount"],
                tuple(
                    sorted((f.removeprefix("fund_"), row[f]) for f in funds if row[f] is not None)
                ),
                row["orders"],
                row["industry"],
            )
        )
    return {key: sorted(value, key=_order) for key, value in lines.items()}


def _tables(population: Population) -> tuple[Any, Any, Any]:
    engagement_columns = (
        "worker_id",
        "platform_id",
        "industry",
        "region",
        "month",
        "earnings",
        "orders",
    )
    engagements = pa.table(
        {c: [r[c] for r in population.engagements] for c in engagement_columns},
        schema=pa.schema(
            [(c, pa.int64() if c == "orders" else pa.string()) for c in engagement_columns]
        ),
    )
    enrolment_columns = ("worker_id", "scheme", "region", "base", "grade", "declared", "month")
    enrolments = pa.table(
        {c: pa.array([r[c] for r in population.enrolments], pa.string()) for c in enrolment_columns}
    )
    platform_columns = ("platform_id", "registry_key", "industry", "premium_class", "region")
    platforms = pa.table(
        {c: pa.array([r[c] for r in population.platforms], pa.string()) for c in platform_columns}
    )
    return engagements, enrolments, platforms


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations(), st.sampled_from(sorted(JURISDICTIONS)))
def test_every_line_equals_the_per_object_path(population: Population, reform: str) -> None:
    jurisdiction = JURISDICTIONS[reform]
    want, refused, errors = expected(jurisdiction, population)
    engagements, enrolments, platforms = _tables(population)
    result = batch.contributions(
        jurisdiction, engagements, enrolments=enrolments, platforms=platforms, errors="collect"
    )
    got = actual(result)
    assert {k: v for k, v in got.items() if v} == {k: v for k, v in want.items() if v}
    rejected = result.rejected.filter(pa.compute.equal(result.rejected["table"], "engagements"))
    rejected_rows = set(rejected["row"].to_pylist())
    refused_rows = {
        index
        for index, row in enumerate(population.engagements)
        if (row["worker_id"], row["month"]) in refused
    }
    assert rejected_rows == refused_rows
    computed = {(r["worker_id"], r["month"]) for r in result.by_worker().to_pylist()}
    assert computed == set(want)
    # schemes=["pension"]: the same pension lines (worker-months refused by another scheme
    # may be computed here, since that scheme is not)
    only = batch.contributions(
        jurisdiction,
        engagements,
        enrolments=enrolments,
        platforms=platforms,
        errors="collect",
        schemes=["pension"],
    )
    pension = {k: [x for x in v if x[0] == "pension"] for k, v in got.items()}
    assert {k: v for k, v in actual(only).items() if k in computed and v} == {
        k: v for k, v in pension.items() if v
    }
    if refused:
        with pytest.raises(tuple(errors)):
            batch.contributions(
                jurisdiction, engagements, enrolments=enrolments, platforms=platforms
            )


@settings(max_examples=20, deadline=None)
@given(populations(max_workers=3))
def test_aggregations_add_up_to_the_lines(population: Population) -> None:
    """Per worker, per platform and region, per payer: every sum is the lines' sum."""
    engagements, enrolments, platforms = _tables(population)
    result = batch.contributions(
        CN, engagements, enrolments=enrolments, platforms=platforms, errors="collect"
    )
    total = sum(result.lines["amount"].to_pylist(), Decimal(0))
    per_payer: dict[tuple[Any, str, str], Decimal] = {}
    for line in result.lines.to_pylist():
        key = (line["worker_id"], line["month"], line["payer"])
        per_payer[key] = per_payer.get(key, Decimal(0)) + line["amount"]
    by_worker = result.by_worker()
    for row in by_worker.to_pylist():
        for payer in ("worker", "platform"):
            assert row[payer] == per_payer.get((row["worker_id"], row["month"], payer), 0)
    assert (
        sum((sum(by_worker[c].to_pylist(), Decimal(0)) for c in ("worker", "platform")), Decimal(0))
        == total
    )
    assert sum(result.by_payer()["amount"].to_pylist(), Decimal(0)) == total
    platform_lines = result.lines.filter(pa.compute.is_valid(result.lines["platform_id"]))
    assert sum(result.by_platform_region()["amount"].to_pylist(), Decimal(0)) == sum(
        platform_lines["amount"].to_pylist(), Decimal(0)
    )


_EVERYONE = [
    fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.EARNINGS),
    fs.Enrolment(scheme="medical", region="CN-SH", base=fs.BaseChoice.EARNINGS),
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(0, 5_000_000),
            st.sampled_from([0, 738_399, 738_400, 738_401, 746_000, 3_690_000, 3_730_000]),
        ),
        min_size=1,
        max_size=12,
    ),
    st.sampled_from(["2025-05", "2025-06", "2025-07", "2025-08"]),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 4)), min_size=12, max_size=12),
    st.sampled_from([None, pa.int8(), pa.int32()]),
)
def test_everyone_on_earnings_equals_the_per_object_path(
    earnings: list[int], month: str, jobs: list[tuple[int, int]], index_type: Any
) -> None:
    """The usual export — everyone enrolled alike on their earnings, one month, one
    engagement each — takes the engine's single pass for base, pension amount and its two
    funds: each line equals ``monthly_contributions``'s to the fen, at and around Shanghai's
    floors and ceilings (7384 until June 2025, 7460 from July: CN.md §1.5). Industries and
    months come as text or as dictionaries (as Parquet gives them; the industry codes then
    stay their narrow indices), orders 0 to 4 (a row without orders is no premium line)."""
    industries = list(CN.pack.industries)[:3]
    rows = [
        (
            f"w-{i:02d}",
            "ride-co",
            industries[jobs[i][0]],
            "CN-SH",
            month,
            f"{fen // 100}.{fen % 100:02d}",
            jobs[i][1],
        )
        for i, fen in enumerate(earnings)
    ]
    columns = ("worker_id", "platform_id", "industry", "region", "month", "earnings", "orders")
    data: dict[str, Any] = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    if index_type is not None:  # the pack's own order: the indices are the codes
        pack_order = list(CN.pack.industries)
        data["industry"] = pa.DictionaryArray.from_arrays(
            pa.array([pack_order.index(v) for v in data["industry"]], index_type),
            pa.array(pack_order),
        )
        data["month"] = pa.array(data["month"]).dictionary_encode()
    engagements = pa.table(data)
    lines = batch.contributions(CN, engagements, enrolments=_EVERYONE).lines.to_pylist()
    funds = [name for name in engagements.column_names if name.startswith("fund_")]
    assert not funds
    for worker_id, _, industry, region, _, money, orders in rows:
        job = fs.Engagement(
            worker_id=worker_id,
            platform_id="ride-co",
            industry=industry,
            region=region,
            month=month,
            earnings=fs.Money(money, "CNY"),
            orders=orders,
        )
        statement = CN.monthly_contributions(
            _worker(worker_id), [job], fs.Month.parse(month), enrolments=_EVERYONE
        )
        mine = [line for line in lines if line["worker_id"] == worker_id]
        assert [(line["scheme"], line["amount"]) for line in mine] == [
            (str(line.scheme), line.amount.amount) for line in statement.lines
        ]
        for line, theirs in zip(mine, statement.lines, strict=True):
            for fund, part in theirs.funds:
                assert line[f"fund_{fund}"] == part.amount
