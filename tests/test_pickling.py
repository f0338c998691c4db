"""Jurisdictions pickle: a process pool or a Dask worker gets the same rules, reforms included."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import flexsecure as fs
from tests.strategies import RIDER

CN = fs.load_jurisdiction("CN")
JOBS = [
    fs.Engagement(
        worker_id="w-001",
        platform_id="ride-co",
        industry="ride_hailing",
        region="CN-SH",
        month="2025-09",
        earnings=fs.Money("6200.00", "CNY"),
        orders=410,
    ),
    fs.Engagement(
        worker_id="w-001",
        platform_id="food-co",
        industry="instant_delivery",
        region="CN-SH",
        month="2025-09",
        earnings=fs.Money("2100.50", "CNY"),
        orders=233,
    ),
]
ENROLMENTS = [fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.EARNINGS)]
ACCOUNT = {"individual_account": "pension.individual_account_rate"}
HOME_GROWN = fs.Reform(
    name="higher_platform_share",
    set_values=[
        fs.SetValue(
            parameter="pension.platform_pooled_rate",
            value=Decimal("0.18"),
            effective_from=dt.date(2006, 1, 1),
            unit=fs.Unit.RATE,
        )
    ],
    shares={
        "pension": [
            fs.Share("worker", ACCOUNT),
            fs.Share("platform", {"pooled": "pension.platform_pooled_rate"}),
        ]
    },
)


def round_trip(jurisdiction: fs.Jurisdiction) -> fs.Jurisdiction:
    copy = pickle.loads(pickle.dumps(jurisdiction))
    assert isinstance(copy, fs.Jurisdiction)
    return copy


def test_the_bundled_pack_and_its_reforms_round_trip() -> None:
    for jurisdiction in (CN, CN.with_reform("platform_cofunding"), CN.with_reform(HOME_GROWN)):
        jurisdiction.monthly_contributions(RIDER, JOBS, "2025-09", enrolments=ENROLMENTS)
        copy = round_trip(jurisdiction)
        assert copy.pack == jurisdiction.pack
        assert copy.reforms == jurisdiction.reforms
        before = jurisdiction.monthly_contributions(RIDER, JOBS, "2025-09", enrolments=ENROLMENTS)
        after = copy.monthly_contributions(RIDER, JOBS, "2025-09", enrolments=ENROLMENTS)
        assert after == before
        assert [line.funds for line in after.lines] == [line.funds for line in before.lines]


def test_the_memo_stays_behind() -> None:
    """A pack's memo is a cache: it is not shipped, and the copy builds its own."""
    CN.monthly_contributions(RIDER, JOBS, "2025-09", enrolments=ENROLMENTS)
    assert CN.pack._memo
    copy = round_trip(CN)
    assert not copy.pack._memo
    assert len(pickle.dumps(CN)) == len(pickle.dumps(copy))


def test_facts_round_trip() -> None:
    platform = fs.Platform("food-co", premium_classes={"instant_delivery": "high_claims"})
    for value in (RIDER, JOBS[0], ENROLMENTS[0], platform, fs.Money("1.00", "CNY"), HOME_GROWN):
        assert pickle.loads(pickle.dumps(value)) == value
    assert dict(pickle.loads(pickle.dumps(platform)).premium_classes) == {
        "instant_delivery": "high_claims"
    }
