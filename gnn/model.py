"""A heterogeneous GNN that uses edge weights: per-type input projections, then two GraphConv
layers made heterogeneous with `to_hetero` (one weight matrix per relationship type).

GraphConv (Morris et al., "Weisfeiler and Leman Go Neural", AAAI 2019):
    x_i' = W1 x_i + W2 * sum_{j in N(i)} e_ji x_j
with e_ji the edge weight (trade volume, guarantee amount). Inductive: a firm absent at training
time is scored from its own inputs and its neighbours' through the same weights.
"""

from __future__ import annotations

import torch
from torch import nn
from torch_geometric.nn import GraphConv, to_hetero


class _Layers(nn.Module):
    def __init__(self, hidden: int, dropout: float):
        super().__init__()
        self.conv1 = GraphConv((-1, -1), hidden, aggr="mean")
        self.conv2 = GraphConv((-1, -1), hidden, aggr="mean")
        self.out = nn.Linear(hidden, 1)
        # A module, not functional dropout: to_hetero traces forward once, and would freeze
        # `self.training` at its value then (dropout on at scoring time).
        self.drop = nn.Dropout(dropout)

    def forward(self, x, edge_index, edge_weight):
        h = torch.relu(self.conv1(x, edge_index, edge_weight))
        h = self.drop(h)
        h = torch.relu(self.conv2(h, edge_index, edge_weight))
        return self.out(h)


class HeteroTrustGNN(nn.Module):
    """forward(x_dict, edge_index_dict, edge_weight_dict) -> (n_firms,) default logits."""

    def __init__(self, metadata, input_sizes: dict[str, int], hidden: int = 32, dropout: float = 0.1):
        super().__init__()
        self.project = nn.ModuleDict({label: nn.Linear(size, hidden) for label, size in input_sizes.items()})
        self.drop = nn.Dropout(dropout)
        self.layers = to_hetero(_Layers(hidden, dropout), metadata, aggr="sum")

    def forward(self, x_dict, edge_index_dict, edge_weight_dict):
        h = {label: self.drop(torch.relu(self.project[label](x))) for label, x in x_dict.items()}
        return self.layers(h, edge_index_dict, edge_weight_dict)["Firm"].squeeze(-1)
