"""The public API is a contract: this snapshot changes only by a deliberate, changelogged act."""

from __future__ import annotations

import flexsecure as fs

PUBLIC = [
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


def test_all_is_the_snapshot() -> None:
    assert sorted(fs.__all__) == sorted(PUBLIC)
    assert len(set(fs.__all__)) == len(fs.__all__)


def test_every_public_name_exists_and_is_documented() -> None:
    for name in fs.__all__:
        value = getattr(fs, name)
        if name != "__version__":
            assert value.__doc__, f"{name} has no docstring"


def test_jurisdiction_methods_of_the_architecture_exist() -> None:
    for method in (
        "parameter",
        "monthly_contributions",
        "with_reform",
        "retirement_date",
        "minimum_contribution_months",
        "credit_interest",
        "project_pension",
        "quote_transfer",
        "quote_temporary_collection",
        "benefit_region",
        "quote_scheme_link",
    ):
        assert callable(getattr(fs.Jurisdiction, method))


def test_errors_share_one_base_and_the_builtin_they_resemble() -> None:
    assert issubclass(fs.InvalidInput, fs.FlexsecureError)
    assert issubclass(fs.InvalidInput, ValueError)
    assert issubclass(fs.RuleNotFound, LookupError)
    for error in (fs.PackError, fs.RuleNotFound, fs.LedgerConflict, fs.TransferError):
        assert issubclass(error, fs.FlexsecureError)
