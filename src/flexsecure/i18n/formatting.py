"""Words and numbers for people: terms, money, months and rates in English or Simplified Chinese.

The surfaces are the only layer that knows about locales. Money is formatted with Babel's CLDR
data (``¥1,492.00`` in zh_CN, ``CN¥1,492.00`` in en), months as ``2025年9月`` or ``Sep 2025``,
rates as percent.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

from babel.dates import format_skeleton
from babel.numbers import format_currency, format_decimal, format_percent

from flexsecure.i18n.catalogs import CORE, jurisdiction_catalogs, translated
from flexsecure.i18n.locales import negotiate
from flexsecure.jurisdictions import registered_jurisdictions
from flexsecure.values.errors import InvalidInput
from flexsecure.values.explanation import ExplanationValue
from flexsecure.values.messages import N_
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = [
    "LOCALES",
    "format_age",
    "format_money",
    "format_month",
    "format_months",
    "format_value",
    "locale_of",
    "term",
]

LOCALES = ("en", "zh_CN")

_TERMS: Mapping[str, str] = {
    "worker": N_("worker"),
    "platform": N_("platform"),
    "government": N_("government"),
    "ride_hailing": N_("ride-hailing"),
    "instant_delivery": N_("instant delivery"),
    "intra_city_freight": N_("intra-city freight"),
    "national": N_("national"),
    "half_up": N_("half up"),
    "half_even": N_("half even"),
    "up": N_("up"),
    "down": N_("down"),
    "unverified": N_("unverified"),
    "yes": N_("yes"),
    "no": N_("no"),
    "total": N_("Total"),
    "scheme": N_("Scheme"),
    "payer": N_("Payer"),
    "base_or_orders": N_("Base / orders"),
    "rate": N_("Rate"),
    "amount": N_("Amount"),
    "statement_title": N_("Contribution statement"),
    "orders_unit": N_("orders"),
    "per_order": N_("/order"),
    "current_law": N_("Current law"),
    "difference": N_("Change"),
}


def locale_of(locale: str) -> str:
    """The supported locale for ``locale`` (:func:`~flexsecure.i18n.locales.negotiate`):
    ``zh_CN`` for Simplified Chinese, ``en`` for everything else — Traditional Chinese
    included, until it has texts of its own; ``en`` for a tag that cannot be read."""
    try:
        return negotiate(locale, CORE.locales())
    except InvalidInput:
        return "en"


def term(name: str, locale: str = "en") -> str:
    """The word for a scheme, payer, fund or industry name in ``locale``: the core's, else a
    registered jurisdiction's, else the name itself."""
    locale = locale_of(locale)
    message = _TERMS.get(name)
    if message is not None:
        return CORE.gettext(message, locale)
    for rules in registered_jurisdictions().values():
        text = rules.terms.get(name)
        if text is not None:
            return translated(text, jurisdiction_catalogs(rules), locale) or name
    return name


def format_money(money: Money, locale: str = "en") -> str:
    """``¥1,492.00`` — Babel's currency format for ``locale``."""
    return format_currency(money.amount, money.currency, locale=locale_of(locale))


def format_month(month: Month, locale: str = "en") -> str:
    """``2025年9月`` or ``Sep 2025``."""
    return format_skeleton("yMMM", month.first_day, locale=locale_of(locale))


def format_months(count: int, locale: str = "en") -> str:
    """``1 month``, ``3 months``, ``3 个月`` — a count of months with its plural form."""
    return CORE.ngettext("{n} month", "{n} months", count, locale_of(locale)).format(n=count)


def format_age(years: int, months: int, locale: str = "en") -> str:
    """``60 years 1 month``, ``60岁1个月`` — an age in whole years and months."""
    locale = locale_of(locale)
    shown = CORE.npgettext("age", "{n} year", "{n} years", years, locale).format(n=years)
    if months:
        part = CORE.npgettext("age", "{n} month", "{n} months", months, locale).format(n=months)
        shown = CORE.pgettext("age", "{years} {months}", locale).format(years=shown, months=part)
    return shown


_AGE = re.compile(r"(\d+)y(\d+)m")
"""How :class:`~flexsecure.values.periods.Age` writes itself in explanation values."""


def format_value(name: str, value: ExplanationValue, locale: str) -> str:
    """One value of an explanation, formatted for ``locale``: rates below 1 as percent,
    counts named ``…months`` with their plural form, ages (``60y1m``) in words."""
    if isinstance(value, bool):
        return term("yes" if value else "no", locale)
    if isinstance(value, int) and name.endswith("months"):
        return format_months(value, locale)
    if isinstance(value, str) and (age := _AGE.fullmatch(value)):
        return format_age(int(age.group(1)), int(age.group(2)), locale)
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
