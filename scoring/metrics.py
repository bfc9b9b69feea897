"""How a model is judged (README.md, "Network credit scores", "Protocol"): discrimination, calibration,
and the top of the list."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.stats import rankdata
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score, roc_curve


@dataclass(frozen=True)
class Metrics:
    n: int
    positives: int
    auc: float
    pr_auc: float
    ks: float
    brier: float
    precision_at_k: float  # among the riskiest 5%

    def row(self) -> list[str]:
        return [f"{self.n:,}", f"{self.positives:,}", f"{self.auc:.3f}", f"{self.pr_auc:.3f}", f"{self.ks:.3f}",
                f"{self.brier:.4f}", f"{self.precision_at_k:.3f}"]


HEADER = ["n", "defaults", "AUC", "PR-AUC", "KS", "Brier", "P@5%"]


def evaluate(y: np.ndarray, pd: np.ndarray, risk: np.ndarray | None = None, top_share: float = 0.05) -> Metrics:
    """y: (n,) 0/1 outcomes; pd: (n,) calibrated PDs (for Brier); risk: (n,) the model's raw score,
    which ranks without the ties calibration introduces (for AUC, PR-AUC, KS, precision@k)."""
    y = y.astype(int)
    risk = pd if risk is None else risk
    if len(np.unique(y)) < 2:
        nan = float("nan")
        return Metrics(len(y), int(y.sum()), nan, nan, nan, float(brier_score_loss(y, pd)) if len(y) else nan, nan)
    fpr, tpr, _ = roc_curve(y, risk)
    k = max(1, int(round(top_share * len(y))))
    top = np.argsort(-risk, kind="stable")[:k]
    return Metrics(
        n=len(y), positives=int(y.sum()), auc=float(roc_auc_score(y, risk)),
        pr_auc=float(average_precision_score(y, risk)), ks=float(np.max(tpr - fpr)),
        brier=float(brier_score_loss(y, pd)), precision_at_k=float(y[top].mean()),
    )


def reliability_table(y: np.ndarray, pd: np.ndarray, bins: int = 10) -> list[tuple[str, int, float, float]]:
    """(PD band, firms, mean predicted PD, observed default rate) over quantile bands of PD."""
    if len(y) == 0:
        return []
    edges = np.unique(np.quantile(pd, np.linspace(0, 1, bins + 1)))
    band = np.clip(np.searchsorted(edges, pd, side="right") - 1, 0, len(edges) - 2)
    table = []
    for b in range(len(edges) - 1):
        inside = band == b
        if inside.any():
            table.append((f"{edges[b]:.4f}-{edges[b + 1]:.4f}", int(inside.sum()), float(pd[inside].mean()),
                          float(y[inside].mean())))
    return table


def fast_auc(y: np.ndarray, risk: np.ndarray) -> float:
    """ROC AUC by ranks (ties count half); NaN with one class only."""
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(risk)
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def auc_difference_interval(y: np.ndarray, risk_a: np.ndarray, risk_b: np.ndarray, resamples: int = 1000,
                            seed: int = 0) -> tuple[float, float]:
    """95% paired-bootstrap interval of AUC(b) - AUC(a) on the same firms (resampled together); NaN
    when the firms hold only one class (no AUC to compare)."""
    rng = np.random.default_rng(seed)
    differences = []
    for _ in range(resamples):
        pick = rng.integers(0, len(y), len(y))
        if 0 < y[pick].sum() < len(pick):
            differences.append(fast_auc(y[pick], risk_b[pick]) - fast_auc(y[pick], risk_a[pick]))
    if not differences:
        return float("nan"), float("nan")
    low, high = np.percentile(differences, [2.5, 97.5])
    return float(low), float(high)
