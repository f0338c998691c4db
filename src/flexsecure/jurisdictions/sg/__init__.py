"""Singapore: CPF contributions of platform workers under the Platform Workers Act 2024.

The package holds everything Singapore-specific: the rule pack (``pack/``: the modes of
transport and their fixed expense deductions, the earnings tiers, the rates by year and age
band, the MediSave rates and the allocation to accounts, each value dated and cited), the rule
functions —

* :mod:`~flexsecure.jurisdictions.sg.earnings` — net earnings after the FEDA, per operator;
* :mod:`~flexsecure.jurisdictions.sg.cpf` — groups, age bands, tiers, shares, CPF rounding and
  allocation, as pure functions of the pack's figures;
* :mod:`~flexsecure.jurisdictions.sg.basis` — the ``cpf_platform_earnings`` basis that turns a
  worker's month into each operator's lines, and :mod:`~flexsecure.jurisdictions.sg.derivation`
  that explains them;

— its texts (:mod:`~flexsecure.jurisdictions.sg.texts`) and its registration below: the basis
and the rounding method ``cpf_total_nearest_worker_down`` go to the engine's registries, the
pack folder and texts to the jurisdiction registry. Singapore offers no calculations beyond
contributions, so asking it for a transfer quote raises
:class:`~flexsecure.values.errors.NotInJurisdiction`.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources

from flexsecure.calculations.bases import register_basis
from flexsecure.calculations.rounding import register_rounding
from flexsecure.jurisdictions import JurisdictionRules, register_jurisdiction
from flexsecure.jurisdictions.sg.basis import BASIS, cpf_platform_earnings
from flexsecure.jurisdictions.sg.cpf import round_total_nearest_worker_down
from flexsecure.jurisdictions.sg.texts import MESSAGES, TERMS
from flexsecure.rules.schemes import RoundingRule
from flexsecure.values.money import Money

__all__ = ["CPF_ROUNDING", "RULES", "cpf_rounding"]

CPF_ROUNDING = "cpf_total_nearest_worker_down"
"""The rounding method the SG pack's ``[scheme.rounding] method`` names."""


def cpf_rounding(amounts: Mapping[str, Money], rule: RoundingRule) -> dict[str, Money]:
    """CPF's employee rounding as a registered method: the total by the rule's mode to its
    unit (half up to the dollar in the pack), the worker's share down, the operator the rest."""
    return round_total_nearest_worker_down(amounts, rule.unit, rule.mode)


register_basis(BASIS, cpf_platform_earnings)
register_rounding(CPF_ROUNDING, cpf_rounding)

RULES = JurisdictionRules(
    code="SG",
    pack=resources.files(__name__).joinpath("pack"),
    calculations={},
    messages=MESSAGES,
    terms=TERMS,
)
"""Singapore's registration: its pack folder and texts; contributions need no entry."""

register_jurisdiction(RULES)
