"""How far one tie can move a firm's features: the bound on what one partner's rows do to another
firm's score.

A tie's number (a TRADES_WITH rating, complaint count or volume, a guarantee amount) counts, in the
averages a firm's features take over its ties, only within the range the training graph's ties of
that type spanned, its 1st to 99th percentile: a rating of 0 with 1,000 complaints weighs what the
worst 1% of real ties weigh, no more. For a firm with n other ties of a type, one more tie so moves
the firm's average of such a number by at most

    (high - low) / (n + 1)        in the feature's own (log1p) units,

which is exactly what one real tie at the edge of the real range could do. Its other reach is that
of any tie: one more neighbour (degree), and one more known or known-bad neighbour (a firm with k
known neighbours: its bad share moves by at most 1 / (k + 1)). Not bounded here: the weight that
propagation and the GNN give a tie, log1p(volume) + 1, so a tie claiming a volume of 10^12 weighs
about 2.5 times one of 10^5.

The ranges are fitted with the model and travel with it (tie_ranges.json beside model.pkl), so an
on-demand score of a small neighbourhood is bounded by the training graph's ranges, not by ones
that the new row itself shifts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from graph_service.core.snapshot import GraphSnapshot

PERCENTILES = (1.0, 99.0)


def signed_log(x: np.ndarray) -> np.ndarray:
    return np.sign(x) * np.log1p(np.abs(x))


@dataclass(frozen=True)
class TieRanges:
    """Per relationship type and property: (low, high) of its signed-log values in the training graph."""
    values: dict[str, tuple[float, float]] = field(default_factory=dict)

    def clip(self, rel_type: str, name: str, logged: np.ndarray) -> np.ndarray:
        low, high = self.values.get(f"{rel_type}.{name}", (-np.inf, np.inf))
        return np.clip(logged, low, high)

    def to_json(self) -> dict:
        return {"percentiles": list(PERCENTILES), "values": {k: list(v) for k, v in sorted(self.values.items())}}


def fit_tie_ranges(snapshot: GraphSnapshot, skip: set[str]) -> TieRanges:
    """The ranges of a graph's tie properties (those in `skip` are not features)."""
    logged: dict[str, list[np.ndarray]] = {}
    for (_, rel_type, _), edge in sorted(snapshot.edges.items()):
        for name in edge.properties:
            if name not in skip:
                values = signed_log(edge.numeric(name))
                logged.setdefault(f"{rel_type}.{name}", []).append(values[np.isfinite(values)])
    values = {}
    for key, parts in logged.items():
        finite = np.concatenate(parts)
        if len(finite):
            low, high = np.percentile(finite, PERCENTILES, method="nearest")  # values real ties have
            values[key] = (float(low), float(high))
    return TieRanges(values)
