"""Words for Singapore's explanations and terms, in English and Simplified Chinese.

Message keys are those :mod:`.derivation` builds (``cpf.*``); terms name the SG pack's scheme,
funds and modes of transport. Registered with the text registry when the package loads.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["MESSAGES", "TERMS"]

MESSAGES: Mapping[str, Mapping[str, str]] = {
    "cpf.line": {
        "en": "CPF {payer} share, operator {platform}: {amount} on net earnings {base} "
        "(group {group}, {tier})",
        "zh_CN": "公积金（CPF）{payer}缴纳部分，平台 {platform}：{amount}，净收入 {base}"
        "（{group} 组，{tier}）",
    },
    "cpf.net_earnings": {
        "en": "net earnings from {platform}: {net_earnings} = Σ gross × (1 − FEDA)",
        "zh_CN": "来自 {platform} 的净收入：{net_earnings} = Σ 总收入 ×（1 − 固定费用扣除率）",
    },
    "cpf.job": {
        "en": "{industry} {gross} by {modes}: FEDA {rate} → {net}",
        "zh_CN": "{industry} {gross}（{modes}）：固定费用扣除率 {rate} → {net}",
    },
    "cpf.group.a": {
        "en": "group A: born {birth_date}, opted in: {opted_in} — full contributions",
        "zh_CN": "A 组：出生于 {birth_date}，已选择加入：{opted_in}——全额缴纳",
    },
    "cpf.group.b": {
        "en": "group B: born {birth_date}, not opted in — MediSave only, from the worker's share",
        "zh_CN": "B 组：出生于 {birth_date}，未选择加入——仅由个人缴纳保健储蓄",
    },
    "cpf.band": {
        "en": "age band: above {band} (the worker counts as {age} this month)",
        "zh_CN": "年龄段：{band} 岁以上（本月按 {age} 岁计）",
    },
    "cpf.tier": {
        "en": "tier: {tier} (net earnings {net_earnings})",
        "zh_CN": "收入档：{tier}（净收入 {net_earnings}）",
    },
    "cpf.rate": {
        "en": "{name}[above {band}] = {rate} (from {effective_from})",
        "zh_CN": "{name}[{band} 岁以上] = {rate}（自 {effective_from} 起）",
    },
    "cpf.rounding": {
        "en": "{method}: exact worker {exact_worker}, operator {exact_platform} → total "
        "{total}, worker {worker}, operator {platform}",
        "zh_CN": "{method}：精确值 个人 {exact_worker}，平台 {exact_platform} → 合计 {total}，"
        "个人 {worker}，平台 {platform}",
    },
    "cpf.allocation": {
        "en": "operator's total {total} credited: MediSave {medisave}, {special_fund} "
        "{special}, Ordinary {ordinary}",
        "zh_CN": "该平台合计 {total} 计入：保健储蓄 {medisave}，{special_fund} {special}，"
        "普通账户 {ordinary}",
    },
}

TERMS: Mapping[str, Mapping[str, str]] = {
    "cpf": {"en": "CPF", "zh_CN": "中央公积金"},
    "ordinary": {"en": "Ordinary Account", "zh_CN": "普通账户"},
    "special": {"en": "Special Account", "zh_CN": "特别账户"},
    "retirement": {"en": "Retirement Account", "zh_CN": "退休账户"},
    "medisave": {"en": "MediSave Account", "zh_CN": "保健储蓄账户"},
    "none": {"en": "nothing due (net earnings up to the threshold)", "zh_CN": "不缴纳"},
    "operator_only": {"en": "operator's share only", "zh_CN": "仅平台缴纳"},
    "phase_in": {"en": "worker's share phasing in", "zh_CN": "个人缴费逐步增加"},
    "full": {"en": "full rates", "zh_CN": "全额费率"},
    "car": {"en": "car", "zh_CN": "汽车"},
    "van": {"en": "van", "zh_CN": "厢式货车"},
    "lorry": {"en": "lorry", "zh_CN": "货车"},
    "truck": {"en": "truck", "zh_CN": "卡车"},
    "motorcycle": {"en": "motorcycle", "zh_CN": "摩托车"},
    "power_assisted_bicycle": {"en": "power-assisted bicycle", "zh_CN": "电动助力自行车"},
    "motorised_pmd": {"en": "motorised PMD", "zh_CN": "电动个人代步工具"},
    "bicycle": {"en": "bicycle", "zh_CN": "自行车"},
    "walking": {"en": "walking", "zh_CN": "步行"},
    "public_transport": {"en": "public transport", "zh_CN": "公共交通"},
    "cpf_total_nearest_worker_down": {
        "en": "CPF rounding (total to the nearest dollar, worker's cents dropped)",
        "zh_CN": "公积金舍入（合计四舍五入到元，个人部分舍去角分）",
    },
}
