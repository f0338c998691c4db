"""Population projections against the per-object projection, worker by worker."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import flexsecure as fs  # noqa: E402
from flexsecure import batch  # noqa: E402

CN = fs.load_jurisdiction("CN")
ASSUMPTIONS = fs.Assumptions(
    start=fs.Month(2025, 7),
    region="CN-SH",
    base=fs.BaseChoice.FLOOR,
    wage_growth=Decimal("0.03"),
    interest_rate=Decimal("0.025"),
)


def _per_object(
    worker: fs.Worker, start: fs.Month, base: fs.BaseChoice
) -> fs.PensionProjection | str:
    """The per-object projection on an empty ledger, or the error it raises."""
    assumptions = fs.Assumptions(
        start=start,
        region="CN-SH",
        base=base,
        wage_growth=Decimal("0.03"),
        interest_rate=Decimal("0.025"),
    )
    try:
        return CN.project_pension(
            worker, fs.Ledger.for_worker(worker), region="CN-SH", assumptions=assumptions
        )
    except fs.FlexsecureError as error:
        return str(error)


cohort = st.lists(
    st.tuples(
        st.dates(dt.date(1968, 1, 1), dt.date(1998, 12, 28)),
        st.sampled_from(list(fs.RetirementCategory)),
        st.sampled_from(["2025-07", "2026-01", "2027-03", "2030-12"]),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=15, deadline=None)
@given(cohort, st.sampled_from([fs.BaseChoice.FLOOR, fs.BaseChoice.grade("1.0")]))
def test_each_worker_ends_at_the_per_object_projection(
    people: list[tuple[dt.date, fs.RetirementCategory, str]], base: fs.BaseChoice
) -> None:
    assumptions = fs.Assumptions(
        start=ASSUMPTIONS.start,
        region="CN-SH",
        base=base,
        wage_growth=Decimal("0.03"),
        interest_rate=Decimal("0.025"),
    )
    workers = pa.table(
        {
            "worker_id": [f"w-{i}" for i in range(len(people))],
            "birth_date": [born for born, _, _ in people],
            "sex": [category.sex.value for _, category, _ in people],
            "retirement_category": [category.value for _, category, _ in people],
            "start": [start for _, _, start in people],
        }
    )
    rows = batch.project_population(CN, workers, assumptions, errors="collect").to_pylist()
    for index, (born, category, start) in enumerate(people):
        worker = fs.Worker(
            id=f"w-{index}",
            birth_date=born,
            sex=category.sex,
            hukou_region="CN-SH",
            retirement_category=category,
        )
        mine = [row for row in rows if row["worker_id"] == worker.id]
        expected = _per_object(worker, fs.Month.parse(start), base)
        if isinstance(expected, str):
            assert [row["problem"] for row in mine] == [expected]
            continue
        *years, last = mine
        assert last["monthly_pension"] == expected.monthly_amount.amount
        assert (last["basic_pension"], last["account_pension"]) == (
            expected.basic_pension.amount,
            expected.account_pension.amount,
        )
        assert last["account_balance"] == expected.account_balance.amount
        assert last["contributed_months"] == expected.contributed_months
        assert last["retirement_date"] == expected.retirement.date
        balances = [row["account_balance"] for row in mine]
        assert balances == sorted(balances)  # the account only grows
        assert all(row["monthly_pension"] is None for row in years)
        assert [row["year"] for row in mine] == list(range(mine[0]["year"], last["year"] + 1))


def test_a_worker_already_retired_is_named() -> None:
    workers = pa.table(
        {
            "worker_id": ["w-old"],
            "birth_date": ["1950-01-01"],
            "sex": ["male"],
            "retirement_category": ["male"],
        }
    )
    with pytest.raises(fs.RuleNotFound, match=r"workers row 0 \(w-old\)"):
        batch.project_population(CN, workers, ASSUMPTIONS)
    rows = batch.project_population(CN, workers, ASSUMPTIONS, errors="collect").to_pylist()
    assert rows[0]["problem"]
    assert rows[0]["year"] is None
