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
from scoring.fold_inputs import K_FOLDS, FoldInputs
from scoring.lacks import Lack, infer_lacks, segment_names
from scoring.metrics import evaluate, fast_auc
from scoring.model_choice import choose, judge
from scoring.models import Candidates
from scoring.outcomes import CreditHistory


def run_cross_validation(snapshot: GraphSnapshot, history: CreditHistory, seed: int,
                         candidates: Sequence[Candidates], lacks: tuple[Lack, ...] | None = None):
    """Every candidate on K_FOLDS folds of the static verdicts; returns the Evaluation."""
    labelled = np.zeros(history.n_firms, dtype=bool)
    labelled[history.firm] = True
    findings = []
    if lacks is None:
        lacks, findings = infer_lacks(snapshot, labelled)
    folds = FoldInputs(snapshot, history, lacks, seed)
    y, names = folds.y, segment_names(lacks)
    if y.sum() < K_FOLDS or (len(y) - y.sum()) < K_FOLDS:
        raise ValueError(f"too few outcomes to cross-validate on: {int(y.sum())} defaults and "
                         f"{int(len(y) - y.sum())} non-defaults; {K_FOLDS} folds need at least {K_FOLDS} of each")
    first = folds.input_hiding(frozenset({0}))
    templates = [model for family in candidates for model in family(first, seed)]
    out_of_fold = {m.name: np.zeros(len(y)) for m in templates}
    fold_auc = {m.name: [] for m in templates}
    for j in range(K_FOLDS):
        data, rows, y_train = folds.rows([i for i in range(K_FOLDS) if i != j], frozenset({j}))
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
    train_data, train_rows, y_all = folds.rows(list(range(K_FOLDS)))
    train = Period(train_data, train_rows, np.ones(len(train_rows), dtype=bool), y_all)
    test = Period(first, folds.firms, folds.segment > 0, y)
    return Evaluation(train, test, results, shipped, protocol=f"stratified {K_FOLDS}-fold cross-validation",
                      lacks=lacks, lack_findings=findings, choice=choice)
