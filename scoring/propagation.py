"""Seeded propagation: personalised PageRank (TrustRank) from known good and known defaulted firms.

Trust and distrust are propagated separately over every tie of the graph (all labels, as one
homogeneous graph), with hop decay from the restart probability and a cap on the share of a node's
mass that any one neighbour can receive, so no single recommender confers unbounded trust.

Signed ties (a rating below zero, scoring/signed_ties.py) are not ties of trust: they are left out
of both walks, and distrust travels apart over them, one step only, in the manner of Guha et al.
(WWW 2004, "one-step distrust"): `propagation.distrusted` is the trust mass of the firms that gave
a firm a negative rating, shared out over their negative ratings. It goes no further, because an
enemy's enemy is no friend.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from graph_service.core.snapshot import GraphSnapshot
from scoring.signed_ties import negative_ties
from scoring.tie_reach import TieRanges


def homogeneous_graph(snapshot: GraphSnapshot, drop: dict[str, np.ndarray],
                      left_out: dict[tuple, np.ndarray] | None = None) -> tuple[sp.csr_matrix, dict[str, int]]:
    """Symmetric weighted adjacency over all nodes; `drop[label]` marks nodes whose ties are left out,
    `left_out[key]` ties of a type that are (the negative ones).

    Returns the matrix and the offset of each label's block.
    """
    offsets, total = {}, 0
    for label in sorted(snapshot.nodes):
        offsets[label] = total
        total += len(snapshot.nodes[label])
    rows, cols, weights = [], [], []
    for key, edge in sorted(snapshot.edges.items()):
        source_label, _, target_label = key
        keep = np.ones(len(edge.source), dtype=bool)
        if left_out and key in left_out:
            keep &= ~left_out[key]
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
    """(n,) mass reaching each node from the seeds, each with a mass of 1 (each hop keeps 1 - restart
    of it). Linear in the seeds: a part of the graph with no tie to the rest gets the same mass
    whether scored alone or within the whole."""
    start = np.asarray(seeds, dtype=float)
    mass = start.copy()
    transposed = step.T.tocsr()
    for _ in range(iterations):
        mass = restart * start + (1 - restart) * (transposed @ mass)
    return mass


@dataclass(frozen=True)
class SeedCounts:
    """How many firms, and known good and bad firms, the trust and the distrust are shared out over:
    the training graph's, kept by the model, so a score does not depend on the snapshot's size."""

    firms: int
    good: int
    bad: int


def _negative_ties(snapshot: GraphSnapshot, ranges: TieRanges) -> dict[tuple, np.ndarray]:
    """Per tie type with a signed property: (m,) bool, the tie is negative."""
    out = {}
    for key, edge in snapshot.edges.items():
        negative = negative_ties(edge, ranges)
        if negative is not None:
            out[key] = negative
    return out


def _one_step_distrust(snapshot: GraphSnapshot, negative: dict[tuple, np.ndarray], trust: np.ndarray,
                       drop: dict[str, np.ndarray]) -> np.ndarray:
    """(firms,) per firm, the trust of the firms that rated it negatively, each rater's trust shared
    out over its negative ratings (firm-to-firm ties only)."""
    n = len(trust)
    sources, targets = [], []
    for key, mask in sorted(negative.items()):
        if (key[0], key[2]) != ("Firm", "Firm"):
            continue
        edge = snapshot.edges[key]
        keep = mask & ~drop["Firm"][edge.source] & ~drop["Firm"][edge.target]
        sources.append(edge.source[keep])
        targets.append(edge.target[keep])
    if not sources:
        return np.zeros(n)
    source, target = np.concatenate(sources), np.concatenate(targets)
    given = np.bincount(source, minlength=n)
    return np.bincount(target, weights=trust[source] / np.maximum(given[source], 1), minlength=n)


def trust_and_distrust(snapshot: GraphSnapshot, good: np.ndarray, bad: np.ndarray,
                       drop: dict[str, np.ndarray], counts: SeedCounts | None = None,
                       ranges: TieRanges | None = None) -> dict[str, np.ndarray]:
    """Per firm: log trust, log distrust and the distrust share (the propagation model's score), and
    the one-step distrust over negative ties (ranges: which types are signed). Each seed's mass is
    firms / seeds of its kind (counts: this snapshot's when None), so trust and distrust weigh alike
    however rare defaults are."""
    negative = _negative_ties(snapshot, ranges) if ranges is not None else {}
    adjacency, offsets = homogeneous_graph(snapshot, drop, negative)
    step = transition(adjacency)
    n_total = adjacency.shape[0]
    firm_block = slice(offsets["Firm"], offsets["Firm"] + len(good))

    counts = counts or SeedCounts(len(good), int(good.sum()), int(bad.sum()))

    def seeded(mask: np.ndarray, seeds_of_kind: int) -> np.ndarray:
        seeds = np.zeros(n_total)
        seeds[firm_block] = mask.astype(float) * counts.firms / max(seeds_of_kind, 1)
        return personalised_pagerank(step, seeds)[firm_block]

    trust, distrust = seeded(good, counts.good), seeded(bad, counts.bad)
    distrusted = _one_step_distrust(snapshot, negative, trust, drop)
    return {
        "propagation.trust": np.log(trust + 1e-6),
        "propagation.distrust": np.log(distrust + 1e-6),
        "propagation.distrust_share": (distrust + distrusted + 1e-6) / (trust + distrust + distrusted + 2e-6),
        "propagation.distrusted": np.log(distrusted + 1e-6),
    }
