"""A fast path for rows in plain canonical form; marshmallow stays the validator of record.

`compile_fast_path` returns a function that converts a row only when every value is in a form
marshmallow certainly accepts and converts the same way (digits for an int, an ISO date, a choice
of an enum, ...), and returns None otherwise, so the marshmallow schema decides and words the
error. tests/unit/test_fast_rows.py checks on many generated rows that whatever the fast path
accepts, marshmallow accepts with an identical result.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any, Callable

from graph_service.core.graph_model import MAX_TEXT_LENGTH, PropertySpec
from loaders.row_schemas import EPOCH_SECONDS, epoch_date

# ASCII digits only: Python's \d also matches other scripts' digits, which marshmallow refuses.
_INT = re.compile(r"-?[0-9]{1,15}\Z")
_DECIMAL = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?\Z")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")

Converter = Callable[[Any], Any]  # raises ValueError when unsure


def _number(kind: str, spec: PropertySpec) -> Converter:
    pattern, make = (_INT, int) if kind == "int" else (_DECIMAL, float)
    low, high = spec.min, spec.max

    def convert(value: Any) -> Any:
        if type(value) is str and pattern.match(value):
            number = make(value)
        elif (type(value) is int and abs(value) < 10**15) or (
                type(value) is float and kind == "float" and math.isfinite(value)):
            number = make(value)
        else:
            raise ValueError
        if (low is not None and number < low) or (high is not None and number > high):
            raise ValueError
        return number

    return convert


def _date(date_format: str | None) -> Converter:
    if date_format == EPOCH_SECONDS:
        return epoch_date
    if date_format:
        return lambda value: datetime.strptime(value, date_format).date() if type(value) is str else _refuse()

    def convert(value: Any) -> date:
        match = _ISO_DATE.match(value) if type(value) is str else None
        if match is None:
            raise ValueError
        return date(int(match[1]), int(match[2]), int(match[3]))

    return convert


def _choice(choices: tuple[str, ...]) -> Converter:
    allowed = frozenset(choices)
    return lambda value: value if type(value) is str and value in allowed else _refuse()


def _text(value: Any) -> str:
    if type(value) is not str or len(value) > MAX_TEXT_LENGTH:
        raise ValueError
    return value


def _key(value: Any) -> str:
    if type(value) is not str or not 1 <= len(value) <= 200:
        raise ValueError
    return value


def _refuse() -> Any:
    raise ValueError


# The plainest spellings of marshmallow's Boolean (it takes more, such as "on"; those go to it).
_TRUE, _FALSE = frozenset({"true", "True", "1"}), frozenset({"false", "False", "0"})


def _bool(value: Any) -> bool:
    if type(value) is bool:
        return value
    if type(value) is str and value in _TRUE:
        return True
    if type(value) is str and value in _FALSE:
        return False
    raise ValueError


def converter(spec: PropertySpec, date_format: str | None) -> Converter | None:
    if spec.kind in ("int", "float"):
        return _number(spec.kind, spec)
    if spec.kind == "date":
        return _date(date_format)
    if spec.kind == "enum":
        return _choice(spec.choices)
    if spec.kind == "string":
        return _text
    if spec.kind == "bool":
        return _bool
    return None


def compile_fast_path(
    keys: tuple[str, ...], properties: tuple[PropertySpec, ...], date_format: str | None,
    end_labels: dict[str, tuple[str, ...]],
) -> Callable[[dict[str, Any]], dict[str, Any] | None]:
    """keys: required string keys; end_labels: a relationship's from_label/to_label and the labels
    allowed there (with one label the field is optional and defaults to it)."""
    converters: dict[str, Converter] = {k: _key for k in keys}
    required = set(keys)
    fixed = {name: labels[0] for name, labels in end_labels.items() if len(labels) == 1}
    for name, labels in end_labels.items():
        converters[name] = _choice(labels)
        if len(labels) > 1:
            required.add(name)
    for spec in properties:
        convert = converter(spec, date_format)
        if convert is None:
            return lambda row: None
        converters[spec.name] = convert
        if spec.required:
            required.add(spec.name)

    def fast(row: dict[str, Any]) -> dict[str, Any] | None:
        if not required.issubset(row):
            return None
        try:
            out = {name: converters[name](value) for name, value in row.items()}
        except (KeyError, ValueError, TypeError, OverflowError):
            return None
        for name, value in fixed.items():
            out.setdefault(name, value)
        return out

    return fast
