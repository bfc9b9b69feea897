"""Credit outcomes as of a date: who had defaulted, who was at risk, and what happened next.

Outcomes come from Loan nodes (status, status_date, issued, due) tied to firms by BORROWED, or,
in a graph without loans, from firm-level labels: a `defaulted` property and an optional
`outcome_date`. Everything is computed "as of" a date, so features never see the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from graph_service.core.errors import TrustNetError
from graph_service.core.snapshot import GraphSnapshot

NAT = np.datetime64("NaT", "D")
HORIZON = np.timedelta64(365, "D")
FAR = np.datetime64("9999-12-31", "D")
# Firm.defaulted as text (loaded through a mapping that did not declare it a bool): read strictly.
TRUE_TEXT = frozenset({"true", "t", "yes", "y", "1"})
FALSE_TEXT = frozenset({"false", "f", "no", "n", "0"})


def _verdict(value: object) -> bool | None:
    """True / False for a default verdict, None if the value is not one (the text "false" is False)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    if isinstance(value, str):
        text = value.strip().lower()
        return True if text in TRUE_TEXT else False if text in FALSE_TEXT else None
    return None


def _days(values: list) -> np.ndarray:
    return np.array([np.datetime64(v, "D") if isinstance(v, date) else NAT for v in values], dtype="datetime64[D]")


@dataclass
class CreditHistory:
    """One row per credit exposure (a loan, or a firm-level label)."""

    firm: np.ndarray  # (k,) firm index
    start: np.ndarray  # (k,) datetime64[D] issue date
    end: np.ndarray  # (k,) datetime64[D] last day at risk (due, or far future while current)
    default_day: np.ndarray  # (k,) datetime64[D], NaT if it never defaulted
    amount: np.ndarray  # (k,) float
    loan: np.ndarray  # (k,) Loan index, -1 for firm-level labels
    observed_until: np.datetime64
    n_firms: int
    # Firm-level verdicts without any date: one verdict per labelled firm, no time order to split
    # on. The evaluation cross-validates over the firms instead (scoring/cross_validation.py).
    static: bool = False

    def verdicts(self) -> tuple[np.ndarray, np.ndarray]:
        """(firm indices, 0/1 verdicts) of a static history, one row per labelled firm."""
        return self.firm, (~np.isnat(self.default_day)).astype(int)

    def defaulted_before(self, as_of: np.datetime64) -> np.ndarray:
        """(k,) bool: the exposure had defaulted before as_of (a static verdict: at any date)."""
        if self.static:
            return ~np.isnat(self.default_day)
        return ~np.isnat(self.default_day) & (self.default_day < as_of)

    def firm_counts(self, as_of: np.datetime64) -> dict[str, np.ndarray]:
        """Per firm, what a lender knew at as_of: loans taken, defaulted, repaid, amount borrowed (a
        static verdict is known at any date)."""
        started = np.ones(len(self.start), dtype=bool) if self.static else self.start < as_of
        defaulted = self.defaulted_before(as_of)
        repaid = started & ~defaulted & ((self.end < as_of) | self.static)

        def per_firm(mask: np.ndarray, weights=None) -> np.ndarray:
            return np.bincount(self.firm[mask], weights=None if weights is None else weights[mask],
                               minlength=self.n_firms).astype(np.float64)

        return {"loans": per_firm(started), "defaults": per_firm(defaulted), "repaid": per_firm(repaid),
                "borrowed": per_firm(started, self.amount)}

    def labels(self, as_of: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
        """(at_risk, defaulted_within_12m) per firm: at risk = an exposure open at as_of, not yet in default."""
        open_at = (self.start <= as_of) & (self.end >= as_of) & ~self.defaulted_before(as_of)
        hit = open_at & ~np.isnat(self.default_day) & (self.default_day < as_of + HORIZON)
        at_risk = np.bincount(self.firm[open_at], minlength=self.n_firms) > 0
        bad = np.bincount(self.firm[hit], minlength=self.n_firms) > 0
        return at_risk, bad & at_risk


def read_history(snapshot: GraphSnapshot) -> CreditHistory:
    firms = snapshot.nodes["Firm"]
    loans = snapshot.nodes.get("Loan")
    borrowed = snapshot.edges.get(("Firm", "BORROWED", "Loan"))
    if loans is not None and borrowed is not None and len(borrowed.source):
        loan = borrowed.target
        status = np.array(loans.properties.get("status", [None] * len(loans)), dtype=object)[loan]
        status_day = _days(loans.properties.get("status_date", [None] * len(loans)))[loan]
        issued = _days(loans.properties.get("issued", [None] * len(loans)))[loan]
        due = _days(loans.properties.get("due", [None] * len(loans)))[loan]
        defaulted = status == "defaulted"
        default_day = np.where(defaulted, status_day, NAT)
        repaid = status == "repaid"
        end = np.where(repaid, np.where(np.isnat(status_day), due, status_day), FAR)
        observed = status_day[~np.isnat(status_day)]
        return CreditHistory(
            firm=borrowed.source, start=issued, end=end, default_day=default_day,
            amount=np.nan_to_num(loans.numeric("amount")[loan]), loan=loan,
            observed_until=observed.max() if len(observed) else np.datetime64("today", "D"), n_firms=len(firms))
    return _firm_level_history(snapshot)


def _firm_level_history(snapshot: GraphSnapshot) -> CreditHistory:
    """Firm-level labels: each labelled firm is one exposure of the year that ends at its
    outcome_date (README.md, "Outcomes"): a default is dated half-way through it, 182 days before
    the outcome date, and a firm that did not default was at risk all year.

    Without any dates the verdicts are static: every one is placed in the year before the scoring
    date (today), so at that date each is known, and the evaluation cross-validates over the firms.
    A firm without a date among dated ones takes the latest outcome date.
    """
    firms = snapshot.nodes["Firm"]
    flag = firms.properties.get("defaulted")
    if flag is None:  # no outcomes at all (e.g. a neighbourhood without loans): an empty history
        empty = np.array([], dtype=np.int64)
        return CreditHistory(firm=empty, start=empty.astype("datetime64[D]"), end=empty.astype("datetime64[D]"),
                             default_day=empty.astype("datetime64[D]"), amount=np.array([]), loan=empty,
                             observed_until=np.datetime64("today", "D"), n_firms=len(firms))
    firm = np.flatnonzero(np.array([v is not None for v in flag]))
    verdicts = [_verdict(flag[i]) for i in firm]
    unreadable = [f"{firms.ids[i]} has {flag[i]!r}" for i, v in zip(firm, verdicts) if v is None]
    if unreadable:
        raise TrustNetError(f"Firm.defaulted must be true or false; {len(unreadable)} firms are neither ("
                            + "; ".join(unreadable[:5]) + (", ..." if len(unreadable) > 5 else "")
                            + "): load them again with the property declared as a bool")
    bad = np.array(verdicts, dtype=bool)
    when = _days(firms.properties.get("outcome_date", [None] * len(firms)))[firm]
    static = bool(np.isnat(when).all())
    if static:
        when = np.full(len(firm), np.datetime64("today", "D") - np.timedelta64(1, "D"))
    when = np.where(np.isnat(when), when[~np.isnat(when)].max(), when)
    return CreditHistory(
        firm=firm, start=when - np.timedelta64(365, "D"), end=np.where(bad, FAR, when),
        default_day=np.where(bad, when - np.timedelta64(182, "D"), NAT), amount=np.zeros(len(firm)),
        loan=np.full(len(firm), -1), observed_until=when.max() if len(when) else np.datetime64("today", "D"),
        n_firms=len(firms), static=static)
