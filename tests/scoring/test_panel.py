"""The time split trains on a panel of as-of dates: every labelled period, each row as of its own date."""

import numpy as np
import pytest

from gnn.hetero_graph import build_graph
from scoring.features import known_bad
from scoring.outcomes import HORIZON, read_history
from scoring.panel import Panel
from scoring.panel_rows import build_panel, build_period
from scoring.report import as_text


def test_the_time_split_trains_on_every_labelled_period_a_year_apart(world_snapshot, evaluation):
    history = read_history(world_snapshot)
    dates = evaluation.train_dates
    assert len(dates) >= 4  # the world's loans span seven years: not only the latest one
    assert dates[0] == evaluation.test.as_of - HORIZON
    assert all(a - b == np.timedelta64(365, "D") for a, b in zip(dates, dates[1:]))
    at_risk = [history.labels(d)[0].sum() for d in dates]
    assert len(evaluation.train.y) == sum(at_risk)  # one row per firm at risk at each date
    assert all(history.labels(d)[1].any() for d in dates)  # each date has a default to learn from
    assert f"{len(dates)} as-of dates" in as_text(evaluation)


def test_how_many_periods_and_how_far_apart_is_the_users_to_set(world_snapshot):
    history = read_history(world_snapshot)
    latest = history.observed_until - 2 * HORIZON
    assert len(Panel(periods=2).dates(history, latest)) == 2
    half_yearly = Panel(step_days=182).dates(history, latest)
    assert half_yearly[1] == latest - np.timedelta64(182, "D")
    assert len(half_yearly) > len(Panel().dates(history, latest))
    with pytest.raises(ValueError, match="at least one period"):
        Panel(periods=0)


@pytest.fixture(scope="module")
def two_year_panel(world_snapshot):
    history = read_history(world_snapshot)
    latest = history.observed_until - 2 * HORIZON
    dates = [latest, latest - HORIZON]
    return history, dates, build_panel(world_snapshot, history, dates, seed=4)


def test_an_earlier_years_rows_know_only_what_a_lender_knew_then(world_snapshot, two_year_panel):
    """The older copy in the stacked input reads, as of the stacked date, exactly its own date's
    outcomes: a firm's known defaults and every loan's status, for the features and the GNN alike."""
    history, dates, panel = two_year_panel
    older = build_period(world_snapshot, history, dates[1], seed=4 + 10)
    stacked = panel.period.data
    n = len(world_snapshot.nodes["Firm"])
    copy_rows = slice(n, 2 * n)  # the older date's copy of every firm
    np.testing.assert_array_equal(np.nan_to_num(stacked.matrix[copy_rows], nan=-7),
                                  np.nan_to_num(older.data.matrix, nan=-7))
    for own, mine in zip(known_bad(stacked.history, stacked.as_of, stacked.hidden),
                         known_bad(older.data.history, older.as_of, older.data.hidden)):
        np.testing.assert_array_equal(own[copy_rows], mine)
    later_defaults = (~np.isnat(history.default_day) & (history.default_day >= dates[1])).sum()
    assert later_defaults > 0  # defaults the older copy must not see
    # As the GNN builds its graph: firms carry their feature rows, loans whether they had defaulted.
    whole = build_graph(stacked.snapshot, stacked.history, stacked.as_of, stacked.hidden, stacked.matrix)
    alone = build_graph(older.data.snapshot, older.data.history, older.as_of, older.data.hidden, older.data.matrix)
    loans = len(world_snapshot.nodes["Loan"])
    np.testing.assert_array_equal(whole["Loan"].x[loans:].numpy(), alone["Loan"].x.numpy())
    np.testing.assert_array_equal(whole["Firm"].x[n:].numpy(), alone["Firm"].x.numpy())


def test_a_loans_balance_as_last_reported_is_no_gnn_input(world_snapshot):
    """A balance or arrears is the loan's state today: as of an earlier date it shows the outcome."""
    history = read_history(world_snapshot)
    hidden = np.zeros(len(world_snapshot.nodes["Firm"]), dtype=bool)
    graph = build_graph(world_snapshot, history, history.observed_until - HORIZON, hidden)
    assert "outstanding" in world_snapshot.nodes["Loan"].properties
    assert "outstanding" not in graph["Loan"].columns and "amount" in graph["Loan"].columns


def test_no_validation_firm_has_a_row_the_model_is_fitted_on(two_year_panel):
    _, dates, panel = two_year_panel
    validation = panel.validation(seed=7)
    assert 0.2 < validation.mean() < 0.3
    assert not set(panel.firm[validation]) & set(panel.firm[~validation])
    calibration = panel.calibration(seed=7)
    assert (panel.date[validation][calibration] == dates[0]).all() and calibration.sum() < validation.sum()

