"""Explanation trees as indented text, each node with its formula and citation."""

from __future__ import annotations

from collections.abc import Mapping

from flexsecure.i18n.formatting import format_value, locale_of, term
from flexsecure.values.explanation import Explanation

__all__ = ["render_explanation"]

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
    "retirement.date": {
        "en": "retires on {date} at {age}: legal age {legal_age} on {legal_date} "
        "(original age {original_age} + {delay_months} months), early {early_months}, "
        "late {late_months}",
        "zh_CN": "{date} 退休，年龄 {age}：法定退休年龄 {legal_age}（{legal_date}，"
        "原退休年龄 {original_age} 延迟 {delay_months} 个月），"
        "提前 {early_months} 个月，延后 {late_months} 个月",
    },
    "retirement.minimum_contribution": {
        "en": "minimum contribution for {year}: {minimum_months} months; contributed "
        "{contributed_months}",
        "zh_CN": "{year} 年最低缴费 {minimum_months} 个月；已缴 {contributed_months} 个月",
    },
    "pension.projection": {
        "en": "monthly pension {monthly_amount} from {date} paid by {region}: basic "
        "{basic_pension} + account {account_pension}; {contributed_months} months "
        "({projected_months} projected), minimum {minimum_months}, short {shortfall_months}",
        "zh_CN": "{date} 起由 {region} 按月发放养老金 {monthly_amount}：基础养老金 "
        "{basic_pension} + 个人账户养老金 {account_pension}；缴费 {contributed_months} 个月"
        "（其中预测 {projected_months} 个月），最低 {minimum_months} 个月，尚缺 "
        "{shortfall_months} 个月",
    },
    "pension.basic": {
        "en": "basic pension {amount}: calculation base {calculation_base}, average index "
        "{average_index} over {indexed_months} months with a known base, {contributed_months} "
        "months",
        "zh_CN": "基础养老金 {amount}：计发基数 {calculation_base}，平均缴费指数 "
        "{average_index}（{indexed_months} 个有基数的月份），缴费 {contributed_months} 个月",
    },
    "pension.account": {
        "en": "account pension {amount}: balance {balance} / {divisor} months",
        "zh_CN": "个人账户养老金 {amount}：账户余额 {balance} / 计发月数 {divisor}",
    },
    "projected_value": {
        "en": "{name} projected to {value}: {years} years of {growth} growth",
        "zh_CN": "{name} 预测为 {value}：按年增长 {growth} 共 {years} 年",
    },
    "pension.divisor": {
        "en": "divisor at age {age}: {months} months",
        "zh_CN": "{age} 退休的计发月数：{months}",
    },
}


def render_explanation(explanation: Explanation, locale: str = "en") -> str:
    """An explanation tree as indented text, each node with its formula and citation."""
    lines: list[str] = []
    _render(explanation, locale_of(locale), 0, lines)
    return "\n".join(lines)


def _render(node: Explanation, locale: str, depth: int, out: list[str]) -> None:
    values = {name: value for name, value in node.values if value is not None}
    shown = {name: format_value(name, value, locale) for name, value in values.items()}
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
