"""Temporary contribution accounts (临时基本养老保险缴费账户, 国办发〔2009〕66号 Art. 5 (2)):
whether a move opens one. Sealing and collecting one is :mod:`.collection`."""

from __future__ import annotations

import datetime as dt

import attrs

from flexsecure.calculations.accounts.ledger import Ledger
from flexsecure.calculations.statements import ContributionStatement
from flexsecure.facts.workers import Sex, Worker
from flexsecure.jurisdictions.cn.facts import hukou_region_of, sex_of
from flexsecure.jurisdictions.cn.transfers.moves import (
    TEMPORARY_ACCOUNT,
    Used,
    leaves,
    use,
)
from flexsecure.jurisdictions.cn.transfers.planning import resolve_worker
from flexsecure.jurisdictions.cn.transfers.view import temporary_accounts
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput
from flexsecure.values.explanation import Explanation
from flexsecure.values.periods import Age, age_on

__all__ = [
    "AT_FIRST_ENROLMENT",
    "TEMPORARY_AGE",
    "TemporaryAccountRule",
    "posting_accounts",
    "temporary_rule",
]

TEMPORARY_AGE = "transfer.temporary_account_age_months.{sex}"
AT_FIRST_ENROLMENT = "transfer.temporary_account_at_first_enrolment"


@attrs.frozen
class TemporaryAccountRule:
    """The decision of 66号 Art. 5 (2) for one transfer: must the receiving region keep a
    temporary account?"""

    required: bool
    to_region: str
    hukou_region: str
    sex: Sex
    age: Age
    """The worker's age on the transfer date."""
    min_age: Age
    """From this age on (for the worker's sex) a move to a non-hukou region is temporary."""

    def explain(self, parameters: tuple[ParameterValue, ...]) -> Explanation:
        return Explanation(
            "transfer.temporary_rule",
            {
                "required": "yes" if self.required else "no",
                "to_region": self.to_region,
                "hukou_region": self.hukou_region,
                "sex": self.sex.value,
                "age": str(self.age),
                "min_age": str(self.min_age),
            },
            formula=(
                "temporary account if the receiving region is not the hukou region and "
                "age ≥ the minimum age for the worker's sex"
            ),
            children=leaves(parameters, (TEMPORARY_AGE.replace("{sex}", self.sex.value),)),
        )


def temporary_rule(
    pack: RulePack, worker: Worker, to_region: str, on: dt.date, used: Used
) -> TemporaryAccountRule:
    """66号 Art. 5 (2): is ``to_region`` to keep ``worker``'s contributions in a temporary
    account? Yes when it is not the hukou region and the worker is at least the pack's age for
    their sex on ``on``."""
    if on < worker.birth_date:
        raise InvalidInput(f"on ({on}) is before worker {worker.id}'s birth date")
    rule = "the temporary-account rule (66号 Art. 5)"
    sex, hukou = sex_of(worker, rule), hukou_region_of(worker, rule)
    value = use(used, pack.value(TEMPORARY_AGE.replace("{sex}", sex.value), None, on))
    age = age_on(worker.birth_date, on)
    minimum = Age.from_months(value.integer())
    required = to_region != hukou and age.total_months >= minimum.total_months
    return TemporaryAccountRule(
        required=required,
        to_region=to_region,
        hukou_region=hukou,
        sex=sex,
        age=age,
        min_age=minimum,
    )


def posting_accounts(
    pack: RulePack,
    ledger: Ledger,
    statement: ContributionStatement,
    *,
    worker: Worker | None = None,
) -> dict[tuple[str, str], str]:
    """The accounts ``statement``'s lines go to, as :meth:`Ledger.post <flexsecure.Ledger.post>`
    takes them (``accounts=``): the temporary accounts open on the ledger (opened by a move,
    :func:`~flexsecure.jurisdictions.cn.transfers.view.temporary_accounts`), and a temporary
    account for a scheme the worker enrols in for the first time ever in a region that is not
    their hukou region at the temporary-account age or older (50 men, 40 women; provincial
    measures applying 66号 Art. 5 (2) to a first enrolment, e.g. Gansu §11, unverified). Such
    an account is later collected to the relation's place with
    :func:`~flexsecure.jurisdictions.cn.transfers.quote_temporary_collection`.
    """
    ledger = ledger.in_currency(pack.currency)
    if not isinstance(statement, ContributionStatement):
        raise InvalidInput(f"statement must be a ContributionStatement, got {statement!r}")
    person = resolve_worker(ledger, worker, "the temporary-account rule (66号 Art. 5)")
    on = statement.month.first_day
    accounts: dict[tuple[str, str], str] = {}
    for line in statement.lines:
        if line.base is None or (line.scheme, line.region) in accounts:
            continue
        key = (line.scheme, line.region)
        open_here = temporary_accounts(ledger, line.scheme)
        if key in open_here:
            accounts[key] = open_here[key]
        elif (
            not any(entry.scheme == line.scheme for entry in ledger.entries)
            and pack.value(AT_FIRST_ENROLMENT, None, on).flag()
            and temporary_rule(pack, person, line.region, on, {}).required
        ):
            accounts[key] = TEMPORARY_ACCOUNT
    return accounts
