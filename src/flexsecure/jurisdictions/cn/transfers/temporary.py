"""Temporary contribution accounts (临时基本养老保险缴费账户, 国办发〔2009〕66号 Art. 5 (2)):
whether a move opens one. Sealing and collecting one is :mod:`.collection`."""

from __future__ import annotations

import datetime as dt

import attrs

from flexsecure.facts.workers import Sex, Worker
from flexsecure.jurisdictions.cn.facts import hukou_region_of, sex_of
from flexsecure.jurisdictions.cn.transfers.moves import (
    Used,
    leaves,
    use,
)
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput
from flexsecure.values.explanation import Explanation
from flexsecure.values.periods import Age, age_on

__all__ = ["TEMPORARY_AGE", "TemporaryAccountRule", "temporary_rule"]

TEMPORARY_AGE = "transfer.temporary_account_age_months.{sex}"


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
