"""The paired bootstrap behind the evaluation report's track-record verdict."""

import numpy as np

from scoring.metrics import auc_difference_interval


def test_the_interval_excludes_zero_only_for_a_real_difference():
    rng = np.random.default_rng(0)
    y = (rng.random(3000) < 0.1).astype(int)
    informative = y + rng.normal(0, 0.8, len(y))
    noise = rng.normal(0, 1, len(y))
    low, high = auc_difference_interval(y, noise, informative, resamples=300)
    assert low > 0.1  # b = informative is clearly better than a = noise
    low, high = auc_difference_interval(y, informative, informative + rng.normal(0, 0.01, len(y)), resamples=300)
    assert low < 0 < high  # all but the same model


def test_a_single_class_gives_no_interval_rather_than_an_error():
    low, high = auc_difference_interval(np.zeros(50, dtype=int), np.arange(50.0), np.arange(50.0))
    assert np.isnan(low) and np.isnan(high)
