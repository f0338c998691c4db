"""Texts as gettext catalogs: every message translated, catalogs in step with the code and
compiling from source, plural forms, locale negotiation and fallback."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from importlib import resources
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

import flexsecure as fs
from flexsecure.i18n import catalogs
from flexsecure.i18n.catalogs import CORE, Catalogs
from flexsecure.i18n.formatting import format_age, format_months, locale_of, term
from flexsecure.i18n.locales import negotiate
from flexsecure.jurisdictions import jurisdiction_rules

SRC = Path(__file__).resolve().parents[1] / "src" / "flexsecure"
CN_CATALOGS = Catalogs("flexsecure_cn", resources.files("flexsecure.jurisdictions.cn") / "locale")
SG_CATALOGS = Catalogs("flexsecure_sg", resources.files("flexsecure.jurisdictions.sg") / "locale")
DOMAINS = [
    # (catalogs, the folder whose code the domain's texts come from, folders left out)
    (CORE, SRC, ("jurisdictions",)),
    (CN_CATALOGS, SRC / "jurisdictions" / "cn", ()),
    (SG_CATALOGS, SRC / "jurisdictions" / "sg", ()),
]
IDS = ["flexsecure", "flexsecure_cn", "flexsecure_sg"]
LOCALES = ("en", "zh_CN")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def read(catalog: Catalogs, locale: str) -> Catalog:
    po = catalog.folder / locale / "LC_MESSAGES" / f"{catalog.domain}.po"
    with po.open("rb") as handle:
        return read_po(handle, locale=locale, domain=catalog.domain)


def template(catalog: Catalogs) -> Catalog:
    with (catalog.folder / f"{catalog.domain}.pot").open("rb") as handle:
        return read_po(handle)


def key(message: object) -> tuple[str | None, str]:
    ident = message.id  # type: ignore[attr-defined]
    return message.context, ident if isinstance(ident, str) else ident[0]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("catalog", "_code", "_skip"), DOMAINS, ids=IDS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_has_a_translation(
    catalog: Catalogs, _code: Path, _skip: tuple[str, ...], locale: str
) -> None:
    """Both locales translate every message of the template, none fuzzy, every plural form
    filled, and each translation keeps the placeholders of its message."""
    po = read(catalog, locale)
    expected = {key(m) for m in template(catalog) if m.id}
    found = {key(m) for m in po if m.id}
    assert found == expected
    for message in po:
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        strings = (
            [str(s) for s in message.string]
            if isinstance(message.string, (tuple, list))
            else [str(message.string)]
        )
        assert len(strings) == (po.num_plurals if message.pluralizable else 1)
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        wanted = set(PLACEHOLDER.findall(str(ids[0])))
        for string in strings:
            assert string, f"{catalog.domain}/{locale}: no translation of {message.id!r}"
            assert set(PLACEHOLDER.findall(string)) == wanted, (message.id, string)


def test_the_domains_cover_both_locales() -> None:
    assert CORE.locales() == LOCALES
    assert CN_CATALOGS.locales() == LOCALES
    assert SG_CATALOGS.locales() == LOCALES
    for code, catalog in (("CN", CN_CATALOGS), ("SG", SG_CATALOGS)):
        rules = jurisdiction_rules(code)
        assert (rules.domain, rules.catalogs) == (catalog.domain, catalog.folder)


@pytest.mark.parametrize(("catalog", "code", "skip"), DOMAINS, ids=IDS)
def test_the_templates_are_what_pybabel_extracts_from_the_code(
    catalog: Catalogs, code: Path, skip: tuple[str, ...]
) -> None:
    """``make catalogs`` was run: every marked text and formula of the code is in its
    domain's template, and the template holds nothing the code no longer says."""
    keywords = {**DEFAULT_KEYWORDS, "N_": None}
    extracted = {
        (context, message if isinstance(message, str) else message[0])
        for path, _line, message, _comments, context in extract_from_dir(
            str(code), method_map=[("**.py", "flexsecure")], keywords=keywords
        )
        if not any(part in skip for part in Path(path).parts)
    }
    assert extracted == {key(m) for m in template(catalog) if m.id}


@pytest.mark.parametrize(("catalog", "_code", "_skip"), DOMAINS, ids=IDS)
@pytest.mark.parametrize("locale", LOCALES)
def test_catalogs_compile_from_source(
    catalog: Catalogs, _code: Path, _skip: tuple[str, ...], locale: str, tmp_path: Path
) -> None:
    """What ``pybabel compile`` does: the .po compiles to a .mo that reads back the same."""
    po = read(catalog, locale)
    target = tmp_path / f"{catalog.domain}.mo"
    with target.open("wb") as handle:
        write_mo(handle, po)
    with target.open("rb") as handle:
        back = read_mo(handle)
    assert {key(m) for m in back if m.id} == {key(m) for m in po if m.id}


def test_plural_forms() -> None:
    assert [format_months(n, "en") for n in (0, 1, 2)] == ["0 months", "1 month", "2 months"]
    assert [format_months(n, "zh_CN") for n in (1, 2)] == ["1 个月", "2 个月"]
    assert format_age(60, 1, "en") == "60 years 1 month"
    assert format_age(61, 0, "en") == "61 years"
    assert format_age(1, 1, "en") == "1 year 1 month"
    assert format_age(60, 8, "zh_CN") == "60岁8个月"


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-CN", "zh_CN"),
        ("zh_Hans_CN", "zh_CN"),
        ("zh-TW", "en"),  # no Traditional Chinese texts: English, never Simplified characters
        ("zh-Hant-HK", "en"),
        ("en-GB", "en"),
        ("fr", "en"),
        ("not a tag!", "en"),
    ],
)
def test_negotiation_and_fallback(tag: str, expected: str) -> None:
    assert locale_of(tag) == expected


def test_a_statement_in_each_negotiated_locale() -> None:
    cn = fs.load_jurisdiction("CN")
    worker = fs.Worker(
        id="w-1",
        birth_date=dt.date(1991, 5, 17),
        sex=fs.Sex.MALE,
        hukou_region="CN-SC",
        retirement_category=fs.RetirementCategory.MALE,
    )
    enrolled = [fs.Enrolment(scheme="pension", region="CN-SH", base=fs.BaseChoice.FLOOR)]
    line = cn.monthly_contributions(worker, [], fs.Month(2025, 9), enrolments=enrolled).lines[0]
    chinese = line.explanation.render("zh-Hans-CN")
    assert chinese.splitlines()[:2] == [
        "- 养老保险，个人缴纳（CN-SH）：¥1,492.00",
        "    金额 = 舍入(基数 × 费率)",
    ]
    assert line.explanation.render("zh_CN") == chinese
    assert line.explanation.render("zh-TW") == line.explanation.render("en")


def test_a_vendor_adds_a_locale_with_a_folder_and_no_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A French catalog dropped beside the others is negotiated and used; nothing else
    changes. (The folder is a copy, so the installed package is untouched.)"""
    folder = tmp_path / "locale"
    with resources.as_file(CORE.folder) as installed:
        shutil.copytree(installed, folder)
    french = read(CORE, "en")
    french.locale = "fr"
    for message in french:
        if message.id == "Total":
            message.string = "Total général"
    (folder / "fr" / "LC_MESSAGES").mkdir(parents=True)
    buffer = io.BytesIO()
    write_po(buffer, french)
    (folder / "fr" / "LC_MESSAGES" / "flexsecure.po").write_bytes(buffer.getvalue())
    monkeypatch.setattr(catalogs, "CORE", Catalogs("flexsecure", folder))
    monkeypatch.setattr("flexsecure.i18n.formatting.CORE", catalogs.CORE)
    assert negotiate("fr-FR", catalogs.CORE.locales()) == "fr"
    assert locale_of("fr-FR") == "fr"
    assert term("total", "fr_FR") == "Total général"
