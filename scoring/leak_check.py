"""Refuse a set-up that would put a known outcome into a feature.

A firm property that only the labelled firms carry, every one of them, and that tells their
outcomes apart perfectly is the outcome under another name (a `bankrupt` column loaded beside
`defaulted`, a status set after the fact): as a feature it would let every model read the answer in
training, and find nothing on the firms to be scored. The evaluation refuses to run on it, naming
the property, how many firms and some of them.
"""

from __future__ import annotations

import numpy as np

from graph_service.core.errors import TrustNetError
from graph_service.core.snapshot import GraphSnapshot
from scoring.features import LINEAGE
from scoring.outcomes import CreditHistory


def _separates(values: list, y: np.ndarray) -> bool:
    """Whether each value occurs with one outcome only (and both outcomes occur)."""
    seen: dict[str, set[int]] = {}
    for value, outcome in zip(values, y):
        seen.setdefault(repr(value), set()).add(int(outcome))
    return len(np.unique(y)) == 2 and all(len(outcomes) == 1 for outcomes in seen.values())


def refuse_outcome_leaks(snapshot: GraphSnapshot, history: CreditHistory) -> None:
    firms = snapshot.nodes["Firm"]
    labelled = np.zeros(len(firms), dtype=bool)
    labelled[history.firm] = True
    if labelled.all() or not labelled.any():
        return  # no firm to be scored to compare with
    bad = np.zeros(len(firms), dtype=bool)
    bad[history.firm[history.defaulted_before(np.datetime64("9999-12-30"))]] = True
    for name, values in sorted(firms.properties.items()):
        if name in LINEAGE:
            continue
        present = np.array([v is not None for v in values])
        if not present[labelled].all() or present[~labelled].any():
            continue
        rows = np.flatnonzero(labelled)
        if _separates([values[i] for i in rows], bad[rows].astype(int)):
            examples = ", ".join(f"{firms.ids[i]} ({values[i]!r}, {'defaulted' if bad[i] else 'did not'})"
                                 for i in rows[:3])
            raise TrustNetError(
                f"Firm.{name} would put the known outcome into a feature: all {len(rows):,} labelled firms have it, "
                f"no other firm does, and its values tell the defaulted from the others perfectly (e.g. {examples}). "
                f"Leave it out of the load, or load it as Firm.defaulted if it is the outcome")
