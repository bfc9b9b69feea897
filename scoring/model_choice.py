"""Which candidate ships, and which may not: a stated rule, never list order alone.

A candidate is refused when, on any validation segment (scoring/lacks.py) with enough firms:
- its scores collapse: fewer than MIN_DISTINCT distinct values (a model that gives most firms the
  same score ranks nobody, whatever its AUC on the rest);
- the 95% bootstrap interval of its AUC includes 0.5: it is not shown to rank better than chance
  (judged where the segment holds at least MIN_OUTCOMES defaults and as many non-defaults; with
  fewer, no model could be shown to, and the report says the segment was too small to judge).
Of the others, the one with the highest AUC on its worst segment ships (it must hold for every
kind of firm it will score); equal to three decimals, the one listed first, the simpler (the
baselines are listed simplest first, the GNN last). With no candidate left the training fails,
naming each one's reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from graph_service.core.errors import TrustNetError
from scoring.metrics import fast_auc

MIN_DISTINCT = 10
MIN_SEGMENT_FIRMS = 20
MIN_OUTCOMES = 10  # of each class, before an AUC interval is asked to exclude 0.5
RESAMPLES = 400


def auc_interval(y: np.ndarray, risk: np.ndarray, seed: int = 0) -> tuple[float, float]:
    """95% bootstrap interval of the AUC (resampling firms); NaN when it cannot be judged."""
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(RESAMPLES):
        pick = rng.integers(0, len(y), len(y))
        auc = fast_auc(y[pick], risk[pick])
        if not np.isnan(auc):
            values.append(auc)
    if len(values) < RESAMPLES // 2:
        return float("nan"), float("nan")
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


@dataclass
class Judgement:
    """One candidate on the validation firms: AUC per segment, and why it may not ship (or None)."""

    name: str
    segment_auc: dict[str, float]
    criterion: float  # AUC on its worst segment
    refusal: str | None
    unjudged: list[str] = field(default_factory=list)  # segments with too few outcomes to test against chance


def judge(name: str, y: np.ndarray, risk: np.ndarray, segment: np.ndarray, segment_names: list[str],
          seed: int) -> Judgement:
    """y, risk, segment: (r,) over the validation rows (segment: index into segment_names)."""
    aucs, refusal, unjudged = {}, None, []
    for k, segment_name in enumerate(segment_names):
        inside = segment == k
        aucs[segment_name] = fast_auc(y[inside], risk[inside])
        if inside.sum() < MIN_SEGMENT_FIRMS or refusal:
            continue
        distinct = len(np.unique(np.round(risk[inside], 12)))
        if distinct < min(MIN_DISTINCT, inside.sum() // 2):
            refusal = (f"its scores collapse on the {segment_name} firms: {distinct} distinct values "
                       f"for {int(inside.sum()):,} firms")
            continue
        defaults = int(y[inside].sum())
        if min(defaults, int(inside.sum()) - defaults) < MIN_OUTCOMES:
            unjudged.append(f"{segment_name} ({defaults} defaults of {int(inside.sum()):,})")
            continue
        low, high = auc_interval(y[inside], risk[inside], seed)
        if not np.isnan(low) and low <= 0.5:
            refusal = (f"on the {segment_name} firms its AUC {aucs[segment_name]:.3f} is not shown to beat chance "
                       f"(95% interval {low:.3f} to {high:.3f} includes 0.5)")
    judged = [a for a in aucs.values() if not np.isnan(a)]
    return Judgement(name, aucs, min(judged) if judged else float("nan"), refusal, unjudged)


def choose(judgements: list[Judgement]) -> tuple[str, list[str]]:
    """(the name to ship, the lines that say why it and not the others)."""
    eligible = [j for j in judgements if j.refusal is None and not np.isnan(j.criterion)]
    lines = [f"Not shipped: {j.name}: {j.refusal}." for j in judgements if j.refusal]
    if not eligible:
        raise TrustNetError("no candidate model may ship: " + "; ".join(
            f"{j.name}: {j.refusal or 'no validation AUC (one class only)'}" for j in judgements)
            + ". Load more outcomes (both defaults and non-defaults) or fewer, better-covered features")
    best = max(eligible, key=lambda j: round(j.criterion, 3))  # max keeps the first of equals: list order
    ties = [j.name for j in eligible if round(j.criterion, 3) == round(best.criterion, 3) and j is not best]
    lines.insert(0, f"Shipped: {best.name}: the highest validation AUC on its worst segment "
                    f"({best.criterion:.3f})" + (f"; tied with {', '.join(ties)}, listed after it" if ties else "") + ".")
    if best.unjudged:
        lines.insert(1, f"Too few outcomes to show it beats chance on: {', '.join(best.unjudged)}; "
                        f"at least {MIN_OUTCOMES} defaults and {MIN_OUTCOMES} non-defaults are needed.")
    return best.name, lines
