"""A firm's network to a few hops, each node expanding at most `fanout` ties, paginated by tie."""

from __future__ import annotations

from dataclasses import replace

from graph_service.core.domain import FirmView
from graph_service.core.errors import NotFound
from graph_service.core.ports import NetworkQueries
from graph_service.services.api_keys import Principal


def visible_to_bank(store: NetworkQueries, bank_id: str | None, loan_ids: set[str]) -> set[str]:
    """The loans among loan_ids a caller may see: all of them, or for a bank only those it granted."""
    if bank_id is None or not loan_ids:
        return loan_ids
    return {loan for loan, banks in store.loan_lenders(loan_ids).items() if bank_id in banks}


def firm_network(store: NetworkQueries, firm_id: str, hops: int, fanout: int, page: int, page_size: int,
                 bank_id: str | None = None) -> dict | None:
    """Ties ordered by hop, type and ends; a page holds page_size ties and the nodes at their ends.
    For a bank (bank_id), loans it did not grant and the ties through them are left out."""
    root = store.firm_with_ties(firm_id, 0)
    if root is None:
        return None
    nodes = {("Firm", firm_id): {"label": "Firm", "id": firm_id, "name": root.properties.get("name"),
                                 "pd": root.properties.get("pd"), "grade": root.properties.get("grade"), "hop": 0}}
    ties: dict[tuple, dict] = {}
    frontier = [("Firm", firm_id)]
    for hop in range(1, hops + 1):
        reached = []
        for label in sorted({label for label, _ in frontier}):
            ids = sorted(node_id for node_label, node_id in frontier if node_label == label)
            rows = store.network_hop(label, ids, fanout)
            loans = visible_to_bank(store, bank_id, {r["id"] for r in rows if r["label"] == "Loan"})
            for row in rows:
                if row["label"] == "Loan" and row["id"] not in loans:
                    continue
                key = (row["type"], row["from_label"], row["from_id"], row["to_label"], row["to_id"])
                ties.setdefault(key, {"hop": hop, "type": row["type"], "from_label": row["from_label"],
                                      "from_id": row["from_id"], "to_label": row["to_label"], "to_id": row["to_id"],
                                      "properties": row["properties"]})
                other = (row["label"], row["id"])
                if other not in nodes:
                    nodes[other] = {"label": row["label"], "id": row["id"], "name": row["name"], "pd": row["pd"],
                                    "grade": row["grade"], "hop": hop}
                    reached.append(other)
        frontier = reached
    ordered = sorted(ties.values(), key=lambda t: (t["hop"], t["type"], t["from_label"], t["from_id"],
                                                   t["to_label"], t["to_id"]))
    start = (page - 1) * page_size
    on_page = ordered[start:start + page_size]
    ends = {("Firm", firm_id)} if page == 1 else set()
    for tie in on_page:
        ends.update({(tie["from_label"], tie["from_id"]), (tie["to_label"], tie["to_id"])})
    return {
        "firm_id": firm_id, "hops": hops, "fanout": fanout, "page": page, "page_size": page_size,
        "total_ties": len(ordered), "total_nodes": len(nodes),
        "next_page": page + 1 if start + page_size < len(ordered) else None,
        "nodes": sorted((nodes[k] for k in ends), key=lambda n: (n["hop"], n["label"], n["id"])),
        "ties": on_page,
    }


def firm_for(principal: Principal, store: NetworkQueries, firm_id: str, ties_limit: int) -> FirmView:
    """A firm and its first ties_limit direct ties, as the caller may see them: a bank neither sees
    nor counts another bank's loans. NotFound if there is no such firm."""
    firm = store.firm_with_ties(firm_id, ties_limit)
    if firm is None:
        raise NotFound(f"no firm with id {firm_id!r}")
    loans = {t.id for t in firm.ties if t.label == "Loan"}
    hidden = loans - visible_to_bank(store, principal.lender_scope(), loans)
    if not hidden:
        return firm
    ties = [t for t in firm.ties if not (t.label == "Loan" and t.id in hidden)]
    return replace(firm, ties=ties, tie_count=firm.tie_count - (len(firm.ties) - len(ties)))


def firm_network_for(principal: Principal, store: NetworkQueries, firm_id: str, hops: int, fanout: int, page: int,
                     page_size: int) -> dict:
    """firm_network as the caller may see it (a bank only its own loans); NotFound if there is no such firm."""
    network = firm_network(store, firm_id, hops, fanout, page, page_size, principal.lender_scope())
    if network is None:
        raise NotFound(f"no firm with id {firm_id!r}")
    return network
