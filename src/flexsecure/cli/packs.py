"""``flexsecure pack check`` and ``flexsecure pack show``: rule packs for the people who write
and audit them.

``check`` lists every problem of a vendor's pack or overlay with its file and key (through
:func:`flexsecure.check_pack`), not just the first one loading stops at. ``show`` prints what
a pack holds: its parameters, or one parameter's dated values per region with the source,
evidence grade and verified flag of each — the table a reviewer compares with the law.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from flexsecure.cli.output import write_rows
from flexsecure.i18n.formatting import format_money
from flexsecure.jurisdiction import check_pack, load_jurisdiction
from flexsecure.rules.packs import RulePack
from flexsecure.rules.parameters import ParameterValue, Value
from flexsecure.values.money import Money

__all__ = ["pack_check", "pack_show", "plain_value"]


def pack_check(path: str, format_: str, out: TextIO) -> bool:
    """Write every problem of the pack at ``path``; True when there is none."""
    problems = check_pack(Path(path))
    rows = [{"file": p.file, "key": p.key, "problem": p.problem} for p in problems]
    if format_ != "table":
        write_rows(out, format_, ("file", "key", "problem"), rows)
    elif problems:
        for problem in problems:
            out.write(f"{problem}\n")
        count = len(problems)
        out.write(f"{count} problem{'s' if count != 1 else ''} in {path}\n")
    else:
        pack = load_jurisdiction(Path(path)).pack
        out.write(
            f"{path}: ok — {pack.code} pack, {len(pack.regions)} regions, "
            f"{len(pack.parameters)} parameters, {len(pack.reforms)} reform"
            f"{'s' if len(pack.reforms) != 1 else ''}\n"
        )
    return not problems


def plain_value(value: Value) -> Any:
    """A parameter value as plain JSON: decimals and money amounts as strings."""
    if isinstance(value, Money):
        return str(value.amount)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {str(key): str(cell) for key, cell in value.items()}
    return value


def _shown(value: Value, locale: str) -> str:
    if isinstance(value, Money):
        return format_money(value, locale)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return ", ".join(f"{key}: {cell}" for key, cell in value.items())
    return str(value)


def _pack(source: str) -> RulePack:
    return load_jurisdiction(
        source if source.isalpha() and not Path(source).exists() else Path(source)
    ).pack


def pack_show(
    source: str, name: str | None, region: str | None, locale: str, format_: str, out: TextIO
) -> None:
    """Write the parameters of a pack, or the dated values of parameter ``name``."""
    pack = _pack(source)
    if name is None:
        rows = [
            {
                "parameter": parameter.name,
                "unit": parameter.unit.value,
                "values": sum(len(series) for series in parameter.series.values()),
                "description": parameter.description,
            }
            for parameter in pack.parameters.values()
        ]
        write_rows(out, format_, ("parameter", "unit", "values", "description"), rows)
        return
    parameter = pack.parameter(name)
    if region is not None:
        pack.region(region)  # an unknown region is an error, not an empty table
    values = [
        value
        for key, series in parameter.series.items()
        if region is None or key in (None, region)
        for value in series
    ]
    rows = [_row(pack, value, locale, format_) for value in values]
    columns = ("region", "from", "until", "value", "evidence", "verified", "source")
    if format_ == "table":
        out.write(f"{parameter.name} ({parameter.unit.value}): {parameter.description}\n\n")
        write_rows(out, format_, columns, rows)
        out.write("\nSources:\n")
        for source_id in sorted({value.citation.source_id or "" for value in values}):
            citation = pack.sources.get(source_id)
            if citation is not None:
                url = f" <{citation.url}>" if citation.url else ""
                out.write(f"  {source_id}: {citation.title}{url}\n")
        return
    write_rows(out, format_, (*columns, "unit", "article", "url", "note"), rows)


def _row(pack: RulePack, value: ParameterValue, locale: str, format_: str) -> dict[str, Any]:
    if value.region is None:
        region = "national"
    elif format_ == "table":
        region = f"{value.region} {pack.region(value.region).name(locale)}"
    else:
        region = value.region
    citation = value.citation
    return {
        "region": region,
        "from": value.effective_from.isoformat(),
        "until": value.effective_until.isoformat() if value.effective_until else None,
        "value": _shown(value.value, locale) if format_ == "table" else plain_value(value.value),
        "unit": pack.parameters[value.name].unit.value,
        "evidence": citation.evidence.value,
        "verified": citation.verified,
        "source": citation.source_id,
        "article": citation.article,
        "url": citation.url,
        "note": citation.note,
    }
