"""An in-memory fake of the store port for fast unit tests of services.

It mirrors Neo4jStore's observable behaviour, and tests/contract/ checks both against each other.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Iterable, Iterator

from graph_service.core.domain import FirmView, GraphCounts, ServerInfo, Tie
from graph_service.core.graph_model import LINEAGE_PROPERTIES, GraphModel


class MemoryStore:
    def __init__(self) -> None:
        self.nodes: dict[tuple[str, str], dict[str, Any]] = {}  # (label, id) -> properties
        self.relationships: dict[tuple[str, str, str, str, str], dict[str, Any]] = {}
        self._constraints: dict[str, tuple[str, ...]] = {}
        self._adjacency: dict[tuple[str, str], list] | None = None  # rebuilt when relationships change
        self._adjacency_size = 0

    def server_info(self) -> ServerInfo:
        return ServerInfo(version="memory", edition="fake")

    def apply_schema(self, model: GraphModel) -> list[str]:
        for label in model.nodes:
            self._constraints[f"{label}_id_unique"] = (label, "id")
        return sorted(self._constraints)

    def constraints(self) -> dict[str, tuple[str, ...]]:
        return dict(self._constraints)

    @staticmethod
    def _merge(target: dict[str, Any], properties: dict, source: str, loaded_at: datetime) -> None:
        target.setdefault("first_loaded_at", loaded_at)
        target.update(properties)
        target["source"] = source
        target["last_loaded_at"] = loaded_at

    def merge_nodes(self, label: str, rows: list[dict], source: str, loaded_at: datetime) -> None:
        for row in rows:
            node = self.nodes.setdefault((label, row["id"]), {"id": row["id"]})
            self._merge(node, row["properties"], source, loaded_at)

    def merge_relationships(
        self, rel_type: str, source_label: str, target_label: str,
        rows: list[dict], source: str, loaded_at: datetime,
    ) -> set[int]:
        written = set()
        for row in rows:
            if (source_label, row["from_id"]) in self.nodes and (target_label, row["to_id"]) in self.nodes:
                key = (source_label, row["from_id"], rel_type, target_label, row["to_id"])
                self._merge(self.relationships.setdefault(key, {}), row["properties"], source, loaded_at)
                written.add(row["line"])
        return written

    def missing_ids(self, label: str, ids: Iterable[str]) -> set[str]:
        return {i for i in ids if (label, i) not in self.nodes}

    def firm_with_ties(self, firm_id: str, limit: int) -> FirmView | None:
        firm = self.nodes.get(("Firm", firm_id))
        if firm is None:
            return None
        ties = []
        for (s_label, s_id, rel_type, t_label, t_id), props in self.relationships.items():
            if (s_label, s_id) == ("Firm", firm_id):
                ties.append(Tie(rel_type, "out", t_label, t_id, self.nodes[(t_label, t_id)].get("name"), dict(props)))
            elif (t_label, t_id) == ("Firm", firm_id):
                ties.append(Tie(rel_type, "in", s_label, s_id, self.nodes[(s_label, s_id)].get("name"), dict(props)))
        ties.sort(key=lambda t: (t.type, t.id, t.direction))
        properties = {k: v for k, v in firm.items() if k != "id"}
        return FirmView(id=firm_id, properties=properties, ties=ties[:limit], tie_count=len(ties))

    def graph_counts(self) -> GraphCounts:
        return GraphCounts(
            nodes=len(self.nodes),
            node_properties=sum(len(p) for p in self.nodes.values()),
            relationships=len(self.relationships),
            relationship_properties=sum(len(p) for p in self.relationships.values()),
        )

    def counts_by_type(self) -> dict[tuple[str, str], int]:
        counts: dict[tuple[str, str], int] = {}
        for label, _ in self.nodes:
            counts[("node", label)] = counts.get(("node", label), 0) + 1
        for key in self.relationships:
            counts[("relationship", key[2])] = counts.get(("relationship", key[2]), 0) + 1
        return counts

    def node_labels(self) -> list[str]:
        return sorted({label for label, _ in self.nodes})

    def relationship_types(self) -> list[str]:
        return sorted({key[2] for key in self.relationships})

    def export_nodes(self, label: str) -> Iterator[tuple[str, dict]]:
        for (node_label, node_id), props in sorted(self.nodes.items()):
            if node_label == label:
                yield node_id, {k: v for k, v in props.items() if k not in LINEAGE_PROPERTIES}

    def export_relationships(self, rel_type: str) -> Iterator[tuple[str, str, str, str, dict]]:
        for (s_label, s_id, t, t_label, t_id), props in sorted(self.relationships.items()):
            if t == rel_type:
                yield s_label, s_id, t_label, t_id, {k: v for k, v in props.items() if k not in LINEAGE_PROPERTIES}

    def save_model(self, version: str, properties: dict) -> None:
        self.nodes.setdefault(("Model", version), {"id": version}).update(properties)

    def save_scores(self, version: str, rows: list[dict]) -> None:
        for row in rows:
            firm_key = ("Firm", row["firm_id"])
            if firm_key not in self.nodes or ("Model", version) not in self.nodes:
                continue
            score = dict(row["properties"])
            self.nodes[("Score", score["id"])] = score
            self.relationships[("Firm", row["firm_id"], "HAS_SCORE", "Score", score["id"])] = {}
            self.relationships[("Score", score["id"], "SCORED_BY", "Model", version)] = {}
            self.nodes[firm_key].update({k: score[k] for k in ("pd", "score", "grade", "scored_at")},
                                        model_version=version)

    def latest_score(self, firm_id: str) -> dict | None:
        scores = [self.nodes[("Score", key[4])] for key in self.relationships
                  if key[:3] == ("Firm", firm_id, "HAS_SCORE")]
        return max(scores, key=lambda s: s["scored_at"], default=None)

    def _ties(self, label: str, node_id: str) -> list[tuple[str, tuple, tuple]]:
        """(type, relationship key, other end) of a node's ties, ordered as Neo4j's query orders them."""
        if self._adjacency is None or self._adjacency_size != len(self.relationships):
            self._adjacency = {}
            for key in self.relationships:
                s_label, s_id, rel_type, t_label, t_id = key
                self._adjacency.setdefault((s_label, s_id), []).append((rel_type, key, (t_label, t_id)))
                self._adjacency.setdefault((t_label, t_id), []).append((rel_type, key, (s_label, s_id)))
            self._adjacency_size = len(self.relationships)
        ties = [t for t in self._adjacency.get((label, node_id), []) if t[2][0] not in ("Score", "Model")]
        return sorted(ties, key=lambda t: (t[0], t[2][1]))

    def firm_neighbourhood(self, firm_id: str, fanout_1: int, fanout_2: int) -> tuple[list[dict], list[dict]] | None:
        if ("Firm", firm_id) not in self.nodes:
            return None
        nodes, rels = {("Firm", firm_id)}, set()
        hop_1, hop_2 = [], []
        for _, key, other in self._ties("Firm", firm_id)[:fanout_1]:
            rels.add(key)
            hop_1.append(other)
        for node in dict.fromkeys(hop_1):
            for _, key, other in self._ties(*node)[:fanout_2]:
                rels.add(key)
                hop_2.append(other)
        for node in dict.fromkeys(hop_2):
            if node[0] == "Firm":
                rels.update(k for t, k, _ in self._ties(*node) if t == "BORROWED" and k[0] == "Firm")
        nodes.update(hop_1, hop_2, ((k[3], k[4]) for k in rels))
        def present(props: dict) -> dict:
            return {k: v for k, v in props.items() if k not in LINEAGE_PROPERTIES}

        node_rows = [{"label": label, "id": node_id, "properties": present(self.nodes[(label, node_id)])}
                     for label, node_id in sorted(nodes)]
        rel_rows = [{"type": k[2], "from_label": k[0], "from_id": k[1], "to_label": k[3], "to_id": k[4],
                     "properties": present(self.relationships[k])} for k in sorted(rels)]
        return node_rows, rel_rows

    def save_api_key(self, key: dict) -> None:
        self.nodes[("ApiKey", key["id"])] = dict(key)

    def api_key(self, key_id: str) -> dict | None:
        key = self.nodes.get(("ApiKey", key_id))
        return dict(key) if key else None

    def api_keys(self) -> list[dict]:
        keys = [dict(p) for (label, _), p in self.nodes.items() if label == "ApiKey"]
        return sorted(keys, key=lambda k: (k["created_at"], k["id"]))

    def revoke_api_key(self, key_id: str, revoked_at: datetime) -> bool:
        key = self.nodes.get(("ApiKey", key_id))
        if key is None:
            return False
        key.setdefault("revoked_at", revoked_at)
        return True

    def node_exists(self, label: str, node_id: str) -> bool:
        return (label, node_id) in self.nodes

    def loan_lenders(self, loan_ids: Iterable[str]) -> dict[str, list[str]]:
        wanted = {i for i in loan_ids if ("Loan", i) in self.nodes}
        lenders: dict[str, list[str]] = {i: [] for i in wanted}
        for key in self.relationships:
            if key[2] == "GRANTED" and key[4] in wanted:
                lenders[key[4]].append(key[1])
        return {i: sorted(banks) for i, banks in lenders.items()}

    def claim_ingest_batch(self, batch_id: str, properties: dict) -> dict | None:
        if ("IngestBatch", batch_id) in self.nodes:
            return dict(self.nodes[("IngestBatch", batch_id)])
        self.nodes[("IngestBatch", batch_id)] = {**properties, "id": batch_id}
        return None

    def complete_ingest_batch(self, batch_id: str, report: str) -> None:
        self.nodes[("IngestBatch", batch_id)].update(report=report, status="done")

    def release_ingest_batch(self, batch_id: str) -> None:
        if self.nodes.get(("IngestBatch", batch_id), {}).get("status") == "pending":
            del self.nodes[("IngestBatch", batch_id)]

    def mark_firms_changed(self, firm_ids: Iterable[str], loan_ids: Iterable[str], changed_at: datetime) -> None:
        loans = set(loan_ids)
        borrowers = {k[1] for k in self.relationships if k[2] == "BORROWED" and k[4] in loans}
        for firm_id in set(firm_ids) | borrowers:
            if ("Firm", firm_id) in self.nodes:
                self.nodes[("Firm", firm_id)]["changed_at"] = changed_at

    def record_audit(self, events: list[dict]) -> None:
        for event in events:
            self.nodes[("AuditEvent", event["id"])] = dict(event)

    def audit_events(self, firm_id: str | None, key_id: str | None, skip: int, limit: int) -> list[dict]:
        events = [dict(p) for (label, _), p in self.nodes.items() if label == "AuditEvent"
                  and (firm_id is None or p.get("firm_id") == firm_id) and (key_id is None or p.get("key_id") == key_id)]
        events.sort(key=lambda e: e["id"])
        events.sort(key=lambda e: e["served_at"], reverse=True)
        return events[skip:skip + limit]

    def score_states(self, firm_ids: list[str]) -> dict[str, tuple[datetime | None, dict | None]]:
        def changed(firm: dict):
            stamps = [t for t in (firm.get("last_loaded_at"), firm.get("changed_at")) if t is not None]
            return max(stamps, default=None)

        return {firm_id: (changed(self.nodes[("Firm", firm_id)]), self.latest_score(firm_id))
                for firm_id in firm_ids if ("Firm", firm_id) in self.nodes}

    def network_hop(self, label: str, ids: list[str], fanout: int) -> list[dict]:
        rows = []
        for node_id in ids:
            if (label, node_id) not in self.nodes:
                continue
            for rel_type, key, other in self._ties(label, node_id)[:fanout]:
                end = self.nodes[other]
                rows.append({"type": rel_type, "from_label": key[0], "from_id": key[1], "to_label": key[3],
                             "to_id": key[4], "properties": {k: v for k, v in self.relationships[key].items()
                                                             if k not in LINEAGE_PROPERTIES},
                             "label": other[0], "id": other[1], "name": end.get("name"), "pd": end.get("pd"),
                             "grade": end.get("grade")})
        return rows

    def direct_guarantees(self, label: str, guarantor_id: str, bank_id: str | None) -> dict | None:
        guarantor = self.nodes.get((label, guarantor_id))
        if guarantor is None:
            return None
        guarantees = []
        for key, props in sorted(self.relationships.items()):
            if key[:3] != (label, guarantor_id, "GUARANTEES") or key[3] != "Loan":
                continue
            loan_id = key[4]
            loan = self.nodes[("Loan", loan_id)]
            banks = sorted(k[1] for k in self.relationships if k[2] == "GRANTED" and k[4] == loan_id)
            if bank_id is not None and bank_id not in banks:
                continue
            bank = bank_id or (banks[0] if banks else None)
            borrower_id = min((k[1] for k in self.relationships if k[2] == "BORROWED" and k[4] == loan_id),
                              default=None)
            borrower = self.nodes.get(("Firm", borrower_id), {}) if borrower_id else {}
            guarantees.append({
                "loan_id": loan_id, "status": loan.get("status"), "amount": loan.get("amount"),
                "outstanding": loan.get("outstanding"), "issued": loan.get("issued"), "guaranteed": props.get("amount"),
                "bank_id": bank, "borrower_id": borrower_id, "borrower_name": borrower.get("name"),
                "borrower_pd": borrower.get("pd"), "borrower_grade": borrower.get("grade"),
                "borrower_sector": borrower.get("sector"), "borrower_region": borrower.get("region")})
        return {"guarantor_id": guarantor_id, "guarantor_name": guarantor.get("name"), "guarantees": guarantees}

    def guarantees_of_firms(self, firm_ids: list[str]) -> list[dict]:
        wanted = set(firm_ids)
        rows = []
        for key, props in sorted(self.relationships.items()):
            if key[2] != "GUARANTEES" or key[0] != "Firm" or key[1] not in wanted or key[3] != "Loan":
                continue
            loan_id = key[4]
            loan = self.nodes[("Loan", loan_id)]
            borrower_id = min((k[1] for k in self.relationships if k[2] == "BORROWED" and k[4] == loan_id),
                              default=None)
            rows.append({
                "guarantor_id": key[1], "loan_id": loan_id, "status": loan.get("status"), "amount": loan.get("amount"),
                "outstanding": loan.get("outstanding"), "guaranteed": props.get("amount"),
                "banks": sorted(k[1] for k in self.relationships if k[2] == "GRANTED" and k[4] == loan_id),
                "borrower_id": borrower_id,
                "borrower_pd": self.nodes.get(("Firm", borrower_id), {}).get("pd") if borrower_id else None})
        return sorted(rows, key=lambda r: (r["guarantor_id"], r["loan_id"]))

    def set_node_properties(self, label: str, rows: list[dict]) -> None:
        for row in rows:
            if (label, row["id"]) in self.nodes:
                self.nodes[(label, row["id"])].update(row["properties"])

    def flag_firms(self, rows: list[dict], names: tuple[str, ...]) -> None:
        for (label, _), props in self.nodes.items():
            if label == "Firm":
                for name in names:
                    props.pop(name, None)
        for row in rows:
            if ("Firm", row["id"]) in self.nodes:
                self.nodes[("Firm", row["id"])].update(row["properties"])

    def delete_everything(self) -> None:
        self.nodes.clear()
        self.relationships.clear()
        self._adjacency = None
