"""Ingestion through the API: a JSON batch of one node or relationship type, validated row by row
with the loaders' rules, written in one transaction per type, answered with a per-row report.

A partner submits facts only as itself: what it may send depends on the kind of node it acts for
(a chamber can recommend, not lend), and every row must have the partner at its own end. Admins may
send anything loadable. A batch sent again under the same idempotency key changes nothing and gets
the first answer again; one still being written answers 409. The firms the facts touch (themselves,
their ties, the loans they borrowed) are marked changed, so their next score is computed afresh.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import Iterator
from pathlib import Path

from graph_service.core.domain import NodeRow, RelationshipRow
from graph_service.core.errors import BatchInProgress, Forbidden, IdempotencyConflict
from graph_service.core.graph_model import GraphModel
from graph_service.services.api_keys import Principal
from graph_service.services.ingest import write_relationships
from graph_service.core.ports import GraphWriter, IngestEndpointStore
from loaders.file_spec import FileSpec
from loaders.validation import RowValidator

# What a partner may submit, by the label of the node it acts for: (kind, type) -> the checks on each
# row. "self": the node is the partner; "from"/"to": that end is the partner; "loan_new_or_own": the
# loan (the row's id) is new or the partner bank granted it; "loan_own": the loan (to_id) is one the
# partner bank granted; "loan_open": the loan (to_id) exists and no other bank granted it.
# A bank's new loans are recorded as GRANTED by it, in the same request.
PARTNER_FACTS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    "Chamber": {("node", "Chamber"): ("self",), ("relationship", "RECOMMENDS"): ("from",),
                ("relationship", "MEMBER_OF"): ("to",)},
    "Market": {("node", "Market"): ("self",), ("relationship", "RECOMMENDS"): ("from",),
               ("relationship", "MEMBER_OF"): ("to",)},
    "Bank": {("node", "Bank"): ("self",), ("node", "Loan"): ("loan_new_or_own",),
             ("relationship", "GRANTED"): ("from", "loan_open"), ("relationship", "BORROWED"): ("loan_own",),
             ("relationship", "GUARANTEES"): ("loan_own",)},
    "Guarantor": {("node", "Guarantor"): ("self",)},
    "Firm": {("node", "Firm"): ("self",), ("relationship", "TRADES_WITH"): ("from",)},
}


def _checks_for(principal: Principal, kind: str, type_name: str) -> tuple[str, ...] | None:
    """The checks on a partner's rows (None for an admin); Forbidden if it may not send these at all."""
    if principal.role == "admin":
        return None
    if principal.role != "partner":
        raise Forbidden(f"a {principal.role} key cannot submit data")
    allowed = PARTNER_FACTS.get(principal.acts_for_label or "", {})
    if (kind, type_name) not in allowed:
        may = ", ".join(sorted(t for _, t in allowed)) or "nothing"
        raise Forbidden(f"a partner acting for a {principal.acts_for_label} may submit {may}; not {type_name}")
    return allowed[(kind, type_name)]


def _refusal(check: str, principal: Principal, row: NodeRow | RelationshipRow,
             lenders: dict[str, list[str]]) -> tuple[str, str] | None:
    """(field, message) if the row breaks the check. Another's loan and a missing one read the same."""
    me, label = principal.acts_for_id, principal.acts_for_label
    what = f"the {label} {me!r} this key acts for"
    if check == "self" and row.id != me:
        return "id", f"must be {what}"
    if check == "from" and (row.from_label, row.from_id) != (label, me):
        return "from_id", f"must be {what}"
    if check == "to" and (row.to_label, row.to_id) != (label, me):
        return "to_id", f"must be {what}"
    if check == "loan_new_or_own" and row.id in lenders and me not in lenders[row.id]:
        return "id", f"must be a new loan or one the Bank {me!r} granted"
    if check == "loan_own" and me not in lenders.get(row.to_id, []):
        return "to_id", f"must be a loan the Bank {me!r} granted"
    if check == "loan_open" and (row.to_id not in lenders or set(lenders[row.to_id]) - {me}):
        return "to_id", f"must be a loan the Bank {me!r} posted and no other bank granted"
    return None


def batch_digest(kind: str, type_name: str, rows: list) -> str:
    return hashlib.sha256(json.dumps([kind, type_name, rows], sort_keys=True, default=str).encode()).hexdigest()


log = logging.getLogger(__name__)


@contextmanager
def _claim_renewed(store: IngestEndpointStore, batch_id: str, every_s: float) -> Iterator[None]:
    """Renew the claim every every_s while the batch is written. Once the writer is gone (Neo4j died
    under it, its worker was killed) nobody renews, and the claim lapses for a retry to take over."""
    done = threading.Event()

    def renew() -> None:
        while not done.wait(every_s):
            try:
                store.renew_ingest_batch(batch_id, datetime.now(timezone.utc))
            except Exception as exc:  # Neo4j unreachable: the write will fail too, and the claim lapse
                log.debug("could not renew the claim on %s: %s", batch_id, exc)

    renewer = threading.Thread(target=renew, name="ingest-claim-renewal", daemon=True)
    renewer.start()
    try:
        yield
    finally:
        done.set()  # a renewal still in flight changes nothing once the batch is done or released


def ingest_batch(store: IngestEndpointStore, model: GraphModel, principal: Principal, kind: str, type_name: str,
                 rows: list[dict], idempotency_key: str, claim_ttl_s: int = 10) -> tuple[dict, bool]:
    """(the report, whether it replays an earlier identical batch). The claim on the key is renewed
    every claim_ttl_s / 3 while the batch is written; a pending claim not renewed for claim_ttl_s
    (its writer is gone) is taken over, so a retry always gets an answer and never waits on the dead."""
    if not (model.node(type_name) if kind == "node" else model.relationship(type_name)).loadable:
        raise Forbidden(f"{type_name} is written by TrustNet itself, not loaded")
    checks = _checks_for(principal, kind, type_name)
    batch_id = f"{principal.key_id}:{idempotency_key}"
    digest = batch_digest(kind, type_name, rows)
    now = datetime.now(timezone.utc)
    earlier = store.claim_ingest_batch(batch_id, {"digest": digest, "status": "pending", "key_id": principal.key_id,
                                                  "created_at": now}, now - timedelta(seconds=claim_ttl_s))
    if earlier is not None:
        if earlier["digest"] != digest:
            raise IdempotencyConflict(f"Idempotency-Key {idempotency_key!r} was used for a different batch")
        if earlier.get("status") != "done":
            signed = earlier.get("renewed_at") or earlier.get("created_at")
            wait = claim_ttl_s if signed is None else max(1, int(claim_ttl_s - (now - signed).total_seconds()) + 1)
            raise BatchInProgress(f"a batch with Idempotency-Key {idempotency_key!r} is still being written; "
                                  "send it again in a moment", retry_after_s=wait)
        return json.loads(earlier["report"]), True
    try:
        with _claim_renewed(store, batch_id, claim_ttl_s / 3):
            report = _ingest(store, model, principal, kind, type_name, rows, checks)
    except BaseException:
        store.release_ingest_batch(batch_id)
        raise
    store.complete_ingest_batch(batch_id, json.dumps(report))
    return report, False


def _ingest(store: IngestEndpointStore, model: GraphModel, principal: Principal, kind: str, type_name: str,
            rows: list[dict], checks: tuple[str, ...] | None) -> dict:
    source = f"api:{principal.acts_for_label}:{principal.acts_for_id}" if principal.acts_for_id else "api:platform"
    spec = FileSpec(path=Path(type_name), format="json", kind=kind, type_name=type_name, source=source)
    validator = RowValidator(model, spec, None, within="batch", position="row")
    errors: list[dict] = []
    valid: list = []  # NodeRow or RelationshipRow, as the batch's kind
    for number, raw in enumerate(rows):
        if not isinstance(raw, dict):
            errors.append({"row": number, "field": "(row)", "message": "must be a JSON object"})
            continue
        checked = validator.validate(number, raw)
        if isinstance(checked, (NodeRow, RelationshipRow)):
            valid.append(checked)
        else:
            errors.extend({"row": number, "field": f, "message": m} for f, m in checked.errors)
    lenders: dict[str, list[str]] = {}
    if checks and any(c.startswith("loan") for c in checks):
        lenders = store.loan_lenders({r.id if kind == "node" else r.to_id for r in valid})
    if checks:
        allowed = []
        for row in valid:
            refusal = next((r for c in checks if (r := _refusal(c, principal, row, lenders))), None)
            if refusal is None:
                allowed.append(row)
            else:
                errors.append({"row": row.line, "field": refusal[0], "message": refusal[1]})
        valid = allowed
    if checks and kind == "node" and type_name == "Loan":
        written_rows = _write_bank_loans(store, principal, valid, source, errors)
    else:
        written_rows = _write(store, kind, type_name, valid, source, errors)
    _mark_changed(store, kind, type_name, written_rows)
    errors.sort(key=lambda e: (e["row"], e["field"]))
    return {"type": type_name, "kind": kind, "received": len(rows), "written": len(written_rows),
            "rejected": len({e["row"] for e in errors}), "errors": errors}


def _write_bank_loans(store: GraphWriter, principal: Principal, rows: list[NodeRow], source: str,
                      errors: list[dict]) -> list[NodeRow]:
    """A bank's loans are its own: each is written with its GRANTED tie in one transaction that decides
    the lender, so two banks posting the same new loan at once cannot both become its lender."""
    if not rows:
        return []
    written = store.merge_bank_loans(principal.acts_for_id, rows, source, datetime.now(timezone.utc))
    refused = [r for r in rows if r.line not in written]
    errors.extend({"row": r.line, "field": "id", "message": f"must be a new loan or one the Bank "
                   f"{principal.acts_for_id!r} granted"} for r in refused)
    return [r for r in rows if r.line in written]


def _mark_changed(store: GraphWriter, kind: str, type_name: str,
                  written: list[NodeRow] | list[RelationshipRow]) -> None:
    """Stored scores of the firms these facts touch are no longer current (stamped after the write)."""
    if kind == "node":
        touched = [(type_name, r.id) for r in written]
    else:
        touched = [end for r in written for end in ((r.from_label, r.from_id), (r.to_label, r.to_id))]
    firms = {node_id for label, node_id in touched if label == "Firm"}
    loans = {node_id for label, node_id in touched if label == "Loan"}
    if firms or loans:
        store.mark_firms_changed(firms, loans, datetime.now(timezone.utc))


def _write(store: GraphWriter, kind: str, type_name: str, rows: list[NodeRow] | list[RelationshipRow], source: str,
           errors: list[dict]) -> list[NodeRow] | list[RelationshipRow]:
    """Writes the rows; returns those written (a relationship whose end is unknown is reported)."""
    if not rows:
        return []
    now = datetime.now(timezone.utc)
    if kind == "node":
        store.merge_nodes(type_name, rows, source, now)
        return rows
    written, refused = write_relationships(store, type_name, rows, source, now)
    errors.extend({"row": line, "field": field, "message": message}
                  for line, reasons in refused.items() for field, message in reasons)
    return written
