"""The layering of ARCHITECTURE.md, checked on the code: imports point down only.

values ← facts ← rules ← calculations (the engine) ← jurisdictions ← population (batch,
simulate) ← surfaces (records, i18n, cli, the Jurisdiction facade, the package's face). The
engine and everything below it never import a jurisdiction package, so adding a country cannot
require a change in the core. Only module-level imports count: ``Explanation.render``'s one
call up into i18n happens inside the method, at call time, and is documented there.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "flexsecure"

LAYERS = {
    "values": 0,
    "facts": 1,
    "rules": 2,
    "calculations": 3,
    "jurisdictions": 4,
    "batch": 5,
    "simulate": 5,
    "records": 6,
    "i18n": 6,
    "cli": 6,
    "jurisdiction": 6,
    "__init__": 6,
    "__main__": 6,
}


def _layer(module: str) -> tuple[str, int]:
    parts = module.split(".")
    if parts[1:2] == ["jurisdictions"] and parts[-1].startswith("record"):
        # a jurisdiction's own record formats (records, record_writers) are a surface, beside
        # the core's records; none of the jurisdiction's rules import them
        return "records", LAYERS["records"]
    part = parts[1] if len(parts) > 1 else "__init__"
    if part not in LAYERS:
        raise AssertionError(f"{module}: no layer for {part!r}; add it to LAYERS")
    return part, LAYERS[part]


def _module_name(path: Path) -> str:
    relative = path.relative_to(SRC.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1] if len(parts) > 2 else [*parts[:-1], "__init__"]
    return ".".join(parts)


def _top_level_imports(tree: ast.Module) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    statements: list[ast.stmt] = list(tree.body)
    while statements:
        node = statements.pop(0)
        if isinstance(node, ast.If):  # e.g. ``if TYPE_CHECKING:``
            statements.extend(node.body + node.orelse)
        elif isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "flexsecure"]


MODULES = sorted(SRC.rglob("*.py"))


def test_the_check_sees_the_whole_package() -> None:
    assert len(MODULES) > 40
    assert any(path.parts[-2:] == ("cn", "__init__.py") for path in MODULES)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_down_only(path: Path) -> None:
    module = _module_name(path)
    name, rank = _layer(module)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for line, imported in _top_level_imports(tree):
        if imported == "flexsecure":
            target, target_rank = "__init__", LAYERS["__init__"]
        else:
            target, target_rank = _layer(imported)
        assert target_rank <= rank, (
            f"{path.relative_to(SRC)}:{line}: the {name} layer imports {imported} of the higher "
            f"{target} layer"
        )
        if rank < LAYERS["jurisdictions"]:
            assert target != "jurisdictions", (
                f"{path.relative_to(SRC)}:{line}: the core imports the jurisdiction {imported}"
            )


def test_a_core_module_importing_a_jurisdiction_would_fail() -> None:
    """The check itself can fail: a made-up engine module that imports China's rules."""
    tree = ast.parse("from flexsecure.jurisdictions.cn.retirement import retirement_date\n")
    ((_, imported),) = _top_level_imports(tree)
    assert _layer(imported)[1] > _layer("flexsecure.calculations.contributions")[1]


def test_no_private_name_is_imported_across_modules() -> None:
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("flexsecure"):
                for alias in node.names:
                    assert not (alias.name.startswith("_") and not alias.name.startswith("__")), (
                        f"{path.relative_to(SRC)}:{node.lineno} imports private {alias.name} "
                        f"from {node.module}"
                    )


def test_china_asks_for_the_facts_its_rules_need_by_name() -> None:
    """The core Worker needs no hukou region or retirement category; a CN rule that uses one
    says which rule needs which fact (issue 7), instead of an AttributeError."""
    import datetime as dt

    import flexsecure as fs

    cn = fs.load_jurisdiction("CN")
    bare = fs.Worker(id="w-9", birth_date=dt.date(1970, 1, 1))
    with pytest.raises(fs.InvalidInput, match=r"retirement-age rule needs Worker\.retirement"):
        cn.retirement_date(bare)
    month = cn.monthly_contributions(
        bare, [], fs.Month(2024, 12), enrolments=[fs.Enrolment("pension", "CN-SH")]
    )  # contributions need no CN-only fact
    ledger = fs.Ledger.for_worker(bare).post(month)
    with pytest.raises(fs.InvalidInput, match=r"needs Worker\.hukou_region"):
        cn.benefit_region(bare, ledger, on=dt.date(2025, 1, 1))
    sg = fs.load_jurisdiction("SG")
    with pytest.raises(fs.NotInJurisdiction, match="quote_transfer"):
        sg.quote_transfer(ledger, from_region="SG", to_region="SG", on=dt.date(2025, 1, 1))
