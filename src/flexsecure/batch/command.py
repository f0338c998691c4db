"""``flexsecure batch``: a population file in, contribution lines or totals out.

Reads engagements from CSV, JSON Lines or Parquet in chunks (bounded memory), computes them
with :func:`~flexsecure.batch.stream_contributions` and writes lines, per-worker totals, or
totals per platform and region or per payer, as Parquet, CSV or JSON Lines. A progress bar
goes to standard error when it is a terminal (``--quiet`` turns it off).
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import Any

import pyarrow.parquet as pq
from tqdm import tqdm

from flexsecure.batch.engine import HasRules
from flexsecure.batch.readers import TableWriter, file_format, read_engagements, read_table
from flexsecure.batch.stream import Totals, stream_contributions
from flexsecure.facts.engagements import BaseChoice, Enrolment
from flexsecure.values.errors import InvalidInput
from flexsecure.values.money import Money

__all__ = ["AGGREGATES", "enrolment_option", "run"]

AGGREGATES = ("lines", "worker", "platform-region", "payer")


def enrolment_option(text: str, currency: str) -> Enrolment:
    """``SCHEME:REGION[:BASE]`` — BASE is floor, ceiling, earnings, grade=0.6 or declared=8000."""
    parts = text.split(":")
    if len(parts) not in (2, 3):
        raise InvalidInput(f"--enrol must look like pension:CN-SH[:floor], got {text!r}")
    base = BaseChoice.FLOOR
    if len(parts) == 3:
        kind, _, value = parts[2].partition("=")
        if kind == "grade":
            base = BaseChoice.grade(value)
        elif kind == "declared":
            try:
                base = BaseChoice.declared(Money(Decimal(value), currency))
            except ArithmeticError:
                raise InvalidInput(
                    f"--enrol: declared base must be a number, got {value!r}"
                ) from None
        else:
            base = BaseChoice(kind)
    return Enrolment(scheme=parts[0], region=parts[1], base=base)


def _total_rows(path: str) -> int | None:
    return pq.ParquetFile(path).metadata.num_rows if file_format(path) == "parquet" else None


def run(args: argparse.Namespace, jurisdiction: HasRules) -> int:
    """Carry out ``flexsecure batch`` with the parsed ``args`` on ``jurisdiction`` (loaded,
    reforms applied, by the command line); returns the exit status."""
    enrolments: Any = [enrolment_option(e, jurisdiction.pack.currency) for e in args.enrol or ()]
    if args.enrolments:
        if enrolments:
            raise InvalidInput("give --enrolments FILE or --enrol options, not both")
        enrolments = read_table(args.enrolments)
    platforms = read_table(args.platforms) if args.platforms else None
    if args.rejected and args.errors != "collect":
        raise InvalidInput("--rejected needs --errors collect")
    chunks = read_engagements(args.input, chunk_rows=args.chunk_rows)
    quiet = args.quiet or not sys.stderr.isatty()
    totals = Totals()
    progress = tqdm(
        total=_total_rows(args.input),
        unit=" rows",
        disable=quiet,
        file=sys.stderr,
        desc="flexsecure batch",
    )
    results = stream_contributions(
        jurisdiction, chunks, enrolments=enrolments, platforms=platforms, errors=args.errors
    )
    with TableWriter(args.output, format=args.format) as writer, progress:
        for result in results:
            if args.aggregate == "lines":
                writer.write(result.lines)
            elif args.aggregate == "worker":
                writer.write(result.by_worker())
            totals.add(result)
            progress.update(len(result.months.inputs.engagements.rows))
        if args.aggregate == "platform-region":
            writer.write(totals.by_platform_region())
        elif args.aggregate == "payer":
            writer.write(totals.by_payer())
    rejected = sum(table.num_rows for table in totals.rejected)
    if args.rejected:
        with TableWriter(args.rejected) as writer:
            for table in totals.rejected:
                writer.write(table)
    if not args.quiet:
        print(
            f"flexsecure batch: {totals.worker_months:,} worker-months, {totals.lines:,} lines"
            f"{f', {rejected:,} rejected rows' if rejected else ''} -> {args.output}",
            file=sys.stderr,
        )
    return 0
