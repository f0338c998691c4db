"""The person: an id, a birth date and the facts their jurisdiction's rules need.

The core knows only what every social-insurance system asks for: who the worker is (``id``), when
they were born (``birth_date``) and, optionally, their ``sex``. Anything else is a *worker fact*
that a jurisdiction registers (:func:`register_worker_fact`): China registers the
household-registration region, the retirement category and the resident identity number;
Singapore needs none. A fact is given as a keyword argument, converted and checked by the rule
that registered it, and read back as an attribute or with :meth:`Worker.fact`::

    >>> import flexsecure as fs
    >>> from datetime import date
    >>> rider = fs.Worker(id="p-1", birth_date=date(1998, 3, 4))
    >>> rider.sex is None, dict(rider.facts)
    (True, {})
    >>> fs.Worker(id="p-1", birth_date=date(1998, 3, 4), shoe_size=42)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    flexsecure.values.errors.InvalidInput: Worker has no fact 'shoe_size'; registered facts: ...

A fact marked ``personal`` (an identity number) is never shown in ``repr``, never kept by a
ledger (:meth:`Worker.without_personal_facts`) and never pickled unless the caller asks for it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import attrs

from flexsecure.values.checks import check_date, check_key, to_enum
from flexsecure.values.errors import InvalidInput

__all__ = ["Sex", "Worker", "WorkerFact", "register_worker_fact", "worker_facts"]


class Sex(StrEnum):
    """Sex as recorded for social insurance (some rules, such as retirement ages, use it)."""

    MALE = "male"
    FEMALE = "female"


@attrs.frozen
class WorkerFact:
    """A fact about a worker that a jurisdiction's rules need, registered by that jurisdiction.

    ``convert`` turns what a caller (or a record) gives into the stored value and raises
    :class:`~flexsecure.values.errors.InvalidInput` for anything else; ``to_json`` gives the
    value as a plain JSON value; ``check`` (optional) checks the fact against the whole worker;
    ``personal`` facts are personal data, kept out of reprs, ledgers and pickles.
    """

    name: str
    convert: Callable[[object], object]
    to_json: Callable[[Any], object] = str
    check: Callable[[Worker, Any], None] | None = None
    personal: bool = False
    description: str = ""


_FACTS: dict[str, WorkerFact] = {}


def register_worker_fact(fact: WorkerFact) -> None:
    """Make ``fact`` known, so that ``Worker(..., <name>=value)`` accepts it.

    Registering the same fact again replaces it (a reloaded module); two jurisdictions that
    need the same fact share one registration.
    """
    if not isinstance(fact, WorkerFact):
        raise InvalidInput(f"fact must be a WorkerFact, got {fact!r}")
    if fact.name in {"id", "birth_date", "sex", "facts"} or not fact.name.isidentifier():
        raise InvalidInput(f"a worker fact cannot be called {fact.name!r}")
    _FACTS[fact.name] = fact


def worker_facts() -> Mapping[str, WorkerFact]:
    """Every registered worker fact, by name."""
    return MappingProxyType(_FACTS)


def _to_sex(value: object) -> Sex | None:
    return None if value is None else to_enum(Sex, value, "Worker.sex")


def _freeze_facts(value: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(value))


@attrs.frozen(init=False, repr=False)
class Worker:
    """A person who works through platforms.

    ``Worker(id=..., birth_date=..., sex=None, **facts)``: the facts are those registered by
    the jurisdictions (e.g. China's household-registration region, retirement category and
    resident identity number).
    """

    id: str = attrs.field(validator=check_key)
    birth_date: dt.date = attrs.field(validator=check_date)
    sex: Sex | None = attrs.field(default=None, converter=_to_sex)
    facts: Mapping[str, object] = attrs.field(
        factory=dict, converter=_freeze_facts, eq=False, hash=False
    )
    """The registered facts given for this worker, by name (absent facts are not listed)."""

    def __init__(
        self, id: str, birth_date: dt.date, sex: Sex | str | None = None, **facts: object
    ) -> None:
        known = worker_facts()
        given = facts.pop("facts", None)  # attrs.evolve passes the stored facts as one mapping
        if given is not None:
            if not isinstance(given, Mapping):
                raise InvalidInput(f"Worker.facts must be a mapping of facts, got {given!r}")
            facts = {**given, **facts}
        converted: dict[str, object] = {}
        for name in sorted(facts):
            if name not in known:
                raise InvalidInput(
                    f"Worker has no fact {name!r}; registered facts: "
                    f"{', '.join(sorted(known)) or 'none'}"
                )
            if facts[name] is not None:
                converted[name] = known[name].convert(facts[name])
        self.__attrs_init__(id, birth_date, sex, converted)
        for name, value in converted.items():
            check = known[name].check
            if check is not None:
                check(self, value)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: a registered fact the worker was not given
        # reads as None; anything else is a real AttributeError.
        if name.startswith("_") or name == "facts" or name not in _FACTS:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        return self.facts.get(name)

    def with_facts(self, **facts: object) -> Worker:
        """A copy of this worker with ``facts`` given or replaced (``None`` removes one)."""
        merged = {**self.facts, **facts}
        return Worker(self.id, self.birth_date, self.sex, **merged)

    def fact(self, name: str) -> Any:
        """The value of the registered fact ``name``, or ``None`` if it was not given."""
        if name not in _FACTS:
            raise InvalidInput(
                f"no worker fact {name!r} is registered; registered facts: "
                f"{', '.join(sorted(_FACTS)) or 'none'}"
            )
        return self.facts.get(name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Worker):
            return NotImplemented
        return (self.id, self.birth_date, self.sex, dict(self.facts)) == (
            other.id,
            other.birth_date,
            other.sex,
            dict(other.facts),
        )

    def __hash__(self) -> int:
        return hash((self.id, self.birth_date, self.sex, tuple(sorted(self.facts))))

    def __repr__(self) -> str:
        shown = [f"id={self.id!r}", f"birth_date={self.birth_date!r}"]
        if self.sex is not None:
            shown.append(f"sex={self.sex!r}")
        for name, value in sorted(self.facts.items()):
            fact = _FACTS.get(name)
            shown.append(f"{name}=<personal>" if fact and fact.personal else f"{name}={value!r}")
        return f"Worker({', '.join(shown)})"

    def without_personal_facts(self) -> Worker:
        """This worker without the facts registered as personal data (identity numbers)."""
        kept = {n: v for n, v in self.facts.items() if not (n in _FACTS and _FACTS[n].personal)}
        if len(kept) == len(self.facts):
            return self
        return attrs.evolve(self, facts=kept)

    def __getstate__(self) -> dict[str, object]:
        # Pickles never hold personal facts (an identity number); callers that must send one
        # read it from the fact itself and send it on purpose.
        plain = self.without_personal_facts()
        return {
            "id": plain.id,
            "birth_date": plain.birth_date,
            "sex": plain.sex,
            "facts": dict(plain.facts),
        }

    def __setstate__(self, state: Mapping[str, Any]) -> None:
        for name in ("id", "birth_date", "sex"):
            object.__setattr__(self, name, state[name])
        object.__setattr__(self, "facts", MappingProxyType(dict(state["facts"])))
