"""A scoring snapshot as a PyG HeteroData, as of a date, with thin-file firms' own loans removed.

Node inputs (named columns): firms get their own features (attributes, source agreement, history so far) and what
was known of their outcome at the date; other nodes get their numeric properties and degree; a
loan gets its terms (LOAN_TERMS: not its balance, which is as last reported) and whether it had
defaulted by the date. A signed type (ratings below and above zero) is two relations: its negative
ties (TYPE_NEGATIVE) and the others, so distrust and trust are learnt apart. Every relationship type gets a reverse type, so
every node type receives messages, and an edge weight from its volume or amount (log-scaled;
the model divides it by the training graph's mean of its type, so it does not depend on which
other ties are in the snapshot).
"""

from __future__ import annotations

import numpy as np
import torch
from torch_geometric.data import HeteroData

from scoring.features import LINEAGE, known_bad, own_features
from scoring.outcomes import CreditHistory
from graph_service.core.snapshot import GraphSnapshot
from scoring.signed_ties import negative_ties
from scoring.tie_reach import TieRanges
from scoring.track_record import PREFIX as TRACK_RECORD_PREFIX

# A signed type's negative ties (scoring/signed_ties.py) are a relation of their own: distrust
# passes its own messages, with its own weights, apart from trust.
NEGATIVE = "_NEGATIVE"


# What a loan carries from the day it is issued; its other numbers (outstanding, days late) are its
# state as last reported, which as of any earlier date is the future (its outcome shows through them).
LOAN_TERMS = frozenset({"amount", "principal", "rate", "interest_rate", "term_months", "term_days"})


def _node_inputs(snapshot: GraphSnapshot, history: CreditHistory, as_of, hidden,
                 firm_features: np.ndarray | None) -> dict[str, tuple[list[str], np.ndarray]]:
    """label -> (column names, values): the names let a model trained on the whole graph read a
    small neighbourhood, where some properties may be absent."""
    inputs = {}
    labelled, bad = known_bad(history, as_of, hidden)
    if firm_features is None:
        firm_features = np.column_stack(list(own_features(snapshot, history, as_of, hidden).values()))
    names = [f"feature_{i}" for i in range(firm_features.shape[1])] + ["known_outcome", "known_bad"]
    inputs["Firm"] = (names, np.column_stack([firm_features, labelled, bad]).astype(float))
    for label, table in snapshot.nodes.items():
        if label == "Firm":
            continue
        names, columns = ["bias"], [np.ones(len(table))]
        for name in sorted(table.properties):
            if name in LINEAGE or name.startswith(TRACK_RECORD_PREFIX):
                continue  # stored track records know today's outcomes: a model computes its own as of its date
            if label == "Loan" and name not in LOAN_TERMS:
                continue  # a loan's balance or arrears are as last reported: as of an earlier date, the future
            values = table.numeric(name)
            if np.isfinite(values).any():
                names.append(name)
                columns.append(np.sign(values) * np.log1p(np.abs(values)))
        if label == "Loan" and history.loan.size:
            defaulted = np.zeros(len(table))
            defaulted[history.loan[(history.loan >= 0) & history.defaulted_before(as_of)]] = 1.0
            names.append("defaulted")
            columns.append(defaulted)
        inputs[label] = (names, np.column_stack(columns))
    return inputs


def build_graph(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64,
                hidden: np.ndarray, firm_features: np.ndarray | None = None,
                ranges: TieRanges | None = None) -> HeteroData:
    """firm_features: (n_firms, f) inputs for firms (default: their own features and history).
    ranges: the training graph's tie ranges, which say which types are signed (None: none is)."""
    data = HeteroData()
    # Only node types that some tie reaches take part (to_hetero needs every type to get messages).
    tied = {"Firm"} | {label for key in snapshot.edges for label in (key[0], key[2])}
    for label, (names, values) in _node_inputs(snapshot, history, as_of, hidden, firm_features).items():
        if label in tied:
            data[label].x = torch.from_numpy(np.nan_to_num(values, nan=0.0)).float()
            data[label].columns = names
    hidden_loan = np.zeros(len(snapshot.nodes["Loan"]) if "Loan" in snapshot.nodes else 0, dtype=bool)
    if hidden_loan.size:
        hidden_loan[history.loan[(history.loan >= 0) & hidden[history.firm]]] = True
    for (source_label, rel_type, target_label), edge in sorted(snapshot.edges.items()):
        keep = np.ones(len(edge.source), dtype=bool)
        if source_label == "Loan":
            keep &= ~hidden_loan[edge.source]
        if target_label == "Loan":
            keep &= ~hidden_loan[edge.target]
        negative = negative_ties(edge, ranges) if ranges is not None else None
        parts = [(rel_type, keep)] if negative is None else [(rel_type, keep & ~negative),
                                                             (rel_type + NEGATIVE, keep & negative)]
        for name, mask in parts:
            weight = edge.strength()[mask]  # the model divides it by its training graph's mean per type
            index = torch.from_numpy(np.vstack([edge.source[mask], edge.target[mask]])).long()
            w = torch.from_numpy(weight).float()
            data[source_label, name, target_label].edge_index = index
            data[source_label, name, target_label].edge_weight = w
            data[target_label, f"rev_{name}", source_label].edge_index = index.flip(0)
            data[target_label, f"rev_{name}", source_label].edge_weight = w
    return data


def disjoint_copies(graph: HeteroData, copies: int) -> HeteroData:
    """`copies` copies of the graph side by side, with no ties between them: copy k's node i of a
    type is node k * n + i. One forward pass over them scores several variants of a small graph."""
    out = HeteroData()
    for label in graph.node_types:
        out[label].x = graph[label].x.repeat(copies, 1)
        out[label].columns = graph[label].columns
    for edge_type in graph.edge_types:
        source, _, target = edge_type
        sizes = torch.tensor([[graph[source].num_nodes], [graph[target].num_nodes]])
        index = graph[edge_type].edge_index
        out[edge_type].edge_index = torch.cat([index + k * sizes for k in range(copies)], dim=1)
        out[edge_type].edge_weight = graph[edge_type].edge_weight.repeat(copies)
    return out
