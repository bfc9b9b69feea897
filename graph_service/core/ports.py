"""What the services need from a graph store, as narrow ports by use. Neo4jStore is the real adapter;
MemoryStore the fake; both implement every port (GraphStore, their union).

Both pass the same contract tests (tests/contract/, a file per port), so a service tested on the fake
behaves the same on Neo4j. Each service asks only for the port(s) it uses; GraphStore is for the
composition roots that build a store and hand it on (API app factory, CLI, tests, benchmarks).

Rows written through a port are dataclasses of graph_service.core.domain:
  NodeRow(id, properties, line)                       to GraphWriter.merge_nodes
  RelationshipRow(from_id, to_id, properties, line)   to GraphWriter.merge_relationships (the ends' labels
                                                      are its arguments; a row's from_label/to_label, as a
                                                      loader validated them, are not read by the store)
  ScoreRow(firm_id, properties)                       to ScoreStore.save_scores
Other rows (API keys, audit events, flags, answers to queries) are still plain dicts, as documented.
"""

from __future__ import annotations

from datetime import datetime
from typing import Iterable, Iterator, Protocol

from graph_service.core.domain import FirmView, GraphCounts, NodeRow, RelationshipRow, ScoreRow, ServerInfo
from graph_service.core.graph_model import GraphModel


class StoreAdmin(Protocol):
    """The server, its schema and what the graph holds: health checks, `trustnet init-schema` and `trustnet stats`."""

    def server_info(self) -> ServerInfo:
        """Raises StoreUnavailable when the store cannot be reached."""

    def apply_schema(self, model: GraphModel) -> list[str]:
        """Create the constraints and indexes for every label of the model (idempotent)."""

    def constraints(self) -> dict[str, tuple[str, ...]]:
        """Uniqueness constraints: name -> (label, property...)."""

    def graph_counts(self) -> GraphCounts: ...

    def counts_by_type(self) -> dict[tuple[str, str], int]:
        """(kind, name) -> count, kind being "node" or "relationship"."""


class GraphWriter(Protocol):
    """Facts into the graph (loaders, API ingestion) and what is derived from them put back on nodes."""

    def merge_nodes(self, label: str, rows: list[NodeRow], source: str, loaded_at: datetime) -> None:
        """Create or update nodes keyed by id, in one transaction."""

    def merge_relationships(
        self, rel_type: str, source_label: str, target_label: str,
        rows: list[RelationshipRow], source: str, loaded_at: datetime,
    ) -> set[int]:
        """Create or update relationships in one transaction; returns the lines written
        (a row whose endpoint does not exist is not written)."""

    def save_declared_types(self, declared: dict) -> None:
        """Keep the types mapping files declared (graph_service/core/declared_types.py), replacing
        what was kept before (the caller merges)."""

    def declared_types(self) -> dict | None:
        """The types kept by save_declared_types, None if no mapping declared any."""

    def merge_bank_loans(self, bank_id: str, rows: list[NodeRow], source: str, loaded_at: datetime) -> set[int]:
        """Create or update these loans as granted by the bank, in one transaction that decides each
        loan's lender: a loan another bank granted is left alone. Returns the lines written."""

    def missing_ids(self, label: str, ids: Iterable[str]) -> set[str]:
        """The ids among `ids` that have no node of this label."""

    def set_node_properties(self, label: str, rows: list[dict]) -> None:
        """Set rows' {"id", "properties"} on the nodes of `label` with those ids (others are skipped)."""

    def flag_firms(self, rows: list[dict], names: tuple[str, ...]) -> None:
        """Remove the properties `names` from every firm, then set rows' {"id", "properties"} on theirs."""

    def mark_firms_changed(self, firm_ids: Iterable[str], loan_ids: Iterable[str], changed_at: datetime) -> None:
        """Stamp changed_at on these firms and on the borrowers of these loans (their scores go stale)."""


class SnapshotSource(Protocol):
    """The graph read whole, type by type: what read_snapshot needs (training, batch scoring, track
    records, network views). Besides the stores, FileSnapshotSource reads loader files this way."""

    def node_labels(self) -> list[str]:
        """Labels present in the graph, sorted."""

    def relationship_types(self) -> list[str]:
        """Relationship types present in the graph, sorted."""

    def export_nodes(self, label: str) -> Iterator[tuple[str, dict]]:
        """(id, properties) of every node of a label, ordered by id; lineage properties left out."""

    def export_relationships(self, rel_type: str) -> Iterator[tuple[str, str, str, str, dict]]:
        """(from_label, from_id, to_label, to_id, properties) of every relationship of a type, ordered;
        lineage properties left out."""



class ScoreStore(Protocol):
    """Trained models and the scores they gave, and what serving needs to tell a stored score is current."""

    def save_model(self, version: str, properties: dict) -> None:
        """Create or update the Model node of a trained model."""

    def save_scores(self, version: str, rows: list[ScoreRow]) -> int:
        """A Score node per row (its properties), tied to its firm and model; the firm keeps its latest
        pd, score, grade and scored_at as properties. Returns how many were written: none if the
        model has no Model node (save_model first), none for a row whose firm is not there."""

    def latest_score(self, firm_id: str) -> dict | None: ...

    def score_history(self, firm_id: str, limit: int) -> list[dict]:
        """The firm's Score nodes' properties, newest first, at most `limit`."""

    def score_states(self, firm_ids: list[str]) -> dict[str, tuple[datetime | None, dict | None]]:
        """firm id -> (when its facts last changed: the later of last_loaded_at and changed_at; its latest
        score or None); absent firms are left out."""


class AccessStore(Protocol):
    """What the API keeps about its callers: keys, idempotent ingestion batches, the audit trail."""

    def save_api_key(self, key: dict) -> None:
        """Create an ApiKey node from {"id", "hash", "role", "acts_for_label", "acts_for_id", ...}."""

    def api_key(self, key_id: str) -> dict | None: ...

    def api_keys(self) -> list[dict]:
        """Every key, oldest first."""

    def revoke_api_key(self, key_id: str, revoked_at: datetime) -> bool:
        """False if there is no such key; a key revoked twice keeps its first revocation time."""

    def node_exists(self, label: str, node_id: str) -> bool:
        """Whether there is a node of this label and id (the node a new key is to act for)."""

    def claim_ingest_batch(self, batch_id: str, properties: dict, stale_before: datetime | None = None) -> dict | None:
        """Claim an idempotency key: None if this call claimed it (the batch is stored with these
        properties), else the batch already there (another call's, pending or done). A pending claim
        last renewed (or, never renewed, created) before stale_before is taken over: its writer is gone."""

    def renew_ingest_batch(self, batch_id: str, renewed_at: datetime) -> None:
        """A writer still at work on its pending batch says so (renewed_at); a done or missing batch is left alone."""

    def complete_ingest_batch(self, batch_id: str, report: str) -> None:
        """Keep the answer (JSON text) of a claimed batch and mark it done."""

    def release_ingest_batch(self, batch_id: str) -> None:
        """Forget a claimed batch that is still pending (its writing failed), so it can be sent again."""

    def record_audit(self, events: list[dict]) -> None:
        """An AuditEvent node per event (a flat dict with an "id" and "served_at")."""

    def audit_events(self, firm_id: str | None, key_id: str | None, skip: int, limit: int) -> list[dict]:
        """Events newest first, optionally for one firm and/or one key."""


class NetworkQueries(Protocol):
    """Bounded reads of the network around given nodes: a firm and its ties, hops, the neighbourhood an
    on-demand score is computed from, lenders, guarantees."""

    def firm_with_ties(self, firm_id: str, limit: int) -> FirmView | None:
        """The firm and at most `limit` of its direct ties (not its Score nodes); None if there is no such firm."""

    def find_firms(self, text: str, limit: int) -> list[dict]:
        """Firms whose id is `text`, or whose id or name contains it (case-insensitive): the exact id
        first, then by name and id; {"id", "name", "sector", "region", "grade", "pd"} each."""

    def network_hop(self, label: str, ids: list[str], fanout: int) -> list[dict]:
        """For each node (label, id): its first `fanout` ties (by type, then other end's id), as
        {"type", "from_label", "from_id", "to_label", "to_id", "properties", "label", "id", "name", "pd", "grade"}
        where label/id/name/pd/grade describe the node at the other end."""

    def firm_neighbourhood(self, firm_id: str, fanout_1: int, fanout_2: int) -> tuple[list[dict], list[dict]] | None:
        """The firm's ties to 2 hops (at most fanout_1 at the firm, fanout_2 at each neighbour, ordered by
        type then id) and the loans of the firms reached: (nodes, relationships) as
        snapshot_from_rows takes them; None if there is no such firm."""

    def loan_lenders(self, loan_ids: Iterable[str]) -> dict[str, list[str]]:
        """For each of these loans that exists: the ids of the banks that granted it, sorted."""

    def direct_guarantees(self, label: str, guarantor_id: str, bank_id: str | None) -> dict | None:
        """{"guarantor_id", "guarantor_name", "guarantees": [...]} of a guarantor (a Guarantor or a Firm),
        one per guaranteed loan (its lender: bank_id if given, else the first by id; its borrower: the
        first by id), only loans bank_id granted when it is given; None if there is no such guarantor."""

    def guarantees_of_firms(self, firm_ids: list[str]) -> list[dict]:
        """The GUARANTEES these firms give, ordered by guarantor then loan: {"guarantor_id", "loan_id",
        "status", "amount", "outstanding", "guaranteed", "banks" (sorted), "borrower_id" (the first by
        id, or None), "borrower_pd"}."""


# --- use cases that need two or three ports: named, so each service still states what it uses ---

class LoadTarget(StoreAdmin, GraphWriter, Protocol):
    """Loading files (services.ingest.load): the schema first, then the rows."""


class ScoringStore(SnapshotSource, ScoreStore, Protocol):
    """Training and batch scoring: a snapshot in, models and scores out."""


class OnDemandScoring(NetworkQueries, ScoreStore, Protocol):
    """Scoring one firm now (and serving scores): its neighbourhood in, its score out."""


class AnnotatingStore(SnapshotSource, GraphWriter, Protocol):
    """Derived facts (track records, guarantee-pattern flags): read the graph, put results on nodes."""


class IngestEndpointStore(AccessStore, GraphWriter, NetworkQueries, Protocol):
    """API ingestion: an idempotent batch, checked against the loans' lenders, written as facts."""


class GraphStore(StoreAdmin, GraphWriter, SnapshotSource, ScoreStore, AccessStore, NetworkQueries, Protocol):
    """Every port: only for composition roots (API app factory, CLI, tests, benchmarks)."""
