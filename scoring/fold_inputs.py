"""The inputs a fold plan needs: the labelled firms split into folds, each row built from an input
in which its own fold's outcomes are hidden (scoring/cross_validation.py, scoring/owner_split.py)."""

from __future__ import annotations

from typing import Callable

import numpy as np

from graph_service.core.snapshot import GraphSnapshot
from scoring.features import LINEAGE
from scoring.lacks import Lack, assign_segments, without_ties
from scoring.model_input import ModelInput, model_input
from scoring.outcomes import CreditHistory
from scoring.own_schema import fit_own_schema
from scoring.stacked_input import stack_inputs
from scoring.tie_reach import fit_tie_ranges

K_FOLDS = 5


def stratified_folds(y: np.ndarray, k: int, seed: int) -> np.ndarray:
    """(r,) fold index per row, each class spread evenly over the folds."""
    rng = np.random.default_rng(seed)
    fold = np.empty(len(y), dtype=int)
    offset = 0
    for value in (0, 1):
        where = np.flatnonzero(y == value)
        fold[rng.permutation(where)] = (np.arange(len(where)) + offset) % k
        offset += len(where)
    return fold


class FoldInputs:
    """The labelled firms of a fold plan (firms, y, fold and segment per firm) and the inputs it
    needs, each built once: as of the scoring date, some folds' outcomes hidden."""

    def __init__(self, snapshot: GraphSnapshot, history: CreditHistory, lacks: tuple[Lack, ...], seed: int,
                 fold_of: Callable[[np.ndarray], np.ndarray] | None = None):
        """fold_of: (firms) -> fold per firm; stratified K_FOLDS folds when None."""
        self.snapshot, self.history, self.lacks = snapshot, history, lacks
        self.firms, self.y = history.verdicts()
        self.as_of = history.observed_until + np.timedelta64(1, "D")
        self.ranges = fit_tie_ranges(snapshot, LINEAGE)
        self.schema = fit_own_schema(snapshot.nodes["Firm"], LINEAGE)
        self.fold = stratified_folds(self.y, K_FOLDS, seed) if fold_of is None else fold_of(self.firms)
        self.segment = assign_segments(len(self.firms), lacks, seed)
        self._built: dict[frozenset, ModelInput] = {}

    def input_hiding(self, folds: frozenset) -> ModelInput:
        if folds not in self._built:
            chosen = np.isin(self.fold, list(folds))
            n = self.history.n_firms
            hidden = np.zeros(n, dtype=bool)
            hidden[self.firms[chosen]] = True
            lacking = {}
            for k, lack in enumerate(self.lacks, start=1):
                mask = np.zeros(n, dtype=bool)
                mask[self.firms[chosen & (self.segment == k)]] = True
                lacking[lack] = mask
            self._built[folds] = model_input(without_ties(self.snapshot, lacking), self.history, self.as_of,
                                             hidden, self.ranges, self.schema)
        return self._built[folds]

    def rows(self, folds: list[int], also_hidden: frozenset = frozenset()) -> tuple[ModelInput, np.ndarray, np.ndarray]:
        """(stacked input, rows, y) of the firms in `folds`, each fold's from an input hiding its own
        outcomes and those of `also_hidden` (the folds it is tested on, which no training row may see)."""
        inputs = [self.input_hiding(frozenset({i}) | also_hidden) for i in folds]
        data, rows = stack_inputs(inputs, [self.firms[self.fold == i] for i in folds])
        return data, rows, np.concatenate([self.y[self.fold == i] for i in folds])
