"""What the firms to be scored lack, and validation that lacks the same.

A model validated on firms that still have everything (their received ratings, their guarantees)
and then asked to score newcomers that have none of it is judged on the wrong population. So the
evaluation compares the firms to be scored (no outcome) with the labelled firms, tie kind by tie
kind: a *lack* is a kind of tie (a relationship type and direction, such as received ratings,
`RATES.in`) that at least MIN_FIRMS firms to be scored have none of, at least twice as often as
labelled firms do. The evaluation then scores a seeded share of its validation firms with exactly
those ties removed (their "segment"), reports every segment apart, and ships only a model that
holds on each (scoring/model_choice.py).

`trustnet train --lacks RATES.in,GUARANTEES.in` sets the lacks instead (`--lacks none`: none).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph_service.core.errors import TrustNetError
from graph_service.core.snapshot import GraphSnapshot

MIN_FIRMS = 20
OVER_REPRESENTED = 2.0
AS_IS = "as-is"  # the segment of validation firms scored with what they have (own outcome hidden)


@dataclass(frozen=True)
class Lack:
    rel_type: str
    direction: str  # "in" or "out": the firm is the target / the source of the ties

    @property
    def name(self) -> str:
        return f"{self.rel_type}.{self.direction}"

    @classmethod
    def parse(cls, text: str) -> "Lack":
        rel_type, _, direction = text.strip().rpartition(".")
        if not rel_type or direction not in ("in", "out"):
            raise TrustNetError(f"a lack is TYPE.in or TYPE.out (ties received or given), not {text!r}")
        return cls(rel_type, direction)


def parse_lacks(text: str | None) -> tuple[Lack, ...] | None:
    """None: infer them; "none": none; else a comma-separated list such as "RATES.in"."""
    if text is None:
        return None
    if text.strip().lower() == "none":
        return ()
    return tuple(Lack.parse(part) for part in text.split(",") if part.strip())


def _firm_ends(snapshot: GraphSnapshot, lack: Lack):
    """(edge table, the firm-end index array) for every tie key of the lack's type with a firm at that end."""
    for (source_label, rel_type, target_label), edge in sorted(snapshot.edges.items()):
        if rel_type != lack.rel_type:
            continue
        label, ends = (target_label, edge.target) if lack.direction == "in" else (source_label, edge.source)
        if label == "Firm":
            yield (source_label, rel_type, target_label), edge, ends


def tie_counts(snapshot: GraphSnapshot, lack: Lack) -> np.ndarray:
    n = len(snapshot.nodes["Firm"])
    return sum((np.bincount(ends, minlength=n) for _, _, ends in _firm_ends(snapshot, lack)), np.zeros(n))


def candidate_lacks(snapshot: GraphSnapshot) -> list[Lack]:
    """Every tie kind a firm can lack: each type and direction with a firm at that end (loans aside)."""
    out = set()
    for source_label, rel_type, target_label in snapshot.edges:
        if rel_type == "BORROWED":
            continue  # a firm's own loans: its credit history, hidden for every scored-like firm anyway
        if target_label == "Firm":
            out.add(Lack(rel_type, "in"))
        if source_label == "Firm":
            out.add(Lack(rel_type, "out"))
    return sorted(out, key=lambda lack: lack.name)


@dataclass(frozen=True)
class LackFinding:
    lack: Lack
    scored_lacking: int
    scored: int
    labelled_lacking: int
    labelled: int

    def line(self) -> str:
        return (f"{self.lack.name}: {self.scored_lacking:,} of {self.scored:,} firms to be scored have none "
                f"({self.scored_lacking / max(self.scored, 1):.1%}), against {self.labelled_lacking:,} of "
                f"{self.labelled:,} labelled firms ({self.labelled_lacking / max(self.labelled, 1):.1%})")


def infer_lacks(snapshot: GraphSnapshot, labelled: np.ndarray) -> tuple[tuple[Lack, ...], list[LackFinding]]:
    """The lacks of the firms to be scored (~labelled) against the labelled firms, with the findings
    behind them (every candidate, inferred or not, for the report)."""
    scored = ~labelled
    findings, inferred = [], []
    for lack in candidate_lacks(snapshot):
        none = tie_counts(snapshot, lack) == 0
        finding = LackFinding(lack, int((none & scored).sum()), int(scored.sum()), int((none & labelled).sum()),
                              int(labelled.sum()))
        findings.append(finding)
        share_scored = finding.scored_lacking / max(finding.scored, 1)
        share_labelled = finding.labelled_lacking / max(finding.labelled, 1)
        if finding.scored_lacking >= MIN_FIRMS and share_scored >= OVER_REPRESENTED * share_labelled and share_scored < 1:
            inferred.append(lack)
    return tuple(inferred), findings


def without_ties(snapshot: GraphSnapshot, lacking: dict[Lack, np.ndarray]) -> GraphSnapshot:
    """The snapshot with, for each lack, the ties of that kind of the firms marked (n_firms,) removed."""
    drop: dict[tuple, np.ndarray] = {}
    for lack, firms in lacking.items():
        if not firms.any():
            continue
        for key, edge, ends in _firm_ends(snapshot, lack):
            drop[key] = drop.get(key, np.zeros(len(ends), dtype=bool)) | firms[ends]
    if not drop:
        return snapshot
    edges = dict(snapshot.edges)
    for key, mask in drop.items():
        edges[key] = snapshot.edges[key].subset(~mask)
    return GraphSnapshot(snapshot.nodes, edges)


def assign_segments(n_rows: int, lacks: tuple[Lack, ...], seed: int) -> np.ndarray:
    """(n_rows,) segment index per validation row: 0 = as-is, k = the k-th lack; an equal seeded share each."""
    if not lacks:
        return np.zeros(n_rows, dtype=int)
    return np.random.default_rng(seed + 11).permutation(np.arange(n_rows) % (len(lacks) + 1))


def segment_names(lacks: tuple[Lack, ...]) -> list[str]:
    return [AS_IS] + [f"no {lack.name}" for lack in lacks]
