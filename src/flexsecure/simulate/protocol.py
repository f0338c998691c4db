"""What a simulation asks of a jurisdiction.

The simulation sits in the population layer, below the :class:`flexsecure.Jurisdiction`
facade, so it names what it uses instead of importing the facade: a pack, a parameter lookup,
the retirement rule and reforms. :class:`flexsecure.Jurisdiction` has all four.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from flexsecure.facts.workers import Worker
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue
from flexsecure.rules.reforms import Reform

__all__ = ["JurisdictionLike"]


class JurisdictionLike(Protocol):
    """A jurisdiction as a simulation uses it (``fs.load_jurisdiction("CN")`` is one)."""

    @property
    def pack(self) -> RulePack: ...

    def parameter(self, name: str, *, region: str | None = None, on: dt.date) -> ParameterValue:
        """The value of ``name`` in force in ``region`` on ``on``."""
        ...

    def retirement_date(self, worker: Worker) -> Any:
        """The worker's retirement date (its ``legal_date`` is read)."""
        ...

    def with_reform(self, reform: Reform | str) -> JurisdictionLike:
        """A new jurisdiction with ``reform`` applied."""
        ...
