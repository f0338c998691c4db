"""Work and membership: platforms, engagements, enrolments and base choices.

An :class:`Engagement` is one worker's work for one platform, in one region and one industry,
during one month: what it earned and how many orders it carried. A worker with three apps in
two cities has several engagements a month. An :class:`Enrolment` is the worker's membership of
a scheme in a region, with the contribution base they chose (:class:`BaseChoice`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import ClassVar

import attrs

from flexsecure.values.checks import (
    check_identifier,
    check_key,
    check_region_code,
    is_region_code,
    plain_name,
    to_enum,
)
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

__all__ = ["BaseChoice", "BaseKind", "Engagement", "Enrolment", "Platform"]


def _to_month(value: Month | str) -> Month:
    if isinstance(value, Month):
        return value
    if isinstance(value, str):
        return Month.parse(value)
    raise InvalidInput(f"month must be a Month or 'YYYY-MM', got {value!r}")


def _freeze_classes(value: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) and k and v for k, v in value.items()
    ):
        raise InvalidInput(
            f"Platform.premium_classes must map industry names to class names, got {value!r}"
        )
    return MappingProxyType(dict(value))


def _freeze_regional_classes(
    value: Mapping[str, Mapping[str, str]],
) -> Mapping[str, Mapping[str, str]]:
    if not isinstance(value, Mapping) or not all(
        isinstance(region, str) and is_region_code(region) for region in value
    ):
        raise InvalidInput(
            "Platform.premium_classes_by_region must map region codes (e.g. 'CN-SH') to "
            f"{{industry: class}} tables, got {value!r}"
        )
    return MappingProxyType({region: _freeze_classes(c) for region, c in value.items()})


def _check_registry_key(_instance: object, _attribute: object, value: str | None) -> None:
    if value is not None and (
        not isinstance(value, str)
        or not value.isascii()
        or not value[:1].isalpha()
        or not all(c.isalnum() or c == "_" for c in value)
        or value != value.lower()
    ):
        raise InvalidInput(
            f"Platform.registry_key must be a key such as 'meituan' (a-z, 0-9, _), got {value!r}"
        )


@attrs.frozen
class Platform:
    """A company whose app workers take orders through."""

    id: str = attrs.field(validator=check_key)
    name: str = attrs.field(default="", kw_only=True)
    registry_key: str | None = attrs.field(
        default=None, kw_only=True, validator=_check_registry_key
    )
    """Which platform this is in the jurisdiction's registry (``[platforms.KEY]`` of its pack,
    e.g. ``"meituan"``), for rules that name platforms (which are covered by a scheme, from
    when). ``None``: not identified — such rules treat it as covered, as before platforms
    were named. A key the pack does not list is a platform its rules do not name."""
    premium_classes: Mapping[str, str] = attrs.field(
        factory=dict, converter=_freeze_classes, kw_only=True, eq=False, hash=False
    )
    """Per industry, the premium class the agency assigned (e.g. ``{"instant_delivery":
    "high_claims"}`` for a 2022 pilot platform whose claims ratio put it on the higher
    per-order benchmark), in every region. Industries not listed pay the pack's default
    class (the standard premium)."""
    premium_classes_by_region: Mapping[str, Mapping[str, str]] = attrs.field(
        factory=dict, converter=_freeze_regional_classes, kw_only=True, eq=False, hash=False
    )
    """Per region, then per industry, the class the region's agency assigned (e.g.
    ``{"CN-SH": {"instant_delivery": "high_claims"}}``); it wins over ``premium_classes``.
    A subdivision's assignment applies to its cities unless a city has its own."""

    def premium_class(self, industry: str, regions: Iterable[str]) -> str | None:
        """The class assigned for ``industry`` in the first of ``regions`` (a region, then its
        parent) that has one, else in every region; ``None`` if none was assigned."""
        for region in regions:
            assigned = self.premium_classes_by_region.get(region, {}).get(industry)
            if assigned is not None:
                return assigned
        return self.premium_classes.get(industry)


def _to_vehicle(value: object) -> str | tuple[str, ...] | None:
    if value is None:
        return None
    modes = (value,) if isinstance(value, str) else value
    if (
        not isinstance(modes, (tuple, list))
        or not modes
        or not all(isinstance(m, str) and m and m == m.strip() for m in modes)
    ):
        raise InvalidInput(
            f"Engagement.vehicle must be a mode such as 'car' or a tuple of modes, got {value!r}"
        )
    return value if isinstance(value, str) else tuple(dict.fromkeys(modes))


@attrs.frozen
class Engagement:
    """One worker's work for one platform, in one industry and region, in one month."""

    worker_id: str = attrs.field(validator=check_key)
    platform_id: str = attrs.field(validator=check_key)
    industry: str = attrs.field(converter=plain_name, validator=check_identifier)
    region: str = attrs.field(validator=check_region_code)
    month: Month = attrs.field(converter=_to_month)
    earnings: Money = attrs.field()
    orders: int = attrs.field(default=0)
    hours: Decimal | None = attrs.field(default=None, kw_only=True)
    vehicle: str | tuple[str, ...] | None = attrs.field(
        default=None, kw_only=True, converter=_to_vehicle
    )
    """The mode of transport the earnings were made with (``"car"``, ``"motorcycle"``,
    ``"bicycle"``, … as the jurisdiction's pack names them), for rules that deduct expenses by
    mode; a tuple names every mode a payment was earned on (e.g. a bonus over two modes)."""

    @earnings.validator
    def _check_earnings(self, _attribute: object, value: Money) -> None:
        if not isinstance(value, Money):
            raise InvalidInput(f"earnings must be Money, got {value!r} for {self._label()}")
        if value.is_negative:
            raise InvalidInput(
                f"earnings must be >= 0 {value.currency}, got {value!r} for {self._label()}"
            )

    @orders.validator
    def _check_orders(self, _attribute: object, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidInput(f"orders must be an int >= 0, got {value!r} for {self._label()}")

    @hours.validator
    def _check_hours(self, _attribute: object, value: Decimal | None) -> None:
        if value is not None and (
            not isinstance(value, Decimal) or not value.is_finite() or value < 0
        ):
            raise InvalidInput(
                f"hours must be a Decimal >= 0 or None, got {value!r} for {self._label()}"
            )

    def _label(self) -> str:
        return f"engagement {self.platform_id}/{self.month}"

    @property
    def label(self) -> str:
        """``platform/month``, how errors and explanations name this engagement."""
        return self._label()


class BaseKind(StrEnum):
    """How an enrolled worker's contribution base is set each month."""

    FLOOR = "floor"
    """The lowest base the region allows (the usual choice of flexible workers)."""
    CEILING = "ceiling"
    """The highest base the region allows."""
    EARNINGS = "earnings"
    """The month's earnings summed over all platforms, clipped to the region's band."""
    GRADE = "grade"
    """A fraction of the region's average wage (e.g. 0.6, 1.0, 3.0), clipped to the band."""
    DECLARED = "declared"
    """A fixed monthly amount the worker declared, clipped to the band."""


def _check_fraction(_instance: object, _attribute: object, value: Decimal | None) -> None:
    if value is not None and (
        not isinstance(value, Decimal) or not value.is_finite() or value <= 0
    ):
        raise InvalidInput(f"BaseChoice grade must be a Decimal > 0, got {value!r}")


def _to_kind(value: object) -> BaseKind:
    return to_enum(BaseKind, value, "BaseChoice.kind")


@attrs.frozen(repr=False)
class BaseChoice:
    """A worker's choice of contribution base: ``FLOOR``, ``CEILING``, ``EARNINGS``,
    ``grade(fraction)`` or ``declared(amount)``."""

    kind: BaseKind = attrs.field(converter=_to_kind)
    fraction: Decimal | None = attrs.field(default=None, validator=_check_fraction)
    amount: Money | None = attrs.field(default=None)

    FLOOR: ClassVar[BaseChoice]
    CEILING: ClassVar[BaseChoice]
    EARNINGS: ClassVar[BaseChoice]

    def __attrs_post_init__(self) -> None:
        if (self.kind is BaseKind.GRADE) != (self.fraction is not None):
            raise InvalidInput("BaseChoice: a fraction is given with, and only with, GRADE")
        if (self.kind is BaseKind.DECLARED) != (self.amount is not None):
            raise InvalidInput("BaseChoice: an amount is given with, and only with, DECLARED")
        if self.amount is not None and (
            not isinstance(self.amount, Money) or self.amount.is_negative
        ):
            raise InvalidInput(
                f"BaseChoice declared amount must be Money >= 0, got {self.amount!r}"
            )
        if self.amount is not None and not self.amount.is_whole():
            raise InvalidInput(
                f"BaseChoice declared amount must be whole minor units, got {self.amount!r}"
            )

    @classmethod
    def grade(cls, fraction: Decimal | str) -> BaseChoice:
        """A base of ``fraction`` × the region's average wage (clipped to the band)."""
        if isinstance(fraction, str):
            try:
                fraction = Decimal(fraction)
            except ArithmeticError:
                raise InvalidInput(
                    f"BaseChoice grade must be a decimal, got {fraction!r}"
                ) from None
        return cls(BaseKind.GRADE, fraction=fraction)

    @classmethod
    def declared(cls, amount: Money) -> BaseChoice:
        """A fixed declared monthly base (clipped to the band)."""
        return cls(BaseKind.DECLARED, amount=amount)

    def __repr__(self) -> str:
        if self.kind is BaseKind.GRADE:
            return f"BaseChoice.grade(Decimal('{self.fraction}'))"
        if self.kind is BaseKind.DECLARED:
            return f"BaseChoice.declared({self.amount!r})"
        return f"BaseChoice.{self.kind.name}"


BaseChoice.FLOOR = BaseChoice(BaseKind.FLOOR)
BaseChoice.CEILING = BaseChoice(BaseKind.CEILING)
BaseChoice.EARNINGS = BaseChoice(BaseKind.EARNINGS)


@attrs.frozen
class Enrolment:
    """Membership of one scheme in one region, with the base choice."""

    scheme: str = attrs.field(converter=plain_name, validator=check_identifier)
    region: str = attrs.field(validator=check_region_code)
    base: BaseChoice = attrs.field(default=BaseChoice.FLOOR)
    opted_in: bool = attrs.field(default=False, kw_only=True)
    """Whether the worker opted in to a scheme's higher or fuller contributions, where the
    jurisdiction offers that election (e.g. Singapore's platform workers born before 1995)."""

    @opted_in.validator
    def _check_opted_in(self, _attribute: object, value: bool) -> None:
        if not isinstance(value, bool):
            raise InvalidInput(f"Enrolment.opted_in must be True or False, got {value!r}")

    @base.validator
    def _check_base(self, _attribute: object, value: BaseChoice) -> None:
        if not isinstance(value, BaseChoice):
            raise InvalidInput(
                f"Enrolment.base must be a BaseChoice (e.g. BaseChoice.FLOOR), got {value!r}"
            )
