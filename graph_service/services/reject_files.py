"""Rows written back to people as CSV (rejected rows, batch results), safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from loaders.validation import Rejection


def write_rejects(path: Path, rejections: list[Rejection]) -> Path | None:
    """The rejected rows as they came, with line, field and reason first; None if there are none."""
    path.unlink(missing_ok=True)
    if not rejections:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(dict.fromkeys(c for r in rejections for c in r.raw))
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["line", "field", "reason", *columns])
        for r in rejections:
            out.writerow([r.line, "; ".join(f for f, _ in r.errors), "; ".join(m for _, m in r.errors),
                          *(spreadsheet_safe(r.raw.get(c, "")) for c in columns)])
    return path


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet would run as a formula, quoted with a leading apostrophe (OWASP's advice
    for CSV injection); a plain number such as -1500 is left as it came."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value
