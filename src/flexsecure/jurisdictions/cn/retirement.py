"""Retirement dates under China's 2024 gradual retirement-age reform, and flexible retirement.

The NPCSC decision of 2024-09-13 and the State Council's measures attached to it
(《国务院关于渐进式延迟法定退休年龄的办法》) raise the statutory retirement age from
2025-01-01 over fifteen years: men from 60 to 63 and women in cadre posts from 55 to 58, one
month for every four months of birth; women workers from 50 to 55, one month for every two
(办法 Art. 1 and annex tables 1–3). The rule, as the pack's parameters feed it
(``retirement.toml``; fact sheet CN.md §3.1):

* ``orig_month`` = birth month + original age (60, 55 or 50 years, by retirement category);
* ``m`` = months from the reform's first month (2025-01) to ``orig_month``;
* delay = 0 when ``m < 0`` (the original age came before the reform), else
  ``min(m // step + 1, max_delay)``;
* the legal retirement date is the birth day in ``orig_month + delay`` (clipped to the
  month's end), at the legal age ``original age + delay``.

A worker may retire up to three years earlier — never below the original age, and only with
the minimum contribution months of the legal retirement year — or up to three years later
(办法 Art. 3, "弹性退休"). The minimum is 15 years until 2029 and rises by six months a year
from 2030 to 20 years (办法 Art. 2)::

    >>> import datetime as dt
    >>> from flexsecure import RetirementCategory, Sex, Worker
    >>> import flexsecure as fs
    >>> cn = fs.load_jurisdiction("CN").pack
    >>> worker = Worker(id="w-1", birth_date=dt.date(1967, 5, 12), sex=Sex.MALE,
    ...                 hukou_region="CN-SC", retirement_category=RetirementCategory.MALE)
    >>> when = retirement_date(cn, worker)
    >>> when.date, str(when.legal_age), when.delay_months
    (datetime.date(2028, 1, 12), '60y8m', 8)
    >>> minimum_contribution_months(cn, 2030)
    186

Which day a parameter is read on: the original age on the first day of the month the worker
reaches it (the age in force then); the reform switch, step and maximum delay on the first day
of ``orig_month``; the flexible-retirement limits on the legal retirement date; the minimum
contribution table on the last day of the legal retirement year.
"""

from __future__ import annotations

import datetime as dt

import attrs

from flexsecure.calculations.statements import parameter_node
from flexsecure.facts.workers import Worker
from flexsecure.jurisdictions.cn.facts import RetirementCategory, retirement_category_of
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.explanation import Explanation, ExplanationValue
from flexsecure.values.periods import Age, Month

__all__ = ["RetirementDate", "legal_delay", "minimum_contribution_months", "retirement_date"]

_ORIGINAL_AGE = "retirement.original_age_months.{category}"
_GRADUAL_DELAY = "retirement.gradual_delay"
_STEP = "retirement.delay_step_months.{category}"
_MAX_DELAY = "retirement.max_delay_months.{category}"
_EARLY_MAX = "retirement.flexible_early_max_months"
_LATE_MAX = "retirement.flexible_late_max_months"
_MINIMUM = "retirement.minimum_contribution_months"


@attrs.frozen
class RetirementDate:
    """When a worker retires: the legal date and age under the reform, and the chosen date.

    ``date`` and ``age`` are the actual retirement (the legal ones moved by ``early_months``
    or ``late_months``); ``delay_months`` is the reform's delay over ``original_age``.
    """

    date: dt.date
    age: Age
    legal_date: dt.date
    legal_age: Age
    original_age: Age
    delay_months: int
    early_months: int
    late_months: int
    category: RetirementCategory
    birth_date: dt.date
    contributed_months: int | None = None
    """Contribution months the caller stated, if any."""
    minimum_contribution_months: int | None = None
    """The minimum that was checked for early retirement; ``None`` when none was needed."""
    _parameters: tuple[ParameterValue, ...] = attrs.field(default=(), eq=False, repr=False)

    @property
    def legal_month(self) -> Month:
        """The month the worker reaches the legal retirement age."""
        return Month.of(self.legal_date)

    def explain(self) -> Explanation:
        """The legal age and date, the election, and every parameter with its citation."""
        values: dict[str, ExplanationValue] = {
            "category": self.category.value,
            "birth_date": self.birth_date,
            "original_age": str(self.original_age),
            "delay_months": self.delay_months,
            "legal_age": str(self.legal_age),
            "legal_date": self.legal_date,
            "early_months": self.early_months,
            "late_months": self.late_months,
            "date": self.date,
            "age": str(self.age),
        }
        formula = (
            "legal age = original age + min(m // step + 1, max delay), "
            "m = months from the reform's first month to the original retirement month; "
            if self.delay_months
            else "legal age = original age (no delay applies); "
        ) + "date = legal date − early months + late months"
        children = []
        for value in self._parameters:
            if value.name == _MINIMUM:
                children.append(
                    Explanation(
                        "retirement.minimum_contribution",
                        {
                            "name": value.name,
                            "year": self.legal_date.year,
                            "minimum_months": self.minimum_contribution_months,
                            "contributed_months": self.contributed_months,
                            "effective_from": value.effective_from,
                        },
                        formula="early retirement needs contributed months ≥ minimum",
                        citation=value.citation,
                    )
                )
            else:
                children.append(parameter_node(value))
        return Explanation("retirement.date", values, formula=formula, children=children)


# -- the rules ----------------------------------------------------------------------------


def retirement_date(
    pack: RulePack,
    worker: Worker,
    *,
    early_months: int = 0,
    late_months: int = 0,
    contributed_months: int | None = None,
) -> RetirementDate:
    """The worker's legal retirement date under the 2024 reform, moved by a flexible election.

    Legal date: 《国务院关于渐进式延迟法定退休年龄的办法》 Art. 1 and annex tables 1–3 (see the
    module docstring for the rule). ``early_months`` (at most the pack's
    ``retirement.flexible_early_max_months``, never below the original age) needs
    ``contributed_months`` of at least the minimum of the legal retirement year;
    ``late_months`` is at most ``retirement.flexible_late_max_months`` (办法 Art. 3). Only one
    of the two may be chosen.
    """
    if not isinstance(worker, Worker):
        raise InvalidInput(f"worker must be a Worker, got {worker!r}")
    _check_months("early_months", early_months)
    _check_months("late_months", late_months)
    if contributed_months is not None:
        _check_months("contributed_months", contributed_months)
        if contributed_months < 0:
            raise InvalidInput(
                f"contributed_months must be >= 0, got {contributed_months} for worker {worker.id}"
            )
    legal = _legal(pack, worker)
    used = list(legal.parameters)
    original_age = Age.from_months(legal.original_months)
    legal_age = Age.from_months(legal.original_months + legal.delay)
    if early_months:
        early_max, early_value, early_rule = _flexible_limit(pack, _EARLY_MAX, legal.date)
        used.extend(early_value)
        limit = min(early_max, legal.delay)
        if not 0 <= early_months <= limit:
            raise InvalidInput(
                f"early_months must be 0..{limit} for this worker (legal age {legal_age}, "
                f"original age {original_age}: {early_rule} early and never below the "
                f"original age), got {early_months} for worker {worker.id}"
            )
    if late_months:
        late_max, late_value, late_rule = _flexible_limit(pack, _LATE_MAX, legal.date)
        used.extend(late_value)
        if not 0 <= late_months <= late_max:
            raise InvalidInput(
                f"late_months must be 0..{late_max} for this worker (legal age {legal_age}, "
                f"legal date {legal.date}: {late_rule} late), got {late_months} for worker "
                f"{worker.id}"
            )
    if early_months and late_months:
        raise InvalidInput(
            f"choose early_months or late_months, not both; got early_months={early_months}, "
            f"late_months={late_months} for worker {worker.id}"
        )
    minimum: int | None = None
    if early_months:
        minimum, minimum_value = _minimum(pack, legal.date.year)
        used.append(minimum_value)
        _check_contributions(worker, early_months, contributed_months, minimum, legal.date.year)
    shift = late_months - early_months
    return RetirementDate(
        date=legal.month.plus(shift).day(worker.birth_date.day),
        age=Age.from_months(legal.original_months + legal.delay + shift),
        legal_date=legal.date,
        legal_age=legal_age,
        original_age=original_age,
        delay_months=legal.delay,
        early_months=early_months,
        late_months=late_months,
        category=retirement_category_of(worker, "the retirement-age rule"),
        birth_date=worker.birth_date,
        contributed_months=contributed_months,
        minimum_contribution_months=minimum,
        parameters=tuple(used),
    )


def legal_delay(months_since_start: int, step: int, max_delay: int) -> int:
    """Months of delay for an original retirement month ``months_since_start`` after the start.

    办法 Art. 1: one month of delay for every ``step`` months of birth from the first month of
    the reform, up to ``max_delay``; nothing for those whose original retirement month came
    before the reform (``months_since_start < 0``).
    """
    if step <= 0:
        raise InvalidInput(f"step must be >= 1 birth month, got {step}")
    if months_since_start < 0:
        return 0
    return min(months_since_start // step + 1, max_delay)


def minimum_contribution_months(pack: RulePack, retirement_year: int) -> int:
    """Minimum contribution months for a monthly pension, by the legal retirement year.

    《社会保险法》 Art. 16: 15 years (180 months) on reaching the legal retirement age; from
    2030 six months more each year up to 20 years (240 months) in 2039 (办法 Art. 2; pack:
    ``retirement.minimum_contribution_months``, read on the last day of the year).
    """
    return _minimum(pack, retirement_year)[0]


# -- helpers ------------------------------------------------------------------------------


def _check_months(field: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{field} must be a whole number of months, got {value!r}")


@attrs.frozen
class _Legal:
    """The legal retirement of one worker before any flexible election."""

    original_months: int
    delay: int
    month: Month
    date: dt.date
    parameters: tuple[ParameterValue, ...]


def _legal(pack: RulePack, worker: Worker) -> _Legal:
    """办法 Art. 1: the original retirement month moved by the reform's delay."""
    retirement_category = retirement_category_of(worker, "the retirement-age rule")
    category = retirement_category.value
    birth_month = Month.of(worker.birth_date)
    original = _original_age(pack, retirement_category, birth_month)
    orig_month = birth_month.plus(original.integer())
    on = orig_month.first_day
    switch = pack.value(_GRADUAL_DELAY, None, on)
    used = [original, switch]
    delay = 0
    if switch.flag():
        step = pack.value(_STEP.format(category=category), None, on)
        max_delay = pack.value(_MAX_DELAY.format(category=category), None, on)
        used.extend((step, max_delay))
        since_start = orig_month.months_since(Month.of(switch.effective_from))
        delay = legal_delay(since_start, step.integer(), max_delay.integer())
    legal_month = orig_month.plus(delay)
    return _Legal(
        original_months=original.integer(),
        delay=delay,
        month=legal_month,
        date=legal_month.day(worker.birth_date.day),
        parameters=tuple(used),
    )


def _check_contributions(
    worker: Worker, early_months: int, contributed: int | None, minimum: int, year: int
) -> None:
    """办法 Art. 3: early retirement only with the minimum contribution months."""
    if contributed is None:
        raise InvalidInput(
            f"early_months={early_months} needs contributed_months: early retirement "
            f"requires at least {minimum} contributed months for legal retirement year "
            f"{year} (worker {worker.id})"
        )
    if contributed < minimum:
        raise InvalidInput(
            f"early retirement requires at least {minimum} contributed months for legal "
            f"retirement year {year}, got contributed_months={contributed} for worker "
            f"{worker.id}"
        )


def _original_age(pack: RulePack, category: RetirementCategory, birth: Month) -> ParameterValue:
    """The original age in force on the first day of the month the worker reaches it."""
    name = _ORIGINAL_AGE.format(category=category.value)
    parameter = pack.parameter(name)
    for value in reversed(parameter.series.get(None, ())):
        reached = birth.plus(value.integer()).first_day
        if value.effective_from <= reached and (
            value.effective_until is None or reached <= value.effective_until
        ):
            return value
    dates = [value.effective_from for value in parameter.series.get(None, ())]
    raise RuleNotFound(
        f"{name} has no national value in force when a worker born {birth} reaches it; "
        f"the pack's values start at {min(dates) if dates else 'no date'}"
    )


def _flexible_limit(
    pack: RulePack, name: str, on: dt.date
) -> tuple[int, tuple[ParameterValue, ...], str]:
    """A flexible-retirement limit on ``on`` and why; 0 before flexible retirement existed."""
    parameter = pack.parameter(name)
    try:
        value = parameter.at(None, on)
    except RuleNotFound:
        starts = min((v.effective_from for v in parameter.series.get(None, ())), default=None)
        return 0, (), f"no flexible retirement before {starts}"
    return value.integer(), (value,), f"at most {value.integer()} months"


def _minimum(pack: RulePack, year: int) -> tuple[int, ParameterValue]:
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        raise InvalidInput(f"retirement_year must be a year such as 2030, got {year!r}")
    parameter = pack.parameter(_MINIMUM)
    try:
        value = parameter.at(None, dt.date(year, 12, 31))
    except RuleNotFound:
        starts = min((v.effective_from for v in parameter.series.get(None, ())), default=None)
        raise RuleNotFound(
            f"{_MINIMUM} has no minimum for retirement year {year}; its values start at {starts}"
        ) from None
    table = value.table()
    rows = [row for row in table if row <= year]
    if not rows:
        raise RuleNotFound(
            f"{_MINIMUM} has rows from retirement year {min(table)}; "
            f"no minimum for retirement year {year}"
        )
    minimum = table[max(rows)]
    if minimum != minimum.to_integral_value():
        raise RuleNotFound(f"{_MINIMUM} for {year} is not a whole number of months: {minimum}")
    return int(minimum), value
