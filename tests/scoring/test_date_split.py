"""A split by dates (`--train-until`, `--validate-until`): the user's dates set which rows fit, which
choose and calibrate, and which test; the three parts' outcome years never overlap."""

import numpy as np
import pytest

from scoring.evaluation import run_evaluation
from scoring.outcomes import HORIZON, read_history
from scoring.panel import DateSplit, Panel
from scoring.panel_rows import build_panel
from scoring.report import as_text
from scoring.trained_model import train

DAY = np.timedelta64(1, "D")


@pytest.fixture(scope="module")
def split(small_world_snapshot):
    """Validate on the year before the test year, train on every year before that."""
    history = read_history(small_world_snapshot)
    validate_until = history.observed_until - HORIZON
    return DateSplit(validate_until - HORIZON, validate_until)


@pytest.fixture(scope="module")
def date_evaluation(small_world_snapshot, split):
    return run_evaluation(small_world_snapshot, 5, date_split=split)


def test_rows_up_to_train_until_fit_and_later_rows_up_to_validate_until_validate(small_world_snapshot, split):
    history = read_history(small_world_snapshot)
    dates = split.dates(Panel(), history)
    rows = build_panel(small_world_snapshot, history, dates, 5, validate_from=split.train_until)
    validation = rows.validation(seed=5)
    assert validation.any() and (~validation).any()
    fit_dates, validation_dates = rows.date[~validation], rows.date[validation]
    assert fit_dates.max() + HORIZON <= split.train_until  # every fitted outcome year ends by train-until
    assert validation_dates.min() >= split.train_until  # every validation outcome year starts after it
    assert validation_dates.max() + HORIZON <= split.validate_until
    assert len(np.unique(fit_dates)) >= 3  # the training part is a panel of every labelled year before
    # The same firm may be in both parts, at different dates, as a lender sees it year after year.
    assert set(rows.firm[validation]) & set(rows.firm[~validation])
    calibration = rows.calibration(seed=5)
    assert (validation_dates[calibration] == split.validate_until - HORIZON).all()


def test_the_evaluation_tests_once_on_the_year_after_validate_until_and_says_so(date_evaluation, split):
    assert date_evaluation.test.as_of == split.validate_until
    assert date_evaluation.date_split == split
    assert date_evaluation.train_dates[0] == split.validate_until - HORIZON
    text = as_text(date_evaluation)
    assert f"split by dates (train until {split.train_until}, validate until {split.validate_until})" in text
    assert f"the rows as of {split.train_until} or later validate" in text


def test_the_shipped_model_is_refit_on_training_and_validation_rows(small_world_snapshot, date_evaluation, split):
    trained = train(small_world_snapshot, 5, date_evaluation)
    assert trained.train_dates[0] == str(split.validate_until - HORIZON)
    assert str(split.train_until - HORIZON) in trained.train_dates
    assert trained.calibrator is date_evaluation.shipped_result().calibrator  # from the validation part only


def test_dates_that_cannot_split_are_refused_by_name(small_world_snapshot):
    history = read_history(small_world_snapshot)
    last = history.observed_until
    with pytest.raises(ValueError, match="at least 365 days"):
        DateSplit(last - 400 * DAY, last - 300 * DAY)
    with pytest.raises(ValueError, match=f"after the last outcome date {last}; validate until {last - HORIZON}"):
        run_evaluation(small_world_snapshot, 5, date_split=DateSplit(last - 2 * HORIZON + DAY, last - HORIZON + DAY))
    first_loan = history.start.min()
    with pytest.raises(ValueError, match="the training part .* has 0 defaults"):
        run_evaluation(small_world_snapshot, 5, date_split=DateSplit(first_loan + 30 * DAY, last - HORIZON))
