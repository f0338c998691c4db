"""JSON records in and out, and the command line."""

from __future__ import annotations

import json
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import flexsecure as fs
from flexsecure.cli import main
from flexsecure.records.months import month_from_record, statement_from_record, statement_to_record


def sample() -> dict[str, Any]:
    text = (
        resources.files("flexsecure.jurisdictions.cn")
        .joinpath("samples")
        .joinpath("shanghai_rider_2025_09.json")
        .read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)
    return data


def statement_of(data: dict[str, Any], reform: str | None = None) -> fs.ContributionStatement:
    record = month_from_record(data, "CNY")
    cn = fs.load_jurisdiction(record.jurisdiction)
    if reform:
        cn = cn.with_reform(reform)
    return cn.monthly_contributions(
        record.worker, record.engagements, record.month,
        enrolments=record.enrolments, platforms=record.platforms,
    )  # fmt: skip


def test_sample_month_record() -> None:
    stmt = statement_of(sample())
    assert stmt.total(scheme="pension") == fs.Money("1492.00", "CNY")
    assert stmt.total(platform_id="food-co") == fs.Money("58.25", "CNY")  # 233 × 0.25 (high_claims)


@pytest.mark.parametrize("reform", [None, "platform_cofunding"])
def test_statement_record_round_trips_exactly(reform: str | None) -> None:
    stmt = statement_of(sample(), reform)
    record = json.loads(json.dumps(statement_to_record(stmt)))
    back = statement_from_record(record)
    assert back == stmt
    assert statement_to_record(back) == record
    assert record["format"] == "flexsecure.statement/1"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("engagements", 0, "earnings"), 12.5, r"\$\.engagements\[0\]\.earnings"),
        (("engagements", 1, "orders"), -3, r"\$\.engagements\[1\].*orders must be an int >= 0"),
        (("worker", "birth_date"), "17/05/1991", r"\$\.worker\.birth_date"),
        (("enrolments", 0, "base"), "half", r"\$\.enrolments\[0\]\.base"),
        (("month",), "Sept", r"\$\.month"),
    ],
)
def test_bad_records_name_the_json_path(path: tuple[Any, ...], value: object, message: str) -> None:
    data = sample()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(fs.InvalidInput, match=message):
        month_from_record(data, "CNY")


def test_demo_prints_both_languages(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "缴费明细" in out
    assert "Contribution statement" in out
    assert "¥1,492.00" in out
    assert "platform_cofunding" in out
    assert "2025年9月" in out
    assert "Sep 2025" in out


def test_statement_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "month.json"
    file.write_text(json.dumps(sample()), encoding="utf-8")
    assert main(["statement", str(file), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["worker"] == "2238.00"
    assert main(["statement", str(file), "--explain", "--locale", "zh_CN"]) == 0
    assert "统筹基金" in capsys.readouterr().out
    broken = sample()
    broken["engagements"][0]["region"] = "CN-XX"
    file.write_text(json.dumps(broken), encoding="utf-8")
    assert main(["statement", str(file)]) == 2
    assert "CN-XX" in capsys.readouterr().err


@pytest.mark.parametrize(
    "bad",
    [
        lambda: fs.Money("1", "CNY").quantize("0.1"),  # type: ignore[arg-type]
        lambda: fs.Money("1", "CNY").quantize(rounding="ceil"),
        lambda: fs.Month.parse("+025-03"),
        lambda: fs.Age(60.5),  # type: ignore[arg-type]
        lambda: fs.Age(True),
        lambda: fs.load_jurisdiction(123),  # type: ignore[arg-type]
        lambda: fs.Engagement(
            worker_id="w",
            platform_id="p",
            industry="ride_hailing",
            region="CN-SH",
            month=fs.Month(2025, 9),
            earnings=fs.Money("1", "CNY"),
            hours=Decimal("Infinity"),
        ),
        lambda: fs.ContributionStatement(
            worker_id="w", month=fs.Month(2025, 9), currency="CNY", lines=(), jurisdiction="CN"
        ).total(payer="Platform"),
    ],
)
def test_bad_arguments_raise_invalid_input(bad: Any) -> None:
    with pytest.raises(fs.InvalidInput):
        bad()


def test_statement_record_rejects_float_and_malformed_rates() -> None:
    record = statement_to_record(statement_of(sample()))
    record["lines"][0]["rate"] = 0.2
    with pytest.raises(fs.InvalidInput, match=r"\$\.lines\[0\]\.rate must be a decimal string"):
        statement_from_record(record)
    record["lines"][0]["rate"] = "abc"
    with pytest.raises(fs.InvalidInput, match=r"\$\.lines\[0\]\.rate"):
        statement_from_record(record)
