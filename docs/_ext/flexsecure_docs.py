"""Sphinx directives that build reference pages from the code and the packs at build time.

``.. flexsecure-rules::`` writes every parameter of every bundled jurisdiction — description,
unit, each dated value per region with its source, evidence grade and verified flag — through
the public API (:func:`flexsecure.load_jurisdiction`, ``.pack.parameters``), so the reference
is always the data. ``:locale: zh_CN`` gives Chinese headings and region names.

``.. flexsecure-cli::`` renders the help of the ``flexsecure`` command and of every
subcommand from :func:`flexsecure.cli.build_parser`, so the reference is always the parser.
"""

from __future__ import annotations

import argparse
import importlib
import os
from collections.abc import Iterator, Mapping
from decimal import Decimal
from importlib import resources
from typing import Any, TypeVar

from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.ext.intersphinx import missing_reference as intersphinx_missing_reference
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import nested_parse_with_titles

import flexsecure as fs
from flexsecure.cli import build_parser
from flexsecure.jurisdictions import bundled_codes
from flexsecure.rules.parameters import ParameterValue

WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "jurisdiction": "{code} — {name}",
        "intro": "Generated from the {code} pack at build time: {parameters} parameters, "
        "{values} dated values, {regions} regions. Currency {currency}.",
        "topic": "Topic ``{topic}``",
        "unit": "Unit",
        "region": "Region",
        "from": "From",
        "until": "Until",
        "value": "Value",
        "evidence": "Evidence",
        "verified": "Verified",
        "source": "Source",
        "note": "Note",
        "national": "national",
        "yes": "yes",
        "no": "no",
        "sources": "Sources of {code}",
        "reforms": "Bundled reforms of {code}",
        "latest": "in force",
    },
    "zh_CN": {
        "jurisdiction": "{code} — {name}",
        "intro": "本页在构建文档时由 {code} 规则包生成：{parameters} 个参数，"
        "{values} 个带日期的取值，{regions} 个地区。币种 {currency}。"
        "参数说明取自规则包，暂为英文。",
        "topic": "主题 ``{topic}``",
        "unit": "单位",
        "region": "地区",
        "from": "起始日期",
        "until": "截止日期",
        "value": "取值",
        "evidence": "证据等级",
        "verified": "已核实",
        "source": "来源",
        "note": "备注",
        "national": "全国",
        "yes": "是",
        "no": "否",
        "sources": "{code} 的来源",
        "reforms": "{code} 随附的改革方案",
        "latest": "现行",
    },
}


def _value(value: Any) -> str:
    if isinstance(value, fs.Money):
        return f"{value.amount} {value.currency}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "; ".join(f"{key} → {cell}" for key, cell in value.items())
    if isinstance(value, Decimal):
        return str(value)
    return str(value)


def _cell(text: str) -> str:
    """A list-table cell on one line: no line breaks, reST markup escaped."""
    text = " ".join(str(text).split())
    for char in ("\\", "*", "`", "|", "_"):
        text = text.replace(char, "\\" + char)
    return text or "—"


def _heading(text: str, char: str) -> list[str]:
    width = sum(2 if ord(c) > 0x2E7F else 1 for c in text)
    return [text, char * max(width, len(text)), ""]


def rules_lines(code: str, locale: str) -> Iterator[str]:
    words = WORDS[locale]
    jurisdiction = fs.load_jurisdiction(code)
    pack = jurisdiction.pack
    prefix = f"rules-{locale}-{code.lower()}"
    count = sum(len(s) for p in pack.parameters.values() for s in p.series.values())
    name = pack.names.get(locale) or pack.names.get("en") or code
    yield f".. _{prefix}:"
    yield ""
    yield from _heading(words["jurisdiction"].format(code=code, name=name), "-")
    yield words["intro"].format(
        code=code,
        parameters=len(pack.parameters),
        values=count,
        regions=len(pack.regions),
        currency=pack.currency,
    )
    yield ""
    topics: dict[str, list[str]] = {}
    for parameter_name in pack.parameters:
        topics.setdefault(parameter_name.split(".")[0], []).append(parameter_name)
    for topic, names in topics.items():
        yield from _heading(words["topic"].format(topic=topic), "~")
        for parameter_name in names:
            parameter = pack.parameters[parameter_name]
            yield f".. _{prefix}-{parameter_name.replace('.', '-').replace('_', '-')}:"
            yield ""
            yield from _heading(f"``{parameter_name}``", "^")
            yield _cell(parameter.description)
            yield ""
            yield f"{words['unit']}: ``{parameter.unit.value}``"
            yield ""
            yield from _values_table(pack, parameter.series, words, locale)
    yield from _heading(words["sources"].format(code=code), "~")
    for source_id, citation in sorted(pack.sources.items()):
        yield f".. _{prefix}-source-{source_id.lower()}:"
        yield ""
        line = f"``{source_id}``: {_cell(citation.title)}"
        if citation.url:
            line += f" <{citation.url}>"
        yield f"* {line}"
        if citation.note:
            yield f"  ({_cell(citation.note)})"
        yield ""
    if pack.reforms:
        yield from _heading(words["reforms"].format(code=code), "~")
        for reform in pack.reforms.values():
            start = f", from {reform.effective_from}" if reform.effective_from else ""
            yield f"* ``{reform.name}`` ({reform.status.value}{start}): {_cell(reform.title)}"
        yield ""


def _values_table(
    pack: Any,
    series: Mapping[str | None, tuple[ParameterValue, ...]],
    words: Mapping[str, str],
    locale: str,
) -> Iterator[str]:
    yield ".. list-table::"
    yield "   :header-rows: 1"
    yield "   :widths: 14 11 11 14 10 7 12 21"
    yield ""
    headers = ("region", "from", "until", "value", "evidence", "verified", "source", "note")
    yield "   * - " + words[headers[0]]
    for header in headers[1:]:
        yield "     - " + words[header]
    for region, values in series.items():
        label = (
            words["national"] if region is None else f"{region} {pack.regions[region].name(locale)}"
        )
        for value in values:
            citation = value.citation
            until = value.effective_until.isoformat() if value.effective_until else words["latest"]
            cells = (
                label,
                value.effective_from.isoformat(),
                until,
                _value(value.value),
                citation.evidence.value,
                words["yes"] if citation.verified else words["no"],
                citation.source_id or "",
                " ".join(filter(None, (citation.article, citation.note))),
            )
            yield "   * - " + _cell(cells[0])
            for cell in cells[1:]:
                yield "     - " + _cell(cell)
    yield ""


class RulesDirective(SphinxDirective):
    """``.. flexsecure-rules::`` [``:locale: zh_CN``] [``:code: CN``]."""

    option_spec = {  # noqa: RUF012 - docutils' interface
        "locale": directives.unchanged,
        "code": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        locale = self.options.get("locale", "en")
        codes = [self.options["code"]] if "code" in self.options else bundled_codes()
        lines = [line for code in codes for line in rules_lines(code, locale)]
        for code in codes:
            pack_folder = resources.files("flexsecure.jurisdictions").joinpath(code.lower())
            with resources.as_file(pack_folder.joinpath("pack")) as folder:
                for file in sorted(folder.glob("*.toml")):
                    self.env.note_dependency(str(file))
        return self._parse(lines)

    def _parse(self, lines: list[str]) -> list[nodes.Node]:
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="<rules>"), node)
        return list(node.children)


class CliDirective(SphinxDirective):
    """``.. flexsecure-cli::`` — the help of every command, as the parser prints it."""

    def run(self) -> list[nodes.Node]:
        lines: list[str] = []
        previous = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "90"  # argparse wraps to the terminal; the page is fixed
        try:
            for path, parser in _commands(build_parser(), ["flexsecure"]):
                title = " ".join(path)
                lines += [f".. _cli-{'-'.join(path[1:]) or 'flexsecure'}:", ""]
                lines += _heading(f"``{title}``", "-")
                lines += [".. code-block:: text", ""]
                lines += ["   " + line for line in parser.format_help().splitlines()]
                lines.append("")
        finally:
            if previous is None:
                del os.environ["COLUMNS"]
            else:
                os.environ["COLUMNS"] = previous
        node = nodes.section()
        node.document = self.state.document
        nested_parse_with_titles(self.state, StringList(lines, source="<cli>"), node)
        return list(node.children)


def _commands(
    parser: argparse.ArgumentParser, path: list[str]
) -> Iterator[tuple[list[str], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _commands(child, [*path, name])


# -- references to re-exported names --------------------------------------------------------

ALIASES = {
    "dt.date": "datetime.date",
    "dt.datetime": "datetime.datetime",
    "Decimal": "decimal.Decimal",
    "Path": "pathlib.Path",
    "Traversable": "importlib.resources.abc.Traversable",
}
"""Names as the code's annotations spell them (``import datetime as dt``) → full names."""


def _import(name: str) -> Any:
    """The object a dotted ``name`` denotes, or None."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            value: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for part in parts[cut:]:
                value = getattr(value, part)
        except AttributeError:
            return None
        return value
    return None


def _identity(value: Any) -> tuple[str, str] | None:
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    if isinstance(module, str) and isinstance(qualname, str):
        return module, qualname
    return None


def _documented(env: Any) -> dict[tuple[str, str], str]:
    """Where each documented object is documented, by the object's own module and name."""
    cache: dict[tuple[str, str], str] | None = getattr(env, "_flexsecure_documented", None)
    domain = env.get_domain("py")
    if cache is None or len(cache) == 0:
        cache = {}
        for name in sorted(domain.objects, key=len):
            identity = _identity(_import(name)) if name.startswith("flexsecure") else None
            if identity is not None:
                cache.setdefault(identity, name)
        env._flexsecure_documented = cache
    return cache


def resolve_reexported(app: Sphinx, env: Any, node: Any, contnode: Any) -> Any:
    """Resolve ``flexsecure.Money`` to where Money is documented, ``dt.date`` through
    intersphinx as ``datetime.date``: one object, however the code spells its name."""
    if node.get("refdomain") != "py":
        return None
    target = node["reftarget"]
    if isinstance(_import(target), TypeVar):
        return contnode  # a type variable is a placeholder, not something to link to
    candidates = [ALIASES.get(target, target)]
    module, cls = node.get("py:module"), node.get("py:class")
    if module and cls:
        candidates.append(f"{module}.{cls}.{target}")
    if module:
        candidates.append(f"{module}.{target}")
    domain = env.get_domain("py")
    suffix = [name for name in domain.objects if name.endswith("." + target)]
    if len(suffix) == 1:  # ``Ledger.apply`` written from another module: one object has it
        candidates.append(suffix[0])
    for candidate in candidates:
        value = _import(candidate)
        identity = _identity(value)
        new = _documented(env).get(identity) if identity else None
        if new is None and identity is not None and not identity[0].startswith("flexsecure"):
            new = f"{identity[0]}.{identity[1]}"
        if new is None:
            new = candidate if candidate != target else None
        if new is None:
            continue
        retyped = node.deepcopy()
        retyped["reftarget"] = new
        found = domain.resolve_xref(
            env, node["refdoc"], app.builder, node["reftype"], new, retyped, contnode
        ) or domain.resolve_any_xref(env, node["refdoc"], app.builder, new, retyped, contnode)
        if isinstance(found, list):
            found = found[0][1] if found else None
        if found is None:
            found = intersphinx_missing_reference(app, env, retyped, contnode)
        if found is not None:
            return found
    return None


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("flexsecure-rules", RulesDirective)
    app.add_directive("flexsecure-cli", CliDirective)
    app.connect("missing-reference", resolve_reexported, priority=400)
    return {"version": fs.__version__, "parallel_read_safe": True}
