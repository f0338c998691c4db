"""Rule packs: the bundled CN pack, parameter lookup, and located errors for bad packs."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest

import flexsecure as fs
from flexsecure import Evidence, Money, PackError, RuleNotFound

CN = fs.load_jurisdiction("CN")

# ISO 3166-2:CN provincial-level divisions of mainland China (31).
MAINLAND = {
    "CN-AH", "CN-BJ", "CN-CQ", "CN-FJ", "CN-GD", "CN-GS", "CN-GX", "CN-GZ", "CN-HA", "CN-HB",
    "CN-HE", "CN-HI", "CN-HL", "CN-HN", "CN-JL", "CN-JS", "CN-JX", "CN-LN", "CN-NM", "CN-NX",
    "CN-QH", "CN-SC", "CN-SD", "CN-SH", "CN-SN", "CN-SX", "CN-TJ", "CN-XJ", "CN-XZ", "CN-YN",
    "CN-ZJ",
}  # fmt: skip


def test_all_31_provincial_regions_with_chinese_and_english_names() -> None:
    assert {region.code for region in CN.regions if region.parent is None} == MAINLAND
    for region in CN.regions:
        assert region.name("zh_CN") != region.code
        assert region.name("en") != region.code
    assert CN.region("CN-SH").name("zh_CN") == "上海市"


def test_every_value_is_cited_and_unverified_values_are_never_verified() -> None:
    count = 0
    for parameter in CN.pack.parameters.values():
        for values in parameter.series.values():
            for value in values:
                count += 1
                assert value.citation.title
                assert value.citation.source_id in CN.pack.sources
                if value.citation.evidence is Evidence.UNVERIFIED:
                    assert not value.citation.verified
    assert count > 80
    for scheme in CN.pack.schemes.values():
        assert scheme.rounding.citation.title


def test_parameter_returns_value_with_citation() -> None:
    floor = CN.parameter("pension.base_floor", region="CN-SH", on=dt.date(2025, 3, 1))
    assert floor.value == Money("7384", "CNY")
    assert floor.effective_from == dt.date(2024, 7, 1)
    assert floor.effective_until == dt.date(2025, 6, 30)
    assert floor.citation.source_id == "SRC-DATA"
    ceiling_2026 = CN.parameter("pension.base_ceiling", region="CN-SH", on=dt.date(2026, 7, 1))
    assert ceiling_2026.value == Money("37731", "CNY")
    assert ceiling_2026.citation.evidence is Evidence.OFFICIAL
    assert ceiling_2026.citation.url is not None
    assert "rsj.sh.gov.cn" in ceiling_2026.citation.url


def test_regions_fall_back_to_the_national_series() -> None:
    rate = CN.parameter("pension.individual_account_rate", region="CN-XZ", on=dt.date(2025, 1, 1))
    assert rate.value == Decimal("0.08")
    assert rate.region is None


def test_rule_not_found_says_what_is_available() -> None:
    with pytest.raises(RuleNotFound, match=r"CN-SH on 2013-12-01; the pack starts at 2014-04-01"):
        CN.parameter("pension.base_floor", region="CN-SH", on=dt.date(2013, 12, 1))
    with pytest.raises(RuleNotFound, match="has values for: CN-AH, CN-AH-HF, CN-BJ, CN-CQ, CN-FJ"):
        CN.parameter("pension.base_floor", region="CN-XZ", on=dt.date(2025, 1, 1))
    with pytest.raises(RuleNotFound, match=r"no parameter 'pension\.base_flor'"):
        CN.parameter("pension.base_flor", region="CN-SH", on=dt.date(2025, 1, 1))
    with pytest.raises(fs.InvalidInput, match="CN-XX"):
        CN.parameter("pension.base_floor", region="CN-XX", on=dt.date(2025, 1, 1))


def test_unknown_bundled_pack() -> None:
    with pytest.raises(RuleNotFound, match="bundled: CN"):
        fs.load_jurisdiction("ZZ")


# -- malformed packs ---------------------------------------------------------------------


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    source = resources.files("flexsecure.jurisdictions").joinpath("cn").joinpath("pack")
    target = tmp_path / "cn"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target)
    return target


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_copied_pack_loads_from_its_path(pack_dir: Path) -> None:
    vendor = fs.load_jurisdiction(pack_dir)
    assert vendor.code == "CN"
    assert str(pack_dir) in vendor.pack.origin


FLOOR_2025 = '{ region = "CN-SH", effective_from = 2025-07-01, value = "7460"'

Mutation = Callable[[Path], None]
MALFORMED: list[tuple[str, Mutation, str, str]] = [
    (
        "toml syntax",
        lambda d: replace(d / "medical.toml", "[scheme]", "[scheme"),
        "medical.toml",
        "(syntax)",
    ),
    (
        "missing jurisdiction file",
        lambda d: (d / "jurisdiction.toml").unlink(),
        "jurisdiction.toml",
        "(file)",
    ),
    (
        "unknown currency",
        lambda d: replace(d / "jurisdiction.toml", 'currency = "CNY"', 'currency = "CNX"'),
        "jurisdiction.toml",
        "currency",
    ),
    (
        "value without source",
        lambda d: replace(
            d / "pension.toml", FLOOR_2025 + ', source = "SRC-DATA", ', FLOOR_2025 + ", "
        ),
        "pension.toml",
        "parameters.base_floor.values[11].source",
    ),
    (
        "unknown source id",
        lambda d: replace(d / "medical.toml", 'source = "SRC-SH-HRSS-FLEX"', 'source = "SRC-NOPE"'),
        "medical.toml",
        "parameters.worker_rate.values[0].source",
    ),
    (
        "float instead of decimal string",
        lambda d: replace(d / "medical.toml", 'value = "0.10"', "value = 0.10"),
        "medical.toml",
        "parameters.worker_rate.values[0].value",
    ),
    (
        "rate above 100 %",
        lambda d: replace(d / "medical.toml", 'value = "0.10"', 'value = "10"'),
        "medical.toml",
        "parameters.worker_rate.values[0].value",
    ),
    (
        "negative money",
        lambda d: replace(d / "pension.toml", 'value = "7460"', 'value = "-7460"'),
        "pension.toml",
        "parameters.base_floor.values[11].value",
    ),
    (
        "date that is not a date",
        lambda d: replace(
            d / "medical.toml", "effective_from = 2024-03-01", 'effective_from = "March"'
        ),
        "medical.toml",
        "parameters.worker_rate.values[0].effective_from",
    ),
    (
        "dates out of order",
        lambda d: replace(
            d / "pension.toml", FLOOR_2025, FLOOR_2025.replace("2025-07-01", "2019-01-01")
        ),
        "pension.toml",
        "parameters.base_floor.values[11].effective_from",
    ),
    (
        "overlapping values",
        lambda d: replace(
            d / "pension.toml", FLOOR_2025, FLOOR_2025.replace("2025-07-01", "2024-07-01")
        ),
        "pension.toml",
        "parameters.base_floor.values[11].effective_from",
    ),
    (
        "city code without its parent",
        lambda d: replace(
            d / "jurisdiction.toml", 'zh_CN = "广州市"\nparent = "CN-GD"', 'zh_CN = "广州市"'
        ),
        "jurisdiction.toml",
        "regions.CN-GD-GZ.parent",
    ),
    (
        "city parent that is not its subdivision",
        lambda d: replace(d / "jurisdiction.toml", 'parent = "CN-HB"', 'parent = "CN-HE"'),
        "jurisdiction.toml",
        "regions.CN-HB-WH.parent",
    ),
    (
        "parent on a subdivision",
        lambda d: replace(
            d / "jurisdiction.toml", 'zh_CN = "浙江省"', 'zh_CN = "浙江省"\nparent = "CN-SH"'
        ),
        "jurisdiction.toml",
        "regions.CN-ZJ.parent",
    ),
    (
        "city part too long",
        lambda d: replace(d / "jurisdiction.toml", "[regions.CN-HB-WH]", "[regions.CN-HB-WUHAN]"),
        "jurisdiction.toml",
        "regions.CN-HB-WUHAN",
    ),
    (
        "another country's bare code as a region",
        lambda d: replace(d / "jurisdiction.toml", "[regions.CN-HB-WH]", "[regions.SG]"),
        "jurisdiction.toml",
        "regions.SG",
    ),
    (
        "undeclared region",
        lambda d: replace(d / "medical.toml", 'region = "CN-SH"', 'region = "CN-XX"'),
        "medical.toml",
        "parameters.worker_rate.values[0].region",
    ),
    (
        "unverified figure marked verified",
        lambda d: replace(
            d / "pension.toml",
            'evidence = "unverified", verified = false, note = "recall only',
            'evidence = "unverified", verified = true, note = "recall only',
        ),
        "pension.toml",
        "verified",
    ),
    (
        "scheme refers to a missing parameter",
        lambda d: replace(
            d / "medical.toml", 'pooled = "medical.worker_rate"', 'pooled = "medical.rate"'
        ),
        "medical.toml",
        "scheme.shares[0].funds.pooled",
    ),
    (
        "parameter of the wrong unit",
        lambda d: replace(
            d / "medical.toml",
            'base_floor = "medical.base_floor"',
            'base_floor = "medical.worker_rate"',
        ),
        "medical.toml",
        "scheme.base_floor",
    ),
    (
        "fixed amount of the wrong unit",
        lambda d: replace(
            d / "medical.toml",
            'fixed_amount = "medical.fixed_amount"',
            'fixed_amount = "medical.worker_rate"',
        ),
        "medical.toml",
        "scheme.fixed_amount",
    ),
    (
        "fixed amount on a scheme of two payers",
        lambda d: replace(
            d / "medical.toml",
            "[scheme.rounding]",
            '[[scheme.shares]]\npayer = "platform"\nfunds = { pooled = "medical.worker_rate" }'
            "\n\n[scheme.rounding]",
        ),
        "medical.toml",
        "scheme.fixed_amount",
    ),
    (
        "fixed amount on a per-order scheme",
        lambda d: replace(
            d / "occupational_injury.toml",
            "[[scheme.shares]]",
            'fixed_amount = "medical.fixed_amount"\n\n[[scheme.shares]]',
        ),
        "occupational_injury.toml",
        "scheme.fixed_amount",
    ),
    (
        "coverage claim before the fixed amount, without a band",
        lambda d: replace(d / "medical.toml", "CN-BJ = 2025-07-01", "CN-BJ = 2025-06-01"),
        "medical.toml",
        "scheme.coverage.CN-BJ",
    ),
    (
        "coverage claim without values",
        lambda d: replace(
            d / "medical.toml", "CN-SH = 2024-03-01", "CN-SH = 2024-03-01\nCN-HA = 2024-03-01"
        ),
        "medical.toml",
        "scheme.coverage.CN-HA",
    ),
    (
        "unknown rounding mode",
        lambda d: replace(d / "medical.toml", 'mode = "half_up"', 'mode = "nearest"'),
        "medical.toml",
        "scheme.rounding.mode",
    ),
    (
        "misspelt key",
        lambda d: replace(
            d / "medical.toml", "effective_from = 2024-03-01", "effectve_from = 2024-03-01"
        ),
        "medical.toml",
        "parameters.worker_rate.values[0].effectve_from",
    ),
    (
        "unknown payer",
        lambda d: replace(d / "medical.toml", 'payer = "worker"', 'payer = "employer"'),
        "medical.toml",
        "scheme.shares[0].payer",
    ),
    (
        "scheme listed without its file",
        lambda d: (d / "medical.toml").unlink(),
        "jurisdiction.toml",
        "schemes",
    ),
    (
        "bundled reform that does not apply",
        lambda d: replace(
            d / "reforms" / "platform_cofunding.toml",
            'funds = { pooled = "pension.platform_pooled_rate" }',
            'funds = { pooled = "pension.platform_rate" }',
        ),
        "reform platform_cofunding",
        "scheme.shares[1].funds.pooled",
    ),
]


FREQUENCIES_SH = 'region = "CN-SH", effective_from = 2020-11-01, value = ["monthly"]'
MALFORMED += [
    (
        "names not a list",
        lambda d: replace(
            d / "schedule.toml", FREQUENCIES_SH, FREQUENCIES_SH.replace('["monthly"]', '"monthly"')
        ),
        "schedule.toml",
        "worker.frequencies.values[1].value",
    ),
    (
        "names empty",
        lambda d: replace(
            d / "schedule.toml", FREQUENCIES_SH, FREQUENCIES_SH.replace('["monthly"]', "[]")
        ),
        "schedule.toml",
        "worker.frequencies.values[1].value",
    ),
    (
        "names twice",
        lambda d: replace(
            d / "schedule.toml",
            FREQUENCIES_SH,
            FREQUENCIES_SH.replace('"monthly"', '"monthly", "monthly"'),
        ),
        "schedule.toml",
        "worker.frequencies.values[1].value",
    ),
    (
        "name spelled with capitals",
        lambda d: replace(d / "schedule.toml", 'value = "daily_rate"', 'value = "Daily Rate"'),
        "schedule.toml",
        "platform.late_charge.values[0].value",
    ),
    (
        "name not text",
        lambda d: replace(d / "schedule.toml", 'value = "oldest_first"', "value = 1"),
        "schedule.toml",
        "worker.application.values[0].value",
    ),
]


def test_name_and_names_parameters() -> None:
    """Text values for vocabularies: one name, or a list of distinct names."""
    frequencies = CN.parameter(
        "schedule.worker.frequencies", region="CN-HN", on=dt.date(2025, 1, 1)
    )
    assert frequencies.names() == ("monthly", "quarterly", "yearly")
    method = CN.parameter("schedule.platform.late_charge", region="CN-SH", on=dt.date(2025, 1, 1))
    assert method.text() == "daily_rate"
    with pytest.raises(TypeError):
        method.names()
    with pytest.raises(TypeError):
        frequencies.decimal()


def test_a_reform_can_set_a_names_parameter() -> None:
    reform = fs.Reform(
        name="hunan_half_yearly",
        title="Half-yearly payment in Hunan",
        set_values=[
            fs.SetValue(
                parameter="schedule.worker.frequencies",
                region="CN-HN",
                effective_from=dt.date(2026, 1, 1),
                value=("monthly", "half_yearly"),
            )
        ],
    )
    reformed = CN.with_reform(reform)
    value = reformed.parameter(
        "schedule.worker.frequencies", region="CN-HN", on=dt.date(2026, 2, 1)
    )
    assert value.names() == ("monthly", "half_yearly")


@pytest.mark.parametrize(
    ("mutate", "file", "key"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_pack_is_rejected_with_a_located_error(
    pack_dir: Path, mutate: Mutation, file: str, key: str
) -> None:
    mutate(pack_dir)
    with pytest.raises(PackError) as caught:
        fs.load_jurisdiction(pack_dir)
    assert file in caught.value.file
    assert key in caught.value.key
    assert caught.value.problem
    assert str(caught.value).startswith(caught.value.file)


def test_pack_objects_are_immutable() -> None:
    with pytest.raises(TypeError):
        CN.pack.parameters["x"] = CN.pack.parameters["pension.base_floor"]  # type: ignore[index]
