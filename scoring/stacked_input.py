"""Several model inputs side by side as one: how a model trains on out-of-fold rows.

Each firm's training row must come from an input in which its own outcome is hidden (and, for its
validation segment, the ties it is to lack are removed). Those are several inputs, one per fold;
stacking them into one, as disjoint copies of the graph with no tie between copies, lets every
model kind, the GNN included, fit on all of those rows in one call.

The inputs may be as of different dates (a panel, scoring/panel.py): the stacked input is as of the
first one's, and each copy's outcomes are shifted by the gap, so that as of the stacked date a copy
knows exactly what its own input knew as of its own date.
"""

from __future__ import annotations

import numpy as np

from graph_service.core.snapshot import EdgeTable, GraphSnapshot, NodeTable
from scoring.model_input import ModelInput
from scoring.outcomes import FAR, CreditHistory


def _stack_snapshots(snapshots: list[GraphSnapshot]) -> tuple[GraphSnapshot, list[dict[str, int]]]:
    labels = sorted({label for s in snapshots for label in s.nodes})
    offsets = [dict.fromkeys(labels, 0) for _ in snapshots]
    nodes = {}
    for label in labels:
        ids, properties, total = [], {}, 0
        names = sorted({name for s in snapshots if label in s.nodes for name in s.nodes[label].properties})
        for k, snapshot in enumerate(snapshots):
            table = snapshot.nodes.get(label)
            size = len(table) if table is not None else 0
            offsets[k][label] = total
            total += size
            if table is None:
                continue
            ids.extend(f"{k}:{node_id}" for node_id in table.ids.tolist())
            for name in names:
                properties.setdefault(name, []).extend(table.properties.get(name, [None] * size))
        nodes[label] = NodeTable(label, np.array(ids, dtype=object), properties)
    edges = {}
    for key in sorted({key for s in snapshots for key in s.edges}):
        parts = [(k, s.edges[key]) for k, s in enumerate(snapshots) if key in s.edges]
        names = sorted({name for _, e in parts for name in e.properties})
        properties = {name: [v for _, e in parts for v in e.properties.get(name, [None] * len(e.source))]
                      for name in names}
        edges[key] = EdgeTable(key[0], key[1], key[2],
                               np.concatenate([e.source + offsets[k][key[0]] for k, e in parts]),
                               np.concatenate([e.target + offsets[k][key[2]] for k, e in parts]), properties)
    return GraphSnapshot(nodes, edges), offsets


def _stack_histories(histories: list[CreditHistory], offsets: list[dict[str, int]],
                     shifts: list[np.timedelta64]) -> CreditHistory:
    def loan(k: int, h: CreditHistory) -> np.ndarray:
        return np.where(h.loan >= 0, h.loan + offsets[k].get("Loan", 0), -1)

    def shifted(name: str) -> np.ndarray:  # FAR and NaT stay as they are
        parts = []
        for h, shift in zip(histories, shifts):
            days = getattr(h, name)
            parts.append(np.where(np.isnat(days) | (days >= FAR - shift), days, days + shift))
        return np.concatenate(parts).astype("datetime64[D]")

    return CreditHistory(
        firm=np.concatenate([h.firm + offsets[k]["Firm"] for k, h in enumerate(histories)]),
        start=shifted("start"), end=shifted("end"), default_day=shifted("default_day"),
        amount=np.concatenate([h.amount for h in histories]),
        loan=np.concatenate([loan(k, h) for k, h in enumerate(histories)]),
        observed_until=histories[0].observed_until, n_firms=sum(h.n_firms for h in histories),
        static=histories[0].static)


def stack_inputs(inputs: list[ModelInput], rows: list[np.ndarray]) -> tuple[ModelInput, np.ndarray]:
    """(one input holding every input as a disjoint copy, the rows' indices in it)."""
    if len(inputs) == 1:
        return inputs[0], rows[0]
    snapshot, offsets = _stack_snapshots([data.snapshot for data in inputs])
    names = list(dict.fromkeys(name for data in inputs for name in data.names))
    matrix = np.vstack([data.columns(names) if data.names != names else data.matrix for data in inputs])
    shifts = [(inputs[0].as_of - d.as_of).astype("timedelta64[D]") for d in inputs]
    history = _stack_histories([d.history for d in inputs], offsets, shifts)
    stacked = ModelInput(snapshot, history, inputs[0].as_of,
                         np.concatenate([d.hidden for d in inputs]), names, matrix, inputs[0].ranges,
                         inputs[0].schema, inputs[0].seed_counts)
    return stacked, np.concatenate([r + offsets[k]["Firm"] for k, r in enumerate(rows)])

