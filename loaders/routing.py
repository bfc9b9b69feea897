"""One file, several types: each row goes to the type its routing column names, read once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from graph_service.core.graph_model import GraphModel
from loaders.file_spec import FileSpec
from loaders.validation import RowValidator


class RoutedValidator:
    """Routes each row to the validator of its type (by `spec.route_column`), or away (None)."""

    def __init__(self, model: GraphModel, spec: FileSpec, header: list[str] | None):
        self.spec = spec
        by_type = {name: RowValidator(model, replace(spec, type_name=name, routes={}, route_column=None), header)
                   for name in spec.type_names}
        self._by_value = {value: by_type[name] for value, name in spec.routes.items()}
        used = {column for v in by_type.values() for column in v.fields_of} | {spec.route_column}
        self.ignored_columns = [c for c in (header or []) if c not in used]

    def route(self, raw: dict[str, Any]) -> RowValidator | None:
        if not self.spec.keeps(raw):
            return None
        value = raw.get(self.spec.route_column)
        return None if value is None else self._by_value.get(str(value))


def file_validator(model: GraphModel, spec: FileSpec, header: list[str] | None) -> RowValidator | RoutedValidator:
    return RoutedValidator(model, spec, header) if spec.routes else RowValidator(model, spec, header)
