"""Reading a pack folder into a :class:`~flexsecure.rules.packs.RulePack`: the jurisdiction
file, every topic file, the bundled reforms, then the whole-pack cross-checks; while
:func:`~flexsecure.rules.packs.check_pack` collects, each independent part is read on its own
so every problem is reported once."""

from __future__ import annotations

from collections.abc import Mapping
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from flexsecure.rules.pack_checks import check_scheme
from flexsecure.rules.pack_files import read_toml, toml_files
from flexsecure.rules.pack_problems import (
    mark_broken,
    problem_count,
    report,
    tolerated,
)
from flexsecure.rules.pack_readers import (
    PackContext,
    date_of,
    list_of_names,
    listed_platform_of,
    names_of,
    only,
    parameter_of,
    region_of,
    source_of,
    table_of,
    text_of,
)
from flexsecure.rules.pack_schemes import reform_of, scheme_of
from flexsecure.rules.packs import BundledPacks, RulePack
from flexsecure.rules.parameters import Parameter
from flexsecure.rules.reforms import Reform
from flexsecure.rules.schemes import (
    SchemeRules,
)
from flexsecure.values.errors import InvalidInput, PackError
from flexsecure.values.money import minor_unit

__all__ = [
    "PackReading",
    "checked",
    "load_folder",
    "parameters_of",
    "read_pack_toml",
    "reforms_of",
    "topic_files",
]


def read_pack_toml(file: Traversable, label: str, root: Path | None = None) -> dict[str, Any]:
    """A pack file's TOML, read only from a regular file inside the pack folder (``root``;
    by default the file's own folder), within the size and nesting limits of
    ``flexsecure.rules.pack_files``."""
    if root is None and isinstance(file, Path):
        root = file.parent.resolve()
    return read_toml(file, label, root)


def load_folder(folder: Traversable, origin: str, bundled: BundledPacks | None) -> RulePack:
    root = folder.resolve() if isinstance(folder, Path) else None
    main = folder.joinpath("jurisdiction.toml")
    label = f"{origin}/jurisdiction.toml"
    present = main.is_file() or (isinstance(main, Path) and (main.exists() or main.is_symlink()))
    if not present:
        raise PackError(label, "(file)", "missing")
    data = read_pack_toml(main, label, root)
    if "extends" in data:
        from flexsecure.rules.overlays import load_overlay  # overlays build on this module

        return load_overlay(folder, origin, data, bundled)
    only(
        data,
        {
            "code",
            "currency",
            "locale",
            "names",
            "schemes",
            "industries",
            "sources",
            "regions",
            "platforms",
        },
        label,
        "",
    )
    code = text_of(data, "code", label)
    currency = text_of(data, "currency", label)
    try:
        minor_unit(currency)
    except InvalidInput:
        raise PackError(label, "currency", f"not an ISO 4217 code: {currency!r}") from None
    locale = ""
    names: Mapping[str, str] = {}
    scheme_names: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    with tolerated():
        locale = text_of(data, "locale", label)
    with tolerated():
        names = names_of(table_of(data, "names", label), label, "names")
    with tolerated():
        scheme_names = list_of_names(data, "schemes", label)
    with tolerated():
        industries = list_of_names(data, "industries", label)
    sources = {}
    for key, value in table_of(data, "sources", label).items():
        with tolerated():
            sources[key] = source_of(value, label, f"sources.{key}")
    regions_table = table_of(data, "regions", label)
    if not regions_table:
        report(PackError(label, "regions", "a pack needs at least one region"))
    regions = {}
    for region_code, table in regions_table.items():
        with tolerated():
            regions[region_code] = region_of(region_code, table, code, label)
    for region in regions.values():
        if region.parent is not None and regions.get(region.parent, region).parent is not None:
            report(
                PackError(
                    label,
                    f"regions.{region.code}.parent",
                    f"{region.parent!r} is not a subdivision declared in this pack",
                )
            )

    platforms = {}
    for key, table in table_of(data, "platforms", label).items():
        with tolerated():
            platforms[key] = listed_platform_of(key, table, label)

    context = PackContext(currency=currency, regions=regions, sources=sources)
    parameters: dict[str, Parameter] = {}
    schemes: dict[str, SchemeRules] = {}
    failed: set[str] = set()  # files whose scheme had a problem (reported with it)
    for file in topic_files(folder, origin):
        stem = file.name.removesuffix(".toml")
        file_label = f"{origin}/{file.name}"
        with tolerated():
            topic = read_pack_toml(file, file_label, root)
            only(topic, {"scheme", "parameters"}, file_label, "")
            parameters.update(parameters_of(stem, topic, context, file_label))
            if "scheme" in topic:
                failed.add(stem)  # until it parses
                schemes[stem] = scheme_of(stem, topic["scheme"], context, file_label)
                failed.discard(stem)
    for scheme_name in scheme_names:
        if scheme_name not in schemes and scheme_name not in failed:
            report(
                PackError(label, "schemes", f"{scheme_name}.toml with a [scheme] table is missing")
            )
    for scheme_name in schemes:
        if scheme_name not in scheme_names:
            report(
                PackError(
                    f"{origin}/{scheme_name}.toml",
                    "scheme",
                    "not listed in jurisdiction.toml schemes",
                )
            )
    schemes = {name: schemes[name] for name in scheme_names if name in schemes}

    pack = RulePack(
        code=code,
        currency=currency,
        locale=locale,
        names=names,
        regions=regions,
        industries=industries,
        sources=sources,
        schemes=schemes,
        parameters=parameters,
        reforms=reforms_of(folder, context, origin, {}, root),
        origin=origin,
        platforms=platforms,
    )
    return checked(pack, f"{origin}/{{scheme}}.toml")


def topic_files(folder: Traversable, origin: str) -> list[Traversable]:
    """The topic files of a pack folder (regular ``.toml`` files only, within the limits)."""
    return [f for f in toml_files(folder, origin) if f.name != "jurisdiction.toml"]


def parameters_of(
    stem: str, topic: Mapping[str, Any], context: PackContext, file: str
) -> dict[str, Parameter]:
    """The parameters of one topic file; when collecting, those with a problem are left out
    (and so reported once, not again by every scheme that names them)."""
    parameters = {}
    for short_name, spec in table_of(topic, "parameters", file).items():
        name = f"{stem}.{short_name}"
        before = problem_count()
        with tolerated():
            parameter = parameter_of(name, spec, context, file, f"parameters.{short_name}")
            if problem_count() == before:
                parameters[name] = parameter
        if problem_count() != before:
            mark_broken(name)
    return parameters


def reforms_of(
    folder: Traversable,
    context: PackContext,
    origin: str,
    reforms: Mapping[str, Reform],
    root: Path | None = None,
) -> dict[str, Reform]:
    """``reforms`` with those of the folder's ``reforms/`` added (a name given again replaces)."""
    found = dict(reforms)
    reform_folder = folder.joinpath("reforms")
    if reform_folder.is_dir():
        if (
            root is not None
            and isinstance(reform_folder, Path)
            and not reform_folder.resolve().is_relative_to(root)
        ):
            raise PackError(f"{origin}/reforms", "(folder)", "is a link out of the pack folder")
        for file in toml_files(reform_folder, f"{origin}/reforms"):
            reform_label = f"{origin}/reforms/{file.name}"
            with tolerated():
                reform = reform_of(read_pack_toml(file, reform_label, root), context, reform_label)
                found[reform.name] = reform
    return found


def checked(pack: RulePack, scheme_file: str) -> RulePack:
    """The cross-checks that need the whole pack: schemes, then every bundled reform."""
    for scheme in pack.schemes.values():
        check_scheme(pack, scheme, scheme_file.format(scheme=scheme.name))
    for reform in pack.reforms.values():
        with tolerated():
            pack.with_reform(reform)  # a bundled reform must apply cleanly
    return pack


class PackReading:
    """The readers of the pack format, public for the modules that extend it
    (:mod:`flexsecure.rules.overlays`): each reads one kind of TOML value and raises a
    :class:`~flexsecure.values.errors.PackError` naming the file and the key; ``report`` and
    ``tolerated`` note a problem and go on while :func:`check_pack` collects."""

    read_toml = staticmethod(read_pack_toml)
    only = staticmethod(only)
    text = staticmethod(text_of)
    table = staticmethod(table_of)
    names = staticmethod(names_of)
    list_of_names = staticmethod(list_of_names)
    date = staticmethod(date_of)
    source = staticmethod(source_of)
    region = staticmethod(region_of)
    listed_platform = staticmethod(listed_platform_of)
    parameter = staticmethod(parameter_of)
    topic_files = staticmethod(topic_files)
    reforms = staticmethod(reforms_of)
    checked = staticmethod(checked)
    report = staticmethod(report)
    tolerated = staticmethod(tolerated)
    problem_count = staticmethod(problem_count)
    mark_broken = staticmethod(mark_broken)
