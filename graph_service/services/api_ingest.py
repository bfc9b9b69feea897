"""Ingestion through the API: a JSON batch of one node or relationship type, validated row by row
with the loaders' rules, written in one transaction per type, answered with a per-row report.

A partner submits facts only as itself: what it may send depends on the kind of node it acts for
(a chamber can recommend, not lend), and every row must have the partner at its own end. Admins may
send anything loadable. A batch sent again under the same idempotency key changes nothing and gets
the first answer again.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path

from graph_service.errors import Forbidden, TrustNetError
from graph_service.graph_model import GraphModel
from graph_service.services.api_keys import Principal
from graph_service.services.ingest import UNKNOWN_NODE
from graph_service.store.port import GraphStore
from loaders.file_spec import FileSpec
from loaders.validation import RowValidator

# For a partner acting for a node of this label: (kind, type) -> the end that must be the partner.
# "self": the node itself; "from"/"to": that end of the relationship; "loan": a loan no other bank granted.
PARTNER_FACTS: dict[str, dict[tuple[str, str], str]] = {
    "Chamber": {("node", "Chamber"): "self", ("relationship", "RECOMMENDS"): "from",
                ("relationship", "MEMBER_OF"): "to"},
    "Market": {("node", "Market"): "self", ("relationship", "RECOMMENDS"): "from",
               ("relationship", "MEMBER_OF"): "to"},
    "Bank": {("node", "Bank"): "self", ("node", "Loan"): "loan", ("relationship", "GRANTED"): "from",
             ("relationship", "BORROWED"): "loan"},
    "Guarantor": {("node", "Guarantor"): "self", ("relationship", "GUARANTEES"): "from"},
    "Firm": {("node", "Firm"): "self", ("relationship", "TRADES_WITH"): "from",
             ("relationship", "GUARANTEES"): "from"},
}


class IdempotencyConflict(TrustNetError):
    """An idempotency key was used before for a different batch."""


def _check_kind(principal: Principal, kind: str, type_name: str) -> str | None:
    """The rule for a partner's rows (None for an admin); Forbidden if the partner may not send these."""
    if principal.role == "admin":
        return None
    if principal.role != "partner":
        raise Forbidden(f"a {principal.role} key cannot submit data")
    allowed = PARTNER_FACTS.get(principal.acts_for_label or "", {})
    if (kind, type_name) not in allowed:
        may = ", ".join(sorted(t for _, t in allowed)) or "nothing"
        raise Forbidden(f"a partner acting for a {principal.acts_for_label} may submit {may}; not {type_name}")
    return allowed[(kind, type_name)]


def _not_yours(rule: str, principal: Principal, row: dict) -> tuple[str, str] | None:
    me = principal.acts_for_id
    what = f"the {principal.acts_for_label} {me!r} this key acts for"
    if rule == "self" and row["id"] != me:
        return "id", f"must be {what}"
    if rule == "from" and (row["from_label"], row["from_id"]) != (principal.acts_for_label, me):
        return "from_id", f"must be {what}"
    if rule == "to" and (row["to_label"], row["to_id"]) != (principal.acts_for_label, me):
        return "to_id", f"must be {what}"
    return None


def batch_digest(kind: str, type_name: str, rows: list) -> str:
    return hashlib.sha256(json.dumps([kind, type_name, rows], sort_keys=True, default=str).encode()).hexdigest()


def ingest_batch(store: GraphStore, model: GraphModel, principal: Principal, kind: str, type_name: str,
                 rows: list[dict], idempotency_key: str) -> tuple[dict, bool]:
    """(the report, whether it replays an earlier identical batch)."""
    if not (model.node(type_name) if kind == "node" else model.relationship(type_name)).loadable:
        raise Forbidden(f"{type_name} is written by TrustNet itself, not loaded")
    rule = _check_kind(principal, kind, type_name)
    spec = FileSpec(path=Path(type_name), format="json", kind=kind, type_name=type_name,
                    source=f"api:{principal.key_id}")
    validator = RowValidator(model, spec, None, within="batch", position="row")
    batch_id = f"{principal.key_id}:{idempotency_key}"
    digest = batch_digest(kind, type_name, rows)
    earlier = store.ingest_batch(batch_id)
    if earlier is not None:
        if earlier["digest"] != digest:
            raise IdempotencyConflict(f"Idempotency-Key {idempotency_key!r} was used for a different batch")
        return json.loads(earlier["report"]), True

    errors: list[dict] = []
    valid: list[dict] = []
    for number, raw in enumerate(rows):
        if not isinstance(raw, dict):
            errors.append({"row": number, "field": "(row)", "message": "must be a JSON object"})
            continue
        checked = validator.validate(number, raw)
        if isinstance(checked, dict):
            problem = _not_yours(rule, principal, checked) if rule else None
            if problem is None:
                valid.append(checked)
                continue
            errors.append({"row": number, "field": problem[0], "message": problem[1]})
        else:
            errors.extend({"row": number, "field": f, "message": m} for f, m in checked.errors)
    if rule == "loan" and valid:
        loan_of = (lambda r: r["id"]) if kind == "node" else (lambda r: r["to_id"])
        others = store.loans_granted_by_others(principal.acts_for_id, {loan_of(r) for r in valid})
        for row in [r for r in valid if loan_of(r) in others]:
            valid.remove(row)
            errors.append({"row": row["line"], "field": "id" if kind == "node" else "to_id",
                           "message": f"must be a loan the Bank {principal.acts_for_id!r} granted"})
    written = _write(store, kind, type_name, valid, spec.source, errors)
    errors.sort(key=lambda e: (e["row"], e["field"]))
    report = {"type": type_name, "kind": kind, "received": len(rows), "written": written,
              "rejected": len({e["row"] for e in errors}), "errors": errors}
    store.save_ingest_batch(batch_id, {"digest": digest, "report": json.dumps(report),
                                       "key_id": principal.key_id, "created_at": datetime.now(timezone.utc)})
    return report, False


def _write(store: GraphStore, kind: str, type_name: str, rows: list[dict], source: str, errors: list[dict]) -> int:
    if not rows:
        return 0
    now = datetime.now(timezone.utc)
    if kind == "node":
        store.merge_nodes(type_name, rows, source, now)
        return len(rows)
    written = 0
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in rows:
        groups.setdefault((row["from_label"], row["to_label"]), []).append(row)
    for (source_label, target_label), group in sorted(groups.items()):
        done = store.merge_relationships(type_name, source_label, target_label, group, source, now)
        written += len(done)
        unwritten = [r for r in group if r["line"] not in done]
        if unwritten:
            missing_from = store.missing_ids(source_label, {r["from_id"] for r in unwritten})
            missing_to = store.missing_ids(target_label, {r["to_id"] for r in unwritten})
            for row in unwritten:
                if row["from_id"] in missing_from:
                    errors.append({"row": row["line"], "field": "from_id",
                                   "message": UNKNOWN_NODE.format(label=source_label, id=row["from_id"])})
                if row["to_id"] in missing_to:
                    errors.append({"row": row["line"], "field": "to_id",
                                   "message": UNKNOWN_NODE.format(label=target_label, id=row["to_id"])})
    return written
