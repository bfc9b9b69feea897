"""Signed and rated ties as evidence: what a firm's ratings say, given and received.

A tie property is *signed* when the training graph's ties of its type hold both negative and
positive values (a rating from -10 to +10, a net payment balance): its sign carries meaning, and a
mean alone hides it. Per type, direction and signed property a firm gets:

  .share_negative  share of its ties with a negative value
  .min             its most negative value (signed log)
  .agreement       over the ties to ends with a known outcome: +1 for a positive value towards a
                   good end or a negative one towards a bad end, -1 for the opposite, averaged;
                   a rater that vouches for defaulters scores low
  .recent_mean     the mean weighted by recency (a one-year half-life), where ties carry a date

and for ties between firms, rater reliability in the manner of REV2 (Kumar et al., WSDM 2018):
  .fairness        (out) how closely the firm's ratings agree with the rated firms' goodness
  .goodness        (in)  the fairness-weighted mean rating the firm received
  .rated_goodness  (out) the mean goodness of the firms it rated positively
computed as of the date with the known outcomes as anchors (a known-good firm's goodness is +1, a
known-bad one's -1), so only outcomes a lender knew at that date, never a hidden firm's, enter.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from graph_service.core.snapshot import EdgeTable
from scoring.as_of import TIE_DATES, formation_dates
from scoring.tie_reach import TieRanges

REV2_ITERATIONS = 20
HALF_LIFE_DAYS = 365.0


def is_signed(ranges: TieRanges, rel_type: str, name: str) -> bool:
    low, high = ranges.values.get(f"{rel_type}.{name}", (0.0, 0.0))
    return low < 0 < high


def negative_ties(edge: EdgeTable, ranges: TieRanges) -> np.ndarray | None:
    """(m,) bool: the tie's signed property (the first by name) is negative, a distrust tie; None
    when its type has no signed property. Which types are signed is the training graph's (ranges)."""
    for name in sorted(edge.properties):
        if is_signed(ranges, edge.type, name):
            return edge.numeric(name) < 0
    return None


def tie_dates(edge: EdgeTable) -> np.ndarray | None:
    """(m,) datetime64[D] when each tie formed (scoring/as_of.py), NaT where unknown; None if the type has no date."""
    return formation_dates(edge.properties, len(edge.source), TIE_DATES)


def signed_aggregates(out: dict, prefix: str, adjacency: sp.csr_matrix, values: np.ndarray, present: np.ndarray,
                      other_known: np.ndarray, other_bad: np.ndarray, age_days: np.ndarray | None) -> None:
    """Per firm, over its ties (columns of adjacency): values are the ties' signed-log values."""
    count = adjacency @ present.astype(float)
    has = count > 0
    negative = adjacency @ (present & (values < 0)).astype(float)
    out[f"{prefix}.share_negative"] = np.where(has, negative / np.maximum(count, 1), np.nan)
    out[f"{prefix}.min"] = per_firm(adjacency, np.where(present, values, np.inf), np.minimum)
    sign = np.sign(np.where(present, values, 0.0))
    judged = present & (other_known > 0)
    agree = adjacency @ np.where(judged, sign * (1 - 2 * other_bad), 0.0)
    n_judged = adjacency @ judged.astype(float)
    out[f"{prefix}.agreement"] = np.where(n_judged > 0, agree / np.maximum(n_judged, 1), np.nan)
    if age_days is not None:
        weight = np.where(present & np.isfinite(age_days), 0.5 ** (np.maximum(age_days, 0) / HALF_LIFE_DAYS), 0.0)
        total = adjacency @ weight
        out[f"{prefix}.recent_mean"] = np.where(total > 0, (adjacency @ (weight * np.where(present, values, 0))) /
                                                np.maximum(total, 1e-12), np.nan)


def per_firm(adjacency: sp.csr_matrix, values: np.ndarray, reduce) -> np.ndarray:
    """(n,) reduce (np.maximum or np.minimum) of values over each firm's ties (its row's columns);
    NaN where the firm has none, or none with a finite value."""
    out = np.full(adjacency.shape[0], np.nan)
    rows = np.flatnonzero(np.diff(adjacency.indptr))
    if len(rows):
        reduced = reduce.reduceat(values[adjacency.indices], adjacency.indptr[rows])
        out[rows] = np.where(np.isfinite(reduced), reduced, np.nan)
    return out


def rev2(n: int, source: np.ndarray, target: np.ndarray, values: np.ndarray, known: np.ndarray,
         bad: np.ndarray, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """(fairness, goodness) per firm from signed ratings source -> target, values divided by `scale`
    (the training graph's largest, so in [-1, 1]); fairness NaN for a firm that rated no one,
    goodness NaN for one nobody rated (and unknown)."""
    rating = np.clip(values / max(scale, 1e-12), -1.0, 1.0)
    anchor = np.where(known, np.where(bad, -1.0, 1.0), np.nan)
    fairness = np.ones(n)
    rated = np.bincount(target, minlength=n)
    raters = np.bincount(source, minlength=n)
    goodness = np.zeros(n)
    for _ in range(REV2_ITERATIONS):
        weighted = np.bincount(target, weights=fairness[source] * rating, minlength=n)
        goodness = np.where(rated > 0, weighted / np.maximum(rated, 1), 0.0)
        goodness = np.where(np.isfinite(anchor), anchor, goodness)
        error = np.abs(rating - goodness[target]) / 2
        fairness = (np.bincount(source, weights=1 - error, minlength=n) + 0.5) / (raters + 1.0)
    fairness = np.where(raters > 0, fairness, np.nan)
    goodness = np.where((rated > 0) | np.isfinite(anchor), goodness, np.nan)
    return fairness, goodness


def rev2_features(out: dict, rel_type: str, name: str, n: int, source: np.ndarray, target: np.ndarray,
                  values: np.ndarray, known: np.ndarray, bad: np.ndarray, ranges: TieRanges) -> None:
    present = np.isfinite(values)
    source, target, values = source[present], target[present], values[present]
    low, high = ranges.values[f"{rel_type}.{name}"]
    fairness, goodness = rev2(n, source, target, values, known, bad, max(abs(low), abs(high)))
    out[f"{rel_type}.out.{name}.fairness"] = fairness
    out[f"{rel_type}.in.{name}.goodness"] = goodness
    positive = values > 0
    rated_goodness = np.nan_to_num(goodness[target])
    total = np.bincount(source[positive], weights=rated_goodness[positive], minlength=n)
    count = np.bincount(source[positive], minlength=n)
    out[f"{rel_type}.out.{name}.rated_goodness"] = np.where(count > 0, total / np.maximum(count, 1), np.nan)

