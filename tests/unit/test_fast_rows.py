"""The fast path may only accept what marshmallow accepts, and must convert it identically."""

import random

import pytest
from marshmallow import ValidationError

from graph_service.core.graph_model import REFERENCE_MODEL
from loaders.fast_rows import compile_fast_path
from loaders.row_schemas import node_schema, relationship_schema

# Values chosen to sit on the edges: numbers as text and as JSON, signs, exponents, padding,
# impossible dates, other date formats, booleans, empty strings, enum near-misses.
CANDIDATES = [
    "0", "7", "-3", "007", "12.5", "-0.5", "1e5", " 12", "12 ", "1_000", "nan", "inf", "", "abc",
    12, -4, 0, 12.0, 12.5, -0.0, float("nan"), True, False, None, 10**20,
    "2024-02-29", "2023-02-29", "2024-13-01", "2024-1-5", "20240105", "2024-01-05T10:00:00", "05.01.2024",
    "active", "Active", "defaulted", "current", "Firm", "Chamber", "Market", "Guarantor", "Bank",
    "3", "5", "5.5", "0.25", "1", "1.0",
    float("inf"), float("-inf"), 10**400, 2**63, -(2**63) - 1, "99999999999999999999", "٢٠٢٤-٠١-٠٥", "١٢",
    ["a"], {"x": 1},
]


GOOD = {"int": "7", "float": "12.5", "date": "2024-02-29", "string": "abc", "bool": "true"}


def _good(spec):
    return spec.choices[0] if spec.kind == "enum" else GOOD[spec.kind]


def _rows(fields, n, rng):
    """fields: name -> a valid value; each row mixes valid values with edge candidates."""
    for _ in range(n):
        row = {f: good if rng.random() < 0.6 else rng.choice(CANDIDATES) for f, good in fields.items()
               if rng.random() < 0.9}
        yield {k: v for k, v in row.items() if v is not None}


def _agree(schema, fast, rows):
    accepted = 0
    for row in rows:
        result = fast(row)
        if result is None:
            continue
        accepted += 1
        try:
            expected = schema.load(row)
        except ValidationError as exc:  # pragma: no cover - the failure message is the point
            pytest.fail(f"fast path accepted {row!r} which marshmallow rejects: {exc.messages}")
        assert result == expected, row
        assert [type(v) for v in result.values()] == [type(expected[k]) for k in result], row
    return accepted


@pytest.mark.parametrize("label", ["Firm", "Loan", "Guarantor"])
def test_fast_node_rows_agree_with_marshmallow(label):
    node = REFERENCE_MODEL.node(label)
    schema = node_schema(node)
    fast = compile_fast_path(("id",), node.properties, None, {})
    rng = random.Random(label)
    fields = {"id": "F1", **{p.name: _good(p) for p in node.properties}}
    accepted = _agree(schema, fast, _rows(fields, 30_000, rng))
    assert accepted > 0  # the generator does produce rows the fast path takes


@pytest.mark.parametrize("rel_type", ["TRADES_WITH", "GUARANTEES", "RECOMMENDS"])
def test_fast_relationship_rows_agree_with_marshmallow(rel_type):
    rel = REFERENCE_MODEL.relationship(rel_type)
    schema = relationship_schema(rel)
    fast = compile_fast_path(("from_id", "to_id"), rel.properties, None,
                             {"from_label": rel.sources, "to_label": rel.targets})
    rng = random.Random(rel_type)
    fields = {"from_id": "A", "to_id": "B", "from_label": rel.sources[-1], "to_label": rel.targets[0],
              **{p.name: _good(p) for p in rel.properties}}
    accepted = _agree(schema, fast, _rows(fields, 30_000, rng))
    assert accepted > 0


def test_a_custom_date_format_agrees_with_marshmallow():
    node = REFERENCE_MODEL.node("Loan")
    schema = node_schema(node, "%d.%m.%Y")
    fast = compile_fast_path(("id",), node.properties, "%d.%m.%Y", {})
    row = {"id": "L1", "amount": "100", "issued": "05.01.2024", "status": "current"}
    assert fast(row) == schema.load(row)
    assert fast({**row, "issued": "2024-01-05"}) is None


def test_typical_rows_take_the_fast_path():
    node = REFERENCE_MODEL.node("Firm")
    fast = compile_fast_path(("id",), node.properties, None, {})
    assert fast({"id": "F1", "name": "A", "employees": "12", "founded": "2020-01-31", "tax_revenue": "10.5"})
    assert fast({"id": "F1", "name": "A", "employees": "-1"}) is None  # out of range: marshmallow words it
