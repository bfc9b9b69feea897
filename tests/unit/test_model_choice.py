"""Which candidate ships: a stated rule that refuses collapsed and chance-level models."""

import numpy as np
import pytest

from graph_service.core.errors import TrustNetError
from scoring.model_choice import choose, judge

SEGMENTS = ["as-is", "no RATES.in"]


@pytest.fixture
def validation():
    rng = np.random.default_rng(0)
    y = (rng.random(400) < 0.4).astype(int)
    segment = np.arange(400) % 2
    good = y + rng.normal(scale=0.6, size=400)  # ranks well everywhere
    return y, segment, good, rng


def test_a_model_whose_scores_collapse_on_a_segment_is_refused_even_with_a_high_auc_elsewhere(validation):
    y, segment, good, _ = validation
    collapsed = np.where(segment == 1, np.round(good) / 10, good * 2)  # 3-4 distinct values on the newcomers
    collapsed[segment == 1] = np.clip(collapsed[segment == 1], 0, 0.1)
    judged = judge("collapsing model", y, collapsed, segment, SEGMENTS, seed=0)
    assert judged.refusal and "collapse on the no RATES.in firms" in judged.refusal
    shipped, lines = choose([judged, judge("steady model", y, good, segment, SEGMENTS, seed=0)])
    assert shipped == "steady model"
    assert any(line.startswith("Not shipped: collapsing model") for line in lines)


def test_a_model_not_shown_to_beat_chance_is_refused(validation):
    y, segment, _, rng = validation
    judged = judge("noise", y, rng.random(400), segment, SEGMENTS, seed=0)
    assert judged.refusal and "includes 0.5" in judged.refusal


def test_the_worst_segment_decides_and_equal_models_go_to_the_one_listed_first(validation):
    y, segment, good, _ = validation
    uneven = np.where(segment == 0, y * 3.0 + good, good + np.random.default_rng(5).normal(scale=1.5, size=400))
    first, second = judge("simple", y, good, segment, SEGMENTS, 0), judge("same again", y, good, segment, SEGMENTS, 0)
    shipped, lines = choose([judge("great on one segment", y, uneven, segment, SEGMENTS, 0), first, second])
    assert shipped == "simple"
    assert "tied with same again, listed after it" in lines[0]


def test_with_no_candidate_left_training_fails_naming_each_reason(validation):
    y, segment, _, rng = validation
    with pytest.raises(TrustNetError, match="no candidate model may ship: noise: .*includes 0.5"):
        choose([judge("noise", y, rng.random(400), segment, SEGMENTS, seed=0)])


def test_a_segment_too_small_to_judge_against_chance_refuses_no_model_and_says_so():
    rng = np.random.default_rng(3)
    y = np.array([1] * 5 + [0] * 60)
    risk = y + rng.normal(scale=2.0, size=65)  # 5 defaults: no interval could exclude 0.5
    judged = judge("small", y, risk, np.zeros(65, dtype=int), ["thin-file"], seed=0)
    assert judged.refusal is None and judged.unjudged == ["thin-file (5 defaults of 65)"]
    shipped, lines = choose([judged])
    assert shipped == "small" and lines[1].startswith("Too few outcomes to show it beats chance on: thin-file")
