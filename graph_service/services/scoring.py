"""Scoring use cases: train and record a model, score every firm, score one firm on demand.

These need the `scoring` extra (numpy, scikit-learn; torch for a GNN); the API imports them lazily.
"""

from __future__ import annotations

import atexit
import gc
import json
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import numpy as np

from graph_service.core.domain import ScoreRow
from graph_service.core.errors import NotFound, TrustNetError
from graph_service.runtime.compute_threads import one_compute_thread
from graph_service.core.settings import Settings
from graph_service.core.ports import OnDemandScoring, ScoreStore, ScoringStore
from scoring.contract import ScoreScale
from scoring.evaluation import run_evaluation
from scoring.evaluation_results import Evaluation
from graph_service.core.snapshot import read_snapshot, snapshot_from_rows
from scoring.firm_scores import FirmScore, score_snapshot
from scoring.lacks import Lack
from scoring.models import Candidates
from scoring.trained_model import TrainedModel, train

CURRENT = "current"  # models/current holds the version to serve


def train_model(store: ScoringStore, models_dir: Path, candidates: Sequence[Candidates], seed: int = 7,
                evaluation: Evaluation | None = None, lacks: tuple[Lack, ...] | None = None,
                split_property: str | None = None, protocol: dict | None = None) -> tuple[TrainedModel, Evaluation]:
    """Evaluate every candidate model, train the shipped one, save the artifact folder, mark it
    current and record a Model node. Returns the model and the evaluation that chose it.

    evaluation: one already run on the same data (it chose the model to ship), so it is not rerun.
    lacks: what the firms to be scored lack (scoring/lacks.py); inferred when None.
    split_property: a firm property with the owner's train / valid / test (scoring/owner_split.py).
    protocol: run_evaluation's `panel` and `cv_repeats`, where set."""
    snapshot = read_snapshot(store)
    evaluation = evaluation or run_evaluation(snapshot, seed, candidates, lacks, split_property, **(protocol or {}))
    trained = train(snapshot, seed, evaluation)
    trained.save(models_dir)
    (models_dir / CURRENT).write_text(trained.version + "\n")
    register_model(store, trained)
    return trained, evaluation


def register_model(store: ScoreStore, trained: TrainedModel) -> None:
    """The model's Model node (idempotent): scores are written only for a model the database knows."""
    store.save_model(trained.version, {
        "name": trained.model_name, "trained_at": trained.trained_at, "train_as_of": trained.train_as_of,
        "snapshot_digest": trained.snapshot_digest, "seed": trained.seed,
        "metrics": json.dumps(trained.metrics["models"][trained.model_name]),
    })


def current_model(models_dir: Path) -> TrainedModel:
    pointer = models_dir / CURRENT
    if not pointer.is_file():
        raise TrustNetError(f"no trained model in {models_dir}: run `trustnet train` first")
    return TrainedModel.load(models_dir / pointer.read_text().strip())


def score_scale(settings: Settings) -> ScoreScale:
    """The points-to-double-odds scale the settings configure."""
    return ScoreScale(settings.score_anchor_points, settings.score_anchor_odds, settings.score_pdo,
                      settings.master_scale)


_unfreeze_registered = False


def settle_for_serving() -> None:
    """Call once a long-lived serving process has loaded its model. Moves every object alive now out
    of reach of Python's cyclic garbage collector, whose full passes over the model's and torch's
    objects otherwise stall a request now and then (~150 ms, the tail of on-demand scores)."""
    global _unfreeze_registered
    gc.collect()
    gc.freeze()
    if not _unfreeze_registered:
        atexit.register(gc.unfreeze)  # let extensions free their objects at exit, without leak reports
        _unfreeze_registered = True


def _score_row(score: FirmScore, mode: str) -> ScoreRow:
    return ScoreRow(score.firm_id, {
        "id": score.score_id, "firm_id": score.firm_id, "pd": score.pd, "score": score.score, "grade": score.grade,
        "reasons": json.dumps([asdict(r) for r in score.reasons]),
        "evidence": json.dumps([asdict(e) for e in score.evidence]),
        "evidence_ids": sorted({e.id for e in score.evidence}),  # so Cypher (and Browser) can follow the evidence
        "model_version": score.model_version, "as_of": score.as_of, "scored_at": score.scored_at,
        "has_credit_history": score.has_credit_history, "scored_neighbours": score.scored_neighbours,
        "neighbours": score.neighbours, "mode": mode,
    })


def score_all(store: ScoringStore, trained: TrainedModel, scale: ScoreScale, batch_size: int = 5000,
              with_reasons: bool = True) -> list[FirmScore]:
    """Score every firm from one snapshot and write the scores back in batches. The model is registered
    first (a models folder trained against another database has no Model node in this one), and a
    shortfall in what was written is an error, never a silent success."""
    read_at = datetime.now(timezone.utc)
    scores = score_snapshot(trained, read_snapshot(store), None, scale, with_reasons, read_at=read_at)
    register_model(store, trained)
    written = 0
    for start in range(0, len(scores), batch_size):
        written += store.save_scores(trained.version, [_score_row(s, "batch") for s in scores[start:start + batch_size]])
    if written != len(scores):
        raise TrustNetError(f"scored {len(scores):,} firms but wrote {written:,} Score nodes: "
                            f"{len(scores) - written:,} firms were removed while they were scored; run it again")
    return scores


def score_firm(store: OnDemandScoring, trained: TrainedModel, firm_id: str, scale: ScoreScale,
               fanout_1: int = 50, fanout_2: int = 10, save: bool = True) -> FirmScore:
    """Score one firm now from its bounded neighbourhood, fetched with Cypher (no retraining)."""
    read_at = datetime.now(timezone.utc)
    neighbourhood = store.firm_neighbourhood(firm_id, fanout_1, fanout_2)
    if neighbourhood is None:
        raise NotFound(f"no firm with id {firm_id!r}")
    with one_compute_thread():
        snapshot = snapshot_from_rows(*neighbourhood)
        [score] = score_snapshot(trained, snapshot, [firm_id], scale, as_of=np.datetime64(trained.scoring_as_of),
                                 read_at=read_at)
    if save and not store.save_scores(trained.version, [_score_row(score, "on-demand")]):
        register_model(store, trained)  # served from a models folder this database has not seen
        if not store.save_scores(trained.version, [_score_row(score, "on-demand")]):
            raise NotFound(f"no firm with id {firm_id!r}")  # removed while it was scored
    return score
