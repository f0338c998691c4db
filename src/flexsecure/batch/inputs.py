"""The three input tables of a population run, their columns, and how each row is checked.

**engagements** — one row per engagement (one worker's work for one platform, in one region
and industry, in one month), as :class:`~flexsecure.Engagement`:

=============  ============================================================================
column         type
=============  ============================================================================
worker_id      string (or integer ids)
platform_id    string
industry       string, one of the pack's industries (``ride_hailing``, ...)
region         string, a region of the pack (``CN-SH``)
month          string ``YYYY-MM`` (or ``date32``: the month of the day)
earnings       ``decimal128(18, 2)`` or an exact string such as ``"6200.50"``; never float
orders         integer >= 0 (optional; 0 when the column is absent)
=============  ============================================================================

**enrolments** — one row per worker and voluntary scheme, as :class:`~flexsecure.Enrolment`:
``worker_id``, ``scheme``, ``region``, ``base`` (``floor``, ``ceiling``, ``earnings``,
``grade``, ``declared``; ``floor`` when absent), ``grade`` (a decimal fraction of the average
wage, only with ``grade``), ``declared`` (money, only with ``declared``) and an optional
``month``: empty for every month of the worker, or ``YYYY-MM`` for that month only (a
worker-month with such a row is computed even without engagements). A sequence of
:class:`~flexsecure.Enrolment` instead of a table enrols every worker-month alike.

**platforms** (optional) — premium classes, as :class:`~flexsecure.Platform`:
``platform_id``, ``industry``, ``premium_class``.

Rows are numbered from 0 in the order given (data rows; a file's header is not a row).
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
    encode_together,
    integers,
    minor_units,
)
from flexsecure.facts.engagements import BaseKind, Enrolment
from flexsecure.rules.packs import RulePack
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import minor_unit
from flexsecure.values.periods import Month

__all__ = [
    "ENGAGEMENT_COLUMNS",
    "ENROLMENT_COLUMNS",
    "PLATFORM_COLUMNS",
    "Engagements",
    "Enrolments",
    "Platforms",
    "as_table",
    "read_inputs",
]

ENGAGEMENT_COLUMNS = ("worker_id", "platform_id", "industry", "region", "month", "earnings")
ENROLMENT_COLUMNS = ("worker_id", "scheme", "region")
PLATFORM_COLUMNS = ("platform_id", "industry", "premium_class")
KINDS = tuple(kind.value for kind in BaseKind)
EVERY_MONTH = -1


def as_table(data: Any, name: str) -> pa.Table:
    """A pyarrow Table from a Table, a RecordBatch or a pandas DataFrame."""
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    if type(data).__name__ == "DataFrame" and hasattr(data, "columns"):
        try:
            return pa.Table.from_pandas(data, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as error:
            raise InvalidInput(f"{name}: cannot read the DataFrame: {error}") from None
    raise InvalidInput(f"{name} must be a pyarrow Table or a pandas DataFrame, got {data!r}")


def _need(table: pa.Table, columns: Sequence[str], name: str) -> None:
    missing = [column for column in columns if column not in table.column_names]
    if missing:
        raise InvalidInput(
            f"{name} lacks column(s) {', '.join(missing)}; it has {', '.join(table.column_names)}"
        )


def key_problem(value: str) -> str | None:
    """The rules of an identifier that becomes part of ledger entry ids (``check_key``)."""
    if not value or value != value.strip():
        return "must be a non-empty string without surrounding spaces"
    if "/" in value or "#" in value:
        return "must not contain '/' or '#'"
    return None


@attrs.frozen
class Workers:
    """Worker ids shared by the tables: integer keys, and the labels when ids are text."""

    labels: tuple[str, ...] | None


def _month_index(column: pa.Array | pa.ChunkedArray, name: str) -> tuple[Ints, list[Problem]]:
    kind = column.type
    if pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        days = pc.cast(column, pa.date32()) if not pa.types.is_date32(kind) else column
        years = pc.year(days).to_numpy(zero_copy_only=False)
        months = pc.month(days).to_numpy(zero_copy_only=False)
        valid = (
            days.is_valid().to_numpy(zero_copy_only=False)
            if isinstance(days, pa.Array)
            else pc.is_valid(days).to_numpy(zero_copy_only=False)
        )
        index = np.where(valid, years * 12 + months - 1, EVERY_MONTH).astype(np.int64)
        return index, [] if valid.all() else [Problem(np.flatnonzero(~valid), name, "is missing")]
    codes = encode(column, name)
    lookup = np.empty(len(codes.values), np.int64)
    reasons: dict[int, str] = {}
    for position, text in enumerate(codes.values):
        try:
            lookup[position] = Month.parse(text).index
        except InvalidInput:
            lookup[position] = EVERY_MONTH
            reasons[position] = "must look like '2025-03'"
    index = np.append(lookup, EVERY_MONTH)[codes.codes]  # code -1 (null) → the last entry
    by_text = {codes.values[position]: reason for position, reason in reasons.items()}
    problems = check_values(codes, name, by_text.get)
    return index.astype(np.int64), problems


@attrs.frozen
class Engagements:
    """Engagement rows as arrays: codes into the vocabularies, money in minor units."""

    rows: Ints
    worker: Ints
    month: Ints
    platform: Ints
    industry: Ints
    region: Ints
    earnings: Ints
    orders: Ints


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
    """Premium classes: (platform code, industry index) → class name."""

    classes: dict[tuple[int, int], str]
    platform: Ints
    """Per platforms-table row, its platform code (a bad row refuses that platform's months)."""


@attrs.frozen
class Inputs:
    """Everything a run reads, checked; ``problems`` name each bad row by table."""

    engagements: Engagements
    enrolments: Enrolments
    platforms: Platforms
    workers: Workers
    platform_ids: tuple[str, ...]
    problems: dict[str, list[Problem]]


def _worker_keys(columns: list[pa.ChunkedArray], name: str) -> tuple[list[Ints], Workers]:
    kinds = {str(c.type) for c in columns if not pa.types.is_null(c.type)}
    if kinds and all(pa.types.is_integer(c.type) or pa.types.is_null(c.type) for c in columns):
        return [c.cast(pa.int64()).fill_null(-1).to_numpy() for c in columns], Workers(None)
    text = [c.cast(pa.string()) if pa.types.is_integer(c.type) else c for c in columns]
    parts, values = encode_together(text, name)
    return parts, Workers(values)


def read_inputs(
    pack: RulePack,
    engagements: Any,
    enrolments: Any = None,
    platforms: Any = None,
    *,
    rows: Ints | None = None,
) -> Inputs:
    """Check and encode the three tables against ``pack`` (``rows``: the engagements' row
    numbers, when they are not 0, 1, 2, ...)."""
    scale = -minor_unit(pack.currency).as_tuple().exponent  # type: ignore[operator]
    table = as_table(engagements, "engagements")
    _need(table, ENGAGEMENT_COLUMNS, "engagements")
    problems: dict[str, list[Problem]] = {"engagements": [], "enrolments": [], "platforms": []}
    given = enrolments if enrolments is not None else ()
    is_sequence = isinstance(given, (list, tuple))
    enrolment_table = None if is_sequence else as_table(given, "enrolments")
    if enrolment_table is not None:
        _need(enrolment_table, ENROLMENT_COLUMNS, "enrolments")
    platform_table = None if platforms is None else as_table(platforms, "platforms")
    if platform_table is not None:
        _need(platform_table, PLATFORM_COLUMNS, "platforms")

    id_columns = [table.column("worker_id")]
    if enrolment_table is not None:
        id_columns.append(enrolment_table.column("worker_id"))
    keys, workers = _worker_keys(id_columns, "worker_id")
    if workers.labels is not None:
        problems["engagements"] += _key_checks(keys[0], workers.labels, "worker_id")
        if len(keys) > 1:
            problems["enrolments"] += _key_checks(keys[1], workers.labels, "worker_id")
    else:
        for part, label in zip(keys, ("engagements", "enrolments"), strict=False):
            if (part < 0).any():
                problems[label].append(
                    Problem(np.flatnonzero(part < 0), "worker_id", "is missing or negative")
                )

    platform_parts = [table.column("platform_id")]
    if platform_table is not None:
        platform_parts.append(platform_table.column("platform_id"))
    platform_parts, platform_ids = encode_together(platform_parts, "platform_id")
    engagement_platform = platform_parts[0]
    problems["engagements"] += check_values(
        Codes(engagement_platform, platform_ids), "platform_id", key_problem
    )
    industry = _vocabulary(
        table.column("industry"), pack.industries, "industry", problems["engagements"]
    )
    region = _vocabulary(
        table.column("region"), tuple(pack.regions), "region", problems["engagements"]
    )
    month, more = _month_index(table.column("month"), "month")
    problems["engagements"] += more
    earnings, _, more = minor_units(table.column("earnings"), "earnings", scale)
    problems["engagements"] += more
    if "orders" in table.column_names:
        orders, more = integers(table.column("orders"), "orders")
        problems["engagements"] += more
    else:
        orders = np.zeros(table.num_rows, np.int64)
    if rows is None:
        rows = np.arange(table.num_rows, dtype=np.int64)
    elif len(rows) != table.num_rows:
        raise InvalidInput(f"rows: {len(rows)} row numbers for {table.num_rows} engagements")
    jobs = Engagements(
        rows, keys[0], month, engagement_platform, industry, region, earnings, orders
    )

    if enrolment_table is None:
        members = _enrolments_from_sequence(pack, given, scale)
    else:
        members = _enrolments_from_table(
            pack, enrolment_table, keys[1], scale, problems["enrolments"]
        )
    classes = Platforms({}, np.zeros(0, np.int64))
    if platform_table is not None:
        classes = _platforms(
            pack, platform_table, platform_parts[1], platform_ids, problems["platforms"]
        )
    return Inputs(jobs, members, classes, workers, platform_ids, problems)


def _key_checks(keys: Ints, labels: tuple[str, ...], name: str) -> list[Problem]:
    return check_values(Codes(keys, labels), name, key_problem)


def _vocabulary(
    column: pa.ChunkedArray, allowed: Sequence[str], name: str, problems: list[Problem]
) -> Ints:
    """Codes of ``column`` as positions in ``allowed``; other values are bad rows."""
    codes = encode(column, name)
    position = {value: index for index, value in enumerate(allowed)}
    lookup = np.asarray([position.get(value, -1) for value in codes.values] or [0], np.int64)
    shown = ", ".join(list(allowed)[:6]) + (", ..." if len(allowed) > 6 else "")

    def check(value: str) -> str | None:
        return None if value in position else f"must be one of the pack's {name}s ({shown})"

    problems.extend(check_values(codes, name, check))
    return np.append(lookup[: len(codes.values)], -1)[codes.codes]  # -1 (null) → -1


def _enrolments_from_sequence(pack: RulePack, given: Sequence[Any], scale: int) -> Enrolments:
    schemes = list(pack.schemes)
    regions = list(pack.regions)
    count = len(given)
    arrays: dict[str, list[int]] = {
        k: [] for k in ("scheme", "region", "kind", "grade", "declared")
    }
    grades: list[Decimal] = []
    for index, enrolment in enumerate(given):
        if not isinstance(enrolment, Enrolment):
            raise InvalidInput(f"enrolments[{index}] must be an Enrolment, got {enrolment!r}")
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
    none = np.full(count, -1, np.int64)

    def column(name: str) -> Ints:
        return np.asarray(arrays[name], np.int64)

    return Enrolments(
        np.arange(count, dtype=np.int64),
        none,
        column("scheme"),
        column("region"),
        column("kind"),
        column("grade"),
        tuple(grades),
        column("declared"),
        none.copy(),
        True,
    )


def _enrolments_from_table(
    pack: RulePack, table: pa.Table, worker: Ints, scale: int, problems: list[Problem]
) -> Enrolments:
    count = table.num_rows
    scheme = _vocabulary(table.column("scheme"), tuple(pack.schemes), "scheme", problems)
    region = _vocabulary(table.column("region"), tuple(pack.regions), "region", problems)
    if "base" in table.column_names:
        kind = _vocabulary(table.column("base"), KINDS, "base", problems)
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
            index, more = _month_index(column, "month")
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


def _platforms(
    pack: RulePack,
    table: pa.Table,
    platform: Ints,
    codes_values: tuple[str, ...],
    problems: list[Problem],
) -> Platforms:
    problems.extend(check_values(Codes(platform, codes_values), "platform_id", key_problem))
    industries = encode(table.column("industry"), "industry")
    classes = encode(table.column("premium_class"), "premium_class")
    problems.extend(
        check_values(
            classes,
            "premium_class",
            lambda v: None if v and v == v.strip() else "must be a non-empty name",
        )
    )
    problems.extend(check_values(industries, "industry", lambda v: None))
    position = {name: index for index, name in enumerate(pack.industries)}
    known: dict[tuple[int, int], str] = {}
    seen: dict[tuple[int, int], int] = {}
    twice: list[int] = []
    for row in range(table.num_rows):
        p, i, c = int(platform[row]), int(industries.codes[row]), int(classes.codes[row])
        if p < 0 or i < 0 or c < 0:
            continue
        key = (p, position.get(industries.values[i], -1 - i))
        if key in seen:
            twice.append(row)
            continue
        seen[key] = row
        known[key] = classes.values[c]
    if twice:
        problems.append(
            Problem(
                np.asarray(twice, np.int64),
                "industry",
                "gives a platform's premium class for an industry twice",
            )
        )
    return Platforms(known, platform)
