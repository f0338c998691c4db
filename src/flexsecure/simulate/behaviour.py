"""Choice architectures and the behaviour they lead to, read from a jurisdiction's pack.

How enrolment is offered changes who enrols as much as what it costs (Madrian & Shea 2001:
401(k) participation 37 % under opt-in, 86 % under automatic enrolment). A pack's
``behaviour.toml`` holds the evidence as dated, cited parameters; :class:`Behaviour` reads them
and turns them into the three probabilities the simulation draws against:

* **enrolment at sign-up**, by :class:`Architecture` — opt-in: ``opt_in_enrolment_rate``;
  active choice: that plus ``active_choice_uplift``; default enrolment: ``1 − opt_out_rate``;
  a match ``m`` (yuan added per yuan the worker pays) adds ``match_take_up_per_match × m``, with
  ``m`` capped at ``match_rate_evidence_max`` (no extrapolation beyond the evidence) — clipped
  to [0, 1];
* **lapse**, a monthly hazard ``1 − persistence_rate ^ (1 / persistence_months)``;
* **re-enrolment** after a lapse, a monthly probability ``reenrolment_rate`` (0: a lapse is
  for good);
* **leaving the default base**, a monthly hazard ``1 − default_base_stickiness ^ (1 / 12)``.

    >>> import flexsecure as fs
    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from flexsecure.simulate.behaviour import Architecture, Behaviour
    >>> behaviour = Behaviour.from_pack(fs.load_jurisdiction("CN"), on=date(2025, 1, 1))
    >>> behaviour.enrolment_probability(Architecture.DEFAULT)
    Decimal('0.91')
    >>> behaviour.enrolment_probability(Architecture.OPT_IN, match_rate=Decimal("0.5"))
    Decimal('0.48')
    >>> round(behaviour.lapse_hazard, 6)
    Decimal('0.009859')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from flexsecure.rules.parameters import ParameterValue
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.values.errors import InvalidInput

__all__ = ["BEHAVIOUR_PARAMETERS", "Architecture", "Behaviour", "plain", "to_architecture"]

BEHAVIOUR_PARAMETERS = (
    "opt_in_enrolment_rate",
    "opt_out_rate",
    "active_choice_uplift",
    "match_take_up_per_match",
    "match_rate_evidence_max",
    "default_base_stickiness",
    "persistence_rate",
    "persistence_months",
    "reenrolment_rate",
)
"""The ``behaviour.<name>`` parameters a simulation reads."""

STICKINESS_MONTHS = 12
"""``default_base_stickiness`` is the share still on the default 12 months after enrolment."""


class Architecture(StrEnum):
    """How enrolment is offered when a worker signs up with a platform."""

    OPT_IN = "opt_in"
    """Not enrolled unless the worker acts (China's flexible-employee pension today)."""
    DEFAULT = "default"
    """Enrolled at sign-up (automatic / default enrolment); the worker may opt out."""
    ACTIVE_CHOICE = "active_choice"
    """Sign-up asks yes or no; there is no default."""


def _probability(_instance: object, attribute: Any, value: Any) -> None:
    name = attribute.name
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise InvalidInput(f"Behaviour.{name} must be a Decimal, got {value!r}")
    if not 0 <= value <= 1:
        raise InvalidInput(f"Behaviour.{name} must be between 0 and 1, got {value!r}")


def plain(value: Decimal) -> Decimal:
    """``value`` without trailing zeros or an exponent (``0.480`` → ``0.48``, ``0E+2`` → ``0``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def to_architecture(value: Any) -> Architecture:
    """``value`` as an :class:`Architecture`, or :class:`~flexsecure.InvalidInput`."""
    try:
        return Architecture(value)
    except ValueError:
        choices = ", ".join(a.value for a in Architecture)
        raise InvalidInput(f"architecture must be one of {choices}, got {value!r}") from None


@attrs.frozen
class Behaviour:
    """Behavioural parameters of one simulation, each a probability (Decimal in [0, 1]).

    Build it from a pack with :meth:`from_pack` (every value keeps its citation in
    ``sources``) and change any value with :func:`attrs.evolve` for a sensitivity run.
    """

    opt_in_enrolment_rate: Decimal = attrs.field(validator=_probability)
    opt_out_rate: Decimal = attrs.field(validator=_probability)
    active_choice_uplift: Decimal = attrs.field(validator=_probability)
    match_take_up_per_match: Decimal = attrs.field(validator=_probability)
    match_rate_evidence_max: Decimal = attrs.field(validator=_probability)
    default_base_stickiness: Decimal = attrs.field(validator=_probability)
    persistence_rate: Decimal = attrs.field(validator=_probability)
    persistence_months: int = attrs.field()
    reenrolment_rate: Decimal = attrs.field(validator=_probability)
    """Monthly probability that a worker who enrolled and lapsed comes back (0: never)."""
    sources: tuple[ParameterValue, ...] = attrs.field(default=(), eq=False, repr=False)
    """The pack values read (name, value, citation), for the record of a run."""

    @persistence_months.validator
    def _check_months(self, _attribute: object, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise InvalidInput(f"Behaviour.persistence_months must be an int >= 1, got {value!r}")

    @classmethod
    def from_pack(cls, jurisdiction: JurisdictionLike, *, on: dt.date) -> Behaviour:
        """The ``behaviour.*`` values of ``jurisdiction`` in force on ``on`` (national)."""
        values = [
            jurisdiction.parameter(f"behaviour.{name}", on=on) for name in BEHAVIOUR_PARAMETERS
        ]
        read = {name: value.value for name, value in zip(BEHAVIOUR_PARAMETERS, values, strict=True)}
        return cls(**read, sources=tuple(values))  # type: ignore[arg-type]

    def enrolment_probability(
        self, architecture: Architecture, *, match_rate: Decimal = Decimal(0)
    ) -> Decimal:
        """Probability that a worker is enrolled after their sign-up decision."""
        architecture = to_architecture(architecture)
        if isinstance(match_rate, bool) or not isinstance(match_rate, Decimal) or match_rate < 0:
            raise InvalidInput(f"match_rate must be a Decimal >= 0, got {match_rate!r}")
        base = {
            Architecture.OPT_IN: self.opt_in_enrolment_rate,
            Architecture.ACTIVE_CHOICE: self.opt_in_enrolment_rate + self.active_choice_uplift,
            Architecture.DEFAULT: 1 - self.opt_out_rate,
        }[architecture]
        uplift = self.match_take_up_per_match * min(match_rate, self.match_rate_evidence_max)
        return plain(min(Decimal(1), max(Decimal(0), base + uplift)))

    @property
    def lapse_hazard(self) -> Decimal:
        """Monthly probability that a contributing worker stops for good."""
        return 1 - self.persistence_rate ** (Decimal(1) / self.persistence_months)

    @property
    def default_base_hazard(self) -> Decimal:
        """Monthly probability that a worker on the default base moves to their own choice."""
        return 1 - self.default_base_stickiness ** (Decimal(1) / STICKINESS_MONTHS)
