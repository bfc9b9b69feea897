"""A panel's rows (scoring/panel.py): every firm at risk at each as-of date, stacked as one input,
and which of them validate."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph_service.core.snapshot import GraphSnapshot
from scoring.evaluation_results import Period
from scoring.lacks import Lack, without_ties
from scoring.model_input import model_input
from scoring.outcomes import CreditHistory
from scoring.stacked_input import stack_inputs

THIN_SHARE = 0.5
VALIDATION_SHARE = 0.25


def build_period(snapshot: GraphSnapshot, history: CreditHistory, as_of: np.datetime64, seed: int,
                 lacks: tuple[Lack, ...] = ()) -> Period:
    """The firms at risk at as_of; a seeded half scored thin-file, lacking also the ties in `lacks`."""
    at_risk, defaulted = history.labels(as_of)
    rng = np.random.default_rng(seed)
    hidden = at_risk & (rng.random(len(at_risk)) < THIN_SHARE)
    firms = np.flatnonzero(at_risk)
    seen = without_ties(snapshot, {lack: hidden for lack in lacks})
    return Period(model_input(seen, history, as_of, hidden), firms, hidden[firms], defaulted[firms].astype(int))


@dataclass
class PanelRows:
    """A panel's rows stacked as one Period, with each row's firm (in the graph) and as-of date."""

    period: Period
    firm: np.ndarray  # (r,) the row's firm index in the snapshot
    date: np.ndarray  # (r,) datetime64[D] the row's as-of date
    dates: list[np.datetime64]
    n_firms: int  # firms in the snapshot (the validation draw is over them, whichever are at risk)
    validate_from: np.datetime64 | None = None  # a split by dates: rows as of this date or later validate

    def validation(self, seed: int) -> np.ndarray:
        """(r,) bool: the row validates: it is a validation firm's (a seeded quarter of the firms, at
        every date), or under a split by dates, as of train-until or later."""
        if self.validate_from is not None:
            return self.date >= self.validate_from
        chosen = np.random.default_rng(seed).random(self.n_firms) < VALIDATION_SHARE
        return chosen[self.firm]

    def calibration(self, seed: int) -> np.ndarray:
        """(validation rows,) bool: the validation row is at the latest date (it fits the calibrator)."""
        return self.date[self.validation(seed)] == self.dates[0]


def build_panel(snapshot: GraphSnapshot, history: CreditHistory, dates: list[np.datetime64], seed: int,
                lacks: tuple[Lack, ...] = (), validate_from: np.datetime64 | None = None) -> PanelRows:
    """Every firm-date row of the dates (latest first), thin-file halves seeded per date;
    validate_from: a split by dates' train-until (None: validation is a seeded quarter of the firms)."""
    periods = [build_period(snapshot, history, as_of, seed + 10 * k, lacks) for k, as_of in enumerate(dates)]
    data, rows = stack_inputs([p.data for p in periods], [p.firms for p in periods])
    stacked = Period(data, rows, np.concatenate([p.thin for p in periods]), np.concatenate([p.y for p in periods]))
    return PanelRows(stacked, np.concatenate([p.firms for p in periods]),
                     np.concatenate([np.full(len(p.firms), p.as_of) for p in periods]).astype("datetime64[D]"),
                     list(dates), history.n_firms, validate_from)
