"""Scores of firms against the contract: PD, points, grade, reasons and the ties behind them.

Batch scoring passes the whole graph's snapshot; on-demand scoring passes a snapshot of one firm's
bounded neighbourhood. Both build the same model input as of the model's scoring date, so the same
data gives the same score.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

import numpy as np

from graph_service.core.snapshot import GraphSnapshot
from scoring.contract import Reason, ScoreScale, explain, group_columns
from scoring.features import known_bad
from scoring.model_input import model_input
from scoring.outcomes import read_history
from scoring.trained_model import TrainedModel

EVIDENCE_PER_REASON = 5


@dataclass(frozen=True)
class Evidence:
    reason: str  # the reason code it supports
    relationship: str
    direction: str
    label: str
    id: str
    weight: float | None
    known: str  # what was known of the neighbour: defaulted, good, unknown, or a track record


@dataclass(frozen=True)
class FirmScore:
    firm_id: str
    pd: float
    score: int
    grade: str
    reasons: list[Reason]
    evidence: list[Evidence]
    model_version: str
    as_of: str
    scored_at: str
    score_id: str
    has_credit_history: bool
    scored_neighbours: int
    neighbours: int


def score_snapshot(trained: TrainedModel, snapshot: GraphSnapshot, firm_ids: list[str] | None = None,
                   scale: ScoreScale = ScoreScale(), with_reasons: bool = True,
                   as_of: np.datetime64 | None = None, read_at: datetime | None = None) -> list[FirmScore]:
    """Score firms of a snapshot (all firms when firm_ids is None) as of a date: by default the
    model's scoring date, so batch and on-demand scores of the same data agree. read_at: when the
    snapshot was read from the store, recorded as scored_at (a firm loaded later needs a new score)."""
    firms = snapshot.nodes["Firm"]
    history = read_history(snapshot)
    as_of = np.datetime64(trained.scoring_as_of) if as_of is None else as_of
    hidden = np.zeros(len(firms), dtype=bool)
    data = model_input(snapshot, history, as_of, hidden, getattr(trained, "tie_ranges", None),
                       getattr(trained, "own_schema", None), getattr(trained, "seed_counts", None))
    rows = np.arange(len(firms)) if firm_ids is None else np.array([firms.index[i] for i in firm_ids], dtype=int)
    x = data.columns(trained.columns)[rows]
    risk_of = trained.risk_function(data, rows)
    risk = risk_of(x)
    pd = trained.calibrator.pd(risk)
    points = scale.points(pd)
    groups = group_columns(trained.columns)
    reasons = (explain(risk_of, x, trained.reference, groups, trained.columns,
                       lambda r: scale.exact_points(trained.calibrator.pd(r)))
               if with_reasons else [[] for _ in rows])
    labelled, bad = known_bad(history, as_of, hidden)
    neighbours, scored = _firm_neighbours(snapshot, labelled)
    scored_at = (read_at or datetime.now(timezone.utc)).isoformat(timespec="microseconds")
    ties = _TieIndex(snapshot)
    out = []
    for k, row in enumerate(rows):
        out.append(FirmScore(
            firm_id=str(firms.ids[row]), pd=float(pd[k]), score=int(points[k]), grade=scale.grade(float(pd[k])),
            reasons=reasons[k], evidence=_evidence(snapshot, ties, int(row), reasons[k], labelled, bad),
            model_version=trained.version, as_of=str(as_of), scored_at=scored_at, score_id=str(uuid.uuid4()),
            has_credit_history=bool(labelled[row]), scored_neighbours=int(scored[row]),
            neighbours=int(neighbours[row]),
        ))
    return out


def _firm_neighbours(snapshot: GraphSnapshot, labelled: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per firm: firm neighbours over every firm-to-firm tie, and how many of them have known outcomes."""
    n = len(labelled)
    total, known = np.zeros(n), np.zeros(n)
    for (source_label, _, target_label), edge in snapshot.edges.items():
        if source_label == target_label == "Firm":
            for a, b in ((edge.source, edge.target), (edge.target, edge.source)):
                total += np.bincount(a, minlength=n)
                known += np.bincount(a, weights=labelled[b].astype(float), minlength=n)
    return total, known


class _TieIndex:
    """For each relationship key and direction with a firm at that end: its edges grouped by firm."""

    def __init__(self, snapshot: GraphSnapshot):
        self.snapshot = snapshot
        self._cache: dict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def edges_of(self, key: tuple[str, str, str], direction: str, firm: int) -> np.ndarray:
        if (key, direction) not in self._cache:
            edge = self.snapshot.edges[key]
            own_end = edge.source if direction == "out" else edge.target
            order = np.argsort(own_end, kind="stable")
            weight = edge.raw_weight()
            self._cache[(key, direction)] = (order, own_end[order], weight)
        order, sorted_end, _ = self._cache[(key, direction)]
        return order[np.searchsorted(sorted_end, firm, "left"):np.searchsorted(sorted_end, firm, "right")]

    def weight(self, key, direction) -> np.ndarray:
        return self._cache[(key, direction)][2]


def _evidence(snapshot, ties: _TieIndex, firm: int, reasons: list[Reason], labelled, bad) -> list[Evidence]:
    """The ties behind each reason that is a kind of tie, heaviest first."""
    out = []
    for reason in reasons:
        if not reason.group.startswith("tie:"):
            continue
        rel_type, direction = reason.group[4:].split(".")
        for key, edge in sorted(snapshot.edges.items()):
            source_label, edge_type, target_label = key
            if edge_type != rel_type or (source_label if direction == "out" else target_label) != "Firm":
                continue
            other_end, other_label = (edge.target, target_label) if direction == "out" else (edge.source, source_label)
            picked = ties.edges_of(key, direction, firm)
            weight = ties.weight(key, direction)
            picked = picked[np.argsort(-np.nan_to_num(weight[picked], nan=0.0), kind="stable")][:EVIDENCE_PER_REASON]
            for e in picked:
                other = int(other_end[e])
                known = "unknown"
                if other_label == "Firm" and labelled[other]:
                    known = "defaulted" if bad[other] else "good"
                w = float(weight[e])
                out.append(Evidence(reason.code, rel_type, direction, other_label,
                                    str(snapshot.nodes[other_label].ids[other]), None if np.isnan(w) else w, known))
    return out
