"""Contribution schedules, payments and reconciliation, and platforms' remittances.

The engine side of "what is due, by when, what was paid, what is late": country-free
mechanisms whose frequencies, due dates and late-charge methods come from each pack's
``schedule.toml`` (see :mod:`flexsecure.calculations.schedules.rules`).
"""

from __future__ import annotations

from flexsecure.calculations.schedules.dates import due_date, periods
from flexsecure.calculations.schedules.installments import (
    ContributionSchedule,
    Installment,
    InstallmentAmount,
    contribution_schedule,
)
from flexsecure.calculations.schedules.late import LateCharge, LatePart, days_late, late_charge
from flexsecure.calculations.schedules.payments import (
    AppliedPayment,
    InstallmentState,
    InstallmentStatus,
    Payment,
    Reconciliation,
    reconcile,
)
from flexsecure.calculations.schedules.remittance import (
    Remittance,
    RemittanceItem,
    RemittanceLine,
    platform_remittance,
)
from flexsecure.calculations.schedules.rules import (
    ApplicationOrder,
    BackPayment,
    DueRule,
    Frequency,
    LateChargeMethod,
    LateChargeRule,
    PartialMonth,
    PaymentRules,
    payment_rules,
)

__all__ = [
    "ApplicationOrder",
    "AppliedPayment",
    "BackPayment",
    "ContributionSchedule",
    "DueRule",
    "Frequency",
    "Installment",
    "InstallmentAmount",
    "InstallmentState",
    "InstallmentStatus",
    "LateCharge",
    "LateChargeMethod",
    "LateChargeRule",
    "LatePart",
    "PartialMonth",
    "Payment",
    "PaymentRules",
    "Reconciliation",
    "Remittance",
    "RemittanceItem",
    "RemittanceLine",
    "contribution_schedule",
    "days_late",
    "due_date",
    "late_charge",
    "payment_rules",
    "periods",
    "platform_remittance",
    "reconcile",
]
