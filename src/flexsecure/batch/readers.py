"""Stream input files in chunks, and write results, with memory bounded by the chunk size.

:func:`read_engagements` reads CSV (header row), JSON Lines (one object per line) or Parquet
into pyarrow Tables of about ``chunk_rows`` rows, one at a time: a file of any size is read in
the memory of one chunk. Text columns stay text and money stays exact — CSV money is read as
text and converted exactly by the engine (a bad cell is a rejected row, not a failed file);
JSON money may be a number or a string, read from its digits (never through a float).
:func:`read_table` reads a small whole file (enrolments, platforms). :class:`TableWriter`
writes Parquet, CSV or JSON Lines, chunk by chunk.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.json as pajson
import pyarrow.parquet as pq

from flexsecure.values.errors import InvalidInput

__all__ = ["FORMATS", "TableWriter", "file_format", "read_engagements", "read_table"]

FORMATS = ("csv", "jsonl", "parquet")
_SUFFIXES = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_MONEY = ("earnings", "declared")
_COUNTS = ("orders",)
_BYTES_PER_ROW = 64


def file_format(path: str | Path, given: str | None = None) -> str:
    """The format named, or the one the file's suffix says."""
    if given is not None:
        if given not in FORMATS:
            raise InvalidInput(f"format must be one of {', '.join(FORMATS)}, got {given!r}")
        return given
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InvalidInput(
            f"cannot tell the format of {str(path)!r} from its suffix; name it "
            f"({', '.join(FORMATS)})"
        )
    return _SUFFIXES[suffix]


def _csv_types(path: Path) -> dict[str, pa.DataType]:
    """Every column as text: the engine converts money and counts exactly, row by row."""
    with open(path, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    return {name: pa.string() for name in header}


def read_engagements(
    source: str | Path, *, format: str | None = None, chunk_rows: int = 262_144
) -> Iterator[pa.Table]:
    """Tables of about ``chunk_rows`` engagement rows each, in file order."""
    path = Path(source)
    kind = file_format(path, format)
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise InvalidInput(f"chunk_rows must be a whole number >= 1, got {chunk_rows!r}")
    if not path.is_file():
        raise InvalidInput(f"no such file: {str(path)!r}")
    try:
        for table in _read(path, kind, chunk_rows):
            for start in range(0, table.num_rows, chunk_rows):
                yield table.slice(start, chunk_rows)
    except (pa.ArrowInvalid, OSError) as error:
        raise InvalidInput(f"{path}: cannot read it as {kind}: {error}") from None


def _read(path: Path, kind: str, chunk_rows: int) -> Iterator[pa.Table]:
    block = max(1 << 16, chunk_rows * _BYTES_PER_ROW)
    if kind == "parquet":
        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunk_rows):
            yield pa.Table.from_batches([batch])
    elif kind == "csv":
        reader = pacsv.open_csv(
            path,
            read_options=pacsv.ReadOptions(block_size=block),
            convert_options=pacsv.ConvertOptions(
                column_types=_csv_types(path), strings_can_be_null=True
            ),
        )
        for batch in reader:
            yield pa.Table.from_batches([batch])
    else:
        yield from _jsonl(path, block)


def _jsonl(path: Path, block: int) -> Iterator[pa.Table]:
    """JSON Lines with money read exactly: numbers and strings as decimals."""
    options = pajson.ReadOptions(block_size=block)
    inferred = pajson.open_json(path, read_options=options).schema
    fields = []
    for field in inferred:
        if field.name in _MONEY and not pa.types.is_string(field.type):
            kind = pa.decimal128(38, 9)  # numbers: read from their digits, never a float
        elif field.name in _COUNTS:
            kind = pa.int64()
        else:
            kind = pa.string()
        fields.append(pa.field(field.name, kind))
    parse = pajson.ParseOptions(
        explicit_schema=pa.schema(fields), unexpected_field_behavior="ignore"
    )
    for batch in pajson.open_json(path, read_options=options, parse_options=parse):
        yield pa.Table.from_batches([batch])


def read_table(source: str | Path, *, format: str | None = None) -> pa.Table:
    """A whole (small) file — enrolments or platforms — as one Table."""
    chunks = list(read_engagements(source, format=format))
    if not chunks:
        raise InvalidInput(f"{source}: the file holds no rows")
    return pa.concat_tables(chunks, promote_options="permissive")


def _plain_text(table: pa.Table) -> pa.Table:
    for index, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(
                index, field.name, pc.cast(table.column(index), field.type.value_type)
            )
    return table


class TableWriter:
    """Write Tables one after another to Parquet, CSV or JSON Lines (money exact as text)."""

    def __init__(self, target: str | Path, *, format: str | None = None) -> None:
        self.path = Path(target)
        self.format = file_format(self.path, format)
        self._parquet: pq.ParquetWriter | None = None
        self._csv: pacsv.CSVWriter | None = None
        self._text: IO[str] | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        if self.format == "parquet":
            if self._parquet is None:
                self._parquet = pq.ParquetWriter(self.path, table.schema)
            self._parquet.write_table(table)
        elif self.format == "csv":
            plain = _plain_text(table)
            if self._csv is None:
                self._csv = pacsv.CSVWriter(self.path, plain.schema)
            self._csv.write_table(plain)
        else:
            if self._text is None:
                self._text = open(self.path, "w", encoding="utf-8")  # noqa: SIM115
            for row in table.to_pylist():
                self._text.write(json.dumps(row, default=_json_value, ensure_ascii=False) + "\n")
        self.rows += table.num_rows

    def close(self) -> None:
        for writer in (self._parquet, self._csv, self._text):
            if writer is not None:
                writer.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _json_value(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot write {value!r} as JSON")
