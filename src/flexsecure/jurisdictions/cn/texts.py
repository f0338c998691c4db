"""China's texts: the words of its explanations and terms, by message key.

Each text is written here in English, marked with :func:`~flexsecure.values.messages.N_`, and
translated in China's own catalog domain, ``flexsecure_cn``
(``jurisdictions/cn/locale/<locale>/LC_MESSAGES/flexsecure_cn.po``). Registered with the
jurisdiction (:mod:`flexsecure.jurisdictions.cn`); the i18n layer looks a message key up here
after its own. Values in braces are filled in from the explanation node.
"""

from __future__ import annotations

from collections.abc import Mapping

from flexsecure.values.messages import N_

__all__ = ["MESSAGES", "TERMS"]

MESSAGES: Mapping[str, str] = {
    "retirement.date": N_(
        "retires on {date} at {age}: legal age {legal_age} on {legal_date} (original age "
        "{original_age} + {delay_months}), early {early_months}, late {late_months}"
    ),
    "retirement.minimum_contribution": N_(
        "minimum contribution for {year}: {minimum_months}; contributed {contributed_months}"
    ),
    "pension.projection": N_(
        "monthly pension {monthly_amount} from {date} paid by {region}: basic "
        "{basic_pension} + account {account_pension}; {contributed_months} "
        "({projected_months} projected), minimum {minimum_months}, short {shortfall_months}"
    ),
    "pension.basic": N_(
        "basic pension {amount}: calculation base {calculation_base}, average index "
        "{average_index} over {indexed_months} with a known base, {contributed_months} in all"
    ),
    "pension.account": N_("account pension {amount}: balance {balance} / {divisor} months"),
    "projected_value": N_("{name} projected to {value}: {years} years of {growth} growth"),
    "transfer.quote": N_(
        "{kind} of {worker}'s {scheme} relation from {from_region} to {to_region} on {on}: "
        "individual account {individual_account}, pooled fund {pooled}, {months}; the "
        "relation is then in {relation_region}"
    ),
    "transfer.temporary_rule": N_(
        "temporary account required: {required} (to {to_region}, hukou {hukou_region}; "
        "{sex}, age {age}, from age {min_age})"
    ),
    "transfer.move": N_("from {from_region} ({from_account}) to {to_region} ({to_account})"),
    "transfer.individual_account": N_(
        "individual account {amount} = balance {principal} + interest {interest}"
    ),
    "transfer.interest": N_(
        "{year} ({months}): interest {amount} on {opening} and the year's {current} at "
        "{rate} (rate of {rate_year}; assumed: {assumed})"
    ),
    "transfer.pooled.share": N_(
        "pooled fund {amount} = {rate} × bases {bases} ({months}) = {share}, plus "
        "{forwarded} passed on"
    ),
    "transfer.pooled.whole": N_("pooled fund {amount}: everything recorded moves"),
    "transfer.pooled.none": N_("pooled fund: nothing moves"),
    "transfer.months": N_("{months} move ({held} held, duplicates cleared: {cleared})"),
    "transfer.duplicate": N_(
        "{month} paid in {region} and in {other_region}: kept in {kept_region}, cleared in "
        "{cleared_region}"
    ),
    "transfer.places": N_("months paid at each place so far (hukou {hukou_region})"),
    "transfer.place": N_("{region}: {months}"),
    "benefit.region": N_(
        "pension paid by {region} on {on} (rule {rule} of Art. 6): relation in "
        "{relation_region}, hukou {hukou_region}, minimum {min_years} years"
    ),
    "benefit.place": N_("{region}: {months} ({years}), qualifies: {qualifies}"),
    "link.quote": N_(
        "scheme link on {on} ({direction}): {employee_months} as an employee (minimum "
        "{min_employee_months}); {moved} changes scheme; afterwards {employee_months_after} "
        "as an employee, resident account {resident_balance_after}, {resident_months_after} "
        "as a resident"
    ),
    "link.condition": N_(
        "at the legal retirement date {legal_retirement_date}: {employee_months} as an "
        "employee, minimum {min_employee_months}"
    ),
    "link.merge": N_(
        "the resident account {amount} merges into {region}; {resident_months} as a resident"
    ),
    "link.move": N_("employee account in {region} ({account}) moves to the resident scheme"),
    "link.resident": N_("resident account {balance}, {months}: account pension {pension} a month"),
    "pension.divisor": N_("divisor at age {age}: {months}"),
}

TERMS: Mapping[str, str] = {
    "pension": N_("pension"),
    "medical": N_("medical"),
    "occupational_injury": N_("occupational injury"),
    "individual_account": N_("individual account"),
    "pooled": N_("pooled fund"),
}
