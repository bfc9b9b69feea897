"""NetworkQueries in memory."""

from __future__ import annotations

from typing import Iterable

from graph_service.adapters.memory.graph import MemoryGraph, present
from graph_service.core.domain import FirmView, Tie


class MemoryNetwork(MemoryGraph):
    def find_firms(self, text: str, limit: int) -> list[dict]:
        wanted = text.lower()
        found = [(0 if firm_id == text else 1, props.get("name") or "", firm_id, props)
                 for (label, firm_id), props in self.nodes.items()
                 if label == "Firm" and (firm_id == text or wanted in firm_id.lower()
                                         or wanted in (props.get("name") or "").lower())]
        return [{"id": firm_id, **{k: props.get(k) for k in ("name", "sector", "region", "grade", "pd")}}
                for _, _, firm_id, props in sorted(found, key=lambda f: f[:3])[:limit]]

    def firm_with_ties(self, firm_id: str, limit: int) -> FirmView | None:
        firm = self.nodes.get(("Firm", firm_id))
        if firm is None:
            return None
        ties = []
        for (s_label, s_id, rel_type, t_label, t_id), props in self.relationships.items():
            if "Score" in (s_label, t_label):  # its scores are not ties in the network
                continue
            if (s_label, s_id) == ("Firm", firm_id):
                ties.append(Tie(rel_type, "out", t_label, t_id, self.nodes[(t_label, t_id)].get("name"), dict(props)))
            elif (t_label, t_id) == ("Firm", firm_id):
                ties.append(Tie(rel_type, "in", s_label, s_id, self.nodes[(s_label, s_id)].get("name"), dict(props)))
        ties.sort(key=lambda t: (t.type, t.id, t.direction))
        properties = {k: v for k, v in firm.items() if k != "id"}
        return FirmView(id=firm_id, properties=properties, ties=ties[:limit], tie_count=len(ties))

    def network_hop(self, label: str, ids: list[str], fanout: int) -> list[dict]:
        rows = []
        for node_id in ids:
            if (label, node_id) not in self.nodes:
                continue
            for rel_type, key, other in self._ties(label, node_id)[:fanout]:
                end = self.nodes[other]
                rows.append({"type": rel_type, "from_label": key[0], "from_id": key[1], "to_label": key[3],
                             "to_id": key[4], "properties": present(self.relationships[key]),
                             "label": other[0], "id": other[1], "name": end.get("name"), "pd": end.get("pd"),
                             "grade": end.get("grade")})
        return rows

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
        node_rows = [{"label": label, "id": node_id, "properties": present(self.nodes[(label, node_id)])}
                     for label, node_id in sorted(nodes)]
        rel_rows = [{"type": k[2], "from_label": k[0], "from_id": k[1], "to_label": k[3], "to_id": k[4],
                     "properties": present(self.relationships[k])} for k in sorted(rels)]
        return node_rows, rel_rows

    def loan_lenders(self, loan_ids: Iterable[str]) -> dict[str, list[str]]:
        wanted = {i for i in loan_ids if ("Loan", i) in self.nodes}
        lenders: dict[str, list[str]] = {i: [] for i in wanted}
        for key in self.relationships:
            if key[2] == "GRANTED" and key[4] in wanted:
                lenders[key[4]].append(key[1])
        return {i: sorted(banks) for i, banks in lenders.items()}

    def _banks(self, loan_id: str) -> list[str]:
        return sorted(k[1] for k in self.relationships if k[2] == "GRANTED" and k[4] == loan_id)

    def _borrower(self, loan_id: str) -> str | None:
        """The first borrower of a loan by id."""
        return min((k[1] for k in self.relationships if k[2] == "BORROWED" and k[4] == loan_id), default=None)

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
            banks = self._banks(loan_id)
            if bank_id is not None and bank_id not in banks:
                continue
            bank = bank_id or (banks[0] if banks else None)
            borrower_id = self._borrower(loan_id)
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
            borrower_id = self._borrower(loan_id)
            rows.append({
                "guarantor_id": key[1], "loan_id": loan_id, "status": loan.get("status"), "amount": loan.get("amount"),
                "outstanding": loan.get("outstanding"), "guaranteed": props.get("amount"),
                "banks": self._banks(loan_id), "borrower_id": borrower_id,
                "borrower_pd": self.nodes.get(("Firm", borrower_id), {}).get("pd") if borrower_id else None})
        return sorted(rows, key=lambda r: (r["guarantor_id"], r["loan_id"]))
