"""The evaluation protocol: a time-based split, thin-file scoring, every model side by side.

- Test on the outcomes in the year after `test_as_of` (a year before the latest outcome) with
  features as of that day; train on a panel of earlier as-of dates (scoring/panel.py: every
  labelled period, a year apart by default), each firm at risk at a date a row with features as of
  that date and its outcome in the year after it. Nothing after an as-of date reaches its features.
- Thin-file protocol: a seeded half of the firms scored at each date is scored thin-file: its own
  loans, every tie through them, and its own outcome are hidden from the features and from the
  propagation seeds. Metrics are reported for thin-file and with-history firms separately.
- A quarter of the training firms (all their rows) is held out as validation: it chooses the model
  to ship (the rule in scoring/model_choice.py, on its thin-file rows); its rows at the latest
  training date fit the calibrator (Platt scaling).
- A split by dates (`--train-until`, `--validate-until`, scoring/panel.py's DateSplit) sets the
  three parts instead: the panel's rows up to train-until fit, its later rows up to validate-until
  choose and calibrate, the year after validate-until is the test, reported once.
- What the firms to be scored lack beyond their own loans (scoring/lacks.py), the thin-file firms
  lack too: those ties are removed for them.
- Static verdicts (firm-level outcomes without dates) have no time to split on: they are
  cross-validated instead (scoring/cross_validation.py); an owner's train / valid / test property
  replaces either (scoring/owner_split.py).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from graph_service.core.snapshot import GraphSnapshot
from scoring.calibration import Calibrator
from scoring.cross_validation import run_cross_validation
from scoring.evaluation_results import Evaluation, ModelResult, Period
from scoring.lacks import Lack, LackFinding, infer_lacks
from scoring.leak_check import refuse_outcome_leaks
from scoring.metrics import auc_difference_interval, evaluate
from scoring.model_choice import Judgement, choose, judge
from scoring.models import Candidates, RiskModel, baseline_models
from scoring.outcomes import HORIZON, read_history
from scoring.owner_split import run_owner_split
from scoring.panel import DateSplit, Panel
from scoring.panel_rows import PanelRows, build_panel, build_period

# The recommenders' track records as the features see them (as of each date, the firm itself left out).
TRACK_RECORD_COLUMNS = ("RECOMMENDS.in.known", "RECOMMENDS.in.bad_rate")


class _Protocol:
    """Fits a model on the training period's fit firms, calibrates and chooses on its validation
    firms, and tests it on the test period."""

    def __init__(self, panel: PanelRows, test: Period, seed: int):
        self.train, self.test, self.seed = panel.period, test, seed
        self.validation, self.calibration = panel.validation(seed), panel.calibration(seed)
        self.groups = {"all": np.ones(len(test.y), dtype=bool), "thin-file": test.thin, "with-history": ~test.thin}

    def run(self, model: RiskModel) -> ModelResult:
        train, test, validation = self.train, self.test, self.validation
        model.fit(train.data, train.firms[~validation], train.y[~validation])
        validation_risk = model.risk(train.data, train.firms[validation])
        test_risk = model.risk(test.data, test.firms)
        calibrator = Calibrator.fit(validation_risk[self.calibration], train.y[validation][self.calibration])
        thin = train.thin[validation]
        y_thin, risk_thin = train.y[validation][thin], validation_risk[thin]
        judgement = judge(model.name, y_thin, risk_thin, np.zeros(len(y_thin), dtype=int), ["thin-file"], self.seed)
        test_pd = calibrator.pd(test_risk)
        return ModelResult(
            name=model.name, validation_thin_auc=judgement.criterion,
            test={g: evaluate(test.y[m], test_pd[m], test_risk[m]) for g, m in self.groups.items()},
            calibrator=calibrator, model=model, test_risk=test_risk, test_pd=test_pd, refusal=judgement.refusal,
            unjudged=judgement.unjudged,
        )


def run_evaluation(snapshot: GraphSnapshot, seed: int = 7,
                   candidates: Sequence[Candidates] = (baseline_models,),
                   lacks: tuple[Lack, ...] | None = None, split_property: str | None = None,
                   panel: Panel = Panel(), cv_repeats: int | None = None,
                   date_split: DateSplit | None = None) -> Evaluation:
    """Every candidate model side by side on the time split (cross-validation for static verdicts);
    ships one by the rule in scoring/model_choice.py.

    candidates: families of models to compare (the baselines by default; entry points add the GNN
    where the `gnn` extra is installed). lacks: what the firms to be scored lack (None: inferred).
    split_property: a firm property holding the owner's train / valid / test (scoring/owner_split.py).
    panel: the as-of dates the time split trains on (scoring/panel.py). cv_repeats: how many times
    static verdicts are cross-validated (None: by the label count, scoring/cross_validation.py).
    date_split: train until, validate until (scoring/panel.py), in place of the validation quarter."""
    history = read_history(snapshot)
    refuse_outcome_leaks(snapshot, history)
    if date_split is not None and (split_property or history.static):
        raise ValueError("--train-until / --validate-until split dated outcomes by date; "
                         + (f"--split-property {split_property} is a split already: give one" if split_property else
                            "these outcomes have no dates: give the owner's split (--split-property) or none"))
    if split_property:
        return run_owner_split(snapshot, history, seed, candidates, split_property, lacks)
    if history.static:
        return run_cross_validation(snapshot, history, seed, candidates, lacks, cv_repeats)
    findings: list[LackFinding] = []
    if lacks is None:
        labelled = np.zeros(history.n_firms, dtype=bool)
        labelled[history.firm] = True
        lacks, findings = infer_lacks(snapshot, labelled)
    rows, test = _time_split_rows(snapshot, history, panel, date_split, seed, lacks)
    train = rows.period
    assert train.names == test.names
    protocol = _Protocol(rows, test, seed)
    results = [protocol.run(model) for family in candidates for model in family(train.data, seed)]
    shipped, choice = choose([_judgement(r) for r in results])
    evaluation = Evaluation(train, test, results, shipped, lacks=lacks, lack_findings=findings, choice=choice,
                            panel=panel, train_dates=rows.dates, date_split=date_split,
                            protocol="time split" if date_split is None else
                            f"split by dates (train until {date_split.train_until}, validate until "
                            f"{date_split.validate_until}), test reported once")
    _track_record_ablation(evaluation, protocol)
    return evaluation


def _time_split_rows(snapshot: GraphSnapshot, history, panel: Panel, date_split: DateSplit | None, seed: int,
                     lacks: tuple[Lack, ...]) -> tuple[PanelRows, Period]:
    """The training panel's rows (fit and validation) and the test period, each part checked to hold
    a default and a survivor."""
    if date_split is None:
        test_as_of = history.observed_until - HORIZON
        rows = build_panel(snapshot, history, panel.dates(history, test_as_of - HORIZON), seed, lacks)
    else:
        test_as_of = date_split.test_as_of(history)
        rows = build_panel(snapshot, history, date_split.dates(panel, history), seed, lacks, date_split.train_until)
    test = build_period(snapshot, history, test_as_of, seed + 1, lacks)
    validation = rows.validation(seed)
    parts = {"training": (rows.period.y[~validation], rows.date[~validation]),
             "validation": (rows.period.y[validation], rows.date[validation]),
             "test": (test.y, np.array([test_as_of]))}
    for part, (y, dates) in parts.items():
        if not (y.any() and not y.all()):
            raise ValueError(f"too few outcomes to train and test on: the {part} part (firms at risk as of "
                             f"{', '.join(str(d) for d in np.unique(dates)[::-1]) or 'no date'}) has "
                             f"{int(y.sum())} defaults among {len(y)} firm-date rows; it needs a default and a survivor "
                             f"(the graph needs defaults, Loan nodes with status 'defaulted' tied by BORROWED or "
                             f"Firm.defaulted, in each part)")
    return rows, test


def _judgement(result: ModelResult) -> Judgement:
    return Judgement(result.name, {"thin-file": result.validation_thin_auc}, result.validation_thin_auc,
                     result.refusal, result.unjudged)


def _track_record_ablation(evaluation: Evaluation, protocol: _Protocol) -> None:
    """Would the shipped model do as well without the recommenders' track records?"""
    shipped = evaluation.shipped_result()
    track = [c for c in TRACK_RECORD_COLUMNS if c in shipped.model.columns]
    if not track:
        return
    name = f"{shipped.name} without recommender track records"
    without = protocol.run(shipped.model.variant(name, [c for c in shipped.model.columns if c not in track]))
    thin = evaluation.test.thin
    without.thin_auc_change = auc_difference_interval(evaluation.test.y[thin], without.test_risk[thin],
                                                      shipped.test_risk[thin])
    evaluation.ablations.append((shipped.name, ", ".join(track), without))
