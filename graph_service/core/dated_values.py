"""Property values that held from a date: a firm's revenue as of each year's statement.

A node file whose mapping names an `as_of` date field (README.md, "Mapping files") stores each
value under `name@YYYY-MM-DD`, so every dated value is kept and loading the same row twice changes
nothing. A snapshot folds them back: `name` is the value in force at the latest date, and
`value_at(as_of)` the value in force on a date. A value loaded without a date counts at every date
(like a tie without one) wherever no dated value is in force; before a node's first dated value,
that undated value or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

DATED_KEY = re.compile(r"^(?P<name>.+)@(?P<day>\d{4}-\d{2}-\d{2})$")


def dated_key(name: str, day: date) -> str:
    """The stored key of a value of `name` that held from `day`."""
    return f"{name}@{day.isoformat()}"


@dataclass(frozen=True)
class DatedValues:
    """One property's values over time for every node of a table."""

    undated: list[Any]  # (n,) the value loaded without a date, None where none
    days: np.ndarray  # (k,) datetime64[D], ascending
    columns: tuple[list[Any], ...]  # k columns of n values: the value from that day, None where none

    def value_at(self, as_of: np.datetime64 | None) -> list[Any]:
        """(n,) the value in force on as_of (None: the latest)."""
        values = list(self.undated)
        for day, column in zip(self.days, self.columns):
            if as_of is not None and day > as_of:
                break
            for i, value in enumerate(column):
                if value is not None:
                    values[i] = value
        return values


def fold_dated(properties: dict[str, list[Any]], size: int) -> tuple[dict[str, list[Any]], dict[str, DatedValues]]:
    """Properties with the `name@day` columns folded into `name` (its latest value), and each
    dated property's values over time ({} and the properties themselves where none is dated)."""
    by_name: dict[str, dict[np.datetime64, list[Any]]] = {}
    for key, values in properties.items():
        match = DATED_KEY.match(key)
        if match:
            by_name.setdefault(match["name"], {})[np.datetime64(match["day"], "D")] = values
    if not by_name:
        return properties, {}
    plain = {key: values for key, values in properties.items() if not DATED_KEY.match(key)}
    dated = {}
    for name, columns in by_name.items():
        days = sorted(columns)
        dated[name] = DatedValues(plain.get(name, [None] * size), np.array(days, dtype="datetime64[D]"),
                                  tuple(columns[d] for d in days))
        plain[name] = dated[name].value_at(None)
    return plain, dated
