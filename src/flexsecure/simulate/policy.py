"""A policy: a choice architecture, an optional reform, and the bases workers end up on.

The reform changes the rules (who pays what: e.g. the CN pack's bundled
``platform_cofunding``, or any :class:`~flexsecure.Reform` such as a government subsidy share);
the architecture changes behaviour (who enrols). The *match* a worker sees — what others pay
per yuan they pay — is read from the reformed scheme's shares unless the policy states it:

    >>> import flexsecure as fs
    >>> from datetime import date
    >>> from flexsecure.simulate.behaviour import Architecture
    >>> from flexsecure.simulate.policy import Policy
    >>> cn = fs.load_jurisdiction("CN")
    >>> cofunding = Policy("cofunded default", Architecture.DEFAULT, reform="platform_cofunding")
    >>> cofunding.match_rate_in(cofunding.jurisdiction(cn), "CN-SH", date(2026, 1, 1))
    Decimal('2')
    >>> Policy("opt-in", Architecture.OPT_IN).match_rate_in(cn, "CN-SH", date(2026, 1, 1))
    Decimal('0')
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import attrs

from flexsecure.facts.engagements import BaseChoice, BaseKind
from flexsecure.rules.reforms import Reform
from flexsecure.simulate.behaviour import Architecture, plain, to_architecture
from flexsecure.simulate.protocol import JurisdictionLike
from flexsecure.values.errors import InvalidInput

__all__ = ["NAMED_POLICIES", "Policy", "named_policy"]

FIXED_BASES = (BaseKind.FLOOR, BaseKind.CEILING, BaseKind.GRADE)


def _fixed_base(_instance: object, attribute: Any, value: Any) -> None:
    if not isinstance(value, BaseChoice) or value.kind not in FIXED_BASES:
        raise InvalidInput(
            f"Policy.{attribute.name} must be BaseChoice.FLOOR, BaseChoice.CEILING or a "
            f"BaseChoice.grade(...): a projection to retirement needs a base that does not "
            f"depend on future earnings; got {value!r}"
        )


@attrs.frozen
class Policy:
    """What a population faces: ``architecture`` at sign-up, under ``reform`` (if any).

    ``default_base`` is the base of workers enrolled by default until they move (see
    ``Behaviour.default_base_stickiness``); ``chosen_base`` is the
    base of everyone who chose for themselves. ``match_rate`` (yuan others pay per yuan the
    worker pays) drives the behavioural match effect; ``None`` reads it from the shares of
    ``scheme`` under the reform.
    """

    name: str = attrs.field()
    architecture: Architecture = attrs.field(converter=to_architecture)
    reform: str | Reform | None = None
    match_rate: Decimal | None = None
    scheme: str = "pension"
    default_base: BaseChoice = attrs.field(default=BaseChoice.FLOOR, validator=_fixed_base)
    chosen_base: BaseChoice = attrs.field(default=BaseChoice.FLOOR, validator=_fixed_base)

    @name.validator
    def _check_name(self, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput(f"Policy.name must be a non-empty string, got {value!r}")

    def __attrs_post_init__(self) -> None:
        rate = self.match_rate
        if rate is not None and (
            isinstance(rate, bool) or not isinstance(rate, Decimal) or rate < 0
        ):
            raise InvalidInput(f"Policy.match_rate must be a Decimal >= 0 or None, got {rate!r}")

    def jurisdiction(self, jurisdiction: JurisdictionLike) -> JurisdictionLike:
        """``jurisdiction`` with this policy's reform applied (itself without one)."""
        return jurisdiction if self.reform is None else jurisdiction.with_reform(self.reform)

    def match_rate_in(self, reformed: JurisdictionLike, region: str, on: dt.date) -> Decimal:
        """The match a worker in ``region`` sees on ``on``: the stated one, else the summed
        rates of the other payers of ``scheme`` over the worker's (infinite if the worker
        pays nothing)."""
        if self.match_rate is not None:
            return self.match_rate
        pack = reformed.pack
        rules = pack.scheme(self.scheme)
        worker, others = Decimal(0), Decimal(0)
        for share in rules.shares:
            rate = sum(
                (pack.value(name, region, on).decimal() for name in share.funds.values()),
                Decimal(0),
            )
            if share.payer == "worker":
                worker += rate
            else:
                others += rate
        if worker == 0:
            return Decimal("Infinity") if others else Decimal(0)
        return plain(others / worker)


NAMED_POLICIES = (
    "opt-in",
    "default enrolment",
    "default + platform co-funding",
    "opt-in + per-order micro-contribution",
)
"""The policies :func:`named_policy` builds, compared in ``examples/default_enrolment.py``."""


def named_policy(name: str) -> Policy:
    """One of :data:`NAMED_POLICIES`, on the CN pack's bundled reforms:

    * ``opt-in`` — today's rule: a flexible worker enrols only by acting;
    * ``default enrolment`` — enrolled at platform sign-up, free to opt out;
    * ``default + platform co-funding`` — the same under ``platform_cofunding`` (platforms
      16 % of the base, the worker 8 %);
    * ``opt-in + per-order micro-contribution`` — today's opt-in, plus ``pension_per_order``:
      every order deducts 0.10 yuan into the worker's pension account and the platform adds
      0.10 yuan (assumed amounts), whether or not the worker enrols.

    >>> from flexsecure.simulate import named_policy
    >>> named_policy("opt-in + per-order micro-contribution").reform
    'pension_per_order'
    """
    policies = {
        "opt-in": Policy("opt-in", Architecture.OPT_IN),
        "default enrolment": Policy("default enrolment", Architecture.DEFAULT),
        "default + platform co-funding": Policy(
            "default + platform co-funding", Architecture.DEFAULT, reform="platform_cofunding"
        ),
        "opt-in + per-order micro-contribution": Policy(
            "opt-in + per-order micro-contribution", Architecture.OPT_IN, reform="pension_per_order"
        ),
    }
    try:
        return policies[name]
    except KeyError:
        raise InvalidInput(
            f"policy must be one of {', '.join(NAMED_POLICIES)}, got {name!r}"
        ) from None
