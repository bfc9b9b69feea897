"""GET /v1/audit: every score served, with who asked (admins only)."""

from flask.views import MethodView
from marshmallow import Schema, fields

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint
from graph_service.api.paging import PageQuerySchema, offset

blp = ApiBlueprint("audit", __name__, url_prefix="/v1", description="Audit trail of served scores")


class AuditQuerySchema(PageQuerySchema):
    firm_id = fields.String(load_default=None)
    key_id = fields.String(load_default=None)


class AuditEventSchema(Schema):
    id = fields.String(required=True)
    served_at = fields.DateTime(required=True)
    request_id = fields.String(required=True)
    key_id = fields.String(required=True)
    role = fields.String(required=True)
    firm_id = fields.String(required=True)
    score_id = fields.String(required=True)
    model_version = fields.String(required=True)
    served = fields.String(required=True, metadata={"description": "stored, on-demand or stale (see ScoreSchema)"})


class AuditPageSchema(Schema):
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    events = fields.List(fields.Nested(AuditEventSchema), required=True)


@blp.route("/audit")
class Audit(MethodView):
    @blp.access("read_audit")
    @blp.arguments(AuditQuerySchema, location="query")
    @blp.response(200, AuditPageSchema)
    def get(self, query):
        """Served scores, newest first, optionally for one firm or one key."""
        events = context.store().audit_events(query["firm_id"], query["key_id"], offset(query), query["page_size"])
        return {"page": query["page"], "page_size": query["page_size"], "events": events}
