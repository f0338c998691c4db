"""Verify a statement record against the rules of its jurisdiction before it is trusted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flexsecure.calculations.statements import ContributionStatement
from flexsecure.jurisdiction import Jurisdiction
from flexsecure.records.jurisdictions import record_jurisdiction
from flexsecure.records.months import statement_from_record

__all__ = ["verify_statement"]


def verify_statement(
    record: Mapping[str, Any] | ContributionStatement,
    *,
    jurisdiction: Jurisdiction | None = None,
) -> ContributionStatement:
    """A ``flexsecure.statement/1`` record (or a statement read from one) checked line by line
    against the rules (:meth:`Jurisdiction.verify_statement
    <flexsecure.Jurisdiction.verify_statement>`), ready for :meth:`Ledger.post
    <flexsecure.Ledger.post>`.

    ``jurisdiction`` defaults to the bundled one the record names with the reforms it names;
    a given jurisdiction must be the one the record names.
    """
    statement = (
        record if isinstance(record, ContributionStatement) else statement_from_record(record)
    )
    rules = record_jurisdiction(
        statement.jurisdiction,
        "$.jurisdiction",
        reforms=() if jurisdiction is not None else statement.reforms,
        pack=jurisdiction,
    )
    return rules.verify_statement(statement)
