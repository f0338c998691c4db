"""Accounts: the ledger of a worker's scheme accounts and the interest credited to it.

* :mod:`~flexsecure.calculations.accounts.ledger` — :class:`Ledger` and :class:`LedgerEntry`:
  append-only entries (contributions, interest, transfers, adjustments), balances derived
  from them (《社会保险法》 Arts. 11–14, 19).
* :mod:`~flexsecure.calculations.accounts.interest` — :func:`credit_interest`: the yearly
  crediting rate (记账利率) applied to the individual account (Art. 14; 劳办发〔1997〕116号
  for the method within the year).

JSON records of a ledger live with the other records, in :mod:`flexsecure.records.ledgers`.
"""

from __future__ import annotations

from flexsecure.calculations.accounts.interest import (
    annual_interest,
    credit_interest,
    crediting_rate,
    interest_entry_id,
)
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
    "annual_interest",
    "contribution_entries",
    "contribution_entry_id",
    "credit_interest",
    "crediting_rate",
    "interest_entry_id",
]
