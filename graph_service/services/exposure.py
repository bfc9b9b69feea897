"""A guarantor's exposure: the loans it guarantees, their borrowers' network PDs, expected loss; the
chains behind them (borrowers that guarantee others in turn); the guarantee circles it belongs to;
and where its exposure is concentrated.

Expected loss of a guarantee = borrower's PD x LGD x exposure at default, where the exposure is the
guaranteed part of what is still outstanding (all of the loan when no balance was reported). Loans
already repaid or defaulted are listed but not counted in the live totals, nor followed in chains.
"""

from __future__ import annotations

from graph_service.core.errors import NotFound
from graph_service.core.graph_model import LIVE_LOAN_STATUSES
from graph_service.core.ports import NetworkQueries
from graph_service.services.api_keys import Principal

MAX_CHAINS = 1000  # chain rows per answer; more are cut and flagged


def _ead(g: dict) -> float:
    outstanding = g["outstanding"] if g["outstanding"] is not None else g["amount"]
    return min(g["guaranteed"] or 0.0, outstanding or 0.0)


def _chains_and_circles(store: NetworkQueries, label: str, guarantor_id: str, direct: list[dict], depth: int,
                        bank_id: str | None) -> tuple[list[dict], list[dict], bool]:
    """Follow live guarantees from the guarantor's borrowers, hop by hop, to `depth` hops in all.
    A path never visits a firm twice; one that comes back to the guarantor (a firm) is a circle."""
    is_firm = label == "Firm"
    paths = [([guarantor_id, g["borrower_id"]], [g["loan_id"]], [_ead(g)]) for g in direct
             if g["live"] and g["borrower_id"] and not (is_firm and g["borrower_id"] == guarantor_id)]
    chains: list[dict] = []
    circles: list[dict] = []
    truncated = False
    for hop in range(2, depth + 1):
        if not paths:
            break
        given: dict[str, list[dict]] = {}
        for row in store.guarantees_of_firms(sorted({p[0][-1] for p in paths})):
            lent = bank_id is None or bank_id in row["banks"]
            if row["status"] in LIVE_LOAN_STATUSES and row["borrower_id"] and lent:
                given.setdefault(row["guarantor_id"], []).append(row)
        extended = []
        for members, loans, amounts in paths:
            for row in given.get(members[-1], []):
                step = (members + [row["borrower_id"]], loans + [row["loan_id"]], amounts + [_ead(row)])
                if is_firm and row["borrower_id"] == guarantor_id:
                    circles.append({"members": members, "loans": step[1], "exposure_at_default": step[2]})
                    continue
                if row["borrower_id"] in members:
                    continue
                if len(chains) >= MAX_CHAINS:
                    truncated = True
                    continue
                chains.append({"depth": hop, "path": step[0], "loans": step[1], "loan_id": row["loan_id"],
                               "borrower_id": row["borrower_id"], "borrower_pd": row["borrower_pd"],
                               "exposure_at_default": step[2][-1]})
                extended.append(step)
        paths = extended
    return chains, sorted(circles, key=lambda c: (len(c["members"]), c["loans"])), truncated


def _concentration(guarantees: list[dict], key: str) -> list[dict]:
    total = sum(g["exposure_at_default"] for g in guarantees if g["live"])
    by: dict[str, float] = {}
    for g in guarantees:
        if g["live"]:
            by[g[key] or "unknown"] = by.get(g[key] or "unknown", 0.0) + g["exposure_at_default"]
    return [{"name": name, "exposure_at_default": round(ead, 2), "share": round(ead / total, 4) if total else 0.0}
            for name, ead in sorted(by.items(), key=lambda item: (-item[1], item[0]))]


def guarantor_exposure(store: NetworkQueries, label: str, guarantor_id: str, bank_id: str | None,
                       lgd: float, depth: int = 1) -> dict | None:
    """None if there is no such guarantor, or (for a bank) it guarantees none of the bank's loans.
    depth > 1 adds the chains behind the direct guarantees and the circles through the guarantor."""
    found = store.direct_guarantees(label, guarantor_id, bank_id)
    if found is None or (bank_id is not None and not found["guarantees"]):
        return None
    guarantees = []
    totals = {"loans": 0, "guaranteed": 0.0, "exposure_at_default": 0.0, "expected_loss": 0.0,
              "borrowers_without_pd": 0}
    for g in sorted(found["guarantees"], key=lambda g: g["loan_id"]):
        ead = _ead(g)
        live = g["status"] in LIVE_LOAN_STATUSES
        pd = g["borrower_pd"]
        expected_loss = None if pd is None else round(pd * lgd * ead, 2) if live else 0.0
        guarantees.append({**g, "live": live, "exposure_at_default": ead if live else 0.0,
                           "expected_loss": expected_loss})
        if live:
            totals["loans"] += 1
            totals["guaranteed"] += g["guaranteed"] or 0.0
            totals["exposure_at_default"] += ead
            if pd is None:
                totals["borrowers_without_pd"] += 1
            else:
                totals["expected_loss"] += pd * lgd * ead
    for money in ("guaranteed", "exposure_at_default", "expected_loss"):
        totals[money] = round(totals[money], 2)
    chains, circles, truncated = _chains_and_circles(store, label, guarantor_id, guarantees, depth, bank_id)
    totals["indirect_exposure_at_default"] = round(sum(c["exposure_at_default"] for c in chains), 2)
    return {"guarantor_id": found["guarantor_id"], "guarantor_label": label, "name": found["guarantor_name"],
            "lgd": lgd, "depth": depth, "totals": totals, "guarantees": guarantees,
            "concentration": {"sector": _concentration(guarantees, "borrower_sector"),
                              "region": _concentration(guarantees, "borrower_region")},
            "chains": chains, "chains_truncated": truncated, "circles": circles}


def exposure_for(principal: Principal, store: NetworkQueries, label: str, guarantor_id: str, lgd: float,
                 depth: int = 1) -> dict:
    """The exposure the caller may see: a guarantor only its own, a bank only the loans it granted (at
    every hop). NotFound for a missing guarantor and, in the same words, for another's."""
    missing = NotFound(f"no {label} with id {guarantor_id!r}")
    if principal.role == "guarantor" and not principal.acts_for(label, guarantor_id):
        raise missing
    exposure = guarantor_exposure(store, label, guarantor_id, principal.lender_scope(), lgd, depth)
    if exposure is None:
        raise missing
    return exposure
