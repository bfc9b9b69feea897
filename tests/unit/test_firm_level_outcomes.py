"""Firm-level outcomes (a graph without loans): the text "false" is never a default, a verdict that
is neither true nor false is refused with the firms named, and a file's unreadable verdict is a reject."""

import pytest

from graph_service.core.errors import TrustNetError
from graph_service.core.snapshot import snapshot_from_rows
from scoring.outcomes import read_history


def _firms(verdicts: list) -> list[dict]:
    return [{"label": "Firm", "id": f"F{i}", "properties": {"name": f"Firm {i}", "defaulted": v,
                                                            "outcome_date": None}}
            for i, v in enumerate(verdicts)]


def test_the_text_false_is_not_a_default():
    history = read_history(snapshot_from_rows(_firms(["true", "false", "False", "no", "0", True, 0]), []))
    defaulted = {int(f) for f, day in zip(history.firm, history.default_day) if day == day}
    assert len(history.firm) == 7
    assert defaulted == {0, 5}


def test_a_verdict_that_is_neither_is_refused_naming_the_firm():
    with pytest.raises(TrustNetError, match=r"F1 has 'maybe'"):
        read_history(snapshot_from_rows(_firms(["true", "maybe", "false"]), []))


def test_a_file_with_an_unreadable_verdict_rejects_that_row_only(tmp_path, memory_store):
    from graph_service.core.graph_model import REFERENCE_MODEL
    from graph_service.services.ingest import load
    from loaders.discovery import plan_load

    (tmp_path / "Firm.csv").write_text("id,name,defaulted,outcome_date\nA,Alpha,true,2024-06-30\n"
                                       "B,Beta,false,2024-06-30\nC,Gamma,maybe,2024-06-30\n")
    report = load(memory_store, plan_load(tmp_path, REFERENCE_MODEL, "test"), tmp_path / "rejects")
    assert (report.loaded, report.rejected) == (2, 1)
    assert memory_store.nodes[("Firm", "B")]["defaulted"] is False
    assert memory_store.nodes[("Firm", "A")]["defaulted"] is True

