"""The ``flexsecure`` command: the demo, and statements for worker-month records.

``flexsecure demo`` prints the statement of a sample Shanghai rider for 2025-09 in Simplified
Chinese and English, beside the same month under the ``platform_cofunding`` scenario.
``flexsecure statement FILE`` reads a ``flexsecure.month/1`` record and prints its statement
(``--json`` for the ``flexsecure.statement/1`` record, ``--explain`` for the reasons). The
rules are the bundled jurisdiction the record names, or the pack folder given with
``--pack PATH`` (the record must then name that pack's code); a record never names a folder.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from flexsecure.calculations.statements import ContributionStatement
from flexsecure.i18n.formatting import LOCALES
from flexsecure.i18n.statements import render_comparison, render_statement
from flexsecure.jurisdiction import Jurisdiction, load_jurisdiction
from flexsecure.records.codec import MAX_BYTES, loads
from flexsecure.records.jurisdictions import record_jurisdiction
from flexsecure.records.months import month_from_record, statement_to_record
from flexsecure.values.errors import FlexsecureError

__all__ = ["main"]

SAMPLE = "shanghai_rider_2025_09.json"


def _statement(
    record_data: Any, reform: str | None, pack: Jurisdiction | None = None
) -> ContributionStatement:
    # the record names a bundled jurisdiction, or the one of the explicit --pack: it never
    # chooses a folder to load rules from
    code = record_data.get("jurisdiction") if isinstance(record_data, dict) else None
    jurisdiction = record_jurisdiction(code, "$.jurisdiction", pack=pack)
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="flexsecure", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="statement of a sample rider, zh_CN and en")
    demo.add_argument("--locale", action="append", choices=LOCALES)
    statement = commands.add_parser("statement", help="statement of a flexsecure.month/1 file")
    statement.add_argument("file")
    statement.add_argument("--reform", help="name of a bundled reform to apply")
    statement.add_argument(
        "--pack", metavar="PATH", help="rule pack folder to use instead of the bundled one"
    )
    statement.add_argument("--locale", default="en", choices=LOCALES)
    statement.add_argument("--json", action="store_true", help="print the JSON record")
    statement.add_argument("--explain", action="store_true", help="print the explanation")
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            _demo(args.locale or list(reversed(LOCALES)))
            return 0
        pack = load_jurisdiction(Path(args.pack)) if args.pack else None
        with open(args.file, "rb") as handle:
            text = handle.read(MAX_BYTES + 1)
        result = _statement(loads(text), args.reform, pack)
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
