"""The person: birth date, sex, hukou region and retirement category.

Chinese pension law sets the original retirement age by category, not by sex alone: 60 for
men, 55 for women in cadre / managerial posts and 50 for women workers (the 2024 reform
delays each by its own schedule). The category therefore has to be stated, and it has to be
consistent with the stated sex.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import attrs

from flexsecure.facts._checks import check_date, check_key, check_region_code, to_enum
from flexsecure.values.errors import InvalidInput
from flexsecure.values.identity import ResidentId

__all__ = ["RetirementCategory", "Sex", "Worker"]


class Sex(StrEnum):
    """Sex as recorded for social insurance (it selects the retirement category)."""

    MALE = "male"
    FEMALE = "female"


class RetirementCategory(StrEnum):
    """The original statutory retirement age group (before the 2024 reform)."""

    MALE = "male"
    """Men: original age 60."""
    FEMALE_55 = "female_55"
    """Women in cadre or managerial posts: original age 55."""
    FEMALE_50 = "female_50"
    """Women workers: original age 50."""

    @property
    def sex(self) -> Sex:
        return Sex.MALE if self is RetirementCategory.MALE else Sex.FEMALE


def _to_resident_id(value: ResidentId | str | None) -> ResidentId | None:
    if value is None or isinstance(value, ResidentId):
        return value
    return ResidentId(value)


def _to_sex(value: object) -> Sex:
    return to_enum(Sex, value, "Worker.sex")


def _to_category(value: object) -> RetirementCategory:
    return to_enum(RetirementCategory, value, "Worker.retirement_category")


@attrs.frozen
class Worker:
    """A person who works through platforms."""

    id: str = attrs.field(validator=check_key)
    birth_date: dt.date = attrs.field(validator=check_date)
    sex: Sex = attrs.field(converter=_to_sex)
    hukou_region: str = attrs.field(validator=check_region_code)
    """Region of household registration (户籍): it matters for where a pension is paid."""
    retirement_category: RetirementCategory = attrs.field(converter=_to_category)
    resident_id: ResidentId | None = attrs.field(
        default=None, converter=_to_resident_id, kw_only=True
    )
    """Optional resident identity number; shown masked, checked against ``birth_date``."""

    def __attrs_post_init__(self) -> None:
        if self.retirement_category.sex is not self.sex:
            raise InvalidInput(
                f"Worker {self.id}: retirement_category {self.retirement_category.value!r} "
                f"does not fit sex {self.sex.value!r}"
            )
        if self.resident_id is not None and self.resident_id.birth_date != self.birth_date:
            raise InvalidInput(
                f"Worker {self.id}: resident_id {self.resident_id.masked} encodes birth date "
                f"{self.resident_id.birth_date}, but birth_date is {self.birth_date}"
            )
