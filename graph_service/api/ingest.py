"""POST /v1/ingest/nodes/<label> and /v1/ingest/relationships/<type>: JSON batches from partners."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint

blp = ApiBlueprint("ingest", __name__, url_prefix="/v1/ingest", description="Loading and updating the network")
MAX_ROWS = 5000


class IdempotencySchema(Schema):
    idempotency_key = fields.String(data_key="Idempotency-Key", required=True,
                                    validate=validate.Length(min=1, max=200),
                                    metadata={"description": "the same key and batch again change nothing"})


class BatchSchema(Schema):
    rows = fields.List(fields.Dict(keys=fields.String()), required=True, validate=validate.Length(min=1, max=MAX_ROWS),
                       metadata={"description": "objects with the columns a JSONL file of this type would have"})


class RowErrorSchema(Schema):
    row = fields.Integer(required=True, metadata={"description": "0-based position in `rows`"})
    field = fields.String(required=True)
    message = fields.String(required=True)


class IngestReportSchema(Schema):
    type = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(["node", "relationship"]))
    received = fields.Integer(required=True)
    written = fields.Integer(required=True)
    rejected = fields.Integer(required=True)
    errors = fields.List(fields.Nested(RowErrorSchema), required=True)
    replayed = fields.Boolean(required=True, metadata={"description": "an earlier answer to the same batch"})


def _ingest(kind: str, type_name: str, headers: dict, body: dict) -> dict:
    from graph_service.core.declared_types import with_declared
    from graph_service.core.graph_model import REFERENCE_MODEL
    from graph_service.services.api_ingest import ingest_batch

    store = context.store()
    model = with_declared(REFERENCE_MODEL, store.declared_types())  # the types mapping files declared, too
    report, replayed = ingest_batch(store, model, context.principal(), kind, type_name,
                                    body["rows"], headers["idempotency_key"], context.settings().ingest_claim_ttl_s)
    if report["written"]:
        context.network_changed(type_name)
    return {**report, "replayed": replayed}


@blp.route("/nodes/<label>")
class NodeBatch(MethodView):
    @blp.access("ingest")
    @blp.arguments(IdempotencySchema, location="headers")
    @blp.arguments(BatchSchema)
    @blp.response(200, IngestReportSchema)
    @blp.problem(400, f"Unknown label, or not 1 to {MAX_ROWS} rows")
    @blp.problem(413, "Body larger than TRUSTNET_API_MAX_BODY_BYTES")
    @blp.problem(409, "A batch with this Idempotency-Key is still being written")
    @blp.problem(422, "Idempotency-Key already used for a different batch")
    def post(self, headers, body, label):
        """Create or update nodes of one label; valid rows are written, the others reported by row."""
        return _ingest("node", label, headers, body)


@blp.route("/relationships/<rel_type>")
class RelationshipBatch(MethodView):
    @blp.access("ingest")
    @blp.arguments(IdempotencySchema, location="headers")
    @blp.arguments(BatchSchema)
    @blp.response(200, IngestReportSchema)
    @blp.problem(400, f"Unknown type, or not 1 to {MAX_ROWS} rows")
    @blp.problem(413, "Body larger than TRUSTNET_API_MAX_BODY_BYTES")
    @blp.problem(409, "A batch with this Idempotency-Key is still being written")
    @blp.problem(422, "Idempotency-Key already used for a different batch")
    def post(self, headers, body, rel_type):
        """Create or update relationships of one type between existing nodes; rows whose ends are
        unknown are reported."""
        return _ingest("relationship", rel_type, headers, body)
