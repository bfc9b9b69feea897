"""A guarantor's direct exposure: the loans it guarantees, their borrowers' network PDs, expected loss.

Expected loss of a guarantee = borrower's PD x LGD x exposure at default, where the exposure is the
guaranteed part of what is still outstanding. Loans already repaid or defaulted are listed but not
counted in the live totals.
"""

from __future__ import annotations

from graph_service.store.port import GraphStore

LIVE_STATUSES = ("current", "overdue")


def guarantor_exposure(store: GraphStore, label: str, guarantor_id: str, bank_id: str | None,
                       lgd: float) -> dict | None:
    """None if there is no such guarantor, or (for a bank) it guarantees none of the bank's loans."""
    found = store.direct_guarantees(label, guarantor_id, bank_id)
    if found is None or (bank_id is not None and not found["guarantees"]):
        return None
    guarantees = []
    totals = {"loans": 0, "guaranteed": 0.0, "exposure_at_default": 0.0, "expected_loss": 0.0,
              "borrowers_without_pd": 0}
    for g in sorted(found["guarantees"], key=lambda g: g["loan_id"]):
        outstanding = g["outstanding"] if g["outstanding"] is not None else g["amount"]
        ead = min(g["guaranteed"] or 0.0, outstanding or 0.0)
        live = g["status"] in LIVE_STATUSES
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
    return {"guarantor_id": found["guarantor_id"], "guarantor_label": label, "name": found["guarantor_name"],
            "lgd": lgd, "totals": totals, "guarantees": guarantees}
