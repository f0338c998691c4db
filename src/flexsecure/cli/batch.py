"""``flexsecure batch``: lines or totals of a population file (CSV, JSON Lines, Parquet).

The computing lives in :mod:`flexsecure.batch` (the extra ``flexsecure[batch]``); this module
only reads the command line, loads the jurisdiction and its reforms, and hands over.
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from flexsecure.jurisdiction import load_jurisdiction
from flexsecure.values.errors import InvalidInput

__all__ = ["add_batch_command"]


def add_batch_command(commands: Any) -> None:
    """Add the ``batch`` subcommand to ``commands`` (an argparse subparsers object)."""
    batch = commands.add_parser(
        "batch",
        help="lines or totals of a population file (CSV, JSON Lines, Parquet)",
        description="Compute every contribution line of a file of engagements (one row per "
        "engagement, rows grouped by worker and month) and write the lines or their totals "
        "as Parquet, CSV or JSON Lines. Needs the extra flexsecure[batch].",
    )
    batch.add_argument("input", help="engagements, one row per engagement")
    batch.add_argument(
        "--output",
        dest="batch_output",
        required=True,
        metavar="FILE",
        help="file to write (.parquet, .csv, .jsonl)",
    )
    batch.add_argument("--format", choices=("csv", "jsonl", "parquet"), help="output format")
    batch.add_argument(
        "--aggregate", default="lines", choices=("lines", "worker", "platform-region", "payer")
    )
    batch.add_argument("--enrolments", help="file of enrolments (worker_id, scheme, region, base)")
    batch.add_argument(
        "--enrol",
        action="append",
        metavar="SCHEME:REGION[:BASE]",
        help="enrol every worker, e.g. pension:CN-SH:earnings",
    )
    batch.add_argument("--platforms", help="file of premium classes")
    batch.add_argument("--jurisdiction", default="CN", help="bundled jurisdiction code")
    batch.add_argument("--reform", action="append", help="bundled reform to apply")
    batch.add_argument("--errors", default="raise", choices=("raise", "collect"))
    batch.add_argument("--rejected", help="with --errors collect: file for rejected rows")
    batch.add_argument("--chunk-rows", type=int, default=262_144)
    batch.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    batch.set_defaults(run=_run_batch)


def _run_batch(args: argparse.Namespace, out: TextIO) -> int:
    try:
        from flexsecure.batch.command import run
    except ImportError as error:
        raise InvalidInput(
            "flexsecure batch needs the extra flexsecure[batch] (numpy, pyarrow, numba, "
            f"tqdm): {error}"
        ) from None
    jurisdiction = load_jurisdiction(args.jurisdiction)
    for reform in args.reform or ():
        jurisdiction = jurisdiction.with_reform(reform)
    options = argparse.Namespace(**{**vars(args), "output": args.batch_output})
    status: int = run(options, jurisdiction)
    return status
