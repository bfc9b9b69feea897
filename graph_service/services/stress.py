"""Stress tests, too-central-to-fail rankings and guarantee patterns over the whole-network view,
as the caller may see them.

A stress test shows investigators and admins every affected node; a guarantor or a bank sees only
its own row (a firm's distress could reveal, with its capital, what it guarantees on other banks'
loans), listed even when untouched. The rankings and patterns are for investigators and admins only
(the API refuses the other roles before these are called).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graph_service.core.errors import InvalidInput
from graph_service.services.api_keys import Principal

if TYPE_CHECKING:  # the view needs the scoring extras (numpy, scipy): imported where used
    from graph_service.runtime.network_view import NetworkView

GROUPS = (("Guarantor", "guarantors"), ("Bank", "banks"), ("Firm", "firms"))
MAX_NAMED = 20  # unknown ids named in one error


def stress_test_for(principal: Principal, view: NetworkView, defaults: list[str], top: int, lgd: float) -> dict:
    """DebtRank from the firms in `defaults` (repeats ignored) assumed to default: the `top` most hit
    nodes of each kind, or the caller's own row only. InvalidInput names the ids with no firm."""
    from graph_service.network_risk.stress_test import debtrank

    network = view.network
    defaults = list(dict.fromkeys(defaults))
    unknown = [f for f in defaults if ("Firm", f) not in network.index]
    if unknown:
        raise InvalidInput("defaults", [f"no firm with id {f!r}" for f in unknown[:MAX_NAMED]])
    result = debtrank(network, [("Firm", f) for f in defaults])

    def row(i: int) -> dict:
        return {**result.row(i), "capital": float(network.capital[i])}

    answer = {"network_as_of": view.as_of, "lgd": lgd, "defaults": defaults, "rounds": result.rounds,
              "scope": "network", "debtrank": round(result.debtrank, 6), "guarantors": [], "banks": [], "firms": []}
    if principal.sees_whole_network():
        affected = result.affected_nodes()
        answer["affected_count"] = len(affected)
        for label, key in GROUPS:
            answer[key] = [row(i) for i in affected[network.labels[affected] == label][:top]]
        return answer
    answer.update(scope="own", debtrank=None, affected_count=None, rounds=None)
    own = network.index.get((principal.acts_for_label, principal.acts_for_id))
    if own is not None:  # a firm that guarantees is listed with the guarantors it acts as
        answer["banks" if principal.role == "bank" else "guarantors"] = [row(own)]
    return answer


def too_central_to_fail(view: NetworkView, candidates: int, top: int) -> dict:
    """The `top` of `candidates` firms whose default alone spreads the most distress."""
    ranked = view.too_central_to_fail(candidates)
    return {"network_as_of": view.as_of, "candidates": candidates, "firms": ranked[:top]}


def guarantee_patterns_page(view: NetworkView, kind: str, firm_id: str | None, page: int, page_size: int) -> dict:
    """One page of the circles, chains or stars (optionally those `firm_id` is part of), with the
    counts of each kind across the network: largest chains and stars first, circles smallest first."""
    patterns = view.patterns
    if kind == "circles":
        items = [{"firm_ids": c, "size": len(c)} for c in patterns.circles]
    else:
        sizes = patterns.chain_depth if kind == "chains" else patterns.stars
        items = [{"firm_ids": [f], "size": n} for f, n in sorted(sizes.items(), key=lambda x: (-x[1], x[0]))]
    if firm_id is not None:
        items = [item for item in items if firm_id in item["firm_ids"]]
    start = (page - 1) * page_size
    return {"network_as_of": view.as_of, "kind": kind, "total": len(items), "page": page, "page_size": page_size,
            "items": items[start:start + page_size], "counts": _pattern_counts(patterns)}


def _pattern_counts(patterns) -> dict:
    return {"circles": len(patterns.circles), "mutual_pairs": len(patterns.mutual_pairs),
            "chains": len(patterns.chain_depth), "stars": len(patterns.stars),
            "truncated_components": patterns.truncated_components}
