"""A firm's own features: a date it lacks is unknown, not a number."""

from datetime import date

import numpy as np
import pytest

from graph_service.core.snapshot import snapshot_from_rows
from scoring.features import own_features
from scoring.outcomes import read_history


def test_a_firm_without_a_founding_date_has_an_unknown_age_not_a_huge_negative_one():
    snapshot = snapshot_from_rows([{"label": "Firm", "id": "A", "properties": {"name": "A", "founded": None}},
                                   {"label": "Firm", "id": "B", "properties": {"name": "B", "founded": date(2016, 1, 1)}}],
                                  [])
    features = own_features(snapshot, read_history(snapshot), np.datetime64("2026-01-01"), np.zeros(2, dtype=bool))
    assert np.isnan(features["own.founded.years"][0])
    assert features["own.founded.years"][1] == pytest.approx(10.0, abs=0.01)
