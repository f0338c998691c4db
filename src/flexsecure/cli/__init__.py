"""The ``flexsecure`` command: the demo, statements of month records, and rule-pack tools.

Conventions, as users of Unix tools expect them:

* ``flexsecure --version``; ``flexsecure COMMAND --help`` for each command;
* ``-`` reads a record from standard input, ``--output -`` (the default) writes to standard
  output;
* ``--format table|json|csv`` chooses between text for people and data for programs;
* ``--locale`` takes a BCP 47 tag or a POSIX name (``zh-CN``, ``zh_CN``, ``zh-Hans-CN``,
  ``en-US``) and defaults to ``LC_ALL``/``LC_MESSAGES``/``LANG``; Traditional Chinese is shown
  in English until it has texts of its own (:mod:`flexsecure.i18n.locales`);
* exit status 0 when all went well, 1 when the data or the rules are wrong (a bad record, a
  pack with problems), 2 when the command line is (an unknown option, a file that cannot be
  opened); never a traceback;
* a closed pipe (``flexsecure pack show CN | head``) ends the output quietly.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from flexsecure import __version__
from flexsecure.calculations.statements import ContributionStatement
from flexsecure.cli.batch import add_batch_command
from flexsecure.cli.output import FORMATS, write_rows
from flexsecure.cli.packs import pack_check, pack_show
from flexsecure.i18n.catalogs import CORE
from flexsecure.i18n.locales import from_environment, negotiate
from flexsecure.i18n.statements import render_comparison, render_statement
from flexsecure.jurisdiction import Jurisdiction, load_jurisdiction
from flexsecure.records.codec import MAX_BYTES, loads
from flexsecure.records.jurisdictions import record_jurisdiction
from flexsecure.records.months import month_from_record, statement_to_record
from flexsecure.values.errors import FlexsecureError

__all__ = ["OK", "PROBLEM", "USAGE", "build_parser", "main"]

OK, PROBLEM, USAGE = 0, 1, 2
"""Exit statuses: all well; the data or the rules are wrong; the command line is wrong."""

SAMPLE = "shanghai_rider_2025_09.json"


class UsageError(Exception):
    """The command line asks for something that cannot be done (exit status 2)."""


def _locale(value: str) -> str:
    try:
        return negotiate(value, CORE.locales())
    except FlexsecureError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def build_parser() -> argparse.ArgumentParser:
    """The parser of the ``flexsecure`` command (also rendered in the CLI reference)."""
    parser = argparse.ArgumentParser(
        prog="flexsecure",
        description="Portable social insurance for platform workers: statements of month "
        "records and the tools to check and read rule packs.",
        epilog="Exit status: 0 ok, 1 the data or the rules are wrong, 2 the command line is.",
    )
    parser.add_argument("--version", action="version", version=f"flexsecure {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    locale = argparse.ArgumentParser(add_help=False)
    locale.add_argument(
        "--locale",
        type=_locale,
        help="language of the text: a BCP 47 tag or POSIX name such as zh-CN, zh_Hans_CN, "
        "en-US (default: from LC_ALL, LC_MESSAGES or LANG)",
    )
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="table for people (default), json or csv for programs",
    )
    output.add_argument(
        "-o", "--output", default="-", metavar="FILE", help="where to write (default: -, stdout)"
    )

    demo = commands.add_parser(
        "demo",
        parents=[locale],
        help="print a sample Shanghai rider's month, in Chinese and English",
        description="Print the statement of a sample Shanghai rider for 2025-09 beside the "
        "same month under the platform_cofunding scenario, in each locale asked for "
        "(default: zh-CN, then en).",
    )
    demo.set_defaults(run=_run_demo)

    statement = commands.add_parser(
        "statement",
        parents=[locale, output],
        help="compute the statement of a flexsecure.month/1 record",
        description="Read a flexsecure.month/1 record and print the month's contribution "
        "statement: a table, the flexsecure.statement/1 JSON record, or CSV lines.",
    )
    statement.add_argument("file", metavar="FILE", help="the record; - reads standard input")
    statement.add_argument("--reform", metavar="NAME", help="apply a reform bundled with the pack")
    statement.add_argument(
        "--pack",
        metavar="PATH",
        help="rule pack folder to use instead of the bundled one (the record must name its code)",
    )
    statement.add_argument(
        "--explain", action="store_true", help="print why each amount is what it is"
    )
    statement.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # old spelling
    statement.set_defaults(run=_run_statement)

    pack = commands.add_parser(
        "pack",
        help="check a rule pack, or show its parameters",
        description="Tools for rule packs: check a vendor's pack or overlay, show the dated "
        "values of a parameter with their sources.",
    )
    pack_commands = pack.add_subparsers(dest="pack_command", required=True, metavar="ACTION")
    check = pack_commands.add_parser(
        "check",
        parents=[output],
        help="list every problem of a pack or an overlay",
        description="Validate the pack or overlay in PATH and list every problem with its file "
        "and key. Exit status 1 when there is any.",
    )
    check.add_argument("path", metavar="PATH", help="folder holding jurisdiction.toml")
    check.set_defaults(run=_run_pack_check)
    show = pack_commands.add_parser(
        "show",
        parents=[locale, output],
        help="show a pack's parameters, or one parameter's dated values",
        description="Without PARAMETER, list the parameters of the pack with their units; with "
        "it, every dated value of that parameter per region, with its source, evidence and "
        "verified flag.",
    )
    show.add_argument("pack", metavar="CODE", help="a bundled code such as CN, or a pack folder")
    show.add_argument("parameter", metavar="PARAMETER", nargs="?", help="e.g. pension.base_floor")
    show.add_argument("--region", help="only this region (and the national series)")
    show.set_defaults(run=_run_pack_show)
    add_batch_command(commands)
    return parser


# -- commands -------------------------------------------------------------------------------


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


def _run_demo(args: argparse.Namespace, out: TextIO) -> int:
    data = json.loads(
        resources.files("flexsecure.jurisdictions.cn")
        .joinpath("samples")
        .joinpath(SAMPLE)
        .read_text("utf-8")
    )
    current = _statement(data, None)
    reformed = _statement(data, "platform_cofunding")
    for locale in [args.locale] if args.locale else ["zh_CN", "en"]:
        print(render_statement(current, locale), file=out)
        print(file=out)
        print(render_comparison(current, reformed, locale), file=out)
        print(file=out)
    print(current.lines[0].explanation.render(args.locale or "en"), file=out)
    return OK


def _read_json(name: str) -> dict[str, Any]:
    """A record from a file or standard input, read by the strict record codec (exact
    numbers, size, depth and duplicate-key limits)."""
    try:
        if name == "-":
            stream = getattr(sys.stdin, "buffer", None)  # text-only when replaced in tests
            raw = stream.read(MAX_BYTES + 1) if stream else sys.stdin.read(MAX_BYTES + 1)
        else:
            with open(name, "rb") as handle:
                raw = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"cannot read {name}: {error.strerror or error}") from None
    data = loads(raw)
    if not isinstance(data, dict):
        raise _DataError(f"{name}: a record is a JSON object, got {type(data).__name__}")
    return data


class _DataError(Exception):
    """Input that is not a record at all (not JSON): exit status 1, like a FlexsecureError."""


def _run_statement(args: argparse.Namespace, out: TextIO) -> int:
    pack = load_jurisdiction(Path(args.pack)) if args.pack else None
    result = _statement(_read_json(args.file), args.reform, pack)
    format_ = "json" if args.json else args.format
    if format_ == "json":
        print(json.dumps(statement_to_record(result), ensure_ascii=False, indent=2), file=out)
    elif args.explain:
        print(result.explain().render(args.locale), file=out)
    elif format_ == "csv":
        record = statement_to_record(result)
        columns = ("scheme", "payer", "platform_id", "region", "base", "orders", "rate", "amount")
        rows = [{c: line[c] for c in columns} for line in record["lines"]]
        write_rows(
            out, "csv", [*columns, "currency"], [{**r, "currency": result.currency} for r in rows]
        )
    else:
        print(render_statement(result, args.locale), file=out)
    return OK


def _run_pack_check(args: argparse.Namespace, out: TextIO) -> int:
    return OK if pack_check(args.path, args.format, out) else PROBLEM


def _run_pack_show(args: argparse.Namespace, out: TextIO) -> int:
    pack_show(args.pack, args.parameter, args.region, args.locale, args.format, out)
    return OK


# -- the entry point ----------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version (0) and usage errors (2)
        return int(exit_.code or 0)
    if getattr(args, "locale", None) is None and args.command != "demo":  # demo: both
        args.locale = from_environment(os.environ, CORE.locales())
    try:
        return _with_output(args)
    except UsageError as error:
        print(f"flexsecure: {error}", file=sys.stderr)
        return USAGE
    except (FlexsecureError, _DataError) as error:
        print(f"flexsecure: {error}", file=sys.stderr)
        return PROBLEM
    except BrokenPipeError:
        _silence_stdout()
        return OK
    except KeyboardInterrupt:
        return 130


def _with_output(args: argparse.Namespace) -> int:
    target = getattr(args, "output", "-")
    if target == "-":
        status: int = args.run(args, sys.stdout)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler of main
        return status
    buffer = io.StringIO()  # written only when the command succeeded: never half a file
    status = args.run(args, buffer)
    try:
        with open(target, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
    except OSError as error:
        raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
    return status


def _silence_stdout() -> None:
    """After the reader of our pipe went away, send what is left to /dev/null so the
    interpreter's own flush at exit does not complain."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (captured in tests)
        pass
    finally:
        os.close(devnull)
