"""Write the intersphinx inventories the docs link through, without the network.

The docs build offline (CI and developers' machines reach only package registries), so
Sphinx cannot download ``objects.inv`` from docs.python.org, attrs.org or babel.pocoo.org
(nor dateutil.readthedocs.io).
This script writes equivalent inventories from the installed modules: every public class,
function and module of the packages we link to, with the address each project's docs give
it (their anchors follow the ``module.name`` pattern). Run it again after upgrading Python,
attrs or Babel::

    python docs/_inv/generate.py
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import sys
import zlib
from pathlib import Path

import attrs
import babel
import dateutil

HERE = Path(__file__).resolve().parent

PYTHON_MODULES = (
    "argparse", "bisect", "collections", "collections.abc", "contextlib", "contextvars", "csv",
    "gettext", "datetime", "decimal", "enum", "fractions", "functools", "importlib",
    "importlib.abc",
    "importlib.metadata", "importlib.resources", "importlib.resources.abc", "io", "itertools",
    "json", "math", "operator", "os", "pathlib", "re", "runpy", "string", "sys", "tomllib",
    "types", "typing", "unicodedata", "zlib",
)  # fmt: skip
BUILTIN_EXCEPTIONS = {
    name for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
}  # fmt: skip
BUILTIN_TYPES = {
    "int", "float", "complex", "str", "bytes", "bytearray", "list", "tuple", "dict", "set",
    "frozenset", "bool", "range", "memoryview", "object", "type",
}  # fmt: skip


def _members(module_name: str) -> list[tuple[str, str]]:
    """(qualified name, role) of the public classes and functions of ``module_name``."""
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None) or [n for n in vars(module) if not n.startswith("_")]
    found = []
    for name in names:
        value = getattr(module, name, None)
        if inspect.isclass(value):
            role = "exception" if issubclass(value, BaseException) else "class"
        elif inspect.isfunction(value) or inspect.isbuiltin(value):
            role = "function"
        elif name.isupper() or (module_name == "typing" and value is not None):
            role = "data"
        else:
            continue
        found.append((f"{module_name}.{name}", role))
    return found


def _write(path: Path, project: str, version: str, lines: list[str]) -> None:
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    ).encode()
    body = "".join(sorted(set(lines))).encode()
    path.write_bytes(header + zlib.compress(body, 9))


def python() -> list[str]:
    lines = []
    for module_name in PYTHON_MODULES:
        page = f"library/{module_name}.html"
        lines.append(f"{module_name} py:module 0 {page}#module-{module_name} -\n")
        for name, role in _members(module_name):
            lines.append(f"{name} py:{role} 1 {page}#$ -\n")
    for name in sorted(BUILTIN_EXCEPTIONS):
        lines.append(f"{name} py:exception 1 library/exceptions.html#$ -\n")
    for name in sorted(BUILTIN_TYPES):
        lines.append(f"{name} py:class 1 library/functions.html#$ -\n")
    lines.append("None py:data 1 library/constants.html#$ -\n")
    lines.append("NotImplementedError py:exception 1 library/exceptions.html#$ -\n")
    return lines


def attrs_lines() -> list[str]:
    lines = ["attrs py:module 0 api.html#module-attrs -\n"]
    for module_name in ("attrs", "attrs.validators", "attrs.converters"):
        for name, role in _members(module_name):
            lines.append(f"{name} py:{role} 1 api.html#$ -\n")
    return lines


def babel_lines() -> list[str]:
    lines = []
    for module_name, page in (
        ("babel.core", "api/core.html"),
        ("babel.numbers", "api/numbers.html"),
        ("babel.dates", "api/dates.html"),
        ("babel.support", "api/support.html"),
        ("babel.messages.catalog", "api/messages/catalog.html"),
    ):
        lines.append(f"{module_name} py:module 0 {page}#module-{module_name} -\n")
        for name, role in _members(module_name):
            lines.append(f"{name} py:{role} 1 {page}#$ -\n")
    return lines


def dateutil_lines() -> list[str]:
    lines = []
    for module_name in ("dateutil.rrule", "dateutil.relativedelta", "dateutil.parser"):
        page = f"{module_name.split('.')[1]}.html"
        lines.append(f"{module_name} py:module 0 {page}#module-{module_name} -\n")
        for name, role in _members(module_name):
            lines.append(f"{name} py:{role} 1 {page}#$ -\n")
    return lines


def main() -> None:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    _write(HERE / "python.inv", "Python", version, python())
    _write(HERE / "attrs.inv", "attrs", attrs.__version__, attrs_lines())
    _write(HERE / "babel.inv", "Babel", babel.__version__, babel_lines())
    _write(HERE / "dateutil.inv", "dateutil", dateutil.__version__, dateutil_lines())


if __name__ == "__main__":
    main()
