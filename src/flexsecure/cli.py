"""The ``flexsecure`` command: the demo, and statements for worker-month records.

``flexsecure demo`` prints the statement of a sample Shanghai rider for 2025-09 in Simplified
Chinese and English, beside the same month under the ``platform_cofunding`` scenario.
``flexsecure statement FILE`` reads a ``flexsecure.month/1`` record and prints its statement
(``--json`` for the ``flexsecure.statement/1`` record, ``--explain`` for the reasons).
``flexsecure batch FILE --output OUT`` computes a population file (extra ``flexsecure[batch]``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources
from typing import Any

from flexsecure.calculations.statements import ContributionStatement
from flexsecure.i18n.formatting import LOCALES
from flexsecure.i18n.statements import render_comparison, render_statement
from flexsecure.jurisdiction import load_jurisdiction
from flexsecure.records.months import month_from_record, statement_to_record
from flexsecure.values.errors import FlexsecureError, InvalidInput

__all__ = ["main"]

SAMPLE = "shanghai_rider_2025_09.json"


def _statement(record_data: dict[str, Any], reform: str | None) -> ContributionStatement:
    code = record_data.get("jurisdiction") if isinstance(record_data, dict) else None
    if not isinstance(code, str):
        raise InvalidInput(f"$.jurisdiction must be a jurisdiction code such as 'CN', got {code!r}")
    jurisdiction = load_jurisdiction(code)
    record = month_from_record(record_data, jurisdiction.currency)
    if reform:
        jurisdiction = jurisdiction.with_reform(reform)
    return jurisdiction.monthly_contributions(
        record.worker,
        record.engagements,
        record.month,
        enrolments=record.enrolments,
        platforms=record.platforms,
    )


def _demo(locales: Sequence[str]) -> None:
    data = json.loads(
        resources.files("flexsecure.jurisdictions.cn")
        .joinpath("samples")
        .joinpath(SAMPLE)
        .read_text("utf-8")
    )
    current = _statement(data, None)
    reformed = _statement(data, "platform_cofunding")
    for locale in locales:
        print(render_statement(current, locale))
        print()
        print(render_comparison(current, reformed, locale))
        print()
    print(current.lines[0].explanation.render("en"))


def _batch_arguments(commands: Any) -> None:
    batch = commands.add_parser("batch", help="lines or totals of a population file "
                                "(CSV, JSON Lines, Parquet)")  # fmt: skip
    batch.add_argument("input", help="engagements, one row per engagement")
    batch.add_argument("--output", required=True, help="file to write (.parquet, .csv, .jsonl)")
    batch.add_argument("--format", choices=("csv", "jsonl", "parquet"), help="output format")
    batch.add_argument("--aggregate", default="lines",
                       choices=("lines", "worker", "platform-region", "payer"))  # fmt: skip
    batch.add_argument("--enrolments", help="file of enrolments (worker_id, scheme, region, base)")
    batch.add_argument("--enrol", action="append", metavar="SCHEME:REGION[:BASE]",
                       help="enrol every worker, e.g. pension:CN-SH:earnings")  # fmt: skip
    batch.add_argument("--platforms", help="file of premium classes")
    batch.add_argument("--jurisdiction", default="CN")
    batch.add_argument("--reform", action="append", help="bundled reform to apply")
    batch.add_argument("--errors", default="raise", choices=("raise", "collect"))
    batch.add_argument("--rejected", help="with --errors collect: file for rejected rows")
    batch.add_argument("--chunk-rows", type=int, default=262_144)
    batch.add_argument("--quiet", action="store_true", help="no progress bar or summary")


def _batch(args: argparse.Namespace) -> int:
    try:
        from flexsecure.batch.command import run
    except ImportError as error:
        print(f"flexsecure: {error}", file=sys.stderr)
        return 2
    jurisdiction = load_jurisdiction(args.jurisdiction)
    for reform in args.reform or ():
        jurisdiction = jurisdiction.with_reform(reform)
    return run(args, jurisdiction)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="flexsecure", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="statement of a sample rider, zh_CN and en")
    demo.add_argument("--locale", action="append", choices=LOCALES)
    statement = commands.add_parser("statement", help="statement of a flexsecure.month/1 file")
    statement.add_argument("file")
    statement.add_argument("--reform", help="name of a bundled reform to apply")
    statement.add_argument("--locale", default="en", choices=LOCALES)
    statement.add_argument("--json", action="store_true", help="print the JSON record")
    statement.add_argument("--explain", action="store_true", help="print the explanation")
    _batch_arguments(commands)
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            _demo(args.locale or list(reversed(LOCALES)))
            return 0
        if args.command == "batch":
            return _batch(args)
        with open(args.file, encoding="utf-8") as handle:
            result = _statement(json.load(handle), args.reform)
        if args.json:
            print(json.dumps(statement_to_record(result), ensure_ascii=False, indent=2))
        elif args.explain:
            print(result.explain().render(args.locale))
        else:
            print(render_statement(result, args.locale))
    except (FlexsecureError, OSError, json.JSONDecodeError) as error:
        print(f"flexsecure: {error}", file=sys.stderr)
        return 2
    return 0
