"""flexsecure: portable social insurance for platform workers.

Rules of each jurisdiction live in dated, cited rule packs; calculations return exact
amounts with their explanations::

    >>> import flexsecure as fs
    >>> from datetime import date
    >>> cn = fs.load_jurisdiction("CN")
    >>> cn.parameter("pension.base_floor", region="CN-SH", on=date(2025, 9, 1)).value
    Money('7460', 'CNY')

See the README for a tour and ``docs/`` for the rules and the API.
"""

from __future__ import annotations

from flexsecure import records
from flexsecure.calculations.accounts import ContributionMonth, EntryKind, Ledger, LedgerEntry
from flexsecure.calculations.contributions import contribution_base
from flexsecure.calculations.schedules import (
    AppliedPayment,
    BackPayment,
    ContributionSchedule,
    Frequency,
    Installment,
    InstallmentAmount,
    InstallmentState,
    InstallmentStatus,
    LateCharge,
    LateChargeMethod,
    LateChargeRule,
    PartialMonth,
    Payment,
    PaymentRules,
    Reconciliation,
    Remittance,
    RemittanceItem,
    RemittanceLine,
    late_charge,
)
from flexsecure.calculations.statements import (
    ContributionLine,
    ContributionStatement,
    StatementNote,
)
from flexsecure.facts.engagements import BaseChoice, BaseKind, Engagement, Enrolment, Platform
from flexsecure.facts.vocabulary import Fund, Industry, Payer, Scheme
from flexsecure.facts.workers import Sex, Worker
from flexsecure.jurisdiction import Jurisdiction, check_pack, load_jurisdiction
from flexsecure.jurisdictions.cn.facts import RetirementCategory
from flexsecure.jurisdictions.cn.identity import ResidentId
from flexsecure.jurisdictions.cn.projections import Assumptions, PensionProjection
from flexsecure.jurisdictions.cn.retirement import RetirementDate
from flexsecure.jurisdictions.cn.transfers import (
    AccountMove,
    BenefitRegion,
    DuplicateMonth,
    InterestCredit,
    LinkDirection,
    SchemeLinkQuote,
    TemporaryAccountRule,
    TransferKind,
    TransferQuote,
)
from flexsecure.records.remittances import (
    remittance_from_record,
    remittance_to_record,
    verify_remittance,
)
from flexsecure.rules.packs import ListedPlatform, Region
from flexsecure.rules.parameters import Parameter, ParameterValue, Unit
from flexsecure.rules.reforms import Reform, ReformStatus, SetValue
from flexsecure.rules.schemes import Enrolling, OrderContribution, Share
from flexsecure.values.citations import Citation, Evidence
from flexsecure.values.errors import (
    CurrencyMismatch,
    FlexsecureError,
    InvalidInput,
    LedgerConflict,
    NotInJurisdiction,
    PackError,
    RecordMismatch,
    RuleNotFound,
    TransferError,
)
from flexsecure.values.explanation import Explanation
from flexsecure.values.money import Money, Rounding
from flexsecure.values.periods import Age, Month

__version__ = "0.1.0.dev0"

__all__ = [
    "AccountMove",
    "Age",
    "AppliedPayment",
    "Assumptions",
    "BackPayment",
    "BaseChoice",
    "BaseKind",
    "BenefitRegion",
    "Citation",
    "ContributionLine",
    "ContributionMonth",
    "ContributionSchedule",
    "ContributionStatement",
    "CurrencyMismatch",
    "DuplicateMonth",
    "Engagement",
    "Enrolling",
    "Enrolment",
    "EntryKind",
    "Evidence",
    "Explanation",
    "FlexsecureError",
    "Frequency",
    "Fund",
    "Industry",
    "Installment",
    "InstallmentAmount",
    "InstallmentState",
    "InstallmentStatus",
    "InterestCredit",
    "InvalidInput",
    "Jurisdiction",
    "LateCharge",
    "LateChargeMethod",
    "LateChargeRule",
    "Ledger",
    "LedgerConflict",
    "LedgerEntry",
    "LinkDirection",
    "ListedPlatform",
    "Money",
    "Month",
    "NotInJurisdiction",
    "OrderContribution",
    "PackError",
    "Parameter",
    "ParameterValue",
    "PartialMonth",
    "Payer",
    "Payment",
    "PaymentRules",
    "PensionProjection",
    "Platform",
    "Reconciliation",
    "RecordMismatch",
    "Reform",
    "ReformStatus",
    "Region",
    "Remittance",
    "RemittanceItem",
    "RemittanceLine",
    "ResidentId",
    "RetirementCategory",
    "RetirementDate",
    "Rounding",
    "RuleNotFound",
    "Scheme",
    "SchemeLinkQuote",
    "SetValue",
    "Sex",
    "Share",
    "StatementNote",
    "TemporaryAccountRule",
    "TransferError",
    "TransferKind",
    "TransferQuote",
    "Unit",
    "Worker",
    "__version__",
    "check_pack",
    "contribution_base",
    "late_charge",
    "load_jurisdiction",
    "records",
    "remittance_from_record",
    "remittance_to_record",
    "verify_remittance",
]
