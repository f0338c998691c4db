"""Explanation trees as indented text, each node with its formula and citation."""

from __future__ import annotations

from collections.abc import Mapping

from flexsecure.i18n.formatting import format_value, locale_of, term
from flexsecure.jurisdictions import registered_jurisdictions
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
    "note.not_in_force": {
        "en": "{scheme}: nothing due for {orders} orders of {platform} in {region}: the scheme "
        "is not in force there on {on}",
        "zh_CN": "{scheme}：{platform} 在 {region} 的 {orders} 单无需缴费：{on} 该地尚未实施",
    },
    "note.platform_not_covered": {
        "en": "{scheme}: nothing due for {orders} orders of {platform} in {region}: "
        "{platform_name} ({registry_key}) is not among the platforms covered on {on}",
        "zh_CN": "{scheme}：{platform} 在 {region} 的 {orders} 单无需缴费：{platform_name}"
        "（{registry_key}）{on} 不在参保平台之列",
    },
    "coverage.not_identified": {
        "en": "platform {platform} not identified (no registry key): counted as covered",
        "zh_CN": "平台 {platform} 未标明身份（无登记标识），按参保计",
    },
    "schedule": {
        "en": "{payer} {party} pays {frequency}: {installments} installments, total {total}",
        "zh_CN": "{party}（{payer}）按 {frequency} 缴费：共 {installments} 期，合计 {total}",
    },
    "installment": {
        "en": "installment {key} ({first_month} to {last_month}): {total} due on {due_date}",
        "zh_CN": "{key}（{first_month} 至 {last_month}）：应缴 {total}，缴费期限 {due_date}",
    },
    "installment.amount": {
        "en": "{scheme}, paid by {payer}: {amount}",
        "zh_CN": "{scheme}，{payer}缴纳：{amount}",
    },
    "installment.status": {
        "en": "{key}: {state}; due {total} on {due_date}, paid {paid}, outstanding "
        "{outstanding}, overdue {overdue}, lapsed {lapsed}, late charge {late_charge}",
        "zh_CN": "{key}：{state}；{due_date} 前应缴 {total}，已缴 {paid}，未缴 {outstanding}，"
        "逾期 {overdue}，断缴 {lapsed}，滞纳金 {late_charge}",
    },
    "reconciliation": {
        "en": "on {on}: paid {paid}, outstanding {outstanding} (overdue {overdue}), lapsed "
        "{lapsed}, late charges {late_charges}, credit {credit}",
        "zh_CN": "{on}：已缴 {paid}，未缴 {outstanding}（逾期 {overdue}），断缴 {lapsed}，"
        "滞纳金 {late_charges}，余额 {credit}",
    },
    "late_charge.none": {
        "en": "no late charge (due {due_date})",
        "zh_CN": "不收滞纳金（缴费期限 {due_date}）",
    },
    "late_charge.daily_rate": {
        "en": "late charge {amount}: {rate} a day, up to {days} days after {due_date}",
        "zh_CN": "滞纳金 {amount}：按日 {rate}，自 {due_date} 后最多 {days} 天",
    },
    "late_charge.monthly_rate_per_day": {
        "en": "late charge {amount}: {rate} a month counted per day, up to {days} days after "
        "{due_date}, at least {minimum}",
        "zh_CN": "滞纳利息 {amount}：按月 {rate} 逐日计算，自 {due_date} 后最多 {days} 天，"
        "最低 {minimum}",
    },
    "late_charge.part": {
        "en": "{amount} until {until} (paid: {paid}): {days} days late, {charge}",
        "zh_CN": "{amount} 至 {until}（已缴：{paid}）：逾期 {days} 天，{charge}",
    },
    "remittance": {
        "en": "remittance of {platform} for {month} ({jurisdiction}): total {total}",
        "zh_CN": "{platform} {month} 应缴（{jurisdiction}）：合计 {total}",
    },
    "remittance.item": {
        "en": "{scheme} in {region}: {amount} for {workers} workers, due {due_date}",
        "zh_CN": "{region} {scheme}：{workers} 人共 {amount}，缴费期限 {due_date}",
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
    elif (message := _message(node.key, locale)) is not None:
        if node.key == "line":
            shown["platform"] = f" ({shown['platform']})" if "platform" in shown else ""
        text = message.format_map(_Missing(shown))
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


def _message(key: str, locale: str) -> str | None:
    """The text of ``key`` in ``locale``: the core's, else a registered jurisdiction's."""
    texts = _MESSAGES.get(key)
    if texts is None:
        for rules in registered_jurisdictions().values():
            texts = rules.messages.get(key)
            if texts is not None:
                break
    if texts is None:
        return None
    return texts.get(locale) or texts.get("en")


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"
