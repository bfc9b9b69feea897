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
    return start + timedelta(days=rng.randrange(span_days))


def generate(out_dir: Path, firms: int = 300, seed: int = 7) -> dict[str, int]:
    """Write the sample network into out_dir; returns rows written per file."""
    rng = random.Random(seed)
    tables: dict[str, list[dict]] = {}
    quality = [rng.betavariate(5, 2) for _ in range(firms)]
    firm_ids = [f"F{i:05d}" for i in range(firms)]

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
    tables["Firm"] = firm_rows

    guarantors = [f"G{i:03d}" for i in range(max(2, firms // 60))]
    tables["Guarantor"] = [{"id": g, "name": f"Guarantee Co {g}", "capital": rng.randint(5, 50) * 1_000_000,
                            "region": rng.choice(REGIONS)} for g in guarantors]
    chambers = [f"C{i:02d}" for i in range(max(2, firms // 100))]
    tables["Chamber"] = [{"id": c, "name": f"Chamber of Commerce {c}", "region": rng.choice(REGIONS)} for c in chambers]
    markets = [f"M{i:02d}" for i in range(max(2, firms // 100))]
    tables["Market"] = [{"id": m, "name": f"Market {m}", "sector": rng.choice(SECTORS), "region": rng.choice(REGIONS)}
                        for m in markets]
    banks = [f"B{i:02d}" for i in range(3)]
    tables["Bank"] = [{"id": b, "name": f"Bank {b}"} for b in banks]
    people = [f"P{i:04d}" for i in range(firms // 2)]
    tables["Person"] = [{"id": p, "name": f"Person {p}"} for p in people]

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
                    "first_date": first.isoformat(), "last_date": (first + timedelta(days=rng.randint(30, 900))).isoformat(),
                    "rating": round(min(5, max(1, rng.gauss(2 + 3 * quality[j], 0.5))), 1),
                    "complaints": rng.randint(0, 3) if quality[j] < 0.5 else 0,
                }
    tables["TRADES_WITH"] = list(trades.values())

    members, recommends = [], []
    for i, fid in enumerate(firm_ids):
        for org in rng.sample(chambers + markets, k=rng.randint(0, 2)):
            label = "Chamber" if org.startswith("C") else "Market"
            members.append({"from_id": fid, "to_id": org, "to_label": label,
                            "since": _day(rng, date(2010, 1, 1), 4000).isoformat()})
            # Chambers vouch mostly for good firms; markets vouch for almost anyone.
            if rng.random() < (quality[i] if label == "Chamber" else 0.6):
                recommends.append({"from_id": org, "to_id": fid, "from_label": label,
                                   "date": _day(rng, date(2019, 1, 1), 1500).isoformat(),
                                   "strength": round(rng.uniform(0.3, 1.0), 2)})
    tables["MEMBER_OF"] = members
    tables["RECOMMENDS"] = recommends

    loans, granted, borrowed, guarantees = [], [], [], []
    borrowers = rng.sample(range(firms), k=firms // 2)  # the other half are thin-file
    for n, i in enumerate(borrowers):
        lid = f"L{n:05d}"
        issued = _day(rng, date(2019, 1, 1), 1800)
        amount = rng.randint(5, 200) * 10_000
        defaulted = rng.random() < 0.35 * (1 - quality[i]) ** 1.5 + 0.01
        status = "defaulted" if defaulted else rng.choice(("current", "repaid", "current"))
        loans.append({"id": lid, "amount": amount,
                      "outstanding": 0 if status == "repaid" else round(amount * rng.uniform(0.1, 1), 2),
                      "issued": issued.isoformat(), "due": (issued + timedelta(days=365 * rng.randint(1, 5))).isoformat(),
                      "status": status, "status_date": (issued + timedelta(days=rng.randint(60, 700))).isoformat()})
        granted.append({"from_id": rng.choice(banks), "to_id": lid})
        borrowed.append({"from_id": firm_ids[i], "to_id": lid})
        if rng.random() < 0.6:
            guarantees.append({"from_id": rng.choice(guarantors), "to_id": lid, "from_label": "Guarantor",
                               "amount": round(amount * rng.uniform(0.3, 0.8), 2), "since": issued.isoformat()})
        if rng.random() < 0.3:
            guarantor_firm = rng.randrange(firms)
            if guarantor_firm != i:
                guarantees.append({"from_id": firm_ids[guarantor_firm], "to_id": lid, "from_label": "Firm",
                                   "amount": round(amount * rng.uniform(0.2, 0.5), 2), "since": issued.isoformat()})
    tables.update(Loan=loans, GRANTED=granted, BORROWED=borrowed, GUARANTEES=guarantees)

    controls = {}
    for fid in firm_ids:
        person = rng.choice(people)  # people outnumbered by firms: some control several
        controls[(person, fid)] = {"from_id": person, "to_id": fid, "role": rng.choice(("owner", "director")),
                                   "share": round(rng.uniform(0.1, 1.0), 2)}
    tables["CONTROLS"] = list(controls.values())

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
