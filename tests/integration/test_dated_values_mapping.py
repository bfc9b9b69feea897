"""A node file of values that held from a date (a mapping's `as_of`): every dated value is kept,
the latest is the firm's value, each date's is there for the features as of it. On the fake and on
Neo4j."""

import numpy as np
import pytest

from graph_service.core.errors import MappingError
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.core.snapshot import read_snapshot
from graph_service.services.ingest import load
from loaders.discovery import plan_load
from scoring.as_of import as_of_snapshot

STATEMENTS = """firm,year_end,revenue,staff
F1,2021-12-31,100,4
F1,2022-12-31,150,
F2,2022-12-31,80,2
F9,2022-12-31,10,1
F1,2022-12-31,155,5
F2,,70,2
"""

MAPPING = """
source: lender
files:
  - path: firms.csv
    node: Firm
  - path: statements.csv
    node: Firm
    as_of: year_end
    columns: {id: firm}
    extra_properties: {year_end: date, revenue: float, staff: int}
"""


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "firms.csv").write_text("id,name,sector\nF1,Alpha,retail\nF2,Beta,services\n")
    (folder / "statements.csv").write_text(STATEMENTS)
    (folder / "mapping.yaml").write_text(MAPPING)
    return folder


def _values(snapshot, name):
    firms = snapshot.nodes["Firm"]
    return {firm: firms.properties[name][firms.index[firm]] for firm in ("F1", "F2")}


def test_dated_values_are_kept_and_read_as_of_each_date(any_store, export, tmp_path):
    plan = plan_load(export, REFERENCE_MODEL, None, export / "mapping.yaml")
    report = load(any_store, plan, tmp_path / "rejects")
    statements = report.files[1]
    assert (statements.rows_read, statements.loaded, statements.rejected) == (6, 3, 3)
    reasons = {r.line: r.errors[0] for r in statements.rejections}
    assert reasons[5][0] == "id (column 'firm')" and "unknown Firm 'F9'" in reasons[5][1]
    assert reasons[6][0] == "id, year_end" and "duplicate key" in reasons[6][1]  # F1 twice at 2022-12-31
    assert reasons[7][0] == "year_end" and "required" in reasons[7][1].lower()  # a value needs its date
    snapshot = read_snapshot(any_store)
    assert _values(snapshot, "revenue") == {"F1": 150, "F2": 80}  # the latest dated value
    assert _values(snapshot, "staff") == {"F1": 4, "F2": 2}  # F1 gave no staff in 2022: 2021's holds
    assert _values(snapshot, "name") == {"F1": "Alpha", "F2": "Beta"}  # undated values are untouched
    mid = as_of_snapshot(snapshot, np.datetime64("2022-06-30"))
    assert _values(mid, "revenue") == {"F1": 100, "F2": None}  # 2022's values were not yet known
    assert _values(as_of_snapshot(snapshot, np.datetime64("2021-06-30")), "revenue") == {"F1": None, "F2": None}
    assert _values(as_of_snapshot(snapshot, np.datetime64("2022-12-31")), "revenue") == {"F1": 150, "F2": 80}
    digest = snapshot.digest()
    load(any_store, plan, tmp_path / "rejects-again")  # the same rows again change nothing
    assert read_snapshot(any_store).digest() == digest
    (export / "statements.csv").write_text(STATEMENTS.replace("F1,2021-12-31,100", "F1,2021-12-31,101"))
    load(any_store, plan, tmp_path / "rejects-changed")  # a different earlier value: another data set
    again = read_snapshot(any_store)
    assert again.digest() != digest and _values(again, "revenue") == {"F1": 150, "F2": 80}


@pytest.mark.parametrize("entry, message", [
    ("    as_of: revenue\n    extra_properties: {revenue: float}\n", "revenue is float"),
    ("    as_of: closing\n", "names no date property of Firm"),
])
def test_an_as_of_that_is_not_a_date_property_is_refused_by_name(export, entry, message):
    (export / "mapping.yaml").write_text(MAPPING.replace(
        "    as_of: year_end\n    columns: {id: firm}\n    extra_properties: {year_end: date, revenue: float, staff: int}\n",
        "    columns: {id: firm}\n" + entry))
    with pytest.raises(MappingError, match=message):
        plan_load(export, REFERENCE_MODEL, None, export / "mapping.yaml")
