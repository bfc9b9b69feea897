"""Scores as the API serves them: the stored score when it is current, otherwise one computed now.

A stored score is current when the serving model computed it and the firm has not been loaded
again since. Every served score is recorded in the audit trail before it is returned.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict
from datetime import datetime, timezone

from graph_service.services.api_keys import Principal
from graph_service.runtime.audit_trail import AuditTrail
from graph_service.core.ports import OnDemandScoring


def _is_current(last_loaded_at: datetime | None, score: dict | None, version: str) -> bool:
    if score is None or score.get("model_version") != version:
        return False
    return last_loaded_at is None or last_loaded_at <= datetime.fromisoformat(score["scored_at"])


def _stored(score: dict) -> dict:
    out = {k: v for k, v in score.items() if k not in ("id", "mode")}
    out["score_id"] = score["id"]
    out["reasons"] = json.loads(score.get("reasons") or "[]")
    out["evidence"] = json.loads(score.get("evidence") or "[]")
    return out


def scores_to_serve(store: OnDemandScoring, trained, firm_ids: list[str], scale, fanout_1: int,
                    fanout_2: int, on_demand_budget: int | None = None) -> tuple[dict[str, dict], list[str]]:
    """({firm id: score as served, with "served": "stored" | "on-demand" | "stale"}, ids of firms that
    do not exist).

    on_demand_budget: how many firms that already have a score of this model may be rescored now;
    past it their stored score is served as "stale" (one partner's batch touching thousands of firms
    so costs any one request at most this many on-demand scores). A firm with no score of this
    model is always scored: there is nothing else to serve."""
    from graph_service.services.scoring import score_firm

    states = store.score_states(firm_ids)
    served, missing = {}, []
    rescored = 0
    for firm_id in firm_ids:
        if firm_id not in states:
            missing.append(firm_id)
            continue
        last_loaded_at, score = states[firm_id]
        if _is_current(last_loaded_at, score, trained.version):
            served[firm_id] = {**_stored(score), "served": "stored"}
            continue
        has_own_score = score is not None and score.get("model_version") == trained.version
        if has_own_score and on_demand_budget is not None and rescored >= on_demand_budget:
            served[firm_id] = {**_stored(score), "served": "stale"}
            continue
        rescored += has_own_score
        fresh = score_firm(store, trained, firm_id, scale, fanout_1, fanout_2)
        served[firm_id] = {**asdict(fresh), "served": "on-demand"}
    return served, missing


def scores_for(principal: Principal, store: OnDemandScoring, trained, firm_ids: list[str], scale, fanout_1: int,
               fanout_2: int, on_demand_budget: int | None = None) -> tuple[dict[str, dict], list[str]]:
    """scores_to_serve as the caller may see them: a bank's evidence leaves out the loans it did not
    grant, by the same rule as its firm views (network.visible_to_bank)."""
    from graph_service.services.network import visible_to_bank

    served, missing = scores_to_serve(store, trained, firm_ids, scale, fanout_1, fanout_2, on_demand_budget)
    loans = {e["id"] for s in served.values() for e in s["evidence"] if e["label"] == "Loan"}
    hidden = loans - visible_to_bank(store, principal.lender_scope(), loans)
    if hidden:
        for score in served.values():
            score["evidence"] = [e for e in score["evidence"] if not (e["label"] == "Loan" and e["id"] in hidden)]
    return served, missing


def record_served(trail: AuditTrail, principal: Principal, request_id: str, scores: list[dict]) -> None:
    """One audit event per served score: who asked, for which firm, which score and model, when."""
    now = datetime.now(timezone.utc)
    trail.record([{
        "id": str(uuid.uuid4()), "served_at": now, "request_id": request_id, "key_id": principal.key_id,
        "role": principal.role, "firm_id": s["firm_id"], "score_id": s["score_id"],
        "model_version": s["model_version"], "served": s["served"],
    } for s in scores])
