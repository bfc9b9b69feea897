"""Properties are taken as of the date: a value dated after an as-of date changes no feature, one
dated before it does."""

import numpy as np

from graph_service.core.snapshot import GraphSnapshot, NodeTable
from scoring.model_input import model_input
from scoring.outcomes import HORIZON, read_history


def _with_turnover(snapshot: GraphSnapshot, early: np.ndarray, late: np.ndarray, early_day: str, late_day: str):
    firms = snapshot.nodes["Firm"]
    properties = dict(firms.properties)
    properties[f"turnover@{early_day}"] = [float(v) for v in early]
    properties[f"turnover@{late_day}"] = [float(v) for v in late]
    return GraphSnapshot({**snapshot.nodes, "Firm": NodeTable("Firm", firms.ids, properties)}, snapshot.edges)


def test_a_value_dated_after_the_as_of_date_changes_no_feature(small_world_snapshot):
    history = read_history(small_world_snapshot)
    as_of = history.observed_until - HORIZON
    early_day, late_day = str(as_of - HORIZON), str(as_of + np.timedelta64(30, "D"))
    n = len(small_world_snapshot.nodes["Firm"])
    rng = np.random.default_rng(3)
    early, late = rng.lognormal(10, 1, n), rng.lognormal(10, 1, n)
    hidden = np.zeros(n, dtype=bool)

    def features(snapshot):
        data = model_input(snapshot, history, as_of, hidden)
        return data.names, np.nan_to_num(data.matrix, nan=-7)

    names, base = features(_with_turnover(small_world_snapshot, early, late, early_day, late_day))
    assert any("turnover" in name for name in names)  # the value in force on the date is a feature
    _, other_future = features(_with_turnover(small_world_snapshot, early, late * 3, early_day, late_day))
    np.testing.assert_array_equal(base, other_future)
    _, other_past = features(_with_turnover(small_world_snapshot, early * 3, late, early_day, late_day))
    assert not np.array_equal(base, other_past)
    latest = _with_turnover(small_world_snapshot, early, late, early_day, late_day).nodes["Firm"]
    assert latest.properties["turnover"] == [float(v) for v in late]  # today, the latest value
