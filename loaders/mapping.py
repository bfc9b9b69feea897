"""Mapping files (YAML or JSON): a partner's own files, columns and values onto the graph model.

A mapping can also declare new node labels and relationship types, so a new kind of tie (say,
shared directors) is a mapping entry, not code. README.md ("Mapping files") documents the format.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from graph_service.core.errors import GraphModelError, MappingError
from graph_service.core.graph_model import PROPERTY_KINDS, GraphModel, NodeType, PropertySpec, RelationshipType
from loaders.file_spec import FORMATS, FileSpec, format_of


class _PropertySchema(Schema):
    kind = fields.String(load_default="string", validate=validate.OneOf(PROPERTY_KINDS))
    required = fields.Boolean(load_default=False)
    min = fields.Float(load_default=None)
    max = fields.Float(load_default=None)
    choices = fields.List(fields.String(), load_default=list)


class _PropertiesField(fields.Dict):
    """`name: kind` or `name: {kind: ..., min: ...}`."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        out = {}
        for name, spec in value.items():
            spec = {"kind": spec} if isinstance(spec, str) else spec
            try:
                out[name] = _PropertySchema().load(spec or {})
            except ValidationError as exc:
                raise ValidationError({name: exc.messages}) from exc
        return out


class _NodeTypeSchema(Schema):
    label = fields.String(required=True)
    description = fields.String(load_default="")
    properties = _PropertiesField(load_default=dict)


class _RelationshipTypeSchema(Schema):
    type = fields.String(required=True)
    description = fields.String(load_default="")
    from_ = fields.List(fields.String(), data_key="from", required=True, validate=validate.Length(min=1))
    to = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    properties = _PropertiesField(load_default=dict)


class _TypesSchema(Schema):
    nodes = fields.List(fields.Nested(_NodeTypeSchema), load_default=list)
    relationships = fields.List(fields.Nested(_RelationshipTypeSchema), load_default=list)


class _RouteSchema(Schema):
    column = fields.String(required=True, validate=validate.Length(min=1))
    nodes = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    relationships = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)

    @validates_schema
    def _one_kind(self, data: dict, **kwargs: Any) -> None:
        if bool(data["nodes"]) == bool(data["relationships"]):
            raise ValidationError("give `nodes` or `relationships`: {column value: label or type}", "column")

    @post_load
    def _text_keys(self, data: dict, **kwargs: Any) -> dict:
        return {**data, "nodes": {str(k): v for k, v in data["nodes"].items()},
                "relationships": {str(k): v for k, v in data["relationships"].items()}}


class _WhereField(fields.Dict):
    """`column: value` or `column: [values]`, compared as text."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return {str(column): tuple(str(v) for v in (allowed if isinstance(allowed, list) else [allowed]))
                for column, allowed in value.items()}


class _FileSchema(Schema):
    path = fields.String(required=True)
    node = fields.String(load_default=None)
    relationship = fields.String(load_default=None)
    route = fields.Nested(_RouteSchema, load_default=None)
    where = _WhereField(load_default=dict)
    header = fields.List(fields.String(validate=validate.Length(min=1)), load_default=None,
                         validate=validate.Length(min=1))
    repeated_ids = fields.String(load_default="reject", validate=validate.OneOf(["reject", "skip"]))
    as_of = fields.String(load_default=None, validate=validate.Length(min=1))
    format = fields.String(load_default=None, validate=validate.OneOf(sorted(set(FORMATS.values()))))
    source = fields.String(load_default=None)
    delimiter = fields.String(load_default=",", validate=validate.Length(equal=1))
    date_format = fields.String(load_default=None)
    columns = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict)
    values = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)

    @post_load
    def _text_keys(self, data: dict, **kwargs: Any) -> dict:
        # YAML reads `1:` as a number; values in files are compared as text.
        data["values"] = {f: {str(k): v for k, v in m.items()} for f, m in data["values"].items()}
        return data
    defaults = fields.Dict(keys=fields.String(), load_default=dict)
    extra_properties = _PropertiesField(load_default=dict)

    @validates_schema
    def _one_target(self, data: dict, **kwargs: Any) -> None:
        if sum(bool(data[k]) for k in ("node", "relationship", "route")) != 1:
            raise ValidationError("give exactly one of `node` (a label), `relationship` (a type) or `route` "
                                  "(rows to types by a column's value)", "node")


class _MappingSchema(Schema):
    source = fields.String(required=True, validate=validate.Length(min=1))
    types = fields.Nested(_TypesSchema, load_default=lambda: {"nodes": [], "relationships": []})
    files = fields.List(fields.Nested(_FileSchema), required=True, validate=validate.Length(min=1))


@dataclass(frozen=True)
class Mapping:
    model: GraphModel  # the base model plus the types this mapping declares
    new_labels: tuple[str, ...]
    files: tuple[FileSpec, ...]


def _properties(declared: dict[str, dict]) -> tuple[PropertySpec, ...]:
    return tuple(
        PropertySpec(name, d["kind"], d["required"], d["min"], d["max"], tuple(d["choices"]))
        for name, d in declared.items()
    )


def read_mapping(path: Path, base: GraphModel, data_dir: Path) -> Mapping:
    """Parse and check a mapping file; `data_dir` is where its relative file paths resolve."""
    try:
        text = path.read_text(encoding="utf-8")
        raw = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise MappingError(f"{path}: cannot be read as {path.suffix[1:] or 'YAML'}: {exc}") from exc
    try:
        data = _MappingSchema().load(raw if isinstance(raw, dict) else {})
    except ValidationError as exc:
        raise MappingError(f"{path}: {json.dumps(exc.messages, sort_keys=True)}") from exc
    try:
        nodes = tuple(
            NodeType(n["label"], _properties(n["properties"]), n["description"]) for n in data["types"]["nodes"]
        )
        model = base.extended(nodes=nodes)
        rels = tuple(
            RelationshipType(r["type"], tuple(r["from_"]), tuple(r["to"]), _properties(r["properties"]),
                             r["description"])
            for r in data["types"]["relationships"]
        )
        model = model.extended(relationships=rels)
        specs = []
        for entry in data["files"]:
            spec, model = _file_spec(entry, model, data["source"], data_dir)
            specs.append(spec)
    except (GraphModelError, MappingError) as exc:
        raise MappingError(f"{path}: {exc}") from exc
    return Mapping(model=model, new_labels=tuple(n.label for n in nodes), files=tuple(specs))


def _file_spec(entry: dict, model: GraphModel, source: str, data_dir: Path) -> tuple[FileSpec, GraphModel]:
    file_path = (data_dir / entry["path"]).resolve()
    if not file_path.is_relative_to(data_dir.resolve()):
        raise MappingError(f"file {entry['path']}: is outside the folder being loaded ({data_dir}); a mapping "
                           "names files in that folder only")
    route = entry["route"] or {}
    routes = route.get("nodes") or route.get("relationships") or {}
    if routes:
        kind = "node" if route["nodes"] else "relationship"
    else:
        kind = "node" if entry["node"] else "relationship"
    type_names = list(dict.fromkeys(routes.values())) or [entry["node"] or entry["relationship"]]
    for type_name in type_names:
        target = model.node(type_name) if kind == "node" else model.relationship(type_name)
        if not target.loadable:
            raise MappingError(f"file {entry['path']}: {type_name} is written by TrustNet, not loaded")
        if entry["extra_properties"]:
            model = model.with_properties(type_name, _properties(entry["extra_properties"]))
    file_format = entry["format"] or format_of(file_path)
    if file_format is None:
        raise MappingError(f"file {entry['path']}: unknown format; name it .csv or .jsonl, or set `format`")
    if entry["as_of"] is not None:
        _check_as_of(entry, kind, routes, model)
    if entry["header"] is not None and file_format != "csv":
        raise MappingError(f"file {entry['path']}: `header` names the columns of a CSV file without a header row")
    spec = FileSpec(
        path=file_path, format=file_format, kind=kind, type_name=type_names[0],
        source=entry["source"] or source, columns=entry["columns"], values=entry["values"],
        defaults=entry["defaults"], date_format=entry["date_format"], delimiter=entry["delimiter"], mapped=True,
        header=tuple(entry["header"]) if entry["header"] is not None else None,
        route_column=route.get("column"), routes=routes, where=entry["where"],
        skip_repeated_ids=entry["repeated_ids"] == "skip", as_of=entry["as_of"],
    )
    return spec, model


def _check_as_of(entry: dict, kind: str, routes: dict, model: GraphModel) -> None:
    """`as_of` names a date field of the file's one node label: the date its row's values held from."""
    where = f"file {entry['path']}: as_of {entry['as_of']!r}"
    if kind != "node" or routes:
        raise MappingError(f"{where}: dated values are for a node file of one label (`node`), not "
                           + ("routed rows" if routes else "relationships (give ties their own date property)"))
    node = model.node(entry["node"])
    spec = next((p for p in node.properties if p.name == entry["as_of"]), None)
    if spec is None or spec.kind != "date":
        raise MappingError(f"{where}: names no date property of {node.label}"
                           + (f" ({spec.name} is {spec.kind})" if spec else "")
                           + "; declare it under extra_properties with kind date")
