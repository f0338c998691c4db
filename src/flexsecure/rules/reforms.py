"""Reforms: parameter and rule overrides that turn a jurisdiction into a new one.

A :class:`Reform` sets parameter values from a date on (:class:`SetValue`) and may replace the
shares or the rounding rule of a scheme — e.g. the ``platform_cofunding`` scenario bundled
with the CN pack, where platforms pay 16 % of the pension base and the worker 8 % — or add an
amount per order to a scheme (:class:`~flexsecure.rules.schemes.OrderContribution`, e.g. the
CN pack's ``pension_per_order`` scenario). Applying a reform never touches the original pack:
it returns a new, re-validated one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

import attrs

from flexsecure.rules.parameters import Unit, Value
from flexsecure.rules.schemes import OrderContribution, RoundingRule, Share
from flexsecure.values.checks import check_date
from flexsecure.values.citations import Citation, Evidence
from flexsecure.values.errors import InvalidInput

__all__ = ["Reform", "ReformStatus", "SetValue"]


class ReformStatus(StrEnum):
    """Whether a reform is a scenario or adopted law."""

    SCENARIO = "scenario"
    """A proposal or thought experiment, not law."""
    LAW = "law"
    """Adopted law whose figures are not yet in the pack."""


@attrs.frozen
class SetValue:
    """From ``effective_from`` on, ``parameter`` takes ``value`` in ``region`` (None: national).

    ``unit`` is needed only for a parameter the pack does not have yet.
    """

    parameter: str = attrs.field()
    value: Value | str = attrs.field(eq=False)
    effective_from: dt.date = attrs.field(validator=check_date)
    region: str | None = None

    @parameter.validator
    def _check_parameter(self, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or "." not in value:
            raise InvalidInput(
                f"SetValue.parameter must be a full name such as 'pension.pooled_rate', "
                f"got {value!r}"
            )

    unit: Unit | None = None
    citation: Citation | None = None


def _freeze_shares(
    value: Mapping[str, tuple[Share, ...] | list[Share]],
) -> Mapping[str, tuple[Share, ...]]:
    return MappingProxyType({scheme: tuple(shares) for scheme, shares in value.items()})


def _freeze_rounding(value: Mapping[str, RoundingRule]) -> Mapping[str, RoundingRule]:
    if not isinstance(value, Mapping) or not all(
        isinstance(rule, RoundingRule) for rule in value.values()
    ):
        raise InvalidInput(f"Reform.rounding must map scheme names to RoundingRules, got {value!r}")
    return MappingProxyType(dict(value))


def _freeze_order_contributions(
    value: Mapping[str, OrderContribution],
) -> Mapping[str, OrderContribution]:
    if not isinstance(value, Mapping) or not all(
        isinstance(item, OrderContribution) for item in value.values()
    ):
        raise InvalidInput(
            f"Reform.order_contributions must map scheme names to OrderContributions, got {value!r}"
        )
    return MappingProxyType(dict(value))


def _to_set_values(values: Iterable[SetValue]) -> tuple[SetValue, ...]:
    return tuple(values)


def _check_name(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"Reform.name must be a non-empty string, got {value!r}")


@attrs.frozen
class Reform:
    """Named overrides of a jurisdiction's parameters and scheme shares."""

    name: str = attrs.field(validator=_check_name)
    title: str = ""
    status: ReformStatus = ReformStatus.SCENARIO
    description: str = ""
    set_values: tuple[SetValue, ...] = attrs.field(default=(), converter=_to_set_values)
    shares: Mapping[str, tuple[Share, ...]] = attrs.field(
        factory=dict, converter=_freeze_shares, eq=False
    )
    """Scheme name → the shares that replace the pack's shares of that scheme."""
    citation: Citation | None = None
    rounding: Mapping[str, RoundingRule] = attrs.field(
        factory=dict, converter=_freeze_rounding, eq=False
    )
    """Scheme name → the rounding rule that replaces the pack's (e.g. when an agency states
    the rule a pack had to assume)."""
    effective_from: dt.date | None = attrs.field(default=None)
    """First day the new :attr:`shares` apply; the pack's shares stay in force before it.
    ``None`` replaces the shares for every date (a pure scenario with no start)."""
    order_contributions: Mapping[str, OrderContribution] = attrs.field(
        factory=dict, converter=_freeze_order_contributions, eq=False
    )
    """Scheme name → an amount per order the scheme takes from the contribution's own
    ``effective_from`` on (it replaces the scheme's per-order contribution from that date)."""

    @effective_from.validator
    def _check_effective_from(self, _attribute: object, value: dt.date | None) -> None:
        if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
            raise InvalidInput(f"Reform.effective_from must be a datetime.date, got {value!r}")

    def value_citation(self, set_value: SetValue) -> Citation:
        """The citation of a value this reform sets: its own, else the reform's."""
        if set_value.citation is not None:
            return set_value.citation
        if self.citation is not None:
            return self.citation
        return Citation(
            title=f"Reform {self.name}: {self.title or self.status.value}",
            evidence=Evidence.UNVERIFIED,
            verified=False,
            note=f"{self.status.value}; set by the caller",
        )


def coerce_reform_decimal(value: object) -> Decimal | object:
    """Reforms written in Python may pass ``"0.16"``; numbers stay what they are."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            raise InvalidInput(f"reform value must be a decimal, got {value!r}") from None
    return value
