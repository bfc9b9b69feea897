"""Recommenders' track records, computed from every outcome known today and put on the Chamber and
Market nodes for investigators (see scoring/track_record.py for what they hold)."""

from __future__ import annotations

import numpy as np

from graph_service.core.ports import AnnotatingStore
from scoring.outcomes import read_history
from graph_service.core.snapshot import read_snapshot
from scoring.track_record import RECOMMENDERS, track_records


def record_track_records(store: AnnotatingStore) -> dict[str, list[dict]]:
    """Compute every recommender's record and write it on its node; returns label -> rows."""
    snapshot = read_snapshot(store, ("Firm", "Loan", *RECOMMENDERS), ("BORROWED", "RECOMMENDS"))
    history = read_history(snapshot)
    records = track_records(snapshot, history, history.observed_until + np.timedelta64(1, "D"))
    for label, rows in records.items():
        store.set_node_properties(label, rows)
    return records
