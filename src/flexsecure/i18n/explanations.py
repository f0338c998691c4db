"""Explanation trees as indented text, each node with its formula and citation."""

from __future__ import annotations

from collections.abc import Mapping

from flexsecure.i18n.catalogs import CORE, jurisdiction_catalogs, translate, translated
from flexsecure.i18n.formatting import format_value, locale_of, term
from flexsecure.jurisdictions import registered_jurisdictions
from flexsecure.values.explanation import Explanation
from flexsecure.values.messages import N_

__all__ = ["render_explanation"]

_MESSAGES: Mapping[str, str] = {
    "statement": N_("Statement of {worker} for {month} ({jurisdiction}): total {total}"),
    "line": N_("{scheme}, paid by {payer}{platform} in {region}: {amount}"),
    "base.floor": N_("base {base} = the region's floor"),
    "base.ceiling": N_("base {base} = the region's ceiling"),
    "base.earnings": N_("base {base} from this month's earnings {earnings}, clipped to the band"),
    "base.grade": N_("base {base} = grade {grade} of the average wage, clipped to the band"),
    "base.declared": N_("base {base} from the declared {declared}, clipped to the band"),
    "parameter": N_("{name} = {value} ({region}, from {effective_from})"),
    "rounding": N_("rounded {mode} to {unit}"),
    "apportion": N_("platforms' total {total} split by earnings: {weight} of {of}"),
    "funds": N_("into funds: {funds}"),
    "note.not_in_force": N_(
        "{scheme}: nothing due for {orders} orders of {platform} in {region}: the scheme "
        "is not in force there on {on}"
    ),
    "note.platform_not_covered": N_(
        "{scheme}: nothing due for {orders} orders of {platform} in {region}: "
        "{platform_name} ({registry_key}) is not among the platforms covered on {on}"
    ),
    "coverage.not_identified": N_(
        "platform {platform} not identified (no registry key): counted as covered"
    ),
    "schedule": N_("{payer} {party} pays {frequency}: {installments} installments, total {total}"),
    "installment": N_(
        "installment {key} ({first_month} to {last_month}): {total} due on {due_date}"
    ),
    "installment.amount": N_("{scheme}, paid by {payer}: {amount}"),
    "installment.status": N_(
        "{key}: {state}; due {total} on {due_date}, paid {paid}, outstanding {outstanding}, "
        "overdue {overdue}, lapsed {lapsed}, late charge {late_charge}"
    ),
    "reconciliation": N_(
        "on {on}: paid {paid}, outstanding {outstanding} (overdue {overdue}), lapsed "
        "{lapsed}, late charges {late_charges}, credit {credit}"
    ),
    "late_charge.none": N_("no late charge (due {due_date})"),
    "late_charge.daily_rate": N_(
        "late charge {amount}: {rate} a day, up to {days} days after {due_date}"
    ),
    "late_charge.monthly_rate_per_day": N_(
        "late charge {amount}: {rate} a month counted per day, up to {days} days after "
        "{due_date}, at least {minimum}"
    ),
    "late_charge.part": N_("{amount} until {until} (paid: {paid}): {days} days late, {charge}"),
    "remittance": N_("remittance of {platform} for {month} ({jurisdiction}): total {total}"),
    "remittance.item": N_("{scheme} in {region}: {amount} for {workers} workers, due {due_date}"),
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
        text = CORE.gettext(_MESSAGES["funds"], locale).format(
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
        out.append(f"{indent}    {translate(node.formula, locale)}")
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
    message = _MESSAGES.get(key)
    if message is not None:
        return CORE.gettext(message, locale)
    for rules in registered_jurisdictions().values():
        text = rules.messages.get(key)
        if text is not None:
            return translated(text, jurisdiction_catalogs(rules), locale)
    return None


class _Missing(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "—"
