"""The evaluation protocol: a time-based split, thin-file scoring, every model side by side.

- Train on outcomes in the year after `train_as_of` with features as of that day; test on the
  year after `test_as_of` (one year later) with features as of that day. Nothing after an as-of
  date reaches its features.
- Thin-file protocol: a seeded half of the firms scored at each date is scored thin-file: its own
  loans, every tie through them, and its own outcome are hidden from the features and from the
  propagation seeds. Metrics are reported for thin-file and with-history firms separately.
- A quarter of the training firms is held out as validation: it chooses the model to ship (best
  thin-file AUC) and fits the calibrator (Platt scaling).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from scoring.calibration import Calibrator
from scoring.features import build_features, known_bad, select_features
from scoring.metrics import Metrics, auc_difference_interval, evaluate, reliability_table
from scoring.models import BoostingModel, LogisticModel, PropagationModel, RiskModel
from scoring.outcomes import HORIZON, CreditHistory, read_history
from scoring.propagation import trust_and_distrust
from graph_service.core.snapshot import GraphSnapshot

THIN_SHARE = 0.5
VALIDATION_SHARE = 0.25
# The recommenders' track records as the features see them (as of each date, the firm itself left out).
TRACK_RECORD_COLUMNS = ("RECOMMENDS.in.known", "RECOMMENDS.in.bad_rate")


@dataclass
class Period:
    """The firms scored at one as-of date, their features and what happened next."""

    as_of: np.datetime64
    firms: np.ndarray  # (r,) firm indices at risk at as_of
    hidden: np.ndarray  # (n_firms,) bool: scored thin-file
    thin: np.ndarray  # (r,) bool: scored thin-file
    y: np.ndarray  # (r,) 0/1 default within 12 months
    names: list[str]
    matrix: np.ndarray  # (n_firms, f) features of every firm (a GNN reads its neighbours' too)

    @property
    def x(self) -> np.ndarray:
        """(r, f) features of the firms at risk."""
        return self.matrix[self.firms]


def period_features(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64,
                    hidden: np.ndarray) -> tuple[list[str], np.ndarray]:
    """All features of every firm as of a date, hidden firms scored thin-file: (names, (n, f) matrix)."""
    features = build_features(snapshot, history, as_of, hidden)
    labelled, bad = known_bad(history, as_of, hidden)
    drop = {"Firm": np.zeros(len(hidden), dtype=bool)}
    if "Loan" in snapshot.nodes:
        loan_hidden = np.zeros(len(snapshot.nodes["Loan"]), dtype=bool)
        loan_hidden[history.loan[(history.loan >= 0) & hidden[history.firm]]] = True
        drop["Loan"] = loan_hidden
    propagation = trust_and_distrust(snapshot, labelled & ~bad, bad, drop)
    names = features.names + list(propagation)
    return names, np.column_stack([features.matrix, *propagation.values()])


def build_period(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64, seed: int) -> Period:
    at_risk, defaulted = history.labels(as_of)
    rng = np.random.default_rng(seed)
    hidden = at_risk & (rng.random(len(at_risk)) < THIN_SHARE)
    names, matrix = period_features(snapshot, history, as_of, hidden)
    firms = np.flatnonzero(at_risk)
    return Period(as_of, firms, hidden, hidden[firms], defaulted[firms].astype(int), names, matrix)


def candidate_models(names: list[str], seed: int) -> list[RiskModel]:
    own = [n for n in names if n.startswith(("own.", "consistency.", "history."))]
    graph = [n for n in names if not n.startswith("propagation.")]
    return [
        LogisticModel("features-only logistic regression", own, seed),
        BoostingModel("features-only gradient boosting", own, seed),
        BoostingModel("graph-feature gradient boosting", graph, seed),
        PropagationModel("seeded propagation (TrustRank)", ["propagation.distrust_share"]),
        BoostingModel("graph-feature gradient boosting + propagation", list(names), seed),
    ]


@dataclass
class ModelResult:
    name: str
    validation_thin_auc: float
    test: dict[str, Metrics]  # "all", "thin-file", "with-history"
    calibrator: Calibrator = field(repr=False)
    model: RiskModel = field(repr=False)
    test_risk: np.ndarray = field(repr=False)  # (test firms,) raw score
    test_pd: np.ndarray = field(repr=False)  # (test firms,) calibrated PD
    # For a variant of the shipped model: 95% paired-bootstrap interval of (shipped - this) thin-file AUC.
    thin_auc_change: tuple[float, float] | None = None


@dataclass
class Evaluation:
    train: Period
    test: Period
    results: list[ModelResult]
    shipped: str
    ablations: list[tuple[str, str, ModelResult]] = field(default_factory=list)  # (model, what was left out, result)

    def shipped_result(self) -> ModelResult:
        return next(r for r in self.results if r.name == self.shipped)

    def reliability(self) -> list[tuple[str, int, float, float]]:
        return reliability_table(self.test.y, self.shipped_result().test_pd)


def _columns(period: Period, wanted: list[str]) -> np.ndarray:
    return select_features(period.names, period.x, wanted)


def _auc(y: np.ndarray, risk: np.ndarray) -> float:
    return evaluate(y, risk).auc if len(y) else float("nan")


def run_evaluation(snapshot: GraphSnapshot, seed: int = 7, with_gnn: bool = True) -> Evaluation:
    history = read_history(snapshot)
    test_as_of = history.observed_until - HORIZON
    train = build_period(snapshot, history, test_as_of - HORIZON, seed)
    test = build_period(snapshot, history, test_as_of, seed + 1)
    if train.y.sum() == 0 or test.y.sum() == 0:
        raise ValueError("too few outcomes to train and test on: the graph needs defaults (Loan nodes with "
                         "status 'defaulted' tied by BORROWED, or Firm.defaulted) in each of its last two years")
    assert train.names == test.names
    rng = np.random.default_rng(seed)
    validation = rng.random(len(train.y)) < VALIDATION_SHARE
    fit = ~validation
    results = []
    groups = {"all": np.ones(len(test.y), dtype=bool), "thin-file": test.thin, "with-history": ~test.thin}

    def record(model, validation_risk: np.ndarray, test_risk: np.ndarray) -> None:
        calibrator = Calibrator.fit(validation_risk, train.y[validation])
        thin_validation = train.thin[validation]
        test_pd = calibrator.pd(test_risk)
        results.append(ModelResult(
            name=model.name,
            validation_thin_auc=_auc(train.y[validation][thin_validation], validation_risk[thin_validation]),
            test={g: evaluate(test.y[m], test_pd[m], test_risk[m]) for g, m in groups.items()},
            calibrator=calibrator, model=model, test_risk=test_risk, test_pd=test_pd,
        ))

    def fit_features_model(model) -> None:
        x_train = _columns(train, model.columns)
        model.fit(x_train[fit], train.y[fit])
        record(model, model.risk(x_train[validation]), model.risk(_columns(test, model.columns)))

    def fit_gnn(name: str | None, keep: list[str]) -> None:
        from gnn.hetero_graph import build_graph
        from gnn.risk_model import GNNRiskModel

        # The GNN reads every firm's features as its input and learns how to pass them along ties.
        columns = [train.names.index(c) for c in keep]
        train_graph = build_graph(snapshot, history, train.as_of, train.hidden, train.matrix[:, columns])
        model = GNNRiskModel(seed=seed, columns=list(keep)).fit(train_graph, train.firms[fit], train.y[fit])
        model.name = name or model.name
        test_graph = build_graph(snapshot, history, test.as_of, test.hidden, test.matrix[:, columns])
        record(model, model.risk(train_graph, train.firms[validation]), model.risk(test_graph, test.firms))

    for model in candidate_models(train.names, seed):
        fit_features_model(model)
    firm_ties = any("Firm" in (key[0], key[2]) for key in snapshot.edges)
    if with_gnn and firm_ties and gnn_available():
        fit_gnn(None, list(train.names))
    shipped = max(results, key=lambda r: r.validation_thin_auc).name
    evaluation = Evaluation(train, test, results, shipped)
    # Would the shipped model do as well without the recommenders' track records?
    track = [c for c in TRACK_RECORD_COLUMNS if c in train.names]
    shipped_model = evaluation.shipped_result().model
    reads_graph = getattr(shipped_model, "reads_graph", False)
    if track and (reads_graph or track[0] in shipped_model.columns):
        name = f"{shipped} without recommender track records"
        if reads_graph:
            fit_gnn(name, [c for c in train.names if c not in track])
        else:
            fit_features_model(type(shipped_model)(name, [c for c in shipped_model.columns if c not in track], seed))
        without = results.pop()
        thin = test.thin
        without.thin_auc_change = auc_difference_interval(test.y[thin], without.test_risk[thin],
                                                          evaluation.shipped_result().test_risk[thin])
        evaluation.ablations.append((shipped, ", ".join(track), without))
    return evaluation



def gnn_available() -> bool:
    """True where the `gnn` extra (torch, PyG) is installed."""
    try:
        import torch_geometric  # noqa: F401
    except ImportError:
        return False
    return True
