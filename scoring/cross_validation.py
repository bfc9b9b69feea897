"""The protocol for static verdicts (outcomes without dates): stratified k-fold cross-validation.

With no dates there is no time to split on, so the labelled firms are split into K_FOLDS folds,
stratified by outcome (seeded). Every row a model reads for a firm comes from an input in which
that firm's own outcome is hidden, so a known outcome never reaches its own features:
- a test row of fold j: the graph with fold j's outcomes hidden, and for the fold's firms in a
  lack segment (scoring/lacks.py) the ties they are to lack removed;
- a training row of fold i, when fold j is tested: the graph with folds i and j hidden (the test
  firms' outcomes reach no training row either).
Each candidate is fitted on the other folds and scores fold j; its pooled out-of-fold scores over
all labelled firms choose the model (scoring/model_choice.py) and fit its calibrator. A small label
set is cross-validated several times over, with different folds: a model is refused if any repeat
refuses it, and chosen by the mean over the repeats; its calibrator is fitted on every repeat's
out-of-fold scores, and the fold column reports mean and spread over every fold of every repeat.
The shipped model is refitted on every fold's own-outcome-hidden rows.
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
from scoring.model_choice import Judgement, choose, judge
from scoring.models import Candidates
from scoring.outcomes import CreditHistory

# A label set this small is split SMALL_SET_REPEATS times (different folds each): one split of a few
# hundred firms can decide the model by chance (--cv-repeats sets it).
SMALL_LABEL_SET = 2_000
SMALL_SET_REPEATS = 3


def repeats_for(labelled: int) -> int:
    """How many times the k-fold split is drawn: SMALL_SET_REPEATS for a small label set, whose one
    split could decide the model by chance, once for a large one."""
    return SMALL_SET_REPEATS if labelled <= SMALL_LABEL_SET else 1


def run_cross_validation(snapshot: GraphSnapshot, history: CreditHistory, seed: int,
                         candidates: Sequence[Candidates], lacks: tuple[Lack, ...] | None = None,
                         repeats: int | None = None):
    """Every candidate on K_FOLDS folds of the static verdicts, `repeats` times with different folds
    (None: repeats_for the label count); returns the Evaluation."""
    labelled = np.zeros(history.n_firms, dtype=bool)
    labelled[history.firm] = True
    findings = []
    if lacks is None:
        lacks, findings = infer_lacks(snapshot, labelled)
    repeats = repeats or repeats_for(int(labelled.sum()))
    plans = [FoldInputs(snapshot, history, lacks, seed + r) for r in range(repeats)]
    y, names = plans[0].y, segment_names(lacks)
    if y.sum() < K_FOLDS or (len(y) - y.sum()) < K_FOLDS:
        raise ValueError(f"too few outcomes to cross-validate on: {int(y.sum())} defaults and "
                         f"{int(len(y) - y.sum())} non-defaults; {K_FOLDS} folds need at least {K_FOLDS} of each")
    first = plans[0].input_hiding(frozenset({0}))
    templates = [model for family in candidates for model in family(first, seed)]
    out_of_fold = {m.name: [] for m in templates}  # per repeat, (labelled firms,) out-of-fold risk
    fold_auc = {m.name: [] for m in templates}
    for folds in plans:
        risk = _out_of_fold(folds, templates, fold_auc)
        for name, values in risk.items():
            out_of_fold[name].append(values)
    judgements = [_judge_repeats(m.name, plans, out_of_fold[m.name], names, seed) for m in templates]
    shipped, choice = choose(judgements)
    folds = plans[0]
    groups = {"all": np.ones(len(y), dtype=bool)} | {name: folds.segment == k for k, name in enumerate(names)}
    results = []
    for template, judgement in zip(templates, judgements):
        # Calibrated on every repeat's out-of-fold scores; the table reports the first repeat's.
        calibrator = Calibrator.fit(np.concatenate(out_of_fold[template.name]), np.tile(y, repeats))
        risk = out_of_fold[template.name][0]
        pd = calibrator.pd(risk)
        results.append(ModelResult(
            name=template.name, validation_thin_auc=judgement.criterion,
            test={g: evaluate(y[m], pd[m], risk[m]) for g, m in groups.items() if m.any()},
            calibrator=calibrator, model=template, test_risk=risk, test_pd=pd,
            fold_aucs=fold_auc[template.name], refusal=judgement.refusal, unjudged=judgement.unjudged))
    train_data, train_rows, y_all = folds.rows(list(range(K_FOLDS)))
    train = Period(train_data, train_rows, np.ones(len(train_rows), dtype=bool), y_all)
    test = Period(first, folds.firms, folds.segment > 0, y)
    protocol = f"stratified {K_FOLDS}-fold cross-validation" + (f", {repeats} repeats" if repeats > 1 else "")
    return Evaluation(train, test, results, shipped, protocol=protocol, lacks=lacks, lack_findings=findings,
                      choice=choice, cv_repeats=repeats)


def _out_of_fold(folds: FoldInputs, templates: list, fold_auc: dict[str, list]) -> dict[str, np.ndarray]:
    """Each template fitted on the other folds and scoring each fold: (labelled firms,) risk per name."""
    y = folds.y
    out = {m.name: np.zeros(len(y)) for m in templates}
    for j in range(K_FOLDS):
        data, rows, y_train = folds.rows([i for i in range(K_FOLDS) if i != j], frozenset({j}))
        test_rows = folds.fold == j
        test_input = folds.input_hiding(frozenset({j}))
        for template in templates:
            model = template.variant(template.name, template.columns)
            model.fit(data, rows, y_train)
            out[template.name][test_rows] = model.risk(test_input, folds.firms[test_rows])
            fold_auc[template.name].append(fast_auc(y[test_rows], out[template.name][test_rows]))
    return out


def _judge_repeats(name: str, plans: list[FoldInputs], risks: list[np.ndarray], names: list[str],
                   seed: int) -> Judgement:
    """One judgement over the repeats: refused if any repeat refuses it, chosen by the mean over the
    repeats of its worst-segment AUC."""
    each = [judge(name, folds.y, risk, folds.segment, names, seed) for folds, risk in zip(plans, risks)]
    refused = [(r, j) for r, j in enumerate(each) if j.refusal]
    refusal = None
    if refused:
        r, j = refused[0]
        refusal = j.refusal + (f" (in repeat {r + 1} of {len(each)})" if len(each) > 1 else "")
    segment_auc = {s: float(np.nanmean([j.segment_auc[s] for j in each])) for s in each[0].segment_auc}
    unjudged = list(dict.fromkeys(u for j in each for u in j.unjudged))
    return Judgement(name, segment_auc, float(np.mean([j.criterion for j in each])), refusal, unjudged)
