"""Read CSV and JSON Lines files as (line number, {column: raw value}) pairs."""

from __future__ import annotations

import csv
import json
from typing import Any, Iterator

from graph_service.core.errors import InputFileError
from loaders.file_spec import FileSpec

RawRow = dict[str, Any]
_TEXT_LIMIT = 2000  # of a broken line kept for the reject file


class UnreadableRow(Exception):
    """A line that is not a record at all (broken JSON, a ragged CSV row): a rejected row."""

    def __init__(self, line: int, reason: str, raw: dict[str, Any]):
        super().__init__(reason)
        self.line = line
        self.reason = reason
        self.raw = raw


def header(spec: FileSpec) -> list[str] | None:
    """The CSV header (None for JSON Lines, whose rows name their own fields)."""
    if not spec.path.is_file():
        raise InputFileError(f"{spec.path}: no such file")
    if spec.format != "csv":
        return None
    with spec.path.open(newline="", encoding="utf-8-sig") as handle:
        first = next(csv.reader(handle, delimiter=spec.delimiter), None)
    if not first:
        raise InputFileError(f"{spec.path}: the first line is empty; a CSV file starts with its header row")
    columns = [c.strip() for c in first]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise InputFileError(f"{spec.path}: the header names {', '.join(repeated)} more than once")
    return columns


def check_encoding(spec: FileSpec) -> None:
    """Refuse a file that is not UTF-8 before anything from it is written."""
    line = 1
    with spec.path.open("rb") as handle:
        for line, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputFileError(f"{spec.path}: line {line} is not UTF-8 ({exc.reason} at byte {exc.start})") from exc


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
        while True:
            line = reader.line_num + 1  # where the record starts (it may span several lines)
            values = next(reader, None)
            if values is None:
                return
            if not values:
                continue
            if len(values) != width:
                yield UnreadableRow(line, f"has {len(values)} cells but the header has {width} columns",
                                    {"cells": spec.delimiter.join(values)[:_TEXT_LIMIT]})
                continue
            # An empty cell is a missing value, not an empty string.
            yield line, {c: v for c, v in zip(columns, values) if v != ""}


def _read_jsonl(spec: FileSpec) -> Iterator[tuple[int, RawRow] | UnreadableRow]:
    with spec.path.open(encoding="utf-8-sig") as handle:
        for line, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                row = json.loads(text)
            except json.JSONDecodeError as exc:
                yield UnreadableRow(line, f"is not valid JSON ({exc.msg} at column {exc.colno})",
                                    {"text": text.rstrip("\n")[:_TEXT_LIMIT]})
                continue
            except ValueError as exc:  # e.g. an integer with thousands of digits
                yield UnreadableRow(line, f"is not valid JSON ({exc})", {"text": text.rstrip("\n")[:_TEXT_LIMIT]})
                continue
            if not isinstance(row, dict):
                yield UnreadableRow(line, "is not a JSON object", {"text": text.rstrip("\n")[:_TEXT_LIMIT]})
                continue
            # null and "" are missing values, as an empty CSV cell is.
            yield line, {k: v for k, v in row.items() if v is not None and v != ""}
