"""What China's rules need to know about a worker: hukou region, retirement category, resident ID.

* ``hukou_region`` — the region of household registration (户籍所在地). It decides where a
  pension is paid when a worker has moved (国办发〔2009〕66号 Art. 6) and whether a move at
  50+ / 40+ opens a temporary account (Art. 7).
* ``retirement_category`` — the original statutory retirement age group: 60 for men, 55 for
  women in cadre or managerial posts, 50 for women workers (国发〔1978〕104号); the 2024
  reform delays each by its own schedule. It must fit the worker's sex.
* ``resident_id`` — the resident identity number (GB 11643-1999), personal data: shown masked,
  checked against the birth date, never kept by a ledger.

They are registered as worker facts, so ``fs.Worker(..., hukou_region="CN-SC",
retirement_category=fs.RetirementCategory.MALE)`` works; the rules that use a fact ask for it
with the functions below, which raise :class:`~flexsecure.values.errors.InvalidInput` naming
the rule when it is missing.
"""

from __future__ import annotations

from enum import StrEnum

from flexsecure.facts.workers import Sex, Worker, WorkerFact, register_worker_fact
from flexsecure.jurisdictions.cn.identity import ResidentId
from flexsecure.values.checks import is_region_code, to_enum
from flexsecure.values.errors import InvalidInput

__all__ = [
    "RetirementCategory",
    "hukou_region_of",
    "register_facts",
    "retirement_category_of",
    "sex_of",
]


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


def _to_region(value: object) -> str:
    if not is_region_code(value) or not isinstance(value, str) or not value.startswith("CN-"):
        raise InvalidInput(
            f"Worker.hukou_region must be an ISO 3166-2 code of a Chinese region such as "
            f"'CN-SC', got {value!r}"
        )
    return value


def _to_category(value: object) -> RetirementCategory:
    return to_enum(RetirementCategory, value, "Worker.retirement_category")


def _check_category(worker: Worker, category: RetirementCategory) -> None:
    if worker.sex is not None and category.sex is not worker.sex:
        raise InvalidInput(
            f"Worker {worker.id}: retirement_category {category.value!r} does not fit sex "
            f"{worker.sex.value!r}"
        )


def _to_resident_id(value: object) -> ResidentId:
    if isinstance(value, ResidentId):
        return value
    if not isinstance(value, str):
        raise InvalidInput(
            f"Worker.resident_id must be a ResidentId or a string, got {type(value).__name__}"
        )
    return ResidentId(value)


def _check_resident_id(worker: Worker, resident_id: ResidentId) -> None:
    if resident_id.birth_date != worker.birth_date:
        raise InvalidInput(
            f"Worker {worker.id}: resident_id {resident_id.masked} does not encode the worker's "
            "birth date"
        )


def register_facts() -> None:
    """Register China's worker facts (done when :mod:`flexsecure.jurisdictions.cn` loads)."""
    register_worker_fact(
        WorkerFact(
            "hukou_region",
            _to_region,
            description="Region of household registration (户籍): it matters for where a "
            "pension is paid",
        )
    )
    register_worker_fact(
        WorkerFact(
            "retirement_category",
            _to_category,
            to_json=lambda category: category.value,
            check=_check_category,
            description="Original statutory retirement age group (60 / 55 / 50)",
        )
    )
    register_worker_fact(
        WorkerFact(
            "resident_id",
            _to_resident_id,
            to_json=lambda resident_id: resident_id.reveal(),
            check=_check_resident_id,
            personal=True,
            description="Resident identity number (GB 11643-1999); shown masked",
        )
    )


def _needed(worker: Worker, name: str, rule: str, example: str) -> object:
    value = worker.fact(name)
    if value is None:
        raise InvalidInput(
            f"{rule} needs Worker.{name} for worker {worker.id!r}; give it as "
            f"fs.Worker(..., {name}={example})"
        )
    return value


def hukou_region_of(worker: Worker, rule: str) -> str:
    """The worker's hukou region, required by ``rule`` (named in the error if missing)."""
    value = _needed(worker, "hukou_region", rule, "'CN-SC'")
    assert isinstance(value, str)
    return value


def retirement_category_of(worker: Worker, rule: str) -> RetirementCategory:
    """The worker's retirement category, required by ``rule``."""
    value = _needed(worker, "retirement_category", rule, "fs.RetirementCategory.MALE")
    assert isinstance(value, RetirementCategory)
    return value


def sex_of(worker: Worker, rule: str) -> Sex:
    """The worker's sex, or the one their retirement category implies, required by ``rule``."""
    if worker.sex is not None:
        return worker.sex
    category = worker.fact("retirement_category")
    if isinstance(category, RetirementCategory):
        return category.sex
    raise InvalidInput(
        f"{rule} needs Worker.sex for worker {worker.id!r}; give it as fs.Worker(..., "
        "sex=fs.Sex.MALE)"
    )
