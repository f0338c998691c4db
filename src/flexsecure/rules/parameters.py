"""Parameters: named values that change over time, each value dated and cited.

A parameter such as ``pension.base_floor`` is a series of values per region, each with the
date it takes effect and its :class:`~flexsecure.values.citations.Citation`. A value holds
until the next one in its region takes effect. A region without a series of its own falls back
to the national series (stored under region ``None``), if there is one. Lookup is a binary
search on the effective dates, so asking is cheap.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType

import attrs

from flexsecure.values.citations import Citation
from flexsecure.values.errors import InvalidInput, RuleNotFound
from flexsecure.values.money import Money

__all__ = ["Parameter", "ParameterValue", "Unit", "Value"]

Value = Decimal | Money | int | bool | Mapping[int, Decimal] | str | tuple[str, ...]
"""What a parameter value can be: see :class:`Unit`."""


class Unit(StrEnum):
    """What kind of value a parameter holds."""

    MONEY = "money"
    """An amount in the pack's currency (a base floor, a per-order premium)."""
    RATE = "rate"
    """A fraction between 0 and 1 (0.08 is 8 %)."""
    DECIMAL = "decimal"
    """Any non-negative decimal (an index, a factor)."""
    INTEGER = "integer"
    """A non-negative whole number (months, years)."""
    FLAG = "flag"
    """True or false (e.g. whether a scheme is in force in a region)."""
    TABLE = "table"
    """A table from whole numbers to decimals (e.g. age → divisor months)."""
    NAME = "name"
    """One name from a vocabulary the rule defines (e.g. a late-charge method ``daily_rate``)."""
    NAMES = "names"
    """A non-empty list of distinct names (e.g. allowed payment frequencies)."""


@attrs.frozen
class ParameterValue:
    """One dated, cited value of a parameter in one region (``None``: national)."""

    name: str
    region: str | None
    effective_from: dt.date
    value: Value = attrs.field(eq=False)
    citation: Citation
    effective_until: dt.date | None = None
    """Last day in force, when a later value replaces it; ``None`` while it is the latest."""

    @property
    def verified(self) -> bool:
        return self.citation.verified

    def money(self) -> Money:
        if not isinstance(self.value, Money):
            raise TypeError(f"{self.name} is not a money parameter")
        return self.value

    def decimal(self) -> Decimal:
        if isinstance(self.value, bool) or not isinstance(self.value, (Decimal, int)):
            raise TypeError(f"{self.name} is not a numeric parameter")
        return Decimal(self.value)

    def integer(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            raise TypeError(f"{self.name} is not an integer parameter")
        return self.value

    def flag(self) -> bool:
        if not isinstance(self.value, bool):
            raise TypeError(f"{self.name} is not a flag parameter")
        return self.value

    def table(self) -> Mapping[int, Decimal]:
        if not isinstance(self.value, Mapping):
            raise TypeError(f"{self.name} is not a table parameter")
        return self.value

    def text(self) -> str:
        """The value of a ``name`` parameter."""
        if not isinstance(self.value, str):
            raise TypeError(f"{self.name} is not a name parameter")
        return self.value

    def names(self) -> tuple[str, ...]:
        """The value of a ``names`` parameter."""
        if not isinstance(self.value, tuple):
            raise TypeError(f"{self.name} is not a names parameter")
        return self.value


def _freeze_series(
    series: Mapping[str | None, tuple[ParameterValue, ...]],
) -> Mapping[str | None, tuple[ParameterValue, ...]]:
    return MappingProxyType(dict(series))


@attrs.frozen
class Parameter:
    """A named parameter: its unit, what it means, and its series of values per region."""

    name: str
    unit: Unit
    description: str
    series: Mapping[str | None, tuple[ParameterValue, ...]] = attrs.field(
        converter=_freeze_series, eq=False
    )
    _dates: Mapping[str | None, tuple[dt.date, ...]] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        dates = {
            region: tuple(value.effective_from for value in values)
            for region, values in self.series.items()
        }
        object.__setattr__(self, "_dates", MappingProxyType(dates))

    @property
    def regions(self) -> tuple[str | None, ...]:
        return tuple(self.series)

    def has_region(self, region: str) -> bool:
        """True when ``region`` has its own series or a national one applies."""
        return region in self.series or None in self.series

    def at(self, region: str | None, on: dt.date) -> ParameterValue:
        """The value in force in ``region`` on ``on``; falls back to the national series."""
        key: str | None = region if region in self.series else None
        dates = self._dates.get(key)
        if dates is None:
            available = ", ".join(sorted(str(r) for r in self.series if r is not None))
            raise RuleNotFound(
                f"{self.name} has no value for {region}; it has values for: "
                f"{available or 'no region'}"
            )
        position = bisect.bisect_right(dates, on)
        if position == 0:
            where = region if key is not None else f"{region} (national series)"
            raise RuleNotFound(
                f"{self.name} has no value for {where} on {on}; the pack starts at {dates[0]}"
            )
        return self.series[key][position - 1]

    def with_values(self, values: tuple[ParameterValue, ...]) -> Parameter:
        """A copy where each given value replaces the series of its region from its date on.

        A region that had no series of its own keeps the national values before the new one.
        A national value changes only regions without a series of their own.
        """
        series = {region: list(existing) for region, existing in self.series.items()}
        for value in sorted(values, key=lambda v: v.effective_from):
            if value.name != self.name:
                raise InvalidInput(f"value of {value.name} given for parameter {self.name}")
            if value.region is not None and value.region not in series and None in series:
                # the region's first own value: before it, it had the national values
                series[value.region] = list(series[None])
            kept = [
                v for v in series.get(value.region, []) if v.effective_from < value.effective_from
            ]
            series[value.region] = [*kept, value]
        return Parameter(self.name, self.unit, self.description, chain_series(series))


def chain_series(
    series: Mapping[str | None, list[ParameterValue] | tuple[ParameterValue, ...]],
) -> dict[str | None, tuple[ParameterValue, ...]]:
    """Sort each region's values by date and fill in ``effective_until`` from the next one."""
    chained: dict[str | None, tuple[ParameterValue, ...]] = {}
    for region, values in series.items():
        ordered = sorted(values, key=lambda v: v.effective_from)
        linked = [
            attrs.evolve(value, effective_until=following.effective_from - dt.timedelta(days=1))
            for value, following in itertools.pairwise(ordered)
        ]
        if ordered:
            linked.append(attrs.evolve(ordered[-1], effective_until=None))
        chained[region] = tuple(linked)
    return chained
