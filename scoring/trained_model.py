"""A trained scoring model: training, the versioned artifact folder, and scoring against the contract.

Training runs the evaluation protocol (which chooses the model to ship), then refits the shipped
kind of model on the latest full year so that it scores with today's data. The artifact folder
holds the fitted model and calibrator (model.pkl), the feature schema, the metrics and the lineage
(hash of the training snapshot, dates, seed).
"""

from __future__ import annotations

import json
import pickle
import re
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from scoring.calibration import Calibrator
from scoring.contract import Reason, ScoreScale, explain, grade, group_columns
from scoring.evaluation import (
    VALIDATION_SHARE,
    Evaluation,
    build_period,
    candidate_models,
    period_features,
    run_evaluation,
)
from scoring.features import known_bad, select_features
from scoring.outcomes import HORIZON, read_history
from graph_service.core.snapshot import GraphSnapshot

EVIDENCE_PER_REASON = 5
GNN_BATCHED_NODES = 200_000  # up to this many nodes in all, reasons' variants share one GNN forward pass


@dataclass
class TrainedModel:
    version: str
    model_name: str
    model: Any = field(repr=False)
    calibrator: Calibrator = field(repr=False)
    columns: list[str] = field(repr=False)  # the features the model reads, in order
    reference: np.ndarray = field(repr=False)  # typical value of each column (for reasons)
    trained_at: str = ""
    train_as_of: str = ""
    snapshot_digest: str = ""
    scoring_as_of: str = ""  # the day after the last outcome in the training data: scores are as of it
    seed: int = 0
    metrics: dict[str, Any] = field(default_factory=dict)

    def risk_function(self, snapshot: GraphSnapshot, history, as_of, hidden: np.ndarray, x_all: np.ndarray,
                      rows: np.ndarray):
        """risk(x) for the firms at `rows`, x: (len(rows), f). A GNN re-reads the whole graph, with
        these firms' features replaced by x (so reasons can switch feature groups off)."""
        if not getattr(self.model, "reads_graph", False):
            return self.model.risk
        import torch

        from gnn.hetero_graph import build_graph, disjoint_copies

        graph = build_graph(snapshot, history, as_of, hidden, x_all)
        base = graph["Firm"].x.clone()

        index = torch.from_numpy(rows).long()

        def risk(x: np.ndarray) -> np.ndarray:
            # x may stack several variants of the rows (explain does). A small graph (one firm's
            # neighbourhood) is copied once per variant and scored in one forward pass; a large
            # one gets a forward pass per variant.
            variants = np.split(x, len(x) // len(rows))
            nodes = sum(graph[label].num_nodes for label in graph.node_types)
            if len(variants) > 1 and nodes * len(variants) <= GNN_BATCHED_NODES:
                graph["Firm"].x = base
                copies = disjoint_copies(graph, len(variants))
                n = base.shape[0]
                firm_x = copies["Firm"].x
                for k, variant in enumerate(variants):
                    firm_x[index + k * n, : x.shape[1]] = torch.from_numpy(np.nan_to_num(variant, nan=0.0)).float()
                all_rows = np.concatenate([rows + k * n for k in range(len(variants))])
                return self.model.risk(copies, all_rows)
            out = []
            for variant in variants:
                firm_x = base.clone()
                firm_x[index, : x.shape[1]] = torch.from_numpy(np.nan_to_num(variant, nan=0.0)).float()
                graph["Firm"].x = firm_x
                out.append(self.model.risk(graph, rows))
            return np.concatenate(out)

        return risk

    def save(self, models_dir: Path) -> Path:
        folder = models_dir / self.version
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "model.pkl").write_bytes(pickle.dumps(self))
        (folder / "feature_schema.json").write_text(json.dumps({"columns": self.columns}, indent=1))
        (folder / "metrics.json").write_text(json.dumps(self.metrics, indent=1))
        (folder / "lineage.json").write_text(json.dumps({
            "version": self.version, "model": self.model_name, "trained_at": self.trained_at,
            "train_as_of": self.train_as_of, "scoring_as_of": self.scoring_as_of,
            "snapshot_digest": self.snapshot_digest, "seed": self.seed,
        }, indent=1))
        return folder

    @staticmethod
    def load(folder: Path) -> "TrainedModel":
        return pickle.loads((folder / "model.pkl").read_bytes())


def _metrics(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "shipped": evaluation.shipped,
        "test_as_of": str(evaluation.test.as_of),
        "models": {r.name: {g: asdict(m) for g, m in r.test.items()} | {"validation_thin_auc": r.validation_thin_auc}
                   for r in evaluation.results},
        "reliability": evaluation.reliability(),
        "ablations": [{"model": model, "left_out": left_out,
                       "thin_file_auc_with": evaluation.shipped_result().test["thin-file"].auc,
                       "thin_file_auc_without": result.test["thin-file"].auc}
                      for model, left_out, result in evaluation.ablations],
    }


def train(snapshot: GraphSnapshot, seed: int = 7, evaluation: Evaluation | None = None) -> TrainedModel:
    evaluation = evaluation or run_evaluation(snapshot, seed)
    history = read_history(snapshot)
    latest = build_period(snapshot, history, history.observed_until - HORIZON, seed + 2)
    validation = np.random.default_rng(seed).random(len(latest.y)) < VALIDATION_SHARE
    shipped = next(r.model for r in evaluation.results if r.name == evaluation.shipped)
    if getattr(shipped, "reads_graph", False):
        from gnn.hetero_graph import build_graph
        from gnn.risk_model import GNNRiskModel

        model = GNNRiskModel(seed=seed, columns=list(latest.names))
        graph = build_graph(snapshot, history, latest.as_of, latest.hidden, latest.matrix)
        model.fit(graph, latest.firms[~validation], latest.y[~validation])
        validation_risk = model.risk(graph, latest.firms[validation])
        x = latest.x
    else:
        model = next(m for m in candidate_models(latest.names, seed) if m.name == evaluation.shipped)
        x = select_features(latest.names, latest.x, model.columns)
        model.fit(x[~validation], latest.y[~validation])
        validation_risk = model.risk(x[validation])
    calibrator = Calibrator.fit(validation_risk, latest.y[validation])
    digest = snapshot.digest()
    slug = re.sub(r"[^a-z0-9]+", "-", evaluation.shipped.lower()).strip("-")
    return TrainedModel(
        version=f"{slug}-{digest[:10]}-s{seed}", model_name=evaluation.shipped, model=model, calibrator=calibrator,
        columns=list(model.columns), reference=np.nanmedian(x, axis=0),
        trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), train_as_of=str(latest.as_of),
        snapshot_digest=digest, scoring_as_of=str(history.observed_until + np.timedelta64(1, "D")), seed=seed,
        metrics=_metrics(evaluation),
    )


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
    names, matrix = period_features(snapshot, history, as_of, hidden)
    x_all = select_features(names, matrix, trained.columns)
    rows = np.arange(len(firms)) if firm_ids is None else np.array([firms.index[i] for i in firm_ids], dtype=int)
    x = x_all[rows]
    risk_of = trained.risk_function(snapshot, history, as_of, hidden, x_all, rows)
    risk = risk_of(x)
    pd = trained.calibrator.pd(risk)
    points = scale.points(pd)
    groups = group_columns(trained.columns)
    reasons = explain(risk_of, x, trained.reference, groups) if with_reasons else [[] for _ in rows]
    labelled, bad = known_bad(history, as_of, hidden)
    neighbours, scored = _firm_neighbours(snapshot, labelled)
    scored_at = (read_at or datetime.now(timezone.utc)).isoformat(timespec="microseconds")
    ties = _TieIndex(snapshot)
    out = []
    for k, row in enumerate(rows):
        out.append(FirmScore(
            firm_id=str(firms.ids[row]), pd=float(pd[k]), score=int(points[k]), grade=grade(float(pd[k])),
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
