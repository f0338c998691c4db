"""Explanations: the tree of inputs, formula, parameters and citations behind an amount.

Every amount flexsecure computes can say how it came about. An :class:`Explanation` node has a
message ``key`` (a stable identifier that the i18n layer turns into words of a locale), the
``values`` the message refers to, an optional ``formula``, the ``citation`` of the rule or
parameter it stands for, and children. It is plain data; :meth:`Explanation.render` hands it
to :mod:`flexsecure.i18n` for text in a locale.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Union

import attrs

from flexsecure.values.citations import Citation
from flexsecure.values.money import Money
from flexsecure.values.periods import Month

if TYPE_CHECKING:
    import datetime as dt

__all__ = ["Explanation", "ExplanationValue"]

ExplanationValue = Union[Money, Decimal, int, str, "dt.date", Month, None]
"""What an explanation's input can be: an amount, a number, a name, a date or a month."""


def _freeze(values: Mapping[str, ExplanationValue]) -> tuple[tuple[str, ExplanationValue], ...]:
    return tuple(values.items())


def _to_children(children: Iterable[Explanation]) -> tuple[Explanation, ...]:
    return tuple(children)


@attrs.frozen
class Explanation:
    """One node of an explanation tree."""

    key: str
    """Message key, e.g. ``contribution.line``; see :mod:`flexsecure.i18n` for the texts."""
    values: tuple[tuple[str, ExplanationValue], ...] = attrs.field(default=(), converter=_freeze)
    formula: str | None = None
    citation: Citation | None = None
    children: tuple[Explanation, ...] = attrs.field(default=(), converter=_to_children)

    def value(self, name: str) -> ExplanationValue:
        """The value called ``name`` in this node."""
        for key, value in self.values:
            if key == name:
                return value
        raise KeyError(name)

    def walk(self) -> Iterator[Explanation]:
        """This node and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def citations(self) -> tuple[Citation, ...]:
        """Every distinct citation in the tree, in order of appearance."""
        seen: dict[Citation, None] = {}
        for node in self.walk():
            if node.citation is not None:
                seen.setdefault(node.citation, None)
        return tuple(seen)

    def render(self, locale: str = "en") -> str:
        """The tree as indented text in ``locale`` (``en`` or ``zh_CN``).

        The public contract is ``statement.explain().render(locale=...)``, yet only the
        surfaces know about locales. So this method defers, at call time, to
        :func:`flexsecure.i18n.explanations.render_explanation`: the one place a value calls
        up a layer, and no module-level import does.
        """
        from flexsecure.i18n.explanations import render_explanation

        return render_explanation(self, locale=locale)
