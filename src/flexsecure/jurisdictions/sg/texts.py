"""Words for Singapore's explanations and terms, written in English and translated in
Singapore's own catalog domain, ``flexsecure_sg`` (``jurisdictions/sg/locale``).

Message keys are those :mod:`.derivation` builds (``cpf.*``); terms name the SG pack's scheme,
funds and modes of transport. Registered with the text registry when the package loads.
"""

from __future__ import annotations

from collections.abc import Mapping

from flexsecure.values.messages import N_

__all__ = ["MESSAGES", "TERMS"]

MESSAGES: Mapping[str, str] = {
    "cpf.line": N_(
        "CPF {payer} share, operator {platform}: {amount} on net earnings {base} (group "
        "{group}, {tier})"
    ),
    "cpf.net_earnings": N_("net earnings from {platform}: {net_earnings} = Σ gross × (1 − FEDA)"),
    "cpf.job": N_("{industry} {gross} by {modes}: FEDA {rate} → {net}"),
    "cpf.group.a": N_("group A: born {birth_date}, opted in: {opted_in} — full contributions"),
    "cpf.group.b": N_(
        "group B: born {birth_date}, not opted in — MediSave only, from the worker's share"
    ),
    "cpf.band": N_("age band: above {band} (the worker counts as {age} this month)"),
    "cpf.tier": N_("tier: {tier} (net earnings {net_earnings})"),
    "cpf.rate": N_("{name}[above {band}] = {rate} (from {effective_from})"),
    "cpf.rounding": N_(
        "{method}: exact worker {exact_worker}, operator {exact_platform} → total {total}, "
        "worker {worker}, operator {platform}"
    ),
    "cpf.allocation": N_(
        "operator's total {total} credited: MediSave {medisave}, {special_fund} {special}, "
        "Ordinary {ordinary}"
    ),
}

TERMS: Mapping[str, str] = {
    "cpf": N_("CPF"),
    "ordinary": N_("Ordinary Account"),
    "special": N_("Special Account"),
    "retirement": N_("Retirement Account"),
    "medisave": N_("MediSave Account"),
    "none": N_("nothing due (net earnings up to the threshold)"),
    "operator_only": N_("operator's share only"),
    "phase_in": N_("worker's share phasing in"),
    "full": N_("full rates"),
    "car": N_("car"),
    "van": N_("van"),
    "lorry": N_("lorry"),
    "truck": N_("truck"),
    "motorcycle": N_("motorcycle"),
    "power_assisted_bicycle": N_("power-assisted bicycle"),
    "motorised_pmd": N_("motorised PMD"),
    "bicycle": N_("bicycle"),
    "walking": N_("walking"),
    "public_transport": N_("public transport"),
    "cpf_total_nearest_worker_down": N_(
        "CPF rounding (total to the nearest dollar, worker's cents dropped)"
    ),
}
