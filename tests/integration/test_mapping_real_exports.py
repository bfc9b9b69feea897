"""Mapping files for real exports: rows routed to types by a column and filtered, read once; one
column filling two fields; headerless files; Unix-time dates. On the fake and on Neo4j."""

from datetime import date

import pytest

from graph_service.core.errors import MappingError
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from loaders.discovery import plan_load

# A lender's relations file: ten kinds of tie in one file, as real exports come.
RELATIONS = """kind,a,b,share,since
supplier,F1,F2,,1420070400
supplier,F2,F3,,1420070400.5
customer,F3,F1,,1451606400
shareholder,F1,F3,0.25,1262304000
spouse,F1,F2,,
cousin,F2,F3,,
supplier,F1,F9,,1420070400
shareholder,F2,F1,abc,1262304000
"""

MAPPING = """
source: lender
types:
  relationships:
    - {type: SUPPLIES, from: [Firm], to: [Firm], properties: {since: date}}
    - {type: BUYS_FROM, from: [Firm], to: [Firm], properties: {since: date}}
    - {type: OWNS_SHARE, from: [Firm], to: [Firm], properties: {share: float, since: date}}
files:
  - path: firms.csv
    node: Firm
    header: [number, sector]
    columns: {id: number, name: number}
  - path: relations.csv
    route:
      column: kind
      relationships: {supplier: SUPPLIES, customer: BUYS_FROM, shareholder: OWNS_SHARE}
    columns: {from_id: a, to_id: b}
    date_format: epoch_seconds
"""


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "firms.csv").write_text("F1,retail\nF2,services\nF3,retail\n")  # no header row
    (folder / "relations.csv").write_text(RELATIONS)
    (folder / "mapping.yaml").write_text(MAPPING)
    return folder


def test_one_file_is_routed_to_three_relationship_types_by_a_column_read_once(any_store, export, tmp_path):
    report = load(any_store, plan_load(export, REFERENCE_MODEL, None, export / "mapping.yaml"), tmp_path / "rejects")
    firms, relations = report.files
    assert (firms.rows_read, firms.loaded, firms.rejected) == (3, 3, 0)
    # Read once: 8 rows; spouse and cousin go to no type (left out, not rejected); F9 does not exist
    # and "abc" is not a share: two rejects, each naming its line.
    assert (relations.rows_read, relations.routed_away, relations.rejected) == (8, 2, 2)
    assert dict(relations.loaded_by_type) == {"SUPPLIES": 2, "BUYS_FROM": 1, "OWNS_SHARE": 1}
    assert [(r.line, r.errors[0][0]) for r in relations.rejections] == [(8, "to_id (column 'b')"),
                                                                      (9, "share")]
    counts = any_store.counts_by_type()
    assert (counts[("relationship", "SUPPLIES")], counts[("relationship", "BUYS_FROM")],
            counts[("relationship", "OWNS_SHARE")]) == (2, 1, 1)
    f1 = any_store.firm_with_ties("F1", limit=20)
    assert f1.properties["name"] == "F1"  # one column, two fields: id and name
    assert f1.properties["sector"] == "retail"  # a headerless file's columns named by the mapping
    ties = {(t.type, t.id): t.properties for t in f1.ties}
    assert ties[("SUPPLIES", "F2")]["since"] == date(2015, 1, 1)  # Unix seconds, as a UTC date
    assert ties[("OWNS_SHARE", "F3")]["share"] == 0.25


def test_a_where_filter_keeps_only_the_rows_it_names(memory_store, export, tmp_path):
    mapping = MAPPING.replace("    date_format: epoch_seconds\n", "    date_format: epoch_seconds\n    where: {kind: supplier}\n")
    (export / "mapping.yaml").write_text(mapping)
    report = load(memory_store, plan_load(export, REFERENCE_MODEL, None, export / "mapping.yaml"), tmp_path / "r")
    relations = report.files[1]
    assert dict(relations.loaded_by_type) == {"SUPPLIES": 2}
    assert relations.routed_away == 5 and relations.rejected == 1  # F9


def test_a_bad_unix_time_is_a_reject_naming_the_field(memory_store, export, tmp_path):
    (export / "relations.csv").write_text("kind,a,b,share,since\nsupplier,F1,F2,,yesterday\n")
    report = load(memory_store, plan_load(export, REFERENCE_MODEL, None, export / "mapping.yaml"), tmp_path / "r")
    [rejection] = report.files[1].rejections
    assert rejection.errors == (("since", "Not a valid Unix time in seconds."),)


@pytest.mark.parametrize("entry, message", [
    ("{path: relations.csv, route: {column: kind, relationships: {x: NOPE}}}", "NOPE"),
    ("{path: relations.csv, route: {column: kind}}", "give `nodes` or `relationships`"),
    ("{path: relations.csv, relationship: SUPPLIES, route: {column: kind, relationships: {x: SUPPLIES}}}",
     "exactly one of"),
])
def test_a_bad_route_names_the_problem(export, entry, message):
    text = MAPPING.split("files:")[0] + f"files:\n  - {entry}\n"
    (export / "mapping.yaml").write_text(text)
    with pytest.raises(MappingError, match=message):
        plan_load(export, REFERENCE_MODEL, None, export / "mapping.yaml")
