"""Read CSV and JSON Lines files as (line number, {column: raw value}) pairs."""

from __future__ import annotations

import csv
import json
from collections import deque
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
    if spec.header is not None:  # a headerless file: the mapping names its columns
        first = list(spec.header)
    else:
        with spec.path.open(newline="", encoding="utf-8-sig") as handle:
            first = next(csv.reader(handle, delimiter=spec.delimiter), None)
    if not first:
        raise InputFileError(f"{spec.path}: the first line is empty; a CSV file starts with its header row "
                             "(or give the columns as `header` in a mapping file)")
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


class _Lines:
    """The file's physical lines for csv.reader, numbered, with lines handed back to be read again."""

    def __init__(self, handle):
        self.handle = handle
        self.number = 0  # of the last line read from the file
        self.again: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []  # the lines of the record being read

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self.again:
            entry = self.again.popleft()
        else:
            self.number += 1
            entry = (self.number, next(self.handle))
        self.taken.append(entry)
        return entry[1]

    def read_again(self, lines: list[tuple[int, str]]) -> None:
        self.again.extendleft(reversed(lines))


def _read_csv(spec: FileSpec) -> Iterator[tuple[int, RawRow] | UnreadableRow]:
    with spec.path.open(newline="", encoding="utf-8-sig") as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines, delimiter=spec.delimiter)
        columns = list(spec.header) if spec.header is not None else [c.strip() for c in next(reader, [])]
        width = len(columns)
        while True:
            lines.taken, broken = [], None
            try:
                values = next(reader, None)
            except csv.Error as exc:  # a cell over csv's field size limit, say
                values, broken = [], str(exc)
            if values is None:
                return
            if not values and broken is None:  # a blank line
                continue
            line = lines.taken[0][0]  # where the record starts (a quoted cell may span several lines)
            if broken is not None or (len(values) != width and len(lines.taken) > 1):
                # A quote that never closes swallows the lines after it: reject this line alone, read the rest again.
                lines.read_again(lines.taken[1:])
                reason = (f"cannot be read as CSV ({broken}); the lines after it are read as rows of their own"
                          if broken is not None else "opens a quote that is not closed on its line (the row is "
                          "rejected alone; the lines after it are read as rows of their own)")
                yield UnreadableRow(line, reason,
                                    {"cells": lines.taken[0][1].rstrip("\r\n")[:_TEXT_LIMIT]})
                continue
            if len(values) != width:
                yield UnreadableRow(line, f"has {len(values)} cells but the header has {width} columns"
                                    + (" (given in the mapping)" if spec.header is not None else ""),
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
