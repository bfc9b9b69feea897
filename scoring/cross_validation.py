"""The protocol for static verdicts (outcomes without dates): stratified k-fold cross-validation.

With no dates there is no time to split on, so the labelled firms are split into K_FOLDS folds,
stratified by outcome (seeded). Every row a model reads for a firm comes from an input in which
that firm's own outcome is hidden, so a known outcome never reaches its own features:
- a test row of fold j: the graph with fold j's outcomes hidden, and for the fold's firms in a
  lack segment (scoring/lacks.py) the ties they are to lack removed;
- a training row of fold i, when fold j is tested: the graph with folds i and j hidden (the test
  firms' outcomes reach no training row either).
Each candidate is fitted on the other folds and scores fold j; its pooled out-of-fold scores over
all labelled firms choose the model (scoring/model_choice.py) and fit its calibrator. The shipped
model is refitted on every fold's own-outcome-hidden rows.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from graph_service.core.snapshot import GraphSnapshot
from scoring.calibration import Calibrator
from scoring.evaluation_results import Evaluation, ModelResult, Period
from scoring.features import LINEAGE
from scoring.lacks import Lack, assign_segments, infer_lacks, segment_names, without_ties
from scoring.metrics import evaluate
from scoring.model_choice import choose, fast_auc, judge
from scoring.model_input import ModelInput, model_input
from scoring.models import Candidates
from scoring.outcomes import CreditHistory
from scoring.stacked_input import stack_inputs
from scoring.own_schema import fit_own_schema
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


class _Folds:
    """The inputs a fold plan needs, each built once."""

    def __init__(self, snapshot: GraphSnapshot, history: CreditHistory, lacks: tuple[Lack, ...], seed: int):
        self.snapshot, self.history, self.lacks = snapshot, history, lacks
        self.firms, self.y = history.verdicts()
        self.as_of = history.observed_until + np.timedelta64(1, "D")
        self.ranges = fit_tie_ranges(snapshot, LINEAGE)
        self.schema = fit_own_schema(snapshot.nodes["Firm"], LINEAGE)
        self.fold = stratified_folds(self.y, K_FOLDS, seed)
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

    def training(self, test_fold: int | None) -> tuple[ModelInput, np.ndarray, np.ndarray]:
        """(stacked input, rows, y) of every fold but test_fold (None: every fold), own outcomes hidden."""
        folds = [i for i in range(K_FOLDS) if i != test_fold]
        inputs = [self.input_hiding(frozenset({i} if test_fold is None else {i, test_fold})) for i in folds]
        data, rows = stack_inputs(inputs, [self.firms[self.fold == i] for i in folds])
        return data, rows, np.concatenate([self.y[self.fold == i] for i in folds])


def run_cross_validation(snapshot: GraphSnapshot, history: CreditHistory, seed: int,
                         candidates: Sequence[Candidates], lacks: tuple[Lack, ...] | None = None):
    """Every candidate on K_FOLDS folds of the static verdicts; returns the Evaluation."""
    labelled = np.zeros(history.n_firms, dtype=bool)
    labelled[history.firm] = True
    findings = []
    if lacks is None:
        lacks, findings = infer_lacks(snapshot, labelled)
    folds = _Folds(snapshot, history, lacks, seed)
    y, names = folds.y, segment_names(lacks)
    if y.sum() < K_FOLDS or (len(y) - y.sum()) < K_FOLDS:
        raise ValueError(f"too few outcomes to cross-validate on: {int(y.sum())} defaults and "
                         f"{int(len(y) - y.sum())} non-defaults; {K_FOLDS} folds need at least {K_FOLDS} of each")
    first = folds.input_hiding(frozenset({0}))
    templates = [model for family in candidates for model in family(first, seed)]
    out_of_fold = {m.name: np.zeros(len(y)) for m in templates}
    fold_auc = {m.name: [] for m in templates}
    for j in range(K_FOLDS):
        data, rows, y_train = folds.training(j)
        test_rows = folds.fold == j
        test_input = folds.input_hiding(frozenset({j}))
        for template in templates:
            model = template.variant(template.name, template.columns)
            model.fit(data, rows, y_train)
            out_of_fold[template.name][test_rows] = model.risk(test_input, folds.firms[test_rows])
            fold_auc[template.name].append(fast_auc(y[test_rows], out_of_fold[template.name][test_rows]))
    judgements = [judge(m.name, y, out_of_fold[m.name], folds.segment, names, seed) for m in templates]
    shipped, choice = choose(judgements)
    groups = {"all": np.ones(len(y), dtype=bool)} | {name: folds.segment == k for k, name in enumerate(names)}
    results = []
    for template, judgement in zip(templates, judgements):
        risk = out_of_fold[template.name]
        calibrator = Calibrator.fit(risk, y)
        pd = calibrator.pd(risk)
        results.append(ModelResult(
            name=template.name, validation_thin_auc=judgement.criterion,
            test={g: evaluate(y[m], pd[m], risk[m]) for g, m in groups.items() if m.any()},
            calibrator=calibrator, model=template, test_risk=risk, test_pd=pd,
            fold_aucs=fold_auc[template.name], refusal=judgement.refusal))
    train_data, train_rows, y_all = folds.training(None)
    train = Period(train_data, train_rows, np.ones(len(train_rows), dtype=bool), y_all)
    test = Period(first, folds.firms, folds.segment > 0, y)
    return Evaluation(train, test, results, shipped, protocol=f"stratified {K_FOLDS}-fold cross-validation",
                      lacks=lacks, lack_findings=findings, choice=choice)
