"""Guarantee patterns across the whole network: mutual pairs, circles, chains and stars.

Firms are linked guarantor -> borrower whenever a firm guarantees a loan of another (any status:
a pattern is about how firms tie themselves together). Circles can only lie inside a strongly
connected component, so components are found first (scipy, linear time) and simple cycles of at
most MAX_CIRCLE firms are then enumerated inside each one, by a bounded depth-first search that
starts every cycle at its smallest member (each found once). Chains are the longest guarantee
paths below a firm through the graph of components; stars are firms that guarantee many others.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from graph_service.core.ports import AnnotatingStore, SnapshotSource
from graph_service.core.snapshot import GraphSnapshot

MAX_CIRCLE = 6
MAX_CIRCLES_PER_COMPONENT = 1000
STAR_MIN = 5  # a firm guaranteeing loans of this many other firms is a star
CHAIN_MIN = 3  # a chain: at least this many guarantees in a row


@dataclass
class GuaranteePatterns:
    firms: list[str]  # every firm in a guarantee between firms, sorted
    circles: list[list[str]]  # member i guarantees a loan of member i+1 (and the last of the first)
    chain_depth: dict[str, int]  # firm -> most guarantees in a row starting at it (circles count once)
    stars: dict[str, int]  # firm -> how many other firms it guarantees, for stars only
    truncated_components: int  # components where circle enumeration hit its cap

    @property
    def mutual_pairs(self) -> list[list[str]]:
        return [c for c in self.circles if len(c) == 2]

    def flags(self) -> list[dict]:
        """Per firm in a pattern: properties for the graph (and, as numbers, for the models)."""
        circle_sizes: dict[str, int] = {}
        for circle in self.circles:
            for firm in circle:
                circle_sizes[firm] = min(circle_sizes.get(firm, 99), len(circle))
        rows = []
        for firm in self.firms:
            rows.append({"id": firm, "properties": {  # numbers, so the models can read them
                "guarantee_circle_size": circle_sizes.get(firm, 0),
                "guarantee_mutual_pair": int(circle_sizes.get(firm) == 2),
                "guarantee_chain_depth": self.chain_depth.get(firm, 0),
                "guarantee_star": int(firm in self.stars),
            }})
        return rows


FLAGS = ("guarantee_circle_size", "guarantee_mutual_pair", "guarantee_chain_depth", "guarantee_star")


def detect_and_flag(store: AnnotatingStore) -> GuaranteePatterns:
    """Find the patterns in the stored graph and put them on the firms (earlier flags are replaced)."""
    patterns = find_patterns(firm_guarantee_edges(store))
    store.flag_firms(patterns.flags(), FLAGS)
    return patterns


def firm_guarantee_edges(store: SnapshotSource) -> set[tuple[str, str]]:
    """(guarantor firm, borrower firm) for every guarantee a firm gives on another firm's loan."""
    return guarantee_edges_of(store.export_relationships("BORROWED"), store.export_relationships("GUARANTEES"))


def snapshot_guarantee_edges(snapshot: GraphSnapshot) -> set[tuple[str, str]]:
    """The same edges from a snapshot that holds Firm, Loan, BORROWED and GUARANTEES."""
    def rows(rel_type: str):
        for (from_label, type_name, to_label), edge in snapshot.edges.items():
            if type_name == rel_type:
                from_ids, to_ids = snapshot.nodes[from_label].ids, snapshot.nodes[to_label].ids
                for a, b in zip(from_ids[edge.source].tolist(), to_ids[edge.target].tolist()):
                    yield from_label, a, to_label, b, None

    return guarantee_edges_of(rows("BORROWED"), rows("GUARANTEES"))


def guarantee_edges_of(borrowed: Iterable[tuple], guarantees: Iterable[tuple]) -> set[tuple[str, str]]:
    """From (from_label, from_id, to_label, to_id, properties) rows of BORROWED and GUARANTEES."""
    borrower_of = {}
    for from_label, from_id, _, loan_id, _ in borrowed:
        if from_label == "Firm":
            borrower_of.setdefault(loan_id, from_id)
    edges = set()
    for from_label, from_id, _, loan_id, _ in guarantees:
        borrower = borrower_of.get(loan_id)
        if from_label == "Firm" and borrower is not None and borrower != from_id:
            edges.add((from_id, borrower))
    return edges


def find_patterns(edges: set[tuple[str, str]], max_circle: int = MAX_CIRCLE) -> GuaranteePatterns:
    firms = sorted({f for edge in edges for f in edge})
    index = {f: i for i, f in enumerate(firms)}
    n = len(firms)
    if n == 0:
        return GuaranteePatterns([], [], {}, {}, 0)
    source = np.array([index[a] for a, _ in sorted(edges)])
    target = np.array([index[b] for _, b in sorted(edges)])
    graph = csr_matrix((np.ones(len(source)), (source, target)), shape=(n, n))
    count, component = connected_components(graph, directed=True, connection="strong")
    successors = [graph.indices[graph.indptr[i]:graph.indptr[i + 1]] for i in range(n)]

    circles: list[list[int]] = []
    truncated = 0
    members_of: dict[int, list[int]] = {}
    for node, c in enumerate(component):
        members_of.setdefault(int(c), []).append(node)
    for members in members_of.values():
        if len(members) < 2:
            continue
        found = _cycles(members, successors, component, max_circle)
        if len(found) > MAX_CIRCLES_PER_COMPONENT:
            found, truncated = found[:MAX_CIRCLES_PER_COMPONENT], truncated + 1
        circles.extend(found)

    # Longest run of guarantees from each firm, over the graph of components (a circle counts once).
    condensed: dict[int, set[int]] = {}
    for a, b in zip(source.tolist(), target.tolist()):
        if component[a] != component[b]:
            condensed.setdefault(int(component[a]), set()).add(int(component[b]))
    depth = np.zeros(count, dtype=int)
    for c in _topological(count, condensed)[::-1]:
        below = [depth[d] + 1 for d in condensed.get(c, ())]
        depth[c] = max(below, default=0)
    out_degree = np.diff(graph.indptr)
    return GuaranteePatterns(
        firms=firms,
        circles=sorted(([firms[i] for i in c] for c in circles), key=lambda c: (len(c), c)),
        chain_depth={firms[i]: int(depth[component[i]]) for i in range(n) if depth[component[i]] >= CHAIN_MIN},
        stars={firms[i]: int(out_degree[i]) for i in range(n) if out_degree[i] >= STAR_MIN},
        truncated_components=truncated,
    )


def _cycles(members: list[int], successors, component, max_len: int) -> list[list[int]]:
    """Simple cycles of at most max_len nodes inside one component, each starting at its smallest node."""
    found = []
    c = component[members[0]]
    for start in sorted(members):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in successors[node].tolist():
                if component[nxt] != c or nxt < start:
                    continue
                if nxt == start:
                    found.append(path)
                elif nxt not in path and len(path) < max_len:
                    stack.append((nxt, path + [nxt]))
            if len(found) > MAX_CIRCLES_PER_COMPONENT:
                return found
    return found


def _topological(count: int, edges: dict[int, set[int]]) -> list[int]:
    incoming = np.zeros(count, dtype=int)
    for targets in edges.values():
        for t in targets:
            incoming[t] += 1
    ready = [c for c in range(count) if incoming[c] == 0]
    order = []
    while ready:
        c = ready.pop()
        order.append(c)
        for t in edges.get(c, ()):
            incoming[t] -= 1
            if incoming[t] == 0:
                ready.append(t)
    return order
