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

    def _inputs(self, graph: HeteroData):
        # Clipped: a column constant at training time may vary later (e.g. history at a later date).
        x = {label: ((graph[label].x - mean) / std).clamp(-10, 10) for label, (mean, std) in self.scale.items()}
        return x, graph.edge_index_dict, graph.collect("edge_weight")

    def fit(self, graph: HeteroData, rows: np.ndarray, y: np.ndarray) -> "GNNRiskModel":
        """rows: (r,) firm indices with outcomes y: (r,) 0/1."""
        torch.manual_seed(self.seed)
        self.scale = {}
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
