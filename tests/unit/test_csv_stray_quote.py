"""A stray opening quote in a CSV costs its own row only: the rows after it are read and counted."""

from graph_service.adapters.memory import MemoryStore
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.services.ingest import load
from loaders.discovery import plan_load

HEADER = "id,name,sector,region\n"


def _load(tmp_path, body: str):
    (tmp_path / "Firm.csv").write_text(HEADER + body)
    store = MemoryStore()
    return store, load(store, plan_load(tmp_path, REFERENCE_MODEL, "partner"), tmp_path / "rejects")


def test_a_stray_quote_rejects_its_row_and_the_following_rows_load(tmp_path):
    rows = [f"F{i},Firm {i},retail,north\n" for i in range(10)]
    rows[2] = 'F2,"Firm 2,retail,north\n'  # the quote never closes
    store, report = _load(tmp_path, "".join(rows))
    [firms] = report.files
    assert (firms.rows_read, firms.loaded, firms.rejected) == (10, 9, 1)
    [rejection] = firms.rejections
    assert rejection.line == 4 and "quote" in rejection.errors[0][1]
    assert not store.missing_ids("Firm", [f"F{i}" for i in range(10) if i != 2])


def test_a_quoted_cell_may_still_span_lines(tmp_path):
    store, report = _load(tmp_path, 'F1,"Firm 1\nsecond line",retail,north\nF2,Firm 2,retail,north\n')
    [firms] = report.files
    assert (firms.rows_read, firms.loaded, firms.rejected) == (2, 2, 0)


def test_a_stray_quote_on_the_last_row_is_rejected_not_an_error(tmp_path):
    store, report = _load(tmp_path, 'F1,Firm 1,retail,north\nF2,"Firm 2,retail,north\n')
    [firms] = report.files
    assert (firms.rows_read, firms.loaded, firms.rejected) == (2, 1, 1)



def test_a_cell_over_the_csv_field_limit_is_a_reject_and_the_load_goes_on(tmp_path):
    store, report = _load(tmp_path, "F1,Firm 1,retail,north\n"
                                    f"F2,{'x' * 200_000},retail,north\n"
                                    "F3,Firm 3,retail,north\n")
    [firms] = report.files
    assert (firms.rows_read, firms.loaded, firms.rejected) == (3, 2, 1)
    [rejection] = firms.rejections
    assert rejection.line == 3 and "field larger than field limit" in rejection.errors[0][1]
    assert not store.missing_ids("Firm", ["F1", "F3"])
