"""The thin-file protocol and the time split really hide outcomes; the same input gives the same scores."""

import copy

import numpy as np

from graph_service.cli.model_candidates import installed_candidates
from scoring.evaluation import build_period, run_evaluation
from scoring.model_input import model_input
from scoring.outcomes import HORIZON, read_history


def _permute_loan_outcomes(snapshot, loans_to_permute, rng):
    """A copy of the snapshot where the given loans' statuses and dates are shuffled among themselves."""
    changed = copy.deepcopy(snapshot)
    props = changed.nodes["Loan"].properties
    order = rng.permutation(loans_to_permute)
    for name in ("status", "status_date"):
        values = props[name]
        shuffled = [values[i] for i in order]
        for i, value in zip(loans_to_permute, shuffled):
            values[i] = value
    return changed


def test_thin_file_firms_scores_do_not_depend_on_their_own_outcomes(world_snapshot):
    history = read_history(world_snapshot)
    as_of = history.observed_until - HORIZON
    period = build_period(world_snapshot, history, as_of, seed=8)
    thin_firms = period.firms[period.thin]
    hidden = np.zeros(len(world_snapshot.nodes["Firm"]), dtype=bool)
    hidden[thin_firms] = True
    their_loans = np.unique(history.loan[hidden[history.firm]])
    changed = _permute_loan_outcomes(world_snapshot, their_loans, np.random.default_rng(0))
    assert changed.nodes["Loan"].properties["status"] != world_snapshot.nodes["Loan"].properties["status"]

    before = model_input(world_snapshot, history, as_of, hidden).matrix
    after = model_input(changed, read_history(changed), as_of, hidden).matrix
    np.testing.assert_array_equal(before[thin_firms], after[thin_firms])


def test_no_feature_sees_outcomes_after_the_as_of_date(world_snapshot):
    history = read_history(world_snapshot)
    as_of = history.observed_until - HORIZON
    later = history.loan[~np.isnat(history.default_day) & (history.default_day >= as_of)]
    changed = copy.deepcopy(world_snapshot)
    status = changed.nodes["Loan"].properties["status"]
    for i in np.unique(later):
        status[i] = "current"  # the defaults after as_of never happened
    hidden = np.zeros(len(world_snapshot.nodes["Firm"]), dtype=bool)
    before = model_input(world_snapshot, history, as_of, hidden).matrix
    after = model_input(changed, read_history(changed), as_of, hidden).matrix
    np.testing.assert_array_equal(np.nan_to_num(before, nan=-7), np.nan_to_num(after, nan=-7))


def test_same_data_and_seed_give_bit_identical_scores(small_world_snapshot, world_evaluation):
    again = run_evaluation(small_world_snapshot, 5, installed_candidates())
    assert again.shipped == world_evaluation.shipped
    assert len(again.results) == len(world_evaluation.results) >= 6
    for first, second in zip(world_evaluation.results, again.results):
        assert first.test_pd.tobytes() == second.test_pd.tobytes(), first.name


def test_a_tie_formed_after_the_as_of_date_changes_no_feature(world_snapshot):
    """Ties carry dates (a trade's first_date, a rating's time): as of a date, a later tie is not there."""
    from datetime import timedelta

    from graph_service.core.snapshot import EdgeTable, GraphSnapshot

    history = read_history(world_snapshot)
    as_of = history.observed_until - HORIZON
    key = ("Firm", "TRADES_WITH", "Firm")
    trades = world_snapshot.edges[key]
    later = (as_of.astype(object) + timedelta(days=30))
    # Two firms that start trading a month after the date, the first with a glowing rating.
    properties = {name: values + [None] for name, values in trades.properties.items()}
    properties["first_date"][-1], properties["rating"][-1], properties["volume"][-1] = later, 5.0, 1e6
    grown = GraphSnapshot(world_snapshot.nodes, {**world_snapshot.edges, key: EdgeTable(
        "Firm", "TRADES_WITH", "Firm", np.append(trades.source, 3), np.append(trades.target, 17), properties)})
    hidden = np.zeros(len(world_snapshot.nodes["Firm"]), dtype=bool)
    before = model_input(world_snapshot, history, as_of, hidden)
    after = model_input(grown, history, as_of, hidden, before.ranges, before.schema)
    np.testing.assert_array_equal(np.nan_to_num(before.matrix, nan=-7), np.nan_to_num(after.matrix, nan=-7))
    # The day after it formed, it is there.
    tomorrow = np.datetime64(later) + np.timedelta64(1, "D")
    assert not np.array_equal(np.nan_to_num(model_input(world_snapshot, history, tomorrow, hidden).matrix, nan=-7),
                              np.nan_to_num(model_input(grown, history, tomorrow, hidden, before.ranges,
                                                        before.schema).matrix, nan=-7))
