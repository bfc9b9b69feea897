"""What every model reads of the firms as of a date: the features, and the graph they came from.

The evaluation builds one for each period; on-demand and batch scoring build one for the firms to
score. A features model reads rows of `matrix`; the GNN also reads the snapshot around them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph_service.core.snapshot import GraphSnapshot
from scoring.as_of import as_of_snapshot
from scoring.features import LINEAGE, build_features, known_bad, select_features
from scoring.outcomes import CreditHistory
from scoring.own_schema import OwnSchema, fit_own_schema
from scoring.propagation import SeedCounts, trust_and_distrust
from scoring.tie_reach import TieRanges, fit_tie_ranges


@dataclass
class ModelInput:
    snapshot: GraphSnapshot
    history: CreditHistory
    as_of: np.datetime64
    hidden: np.ndarray  # (n_firms,) bool: scored thin-file (own loans and outcome hidden)
    names: list[str]
    matrix: np.ndarray  # (n_firms, f) features of every firm (a GNN reads its neighbours' too)
    ranges: TieRanges  # the tie ranges the features were bounded by (a trained model keeps them)
    schema: OwnSchema  # how the firms' own properties became features (a trained model keeps it)
    seed_counts: SeedCounts  # what propagation shared its seeds' mass out over (a trained model keeps it)

    def columns(self, wanted: list[str]) -> np.ndarray:
        """(n_firms, len(wanted)) the named feature columns; a name the graph no longer yields is NaN."""
        return select_features(self.names, self.matrix, wanted)


def model_input(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64,
                hidden: np.ndarray, ranges: TieRanges | None = None, schema: OwnSchema | None = None,
                seed_counts: SeedCounts | None = None) -> ModelInput:
    """All features of every firm as of a date, the `hidden` firms scored thin-file. ranges, schema,
    seed_counts: a trained model's when scoring; this snapshot's when training or evaluating."""
    snapshot = as_of_snapshot(snapshot, as_of)  # no tie formed after the date reaches a feature
    if ranges is None:
        ranges = fit_tie_ranges(snapshot, LINEAGE)
    if schema is None:
        schema = fit_own_schema(snapshot.nodes["Firm"], LINEAGE)
    features = build_features(snapshot, history, as_of, hidden, ranges, schema)
    labelled, bad = known_bad(history, as_of, hidden)
    drop = {"Firm": np.zeros(len(hidden), dtype=bool)}
    if "Loan" in snapshot.nodes:
        loan_hidden = np.zeros(len(snapshot.nodes["Loan"]), dtype=bool)
        loan_hidden[history.loan[(history.loan >= 0) & hidden[history.firm]]] = True
        drop["Loan"] = loan_hidden
    seed_counts = seed_counts or SeedCounts(len(hidden), int((labelled & ~bad).sum()), int(bad.sum()))
    propagation = trust_and_distrust(snapshot, labelled & ~bad, bad, drop, seed_counts, ranges)
    names = features.names + list(propagation)
    return ModelInput(snapshot, history, as_of, hidden, names,
                      np.column_stack([features.matrix, *propagation.values()]), ranges, schema,
                      seed_counts)
