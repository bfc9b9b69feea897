"""Recommenders' track records: how the firms each chamber and market recommended have performed.

For every Chamber and Market: how many firms it recommended, how many of those have an outcome
(had a loan by the date), how many of those defaulted, the default rate with a 95% Wilson interval,
and whether it is a poor recommender: with at least MIN_KNOWN outcomes, the interval does not lie
wholly below the network's default rate, so its recommendations are not shown to pick safer firms
than chance would.

These are what investigators see on the nodes. The models never read these stored properties:
they were computed with every outcome known today, which would leak the test year into an
evaluation. The models compute the same record as of each scoring date instead (features:
`RECOMMENDS.in.bad_rate` and `.known`, the firm itself left out).
"""

from __future__ import annotations

import numpy as np

from scoring.features import known_bad
from scoring.outcomes import CreditHistory
from graph_service.core.snapshot import GraphSnapshot

RECOMMENDERS = ("Chamber", "Market")
PREFIX = "track_"  # every stored property name starts with it (models skip them)
Z_95 = 1.959964
MIN_KNOWN = 5  # outcomes needed before a recommender is judged


def wilson_interval(successes: np.ndarray, trials: np.ndarray, z: float = Z_95) -> tuple[np.ndarray, np.ndarray]:
    """95% Wilson score interval of a proportion; NaN where there are no trials."""
    n = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.asarray(successes, dtype=float) / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    low = np.where(n > 0, np.maximum(centre - half, 0.0), np.nan)
    high = np.where(n > 0, np.minimum(centre + half, 1.0), np.nan)
    return low, high


def track_records(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64) -> dict[str, list[dict]]:
    """label -> [{"id", "properties"}] for every recommender, from outcomes known at `as_of`."""
    firms = snapshot.nodes.get("Firm")
    if firms is None:
        return {}
    labelled, bad = known_bad(history, as_of, np.zeros(len(firms), dtype=bool))
    base_rate = float(bad.sum() / labelled.sum()) if labelled.any() else float("nan")
    out: dict[str, list[dict]] = {}
    for label in RECOMMENDERS:
        table = snapshot.nodes.get(label)
        if table is None:
            continue
        edge = snapshot.edges.get((label, "RECOMMENDS", "Firm"))
        size = len(table)
        recommended, known, defaulted = np.zeros(size), np.zeros(size), np.zeros(size)
        if edge is not None:
            pairs = np.unique(np.column_stack([edge.source, edge.target]), axis=0)  # a firm counts once
            source, target = pairs[:, 0], pairs[:, 1]
            recommended = np.bincount(source, minlength=size).astype(float)
            known = np.bincount(source, weights=labelled[target].astype(float), minlength=size)
            defaulted = np.bincount(source, weights=bad[target].astype(float), minlength=size)
        low, high = wilson_interval(defaulted, known)
        with np.errstate(invalid="ignore", divide="ignore"):
            rate = np.where(known > 0, defaulted / known, np.nan)
        rows = []
        for i, node_id in enumerate(table.ids.tolist()):
            has = known[i] > 0
            rows.append({"id": node_id, "properties": {
                f"{PREFIX}recommended": int(recommended[i]),
                f"{PREFIX}known": int(known[i]),
                f"{PREFIX}defaulted": int(defaulted[i]),
                f"{PREFIX}default_rate": float(rate[i]) if has else None,
                f"{PREFIX}rate_low": float(low[i]) if has else None,
                f"{PREFIX}rate_high": float(high[i]) if has else None,
                f"{PREFIX}base_rate": base_rate,
                f"{PREFIX}poor": int(bool(known[i] >= MIN_KNOWN and high[i] >= base_rate)),
                f"{PREFIX}as_of": as_of.astype("datetime64[D]").astype(object),
            }})
        out[label] = rows
    return out
