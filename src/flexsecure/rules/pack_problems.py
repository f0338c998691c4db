"""Problems found while reading a pack: raised at once, or collected for
:func:`~flexsecure.rules.packs.check_pack`."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import attrs

from flexsecure.values.errors import PackError

__all__ = [
    "PROBLEMS",
    "Collecting",
    "Reported",
    "is_broken",
    "mark_broken",
    "problem_count",
    "report",
    "tolerated",
]


@attrs.frozen
class Collecting:
    problems: list[PackError] = attrs.field(factory=list)
    broken: set[str] = attrs.field(factory=set)
    """Parameters left out for a problem: what names them is not reported again."""


PROBLEMS: ContextVar[Collecting | None] = ContextVar("flexsecure_pack_problems", default=None)
"""Set only for the duration of one :func:`check_pack` call: where problems are collected
instead of raised."""


def report(error: PackError) -> None:
    """Raise ``error``, or note it and go on when :func:`check_pack` is collecting."""
    collecting = PROBLEMS.get()
    if collecting is None:
        raise error
    said = {(p.key, p.problem) for p in collecting.problems}
    if not (error.file.startswith("reform ") and (error.key, error.problem) in said):
        collecting.problems.append(error)  # a reform re-checking a scheme says it once


class Reported(Exception):
    """A part given up after its problems were noted (raised only while collecting)."""


@contextlib.contextmanager
def tolerated() -> Iterator[None]:
    """Around one independent part of a pack (a file, a parameter, a value, a claim): when
    collecting, a problem in it is noted and loading goes on with the next part."""
    try:
        yield
    except Reported:
        pass
    except PackError as error:
        if PROBLEMS.get() is None:
            raise
        report(error)


def problem_count() -> int:
    collecting = PROBLEMS.get()
    return 0 if collecting is None else len(collecting.problems)


def is_broken(parameter: str) -> bool:
    collecting = PROBLEMS.get()
    return collecting is not None and parameter in collecting.broken


def mark_broken(parameter: str) -> None:
    collecting = PROBLEMS.get()
    if collecting is not None:
        collecting.broken.add(parameter)
