"""Packs for vendors: overlays that extend the CN pack, reforms dated from their own start,
and a check that lists every problem of a pack at once."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

import flexsecure as fs
from flexsecure import Money, PackError, check_pack
from tests.test_packs import MALFORMED, Mutation, replace

CN = fs.load_jurisdiction("CN")
VENDOR = 'source = "SRC-VENDOR", evidence = "unverified", verified = false'


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    source = resources.files("flexsecure.jurisdictions").joinpath("cn").joinpath("pack")
    target = tmp_path / "cn"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target)
    return target


def write(folder: Path, name: str, text: str) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def overlay(tmp_path: Path) -> Path:
    """A vendor's overlay: Yunnan's 2025 band and coverage, a new Shanghai floor for 2027,
    a new region, and nothing copied from the CN pack."""
    folder = tmp_path / "vendor"
    write(
        folder,
        "jurisdiction.toml",
        'extends = "CN"\n\n[sources.SRC-VENDOR]\ntitle = "Vendor notice"\n\n'
        '[regions.CN-HK]\nen = "Hong Kong"\nzh_CN = "香港特别行政区"\n',
    )
    write(
        folder,
        "pension.toml",
        f"""
[parameters.base_floor]
values = [
  {{ region = "CN-YN", effective_from = 2025-01-01, value = "4462", {VENDOR} }},
  {{ region = "CN-SH", effective_from = 2027-07-01, value = "7700", {VENDOR} }},
]
[parameters.base_ceiling]
values = [
  {{ region = "CN-YN", effective_from = 2025-01-01, value = "22311", {VENDOR} }},
]
[parameters.vendor_note_rate]
unit = "rate"
description = "A parameter the vendor adds"
values = [{{ effective_from = 2025-01-01, value = "0.01", {VENDOR} }}]

[scheme.coverage]
CN-YN = 2025-01-01
""",
    )
    return folder


# -- overlays ---------------------------------------------------------------------------


def test_an_overlay_adds_and_overrides_without_copying(overlay: Path) -> None:
    vendor = fs.load_jurisdiction(overlay)
    assert vendor.code == "CN"
    assert "extends CN" in vendor.pack.origin
    floor = vendor.parameter("pension.base_floor", region="CN-YN", on=dt.date(2025, 3, 1))
    assert floor.value == Money("4462", "CNY")
    assert floor.citation.source_id == "SRC-VENDOR"
    assert not floor.verified
    # Shanghai keeps every bundled value before the vendor's 2027 one
    on_2026 = vendor.parameter("pension.base_floor", region="CN-SH", on=dt.date(2026, 8, 1))
    bundled = CN.parameter("pension.base_floor", region="CN-SH", on=dt.date(2026, 8, 1))
    assert (on_2026.value, on_2026.citation) == (bundled.value, bundled.citation)
    assert on_2026.effective_until == dt.date(2027, 6, 30)
    on_2027 = vendor.parameter("pension.base_floor", region="CN-SH", on=dt.date(2027, 8, 1))
    assert on_2027.value == Money("7700", "CNY")
    assert vendor.region("CN-HK").name("zh_CN") == "香港特别行政区"
    assert vendor.parameter("pension.vendor_note_rate", on=dt.date(2025, 2, 1)).value == Decimal(
        "0.01"
    )
    assert vendor.pack.schemes["pension"].coverage["CN-YN"] == dt.date(2025, 1, 1)
    # everything the overlay does not mention is the bundled pack's
    assert set(vendor.pack.parameters) == {*CN.pack.parameters, "pension.vendor_note_rate"}
    assert vendor.reforms == CN.reforms
    # the bundled pack is untouched
    assert "CN-HK" not in {region.code for region in CN.regions}
    with pytest.raises(fs.RuleNotFound):
        CN.parameter("pension.base_floor", region="CN-YN", on=dt.date(2025, 3, 1))


def test_an_overlay_computes_a_yunnan_month(overlay: Path) -> None:
    """20 % of the vendor's Yunnan floor 4462 = 892.40 (8 % + 12 %, SRC-FLEX-PAGES)."""
    vendor = fs.load_jurisdiction(overlay)
    worker = fs.Worker(
        id="w-yn",
        birth_date=dt.date(1990, 1, 1),
        sex=fs.Sex.FEMALE,
        hukou_region="CN-YN",
        retirement_category=fs.RetirementCategory.FEMALE_55,
    )
    enrolments = [fs.Enrolment(scheme="pension", region="CN-YN", base=fs.BaseChoice.FLOOR)]
    statement = vendor.monthly_contributions(worker, [], fs.Month(2025, 3), enrolments=enrolments)
    assert statement.total(payer="worker") == Money("892.40", "CNY")


@pytest.mark.parametrize(
    ("file", "text", "key"),
    [
        ("jurisdiction.toml", 'extends = "XX"\n', "extends"),
        ("jurisdiction.toml", 'extends = "../cn"\n', "extends"),
        ("jurisdiction.toml", 'extends = "CN"\ncurrency = "USD"\n', "currency"),
        (
            "jurisdiction.toml",
            'extends = "CN"\n[sources.SRC-DATA]\ntitle = "mine"\n',
            "sources.SRC-DATA",
        ),
        ("pension.toml", '[parameters.base_floor]\nunit = "rate"\nvalues = []\n', "unit"),
        ("vendor.toml", "[scheme]\ncoverage = { CN-SH = 2025-01-01 }\n", "scheme"),
        ("pension.toml", '[scheme]\nbasis = "orders"\n', "scheme.basis"),
        # claims Yunnan without giving it a band
        ("pension.toml", "[scheme.coverage]\nCN-YN = 2025-01-01\n", "scheme.coverage.CN-YN"),
    ],
)
def test_a_bad_overlay_is_rejected_with_a_located_error(
    tmp_path: Path, file: str, text: str, key: str
) -> None:
    if file != "jurisdiction.toml":
        write(tmp_path, "jurisdiction.toml", 'extends = "CN"\n')
    write(tmp_path, file, text)
    with pytest.raises(PackError) as caught:
        fs.load_jurisdiction(tmp_path)
    assert key in caught.value.key
    assert [(p.file, p.key) for p in check_pack(tmp_path)] == [
        (caught.value.file, caught.value.key)
    ]


# -- reforms from their own date ----------------------------------------------------------


def _late_cofunding(start: dt.date | None) -> fs.Reform:
    return fs.Reform(
        name="cofunding_2025",
        effective_from=start,
        set_values=[
            fs.SetValue("pension.platform_rate", "0.16", dt.date(2025, 1, 1), unit=fs.Unit.RATE)
        ],
        shares={
            "pension": [
                fs.Share("worker", {"individual_account": "pension.individual_account_rate"}),
                fs.Share("platform", {"pooled": "pension.platform_rate"}),
            ]
        },
    )


def test_a_reform_adds_a_parameter_from_2025_without_back_dating() -> None:
    """Platforms pay 16 % from 2025 only: Shanghai's 2024-12 month keeps the worker's 20 %
    of 7384 (1476.80); 2025-01 splits 8 % worker (590.72) and 16 % platform (1181.44)."""
    reformed = CN.with_reform(_late_cofunding(dt.date(2025, 1, 1)))
    worker = fs.Worker(
        id="w-1",
        birth_date=dt.date(1991, 5, 17),
        sex=fs.Sex.MALE,
        hukou_region="CN-SC",
        retirement_category=fs.RetirementCategory.MALE,
    )
    enrolments = [fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.FLOOR)]

    def month(m: fs.Month) -> list[tuple[str, Money]]:
        job = fs.Engagement(
            worker_id="w-1",
            platform_id="ride-co",
            industry="ride_hailing",
            region="CN-SH",
            month=m,
            earnings=Money("5000", "CNY"),
        )
        stmt = reformed.monthly_contributions(worker, [job], m, enrolments=enrolments)
        return [(line.payer, line.amount) for line in stmt.select(scheme="pension")]

    assert month(fs.Month(2024, 12)) == [("worker", Money("1476.80", "CNY"))]
    assert month(fs.Month(2025, 1)) == [
        ("worker", Money("590.72", "CNY")),
        ("platform", Money("1181.44", "CNY")),
    ]


def test_a_reform_without_a_start_still_needs_its_rates_for_every_covered_date() -> None:
    with pytest.raises(PackError) as caught:
        CN.with_reform(_late_cofunding(None))
    assert caught.value.key == "scheme.coverage.CN-SH"
    assert "pension.platform_rate" in caught.value.problem


def test_a_bundled_reform_file_may_start_in_2025(pack_dir: Path) -> None:
    write(
        pack_dir,
        "reforms/late.toml",
        """
name = "late"
title = "Platforms pay 16 % from 2025"
status = "scenario"
effective_from = 2025-01-01
source = "SRC-PROJECT"
evidence = "unverified"
verified = false

[[set_values]]
parameter = "pension.platform_rate"
unit = "rate"
effective_from = 2025-01-01
value = "0.16"

[[shares.pension]]
payer = "worker"
funds = { individual_account = "pension.individual_account_rate" }

[[shares.pension]]
payer = "platform"
funds = { pooled = "pension.platform_rate" }
""",
    )
    vendor = fs.load_jurisdiction(pack_dir)
    assert vendor.pack.reform("late").effective_from == dt.date(2025, 1, 1)
    scheme = vendor.with_reform("late").pack.schemes["pension"]
    assert [s.payer for s in scheme.shares_on(dt.date(2024, 12, 31))] == ["worker"]
    assert [s.payer for s in scheme.shares_on(dt.date(2025, 1, 1))] == ["worker", "platform"]


# -- checking a pack: every problem at once -----------------------------------------------


def test_the_bundled_pack_has_no_problems() -> None:
    assert check_pack("CN") == ()


@pytest.mark.parametrize(
    ("mutate", "file", "key"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_check_finds_what_loading_stops_at(
    pack_dir: Path, mutate: Mutation, file: str, key: str
) -> None:
    mutate(pack_dir)
    problems = check_pack(pack_dir)
    assert any(file in p.file and key in p.key for p in problems), problems
    with pytest.raises(PackError) as caught:
        fs.load_jurisdiction(pack_dir)
    assert (caught.value.file, caught.value.key) == (problems[0].file, problems[0].key)


def test_check_lists_every_problem_of_a_pack_with_many(pack_dir: Path) -> None:
    """Nine problems in six files, each reported once with its file and key; what depends on
    a broken part (medical's coverage needs the broken worker_rate) is not reported again."""
    d = pack_dir
    # one value with three problems: unknown region, a float, an unknown source
    replace(d / "medical.toml", 'region = "CN-SH"', 'region = "CN-XX"')
    replace(d / "medical.toml", 'value = "0.10"', "value = 0.10")
    replace(d / "medical.toml", 'source = "SRC-SH-HRSS-FLEX"', 'source = "SRC-NOPE"')
    replace(d / "medical.toml", 'base_floor = "medical.base_floor"', 'base_floor = "medical.x"')
    replace(d / "occupational_injury.toml", 'mode = "half_up"', 'mode = "nearest"')
    replace(d / "account_interest.toml", "[parameters.", "[[parameters.")
    replace(d / "jurisdiction.toml", 'locale = "zh_CN"', 'locale = "zh_CN"\nlocal = "x"')
    replace(
        d / "pension.toml",
        'evidence = "unverified", verified = false, note = "recall only',
        'evidence = "unverified", verified = true, note = "recall only',
    )
    replace(d / "reforms" / "platform_cofunding.toml", 'payer = "platform"', 'payer = "employer"')
    found = [(Path(p.file.split(" ")[0]).name, p.key) for p in check_pack(d)]
    worker_rate = "parameters.worker_rate.values[0]"
    assert sorted(found) == sorted(
        [
            ("jurisdiction.toml", "local"),
            ("account_interest.toml", "(syntax)"),
            ("medical.toml", f"{worker_rate}.region"),
            ("medical.toml", f"{worker_rate}.value"),
            ("medical.toml", f"{worker_rate}.source"),
            ("medical.toml", "scheme.base_floor"),
            ("occupational_injury.toml", "scheme.rounding.mode"),
            ("pension.toml", "parameters.base_floor.values[15].verified"),
            ("platform_cofunding.toml", "shares.pension[1].payer"),
        ]
    )
    assert len(found) == len(set(found)) == 9


def test_an_overlay_needs_the_registry_to_find_what_it_extends(overlay: Path) -> None:
    """The rules layer reads folders only; the bundled pack an overlay names is found by the
    jurisdiction registry, which load_jurisdiction and check_pack pass in."""
    from flexsecure.rules.packs import load_pack

    with pytest.raises(PackError) as caught:
        load_pack(overlay)
    assert caught.value.key == "extends"
    assert fs.check_pack(overlay) == ()
