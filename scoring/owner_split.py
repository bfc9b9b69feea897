"""The owner's own split: a firm property saying train, valid or test, as a lender's export carries it.

`trustnet train --split-property split` (any property name). With firm-level outcomes (dated or
not), each labelled firm's row comes from an input in which its own outcome is hidden, and no
training or validation row ever sees a test firm's outcome:
- the candidates are fitted on the train firms (out of fold over K_FOLDS stratified parts of them)
  and judged on the valid firms (scoring/model_choice.py), where each calibrator is fitted too;
- each is then refitted on train + valid and scores the test firms once: that is the test report;
- the shipped model is that refit (train + valid), with its calibrator from the valid firms.
Features are as of the scoring date (the day after the last outcome), as for static verdicts.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from graph_service.core.errors import TrustNetError
from graph_service.core.snapshot import GraphSnapshot
from scoring.calibration import Calibrator
from scoring.evaluation_results import Evaluation, ModelResult, Period
from scoring.fold_inputs import K_FOLDS, FoldInputs, stratified_folds
from scoring.lacks import Lack, infer_lacks, segment_names
from scoring.metrics import evaluate
from scoring.model_choice import choose, judge
from scoring.models import Candidates
from scoring.outcomes import CreditHistory

PARTS = {"train": "train", "training": "train", "valid": "valid", "validation": "valid", "val": "valid",
         "test": "test", "testing": "test"}
VALID, TEST = K_FOLDS, K_FOLDS + 1  # fold numbers; the train firms are folds 0 .. K_FOLDS - 1


def _fold_of(snapshot: GraphSnapshot, history: CreditHistory, name: str, seed: int):
    values = snapshot.nodes["Firm"].properties.get(name)
    if values is None:
        raise TrustNetError(f"--split-property {name}: no firm has a property {name!r}")

    def fold_of(firms: np.ndarray) -> np.ndarray:
        parts = [PARTS.get(str(values[i]).strip().lower()) if values[i] is not None else None for i in firms]
        bad = [f"{snapshot.nodes['Firm'].ids[i]} has {values[i]!r}" for i, p in zip(firms, parts) if p is None]
        if bad:
            raise TrustNetError(f"--split-property {name}: every labelled firm needs train, valid or test; "
                                f"{len(bad)} do not (" + "; ".join(bad[:5]) + (", ..." if len(bad) > 5 else "") + ")")
        parts_ = np.array(parts)
        fold = np.where(parts_ == "valid", VALID, TEST)
        train = np.flatnonzero(parts_ == "train")
        _, y = history.verdicts()
        fold[train] = stratified_folds(y[train], K_FOLDS, seed)
        for part in ("train", "valid", "test"):
            if len(np.unique(y[parts_ == part])) < 2:
                raise TrustNetError(f"--split-property {name}: the {part} firms need both defaults and non-defaults")
        return fold

    return fold_of


def run_owner_split(snapshot: GraphSnapshot, history: CreditHistory, seed: int, candidates: Sequence[Candidates],
                    split_property: str, lacks: tuple[Lack, ...] | None = None) -> Evaluation:
    if (history.loan >= 0).any():
        raise TrustNetError("--split-property needs firm-level outcomes (Firm.defaulted); this graph's come from loans, "
                            "whose time split is the protocol")
    labelled = np.zeros(history.n_firms, dtype=bool)
    labelled[history.firm] = True
    findings = []
    if lacks is None:
        lacks, findings = infer_lacks(snapshot, labelled)
    folds = FoldInputs(snapshot, history, lacks, seed, _fold_of(snapshot, history, split_property, seed))
    names = segment_names(lacks)
    train_folds = list(range(K_FOLDS))
    fit_data, fit_rows, fit_y = folds.rows(train_folds, frozenset({VALID, TEST}))
    valid, test = folds.fold == VALID, folds.fold == TEST
    valid_input, test_input = folds.input_hiding(frozenset({VALID, TEST})), folds.input_hiding(frozenset({TEST}))
    refit_data, refit_rows, refit_y = folds.rows(train_folds + [VALID], frozenset({TEST}))
    templates = [model for family in candidates for model in family(valid_input, seed)]
    y = folds.y
    groups = {"all": np.ones(int(test.sum()), dtype=bool)} | {
        name: folds.segment[test] == k for k, name in enumerate(names)}
    judgements, results = [], []
    for template in templates:
        model = template.variant(template.name, template.columns).fit(fit_data, fit_rows, fit_y)
        valid_risk = model.risk(valid_input, folds.firms[valid])
        judgement = judge(template.name, y[valid], valid_risk, folds.segment[valid], names, seed)
        calibrator = Calibrator.fit(valid_risk, y[valid])
        refit = template.variant(template.name, template.columns).fit(refit_data, refit_rows, refit_y)
        test_risk = refit.risk(test_input, folds.firms[test])
        test_pd = calibrator.pd(test_risk)
        judgements.append(judgement)
        results.append(ModelResult(
            name=template.name, validation_thin_auc=judgement.criterion,
            test={g: evaluate(y[test][m], test_pd[m], test_risk[m]) for g, m in groups.items() if m.any()},
            calibrator=calibrator, model=template, test_risk=test_risk, test_pd=test_pd, refusal=judgement.refusal))
    shipped, choice = choose(judgements)
    train = Period(refit_data, refit_rows, np.ones(len(refit_rows), dtype=bool), refit_y)
    test_period = Period(test_input, folds.firms[test], folds.segment[test] > 0, y[test])
    return Evaluation(train, test_period, results, shipped,
                      protocol=f"the owner's split ({split_property}: train / valid / test), test reported once",
                      lacks=lacks, lack_findings=findings, choice=choice)
