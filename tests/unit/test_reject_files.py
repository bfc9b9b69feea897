"""Reject files: one per mapping entry, and safe to open in a spreadsheet."""

import csv

from graph_service.adapters.memory import MemoryStore
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from loaders.discovery import plan_load

HEADER = "id,name,sector,region,declared_revenue\n"


def _rows(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_two_mapped_files_with_the_same_name_keep_their_own_rejects(tmp_path):
    """a/Firm.csv and b/Firm.csv each reject a row: both rejects are reported and both are kept."""
    for folder, firm in (("a", "FA"), ("b", "FB")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "Firm.csv").write_text(HEADER + f"{firm},Firm {firm},retail,north,100\n"
                                                    f"{firm}-BAD,Bad,retail,north,not-a-number\n")
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text("source: partner\nfiles:\n  - path: a/Firm.csv\n    node: Firm\n  - path: b/Firm.csv\n    node: Firm\n")
    report = load(MemoryStore(), plan_load(tmp_path, REFERENCE_MODEL, "partner", mapping), tmp_path / "rejects")

    assert report.rejected == 2
    files = [f.rejects_file for f in report.files]
    assert None not in files and len(set(files)) == 2, files
    assert sorted(row["id"] for path in files for row in _rows(path)) == ["FA-BAD", "FB-BAD"]


def test_formula_cells_are_escaped_in_reject_files_and_numbers_are_not(tmp_path):
    (tmp_path / "Firm.csv").write_text(HEADER + '=HYPERLINK("http://x"),@SUM(A1),+cmd,-2+3,not-a-number\n'
                                                "F2,Firm 2,retail,north,-1500\n")
    report = load(MemoryStore(), plan_load(tmp_path, REFERENCE_MODEL, "partner"), tmp_path / "rejects")
    rows = {row["line"]: row for row in _rows(report.files[0].rejects_file)}

    formula = rows["2"]
    assert formula["id"] == "'=HYPERLINK(\"http://x\")"
    assert (formula["name"], formula["sector"], formula["region"]) == ("'@SUM(A1)", "'+cmd", "'-2+3")
    assert all(not value.startswith(("=", "+", "@")) for row in rows.values() for value in row.values())
