"""The cold-start protocol on Bitcoin OTC (data/public/bitcoin-otc/README.md), through TrustNet's own
load -> train -> score path on a real Neo4j.

Stratified k-fold over the labelled users (fraudulent = positive). In each fold the test users'
received ratings and their labels are removed from the files TrustNet loads: only the ratings they
gave, their timing and the network around them remain, as for a newcomer. TrustNet loads the fold
through the project's mapping file alone, trains (choosing its model on its own validation) and
scores every firm; the test users' PDs, read back from the scores written, are compared with the
labels it never saw. Used by benchmarks/real_data.py and by tests/integration/test_real_data.py.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

from graph_service.cli.model_candidates import installed_candidates
from graph_service.core.graph_model import REFERENCE_MODEL
from graph_service.core.snapshot import read_snapshot
from graph_service.services.ingest import load
from graph_service.services.scoring import score_all, train_model
from loaders.discovery import plan_load
from scoring.contract import ScoreScale
from scoring.firm_scores import score_snapshot
from scoring.trained_model import train

DATA = Path(__file__).resolve().parent.parent / "data" / "public" / "bitcoin-otc"
RATINGS, LABELS = "soc-sign-bitcoinotc.csv", "rev2-otc-labels.csv"


@dataclass
class OTC:
    ratings: list[list[str]]  # source, target, rating, time (as in the file)
    labels: dict[str, int]  # user -> 1 fraudulent, 0 benign

    @classmethod
    def read(cls, folder: Path = DATA) -> "OTC":
        with (folder / RATINGS).open(newline="") as handle:
            ratings = list(csv.reader(handle))
        with (folder / LABELS).open(newline="") as handle:
            labels = {user: int(label == "-1") for user, label in csv.reader(handle)}
        return cls(ratings, labels)

    def folds(self, splits: int = 5, repeats: int = 3, seed: int = 0):
        """(repeat, fold, test users) for stratified k-fold x repeats over the labelled users."""
        users = sorted(self.labels)
        y = np.array([self.labels[u] for u in users])
        folds = RepeatedStratifiedKFold(n_splits=splits, n_repeats=repeats, random_state=seed)
        for k, (_, test) in enumerate(folds.split(users, y)):
            yield k // splits, k % splits, sorted(users[i] for i in test)

    def write_fold(self, folder: Path, test_users: set[str]) -> Path:
        """The files TrustNet may see in a fold: no rating received by a test user, no test user's label."""
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / RATINGS).open("w", newline="") as handle:
            csv.writer(handle).writerows(r for r in self.ratings if r[1] not in test_users)
        with (folder / LABELS).open("w", newline="") as handle:
            csv.writer(handle).writerows(
                [user, "" if user in test_users else ("-1" if label else "+1")] for user, label in self.labels.items())
        (folder / "mapping.yaml").write_text((DATA / "mapping.yaml").read_text())
        return folder


@dataclass
class FoldResult:
    shipped: str
    auc: float
    distinct_pds: int  # distinct PDs among the test users (a collapsed model has few)
    test_users: int
    scores_written: int
    candidates: dict[str, float] = field(default_factory=dict)  # candidate -> AUC on the test users
    refused: dict[str, str] = field(default_factory=dict)


def run_fold(store, otc: OTC, test_users: list[str], work: Path, seed: int = 7, candidates: bool = True,
             cv_repeats: int | None = None) -> FoldResult:
    """Load the fold into the (emptied) store, train, score every firm; AUC of the test users' PDs.
    cv_repeats: TrustNet's cross-validation repeats (None: its default, 3 for this label set)."""
    fold = otc.write_fold(work / "files", set(test_users))
    store.delete_everything()
    load(store, plan_load(fold, REFERENCE_MODEL, None, fold / "mapping.yaml"), work / "rejects")
    trained, evaluation = train_model(store, work / "models", installed_candidates(), seed,
                                      protocol={"cv_repeats": cv_repeats})
    scores = {s.firm_id: s.pd for s in score_all(store, trained, ScoreScale(), with_reasons=False)}
    y = np.array([otc.labels[u] for u in test_users])
    written = {u: store.latest_score(u) for u in test_users}
    pds = np.array([written[u]["pd"] for u in test_users])
    result = FoldResult(evaluation.shipped, float(roc_auc_score(y, pds)), len(np.unique(pds)), len(test_users),
                        sum(1 for u in test_users if written[u] is not None and written[u]["pd"] == scores[u]),
                        refused={r.name: r.refusal for r in evaluation.results if r.refusal})
    if candidates:
        snapshot = read_snapshot(store)
        for r in evaluation.results:
            model = train(snapshot, seed, replace(evaluation, shipped=r.name))
            risk = [s.pd for s in score_snapshot(model, snapshot, test_users, with_reasons=False)]
            result.candidates[r.name] = float(roc_auc_score(y, risk))
    return result


def received_rating_auc(otc: OTC, test_users: list[str]) -> float:
    """Mean received rating, with every received rating visible (the labels' own source): lower = riskier."""
    received: dict[str, list[int]] = {}
    for source, target, rating, _ in otc.ratings:
        received.setdefault(target, []).append(int(rating))
    risk = [-np.mean(received.get(u, [0])) for u in test_users]
    return float(roc_auc_score([otc.labels[u] for u in test_users], risk))


def analyst_auc(otc: OTC, test_users: list[str], seed: int = 0) -> float:
    """A plain analyst's gradient boosting on the ratings a user gave (all still visible in a fold)."""
    given: dict[str, list[tuple[int, float]]] = {}
    for source, _, rating, time in otc.ratings:
        given.setdefault(source, []).append((int(rating), float(time)))

    def row(user: str) -> list[float]:
        ratings = given.get(user)
        if not ratings:
            return [0.0] + [np.nan] * 6
        values = np.array([r for r, _ in ratings], dtype=float)
        times = np.array([t for _, t in ratings])
        return [len(values), values.mean(), values.min(), values.max(), (values < 0).mean(), values.std(),
                (times.max() - times.min()) / 86400]

    test = set(test_users)
    train_users = [u for u in otc.labels if u not in test]
    model = HistGradientBoostingClassifier(random_state=seed).fit([row(u) for u in train_users],
                                                                  [otc.labels[u] for u in train_users])
    risk = model.predict_proba([row(u) for u in test_users])[:, 1]
    return float(roc_auc_score([otc.labels[u] for u in test_users], risk))
