"""A panel of as-of dates: the time split trains on every labelled period, not only the latest.

Each firm at risk at a date is one row, with its features as of that date and its outcome in the
horizon after it; a firm at risk at several dates is several rows. The dates step back from the
latest (yearly by default, `--period-days`) while a date still has a default and a survivor at
risk, at most `--periods` of them (all by default). The rows of all dates are stacked as disjoint
copies of the graph (scoring/stacked_input.py), each copy's outcomes shifted so that it reads as
of its own date, so every model kind, the GNN included, fits on all of them in one call.

The rows are built by scoring/panel_rows.py. Validation is by firm: a seeded quarter of the firms are validation firms; the other firms' rows
(at every date) fit the model. All the validation firms' rows choose the model; their rows at the
latest date fit the calibrator, so PDs are calibrated on the period nearest the one scored (scores
and default rates drift over the years). No firm is on both sides, so no validation outcome
reaches a fitted row.

An explicit split by dates (DateSplit: `--train-until`, `--validate-until`) replaces that draw:
rows whose outcome year ends by train-until fit the model; rows as of train-until or later whose
year ends by validate-until choose and calibrate it; the firms at risk at validate-until, with
their outcomes in the year after it, are the test. The three parts' outcome years do not overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scoring.outcomes import HORIZON, CreditHistory


@dataclass(frozen=True)
class Panel:
    """Which as-of dates the time split trains on: every `step_days` back from the latest labelled
    one, at most `periods` of them (None: every labelled period)."""

    step_days: int = 365
    periods: int | None = None

    def __post_init__(self):
        if self.step_days < 1:
            raise ValueError(f"the panel's step must be at least one day, got {self.step_days}")
        if self.periods is not None and self.periods < 1:
            raise ValueError(f"the panel needs at least one period, got {self.periods}")

    def dates(self, history: CreditHistory, latest: np.datetime64) -> list[np.datetime64]:
        """latest, then one step back at a time while the date has a default and a survivor at risk."""
        step = np.timedelta64(self.step_days, "D")
        dates, as_of = [], latest
        while self.periods is None or len(dates) < self.periods:
            at_risk, defaulted = history.labels(as_of)
            if not (defaulted.any() and (at_risk & ~defaulted).any()):
                break
            dates.append(as_of)
            as_of = as_of - step
        return dates or [latest]


@dataclass(frozen=True)
class DateSplit:
    """The user's split by dates: train until one date, validate until a later one, test after it."""

    train_until: np.datetime64
    validate_until: np.datetime64

    def __post_init__(self):
        if self.validate_until - self.train_until < HORIZON:
            raise ValueError(f"--validate-until {self.validate_until} must be at least {HORIZON.astype(int)} days "
                             f"(the outcome horizon) after --train-until {self.train_until}: validation rows are the "
                             f"firms at risk from train-until on, each with its outcome in the year after")

    def test_as_of(self, history: CreditHistory) -> np.datetime64:
        """validate-until: the test firms are those at risk then; their outcome year must be observed."""
        if self.validate_until + HORIZON > history.observed_until:
            raise ValueError(f"--validate-until {self.validate_until}: the test year after it ends "
                             f"{self.validate_until + HORIZON}, after the last outcome date "
                             f"{history.observed_until}; validate until {history.observed_until - HORIZON} at the latest")
        return self.validate_until

    def dates(self, panel: Panel, history: CreditHistory) -> list[np.datetime64]:
        """The validation dates (from validate-until minus the horizon back to train-until, every
        panel step), then the training panel's (from train-until minus the horizon back), latest first."""
        step = np.timedelta64(panel.step_days, "D")
        validation, as_of = [], self.validate_until - HORIZON
        while as_of >= self.train_until:
            validation.append(as_of)
            as_of = as_of - step
        return validation + panel.dates(history, self.train_until - HORIZON)
