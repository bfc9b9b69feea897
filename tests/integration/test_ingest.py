"""Loading files end to end, on the in-memory fake and on the real Neo4j (any_store)."""

import csv
from pathlib import Path

import pytest

from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from loaders.discovery import plan_load
from tests.conftest import SAMPLE_DIR


def _rows_per_file(folder: Path) -> dict[str, int]:
    counts = {}
    for path in folder.glob("*.csv"):
        with path.open() as handle:
            counts[path.stem] = sum(1 for _ in csv.DictReader(handle))
    return counts


def _load(store, path, tmp_path, **kw):
    plan = plan_load(path, REFERENCE_MODEL, kw.pop("source", "test"), kw.pop("mapping", None))
    return load(store, plan, tmp_path / "rejects", **kw)


def test_every_node_and_relationship_type_loads(any_store, tmp_path):
    report = _load(any_store, SAMPLE_DIR, tmp_path)
    expected = _rows_per_file(SAMPLE_DIR)
    assert report.rejected == 0
    loadable = {n for n, t in REFERENCE_MODEL.nodes.items() if t.loadable} | {
        r for r, t in REFERENCE_MODEL.relationships.items() if t.loadable}
    assert set(expected) == loadable
    counts = any_store.counts_by_type()
    for name, rows in expected.items():
        kind = "node" if name in REFERENCE_MODEL.nodes else "relationship"
        assert counts[(kind, name)] == rows, name


def test_a_second_load_of_the_same_files_changes_no_count(any_store, tmp_path):
    _load(any_store, SAMPLE_DIR, tmp_path)
    first = any_store.graph_counts()
    by_type = any_store.counts_by_type()
    report = _load(any_store, SAMPLE_DIR, tmp_path)
    assert report.loaded == report.rows_read
    assert any_store.graph_counts() == first
    assert any_store.counts_by_type() == by_type


def test_facts_keep_their_source_and_load_date(any_store, tmp_path):
    _load(any_store, SAMPLE_DIR, tmp_path, source="chamber-export-2026")
    firm = any_store.firm_with_ties("F00001", limit=50)
    assert firm.properties["source"] == "chamber-export-2026"
    assert firm.properties["first_loaded_at"] <= firm.properties["last_loaded_at"]
    assert all(t.properties["source"] == "chamber-export-2026" for t in firm.ties)


BAD_FIRMS = """id,name,employees,founded,declared_revenue
F1,Good One,10,2020-01-01,1000
,No Key,5,2020-01-01,10
F3,Wrong Type,many,2020-01-01,10
F4,Bad Date,5,2020-02-30,10
F5,Negative,5,2020-01-01,-10
F1,Duplicate,5,2020-01-01,10
F7,Good Two,3,,
"""
BAD_TRADES = """from_id,to_id,volume,rating
F1,F7,100,4.5
F1,F999,100,3
F1,F7,50,2
F7,F1,-5,1
F7,F7,10,1
F7,F1,20,9
F7,F3,30,2
"""


def test_bad_rows_are_reported_with_line_field_and_reason_while_good_rows_load(any_store, tmp_path):
    data = tmp_path / "partner"
    data.mkdir()
    (data / "Firm.csv").write_text(BAD_FIRMS)
    (data / "TRADES_WITH.csv").write_text(BAD_TRADES)
    report = _load(any_store, data, tmp_path)
    firms, trades = report.files

    assert (firms.rows_read, firms.loaded, firms.rejected) == (7, 2, 5)
    assert {(r.line, r.errors) for r in firms.rejections} == {
        (3, (("id", "Missing data for required field."),)),
        (4, (("employees", "Not a valid integer."),)),
        (5, (("founded", "Not a valid date."),)),
        (6, (("declared_revenue", "Must be greater than or equal to 0."),)),
        (7, (("id", "duplicate key in this file (first at line 2)"),)),
    }
    assert (trades.rows_read, trades.loaded, trades.rejected) == (7, 1, 6)
    assert {(r.line, r.errors) for r in trades.rejections} == {
        (3, (("to_id", "refers to an unknown Firm 'F999'"),)),
        (4, (("from_id, to_id", "duplicate key in this file (first at line 2)"),)),
        (5, (("volume", "Must be greater than or equal to 0."),)),
        (6, (("to_id", "a relationship cannot connect a node to itself"),)),
        (7, (("rating", "Must be greater than or equal to 0 and less than or equal to 5."),)),
        # F3 was itself rejected, so a trade with it refers to an unknown firm.
        (8, (("to_id", "refers to an unknown Firm 'F3'"),)),
    }
    assert any_store.counts_by_type() == {("node", "Firm"): 2, ("relationship", "TRADES_WITH"): 1}

    with firms.rejects_file.open() as handle:
        rejects = list(csv.DictReader(handle))
    assert [r["line"] for r in rejects] == ["3", "4", "5", "6", "7"]
    assert rejects[2] == {"line": "5", "field": "founded", "reason": "Not a valid date.", "id": "F4",
                          "name": "Bad Date", "employees": "5", "founded": "2020-02-30", "declared_revenue": "10"}
    assert report.reasons()["to_id: refers to an unknown Firm"] == 2


def test_a_file_that_is_not_a_record_stream_is_refused_before_loading(any_store, tmp_path):
    from graph_service.core.errors import InputFileError

    data = tmp_path / "partner"
    data.mkdir()
    (data / "Firm.csv").write_text("id,name,colour\nF1,A,blue\n")
    with pytest.raises(InputFileError, match="unknown column\\(s\\) colour for Firm"):
        _load(any_store, data, tmp_path)
    (data / "Firm.csv").unlink()
    (data / "suppliers.csv").write_text("id\n")
    with pytest.raises(InputFileError, match="don't know what suppliers.csv"):
        _load(any_store, data, tmp_path)


def test_json_lines_rows_are_validated_the_same_way(any_store, tmp_path):
    path = tmp_path / "Bank.jsonl"
    path.write_text('{"id": "B1", "name": "First Bank"}\n{"id": "B2"}\nnot json\n{"id": "B3", "name": "X", "swift": 1}\n')
    report = _load(any_store, path, tmp_path)
    assert report.loaded == 1
    assert [(r.line, r.errors[0]) for r in report.files[0].rejections] == [
        (2, ("name", "Missing data for required field.")),
        (3, ("(row)", "is not valid JSON (Expecting value at column 1)")),
        (4, ("swift", "Unknown field.")),
    ]


def test_hostile_values_are_rejected_rows_not_a_crash(any_store, tmp_path):
    path = tmp_path / "Firm.jsonl"
    path.write_text("\n".join([
        '{"id": "F1", "name": "ok", "declared_revenue": 10}',
        '{"id": "F2", "name": "inf", "declared_revenue": Infinity}',
        '{"id": "F3", "name": "huge", "employees": 99999999999999999999}',
        '{"id": "F4", "name": "digits", "founded": "\\u0662\\u0660\\u0662\\u0664-01-05"}',
        '{"id": "F5", "name": "list", "sector": ["a", "b"]}',
        '{"id": "F6", "name": "long", "employees": ' + "9" * 5000 + "}",
    ]) + "\n")
    report = _load(any_store, path, tmp_path)
    reasons = {r.line: r.errors[0] for r in report.files[0].rejections}
    assert report.loaded == 1
    assert reasons[2] == ("declared_revenue", "Special numeric values (nan or infinity) are not permitted.")
    assert reasons[3] == ("employees", "Must fit in 64 bits.")
    assert reasons[4] == ("founded", "Not a valid date.")
    assert reasons[5] == ("sector", "Not a valid string.")
    assert reasons[6][0] == "(row)" and "not valid JSON" in reasons[6][1]


def test_a_quoted_multi_line_cell_keeps_the_line_where_its_record_starts(any_store, tmp_path):
    path = tmp_path / "Firm.csv"
    path.write_text('id,name\nF1,"Two\nlines"\nF1,Again\n,missing\n')
    report = _load(any_store, path, tmp_path)
    assert [(r.line, r.errors[0][0]) for r in report.files[0].rejections] == [(4, "id"), (5, "id")]
    assert report.files[0].rejections[0].errors[0][1] == "duplicate key in this file (first at line 2)"


def test_files_are_checked_before_anything_is_written(any_store, tmp_path):
    from graph_service.core.errors import InputFileError

    data = tmp_path / "partner"
    data.mkdir()
    (data / "Bank.csv").write_text("id,name\nB1,First\n")
    (data / "Firm.csv").write_bytes(b"id,name\nF1,Caf\xe9\n")  # Latin-1, not UTF-8
    with pytest.raises(InputFileError, match="line 2 is not UTF-8"):
        _load(any_store, data, tmp_path)
    assert any_store.graph_counts().nodes == 0


def test_zero_writers_is_refused(any_store, tmp_path):
    with pytest.raises(ValueError, match="at least 1"):
        _load(any_store, SAMPLE_DIR / "Bank.csv", tmp_path, node_writers=0)


def test_a_text_too_long_for_neo4j_is_its_rows_reject_and_the_batch_loads(neo4j_store, tmp_path):
    """A Firm whose indexed sector is over 8 KB used to make Neo4j throw away the whole batch."""
    (tmp_path / "Firm.csv").write_text("id,name,sector,region\n"
                                       "F1,Firm 1,retail,north\n"
                                       f"F2,Firm 2,{'s' * 9000},north\n"
                                       "F3,Firm 3,retail,north\n")
    report = load(neo4j_store, plan_load(tmp_path, REFERENCE_MODEL, "partner"), tmp_path / "rejects")
    [firms] = report.files
    assert (firms.loaded, firms.rejected) == (2, 1)
    [rejection] = firms.rejections
    assert rejection.line == 3 and rejection.errors[0][0] == "sector" and "1000" in rejection.errors[0][1]
    assert neo4j_store.missing_ids("Firm", ["F1", "F2", "F3"]) == {"F2"}
