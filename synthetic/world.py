"""A synthetic SME world that looks like the problem, not like the model.

Each firm has a hidden quality. Quality drives, with noise, everything a lender could observe:
weak firms misreport revenue more often, get worse ratings from their customers, are vouched for
less by reliable recommenders, and default more. Trade ties form power-law communities (sector x
region) with homophily by quality. Guarantees form chains and planted mutual-guarantee circles, and
defaults spread through them: a firm that guarantees a defaulted loan may default in turn.

`generate_world` writes the loaders' own input files into `<out>/graph/` (so synthetic data takes
the same path as partner data) and the hidden truth into `<out>/ground_truth.csv`, which the
scoring code never reads; only evaluation against the truth does. The lending side of the world is
in `synthetic.world_loans`; what both modules share is in `synthetic.world_common`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from synthetic import world_loans as lending
from synthetic.world_common import OBSERVED_UNTIL, REGIONS, SECTORS, START, annual_pd, days, ids, write_csv

__all__ = ["OBSERVED_UNTIL", "REGIONS", "SECTORS", "START", "WorldSummary", "generate_world"]


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


def generate_world(out_dir: Path, firms: int = 100_000, seed: int = 1) -> WorldSummary:
    """Write the world for `seed`: loader files in out_dir/graph/, a partner update, and the hidden truth."""
    # One stream of draws: the sections below must run, and draw, in this order for a seed to keep its world.
    rng = np.random.default_rng(seed)
    graph = out_dir / "graph"
    firm_ids = ids("F", firms)
    quality, sector, region, size = _draw_hidden_firms(rng, firms)
    firm_columns, misreports = _write_firms(rng, graph, firm_ids, quality, sector, region, size)
    _write_partner_update(out_dir / "updates", seed, firm_columns)
    community = sector * len(REGIONS) + region
    src, dst = _write_trades(rng, graph, firm_ids, quality, community, size)
    _write_chambers_and_markets(rng, graph, firm_ids, quality)

    bank_ids, guarantor_ids = lending.write_lenders(rng, graph, firms)
    loans = lending.draw_loans(rng, size)
    guarantees = lending.draw_guarantees(rng, loans, src, dst)
    circles = lending.plant_circles(rng, loans, guarantees)
    defaults = lending.draw_defaults(rng, loans, quality)
    lending.spread_contagion(rng, loans, guarantees, defaults)
    loan_ids = lending.write_loans(rng, graph, firm_ids, bank_ids, loans, defaults, quality)
    lending.write_guarantees(rng, graph, firm_ids, guarantor_ids, loan_ids, loans, guarantees)

    truth = _write_ground_truth(out_dir / "ground_truth.csv", firm_ids, quality, misreports, guarantees, defaults,
                                circles)
    return WorldSummary(firms=firms, trades=len(src), loans=len(loan_ids),
                        defaulted_loans=int(defaults.defaulted.sum()), firms_with_loans=len(loans.borrowers),
                        planted_circles=len(circles), graph_dir=graph, ground_truth=truth)


def _draw_hidden_firms(rng, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The firms' hidden quality, their sector and region, and their size."""
    quality = rng.beta(4.0, 2.0, n)
    sector = rng.integers(0, len(SECTORS), n)
    region = rng.integers(0, len(REGIONS), n)
    size = rng.pareto(1.6, n) + 1.0
    return quality, sector, region, size


def _write_firms(rng, graph: Path, firm_ids, quality, sector, region, size) -> tuple[dict, np.ndarray]:
    """Firms and their attributes from several sources (Firm.csv); weak firms inflate their declared revenue."""
    n = len(firm_ids)
    true_revenue = size * 2e5 * rng.lognormal(0, 0.3, n)
    misreports = rng.random(n) < 0.04 + 0.5 * (1 - quality) ** 2
    declared = true_revenue * np.where(misreports, rng.uniform(1.3, 2.2, n), rng.uniform(0.97, 1.03, n))
    has_tax = rng.random(n) < 0.9
    exporter = rng.random(n) < 0.25
    founded = START - (rng.gamma(2.0, 1500 + 1500 * quality, n)).astype("timedelta64[D]") - np.timedelta64(200, "D")
    status = np.where(rng.random(n) < 0.01 + 0.04 * (1 - quality), "suspended", "active")
    firm_columns = {
        "id": firm_ids, "name": np.char.add("Firm ", firm_ids), "sector": SECTORS[sector], "region": REGIONS[region],
        "founded": days(founded), "employees": np.maximum(1, (size * 4 * rng.lognormal(0, 0.4, n)).astype(int)),
        "registration_status": status, "declared_revenue": np.round(declared, 2),
        "tax_revenue": np.where(has_tax, np.round(true_revenue * rng.uniform(0.92, 1.02, n), 2).astype(str), ""),
        "utility_usage": np.round(true_revenue / 1000 * rng.lognormal(0, 0.25, n), 2),
        "customs_value": np.where(exporter, np.round(true_revenue * rng.uniform(0.05, 0.4, n), 2).astype(str), ""),
        "telecom_tenure_months": np.minimum(360, rng.gamma(2.0, 20 + 40 * quality, n).astype(int) + 1),
    }
    write_csv(graph / "Firm.csv", firm_columns)
    return firm_columns, misreports


def _write_partner_update(updates: Path, seed: int, firm_columns: dict) -> None:
    """What a data partner sends after the scoring run: new utility readings for 1% of the firms."""
    feed = np.random.default_rng([seed, 1])  # its own stream: the world itself stays as it was
    n = len(firm_columns["id"])
    updated = np.sort(feed.choice(n, size=max(1, n // 100), replace=False))
    revised = {name: np.asarray(values)[updated] for name, values in firm_columns.items()}
    revised["utility_usage"] = np.round(revised["utility_usage"] * feed.lognormal(0, 0.3, len(updated)), 2)
    write_csv(updates / "Firm.csv", revised)


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


def _write_trades(rng, graph: Path, firm_ids, quality, community, size) -> tuple[np.ndarray, np.ndarray]:
    """Trades (TRADES_WITH.csv): volume by size; customers' ratings of a supplier reflect its quality."""
    src, dst = _trade_edges(rng, quality, community, size, mean_degree=4.0)
    m = len(src)
    first = START - rng.integers(0, 1500, m).astype("timedelta64[D]")
    last = np.minimum(first + rng.integers(30, 2500, m).astype("timedelta64[D]"), OBSERVED_UNTIL)
    write_csv(graph / "TRADES_WITH.csv", {
        "from_id": firm_ids[src], "to_id": firm_ids[dst],
        "volume": np.round(np.sqrt(size[src] * size[dst]) * 2e4 * rng.lognormal(0, 0.6, m), 2),
        "count": 1 + rng.poisson(6 * np.sqrt(size[src]), m),
        "first_date": days(first), "last_date": days(last),
        "rating": np.round(np.clip(rng.normal(1.2 + 3.6 * quality[src], 0.7), 1, 5), 1),
        "complaints": rng.poisson(np.maximum(0, 0.7 - quality[src]) * 3, m),
    })
    return src, dst


def _write_chambers_and_markets(rng, graph: Path, firm_ids, quality) -> None:
    """Chambers and markets, their members and their vouches; they differ in reliability, one of each is worthless."""
    n = len(firm_ids)
    n_chambers, n_markets = max(3, n // 3000), max(3, n // 3000)
    org_ids = np.concatenate([ids("C", n_chambers), ids("M", n_markets)])
    org_label = np.array(["Chamber"] * n_chambers + ["Market"] * n_markets)
    reliability = rng.uniform(0.3, 0.95, len(org_ids))
    reliability[[0, n_chambers]] = 0.0
    write_csv(graph / "Chamber.csv", {"id": org_ids[:n_chambers],
                                      "name": np.char.add("Chamber of Commerce ", org_ids[:n_chambers]),
                                      "region": REGIONS[np.arange(n_chambers) % len(REGIONS)]})
    write_csv(graph / "Market.csv", {"id": org_ids[n_chambers:], "name": np.char.add("Market ", org_ids[n_chambers:]),
                                     "sector": SECTORS[np.arange(n_markets) % len(SECTORS)],
                                     "region": REGIONS[np.arange(n_markets) % len(REGIONS)]})
    memberships = rng.integers(0, 3, n)
    member = np.repeat(np.arange(n), memberships)
    org = rng.integers(0, len(org_ids), len(member))
    pairs = np.unique(member * len(org_ids) + org)
    member, org = pairs // len(org_ids), pairs % len(org_ids)
    since = START - rng.integers(0, 4000, len(member)).astype("timedelta64[D]")
    write_csv(graph / "MEMBER_OF.csv", {"from_id": firm_ids[member], "to_id": org_ids[org], "to_label": org_label[org],
                                        "since": days(since)})
    p_vouch = 0.5 + reliability[org] * (quality[member] - 0.55) * 1.6
    vouch = rng.random(len(member)) < np.clip(p_vouch, 0.02, 0.98)
    write_csv(graph / "RECOMMENDS.csv", {
        "from_id": org_ids[org[vouch]], "to_id": firm_ids[member[vouch]], "from_label": org_label[org[vouch]],
        "date": days(START + rng.integers(0, 2000, int(vouch.sum())).astype("timedelta64[D]")),
        "strength": np.round(rng.uniform(0.3, 1.0, int(vouch.sum())), 2),
    })


def _write_ground_truth(truth: Path, firm_ids, quality, misreports, guarantees: lending.Guarantees,
                        defaults: lending.Defaults, circles: list[np.ndarray]) -> Path:
    """The hidden truth (ground_truth.csv): never loaded, only used to check the models."""
    n = len(firm_ids)
    exposed = np.zeros(n, dtype=bool)
    exposed[guarantees.guarantor_firm[defaults.defaulted & guarantees.by_firm]] = True
    circle_of = np.full(n, -1)
    for number, members in enumerate(circles):
        circle_of[members] = number
    write_csv(truth, {"id": firm_ids, "quality": np.round(quality, 4), "annual_pd": np.round(annual_pd(quality), 5),
                      "misreports": misreports.astype(int), "exposed_to_contagion": exposed.astype(int),
                      "circle": circle_of})
    return truth
