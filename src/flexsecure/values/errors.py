"""The error hierarchy of flexsecure.

Every error the library raises on purpose derives from :class:`FlexsecureError`, so a caller
can catch everything of ours in one place, and each subclass also derives from the builtin
exception a Python programmer would expect (``ValueError`` for bad input, ``LookupError`` for a
missing rule), so generic code keeps working. Messages name the field, the value received and
what was expected.
"""

from __future__ import annotations

__all__ = [
    "CurrencyMismatch",
    "FlexsecureError",
    "InvalidInput",
    "LedgerConflict",
    "NotInJurisdiction",
    "PackError",
    "RecordMismatch",
    "RuleNotFound",
    "TransferError",
]


class FlexsecureError(Exception):
    """Base class of every error raised by flexsecure."""


class InvalidInput(FlexsecureError, ValueError):
    """A value passed in by the caller is malformed or out of range."""


class CurrencyMismatch(InvalidInput):
    """Two amounts in different currencies were combined or compared."""


class RecordMismatch(InvalidInput):
    """A record disagrees with what the library computes from the same facts; ``path`` is the
    JSON path of the first value that differs (e.g. ``$.items[0].lines[3].amount``)."""

    def __init__(self, path: str, expected: object, found: object) -> None:
        self.path = path
        self.expected = expected
        self.found = found
        super().__init__(f"{path}: expected {expected!r}, found {found!r}")


class PackError(FlexsecureError, ValueError):
    """A rule pack failed validation; the message names the file, the key and the problem."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file = file
        self.key = key
        self.problem = problem
        super().__init__(f"{file}: {key}: {problem}")


class RuleNotFound(FlexsecureError, LookupError):
    """No rule or parameter value applies (e.g. no value for that date or region)."""


class NotInJurisdiction(RuleNotFound):
    """The jurisdiction has no such rule (e.g. Singapore has no transfers between regions)."""

    def __init__(self, jurisdiction: str, rule: str, offered: tuple[str, ...]) -> None:
        self.jurisdiction = jurisdiction
        self.rule = rule
        self.offered = offered
        super().__init__(
            f"the {jurisdiction} jurisdiction has no rule {rule!r}; it offers: "
            f"{', '.join(offered) or 'monthly contributions only'}"
        )


class LedgerConflict(FlexsecureError):
    """An entry id is already in the ledger with different content."""


class TransferError(FlexsecureError):
    """A transfer between regions cannot be quoted or executed as asked."""
