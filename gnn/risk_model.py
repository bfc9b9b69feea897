"""Full-batch training and scoring of the heterogeneous GNN, deterministic on CPU for a given seed."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import torch
from torch_geometric.data import HeteroData

from gnn.model import HeteroTrustGNN

NAME = "heterogeneous GNN (PyG GraphConv, edge-weighted)"


@dataclass
class GNNRiskModel:
    seed: int = 0
    hidden: int = 16
    epochs: int = 40
    learning_rate: float = 0.01
    weight_decay: float = 5e-3
    dropout: float = 0.5
    name: str = NAME
    reads_graph = True  # scored with risk(graph, rows), not risk(x)
    columns: list[str] = field(default_factory=list)  # the firm features it reads
    net: HeteroTrustGNN | None = field(default=None, repr=False)
    scale: dict[str, tuple[torch.Tensor, torch.Tensor]] = field(default_factory=dict, repr=False)
    inputs: dict[str, list[str]] = field(default_factory=dict, repr=False)  # input columns per node type
    edge_types: list[tuple[str, str, str]] = field(default_factory=list, repr=False)

    def _node_input(self, graph: HeteroData, label: str) -> torch.Tensor:
        """The node type's inputs in the columns it was trained on. A neighbourhood may lack a node
        type (no rows) or a property (read as its training mean, i.e. standardised 0)."""
        names, (mean, _) = self.inputs[label], self.scale[label]
        if label not in graph.node_types:
            return torch.zeros((0, len(names)))
        store = graph[label]
        if list(store.columns) == names:
            return store.x
        position = {name: i for i, name in enumerate(store.columns)}
        values = mean.repeat(store.x.shape[0], 1)
        for j, name in enumerate(names):
            if name in position:
                values[:, j] = store.x[:, position[name]]
        return values

    def _inputs(self, graph: HeteroData):
        x = {}
        for label, (mean, std) in self.scale.items():
            # Clipped: a column constant at training time may vary later (e.g. history at a later date).
            x[label] = ((self._node_input(graph, label) - mean) / std).clamp(-10, 10)
        # Every tie type seen in training, empty where the graph has none; unseen types are ignored.
        edges, weights = {}, {}
        for edge_type in self.edge_types:
            if edge_type in graph.edge_types:
                edges[edge_type], weights[edge_type] = graph[edge_type].edge_index, graph[edge_type].edge_weight
            else:
                edges[edge_type], weights[edge_type] = torch.zeros((2, 0), dtype=torch.long), torch.zeros(0)
        return x, edges, weights

    def fit(self, graph: HeteroData, rows: np.ndarray, y: np.ndarray) -> "GNNRiskModel":
        """rows: (r,) firm indices with outcomes y: (r,) 0/1."""
        torch.manual_seed(self.seed)
        self.scale = {}
        self.inputs = {label: list(graph[label].columns) for label in graph.node_types}
        self.edge_types = list(graph.edge_types)
        for label in graph.node_types:
            std = graph[label].x.std(0)
            self.scale[label] = (graph[label].x.mean(0), torch.where(std < 1e-6, torch.ones_like(std), std))
        self.net = HeteroTrustGNN(graph.metadata(), {t: graph[t].x.shape[1] for t in graph.node_types}, self.hidden,
                                  self.dropout)
        x, edges, weights = self._inputs(graph)
        with torch.no_grad():
            self.net(x, edges, weights)  # materialise the lazy layers
        target = torch.from_numpy(y.astype(np.float32))
        index = torch.from_numpy(rows).long()
        positives = max(float(target.sum()), 1.0)
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(((len(y) - positives) / positives) ** 0.5))
        optimiser = torch.optim.Adam(self.net.parameters(), lr=self.learning_rate, weight_decay=self.weight_decay)
        self.net.train()
        for _ in range(self.epochs):
            optimiser.zero_grad()
            loss = loss_fn(self.net(x, edges, weights)[index], target)
            loss.backward()
            optimiser.step()
        self.net.eval()
        return self

    @torch.no_grad()
    def risk(self, graph: HeteroData, rows: np.ndarray) -> np.ndarray:
        """(r,) default probability before calibration for the firms at `rows`."""
        x, edges, weights = self._inputs(graph)
        return torch.sigmoid(self.net(x, edges, weights)).numpy()[rows].astype(np.float64)
