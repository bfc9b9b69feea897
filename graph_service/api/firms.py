"""GET /v1/firms/<firm_id>: a firm and its direct ties."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate

from graph_service.api import context
from graph_service.errors import NotFound

blp = Blueprint("firms", __name__, url_prefix="/v1/firms", description="Firms and their ties")
MAX_TIES = 1000


class FirmQuerySchema(Schema):
    ties_limit = fields.Integer(
        load_default=None, validate=validate.Range(min=1, max=MAX_TIES),
        metadata={"description": "How many ties to return (default TRUSTNET_API_MAX_TIES)."},
    )


class TieSchema(Schema):
    type = fields.String(required=True, metadata={"example": "TRADES_WITH"})
    direction = fields.String(required=True, validate=validate.OneOf(["out", "in"]))
    label = fields.String(required=True, metadata={"example": "Firm"})
    id = fields.String(required=True)
    name = fields.String(allow_none=True)
    properties = fields.Dict(keys=fields.String())


class FirmSchema(Schema):
    id = fields.String(required=True, metadata={"example": "F00001"})
    properties = fields.Dict(keys=fields.String())
    ties = fields.List(fields.Nested(TieSchema))
    tie_count = fields.Integer(metadata={"description": "All direct ties, of which `ties` shows the first."})
    ties_truncated = fields.Boolean()


@blp.route("/<path:firm_id>")  # ids may contain "/"
class Firm(MethodView):
    @blp.arguments(FirmQuerySchema, location="query")
    @blp.response(200, FirmSchema)
    @blp.alt_response(404, description="No such firm (problem+json)")
    def get(self, query, firm_id):
        """A firm, its attributes and its direct ties (bounded)."""
        limit = query["ties_limit"] or context.settings().api_max_ties
        firm = context.store().firm_with_ties(firm_id, limit)
        if firm is None:
            raise NotFound(f"no firm with id {firm_id!r}")
        return firm
