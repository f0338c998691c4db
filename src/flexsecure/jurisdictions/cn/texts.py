"""China's texts: the words of its explanations and terms, in English and Simplified Chinese.

Registered with the jurisdiction (:mod:`flexsecure.jurisdictions.cn`); the i18n layer looks
a message key up here after its own. Values in braces are filled in from the explanation node.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MESSAGES", "TERMS"]

MESSAGES: Mapping[str, Mapping[str, str]] = {
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
    "transfer.quote": {
        "en": "{kind} of {worker}'s {scheme} relation from {from_region} to {to_region} on "
        "{on}: individual account {individual_account}, pooled fund {pooled}, {months} months; "
        "the relation is then in {relation_region}",
        "zh_CN": "{worker} 的{scheme}关系自 {from_region} 转往 {to_region}（{on}，{kind}）："
        "个人账户 {individual_account}，统筹基金 {pooled}，{months} 个月；转移后关系在 "
        "{relation_region}",
    },
    "transfer.temporary_rule": {
        "en": "temporary account required: {required} (to {to_region}, hukou {hukou_region}; "
        "{sex}, age {age}, from age {min_age})",
        "zh_CN": "是否建立临时缴费账户：{required}（转入 {to_region}，户籍 {hukou_region}；"
        "{sex}，{age}，临界年龄 {min_age}）",
    },
    "transfer.move": {
        "en": "from {from_region} ({from_account}) to {to_region} ({to_account})",
        "zh_CN": "自 {from_region}（{from_account}）转入 {to_region}（{to_account}）",
    },
    "transfer.individual_account": {
        "en": "individual account {amount} = balance {principal} + interest {interest}",
        "zh_CN": "个人账户 {amount} = 余额 {principal} + 利息 {interest}",
    },
    "transfer.interest": {
        "en": "{year} ({months} months): interest {amount} on {opening} and the year's "
        "{current} at {rate} (rate of {rate_year}; assumed: {assumed})",
        "zh_CN": "{year} 年（{months} 个月）：利息 {amount}，上年末余额 {opening}，当年记账额 "
        "{current}，记账利率 {rate}（{rate_year} 年利率；假设：{assumed}）",
    },
    "transfer.pooled.share": {
        "en": "pooled fund {amount} = {rate} × bases {bases} ({months} months) = {share}, "
        "plus {forwarded} passed on",
        "zh_CN": "统筹基金 {amount} = {rate} × 缴费基数合计 {bases}（{months} 个月）= {share}，"
        "另转出此前转入的 {forwarded}",
    },
    "transfer.pooled.whole": {
        "en": "pooled fund {amount}: everything recorded moves",
        "zh_CN": "统筹基金 {amount}：全部转移",
    },
    "transfer.pooled.none": {
        "en": "pooled fund: nothing moves",
        "zh_CN": "统筹基金：不转移",
    },
    "transfer.months": {
        "en": "{months} months move ({held} held, {cleared} duplicate months cleared)",
        "zh_CN": "转移 {months} 个月（共 {held} 个月，清理重复缴费 {cleared} 个月）",
    },
    "transfer.duplicate": {
        "en": "{month} paid in {region} and in {other_region}: kept in {kept_region}, cleared "
        "in {cleared_region}",
        "zh_CN": "{month} 在 {region} 与 {other_region} 重复缴费：保留 {kept_region}，清理 "
        "{cleared_region}",
    },
    "transfer.places": {
        "en": "months paid at each place so far (hukou {hukou_region})",
        "zh_CN": "各参保地累计缴费月数（户籍 {hukou_region}）",
    },
    "transfer.place": {"en": "{region}: {months} months", "zh_CN": "{region}：{months} 个月"},
    "benefit.region": {
        "en": "pension paid by {region} on {on} (rule {rule} of Art. 6): relation in "
        "{relation_region}, hukou {hukou_region}, minimum {min_years} years",
        "zh_CN": "{on} 由 {region} 办理待遇领取（第六条第 {rule} 项）：关系在 {relation_region}，"
        "户籍 {hukou_region}，满 {min_years} 年",
    },
    "benefit.place": {
        "en": "{region}: {months} months ({years}), qualifies: {qualifies}",
        "zh_CN": "{region}：{months} 个月（{years}），满足年限：{qualifies}",
    },
    "link.quote": {
        "en": "scheme link on {on} ({direction}): {employee_months} employee months "
        "(minimum {min_employee_months}); {moved} changes scheme; employee months after "
        "{employee_months_after}, resident account after {resident_balance_after}, "
        "{resident_months_after} resident months",
        "zh_CN": "{on} 城乡养老保险制度衔接（{direction}）：职工缴费 {employee_months} 个月"
        "（最低 {min_employee_months}）；转移 {moved}；衔接后职工 {employee_months_after} 个月，"
        "居民账户 {resident_balance_after}，居民缴费 {resident_months_after} 个月",
    },
    "link.condition": {
        "en": "at the legal retirement date {legal_retirement_date}: {employee_months} "
        "employee months, minimum {min_employee_months}",
        "zh_CN": "法定退休日期 {legal_retirement_date}：职工缴费 {employee_months} 个月，"
        "最低 {min_employee_months} 个月",
    },
    "link.merge": {
        "en": "the resident account {amount} merges into {region}; {resident_months} resident "
        "months",
        "zh_CN": "居民账户 {amount} 并入 {region} 职工个人账户；居民缴费 {resident_months} 个月",
    },
    "link.move": {
        "en": "employee account in {region} ({account}) moves to the resident scheme",
        "zh_CN": "{region}（{account}）职工个人账户转入城乡居民养老保险",
    },
    "link.resident": {
        "en": "resident account {balance}, {months} months: account pension {pension} a month",
        "zh_CN": "居民个人账户 {balance}，{months} 个月：个人账户养老金每月 {pension}",
    },
    "pension.divisor": {
        "en": "divisor at age {age}: {months} months",
        "zh_CN": "{age} 退休的计发月数：{months}",
    },
}

TERMS: Mapping[str, Mapping[str, str]] = {
    "pension": {"en": "pension", "zh_CN": "养老保险"},
    "medical": {"en": "medical", "zh_CN": "医疗保险"},
    "occupational_injury": {"en": "occupational injury", "zh_CN": "职业伤害保障"},
    "individual_account": {"en": "individual account", "zh_CN": "个人账户"},
    "pooled": {"en": "pooled fund", "zh_CN": "统筹基金"},
}
