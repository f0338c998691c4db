"""A ``pybabel extract`` method for flexsecure: marked texts and the formulas of explanations.

Texts marked with ``N_`` (and gettext's own keywords) are found by Babel's Python extractor.
Formulas are plain strings in the engine and the jurisdictions — ``formula="amount =
round(base × rate)"`` — which the engine must not mark (it knows nothing of locales); this
method finds them where an :class:`~flexsecure.values.explanation.Explanation` is given its
``formula``: the string constants of a ``formula=`` argument, and those assigned to a name
that says ``formula`` (``formula = ...``, ``formulas = {...}``), through conditional
expressions, and the formula a ``*_values`` function returns beside its values. Formulas
with numbers in them (f-strings) are not messages and stay as they are.

Registered as the Babel extractor ``flexsecure`` (``pyproject.toml``) and used from
``babel.cfg``: ``[flexsecure: **.py]``.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any, cast

from babel.messages.extract import extract_python

__all__ = ["extract", "formulas"]


def _strings(node: ast.AST) -> Iterator[tuple[int, str]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.strip():
        yield node.lineno, node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)
    elif isinstance(node, ast.Dict):
        for value in node.values:
            yield from _strings(value)


def _names_formula(target: ast.AST) -> bool:
    return isinstance(target, ast.Name) and "formula" in target.id


def formulas(source: str) -> Iterator[tuple[int, str]]:
    """(line, formula) of every formula constant in ``source``."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name.endswith("_values"):
            # ``return values, "amount = round(base × rate)"``: a node's values and formula
            for inner in ast.walk(node):
                if isinstance(inner, ast.Return) and isinstance(inner.value, ast.Tuple):
                    assert inner.value.elts  # a tuple written in a return has elements
                    yield from _strings(inner.value.elts[-1])
        elif (
            (isinstance(node, ast.keyword) and node.arg == "formula")
            or (isinstance(node, ast.Assign) and any(_names_formula(t) for t in node.targets))
            or (isinstance(node, ast.AnnAssign) and _names_formula(node.target))
        ) and node.value is not None:
            yield from _strings(node.value)


def extract(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: dict[str, Any],
) -> Iterator[tuple[Any, ...]]:
    """Babel's Python extraction, plus every formula (with a translator comment); tuples of
    ``(line, function name, message, comments)`` as Babel's methods give them."""
    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, cast(Any, options))
    for line, formula in formulas(source.decode("utf-8")):
        yield (
            line,
            "",
            formula,
            ["formula of an explanation: translate the words, keep the symbols"],
        )
