"""Rows out of the command line: aligned text tables for people, JSON and CSV for programs.

Tables align by display width, so Chinese region names (two columns per character) line up
with the English ones.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

__all__ = ["FORMATS", "display_width", "write_rows"]

FORMATS = ("table", "json", "csv")


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def write_rows(
    out: TextIO, format_: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Write ``rows`` (each a mapping of ``columns``) as a table, a JSON list or CSV."""
    if format_ == "json":
        out.write(json.dumps([dict(row) for row in rows], ensure_ascii=False, indent=2) + "\n")
        return
    if format_ == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(row.get(column)) for column in columns])
        return
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [
        max([display_width(column), *(display_width(line[i]) for line in cells)])
        for i, column in enumerate(columns)
    ]

    def line(values: Sequence[str]) -> str:
        padded = (v + " " * (w - display_width(v)) for v, w in zip(values, widths, strict=True))
        return "  ".join(padded).rstrip()

    out.write(line(columns) + "\n")
    out.write(line(["-" * w for w in widths]) + "\n")
    for values in cells:
        out.write(line(values) + "\n")
