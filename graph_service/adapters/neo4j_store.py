"""The Neo4j adapter of every store port: the only module that runs Cypher through the driver."""

from __future__ import annotations

import json

from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Iterable, Iterator

import neo4j
import neo4j.time

from graph_service.core.domain import FirmView, GraphCounts, NodeRow, RelationshipRow, ScoreRow, ServerInfo, Tie
from graph_service.core.graph_model import DISPLAY_LABELS, GraphModel, risk_band
from graph_service.core.settings import Settings
from cypher.library import load_library
from graph_service.adapters.neo4j_connection import create_driver
from graph_service.adapters.neo4j_runner import READ, WRITE, Neo4jRunner

DECLARED_TYPES_ID = "mappings"  # the one DeclaredTypes node
# The columns of exposure/direct_guarantees.cypher's rows, in order.
GUARANTEE_FIELDS = ("loan_id", "status", "amount", "outstanding", "issued", "guaranteed", "bank_id", "borrower_id",
                    "borrower_name", "borrower_pd", "borrower_grade", "borrower_sector", "borrower_region")
# The columns of exposure/guarantees_of_firms.cypher's rows, in order.
CHAIN_FIELDS = ("guarantor_id", "loan_id", "status", "amount", "outstanding", "guaranteed", "banks", "borrower_id",
                "borrower_pd")


def plain(value: Any) -> Any:
    """A driver value as plain Python (Neo4j temporal types become datetime/date)."""
    if isinstance(value, (neo4j.time.Date, neo4j.time.DateTime)):
        return value.to_native()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


# A node's type is its first label that is not a display label (a scored firm also has its risk band's).
DISPLAY = list(DISPLAY_LABELS)


class Neo4jStore(Neo4jRunner):
    """Every store port on Neo4j: which statement each method runs (Neo4jRunner: how)."""

    def _read(self, name: str, **params: Any) -> list[neo4j.Record]:
        return self._run(self.cypher.query(name), READ, params)

    def _write(self, query: str, **params: Any) -> list[neo4j.Record]:
        return self._run(query, WRITE, params)

    def server_info(self) -> ServerInfo:
        record = self._read("admin/server_info")[0]
        return ServerInfo(version=record["version"], edition=record["edition"])

    def apply_schema(self, model: GraphModel) -> list[str]:
        applied = []
        for label in sorted(model.nodes):
            self._write(self.cypher.query("schema/node_id_unique", label=label))
            applied.append(f"{label}_id_unique")
        for name in self.cypher.names("schema"):
            if not self.cypher.placeholders(name):
                self._write(self.cypher.query(name))
                applied.append(name)
        return applied

    def constraints(self) -> dict[str, tuple[str, ...]]:
        return {
            r["name"]: (*r["labelsOrTypes"], *r["properties"])
            for r in self._read("admin/list_constraints")
            if r["type"] in ("UNIQUENESS", "NODE_PROPERTY_UNIQUENESS")
        }

    def merge_nodes(self, label: str, rows: list[NodeRow], source: str, loaded_at: datetime) -> None:
        self._write(
            self.cypher.query("ingest/merge_nodes", label=label),
            rows=[{"id": r.id, "properties": r.properties} for r in rows], source=source, loaded_at=loaded_at,
        )

    def save_declared_types(self, declared: dict) -> None:
        self._write(self.cypher.query("ingest/save_declared_types"), id=DECLARED_TYPES_ID,
                    json=json.dumps(declared, sort_keys=True))

    def declared_types(self) -> dict | None:
        records = self._read("ingest/declared_types", id=DECLARED_TYPES_ID)
        return json.loads(records[0]["json"]) if records else None

    def merge_bank_loans(self, bank_id: str, rows: list[NodeRow], source: str, loaded_at: datetime) -> set[int]:
        records = self._write(self.cypher.query("ingest/merge_bank_loans"), bank_id=bank_id, source=source,
                              loaded_at=loaded_at, rows=[{"id": r.id, "properties": r.properties, "line": r.line}
                                                         for r in rows])
        return set(records[0]["written"]) if records else set()

    def merge_relationships(
        self, rel_type: str, source_label: str, target_label: str,
        rows: list[RelationshipRow], source: str, loaded_at: datetime,
    ) -> set[int]:
        query = self.cypher.query(
            "ingest/merge_relationships", type=rel_type, source_label=source_label, target_label=target_label
        )
        params = [{"from_id": r.from_id, "to_id": r.to_id, "properties": r.properties, "line": r.line} for r in rows]
        records = self._write(query, rows=params, source=source, loaded_at=loaded_at)
        return set(records[0]["written"]) if records else set()

    def missing_ids(self, label: str, ids: Iterable[str]) -> set[str]:
        query = self.cypher.query("ingest/missing_ids", label=label)
        return set(self._run(query, READ, {"ids": sorted(set(ids))})[0]["missing"])

    def firm_with_ties(self, firm_id: str, limit: int) -> FirmView | None:
        records = self._read("firms/firm_with_ties", firm_id=firm_id, limit=limit, display_labels=DISPLAY)
        if not records:
            return None
        record = records[0]
        firm = plain(record["firm"])
        ties = [Tie(**{**t, "properties": plain(t["properties"])}) for t in record["ties"]]
        return FirmView(id=firm.pop("id"), properties=firm, ties=ties, tie_count=record["tie_count"])

    def graph_counts(self) -> GraphCounts:
        r = self._read("admin/graph_counts")[0]
        return GraphCounts(r["nodes"], r["node_properties"], r["relationships"], r["relationship_properties"])

    def counts_by_type(self) -> dict[tuple[str, str], int]:
        return {(r["kind"], r["name"]): r["count"] for r in self._read("admin/counts_by_type")}

    def node_labels(self) -> list[str]:
        return [r["label"] for r in self._read("export/node_labels")]

    def relationship_types(self) -> list[str]:
        return [r["type"] for r in self._read("export/relationship_types")]

    def _stream(self, query: str, **params: Any) -> Iterator[neo4j.Record]:
        with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS,
                                 fetch_size=20_000) as session:
            yield from session.run(query, params)

    # Exports leave the lineage out (its time-zoned datetimes cost more to decode than all the rest).
    def export_nodes(self, label: str) -> Iterator[tuple[str, dict]]:
        for record in self._stream(self.cypher.query("export/nodes_of_label", label=label)):
            yield record["id"], {k: plain(v) for k, v in record["properties"].items() if v is not None}

    def export_relationships(self, rel_type: str) -> Iterator[tuple[str, str, str, str, dict]]:
        for r in self._stream(self.cypher.query("export/relationships_of_type", type=rel_type),
                              display_labels=DISPLAY):
            yield (r["from_label"], r["from_id"], r["to_label"], r["to_id"],
                   {k: plain(v) for k, v in r["properties"].items() if v is not None})

    def save_model(self, version: str, properties: dict) -> None:
        self._write(self.cypher.query("scoring/merge_model"), version=version, properties=properties)

    def save_scores(self, version: str, rows: list[ScoreRow]) -> int:
        banded = [{"firm_id": r.firm_id, "properties": r.properties, "band": risk_band(r.properties.get("grade"))}
                  for r in rows]
        records = self._write(self.cypher.query("scoring/write_scores"), version=version, rows=banded, bands=DISPLAY)
        return records[0]["written"] if records else 0

    def latest_score(self, firm_id: str) -> dict | None:
        records = self._read("scoring/latest_score", firm_id=firm_id)
        return plain(records[0]["score"]) if records else None

    def score_history(self, firm_id: str, limit: int) -> list[dict]:
        return [plain(r["score"]) for r in self._read("scoring/score_history", firm_id=firm_id, limit=limit)]

    def find_firms(self, text: str, limit: int) -> list[dict]:
        return [plain(dict(r)) for r in self._read("firms/find_firms", text=text, limit=limit)]

    def firm_neighbourhood(self, firm_id: str, fanout_1: int, fanout_2: int) -> tuple[list[dict], list[dict]] | None:
        records = self._read("scoring/firm_neighbourhood", firm_id=firm_id, fanout_1=fanout_1, fanout_2=fanout_2,
                             display_labels=DISPLAY)
        if not records:
            return None

        def present(rows: list[dict]) -> list[dict]:
            return [{**row, "properties": {k: plain(v) for k, v in row["properties"].items() if v is not None}}
                    for row in rows]

        return present(records[0]["nodes"]), present(records[0]["rels"])

    def save_api_key(self, key: dict) -> None:
        self._write(self.cypher.query("access/save_api_key"), key=key)

    def api_key(self, key_id: str) -> dict | None:
        records = self._read("access/api_key", key_id=key_id)
        return plain(records[0]["key"]) if records else None

    def api_keys(self) -> list[dict]:
        return [plain(r["key"]) for r in self._read("access/api_keys")]

    def revoke_api_key(self, key_id: str, revoked_at: datetime) -> bool:
        return bool(self._write(self.cypher.query("access/revoke_api_key"), key_id=key_id, revoked_at=revoked_at))

    def node_exists(self, label: str, node_id: str) -> bool:
        return self._run(self.cypher.query("access/node_exists", label=label), READ, {"id": node_id})[0]["exists"]

    def loan_lenders(self, loan_ids: Iterable[str]) -> dict[str, list[str]]:
        records = self._read("access/loan_lenders", loan_ids=sorted(set(loan_ids)))
        return {r["loan_id"]: sorted(r["banks"]) for r in records}

    def claim_ingest_batch(self, batch_id: str, properties: dict, stale_before: datetime | None = None) -> dict | None:
        record = self._write(self.cypher.query("access/claim_ingest_batch"), batch_id=batch_id,
                             properties=properties, stale_before=stale_before)[0]
        return None if record["claimed"] else plain(record["batch"])

    def renew_ingest_batch(self, batch_id: str, renewed_at: datetime) -> None:
        self._write(self.cypher.query("access/renew_ingest_batch"), batch_id=batch_id, renewed_at=renewed_at)

    def complete_ingest_batch(self, batch_id: str, report: str) -> None:
        self._write(self.cypher.query("access/complete_ingest_batch"), batch_id=batch_id, report=report)

    def release_ingest_batch(self, batch_id: str) -> None:
        self._write(self.cypher.query("access/release_ingest_batch"), batch_id=batch_id)

    def mark_firms_changed(self, firm_ids: Iterable[str], loan_ids: Iterable[str], changed_at: datetime) -> None:
        self._write(self.cypher.query("scoring/mark_firms_changed"), firm_ids=sorted(set(firm_ids)),
                    loan_ids=sorted(set(loan_ids)), changed_at=changed_at)

    def record_audit(self, events: list[dict]) -> None:
        self._write(self.cypher.query("audit/record_events"), events=events)

    def audit_events(self, firm_id: str | None, key_id: str | None, skip: int, limit: int) -> list[dict]:
        records = self._read("audit/events", firm_id=firm_id, key_id=key_id, skip=skip, limit=limit)
        return [plain(r["event"]) for r in records]

    def score_states(self, firm_ids: list[str]) -> dict[str, tuple[datetime | None, dict | None]]:
        records = self._read_once("scoring/score_states", firm_ids=firm_ids)
        return {r["firm_id"]: (plain(r["changed_at"]), plain(r["score"])) for r in records}

    def network_hop(self, label: str, ids: list[str], fanout: int) -> list[dict]:
        query = self.cypher.query("firms/network_hop", label=label)
        records = self._run(query, READ, {"ids": ids, "fanout": fanout, "display_labels": DISPLAY})
        return [{**r.data(), "properties": {k: plain(v) for k, v in r["properties"].items() if v is not None}}
                for r in records]

    def direct_guarantees(self, label: str, guarantor_id: str, bank_id: str | None) -> dict | None:
        query = self.cypher.query("exposure/direct_guarantees", label=label)
        records = self._run(query, READ, {"guarantor_id": guarantor_id, "bank_id": bank_id})
        if not records:
            return None
        guarantees = []
        for row in records[0]["guarantees"]:
            g = dict(zip(GUARANTEE_FIELDS, row))
            g["issued"] = date.fromisoformat(g["issued"]) if g["issued"] else None
            guarantees.append(g)
        return {"guarantor_id": records[0]["guarantor_id"], "guarantor_name": records[0]["guarantor_name"],
                "guarantees": guarantees}

    def guarantees_of_firms(self, firm_ids: list[str]) -> list[dict]:
        records = self._read("exposure/guarantees_of_firms", firm_ids=sorted(set(firm_ids)))
        rows = [dict(zip(CHAIN_FIELDS, r["row"])) for r in records]
        for row in rows:
            row["banks"] = sorted(row["banks"])
        return rows

    def set_node_properties(self, label: str, rows: list[dict]) -> None:
        query = self.cypher.query("annotations/set_node_properties", label=label)
        for start in range(0, len(rows), 10_000):
            self._write(query, rows=rows[start:start + 10_000])

    def flag_firms(self, rows: list[dict], names: tuple[str, ...]) -> None:
        clear = self.cypher.query("patterns/clear_firm_flags")
        self._write(clear, cleared={name: None for name in names})
        for start in range(0, len(rows), 10_000):
            self._write(self.cypher.query("patterns/flag_firms"), rows=rows[start:start + 10_000])

    def delete_everything(self) -> None:
        """Empty the database (tests and benchmarks); auto-commit, as CALL IN TRANSACTIONS needs."""
        with self.driver.session(database=self.database) as session:
            session.run(self.cypher.query("admin/delete_all")).consume()


@contextmanager
def open_neo4j_store(settings: Settings) -> Iterator[Neo4jStore]:
    """A store over a new driver, closed on exit (one per process: CLI command or API worker)."""
    driver = create_driver(settings)
    try:
        yield Neo4jStore(driver, settings.neo4j_database, load_library(settings.cypher_dir))
    finally:
        driver.close()
