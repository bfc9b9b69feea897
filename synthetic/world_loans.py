"""The synthetic world's lending side: banks and guarantee companies, loans, guarantees, planted
mutual-guarantee circles, and loan outcomes with contagion through firm guarantees.

Each section draws from the world's `rng` in turn; `synthetic.world.generate_world` calls them in a fixed
order, because that order of draws is what defines the world for a seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synthetic.world_common import OBSERVED_UNTIL, REGIONS, START, annual_pd, days, ids, write_csv


@dataclass(frozen=True)
class Loans:
    """Every loan's borrower (sorted by firm), dates and amount."""

    borrowers: np.ndarray  # the firms that ever borrowed
    firm: np.ndarray  # the borrower of each loan
    first: np.ndarray  # per firm: the index of its first loan...
    stop: np.ndarray  # ...and one past its last
    issued: np.ndarray
    due: np.ndarray
    amount: np.ndarray


@dataclass(frozen=True)
class Guarantees:
    """Per loan: whether a company guarantees it, and whether (and which) firm does; circles rewrite the latter."""

    by_company: np.ndarray
    guarantor_firm: np.ndarray
    by_firm: np.ndarray


@dataclass(frozen=True)
class Defaults:
    """Per loan: whether it defaulted, on which day, and when it stops being at risk; contagion updates them."""

    defaulted: np.ndarray
    default_day: np.ndarray
    end: np.ndarray


def write_lenders(rng, graph: Path, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Banks and guarantee companies (Bank.csv, Guarantor.csv); returns their ids."""
    n_banks, n_guarantors = max(3, min(20, n // 5000)), max(3, n // 5000)
    bank_ids, guarantor_ids = ids("B", n_banks), ids("G", n_guarantors)
    write_csv(graph / "Bank.csv", {"id": bank_ids, "name": np.char.add("Bank ", bank_ids)})
    write_csv(graph / "Guarantor.csv", {"id": guarantor_ids, "name": np.char.add("Guarantee Co ", guarantor_ids),
                                        "capital": np.round(rng.uniform(2e7, 2e8, n_guarantors), -3),
                                        "region": REGIONS[np.arange(n_guarantors) % len(REGIONS)]})
    return bank_ids, guarantor_ids


def draw_loans(rng, size: np.ndarray) -> Loans:
    """Who borrowed, how often, when and how much: about half the firms, bigger ones a little more often."""
    n = len(size)
    weight = (size / size.mean()) ** 0.3
    borrowers = np.flatnonzero(rng.random(n) < np.clip(0.5 * weight / weight.mean(), 0, 0.95))
    loans_per = 1 + rng.binomial(2, 0.35, len(borrowers))
    loan_firm = np.repeat(borrowers, loans_per)  # sorted by firm
    k = len(loan_firm)
    issued = START + rng.integers(0, int((OBSERVED_UNTIL - START).astype(int)) - 60, k).astype("timedelta64[D]")
    term_days = (365 * rng.integers(1, 5, k)).astype("timedelta64[D]")
    amount = np.round(size[loan_firm] * 1e5 * rng.lognormal(0, 0.4, k), -3)
    return Loans(borrowers=borrowers, firm=loan_firm, first=np.searchsorted(loan_firm, np.arange(n), "left"),
                 stop=np.searchsorted(loan_firm, np.arange(n), "right"), issued=issued, due=issued + term_days,
                 amount=amount)


def draw_guarantees(rng, loans: Loans, src: np.ndarray, dst: np.ndarray) -> Guarantees:
    """A company guarantees half the loans; a firm (a trade partner where one exists) guarantees some."""
    k = len(loans.firm)
    by_company = rng.random(k) < 0.5
    partner_of = np.full(len(loans.first), -1)
    partner_of[src] = dst
    partner_of[dst] = np.where(partner_of[dst] < 0, src, partner_of[dst])
    candidate = partner_of[loans.firm]
    random_firm = rng.integers(0, len(loans.first), k)
    guarantor_firm = np.where((candidate >= 0) & (rng.random(k) < 0.7), candidate, random_firm)
    by_firm = (rng.random(k) < 0.3) & (guarantor_firm != loans.firm)
    return Guarantees(by_company=by_company, guarantor_firm=guarantor_firm, by_firm=by_firm)


def plant_circles(rng, loans: Loans, guarantees: Guarantees) -> list[np.ndarray]:
    """Planted mutual-guarantee circles: each member guarantees a loan of the next one; returns their members."""
    circles = []
    pool = rng.permutation(len(loans.borrowers))
    cursor = 0
    for _ in range(len(loans.borrowers) // 150):
        members = pool[cursor:cursor + int(rng.integers(2, 6))]
        cursor += len(members)
        first_loans = loans.first[loans.borrowers[members]]
        guarantees.guarantor_firm[first_loans] = loans.borrowers[np.roll(members, -1)]
        guarantees.by_firm[first_loans] = True
        circles.append(loans.borrowers[members])
    return circles


def draw_defaults(rng, loans: Loans, quality: np.ndarray) -> Defaults:
    """Defaults from latent quality alone: a firm's annual PD, over the life of each of its loans."""
    years_to_default = rng.exponential(1.0 / -np.log1p(-annual_pd(quality)[loans.firm]))
    default_day = loans.issued + (years_to_default * 365).astype("timedelta64[D]")
    end = np.minimum(loans.due, OBSERVED_UNTIL)
    return Defaults(defaulted=default_day < end, default_day=default_day, end=end)


def spread_contagion(rng, loans: Loans, guarantees: Guarantees, defaults: Defaults) -> None:
    """Two rounds of contagion: a firm that guarantees a defaulted loan may default on one of its own."""
    defaulted, default_day, end = defaults.defaulted, defaults.default_day, defaults.end
    for _ in range(2):
        trigger = np.flatnonzero(defaulted & guarantees.by_firm)
        hit_firms = guarantees.guarantor_firm[trigger]
        hit_day = default_day[trigger]
        for firm, day in zip(hit_firms.tolist(), hit_day.tolist()):
            own = np.arange(loans.first[firm], loans.stop[firm])
            own = own[(loans.issued[own] <= day) & (end[own] > day) & ~defaulted[own]]
            if len(own) and rng.random() < 0.35:
                chosen = own[0]
                defaulted[chosen] = True
                default_day[chosen] = day + np.timedelta64(int(rng.integers(30, 300)), "D")
                defaulted[chosen] = default_day[chosen] < end[chosen]


def write_loans(rng, graph: Path, firm_ids: np.ndarray, bank_ids: np.ndarray, loans: Loans, defaults: Defaults,
                quality: np.ndarray) -> np.ndarray:
    """Loan statuses as of OBSERVED_UNTIL, and who borrowed and granted each (Loan, BORROWED, GRANTED.csv)."""
    k, due, defaulted = len(loans.firm), loans.due, defaults.defaulted
    repaid = ~defaulted & (due <= OBSERVED_UNTIL)
    overdue = ~defaulted & ~repaid & (rng.random(k) < 0.15 * (1 - quality[loans.firm]) ** 2)
    loan_status = np.where(defaulted, "defaulted", np.where(repaid, "repaid", np.where(overdue, "overdue", "current")))
    status_date = np.where(defaulted, defaults.default_day,
                           np.where(repaid, due, OBSERVED_UNTIL - np.timedelta64(30, "D")))
    outstanding = np.where(repaid, 0.0, np.round(loans.amount * rng.uniform(0.2, 1.0, k), 2))
    loan_ids = ids("L", k)
    write_csv(graph / "Loan.csv", {"id": loan_ids, "amount": loans.amount, "outstanding": outstanding,
                                   "issued": days(loans.issued), "due": days(due), "status": loan_status,
                                   "status_date": days(status_date)})
    write_csv(graph / "BORROWED.csv", {"from_id": firm_ids[loans.firm], "to_id": loan_ids})
    write_csv(graph / "GRANTED.csv", {"from_id": bank_ids[rng.integers(0, len(bank_ids), k)], "to_id": loan_ids})
    return loan_ids


def write_guarantees(rng, graph: Path, firm_ids: np.ndarray, guarantor_ids: np.ndarray, loan_ids: np.ndarray,
                     loans: Loans, guarantees: Guarantees) -> None:
    """Company and firm guarantees of the loans (GUARANTEES.csv)."""
    by_company, by_firm = guarantees.by_company, guarantees.by_firm
    company = rng.integers(0, len(guarantor_ids), len(loan_ids))
    write_csv(graph / "GUARANTEES.csv", {
        "from_id": np.concatenate([guarantor_ids[company[by_company]], firm_ids[guarantees.guarantor_firm[by_firm]]]),
        "to_id": np.concatenate([loan_ids[by_company], loan_ids[by_firm]]),
        "from_label": ["Guarantor"] * int(by_company.sum()) + ["Firm"] * int(by_firm.sum()),
        "amount": np.round(np.concatenate([loans.amount[by_company] * 0.6, loans.amount[by_firm] * 0.4]), 2),
        "since": days(np.concatenate([loans.issued[by_company], loans.issued[by_firm]])),
    })
