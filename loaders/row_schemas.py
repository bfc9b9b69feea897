"""marshmallow schemas for rows of each node and relationship type, built from the graph model."""

from __future__ import annotations

import math
from datetime import date, datetime, timezone

from marshmallow import Schema, fields, validate

from graph_service.core.graph_model import MAX_TEXT_LENGTH, NodeType, PropertySpec, RelationshipType


INT64 = (-(2**63), 2**63 - 1)


class WholeInteger(fields.Integer):
    """An integer that refuses 12.5 (marshmallow's non-strict Integer would truncate it to 12)
    and anything Neo4j cannot store (beyond 64 bits)."""

    default_error_messages = {"out_of_range": "Must fit in 64 bits."}

    def _validated(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise self.make_error("invalid", input=value)
        number = super()._validated(value)
        if not INT64[0] <= number <= INT64[1]:
            raise self.make_error("out_of_range")
        return number


EPOCH_SECONDS = "epoch_seconds"  # a date_format: Unix time in seconds (fractions allowed), read as a UTC date


def epoch_date(value) -> date:
    """The UTC date of a Unix time in seconds (a number, or its text); ValueError if it is not one."""
    if isinstance(value, bool):
        raise ValueError(value)
    seconds = float(value) if isinstance(value, (int, float, str)) else float("nan")
    if not math.isfinite(seconds) or not -62135596800 <= seconds < 253402300800:  # years 1 to 9999
        raise ValueError(value)
    return datetime.fromtimestamp(seconds, timezone.utc).date()


class EpochDate(fields.Field):
    default_error_messages = {"invalid": "Not a valid Unix time in seconds."}

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return epoch_date(value.strip() if isinstance(value, str) else value)
        except (ValueError, OverflowError) as exc:
            raise self.make_error("invalid") from exc


def _field(spec: PropertySpec, date_format: str | None) -> fields.Field:
    validators = []
    if spec.min is not None or spec.max is not None:
        validators.append(validate.Range(min=spec.min, max=spec.max))
    if spec.kind == "enum":
        validators.append(validate.OneOf(spec.choices))
    kwargs = {"required": spec.required, "validate": validators}
    if spec.kind == "int":
        return WholeInteger(**kwargs)
    if spec.kind == "float":
        return fields.Float(allow_nan=False, **kwargs)
    if spec.kind == "date":
        if date_format == EPOCH_SECONDS:
            return EpochDate(**kwargs)
        return fields.Date(format=date_format or "iso", **kwargs)
    if spec.kind == "bool":
        return fields.Boolean(**kwargs)
    validators.append(validate.Length(max=MAX_TEXT_LENGTH))
    return fields.String(**kwargs)


def _key() -> fields.String:
    return fields.String(required=True, validate=validate.Length(min=1, max=200))


def node_schema(node: NodeType, date_format: str | None = None) -> Schema:
    declared = {"id": _key(), **{p.name: _field(p, date_format) for p in node.properties}}
    return Schema.from_dict(declared, name=f"{node.label}Row")()


def relationship_schema(rel: RelationshipType, date_format: str | None = None) -> Schema:
    def end_label(labels: tuple[str, ...]) -> fields.String:
        # The label of an end is needed only where the type allows more than one.
        if len(labels) > 1:
            return fields.String(required=True, validate=validate.OneOf(labels))
        return fields.String(load_default=labels[0], validate=validate.OneOf(labels))

    declared = {
        "from_id": _key(),
        "to_id": _key(),
        "from_label": end_label(rel.sources),
        "to_label": end_label(rel.targets),
        **{p.name: _field(p, date_format) for p in rel.properties},
    }
    return Schema.from_dict(declared, name=f"{rel.type}Row")()
