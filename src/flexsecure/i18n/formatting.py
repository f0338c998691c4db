"""Words and numbers for people: terms, money, months and rates in English or Simplified Chinese.

The surfaces are the only layer that knows about locales. Money is formatted with Babel's CLDR
data (``¥1,492.00`` in zh_CN, ``CN¥1,492.00`` in en), months as ``2025年9月`` or ``Sep 2025``,
rates as percent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent

from flexsecure.jurisdictions import registered_jurisdictions
from flexsecure.values.explanation import ExplanationValue
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = ["LOCALES", "format_money", "format_month", "format_value", "locale_of", "term"]

LOCALES = ("en", "zh_CN")

_TERMS: Mapping[str, Mapping[str, str]] = {
    "worker": {"en": "worker", "zh_CN": "个人"},
    "platform": {"en": "platform", "zh_CN": "平台"},
    "government": {"en": "government", "zh_CN": "政府"},
    "ride_hailing": {"en": "ride-hailing", "zh_CN": "出行"},
    "instant_delivery": {"en": "instant delivery", "zh_CN": "即时配送"},
    "intra_city_freight": {"en": "intra-city freight", "zh_CN": "同城货运"},
    "national": {"en": "national", "zh_CN": "全国"},
    "half_up": {"en": "half up", "zh_CN": "四舍五入"},
    "half_even": {"en": "half even", "zh_CN": "银行家舍入"},
    "up": {"en": "up", "zh_CN": "进位"},
    "down": {"en": "down", "zh_CN": "舍去"},
    "unverified": {"en": "unverified", "zh_CN": "待核实"},
    "yes": {"en": "yes", "zh_CN": "是"},
    "no": {"en": "no", "zh_CN": "否"},
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


def locale_of(locale: str) -> str:
    """The supported locale closest to ``locale``: ``zh_CN`` for any Chinese, else ``en``."""
    return "zh_CN" if locale.replace("-", "_").startswith("zh") else "en"


def term(name: str, locale: str = "en") -> str:
    """The word for a scheme, payer, fund or industry name in ``locale``: the core's, else a
    registered jurisdiction's, else the name itself."""
    texts = _TERMS.get(name)
    if texts is None:
        for rules in registered_jurisdictions().values():
            texts = rules.terms.get(name)
            if texts is not None:
                break
    if texts is None:
        return name
    return texts.get(locale_of(locale)) or texts.get("en") or name


def format_money(money: Money, locale: str = "en") -> str:
    """``¥1,492.00`` — Babel's currency format for ``locale``."""
    return format_currency(money.amount, money.currency, locale=locale_of(locale))


def format_month(month: Month, locale: str = "en") -> str:
    """``2025年9月`` or ``Sep 2025``."""
    return format_skeleton("yMMM", month.first_day, locale=locale_of(locale))


def format_value(name: str, value: ExplanationValue, locale: str) -> str:
    """One value of an explanation, formatted for ``locale`` (rates below 1 as percent)."""
    if isinstance(value, bool):
        return term("yes" if value else "no", locale)
    if isinstance(value, Money):
        return format_money(value, locale)
    if isinstance(value, Month):
        return format_month(value, locale)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if name in {"rate", "value", "growth"} and value < 1:
            return format_percent(value, "#,##0.##%", locale=locale_of(locale))
        return format_decimal(value, locale=locale_of(locale))
    if isinstance(value, str):
        return term(value, locale)
    return str(value)
