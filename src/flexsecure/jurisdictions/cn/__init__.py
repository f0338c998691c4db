"""China: flexible employees' pension and medical insurance, platform workers' injury protection.

The package holds everything China-specific: the rule pack (``pack/``: regions, base bands,
rates, premiums, retirement ages, divisors, crediting rates, transfer rules, each value dated and
cited), the rule functions that are China's law rather than general mechanisms —

* :mod:`~flexsecure.jurisdictions.cn.retirement` — the 2024 gradual retirement-age reform;
* :mod:`~flexsecure.jurisdictions.cn.pensions` and :mod:`~flexsecure.jurisdictions.cn.projections`
  — the basic and account pension (国发〔2005〕38号) and their projection;
* :mod:`~flexsecure.jurisdictions.cn.interest` — crediting the individual account
  (劳办发〔1997〕116号);
* :mod:`~flexsecure.jurisdictions.cn.transfers` — moving between regions (国办发〔2009〕66号) and
  the resident-scheme link (人社部发〔2014〕17号);
* :mod:`~flexsecure.jurisdictions.cn.facts` and :mod:`~flexsecure.jurisdictions.cn.identity` —
  the hukou region, retirement category and resident identity number;

— its texts (:mod:`~flexsecure.jurisdictions.cn.texts`) and its registration below. The
contributions themselves need no code here: the pack's schemes use the engine's general
``base`` and ``orders`` bases.
"""

from __future__ import annotations

from importlib import resources

from flexsecure.jurisdictions import JurisdictionRules, register_jurisdiction
from flexsecure.jurisdictions.cn.crediting import credit_interest
from flexsecure.jurisdictions.cn.facts import register_facts
from flexsecure.jurisdictions.cn.projections import project_pension
from flexsecure.jurisdictions.cn.retirement import minimum_contribution_months, retirement_date
from flexsecure.jurisdictions.cn.texts import MESSAGES, TERMS
from flexsecure.jurisdictions.cn.transfers import (
    benefit_region,
    quote_scheme_link,
    quote_temporary_collection,
    quote_transfer,
)
from flexsecure.jurisdictions.cn.transfers.temporary import posting_accounts

__all__ = ["RULES"]

register_facts()

RULES = JurisdictionRules(
    code="CN",
    pack=resources.files(__name__).joinpath("pack"),
    calculations={
        "retirement_date": retirement_date,
        "minimum_contribution_months": minimum_contribution_months,
        "credit_interest": credit_interest,
        "project_pension": project_pension,
        "quote_transfer": quote_transfer,
        "quote_temporary_collection": quote_temporary_collection,
        "benefit_region": benefit_region,
        "quote_scheme_link": quote_scheme_link,
        "posting_accounts": posting_accounts,
    },
    messages=MESSAGES,
    terms=TERMS,
)
"""China's registration: its pack folder, the calculations it offers, its texts."""

register_jurisdiction(RULES)
