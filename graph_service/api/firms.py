"""A firm with its direct ties, and its network to a few hops (bounded and paginated)."""

from flask.views import MethodView
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint
from graph_service.api.paging import MAX_PAGE_SIZE, PageQuerySchema
from graph_service.services.network import firm_for, firm_network_for

blp = ApiBlueprint("firms", __name__, url_prefix="/v1/firms", description="Firms and their networks")
MAX_TIES = 1000
MAX_HOPS = 3
MAX_FANOUT = 100
MAX_EXPANSION = 20_000  # fanout ** hops: how many ties one request may expand at most


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


class NetworkQuerySchema(PageQuerySchema):
    hops = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_HOPS))
    fanout = fields.Integer(load_default=25, validate=validate.Range(min=1, max=MAX_FANOUT),
                            metadata={"description": "ties expanded per node and hop, by type then id"})

    @validates_schema
    def _bounded(self, data, **kwargs):
        if data["fanout"] ** data["hops"] > MAX_EXPANSION:
            raise ValidationError(f"fanout ** hops must be at most {MAX_EXPANSION:,} "
                                  f"(e.g. fanout 27 at 3 hops, 141 at 2)", "fanout")


class NetworkNodeSchema(Schema):
    label = fields.String(required=True)
    id = fields.String(required=True)
    name = fields.String(allow_none=True)
    pd = fields.Float(allow_none=True, metadata={"description": "latest network PD (firms)"})
    grade = fields.String(allow_none=True)
    hop = fields.Integer(required=True)


class NetworkTieSchema(Schema):
    hop = fields.Integer(required=True)
    type = fields.String(required=True)
    from_label = fields.String(required=True)
    from_id = fields.String(required=True)
    to_label = fields.String(required=True)
    to_id = fields.String(required=True)
    properties = fields.Dict(keys=fields.String())


class NetworkSchema(Schema):
    firm_id = fields.String(required=True)
    hops = fields.Integer(required=True)
    fanout = fields.Integer(required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total_ties = fields.Integer(required=True)
    total_nodes = fields.Integer(required=True)
    next_page = fields.Integer(allow_none=True, required=True)
    nodes = fields.List(fields.Nested(NetworkNodeSchema), required=True,
                        metadata={"description": "the nodes at the ends of this page's ties"})
    ties = fields.List(fields.Nested(NetworkTieSchema), required=True)


@blp.route("/<path:firm_id>")  # ids may contain "/"
class Firm(MethodView):
    @blp.access("read_firms")
    @blp.arguments(FirmQuerySchema, location="query")
    @blp.response(200, FirmSchema)
    @blp.problem(404, "No such firm")
    def get(self, query, firm_id):
        """A firm, its attributes and its direct ties (bounded)."""
        limit = query["ties_limit"] or context.settings().api_max_ties
        return firm_for(context.principal(), context.store(), firm_id, limit)


@blp.route("/<path:firm_id>/network")
class FirmNetwork(MethodView):
    @blp.access("read_firms")
    @blp.arguments(NetworkQuerySchema, location="query")
    @blp.response(200, NetworkSchema)
    @blp.problem(400, f"hops above {MAX_HOPS}, fanout above {MAX_FANOUT}, fanout ** hops above {MAX_EXPANSION}, "
                      f"or page_size above {MAX_PAGE_SIZE}")
    @blp.problem(404, "No such firm")
    def get(self, query, firm_id):
        """The firm's network to `hops` hops, each node expanding at most `fanout` ties; a page of ties.
        A bank sees only its own loans among them."""
        return firm_network_for(context.principal(), context.store(), firm_id, query["hops"], query["fanout"],
                                query["page"], query["page_size"])
