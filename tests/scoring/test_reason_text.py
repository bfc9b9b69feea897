"""Reasons read as sentences: a hand-built firm's values against a typical firm's, with score points."""

import math

import numpy as np
import pytest

from scoring.contract import ScoreScale, explain, group_columns
from scoring.reason_text import describe, tie_verb


def _log(v: float) -> float:  # the features' signed log
    return math.copysign(math.log1p(abs(v)), v)


def _read(group: str, columns: dict[str, tuple[float, float]], points: int):
    names = list(columns)
    values = np.array([columns[n][0] for n in names])
    typical = np.array([columns[n][1] for n in names])
    return describe(group, names, values, typical, points)


def test_an_own_number_reads_in_its_own_units():
    text, value, typical = _read("declared_revenue", {
        "own.declared_revenue": (_log(1_200_000), _log(3_400_000)), "own.declared_revenue.missing": (0.0, 0.0)}, -7)
    assert text == "its declared revenue is 1.2M, against 3.4M for a typical firm: -7 points"
    assert (value, typical) == (pytest.approx(1_200_000), pytest.approx(3_400_000))


def test_an_own_number_not_reported():
    text, value, typical = _read("employees", {
        "own.employees": (np.nan, _log(12)), "own.employees.missing": (1.0, 0.0)}, -3)
    assert text == "its employees are not reported, against 12 for a typical firm: -3 points"
    assert value is None and typical == pytest.approx(12)


def test_an_own_date_reads_as_an_age():
    text, value, typical = _read("founded", {"own.founded.years": (1.5, 8.0)}, -11)
    assert text == "it was founded 1.5 years ago, against 8 years ago for a typical firm: -11 points"
    assert (value, typical) == (1.5, 8.0)


def test_an_own_category():
    columns = {f"own.sector={c}": (float(c == "construction"), float(c == "manufacturing"))
               for c in ("construction", "manufacturing", "retail")}
    text, value, typical = _read("sector", columns, -6)
    assert text == "its sector is construction, against manufacturing for a typical firm: -6 points"
    assert value is None and typical is None


def test_a_high_cardinality_category_reads_by_its_default_rate():
    text, value, _ = _read("region", {"own.region.frequency": (0.012, 0.04),
                                      "own.region.bad_rate": (0.082, 0.031)}, -9)
    assert text == "firms that share its region default at 8.2%, against 3.1% for a typical firm: -9 points"
    assert value == 0.082


def test_sources_that_disagree():
    text, value, typical = _read("consistency:declared_revenue/tax_revenue", {
        "consistency.log(declared_revenue/tax_revenue)": (math.log(2.5), 0.0)}, -14)
    assert text == "its declared revenue is 2.5 times its tax revenue, against 1 for a typical firm: -14 points"
    assert (value, typical) == (pytest.approx(2.5), 1.0)


def test_sources_missing():
    text, _, _ = _read("consistency:sources", {"consistency.sources_missing": (3.0, 0.0)}, -5)
    assert text == "3 of its independent sources report nothing, against 0 for a typical firm: -5 points"


def test_credit_history_names_the_defaults_first():
    text, value, typical = _read("history", {
        "history.loans": (_log(3), _log(1)), "history.defaults": (_log(1), 0.0), "history.repaid": (_log(2), 0.0),
        "history.borrowed": (_log(900_000), _log(200_000)), "history.known": (1.0, 1.0)}, -25)
    assert text == "it has defaulted on 1 of its 3 loans, against 0 for a typical firm: -25 points"
    assert (value, typical) == (pytest.approx(1.0), 0.0)


def test_credit_history_of_a_firm_that_never_borrowed():
    text, _, _ = _read("history", {
        "history.loans": (0.0, _log(2)), "history.defaults": (0.0, 0.0), "history.known": (0.0, 1.0)}, -4)
    assert text == "it has taken 0 loans, against 2 for a typical firm: -4 points"


def test_a_tie_aggregate_in_reads_the_rating_it_received():
    text, value, typical = _read("tie:TRADES_WITH.in", {
        "TRADES_WITH.in.degree": (_log(4), _log(4)), "TRADES_WITH.in.rating.mean": (_log(2.1), _log(3.8)),
        "TRADES_WITH.in.known": (0.0, 0.0), "TRADES_WITH.in.bad_rate": (np.nan, np.nan)}, -18)
    assert text == ("the average rating on its ties with those that trade with it is 2.1, "
                    "against 3.8 for a typical firm: -18 points")
    assert (value, typical) == (pytest.approx(2.1), pytest.approx(3.8))


def test_a_tie_aggregate_out_reads_its_partners_defaults_first():
    text, _, _ = _read("tie:TRADES_WITH.out", {
        "TRADES_WITH.out.degree": (_log(5), _log(3)), "TRADES_WITH.out.volume.mean": (_log(50_000), _log(20_000)),
        "TRADES_WITH.out.known": (_log(4), _log(2)), "TRADES_WITH.out.bad_rate": (0.25, 0.0)}, -12)
    assert text == "the default rate of those it trades with is 25.0%, against 0.0% for a typical firm: -12 points"


def test_a_count_of_ties_when_nothing_else_differs():
    text, _, _ = _read("tie:GUARANTEES.out", {
        "GUARANTEES.out.degree": (_log(2), 0.0), "GUARANTEES.out.amount.mean": (np.nan, np.nan),
        "GUARANTEES.out.bad_rate": (np.nan, np.nan)}, -3)
    assert text == "it guarantees 2 others, against 0 for a typical firm: -3 points"


def test_a_tie_value_the_firm_lacks_and_a_typical_firm_has():
    text, value, typical = _read("tie:GUARANTEES.out", {
        "GUARANTEES.out.degree": (0.0, 0.0), "GUARANTEES.out.amount.mean": (np.nan, _log(78_000)),
        "GUARANTEES.out.bad_rate": (np.nan, np.nan)}, 7)
    assert text == ("the average amount on its ties with those it guarantees is not known, "
                    "against 78k for a typical firm: +7 points")
    assert value is None and typical == pytest.approx(78_000)


def test_a_recommenders_track_record():
    text, _, _ = _read("tie:RECOMMENDS.in", {
        "RECOMMENDS.in.degree": (_log(1), _log(1)), "RECOMMENDS.in.bad_rate": (0.2, 0.05)}, -8)
    assert text == "the default rate of those that recommend it is 20.0%, against 5.0% for a typical firm: -8 points"


def test_a_signed_rating_aggregate():
    text, value, _ = _read("tie:RATES.in", {
        "RATES.in.degree": (_log(10), _log(10)), "RATES.in.rating.mean": (_log(-1), _log(2)),
        "RATES.in.rating.share_negative": (0.4, 0.0), "RATES.in.rating.min": (_log(-10), _log(1))}, -30)
    assert text == ("the share of its ties with those that rate it with a negative rating is 40.0%, "
                    "against 0.0% for a typical firm: -30 points")
    assert value == 0.4


def test_a_rev2_goodness():
    text, _, _ = _read("tie:RATES.in", {
        "RATES.in.rating.share_negative": (0.0, 0.0), "RATES.in.rating.goodness": (-0.4, 0.3)}, -16)
    assert text == ("its REV2 goodness (-1 to +1) from the ratings of those that rate it is -0.40, "
                    "against +0.30 for a typical firm: -16 points")


def test_a_rev2_fairness():
    text, _, _ = _read("tie:RATES.out", {"RATES.out.rating.fairness": (0.45, 0.8)}, -6)
    assert text == ("its REV2 fairness (0 to 1) in the ratings it gives those it rates is 0.45, "
                    "against 0.80 for a typical firm: -6 points")


def test_propagation_trust_raises_the_score():
    columns = {"propagation.trust": (math.log(0.42 + 1e-6), math.log(0.1 + 1e-6)),
               "propagation.distrust": (math.log(1e-6), math.log(1e-6)),
               "propagation.distrust_share": (0.01, 0.2), "propagation.distrusted": (math.log(1e-6), math.log(1e-6))}
    text, value, typical = _read("propagation", columns, 9)
    assert text == "trust reaching it from firms that repaid is 0.42, against 0.1 for a typical firm: +9 points"
    assert (value, typical) == (pytest.approx(0.42), pytest.approx(0.1))


def test_propagation_distrust_lowers_the_score():
    columns = {"propagation.trust": (math.log(0.1 + 1e-6), math.log(0.1 + 1e-6)),
               "propagation.distrust": (math.log(2.5 + 1e-6), math.log(0.05 + 1e-6)),
               "propagation.distrust_share": (0.96, 0.33), "propagation.distrusted": (math.log(1e-6), math.log(1e-6))}
    text, _, _ = _read("propagation", columns, -21)
    assert text == "distrust reaching it from firms that defaulted is 2.5, against 0.05 for a typical firm: -21 points"


def test_propagation_distrusted_over_negative_ratings():
    columns = {"propagation.distrust": (math.log(0.05 + 1e-6), math.log(0.05 + 1e-6)),
               "propagation.distrusted": (math.log(0.3 + 1e-6), math.log(1e-6))}
    text, _, _ = _read("propagation", columns, -1)
    assert text == "trusted firms that rated it negatively carry a trust of 0.3, against 0 for a typical firm: -1 point"


def test_a_type_declared_in_a_mapping_reads_from_its_name_and_direction():
    out, _, _ = _read("tie:SHARES_DIRECTOR_WITH.out", {"SHARES_DIRECTOR_WITH.out.degree": (_log(1), 0.0)}, -4)
    assert out == "it shares director with 1 other, against 0 for a typical firm: -4 points"
    into, _, _ = _read("tie:SHARES_DIRECTOR_WITH.in", {
        "SHARES_DIRECTOR_WITH.in.degree": (_log(3), _log(3)), "SHARES_DIRECTOR_WITH.in.bad_rate": (0.5, 0.0)}, -10)
    assert into == ("the default rate of those that share director with it is 50.0%, "
                    "against 0.0% for a typical firm: -10 points")
    assert tie_verb("MEMBER_OF") == "is a member of" and tie_verb("MEMBER_OF", plural=True) == "are members of"
    assert tie_verb("SUPPLIES", plural=True) == "supply" and tie_verb("LOCATED_IN") == "is located in"


def test_points_follow_the_score_scale():
    """A group that doubles the odds of default costs PDO points; one that halves them gains PDO."""
    scale = ScoreScale()
    names = ["own.employees", "TRADES_WITH.in.bad_rate"]
    x = np.array([[1.0, 1.0]])
    reference = np.array([0.0, 0.0])

    def risk(rows: np.ndarray) -> np.ndarray:  # odds of default 0.05, x2 per unit of employees, /2 per bad rate
        odds = 0.05 * 2.0 ** rows[:, 0] * 0.5 ** rows[:, 1]
        return odds / (1 + odds)

    reasons = explain(risk, x, reference, group_columns(names), names, lambda r: scale.exact_points(r))[0]
    by_code = {r.code: r for r in reasons}
    assert by_code["ATTR_EMPLOYEES"].points == -round(scale.pdo)
    assert by_code["TRADES_WITH_IN"].points == round(scale.pdo)
    assert by_code["ATTR_EMPLOYEES"].contribution > 0 > by_code["TRADES_WITH_IN"].contribution
    assert by_code["ATTR_EMPLOYEES"].text.endswith(f": -{round(scale.pdo)} points")
