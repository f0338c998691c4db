"""Words and numbers for people: explanations and statements in English and Simplified Chinese.

The only module that knows about locales. Money is formatted with Babel's CLDR data
(``¥1,492.00`` in both locales), months as ``2025年9月`` or ``Sep 2025``, rates as percent.
Texts are keyed by the stable message keys of :class:`~flexsecure.values.explanation.Explanation`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent

from flexsecure.calculations.statements import ContributionStatement
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "LOCALES",
    "format_money",
    "format_month",
    "render_comparison",
    "render_explanation",
    "render_statement",
    "term",
]

LOCALES = ("en", "zh_CN")

_TERMS: Mapping[str, Mapping[str, str]] = {
    "pension": {"en": "pension", "zh_CN": "养老保险"},
    "medical": {"en": "medical", "zh_CN": "医疗保险"},
    "occupational_injury": {"en": "occupational injury", "zh_CN": "职业伤害保障"},
    "worker": {"en": "worker", "zh_CN": "个人"},
    "platform": {"en": "platform", "zh_CN": "平台"},
    "government": {"en": "government", "zh_CN": "政府"},
    "individual_account": {"en": "individual account", "zh_CN": "个人账户"},
    "pooled": {"en": "pooled fund", "zh_CN": "统筹基金"},
    "ride_hailing": {"en": "ride-hailing", "zh_CN": "出行"},
    "instant_delivery": {"en": "instant delivery", "zh_CN": "即时配送"},
    "intra_city_freight": {"en": "intra-city freight", "zh_CN": "同城货运"},
    "national": {"en": "national", "zh_CN": "全国"},
    "half_up": {"en": "half up", "zh_CN": "四舍五入"},
    "half_even": {"en": "half even", "zh_CN": "银行家舍入"},
    "up": {"en": "up", "zh_CN": "进位"},
    "down": {"en": "down", "zh_CN": "舍去"},
    "unverified": {"en": "unverified", "zh_CN": "待核实"},
    "total": {"en": "Total", "zh_CN": "合计"},
    "scheme": {"en": "Scheme", "zh_CN": "险种"},
    "payer": {"en": "Payer", "zh_CN": "缴费方"},
    "base_or_orders": {"en": "Base / orders", "zh_CN": "基数 / 单量"},
    "rate": {"en": "Rate", "zh_CN": "费率"},
    "amount": {"en": "Amount", "zh_CN": "金额"},
    "statement_title": {"en": "Contribution statement", "zh_CN": "缴费明细"},
    "orders_unit": {"en": "orders", "zh_CN": "单"},
    "per_order": {"en": "/order", "zh_CN": "/单"},
    "current_law": {"en": "Current law", "zh_CN": "现行规定"},
    "difference": {"en": "Change", "zh_CN": "变化"},
}

_MESSAGES: Mapping[str, Mapping[str, str]] = {
    "statement": {
        "en": "Statement of {worker} for {month} ({jurisdiction}): total {total}",
        "zh_CN": "{worker} {month} 缴费明细（{jurisdiction}）：合计 {total}",
    },
    "line": {
        "en": "{scheme}, paid by {payer}{platform} in {region}: {amount}",
        "zh_CN": "{scheme}，{payer}{platform}缴纳（{region}）：{amount}",
    },
    "base.floor": {"en": "base {base} = the region's floor", "zh_CN": "缴费基数 {base}，取下限"},
    "base.ceiling": {
        "en": "base {base} = the region's ceiling",
        "zh_CN": "缴费基数 {base}，取上限",
    },
    "base.earnings": {
        "en": "base {base} from this month's earnings {earnings}, clipped to the band",
        "zh_CN": "缴费基数 {base}，按本月收入 {earnings} 并限于上下限之间",
    },
    "base.grade": {
        "en": "base {base} = grade {grade} of the average wage, clipped to the band",
        "zh_CN": "缴费基数 {base}，按社平工资的 {grade} 档并限于上下限之间",
    },
    "base.declared": {
        "en": "base {base} from the declared {declared}, clipped to the band",
        "zh_CN": "缴费基数 {base}，按申报的 {declared} 并限于上下限之间",
    },
    "parameter": {
        "en": "{name} = {value} ({region}, from {effective_from})",
        "zh_CN": "{name} = {value}（{region}，自 {effective_from} 起）",
    },
    "rounding": {"en": "rounded {mode} to {unit}", "zh_CN": "按 {unit} {mode}"},
    "apportion": {
        "en": "platforms' total {total} split by earnings: {weight} of {of}",
        "zh_CN": "平台合计 {total} 按收入分摊：{weight} / {of}",
    },
    "funds": {"en": "into funds: {funds}", "zh_CN": "计入：{funds}"},
}


def _locale(locale: str) -> str:
    return "zh_CN" if locale.replace("-", "_").startswith("zh") else "en"


def term(name: str, locale: str = "en") -> str:
    """The word for a scheme, payer, fund or industry name in ``locale``."""
    return _TERMS.get(name, {}).get(_locale(locale), name)


def format_money(money: Money, locale: str = "en") -> str:
    """``¥1,492.00`` — Babel's currency format for ``locale``."""
    return format_currency(money.amount, money.currency, locale=_locale(locale))


def format_month(month: Month, locale: str = "en") -> str:
    """``2025年9月`` or ``Sep 2025``."""
    return format_skeleton("yMMM", month.first_day, locale=_locale(locale))


def _format_value(name: str, value: ExplanationValue, locale: str) -> str:
    if isinstance(value, Money):
        return format_money(value, locale)
    if isinstance(value, Month):
        return format_month(value, locale)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if name in {"rate", "value"} and value < 1:
            return format_percent(value, "#,##0.##%", locale=_locale(locale))
        return format_decimal(value, locale=_locale(locale))
    if isinstance(value, str):
        return term(value, locale)
    return str(value)


def render_explanation(explanation: Explanation, locale: str = "en") -> str:
    """An explanation tree as indented text, each node with its formula and citation."""
    lines: list[str] = []
    _render(explanation, _locale(locale), 0, lines)
    return "\n".join(lines)


def _render(node: Explanation, locale: str, depth: int, out: list[str]) -> None:
    values = {name: value for name, value in node.values if value is not None}
    shown = {name: _format_value(name, value, locale) for name, value in values.items()}
    if node.key == "funds":
        text = _MESSAGES["funds"][locale].format(
            funds=", ".join(f"{term(k, locale)} {v}" for k, v in shown.items())
        )
    elif node.key in _MESSAGES:
        if node.key == "line":
            shown["platform"] = f" ({shown['platform']})" if "platform" in shown else ""
        text = _MESSAGES[node.key][locale].format_map(_Missing(shown))
    else:
        text = node.key + ": " + ", ".join(f"{k}={v}" for k, v in shown.items())
    indent = "  " * depth
    out.append(f"{indent}- {text}")
    if node.formula:
        out.append(f"{indent}    {node.formula}")
    if node.citation is not None:
        mark = f" [{term('unverified', locale)}]" if not node.citation.verified else ""
        source = node.citation.title
        if node.citation.article:
            source += f" {node.citation.article}"
        out.append(f"{indent}    ↳ {source}{mark}")
    for child in node.children:
        _render(child, locale, depth + 1, out)


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"


def _line_cells(statement: ContributionStatement, locale: str) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for line in statement.lines:
        payer = term(line.payer, locale)
        if line.platform_id:
            payer += f" {line.platform_id}"
        if line.base is not None:
            basis = format_money(line.base, locale)
            rate = _format_value("rate", line.rate, locale)
        else:
            basis = f"{line.orders} {term('orders_unit', locale)}"
            assert isinstance(line.rate, Money)
            rate = format_money(line.rate, locale) + term("per_order", locale)
        rows.append(
            (term(line.scheme, locale), payer, basis, rate, format_money(line.amount, locale))
        )
    return rows


def _width(text: str) -> int:
    return sum(2 if ord(char) > 0x2E80 else 1 for char in text)


def _table(rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    out = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        out.append("  ".join(cells).rstrip())
    return out


def render_statement(statement: ContributionStatement, locale: str = "en") -> str:
    """A statement as a table: one row per line, then totals per payer."""
    header = tuple(
        term(key, locale) for key in ("scheme", "payer", "base_or_orders", "rate", "amount")
    )
    rows = [header, *_line_cells(statement, locale)]
    title = (
        f"{term('statement_title', locale)} · {statement.worker_id} · "
        f"{format_month(statement.month, locale)}"
    )
    if statement.reforms:
        title += f" · {', '.join(statement.reforms)}"
    out = [title, *_table(rows, right={2, 3, 4})]
    for payer in sorted({line.payer for line in statement.lines}, reverse=True):
        out.append(
            f"{term('total', locale)} {term(payer, locale)}: "
            f"{format_money(statement.total(payer=payer), locale)}"
        )
    out.append(f"{term('total', locale)}: {format_money(statement.total(), locale)}")
    return "\n".join(out)


def render_comparison(
    before: ContributionStatement, after: ContributionStatement, locale: str = "en"
) -> str:
    """Two statements of the same worker-month side by side, per scheme, payer and platform."""
    keys: dict[tuple[str, str, str], None] = {}
    for line in (*before.lines, *after.lines):
        keys.setdefault((line.scheme, line.payer, line.platform_id or ""), None)
    reform = ", ".join(after.reforms) or term("current_law", locale)
    rows: list[tuple[str, ...]] = [
        (
            term("scheme", locale),
            term("payer", locale),
            term("current_law", locale),
            reform,
            term("difference", locale),
        )
    ]

    def subtotal(statement: ContributionStatement, scheme: str, payer: str, platform: str) -> Money:
        lines = statement.select(scheme=scheme, payer=payer)
        return Money.sum(
            (line.amount for line in lines if (line.platform_id or "") == platform),
            statement.currency,
        )

    schemes = list(dict.fromkeys(scheme for scheme, _, _ in keys))
    for scheme, payer, platform in sorted(keys, key=lambda key: schemes.index(key[0])):
        old = subtotal(before, scheme, payer, platform)
        new = subtotal(after, scheme, payer, platform)
        who = term(payer, locale) + (f" {platform}" if platform else "")
        rows.append(
            (
                term(scheme, locale),
                who,
                format_money(old, locale),
                format_money(new, locale),
                format_money(new - old, locale),
            )
        )
    for payer in ("worker", "platform"):
        old, new = before.total(payer=payer), after.total(payer=payer)
        rows.append(
            (
                term("total", locale),
                term(payer, locale),
                format_money(old, locale),
                format_money(new, locale),
                format_money(new - old, locale),
            )
        )
    return "\n".join(_table(rows, right={2, 3, 4}))
