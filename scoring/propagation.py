"""Seeded propagation: personalised PageRank (TrustRank) from known good and known defaulted firms.

Trust and distrust are propagated separately over every tie of the graph (all labels, as one
homogeneous graph), with hop decay from the restart probability and a cap on the share of a node's
mass that any one neighbour can receive, so no single recommender confers unbounded trust.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from graph_service.core.snapshot import GraphSnapshot


def homogeneous_graph(snapshot: GraphSnapshot, drop: dict[str, np.ndarray]) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Symmetric weighted adjacency over all nodes; `drop[label]` marks nodes whose ties are left out.

    Returns the matrix and the offset of each label's block.
    """
    offsets, total = {}, 0
    for label in sorted(snapshot.nodes):
        offsets[label] = total
        total += len(snapshot.nodes[label])
    rows, cols, weights = [], [], []
    for (source_label, _, target_label), edge in sorted(snapshot.edges.items()):
        keep = np.ones(len(edge.source), dtype=bool)
        if source_label in drop:
            keep &= ~drop[source_label][edge.source]
        if target_label in drop:
            keep &= ~drop[target_label][edge.target]
        weight = edge.strength()
        rows.append(edge.source[keep] + offsets[source_label])
        cols.append(edge.target[keep] + offsets[target_label])
        weights.append(weight[keep])
    r, c, w = np.concatenate(rows or [[]]), np.concatenate(cols or [[]]), np.concatenate(weights or [[]])
    adjacency = sp.csr_matrix((np.concatenate([w, w]), (np.concatenate([r, c]).astype(np.int64),
                                                        np.concatenate([c, r]).astype(np.int64))),
                              shape=(total, total))
    return adjacency, offsets


def transition(adjacency: sp.csr_matrix, cap: float = 0.25) -> sp.csr_matrix:
    """Row-stochastic, except that no neighbour receives more than `cap` of a node's mass."""
    degree = np.asarray(adjacency.sum(axis=1)).ravel()
    share = adjacency.multiply(1.0 / np.maximum(degree, 1e-12)[:, None]).tocsr()
    share.data = np.minimum(share.data, cap)
    return share


def personalised_pagerank(step: sp.csr_matrix, seeds: np.ndarray, restart: float = 0.2,
                          iterations: int = 30) -> np.ndarray:
    """(n,) mass reaching each node from the seed set (each hop keeps 1 - restart of it)."""
    if seeds.sum() == 0:
        return np.zeros(step.shape[0])
    start = seeds / seeds.sum()
    mass = start.copy()
    transposed = step.T.tocsr()
    for _ in range(iterations):
        mass = restart * start + (1 - restart) * (transposed @ mass)
    return mass


def trust_and_distrust(snapshot: GraphSnapshot, good: np.ndarray, bad: np.ndarray,
                       drop: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per firm: log trust, log distrust and the distrust share (the propagation model's score)."""
    adjacency, offsets = homogeneous_graph(snapshot, drop)
    step = transition(adjacency)
    n_total = adjacency.shape[0]
    firm_block = slice(offsets["Firm"], offsets["Firm"] + len(good))

    def seeded(mask: np.ndarray) -> np.ndarray:
        seeds = np.zeros(n_total)
        seeds[firm_block] = mask.astype(float)
        return personalised_pagerank(step, seeds)[firm_block] * len(good)

    trust, distrust = seeded(good), seeded(bad)
    return {
        "propagation.trust": np.log(trust + 1e-6),
        "propagation.distrust": np.log(distrust + 1e-6),
        "propagation.distrust_share": (distrust + 1e-6) / (trust + distrust + 2e-6),
    }
