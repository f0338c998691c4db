"""Accounts: the ledger of a worker's scheme accounts.

:mod:`~flexsecure.calculations.accounts.ledger` — :class:`Ledger` and :class:`LedgerEntry`:
append-only entries (contributions, interest, transfers, adjustments) and the balances derived
from them. How interest is credited is a jurisdiction's rule (China's:
:mod:`flexsecure.jurisdictions.cn.interest`).

JSON records of a ledger live with the other records, in :mod:`flexsecure.records.ledgers`.
"""

from __future__ import annotations

from flexsecure.calculations.accounts.ledger import (
    REGULAR_ACCOUNT,
    ContributionMonth,
    EntryKind,
    Ledger,
    LedgerEntry,
    contribution_entries,
    contribution_entry_id,
)

__all__ = [
    "REGULAR_ACCOUNT",
    "ContributionMonth",
    "EntryKind",
    "Ledger",
    "LedgerEntry",
    "contribution_entries",
    "contribution_entry_id",
]
