"""Platform remittances: per region and scheme, with due dates, lines, records and the
agency's check. Injury fees are paid per order by the platform (人社部发〔2025〕24号), declared
monthly on last month's orders (Shanxi draft 实施办法; Guangdong HRSS via 工人日报)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import InvalidInput, Money, Month, RecordMismatch
from flexsecure.records.remittances import remittance_schema

CN = fs.load_jurisdiction("CN")
COFUNDED = CN.with_reform("platform_cofunding")
SEPTEMBER = Month(2025, 9)
INDUSTRIES = ("ride_hailing", "instant_delivery", "intra_city_freight")


def worker(index: int) -> fs.Worker:
    return fs.Worker(
        id=f"w-{index:03d}",
        birth_date=dt.date(1980 + index % 20, 1 + index % 12, 1 + index % 28),
        sex=fs.Sex.FEMALE if index % 2 else fs.Sex.MALE,
        hukou_region="CN-SC",
        retirement_category=(
            fs.RetirementCategory.FEMALE_50 if index % 2 else fs.RetirementCategory.MALE
        ),
    )


def statements(jurisdiction: fs.Jurisdiction, count: int = 30) -> list[fs.ContributionStatement]:
    result = []
    for index in range(count):
        person = worker(index)
        region = "CN-SH" if index % 3 else "CN-BJ"
        jobs = [
            fs.Engagement(
                worker_id=person.id,
                platform_id=platform,
                industry=INDUSTRIES[(index + n) % 3],
                region=region,
                month=SEPTEMBER,
                earnings=Money(f"{3000 + 97 * index + 500 * n}.50", "CNY"),
                orders=40 + 7 * index + n,
            )
            for n, platform in enumerate(("food-co", "ride-co")[: 1 + index % 2])
        ]
        enrolments = [fs.Enrolment("pension", region, fs.BaseChoice.EARNINGS)]
        result.append(
            jurisdiction.monthly_contributions(person, jobs, SEPTEMBER, enrolments=enrolments)
        )
    return result


STATEMENTS = statements(CN)
VALIDATOR = jsonschema.Draft202012Validator(remittance_schema())


def record_of(remittance: fs.Remittance) -> dict[str, Any]:
    record = fs.remittance_to_record(remittance)
    VALIDATOR.validate(record)
    return record


def test_remittance_per_region_and_scheme_with_due_dates_and_lines() -> None:
    remittance = CN.platform_remittance(STATEMENTS, platform_id="food-co", month="2025-09")
    assert [(i.region, i.scheme) for i in remittance.items] == [
        ("CN-BJ", "occupational_injury"),
        ("CN-SH", "occupational_injury"),
    ]
    assert {i.due_date for i in remittance.items} == {dt.date(2025, 10, 15)}
    expected = sum(
        (line.amount.amount for s in STATEMENTS for line in s.select(platform_id="food-co")),
        Decimal(0),
    )
    assert remittance.total.amount == expected
    for item in remittance.items:
        assert item.amount.amount == sum(line.amount.amount for line in item.lines)
        for line in item.lines:
            assert line.orders is not None
            assert line.industry in INDUSTRIES
    assert remittance.total_for(region="CN-SH") + remittance.total_for(region="CN-BJ") == (
        remittance.total
    )
    assert "CN-SH" in remittance.explain().render("en")


def test_under_platform_cofunding_the_remittance_includes_pension_shares() -> None:
    """platform_cofunding (scenario): platforms pay 16 % of the pension base, by earnings."""
    cofunded = statements(COFUNDED)
    remittance = COFUNDED.platform_remittance(cofunded, platform_id="ride-co", month=SEPTEMBER)
    schemes = {item.scheme for item in remittance.items}
    assert schemes == {"occupational_injury", "pension"}
    pension = remittance.total_for(scheme="pension")
    expected = sum(
        (s.total(payer="platform", scheme="pension", platform_id="ride-co") for s in cofunded),
        Money("0", "CNY"),
    )
    assert pension == expected
    assert pension > Money("0", "CNY")
    record = record_of(remittance)
    assert record["reforms"] == ["platform_cofunding"]
    assert fs.verify_remittance(record, cofunded) == remittance
    with pytest.raises(InvalidInput, match="platform_cofunding"):
        CN.platform_remittance(cofunded, platform_id="ride-co", month=SEPTEMBER)


def test_record_round_trip_is_exact_and_valid_against_the_schema() -> None:
    remittance = CN.platform_remittance(STATEMENTS, platform_id="ride-co", month=SEPTEMBER)
    record = record_of(remittance)
    text = json.dumps(record, ensure_ascii=False)
    again = fs.remittance_from_record(json.loads(text))
    assert again == remittance
    assert fs.remittance_to_record(again) == record


def test_the_agency_verifies_a_correct_record() -> None:
    remittance = CN.platform_remittance(STATEMENTS, platform_id="food-co", month=SEPTEMBER)
    verified = fs.verify_remittance(record_of(remittance), STATEMENTS)
    assert verified == remittance
    assert verified.reconcile([], on=dt.date(2025, 10, 1)).outstanding == remittance.total


def tampered(record: dict[str, Any], change: Any) -> dict[str, Any]:
    copied = copy.deepcopy(record)
    change(copied)
    return copied


def _shift_line(record: dict[str, Any]) -> None:
    """A platform under-declares one worker's line and makes its sums agree."""
    item = record["items"][1]
    line = item["lines"][2]
    line["amount"] = str(Decimal(line["amount"]) - Decimal("0.01"))
    line["funds"] = {"pooled": line["amount"]}
    item["amount"] = str(Decimal(item["amount"]) - Decimal("0.01"))
    record["total"] = str(Decimal(record["total"]) - Decimal("0.01"))


def _drop_line(record: dict[str, Any]) -> None:
    item = record["items"][0]
    dropped = item["lines"].pop()
    item["amount"] = str(Decimal(item["amount"]) - Decimal(dropped["amount"]))
    record["total"] = str(Decimal(record["total"]) - Decimal(dropped["amount"]))


MISMATCHES = [
    ("due date", lambda r: r["items"][0].update(due_date="2025-10-31"), "$.items[0].due_date"),
    ("line amount", _shift_line, "$.items[1].lines[2].amount"),
    ("missing worker", _drop_line, "$.items[0].lines"),
    ("orders", lambda r: r["items"][0]["lines"][0].update(orders=1), "$.items[0].lines[0].orders"),
]


@pytest.mark.parametrize(
    ("change", "path"), [m[1:] for m in MISMATCHES], ids=[m[0] for m in MISMATCHES]
)
def test_the_agency_names_the_json_path_of_the_first_mismatch(change: Any, path: str) -> None:
    remittance = CN.platform_remittance(STATEMENTS, platform_id="food-co", month=SEPTEMBER)
    record = tampered(record_of(remittance), change)
    VALIDATOR.validate(record)  # still well-formed: only the agency's own figures tell
    with pytest.raises(RecordMismatch) as caught:
        fs.verify_remittance(record, STATEMENTS)
    assert caught.value.path.startswith(path)
    assert str(caught.value).startswith(caught.value.path)


STRICT = [
    ("unknown key", lambda r: r.update(note="hi"), "$.note"),
    (
        "unknown line key",
        lambda r: r["items"][0]["lines"][0].update(tip="1"),
        "$.items[0].lines[0].tip",
    ),
    ("missing key", lambda r: r.pop("currency"), "$.currency"),
    ("float money", lambda r: r.update(total=12.5), "$.total"),
    ("fractional fen", lambda r: r["items"][0].update(amount="1.001"), "$.items[0].amount"),
    ("item sum", lambda r: r["items"][0].update(amount="0.00"), "$.items[0].amount"),
    ("total sum", lambda r: r.update(total="0.00"), "$.total"),
    ("bad month", lambda r: r.update(month="2025-13"), "$.month"),
    ("bad format", lambda r: r.update(format="flexsecure.remittance/2"), "$.format"),
]


@pytest.mark.parametrize(("change", "path"), [m[1:] for m in STRICT], ids=[m[0] for m in STRICT])
def test_malformed_records_are_refused_with_their_json_path(change: Any, path: str) -> None:
    remittance = CN.platform_remittance(STATEMENTS, platform_id="food-co", month=SEPTEMBER)
    record = tampered(record_of(remittance), change)
    with pytest.raises(InvalidInput) as caught:
        fs.remittance_from_record(record)
    assert not isinstance(caught.value, RecordMismatch)
    assert str(caught.value).startswith(path)


def test_schema_refuses_what_the_reader_refuses() -> None:
    """The structural checks; sums and minor units depend on the currency and the reader."""
    remittance = CN.platform_remittance(STATEMENTS, platform_id="food-co", month=SEPTEMBER)
    for _name, change, _path in STRICT[:4]:
        with pytest.raises(jsonschema.ValidationError):
            VALIDATOR.validate(tampered(record_of(remittance), change))


def test_bad_statements_are_refused() -> None:
    with pytest.raises(InvalidInput, match="not of 2025-10"):
        CN.platform_remittance(STATEMENTS, platform_id="food-co", month="2025-10")
    with pytest.raises(InvalidInput, match="second statement"):
        CN.platform_remittance(STATEMENTS + STATEMENTS[:1], platform_id="food-co", month=SEPTEMBER)
    empty = CN.platform_remittance(STATEMENTS, platform_id="no-such-co", month=SEPTEMBER)
    assert empty.items == ()
    assert empty.total == Money("0", "CNY")


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 30), st.sampled_from(["food-co", "ride-co"]))
def test_remittance_equals_the_platforms_lines_and_verifies(count: int, platform: str) -> None:
    subset = STATEMENTS[:count]
    remittance = CN.platform_remittance(subset, platform_id=platform, month=SEPTEMBER)
    lines = [line for s in subset for line in s.select(payer="platform", platform_id=platform)]
    assert sum(len(item.lines) for item in remittance.items) == len(lines)
    assert remittance.total == Money.sum((line.amount for line in lines), "CNY")
    assert fs.verify_remittance(record_of(remittance), subset) == remittance
