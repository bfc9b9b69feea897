"""The heterogeneous GNN behind the one model interface (scoring.models.RiskModel): full-batch
training and scoring, deterministic on CPU for a given seed.

It reads every firm's features as its input and learns how to pass them along ties, so it reads
the graph around the firms it scores: the ModelInput's snapshot, built into a PyG HeteroData once
per input."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch_geometric.data import HeteroData

from gnn.hetero_graph import build_graph, disjoint_copies
from gnn.model import HeteroTrustGNN
from scoring.model_input import ModelInput
from scoring.models import RiskFunction, RiskModel

GNN_BATCHED_NODES = 200_000  # up to this many nodes in all, a risk function's variants share one forward pass

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
    columns: list[str] = field(default_factory=list)  # the firm features it reads
    net: HeteroTrustGNN | None = field(default=None, repr=False)
    scale: dict[str, tuple[torch.Tensor, torch.Tensor]] = field(default_factory=dict, repr=False)
    inputs: dict[str, list[str]] = field(default_factory=dict, repr=False)  # input columns per node type
    edge_types: list[tuple[str, str, str]] = field(default_factory=list, repr=False)
    weight_means: dict[tuple[str, str, str], float] = field(default_factory=dict, repr=False)  # training graph's
    # The last input's graph, so fitting and scoring the same input build it once; never saved.
    _graph_of: tuple[ModelInput, HeteroData] | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict:
        return {**self.__dict__, "_graph_of": None}

    def graph(self, data: ModelInput) -> HeteroData:
        """The input as a HeteroData, firms carrying the features in `columns`."""
        if self._graph_of is None or self._graph_of[0] is not data:
            graph = build_graph(data.snapshot, data.history, data.as_of, data.hidden, data.columns(self.columns),
                                data.ranges)
            self._graph_of = (data, graph)
        return self._graph_of[1]

    def fit(self, data: ModelInput, rows: np.ndarray, y: np.ndarray) -> "GNNRiskModel":
        """rows: (r,) firm indices with outcomes y: (r,) 0/1."""
        return self.fit_graph(self.graph(data), rows, y)

    def variant(self, name: str, columns: list[str]) -> RiskModel:
        return replace(self, name=name, columns=list(columns), net=None, scale={}, inputs={}, edge_types=[],
                       weight_means={}, _graph_of=None)

    def risk(self, data: ModelInput, rows: np.ndarray) -> np.ndarray:
        """(r,) raw risk of the firms at rows, one forward pass over the input graph."""
        return self.graph_risk(self.graph(data), rows)

    def risk_function(self, data: ModelInput, rows: np.ndarray) -> RiskFunction:
        """risk(x) for the firms at rows: the whole input graph is read, with these firms' features
        replaced by x (so reasons can switch feature groups off)."""
        graph = self.graph(data)
        base = graph["Firm"].x
        index = torch.from_numpy(rows).long()
        nodes = sum(graph[label].num_nodes for label in graph.node_types)

        def with_features(firm_x: torch.Tensor, offset: int, variant: np.ndarray) -> None:
            firm_x[index + offset, : variant.shape[1]] = torch.from_numpy(np.nan_to_num(variant, nan=0.0)).float()

        def risk(x: np.ndarray) -> np.ndarray:
            # x may stack several variants of the rows (reasons do). A small graph (one firm's
            # neighbourhood) is copied once per variant and scored in one forward pass; a large
            # one gets a forward pass per variant.
            variants = np.split(x, len(x) // len(rows))
            if len(variants) > 1 and nodes * len(variants) <= GNN_BATCHED_NODES:
                copies = disjoint_copies(graph, len(variants))
                for k, variant in enumerate(variants):
                    with_features(copies["Firm"].x, k * base.shape[0], variant)
                all_rows = np.concatenate([rows + k * base.shape[0] for k in range(len(variants))])
                return self.graph_risk(copies, all_rows)
            out = []
            try:
                for variant in variants:
                    graph["Firm"].x = base.clone()
                    with_features(graph["Firm"].x, 0, variant)
                    out.append(self.graph_risk(graph, rows))
            finally:
                graph["Firm"].x = base
            return np.concatenate(out)

        return risk

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
                mean = getattr(self, "weight_means", {}).get(edge_type, 1.0)
                edges[edge_type], weights[edge_type] = graph[edge_type].edge_index, graph[edge_type].edge_weight / mean
            else:
                edges[edge_type], weights[edge_type] = torch.zeros((2, 0), dtype=torch.long), torch.zeros(0)
        return x, edges, weights

    def fit_graph(self, graph: HeteroData, rows: np.ndarray, y: np.ndarray) -> "GNNRiskModel":
        """rows: (r,) firm indices with outcomes y: (r,) 0/1."""
        torch.manual_seed(self.seed)
        self.scale = {}
        self.inputs = {label: list(graph[label].columns) for label in graph.node_types}
        self.edge_types = list(graph.edge_types)
        self.weight_means = {t: max(float(graph[t].edge_weight.mean()), 1e-9) if graph[t].edge_weight.numel() else 1.0
                             for t in self.edge_types}
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
    def graph_risk(self, graph: HeteroData, rows: np.ndarray) -> np.ndarray:
        """(r,) default probability before calibration for the firms at `rows`."""
        x, edges, weights = self._inputs(graph)
        return torch.sigmoid(self.net(x, edges, weights)).numpy()[rows].astype(np.float64)


def gnn_models(data: ModelInput, seed: int) -> list[RiskModel]:
    """The GNN as a candidate (scoring.models.Candidates), where some tie reaches a firm: without
    one it has nothing to pass along."""
    if not any("Firm" in (key[0], key[2]) for key in data.snapshot.edges):
        return []
    return [GNNRiskModel(seed=seed, columns=list(data.names))]
