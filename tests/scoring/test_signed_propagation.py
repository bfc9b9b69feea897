"""Propagation and the GNN read the sign of a rating: distrust travels apart from trust."""

import numpy as np

from gnn.hetero_graph import build_graph
from graph_service.core.snapshot import snapshot_from_rows
from scoring.model_input import model_input
from scoring.outcomes import read_history


def _ratings(x_rating: int):
    """Known good raters G0..G4 rate X with x_rating and Y with +8; B is a known defaulter that
    rated nobody; filler firms rate each other so the range of ratings spans both signs."""
    nodes = [{"label": "Firm", "id": f"G{i}", "properties": {"defaulted": False}} for i in range(5)]
    nodes += [{"label": "Firm", "id": "B", "properties": {"defaulted": True}}]
    nodes += [{"label": "Firm", "id": name, "properties": {}} for name in ("X", "Y", "F0", "F1")]

    def rates(source, target, rating):
        return {"type": "RATES", "from_label": "Firm", "from_id": source, "to_label": "Firm", "to_id": target,
                "properties": {"rating": rating}}

    ties = [rates(f"G{i}", "X", x_rating) for i in range(5)] + [rates(f"G{i}", "Y", 8) for i in range(5)]
    ties += [rates("F0", "F1", -10), rates("F1", "F0", 10), rates("F0", "B", 5)]
    return snapshot_from_rows(nodes, ties)


def _features(snapshot):
    history = read_history(snapshot)
    data = model_input(snapshot, history, history.observed_until + np.timedelta64(1, "D"),
                       np.zeros(len(snapshot.nodes["Firm"]), dtype=bool))
    firms = snapshot.nodes["Firm"]
    return data, {firm: dict(zip(data.names, data.matrix[firms.index[firm]])) for firm in ("X", "Y")}


def test_negative_ratings_from_trusted_firms_are_distrust_not_trust():
    _, distrusted = _features(_ratings(-9))
    _, trusted = _features(_ratings(+9))
    x_neg, x_pos = distrusted["X"], trusted["X"]
    # Five known-good firms rating X -9 pass it no trust: X is as untrusted as a firm nobody rated.
    assert x_neg["propagation.trust"] < x_pos["propagation.trust"] - 1
    assert x_neg["propagation.distrusted"] > np.log(1e-6) + 1  # the trust of those who distrust it
    assert x_pos["propagation.distrusted"] == np.log(1e-6)  # nobody rated it negatively
    assert distrusted["Y"]["propagation.distrusted"] == np.log(1e-6)
    # The propagation model's score ranks X the riskier of the two only when its ratings are negative.
    assert x_neg["propagation.distrust_share"] > distrusted["Y"]["propagation.distrust_share"]
    assert x_pos["propagation.distrust_share"] <= trusted["Y"]["propagation.distrust_share"] + 1e-9


def test_the_gnn_passes_negative_ratings_along_a_relation_of_their_own():
    data, _ = _features(_ratings(-9))
    graph = build_graph(data.snapshot, data.history, data.as_of, data.hidden, data.matrix, data.ranges)
    firms = data.snapshot.nodes["Firm"]
    negative = graph["Firm", "RATES_NEGATIVE", "Firm"].edge_index
    positive = graph["Firm", "RATES", "Firm"].edge_index
    assert negative.shape[1] == 5 + 1  # the five -9 ratings of X and F0's -10
    assert set(negative[1].tolist()) == {firms.index["X"], firms.index["F1"]}
    assert firms.index["X"] not in set(positive[1].tolist())
    assert ("Firm", "rev_RATES_NEGATIVE", "Firm") in graph.edge_types
    unsigned = build_graph(data.snapshot, data.history, data.as_of, data.hidden, data.matrix)
    assert ("Firm", "RATES_NEGATIVE", "Firm") not in unsigned.edge_types  # without the ranges, no type is signed
