"""Turn a file's raw rows into store rows, or into rejections that name line, field and reason."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from marshmallow import ValidationError

from graph_service.core.dated_values import dated_key
from graph_service.core.domain import NodeRow, RelationshipRow
from graph_service.core.errors import InputFileError
from graph_service.core.graph_model import GraphModel
from loaders.fast_rows import compile_fast_path
from loaders.file_spec import NODE_KEY_FIELDS, RELATIONSHIP_KEY_FIELDS, FileSpec
from loaders.row_schemas import node_schema, relationship_schema


@dataclass(frozen=True)
class Rejection:
    """A row that was not loaded, with every (field, reason) found in it."""

    file: str
    line: int
    errors: tuple[tuple[str, str], ...]
    raw: dict[str, Any]


class RowValidator:
    """Validates the rows of one file; remembers keys to reject duplicates within the file."""

    def __init__(self, model: GraphModel, spec: FileSpec, header: list[str] | None, within: str = "file",
                 position: str = "line"):
        """within/position name where rows come from in messages ("file"/"line", or "batch"/"row")."""
        self.spec = spec
        self.within, self.position = within, position
        if spec.kind == "node":
            node = model.node(spec.type_name)
            if spec.as_of:  # values added to nodes loaded before: only the id and the date are required
                node = replace(node, properties=tuple(replace(p, required=p.name == spec.as_of)
                                                      for p in node.properties))
            self.schema = node_schema(node, spec.date_format)
            self.key_fields = NODE_KEY_FIELDS + ((spec.as_of,) if spec.as_of else ())
            self.fast = compile_fast_path(("id",), node.properties, spec.date_format, {})
        else:
            rel = model.relationship(spec.type_name)
            self.schema = relationship_schema(rel, spec.date_format)
            self.key_fields = RELATIONSHIP_KEY_FIELDS
            ends = {"from_label": rel.sources, "to_label": rel.targets}
            self.fast = compile_fast_path(("from_id", "to_id"), rel.properties, spec.date_format, ends)
        self.model_fields = list(self.schema.fields)
        unknown_fields = sorted(set(spec.columns) - set(self.model_fields))
        if unknown_fields:
            raise InputFileError(f"{spec.path}: the mapping names field(s) {', '.join(unknown_fields)} that "
                                 f"{spec.type_name} does not have; known: {', '.join(self.model_fields)}")
        self.column_of = {f: spec.columns.get(f, f) for f in self.model_fields}
        self.fields_of: dict[str, list[str]] = {}  # one column may fill several fields (an id that is also a name)
        for model_field, column in self.column_of.items():
            self.fields_of.setdefault(column, []).append(model_field)
        self.ignored_columns = self._check_header(header)
        self._first_line_of: dict[tuple, int] = {}

    def _check_header(self, header: list[str] | None) -> list[str]:
        if header is None:
            return []
        unknown = [c for c in header if c not in self.fields_of]
        if unknown and not self.spec.mapped:
            raise InputFileError(
                f"{self.spec.path}: unknown column(s) {', '.join(unknown)} for {self.spec.type_name}; "
                f"known: {', '.join(self.model_fields)} (a mapping file can rename or ignore columns)"
            )
        missing = [
            f for f in self.model_fields
            if self.schema.fields[f].required and self.column_of[f] not in header and f not in self.spec.defaults
        ]
        if missing:
            raise InputFileError(
                f"{self.spec.path}: required column(s) missing: "
                + ", ".join(self._describe(f) for f in missing)
            )
        return unknown

    def _describe(self, model_field: str) -> str:
        column = self.column_of.get(model_field, model_field)
        return model_field if column == model_field else f"{model_field} (column {column!r})"

    def route(self, raw: dict[str, Any]) -> "RowValidator | None":
        """The validator for this row (itself), or None if the mapping's `where` leaves it out."""
        return self if self.spec.keeps(raw) else None

    def to_model_fields(self, raw: dict[str, Any]) -> dict[str, Any]:
        row = dict(self.spec.defaults)
        for column, value in raw.items():
            model_fields = self.fields_of.get(column)
            if model_fields is None:
                if self.spec.mapped:
                    continue
                model_fields = [column]  # an unknown key in a JSON row: the schema rejects it
            for model_field in model_fields:
                translate = self.spec.values.get(model_field)
                if translate is not None and isinstance(value, (str, int, float, bool)):
                    row[model_field] = translate.get(str(value), value)
                else:
                    row[model_field] = value
        return row

    def validate(self, line: int, raw: dict[str, Any]) -> NodeRow | RelationshipRow | Rejection | None:
        """A store row (a NodeRow, or a RelationshipRow with its ends' labels), or why not; None for a
        repeated id the mapping says to skip."""
        fields_in = self.to_model_fields(raw)
        loaded = self.fast(fields_in)
        if loaded is None:
            try:
                loaded = self.schema.load(fields_in)
            except ValidationError as exc:
                return self.reject(line, raw, _flatten(exc.messages))
        key = tuple(loaded.get(f) for f in self.key_fields)
        if self.spec.kind == "relationship" and key[0] == key[1] and key[2] == key[3]:
            return self.reject(line, raw, [("to_id", "a relationship cannot connect a node to itself")])
        first = self._first_line_of.setdefault(key, line)
        if first != line and self.spec.skip_repeated_ids:
            return None
        if first != line:
            key_field = ", ".join(self.key_fields) if self.spec.kind == "node" else "from_id, to_id"
            return self.reject(line, raw, [(key_field, f"duplicate key in this {self.within} (first at {self.position} {first})")])
        properties = {k: v for k, v in loaded.items() if k not in self.key_fields and v is not None}
        if self.spec.as_of:
            properties = {dated_key(k, loaded[self.spec.as_of]): v for k, v in properties.items()}
        if self.spec.kind == "node":
            return NodeRow(loaded["id"], properties, line)
        return RelationshipRow(loaded["from_id"], loaded["to_id"], properties, line,
                               loaded["from_label"], loaded["to_label"])

    def reject(self, line: int, raw: dict[str, Any], errors: list[tuple[str, str]]) -> Rejection:
        described = tuple((self._describe(f) if f in self.column_of else f, reason) for f, reason in errors)
        return Rejection(file=self.spec.name, line=line, errors=described, raw=raw)


def _flatten(messages: Any) -> list[tuple[str, str]]:
    """marshmallow's {field: [message, ...]} as sorted (field, message) pairs."""
    if not isinstance(messages, dict):
        return [("(row)", str(messages))]
    pairs = []
    for field_name, field_messages in sorted(messages.items()):
        for message in field_messages if isinstance(field_messages, list) else [field_messages]:
            pairs.append((str(field_name), str(message)))
    return pairs
