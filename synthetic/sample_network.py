"""A small, deterministic SME network with every node and relationship type and loan outcomes.

It writes canonical loader files (Firm.csv, TRADES_WITH.csv, ...) so it travels the same path as
partner data. Firms have a hidden quality; weak firms default more often, misreport revenue more,
and trade with each other more, so the sample has the structure the scoring work looks for.
"""

from __future__ import annotations

import csv
import math
import random
from datetime import date, timedelta
from pathlib import Path

SECTORS = ("manufacturing", "retail", "wholesale", "construction", "logistics", "agriculture", "services")
REGIONS = ("north", "south", "east", "west", "central")


def _day(rng: random.Random, start: date, span_days: int) -> date:
    """A random day in the span_days from start."""
    return start + timedelta(days=rng.randrange(span_days))


def generate(out_dir: Path, firms: int = 300, seed: int = 7) -> dict[str, int]:
    """Write the sample network into out_dir; returns rows written per file."""
    rng = random.Random(seed)  # one stream of draws: the sections below must run in this order
    quality = [rng.betavariate(5, 2) for _ in range(firms)]
    firm_ids = [f"F{i:05d}" for i in range(firms)]
    tables = {"Firm": _firms(rng, firm_ids, quality)}
    tables.update(_counterparties(rng, firms))
    ids = {label: [row["id"] for row in rows] for label, rows in tables.items() if label != "Firm"}
    tables["TRADES_WITH"] = _trades(rng, firm_ids, quality)
    tables["MEMBER_OF"], tables["RECOMMENDS"] = _memberships(rng, firm_ids, quality, ids["Chamber"] + ids["Market"])
    tables.update(_loans(rng, firm_ids, quality, ids["Bank"], ids["Guarantor"]))
    tables["CONTROLS"] = _controls(rng, firm_ids, ids["Person"])
    return _write_tables(out_dir, tables)


def _firms(rng: random.Random, firm_ids: list[str], quality: list[float]) -> list[dict]:
    """Firms and their attributes from several sources; dishonest ones report less revenue to the tax office."""
    firm_rows = []
    for i, fid in enumerate(firm_ids):
        revenue = round(math.exp(rng.gauss(13, 1)), 2)
        honest = rng.random() < 0.5 + 0.5 * quality[i]
        firm_rows.append({
            "id": fid, "name": f"Firm {i:05d}", "sector": rng.choice(SECTORS), "region": rng.choice(REGIONS),
            "founded": _day(rng, date(1995, 1, 1), 9000).isoformat(), "employees": rng.randint(2, 250),
            "registration_status": "active" if rng.random() < 0.97 else "suspended",
            "declared_revenue": revenue,
            "tax_revenue": round(revenue * (rng.uniform(0.9, 1.05) if honest else rng.uniform(0.4, 0.8)), 2),
            "utility_usage": round(revenue / 1000 * rng.uniform(0.5, 1.5), 2),
            "customs_value": round(revenue * rng.uniform(0, 0.3), 2) if rng.random() < 0.3 else "",
            "telecom_tenure_months": rng.randint(3, 240),
        })
    return firm_rows


def _counterparties(rng: random.Random, firms: int) -> dict[str, list[dict]]:
    """Guarantee companies, chambers, markets, banks and the people who control firms, by label."""
    guarantors = [f"G{i:03d}" for i in range(max(2, firms // 60))]
    chambers = [f"C{i:02d}" for i in range(max(2, firms // 100))]
    markets = [f"M{i:02d}" for i in range(max(2, firms // 100))]
    return {
        "Guarantor": [{"id": g, "name": f"Guarantee Co {g}", "capital": rng.randint(5, 50) * 1_000_000,
                       "region": rng.choice(REGIONS)} for g in guarantors],
        "Chamber": [{"id": c, "name": f"Chamber of Commerce {c}", "region": rng.choice(REGIONS)} for c in chambers],
        "Market": [{"id": m, "name": f"Market {m}", "sector": rng.choice(SECTORS), "region": rng.choice(REGIONS)}
                   for m in markets],
        "Bank": [{"id": f"B{i:02d}", "name": f"Bank B{i:02d}"} for i in range(3)],
        "Person": [{"id": f"P{i:04d}", "name": f"Person P{i:04d}"} for i in range(firms // 2)],
    }


def _trades(rng: random.Random, firm_ids: list[str], quality: list[float]) -> list[dict]:
    """Trades: firms trade mostly with firms of similar quality; customers rate weak suppliers lower."""
    firms = len(firm_ids)
    trades = {}
    for i in range(firms):
        for _ in range(rng.randint(1, 4)):
            # Homophily: firms trade mostly with firms of similar quality.
            j = min(range(firms), key=lambda k: abs(quality[k] - quality[i]) + rng.random() * 0.5)
            if j != i and (firm_ids[i], firm_ids[j]) not in trades:
                first = _day(rng, date(2018, 1, 1), 1500)
                trades[(firm_ids[i], firm_ids[j])] = {
                    "from_id": firm_ids[i], "to_id": firm_ids[j],
                    "volume": round(rng.uniform(1e4, 1e6), 2), "count": rng.randint(1, 60),
                    "first_date": first.isoformat(),
                    "last_date": (first + timedelta(days=rng.randint(30, 900))).isoformat(),
                    "rating": round(min(5, max(1, rng.gauss(2 + 3 * quality[j], 0.5))), 1),
                    "complaints": rng.randint(0, 3) if quality[j] < 0.5 else 0,
                }
    return list(trades.values())


def _memberships(rng: random.Random, firm_ids: list[str], quality: list[float],
                 orgs: list[str]) -> tuple[list[dict], list[dict]]:
    """Chamber and market memberships, and their vouches: chambers for good firms, markets for almost anyone."""
    members, recommends = [], []
    for i, fid in enumerate(firm_ids):
        for org in rng.sample(orgs, k=rng.randint(0, 2)):
            label = "Chamber" if org.startswith("C") else "Market"
            members.append({"from_id": fid, "to_id": org, "to_label": label,
                            "since": _day(rng, date(2010, 1, 1), 4000).isoformat()})
            if rng.random() < (quality[i] if label == "Chamber" else 0.6):
                recommends.append({"from_id": org, "to_id": fid, "from_label": label,
                                   "date": _day(rng, date(2019, 1, 1), 1500).isoformat(),
                                   "strength": round(rng.uniform(0.3, 1.0), 2)})
    return members, recommends


def _loans(rng: random.Random, firm_ids: list[str], quality: list[float], banks: list[str],
           guarantors: list[str]) -> dict[str, list[dict]]:
    """Loans of half the firms with their outcomes, the banks that granted them, and their guarantees."""
    loans, granted, borrowed, guarantees = [], [], [], []
    borrowers = rng.sample(range(len(firm_ids)), k=len(firm_ids) // 2)  # the other half are thin-file
    for n, i in enumerate(borrowers):
        lid = f"L{n:05d}"
        issued = _day(rng, date(2019, 1, 1), 1800)
        amount = rng.randint(5, 200) * 10_000
        defaulted = rng.random() < 0.35 * (1 - quality[i]) ** 1.5 + 0.01
        status = "defaulted" if defaulted else rng.choice(("current", "repaid", "current"))
        loans.append({"id": lid, "amount": amount,
                      "outstanding": 0 if status == "repaid" else round(amount * rng.uniform(0.1, 1), 2),
                      "issued": issued.isoformat(),
                      "due": (issued + timedelta(days=365 * rng.randint(1, 5))).isoformat(),
                      "status": status, "status_date": (issued + timedelta(days=rng.randint(60, 700))).isoformat()})
        granted.append({"from_id": rng.choice(banks), "to_id": lid})
        borrowed.append({"from_id": firm_ids[i], "to_id": lid})
        if rng.random() < 0.6:
            guarantees.append({"from_id": rng.choice(guarantors), "to_id": lid, "from_label": "Guarantor",
                               "amount": round(amount * rng.uniform(0.3, 0.8), 2), "since": issued.isoformat()})
        if rng.random() < 0.3:
            guarantor_firm = rng.randrange(len(firm_ids))
            if guarantor_firm != i:
                guarantees.append({"from_id": firm_ids[guarantor_firm], "to_id": lid, "from_label": "Firm",
                                   "amount": round(amount * rng.uniform(0.2, 0.5), 2), "since": issued.isoformat()})
    return {"Loan": loans, "GRANTED": granted, "BORROWED": borrowed, "GUARANTEES": guarantees}


def _controls(rng: random.Random, firm_ids: list[str], people: list[str]) -> list[dict]:
    """Who owns or directs each firm; people are outnumbered by firms, so some control several."""
    controls = {}
    for fid in firm_ids:
        person = rng.choice(people)
        controls[(person, fid)] = {"from_id": person, "to_id": fid, "role": rng.choice(("owner", "director")),
                                   "share": round(rng.uniform(0.1, 1.0), 2)}
    return list(controls.values())


def _write_tables(out_dir: Path, tables: dict[str, list[dict]]) -> dict[str, int]:
    """Write each table as <name>.csv in out_dir; returns rows written per file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, rows in tables.items():
        columns = list(dict.fromkeys(c for row in rows for c in row))
        with (out_dir / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        counts[name] = len(rows)
    return counts
