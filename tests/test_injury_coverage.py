"""Occupational-injury protection by platform, date and province (CN.md §6.1, §6.2).

From 2022-07-01 only seven named platforms were covered in the pilot provinces (SRC-OIP-ZQB),
four more from 2025-07-01 (人社部发〔2025〕24号 §1), every platform of the three industries
from 2026 (same; the day is assumed). Premium classes follow each pilot platform's local
claims ratio; newly added platforms pay the standard 0.07 per instant-delivery order
(SRC-OIP-CQ).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import shutil
from importlib import resources
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import flexsecure as fs
from flexsecure import Engagement, InvalidInput, Money, Month, PackError
from flexsecure.records.months import month_from_record, statement_from_record, statement_to_record
from tests.strategies import RIDER

CN = fs.load_jurisdiction("CN")
SCHEME = "occupational_injury"
MAY_2024 = Month(2024, 5)
PILOT_SEVEN = ("caocao", "meituan", "eleme", "dada", "shansong", "huolala", "kuaigou")
ADDED_2025 = ("didi", "sf_intra_city", "didi_freight", "manbang_shengsheng")


def yuan(amount: str) -> Money:
    return Money(amount, "CNY")


def job(
    platform: str, industry: str, orders: int, month: Month = MAY_2024, region: str = "CN-SH"
) -> Engagement:
    return Engagement(
        worker_id=RIDER.id, platform_id=platform, industry=industry, region=region,
        month=month, earnings=yuan("3000.00"), orders=orders,
    )  # fmt: skip


def statement(
    jobs: list[Engagement], platforms: list[fs.Platform], month: Month = MAY_2024
) -> fs.ContributionStatement:
    return CN.monthly_contributions(RIDER, jobs, month, platforms=platforms)


# -- worked examples -------------------------------------------------------------------


def test_a_pilot_platform_pays_per_order_in_a_pilot_province() -> None:
    """2024-05, Shanghai (first pilot from 2022-07-01, SRC-OIP-ZQB), 美团 (one of the seven):
    1000 instant-delivery orders × 0.07 (the pack's default class, standard) = 70.00."""
    meituan = fs.Platform("food-co", registry_key="meituan")
    stmt = statement([job("food-co", "instant_delivery", 1000)], [meituan])
    (line,) = stmt.lines
    assert (line.scheme, line.platform_id, line.amount) == (SCHEME, "food-co", yuan("70.00"))
    assert stmt.notes == ()
    node = line.explanation
    assert node.value("coverage") == "listed"
    assert node.value("premium_class") == "standard"
    used = {child.value("name") for child in node.children if child.key == "parameter"}
    assert {"occupational_injury.covered_platforms", "occupational_injury.in_force"} <= used
    assert "occupational_injury.default_premium_class" in used


def test_a_platform_not_yet_covered_pays_nothing_and_the_statement_says_why() -> None:
    """2024-05, Shanghai: 滴滴出行 was added only from 2025-07-01 (人社部发〔2025〕24号 §1), so
    its orders owe nothing; the note cites the list of the seven (SRC-OIP-ZQB)."""
    didi = fs.Platform("ride-co", registry_key="didi")
    meituan = fs.Platform("food-co", registry_key="meituan")
    stmt = statement(
        [job("ride-co", "ride_hailing", 400), job("food-co", "instant_delivery", 100)],
        [didi, meituan],
    )
    assert [line.platform_id for line in stmt.lines] == ["food-co"]
    (note,) = stmt.notes
    assert (note.scheme, note.reason, note.platform_id, note.region, note.orders) == (
        SCHEME, "platform_not_covered", "ride-co", "CN-SH", 400,
    )  # fmt: skip
    node = note.explanation
    assert node.value("platform_name") == "滴滴出行"
    assert node.value("registry_key") == "didi"
    sources = {c.source_id for c in node.citations()}
    assert "SRC-OIP-ZQB" in sources
    english = stmt.explain().render(locale="en")
    assert "滴滴出行 (didi) is not among the platforms covered on 2024-05-01" in english
    assert "中国青年报" in english
    chinese = stmt.explain().render(locale="zh_CN")
    assert "不在参保平台之列" in chinese


def test_an_unlisted_platform_is_not_covered_before_2026() -> None:
    """A platform the pack does not name (registry key not in [platforms]) is not among the
    covered platforms of 2022–2025; the note has no name for it."""
    small = fs.Platform("small-co", registry_key="xiaoyu_delivery")
    stmt = statement([job("small-co", "instant_delivery", 50)], [small])
    assert stmt.lines == ()
    (note,) = stmt.notes
    assert note.reason == "platform_not_covered"
    assert note.explanation.value("platform_name") is None


@pytest.mark.parametrize("region", ["CN-SH", "CN-ZJ"])
def test_didi_is_covered_from_2025_07_01(region: str) -> None:
    """人社部发〔2025〕24号 §1: 滴滴出行 from 2025-07-01, in the pilot provinces and in the ten
    added then (Zhejiang): 1000 ride-hailing orders × 0.01 = 10.00 (SRC-OIP-CQ)."""
    didi = fs.Platform("ride-co", registry_key="didi")
    june = statement([job("ride-co", "ride_hailing", 1000, Month(2025, 6), region)], [didi],
                     Month(2025, 6))  # fmt: skip
    july = statement([job("ride-co", "ride_hailing", 1000, Month(2025, 7), region)], [didi],
                     Month(2025, 7))  # fmt: skip
    assert june.lines == ()
    assert [n.reason for n in june.notes] == [
        "platform_not_covered" if region == "CN-SH" else "not_in_force"
    ]
    assert [line.amount for line in july.lines] == [yuan("10.00")]
    assert july.notes == ()


def test_every_platform_is_covered_from_2026() -> None:
    """人社部发〔2025〕24号 §1: all platforms of the three industries, in every province, in
    2026 (the first day is assumed): an unlisted freight platform in Tibet pays 0.18 × 100."""
    van = fs.Platform("van-co", registry_key="xiaoyu_freight")
    before = statement([job("van-co", "intra_city_freight", 100, Month(2025, 12), "CN-SH")],
                       [van], Month(2025, 12))  # fmt: skip
    after = statement([job("van-co", "intra_city_freight", 100, Month(2026, 1), "CN-XZ")],
                      [van], Month(2026, 1))  # fmt: skip
    assert before.lines == ()
    (line,) = after.lines
    assert line.amount == yuan("18.00")
    assert line.explanation.value("coverage") == "all_platforms"


def test_a_platform_without_a_registry_key_is_billed_as_before() -> None:
    """Not identified (no registry key, or no Platform given): counted as covered, as every
    platform was billed before platforms were named; the line says coverage was assumed.
    410 ride-hailing orders × 0.01 = 4.10 in Shanghai, 2025-09 (the README example)."""
    for platforms in ([], [fs.Platform("ride-co")]):
        stmt = statement(
            [job("ride-co", "ride_hailing", 410, Month(2025, 9))], platforms, Month(2025, 9)
        )
        (line,) = stmt.lines
        assert line.amount == yuan("4.10")
        assert line.explanation.value("coverage") == "not_identified"
        keys = [node.key for node in line.explanation.walk()]
        assert "coverage.not_identified" in keys
        assert "counted as covered" in line.explanation.render("en")


def test_a_region_not_yet_in_force_gets_a_note() -> None:
    """Zhejiang joined on 2025-07-01 (人社部发〔2025〕24号 §1): in 2024-05 even 美团's orders
    there owe nothing, and the note cites the in_force value."""
    meituan = fs.Platform("food-co", registry_key="meituan")
    stmt = statement([job("food-co", "instant_delivery", 10, region="CN-ZJ")], [meituan])
    (note,) = stmt.notes
    assert note.reason == "not_in_force"
    (rule,) = [c for c in note.explanation.children if c.key == "parameter"]
    assert rule.value("name") == "occupational_injury.in_force"
    assert "not in force there on 2024-05-01" in stmt.explain().render("en")


@pytest.mark.parametrize(("region", "expected"), [("CN-SH", "25.00"), ("CN-BJ", "7.00")])
def test_a_premium_class_assigned_in_one_province(region: str, expected: str) -> None:
    """SRC-OIP-CQ: a pilot platform pays 0.07 or 0.25 per instant-delivery order by its *local*
    claims ratio: assigned the higher class in Shanghai only, it pays 100 × 0.25 there and
    100 × 0.07 in Beijing."""
    food = fs.Platform(
        "food-co", registry_key="eleme",
        premium_classes_by_region={"CN-SH": {"instant_delivery": "high_claims"}},
    )  # fmt: skip
    month = Month(2025, 9)
    stmt = statement([job("food-co", "instant_delivery", 100, month, region)], [food], month)
    (line,) = stmt.lines
    assert line.amount == yuan(expected)


def test_a_provincial_class_wins_over_the_industry_wide_one_and_reaches_cities() -> None:
    """Shenzhen (CN-GD-SZ, under Guangdong, first pilot) takes Guangdong's assignment; a
    province-specific class wins over the class given for every region."""
    food = fs.Platform(
        "food-co", registry_key="meituan",
        premium_classes={"instant_delivery": "high_claims"},
        premium_classes_by_region={"CN-GD": {"instant_delivery": "standard"}},
    )  # fmt: skip
    jobs = [
        job("food-co", "instant_delivery", 100, region="CN-GD-SZ"),
        job("food-co", "instant_delivery", 100, region="CN-SH"),
    ]
    stmt = statement(jobs, [food])
    amounts = {line.region: line.amount for line in stmt.lines}
    assert amounts == {"CN-GD-SZ": yuan("7.00"), "CN-SH": yuan("25.00")}
    by_region = {line.region: line.explanation.value("premium_class") for line in stmt.lines}
    assert by_region == {"CN-GD-SZ": "standard", "CN-SH": "high_claims"}


def test_the_pack_lists_the_platforms_of_each_phase() -> None:
    """CN.md §6.1: seven platforms (third-party report), eleven (official), then all (date
    assumed, so never verified)."""
    assert {p.key for p in CN.platforms} == set(PILOT_SEVEN + ADDED_2025)
    assert {p.name("zh_CN") for p in CN.platforms} >= {"曹操出行", "快狗打车", "满帮省省"}

    def covered(on: dt.date) -> fs.ParameterValue:
        return CN.parameter("occupational_injury.covered_platforms", region="CN-SH", on=on)

    pilot, expansion, national = (
        covered(dt.date(2022, 7, 1)), covered(dt.date(2025, 7, 1)), covered(dt.date(2026, 1, 1))
    )  # fmt: skip
    assert set(pilot.names()) == set(PILOT_SEVEN)
    assert (pilot.citation.source_id, pilot.citation.evidence) == ("SRC-OIP-ZQB", "third_party")
    assert set(expansion.names()) == set(PILOT_SEVEN + ADDED_2025)
    assert (expansion.citation.evidence, expansion.verified) == ("official", True)
    assert national.names() == ("all",)
    assert national.verified is False


# -- properties ------------------------------------------------------------------------

PLATFORM_KEYS = [*PILOT_SEVEN, *ADDED_2025, "xiaoyu_delivery", None]
REGIONS = ("CN-SH", "CN-BJ", "CN-ZJ", "CN-GD-SZ", "CN-HB-WH", "CN-XZ")
MONTHS = st.builds(Month, st.integers(2022, 2026), st.integers(1, 12)).filter(
    lambda m: m >= Month(2022, 7)
)


@settings(max_examples=60, deadline=None)
@given(
    month=MONTHS,
    region=st.sampled_from(REGIONS),
    keys=st.lists(st.sampled_from(PLATFORM_KEYS), min_size=1, max_size=3),
    orders=st.integers(1, 5000),
)
def test_adding_an_uncovered_platform_never_changes_the_others(
    month: Month, region: str, keys: list[str | None], orders: int
) -> None:
    """An extra platform the scheme does not cover adds a note, never a line, and leaves
    every other platform's lines as they were."""
    platforms = [fs.Platform(f"p{i}", registry_key=key) for i, key in enumerate(keys)]
    jobs = [job(p.id, "instant_delivery", orders, month, region) for p in platforms]
    before = statement(jobs, platforms, month)
    extra = fs.Platform("zz-new", registry_key="xiaoyu_delivery")
    after = statement([*jobs, job("zz-new", "instant_delivery", 7, month, region)],
                      [*platforms, extra], month)  # fmt: skip
    assert after.lines[: len(before.lines)] == before.lines
    extra_lines = after.select(platform_id="zz-new")
    assert len(after.lines) == len(before.lines) + len(extra_lines)
    if not extra_lines:
        assert len(after.notes) == len(before.notes) + 1
    else:
        assert month >= Month(2026, 1)  # only once every platform is covered


def _covered(region: str, key: str, on: dt.date) -> bool:
    in_force = CN.pack.parameter("occupational_injury.in_force")
    try:
        if not in_force.at(region, on).flag():
            return False
    except fs.RuleNotFound:
        return False
    names = CN.parameter("occupational_injury.covered_platforms", region=region, on=on).names()
    return "all" in names or key in names


def test_coverage_only_grows_with_time_in_the_data() -> None:
    """For every region and platform, once covered, covered on every later change date of
    either parameter (no phase takes a platform or a province out)."""
    changes = sorted(
        {
            value.effective_from
            for name in ("in_force", "covered_platforms")
            for series in CN.pack.parameter(f"occupational_injury.{name}").series.values()
            for value in series
        }
    )
    for region, key in itertools.product(CN.pack.regions, [*PILOT_SEVEN, *ADDED_2025, "x"]):
        states = [_covered(region, key, on) for on in changes]
        assert states == sorted(states), (region, key)


def test_every_city_has_the_coverage_of_its_province() -> None:
    """A city carries its own figures (no fallback to its province): in_force of each city
    equals its province's on every change date. A province with no series of its own (Henan,
    not among the 2025 additions) and its city both follow the national series."""
    in_force = CN.pack.parameter("occupational_injury.in_force")
    for region in CN.regions:
        if region.parent is None:
            continue
        for value in in_force.series.get(region.parent, in_force.series[None]):
            on = value.effective_from
            assert in_force.at(region.code, on).flag() == value.flag(), (region.code, on)


# -- inputs, records and packs ---------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"registry_key": "Meituan"}, "registry_key must be a key such as 'meituan'"),
        ({"registry_key": ""}, "registry_key must be a key"),
        ({"premium_classes_by_region": {"Shanghai": {}}}, "must map region codes"),
        ({"premium_classes_by_region": {"CN-SH": {"instant_delivery": 3}}}, "premium_classes"),
    ],
)
def test_bad_platform_identities_are_rejected(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        fs.Platform("food-co", **kwargs)  # type: ignore[arg-type]


def test_records_carry_registry_keys_and_notes() -> None:
    record = {
        "format": "flexsecure.month/1", "jurisdiction": "CN", "month": "2024-05",
        "worker": {"id": "w-001", "birth_date": "1991-05-17", "sex": "male",
                   "hukou_region": "CN-SC", "retirement_category": "male"},
        "platforms": [
            {"id": "ride-co", "registry_key": "didi"},
            {"id": "food-co", "registry_key": "meituan",
             "premium_classes_by_region": {"CN-SH": {"instant_delivery": "high_claims"}}},
        ],
        "engagements": [
            {"platform_id": "ride-co", "industry": "ride_hailing", "region": "CN-SH",
             "earnings": "100.00", "orders": 40},
            {"platform_id": "food-co", "industry": "instant_delivery", "region": "CN-SH",
             "earnings": "100.00", "orders": 40},
        ],
    }  # fmt: skip
    parsed = month_from_record(record, "CNY")
    stmt = CN.monthly_contributions(
        parsed.worker, parsed.engagements, parsed.month, platforms=parsed.platforms
    )
    assert [(line.platform_id, line.amount) for line in stmt.lines] == [("food-co", yuan("10.00"))]
    out = json.loads(json.dumps(statement_to_record(stmt)))
    assert out["notes"] == [
        {"scheme": SCHEME, "reason": "platform_not_covered", "platform_id": "ride-co",
         "region": "CN-SH", "industry": "ride_hailing", "orders": 40}
    ]  # fmt: skip
    assert statement_from_record(out).notes == stmt.notes


def test_a_reform_can_cover_every_platform_earlier() -> None:
    """A scenario: every platform covered from 2024-01-01 (a names value set by a reform)."""
    reform = fs.Reform(
        name="all_platforms_2024",
        title="All platforms covered from 2024",
        set_values=[
            fs.SetValue(
                parameter="occupational_injury.covered_platforms",
                effective_from=dt.date(2024, 1, 1),
                value=("all",),
            )
        ],
    )
    reformed = CN.with_reform(reform)
    didi = fs.Platform("ride-co", registry_key="didi")
    stmt = reformed.monthly_contributions(
        RIDER, [job("ride-co", "ride_hailing", 100)], MAY_2024, platforms=[didi]
    )
    assert [line.amount for line in stmt.lines] == [yuan("1.00")]
    unknown = _with_value(reform, ("ofo",))
    with pytest.raises(PackError, match="ofo, not in the pack's"):
        CN.with_reform(unknown)


def _with_value(reform: fs.Reform, value: tuple[str, ...]) -> fs.Reform:
    (set_value,) = reform.set_values
    return fs.Reform(
        name=reform.name,
        title=reform.title,
        set_values=[
            fs.SetValue(
                parameter=set_value.parameter,
                effective_from=set_value.effective_from,
                value=value,
            )
        ],
    )


@pytest.fixture
def pack_dir(tmp_path: Path) -> Path:
    source = resources.files("flexsecure.jurisdictions").joinpath("cn").joinpath("pack")
    target = tmp_path / "cn"
    with resources.as_file(source) as folder:
        shutil.copytree(folder, target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "old", "new", "key", "problem"),
    [
        ("occupational_injury.toml", '"dada", "shansong"', '"dada", "ofo"', "covered_platforms",
         "ofo, not in the pack's [platforms]"),
        ("occupational_injury.toml", 'value = ["all"]', 'value = ["all", "didi"]',
         "covered_platforms", "'all' stands alone"),
        ("jurisdiction.toml", "[platforms.dada]", "[platforms.all]", "platforms.all",
         "means every platform"),
        ("jurisdiction.toml", "[platforms.dada]", "[platforms.Dada]", "platforms.Dada",
         "must be a name"),
        ("occupational_injury.toml", 'value = "standard", source = "SRC-OIP-CQ"',
         'value = "gold", source = "SRC-OIP-CQ"', "default_premium_class",
         "premium class 'gold' needs parameter"),
        ("occupational_injury.toml", 'covered_platforms = "occupational_injury.covered_platforms"',
         'covered_platforms = "occupational_injury.in_force"', "scheme.covered_platforms",
         "expected names"),
        ("pension.toml", "[scheme]\n",
         '[scheme]\ncovered_platforms = "occupational_injury.covered_platforms"\n',
         "scheme", "belong to an orders scheme"),
    ],
)  # fmt: skip
def test_bad_coverage_data_is_rejected_at_load(
    pack_dir: Path, file: str, old: str, new: str, key: str, problem: str
) -> None:
    _replace(pack_dir / file, old, new)
    with pytest.raises(PackError) as caught:
        fs.load_jurisdiction(pack_dir)
    assert file in caught.value.file
    assert key in caught.value.key
    assert problem in caught.value.problem
