"""Stress tests: DebtRank-style distress propagation through guarantees and loans.

When a borrower is in distress, those exposed to it lose: each guarantor of its live loans up to the
guaranteed part of what is outstanding, the lending bank the part no guarantee covers, times LGD.
The impact on a node is that loss over its capital, capped at 1. Following DebtRank (Battiston et
al., 2012), the firms assumed to default start at distress 1; in each round every node that became
distressed in the round before passes on its distress (times the impact) once, then goes inactive;
a node's distress only grows and never exceeds 1. Guarantee companies and banks are where losses
end here: they do not borrow in the graph, so they pass nothing on.

Capital: a node's `capital` property where it has one; otherwise, for a firm, a share of its
declared (or tax-implied) revenue, and for a bank a share of its live lending. Nodes with no basis
get the median of their kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix

from graph_service.core.graph_model import LIVE_LOAN_STATUSES
from graph_service.core.snapshot import GraphSnapshot

FIRM_CAPITAL_SHARE = 0.25
BANK_CAPITAL_RATIO = 0.10


@dataclass
class ExposureNetwork:
    labels: np.ndarray  # (n,) label of each node: Firm, Guarantor or Bank
    ids: np.ndarray  # (n,) id
    capital: np.ndarray  # (n,) also each node's economic weight in the DebtRank total
    impact: csr_matrix  # (n, n) row i, column j: share of j's capital lost if i defaults, at most 1
    index: dict[tuple[str, str], int]


def exposure_network(snapshot: GraphSnapshot, lgd: float = 1.0) -> ExposureNetwork:
    firms, loans = snapshot.nodes.get("Firm"), snapshot.nodes.get("Loan")
    guarantors, banks = snapshot.nodes.get("Guarantor"), snapshot.nodes.get("Bank")
    parts = [("Firm", firms), ("Guarantor", guarantors), ("Bank", banks)]
    offset, labels, ids = {}, [], []
    for label, table in parts:
        offset[label] = len(ids)
        if table is not None:
            ids.extend(table.ids.tolist())
            labels.extend([label] * len(table))
    n = len(ids)
    sources, targets, losses = [], [], []
    if loans is not None and firms is not None:
        status = np.array([s if isinstance(s, str) else "" for s in loans.properties.get("status", [None] * len(loans))])
        live = np.isin(status, LIVE_LOAN_STATUSES)
        outstanding = loans.numeric("outstanding")
        outstanding = np.where(np.isfinite(outstanding), outstanding, loans.numeric("amount"))
        outstanding = np.nan_to_num(outstanding, nan=0.0)
        borrower = np.full(len(loans), -1)
        edge = snapshot.edges.get(("Firm", "BORROWED", "Loan"))
        if edge is not None:
            borrower[edge.target[::-1]] = edge.source[::-1]  # the first borrower listed wins
        covered = np.zeros(len(loans))
        for label in ("Guarantor", "Firm"):
            edge = snapshot.edges.get((label, "GUARANTEES", "Loan"))
            if edge is None:
                continue
            amount = np.nan_to_num(edge.numeric("amount"), nan=0.0)
            ead = np.minimum(amount, outstanding[edge.target])
            keep = live[edge.target] & (borrower[edge.target] >= 0) & (ead > 0)
            keep &= ~((label == "Firm") & (edge.source == borrower[edge.target]))
            sources.append(borrower[edge.target][keep])
            targets.append(edge.source[keep] + offset[label])
            losses.append(ead[keep] * lgd)
            np.add.at(covered, edge.target[keep], ead[keep])
        edge = snapshot.edges.get(("Bank", "GRANTED", "Loan"))
        if edge is not None:
            uncovered = np.maximum(outstanding[edge.target] - covered[edge.target], 0.0)
            keep = live[edge.target] & (borrower[edge.target] >= 0) & (uncovered > 0)
            sources.append(borrower[edge.target][keep])
            targets.append(edge.source[keep] + offset["Bank"])
            losses.append(uncovered[keep] * lgd)
    source = np.concatenate(sources) if sources else np.zeros(0, dtype=int)
    target = np.concatenate(targets) if targets else np.zeros(0, dtype=int)
    loss = np.concatenate(losses) if losses else np.zeros(0)
    capital = _capital(parts, offset, n, target, loss, lgd)
    matrix = coo_matrix((loss, (source, target)), shape=(n, n)).tocsr()  # duplicates summed
    matrix = matrix.multiply(1.0 / capital[np.newaxis, :]).tocsr()
    matrix.data = np.minimum(matrix.data, 1.0)
    labels_array = np.array(labels, dtype=object)
    ids_array = np.array(ids, dtype=object)
    return ExposureNetwork(labels_array, ids_array, capital, matrix,
                           {(label, node_id): i for i, (label, node_id) in enumerate(zip(labels, ids))})


def _capital(parts, offset, n, target, loss, lgd) -> np.ndarray:
    capital = np.full(n, np.nan)
    for label, table in parts:
        if table is None:
            continue
        own = table.numeric("capital")
        if label == "Firm":
            revenue = table.numeric("declared_revenue")
            revenue = np.where(np.isfinite(revenue), revenue, table.numeric("tax_revenue"))
            own = np.where(np.isfinite(own), own, FIRM_CAPITAL_SHARE * revenue)
        if label == "Bank":
            lent = np.bincount(target, weights=loss, minlength=n)[offset[label]:offset[label] + len(table)]
            own = np.where(np.isfinite(own), own, BANK_CAPITAL_RATIO * lent / max(lgd, 1e-9))
        own = np.where(own > 0, own, np.nan)
        fallback = np.nanmedian(own) if np.isfinite(own).any() else 1.0
        capital[offset[label]:offset[label] + len(table)] = np.where(np.isfinite(own), own, fallback)
    return np.where(capital > 0, capital, 1.0)


@dataclass
class StressResult:
    network: ExposureNetwork
    distress: np.ndarray  # (n,) final distress in [0, 1]
    initial: np.ndarray  # (n,) bool: assumed to default
    rounds: int

    @property
    def debtrank(self) -> float:
        """Distress caused beyond the assumed defaults, each node weighted by its share of all capital."""
        weight = self.network.capital / self.network.capital.sum()
        return float(np.sum(self.distress * weight) - np.sum(self.initial * weight))

    def affected_nodes(self, labels=("Guarantor", "Bank", "Firm")) -> np.ndarray:
        """Indices of every node with distress, the assumed defaults excepted, most distressed first."""
        picked = np.flatnonzero((self.distress > 0) & ~self.initial & np.isin(self.network.labels, labels))
        return picked[np.lexsort((self.network.ids[picked].astype(str), -self.distress[picked]))]

    def row(self, i: int) -> dict:
        return {"label": self.network.labels[i], "id": self.network.ids[i],
                "loss_fraction": round(float(self.distress[i]), 6)}

    def affected(self, labels=("Guarantor", "Bank", "Firm")) -> list[dict]:
        """Every node with distress, the assumed defaults excepted, most distressed first."""
        return [self.row(i) for i in self.affected_nodes(labels)]


def debtrank(network: ExposureNetwork, defaulted: list[tuple[str, str]], max_rounds: int = 100) -> StressResult:
    n = len(network.ids)
    distress = np.zeros(n)
    initial = np.zeros(n, dtype=bool)
    for key in defaulted:
        if key in network.index:
            initial[network.index[key]] = True
    distress[initial] = 1.0
    active = initial.copy()
    done = np.zeros(n, dtype=bool)
    transposed = network.impact.T.tocsr()
    rounds = 0
    while active.any() and rounds < max_rounds:
        rounds += 1
        pushed = transposed @ (distress * active)
        new = np.minimum(1.0, distress + pushed)
        done |= active
        active = (new > 0) & ~done
        distress = new
    return StressResult(network, distress, initial, rounds)


def too_central_to_fail(network: ExposureNetwork, candidates: int = 100) -> list[dict]:
    """The firms whose default alone would spread most distress (DebtRank of each on its own), among
    the `candidates` firms with the largest direct impact on others."""
    firms = np.flatnonzero(network.labels == "Firm")
    strength = np.asarray(network.impact.sum(axis=1)).ravel()[firms]
    ranked = []
    for j in np.argsort(-strength, kind="stable")[:candidates]:
        if strength[j] <= 0:
            break
        result = debtrank(network, [("Firm", network.ids[firms[j]])])
        ranked.append({"id": network.ids[firms[j]], "debtrank": round(result.debtrank, 6),
                       "affected": int(((result.distress > 0) & ~result.initial).sum())})
    return sorted(ranked, key=lambda r: (-r["debtrank"], r["id"]))
