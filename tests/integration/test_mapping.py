"""A partner's own export, loaded through a mapping file, on the fake and on Neo4j."""

from datetime import date
from pathlib import Path

import pytest

from graph_service.core.errors import MappingError
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from loaders.discovery import plan_load

EXPORT = Path(__file__).resolve().parent.parent / "fixtures" / "partner_export"


def test_a_mapping_loads_foreign_columns_and_a_new_relationship_type(any_store, tmp_path):
    plan = plan_load(EXPORT, REFERENCE_MODEL, None, EXPORT / "mapping.yaml")
    report = load(any_store, plan, tmp_path)
    members, directors = report.files

    assert (members.loaded, members.rejected) == (2, 1)
    assert members.rejections[0].line == 4
    assert members.rejections[0].errors == (("founded (column 'Gruendung')", "Not a valid date."),)
    assert members.ignored_columns == ["Notiz"]
    firm = any_store.firm_with_ties("DE-001", limit=10)
    assert firm.properties["sector"] == "manufacturing"
    assert firm.properties["region"] == "west"
    assert firm.properties["founded"] == date(2004, 3, 1)
    assert firm.properties["employees"] == 42
    assert firm.properties["source"] == "ihk-member-export"

    assert (directors.loaded, directors.rejected) == (1, 1)
    assert directors.rejections[0].errors == (("to_id (column 'Firma_B')", "refers to an unknown Firm 'DE-404'"),)
    [tie] = [t for t in firm.ties if t.type == "SHARES_DIRECTOR_WITH"]
    assert (tie.id, tie.direction, tie.properties["directors"]) == ("DE-002", "out", 2)
    assert any_store.counts_by_type()[("relationship", "SHARES_DIRECTOR_WITH")] == 1


def test_a_mapping_can_declare_a_new_node_label_with_its_constraint(any_store, tmp_path):
    (tmp_path / "owners.csv").write_text("ref,full_name\nS1,Ada\n")
    (tmp_path / "m.yaml").write_text(
        "source: registry\n"
        "types:\n  nodes:\n    - label: Shareholder\n      properties: {name: {kind: string, required: true}}\n"
        "files:\n  - {path: owners.csv, node: Shareholder, columns: {id: ref, name: full_name}}\n"
    )
    report = load(any_store, plan_load(tmp_path, REFERENCE_MODEL, None, tmp_path / "m.yaml"), tmp_path)
    assert report.loaded == 1
    assert any_store.constraints()["Shareholder_id_unique"] == ("Shareholder", "id")


@pytest.mark.parametrize("text, message", [
    ("files: []", "source"),
    ("source: x\nfiles:\n  - {path: a.csv}", "exactly one of `node`"),
    ("source: x\nfiles:\n  - {path: a.csv, node: Ship}", "unknown node label 'Ship'"),
    ("source: x\nfiles:\n  - {path: a.csv, relationship: HAS_SCORE}", "written by TrustNet"),
    ("source: x\ntypes: {relationships: [{type: OWNS, from: [Firm], to: [Ship]}]}\nfiles:\n  - {path: a.csv, node: Firm}",
     "unknown node label 'Ship'"),
    ("source: x\nfiles:\n  - {path: a.txt, node: Firm}", "unknown format"),
])
def test_a_bad_mapping_names_the_file_and_the_problem(tmp_path, text, message):
    (tmp_path / "m.yaml").write_text(text)
    with pytest.raises(MappingError, match=message) as caught:
        plan_load(tmp_path, REFERENCE_MODEL, None, tmp_path / "m.yaml")
    assert "m.yaml" in str(caught.value)


def test_extra_properties_are_new_or_restate_the_same_kind(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "source: x\nfiles:\n  - {path: f.csv, node: Firm, extra_properties: {employees: string}}\n")
    with pytest.raises(MappingError, match=r"already has property employees \(int; declared string here\)"):
        plan_load(tmp_path, REFERENCE_MODEL, None, tmp_path / "m.yaml")
    (tmp_path / "m.yaml").write_text(
        "source: x\nfiles:\n  - {path: f.csv, node: Firm, extra_properties: {employees: int, defaulted: bool}}\n")
    plan_load(tmp_path, REFERENCE_MODEL, None, tmp_path / "m.yaml")  # restating a property changes nothing
