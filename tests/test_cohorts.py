"""Ledger-free careers (``career_projection``) against ``project_pension`` on an empty ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure.jurisdictions.cn.cohorts import career_projection
from flexsecure.jurisdictions.cn.retirement import retirement_date

CN = fs.load_jurisdiction("CN")


@settings(max_examples=40, deadline=None)
@given(
    st.dates(dt.date(1962, 1, 1), dt.date(2000, 12, 28)),
    st.sampled_from(list(fs.RetirementCategory)),
    st.sampled_from(["2025-07", "2026-01", "2027-03", "2030-12"]),
    st.sampled_from([fs.BaseChoice.FLOOR, fs.BaseChoice.grade("1.0"), fs.BaseChoice.CEILING]),
    st.sampled_from([Decimal("0.025"), Decimal("0.04")]),
)
def test_a_career_is_the_per_object_projection(
    born: dt.date,
    category: fs.RetirementCategory,
    start: str,
    base: fs.BaseChoice,
    interest: Decimal,
) -> None:
    """Every field of the projection, to the fen — or the same refusal."""
    worker = fs.Worker(
        id="w-1",
        birth_date=born,
        sex=category.sex,
        hukou_region="CN-SH",
        retirement_category=category,
    )
    assumptions = fs.Assumptions(
        start=fs.Month.parse(start),
        region="CN-SH",
        base=base,
        wage_growth=Decimal("0.03"),
        interest_rate=interest,
    )
    try:
        expected = CN.project_pension(
            worker, fs.Ledger.for_worker(worker), region="CN-SH", assumptions=assumptions
        )
    except fs.FlexsecureError as error:
        # what the per-object path refuses, the ledger-free one cannot compute either
        with pytest.raises(type(error)):
            career_projection(CN.pack, retirement_date(CN.pack, worker), "CN-SH", assumptions)
        return
    got = career_projection(CN.pack, retirement_date(CN.pack, worker), "CN-SH", assumptions)
    assert got == expected
    assert got.explain() == expected.explain()
