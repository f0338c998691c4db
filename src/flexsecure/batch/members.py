"""Enrolment and premium-class tables of a population run, checked row by row.

See :mod:`flexsecure.batch.inputs` for the columns. Values are checked once per distinct
value; a bad row is a :class:`~flexsecure.batch._arrays.Problem` naming its row and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from flexsecure.batch._arrays import (
    Codes,
    Ints,
    Problem,
    check_values,
    encode,
)
from flexsecure.batch._money import minor_units
from flexsecure.batch.vocabularies import key_problem, month_index, vocabulary
from flexsecure.facts.engagements import BaseKind, Enrolment
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput

__all__ = [
    "KINDS",
    "Enrolments",
    "Platforms",
    "enrolments_from_sequence",
    "enrolments_from_table",
    "platforms_table",
]

KINDS = tuple(kind.value for kind in BaseKind)


@attrs.frozen
class Enrolments:
    """Enrolment rows as arrays; ``grade`` indexes ``grades``, ``month`` -1 = every month."""

    rows: Ints
    worker: Ints
    scheme: Ints
    region: Ints
    kind: Ints
    grade: Ints
    grades: tuple[Decimal, ...]
    declared: Ints
    month: Ints
    everyone: bool
    """True when the enrolments were given as a sequence: every worker-month has them."""


@attrs.frozen
class Platforms:
    """What the platforms table says, as :class:`~flexsecure.Platform` would hold it."""

    classes: dict[tuple[int, int, str | None], str]
    """(platform code, industry index, region or ``None`` for every region) → premium class."""
    registry: dict[int, str]
    """Platform code → registry key (platforms not listed are not identified)."""
    platform: Ints
    """Per platforms-table row, its platform code (a bad row refuses that platform's months)."""

    def premium_class(self, platform: int, industry: int, regions: tuple[str, ...]) -> str | None:
        """The class assigned in the first of ``regions`` (a region, then its parent) that has
        one, else in every region — :meth:`flexsecure.Platform.premium_class`."""
        for region in regions:
            assigned = self.classes.get((platform, industry, region))
            if assigned is not None:
                return assigned
        return self.classes.get((platform, industry, None))


def enrolments_from_sequence(pack: RulePack, given: Sequence[Any], scale: int) -> Enrolments:
    """The enrolments every worker-month has, as arrays (read only: made once per pack and
    sequence, as every chunk of a run gives the same)."""
    for index, enrolment in enumerate(given):
        if not isinstance(enrolment, Enrolment):
            raise InvalidInput(f"enrolments[{index}] must be an Enrolment, got {enrolment!r}")
    return pack.memo(
        ("batch enrolments", tuple(given), scale),
        lambda: _sequence_enrolments(pack, given, scale),
    )


def _sequence_enrolments(pack: RulePack, given: Sequence[Enrolment], scale: int) -> Enrolments:
    schemes = list(pack.schemes)
    regions = list(pack.regions)
    count = len(given)
    arrays: dict[str, list[int]] = {
        k: [] for k in ("scheme", "region", "kind", "grade", "declared")
    }
    grades: list[Decimal] = []
    for index, enrolment in enumerate(given):
        pack.scheme(enrolment.scheme)
        pack.region(enrolment.region)
        choice = enrolment.base
        if choice.amount is not None and choice.amount.currency != pack.currency:
            raise InvalidInput(
                f"enrolments[{index}]: declared base must be in {pack.currency}, "
                f"got {choice.amount!r}"
            )
        arrays["scheme"].append(schemes.index(enrolment.scheme))
        arrays["region"].append(regions.index(enrolment.region))
        arrays["kind"].append(KINDS.index(choice.kind.value))
        if choice.fraction is not None:
            grades.append(choice.fraction)
        arrays["grade"].append(len(grades) - 1 if choice.fraction is not None else -1)
        amount = choice.amount.amount.scaleb(scale) if choice.amount is not None else 0
        arrays["declared"].append(int(amount))

    def column(values: list[int]) -> Ints:
        array = np.asarray(values, np.int64).reshape(count)
        array.flags.writeable = False
        return array

    none = column([-1] * count)
    return Enrolments(
        column(list(range(count))),
        none,
        column(arrays["scheme"]),
        column(arrays["region"]),
        column(arrays["kind"]),
        column(arrays["grade"]),
        tuple(grades),
        column(arrays["declared"]),
        none,
        True,
    )


def enrolments_from_table(
    pack: RulePack, table: pa.Table, worker: Ints, scale: int, problems: list[Problem]
) -> Enrolments:
    count = table.num_rows
    scheme = vocabulary(table.column("scheme"), tuple(pack.schemes), "scheme", problems)
    region = vocabulary(table.column("region"), tuple(pack.regions), "region", problems)
    if "base" in table.column_names:
        kind = vocabulary(table.column("base"), KINDS, "base", problems)
    else:
        kind = np.zeros(count, np.int64)
    grade = np.full(count, -1, np.int64)
    grades: tuple[Decimal, ...] = ()
    wants_grade = kind == KINDS.index("grade")
    if "grade" in table.column_names:
        grade, grades = _grades(table.column("grade"), problems)
    _pairing(wants_grade, grade >= 0, "grade", problems)
    declared = np.zeros(count, np.int64)
    has_declared = np.zeros(count, np.bool_)
    if "declared" in table.column_names:
        declared, nulls, more = minor_units(
            table.column("declared"), "declared", scale, required=False
        )
        problems.extend(more)
        has_declared = ~nulls
    _pairing(kind == KINDS.index("declared"), has_declared, "declared", problems)
    month = np.full(count, -1, np.int64)
    if "month" in table.column_names:
        column = table.column("month")
        given = pc.is_valid(column).to_numpy(zero_copy_only=False)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            given &= pc.fill_null(
                pc.not_equal(pc.utf8_trim_whitespace(column), ""), False
            ).to_numpy(zero_copy_only=False)
        if given.any():
            index, more = month_index(column, "month")
            month = np.where(given, index, -1)
            problems.extend(
                Problem(p.rows[given[p.rows]], p.column, p.reason, p.values)
                for p in more
                if p.reason != "is missing"
            )
    return Enrolments(
        np.arange(count, dtype=np.int64),
        worker,
        scheme,
        region,
        kind,
        grade,
        grades,
        declared,
        month,
        False,
    )


def _grades(column: pa.ChunkedArray, problems: list[Problem]) -> tuple[Ints, tuple[Decimal, ...]]:
    if pa.types.is_floating(column.type):
        raise InvalidInput(f"column 'grade' is {column.type}: write grades as exact decimals")
    text = column.cast(pa.string())
    codes = encode(text, "grade")
    values: list[Decimal] = []
    bad: dict[int, str] = {}
    for position, raw in enumerate(codes.values):
        try:
            value = Decimal(raw.strip())
            if not value.is_finite() or value <= 0:
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            bad[position] = "must be a decimal fraction > 0 such as '0.6'"
            value = Decimal(1)
        values.append(value)
    for position, reason in bad.items():
        problems.append(
            Problem(
                np.flatnonzero(codes.codes == position), "grade", reason, (codes.values[position],)
            )
        )
    return codes.codes, tuple(values)


def _pairing(wants: Any, has: Any, name: str, problems: list[Problem]) -> None:
    missing = wants & ~has
    if missing.any():
        problems.append(Problem(np.flatnonzero(missing), name, f"is needed with base = {name}"))
    extra = has & ~wants
    if extra.any():
        problems.append(Problem(np.flatnonzero(extra), name, f"is given only with base = {name}"))


def _registry_problem(value: str) -> str | None:
    """The rule of :attr:`flexsecure.Platform.registry_key`."""
    ok = value.isascii() and value[:1].isalpha() and value == value.lower()
    if ok and all(c.isalnum() or c == "_" for c in value):
        return None
    return "must be a registry key such as 'meituan' (a-z, 0-9, _)"


def _optional(table: pa.Table, name: str) -> Codes:
    if name in table.column_names:
        return encode(table.column(name), name)
    return Codes(np.full(table.num_rows, -1, np.int64), ())


def platforms_table(
    pack: RulePack,
    table: pa.Table,
    platform: Ints,
    codes_values: tuple[str, ...],
    problems: list[Problem],
) -> Platforms:
    """Rows of ``platform_id`` with an optional ``registry_key``, and optional premium
    classes: ``industry`` and ``premium_class`` together, for one ``region`` or (empty) all."""
    problems.extend(check_values(Codes(platform, codes_values), "platform_id", key_problem))
    industries, classes = _optional(table, "industry"), _optional(table, "premium_class")
    regions, keys = _optional(table, "region"), _optional(table, "registry_key")
    for codes, name, check in (
        (classes, "premium_class", lambda v: None if v and v == v.strip() else "must be a name"),
        (regions, "region", lambda v: None if v in pack.regions else "must be a pack region"),
        (keys, "registry_key", _registry_problem),
    ):
        problems.extend(p for p in check_values(codes, name, check) if p.reason != "is missing")
    alone = (industries.codes >= 0) != (classes.codes >= 0)
    if alone.any():
        problems.append(
            Problem(
                np.flatnonzero(alone),
                "premium_class",
                "industry and premium_class are given together",
            )
        )
    position = {name: index for index, name in enumerate(pack.industries)}
    known: dict[tuple[int, int, str | None], str] = {}
    registry: dict[int, str] = {}
    twice: list[int] = []
    clash: list[int] = []
    for row in range(table.num_rows):
        p, k = int(platform[row]), int(keys.codes[row])
        if p >= 0 and k >= 0 and registry.setdefault(p, keys.values[k]) != keys.values[k]:
            clash.append(row)
        i, c, r = int(industries.codes[row]), int(classes.codes[row]), int(regions.codes[row])
        if p < 0 or i < 0 or c < 0:
            continue
        key = (p, position.get(industries.values[i], -1 - i), regions.values[r] if r >= 0 else None)
        if key in known:
            twice.append(row)
            continue
        known[key] = classes.values[c]
    for rows, column, reason in (
        (twice, "industry", "gives a platform's premium class for an industry and region twice"),
        (clash, "registry_key", "gives a platform a second registry key"),
    ):
        if rows:
            problems.append(Problem(np.asarray(rows, np.int64), column, reason))
    return Platforms(known, registry, platform)
