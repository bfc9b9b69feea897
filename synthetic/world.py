"""A synthetic SME world that looks like the problem, not like the model.

Each firm has a hidden quality. Quality drives, with noise, everything a lender could observe:
weak firms misreport revenue more often, get worse ratings from their customers, are vouched for
less by reliable recommenders, and default more. Trade ties form power-law communities (sector x
region) with homophily by quality. Guarantees form chains and planted mutual-guarantee circles, and
defaults spread through them: a firm that guarantees a defaulted loan may default in turn.

`generate_world` writes the loaders' own input files into `<out>/graph/` (so synthetic data takes
the same path as partner data) and the hidden truth into `<out>/ground_truth.csv`, which the
scoring code never reads; only evaluation against the truth does.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SECTORS = np.array(["manufacturing", "retail", "wholesale", "construction", "logistics", "agriculture", "services"])
REGIONS = np.array(["north", "south", "east", "west", "central"])
START = np.datetime64("2019-01-01")
OBSERVED_UNTIL = np.datetime64("2025-12-31")  # loan statuses are as of this day


@dataclass(frozen=True)
class WorldSummary:
    firms: int
    trades: int
    loans: int
    defaulted_loans: int
    firms_with_loans: int
    planted_circles: int
    graph_dir: Path
    ground_truth: Path


def _annual_pd(quality: np.ndarray) -> np.ndarray:
    """About 0.5% a year for the best firms, 4% for a median one, over 20% for the worst."""
    return 1.0 / (1.0 + np.exp(-(-3.3 + 7.0 * (0.6 - quality))))


def _days(values: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(values.astype("datetime64[D]"), unit="D")


def _write(path: Path, columns: dict[str, np.ndarray | list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(columns)
        out.writerows(zip(*(c.tolist() if isinstance(c, np.ndarray) else c for c in columns.values())))


def _ids(prefix: str, count: int) -> np.ndarray:
    width = max(5, len(str(count)))
    return np.char.add(prefix, np.char.zfill(np.arange(count).astype(str), width))


def _trade_edges(rng, quality, community, size, mean_degree: float):
    """Supplier -> customer pairs: power-law out-degree, mostly within the community, homophilous."""
    n = len(quality)
    degree = np.minimum(1 + np.floor(rng.pareto(1.8, n) * mean_degree * 0.8), 300).astype(np.int64)
    src = np.repeat(np.arange(n), degree)
    members = {c: np.flatnonzero(community == c) for c in np.unique(community)}
    weights = {c: size[m] / size[m].sum() for c, m in members.items()}
    global_p = size / size.sum()
    local = rng.random(len(src)) < 0.75
    candidates = np.empty((len(src), 3), dtype=np.int64)
    candidates[~local] = rng.choice(n, size=(int((~local).sum()), 3), p=global_p)
    for c, m in members.items():
        rows = np.flatnonzero(local & (community[src] == c))
        candidates[rows] = m[rng.choice(len(m), size=(len(rows), 3), p=weights[c])]
    # Of three candidates, a firm most often ends up trading with the one most like itself.
    gap = np.abs(quality[candidates] - quality[src][:, None]) + rng.random(candidates.shape) * 0.15
    dst = candidates[np.arange(len(src)), gap.argmin(axis=1)]
    keep = src != dst
    pairs = np.unique(src[keep] * n + dst[keep])
    return pairs // n, pairs % n


def generate_world(out_dir: Path, firms: int = 100_000, seed: int = 1) -> WorldSummary:
    rng = np.random.default_rng(seed)
    n = firms
    graph = out_dir / "graph"
    firm_ids = _ids("F", n)

    quality = rng.beta(4.0, 2.0, n)
    sector = rng.integers(0, len(SECTORS), n)
    region = rng.integers(0, len(REGIONS), n)
    community = sector * len(REGIONS) + region
    size = rng.pareto(1.6, n) + 1.0

    # --- firm attributes from several sources; weak firms inflate their declared revenue ---
    true_revenue = size * 2e5 * rng.lognormal(0, 0.3, n)
    misreports = rng.random(n) < 0.04 + 0.5 * (1 - quality) ** 2
    declared = true_revenue * np.where(misreports, rng.uniform(1.3, 2.2, n), rng.uniform(0.97, 1.03, n))
    has_tax = rng.random(n) < 0.9
    exporter = rng.random(n) < 0.25
    founded = START - (rng.gamma(2.0, 1500 + 1500 * quality, n)).astype("timedelta64[D]") - np.timedelta64(200, "D")
    status = np.where(rng.random(n) < 0.01 + 0.04 * (1 - quality), "suspended", "active")
    firm_columns = {
        "id": firm_ids, "name": np.char.add("Firm ", firm_ids), "sector": SECTORS[sector], "region": REGIONS[region],
        "founded": _days(founded), "employees": np.maximum(1, (size * 4 * rng.lognormal(0, 0.4, n)).astype(int)),
        "registration_status": status, "declared_revenue": np.round(declared, 2),
        "tax_revenue": np.where(has_tax, np.round(true_revenue * rng.uniform(0.92, 1.02, n), 2).astype(str), ""),
        "utility_usage": np.round(true_revenue / 1000 * rng.lognormal(0, 0.25, n), 2),
        "customs_value": np.where(exporter, np.round(true_revenue * rng.uniform(0.05, 0.4, n), 2).astype(str), ""),
        "telecom_tenure_months": np.minimum(360, rng.gamma(2.0, 20 + 40 * quality, n).astype(int) + 1),
    }
    _write(graph / "Firm.csv", firm_columns)
    # What a data partner sends after the scoring run: new utility readings for 1% of the firms.
    feed = np.random.default_rng([seed, 1])  # its own stream: the world itself stays as it was
    updated = np.sort(feed.choice(n, size=max(1, n // 100), replace=False))
    revised = {name: np.asarray(values)[updated] for name, values in firm_columns.items()}
    revised["utility_usage"] = np.round(revised["utility_usage"] * feed.lognormal(0, 0.3, len(updated)), 2)
    _write(out_dir / "updates" / "Firm.csv", revised)

    # --- trades: volume by size, ratings of the supplier by its customer reflect its quality ---
    src, dst = _trade_edges(rng, quality, community, size, mean_degree=4.0)
    m = len(src)
    first = START - rng.integers(0, 1500, m).astype("timedelta64[D]")
    last = np.minimum(first + rng.integers(30, 2500, m).astype("timedelta64[D]"), OBSERVED_UNTIL)
    _write(graph / "TRADES_WITH.csv", {
        "from_id": firm_ids[src], "to_id": firm_ids[dst],
        "volume": np.round(np.sqrt(size[src] * size[dst]) * 2e4 * rng.lognormal(0, 0.6, m), 2),
        "count": 1 + rng.poisson(6 * np.sqrt(size[src]), m),
        "first_date": _days(first), "last_date": _days(last),
        "rating": np.round(np.clip(rng.normal(1.2 + 3.6 * quality[src], 0.7), 1, 5), 1),
        "complaints": rng.poisson(np.maximum(0, 0.7 - quality[src]) * 3, m),
    })

    # --- chambers and markets vouch with different reliability; one of each is worthless ---
    n_chambers, n_markets = max(3, n // 3000), max(3, n // 3000)
    org_ids = np.concatenate([_ids("C", n_chambers), _ids("M", n_markets)])
    org_label = np.array(["Chamber"] * n_chambers + ["Market"] * n_markets)
    reliability = rng.uniform(0.3, 0.95, len(org_ids))
    reliability[[0, n_chambers]] = 0.0
    _write(graph / "Chamber.csv", {"id": org_ids[:n_chambers], "name": np.char.add("Chamber of Commerce ", org_ids[:n_chambers]),
                                   "region": REGIONS[np.arange(n_chambers) % len(REGIONS)]})
    _write(graph / "Market.csv", {"id": org_ids[n_chambers:], "name": np.char.add("Market ", org_ids[n_chambers:]),
                                  "sector": SECTORS[np.arange(n_markets) % len(SECTORS)],
                                  "region": REGIONS[np.arange(n_markets) % len(REGIONS)]})
    memberships = rng.integers(0, 3, n)
    member = np.repeat(np.arange(n), memberships)
    org = rng.integers(0, len(org_ids), len(member))
    pairs = np.unique(member * len(org_ids) + org)
    member, org = pairs // len(org_ids), pairs % len(org_ids)
    _write(graph / "MEMBER_OF.csv", {"from_id": firm_ids[member], "to_id": org_ids[org], "to_label": org_label[org],
                                     "since": _days(START - rng.integers(0, 4000, len(member)).astype("timedelta64[D]"))})
    p_vouch = 0.5 + reliability[org] * (quality[member] - 0.55) * 1.6
    vouch = rng.random(len(member)) < np.clip(p_vouch, 0.02, 0.98)
    _write(graph / "RECOMMENDS.csv", {
        "from_id": org_ids[org[vouch]], "to_id": firm_ids[member[vouch]], "from_label": org_label[org[vouch]],
        "date": _days(START + rng.integers(0, 2000, int(vouch.sum())).astype("timedelta64[D]")),
        "strength": np.round(rng.uniform(0.3, 1.0, int(vouch.sum())), 2),
    })

    # --- banks, guarantee companies, loans ---
    n_banks, n_guarantors = max(3, min(20, n // 5000)), max(3, n // 5000)
    bank_ids, guarantor_ids = _ids("B", n_banks), _ids("G", n_guarantors)
    _write(graph / "Bank.csv", {"id": bank_ids, "name": np.char.add("Bank ", bank_ids)})
    _write(graph / "Guarantor.csv", {"id": guarantor_ids, "name": np.char.add("Guarantee Co ", guarantor_ids),
                                     "capital": np.round(rng.uniform(2e7, 2e8, n_guarantors), -3),
                                     "region": REGIONS[np.arange(n_guarantors) % len(REGIONS)]})
    # About half the firms ever borrowed (bigger firms a little more often); the rest are thin-file.
    weight = (size / size.mean()) ** 0.3
    borrowers = np.flatnonzero(rng.random(n) < np.clip(0.5 * weight / weight.mean(), 0, 0.95))
    loans_per = 1 + rng.binomial(2, 0.35, len(borrowers))
    loan_firm = np.repeat(borrowers, loans_per)  # sorted by firm
    loans_from = np.searchsorted(loan_firm, np.arange(n), "left")
    loans_to = np.searchsorted(loan_firm, np.arange(n), "right")
    k = len(loan_firm)
    issued = START + rng.integers(0, int((OBSERVED_UNTIL - START).astype(int)) - 60, k).astype("timedelta64[D]")
    term_days = (365 * rng.integers(1, 5, k)).astype("timedelta64[D]")
    due = issued + term_days
    amount = np.round(size[loan_firm] * 1e5 * rng.lognormal(0, 0.4, k), -3)

    # Guarantees: a company for half the loans; a firm (a trade partner where one exists) for some.
    by_company = rng.random(k) < 0.5
    partner_of = np.full(n, -1)
    partner_of[src] = dst
    partner_of[dst] = np.where(partner_of[dst] < 0, src, partner_of[dst])
    candidate = partner_of[loan_firm]
    random_firm = rng.integers(0, n, k)
    guarantor_firm = np.where((candidate >= 0) & (rng.random(k) < 0.7), candidate, random_firm)
    by_firm = (rng.random(k) < 0.3) & (guarantor_firm != loan_firm)
    # Planted mutual-guarantee circles: each member guarantees a loan of the next one.
    circles = []
    pool = rng.permutation(len(borrowers))
    n_circles = len(borrowers) // 150
    cursor = 0
    for _ in range(n_circles):
        members = pool[cursor:cursor + int(rng.integers(2, 6))]
        cursor += len(members)
        loans = loans_from[borrowers[members]]
        guarantor_firm[loans] = borrowers[np.roll(members, -1)]
        by_firm[loans] = True
        circles.append(borrowers[members])

    # --- outcomes: latent quality first, then contagion through firm guarantees ---
    pd_year = _annual_pd(quality)
    years_to_default = rng.exponential(1.0 / -np.log1p(-pd_year[loan_firm]))
    default_day = issued + (years_to_default * 365).astype("timedelta64[D]")
    end = np.minimum(due, OBSERVED_UNTIL)
    defaulted = default_day < end
    for _ in range(2):  # two rounds of contagion
        trigger = np.flatnonzero(defaulted & by_firm)
        hit_firms = guarantor_firm[trigger]
        hit_day = default_day[trigger]
        for firm, day in zip(hit_firms.tolist(), hit_day.tolist()):
            own = np.arange(loans_from[firm], loans_to[firm])
            own = own[(issued[own] <= day) & (end[own] > day) & ~defaulted[own]]
            if len(own) and rng.random() < 0.35:
                chosen = own[0]
                defaulted[chosen] = True
                default_day[chosen] = day + np.timedelta64(int(rng.integers(30, 300)), "D")
                defaulted[chosen] = default_day[chosen] < end[chosen]
    repaid = ~defaulted & (due <= OBSERVED_UNTIL)
    overdue = ~defaulted & ~repaid & (rng.random(k) < 0.15 * (1 - quality[loan_firm]) ** 2)
    loan_status = np.where(defaulted, "defaulted", np.where(repaid, "repaid", np.where(overdue, "overdue", "current")))
    status_date = np.where(defaulted, default_day, np.where(repaid, due, OBSERVED_UNTIL - np.timedelta64(30, "D")))
    outstanding = np.where(repaid, 0.0, np.round(amount * rng.uniform(0.2, 1.0, k), 2))
    loan_ids = _ids("L", k)
    _write(graph / "Loan.csv", {"id": loan_ids, "amount": amount, "outstanding": outstanding, "issued": _days(issued),
                                "due": _days(due), "status": loan_status, "status_date": _days(status_date)})
    _write(graph / "BORROWED.csv", {"from_id": firm_ids[loan_firm], "to_id": loan_ids})
    _write(graph / "GRANTED.csv", {"from_id": bank_ids[rng.integers(0, n_banks, k)], "to_id": loan_ids})
    company = rng.integers(0, n_guarantors, k)
    _write(graph / "GUARANTEES.csv", {
        "from_id": np.concatenate([guarantor_ids[company[by_company]], firm_ids[guarantor_firm[by_firm]]]),
        "to_id": np.concatenate([loan_ids[by_company], loan_ids[by_firm]]),
        "from_label": ["Guarantor"] * int(by_company.sum()) + ["Firm"] * int(by_firm.sum()),
        "amount": np.round(np.concatenate([amount[by_company] * 0.6, amount[by_firm] * 0.4]), 2),
        "since": _days(np.concatenate([issued[by_company], issued[by_firm]])),
    })

    # --- the hidden truth: never loaded, only used to check the models ---
    exposed = np.zeros(n, dtype=bool)
    exposed[guarantor_firm[defaulted & by_firm]] = True
    truth = out_dir / "ground_truth.csv"
    circle_of = np.full(n, -1)
    for number, members in enumerate(circles):
        circle_of[members] = number
    _write(truth, {"id": firm_ids, "quality": np.round(quality, 4), "annual_pd": np.round(pd_year, 5),
                   "misreports": misreports.astype(int), "exposed_to_contagion": exposed.astype(int),
                   "circle": circle_of})
    return WorldSummary(firms=n, trades=m, loans=k, defaulted_loans=int(defaulted.sum()),
                        firms_with_loans=len(borrowers), planted_circles=len(circles), graph_dir=graph, ground_truth=truth)
