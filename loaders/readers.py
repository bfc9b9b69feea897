"""Read CSV and JSON Lines files as (line number, {column: raw value}) pairs."""

from __future__ import annotations

import csv
import json
from typing import Any, Iterator

from graph_service.errors import InputFileError
from loaders.file_spec import FileSpec

RawRow = dict[str, Any]


class UnreadableRow(Exception):
    """A line that is not a record at all (broken JSON); reported as a rejected row."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line = line
        self.reason = reason


def header(spec: FileSpec) -> list[str] | None:
    """The CSV header (None for JSON Lines, whose rows name their own fields)."""
    if spec.format != "csv":
        return None
    with spec.path.open(newline="", encoding="utf-8-sig") as handle:
        first = next(csv.reader(handle, delimiter=spec.delimiter), None)
    if not first:
        raise InputFileError(f"{spec.path}: the file is empty; a CSV file needs a header row")
    return [c.strip() for c in first]


def read_rows(spec: FileSpec) -> Iterator[tuple[int, RawRow] | UnreadableRow]:
    if not spec.path.is_file():
        raise InputFileError(f"{spec.path}: no such file")
    if spec.format == "csv":
        yield from _read_csv(spec)
    elif spec.format == "jsonl":
        yield from _read_jsonl(spec)
    else:
        raise InputFileError(f"{spec.path}: unknown format {spec.format!r} (csv or jsonl)")


def _read_csv(spec: FileSpec) -> Iterator[tuple[int, RawRow] | UnreadableRow]:
    with spec.path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=spec.delimiter)
        columns = [c.strip() for c in next(reader, [])]
        width = len(columns)
        for values in reader:
            line = reader.line_num
            if not values:
                continue
            if len(values) != width:
                yield UnreadableRow(line, f"has {len(values)} cells but the header has {width} columns")
                continue
            # An empty cell is a missing value, not an empty string.
            yield line, {c: v for c, v in zip(columns, values) if v != ""}


def _read_jsonl(spec: FileSpec) -> Iterator[tuple[int, RawRow] | UnreadableRow]:
    with spec.path.open(encoding="utf-8") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                yield UnreadableRow(line, f"is not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(row, dict):
                yield UnreadableRow(line, "is not a JSON object")
                continue
            yield line, {k: v for k, v in row.items() if v is not None and v != ""}
