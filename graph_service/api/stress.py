"""Stress tests and guarantee patterns over the whole network.

POST /v1/stress-tests: DebtRank from firms assumed to default. Investigators and admins see every
affected node; a guarantor or a bank sees only its own loss (a firm's distress could reveal, with
its capital, what it guarantees on other banks' loans).
GET /v1/stress-tests/too-central-to-fail and GET /v1/guarantee-patterns: investigators and admins.
"""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint
from graph_service.api.paging import PageQuerySchema
from graph_service.services.stress import guarantee_patterns_page, stress_test_for, too_central_to_fail

blp = ApiBlueprint("stress", __name__, url_prefix="/v1", description="Stress tests and guarantee patterns")

MAX_DEFAULTS = 1000
MAX_TOP = 1000
MAX_CANDIDATES = 1000
NOT_READ_YET = "The network is still being read the first time (see Retry-After)"
AS_OF = {"description": "when the network behind this answer was read (see TRUSTNET_NETWORK_REFRESH_S)"}


class StressRequestSchema(Schema):
    defaults = fields.List(fields.String(validate=validate.Length(min=1, max=200)), required=True,
                           validate=validate.Length(min=1, max=MAX_DEFAULTS),
                           metadata={"description": "ids of the firms assumed to default", "example": ["F00017"]})
    top = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_TOP),
                         metadata={"description": "how many of each kind of affected node to list, most hit first"})


class AffectedSchema(Schema):
    label = fields.String(required=True, metadata={"example": "Guarantor"})
    id = fields.String(required=True)
    loss_fraction = fields.Float(required=True,
                                 metadata={"description": "DebtRank distress: loss over capital, 0 to 1"})
    capital = fields.Float(required=True, metadata={"description": "the capital the loss is measured against "
                                                                   "(recorded, or estimated: see README)"})


class StressResultSchema(Schema):
    network_as_of = fields.DateTime(required=True, metadata=AS_OF)
    lgd = fields.Float(required=True)
    defaults = fields.List(fields.String(), required=True)
    rounds = fields.Integer(allow_none=True, metadata={"description": "propagation rounds until no node was left "
                                                                     "to pass distress on; network scope only"})
    scope = fields.String(required=True, validate=validate.OneOf(["network", "own"]),
                          metadata={"description": "network: every affected node; own: only the caller's own "
                                                   "row (a guarantor's or a bank's), listed even when untouched"})
    debtrank = fields.Float(allow_none=True, metadata={"description": "distress beyond the defaults, weighted by "
                                                                      "capital; network scope only"})
    affected_count = fields.Integer(allow_none=True, metadata={"description": "network scope only"})
    guarantors = fields.List(fields.Nested(AffectedSchema), required=True)
    banks = fields.List(fields.Nested(AffectedSchema), required=True)
    firms = fields.List(fields.Nested(AffectedSchema), required=True)


class CentralQuerySchema(Schema):
    top = fields.Integer(load_default=20, validate=validate.Range(min=1, max=MAX_TOP))
    candidates = fields.Integer(load_default=100, validate=validate.Range(min=1, max=MAX_CANDIDATES),
                                metadata={"description": "firms with the largest direct impact tried one by one"})


class CentralFirmSchema(Schema):
    id = fields.String(required=True)
    debtrank = fields.Float(required=True, metadata={"description": "distress its default alone spreads"})
    affected = fields.Integer(required=True)


class CentralSchema(Schema):
    network_as_of = fields.DateTime(required=True, metadata=AS_OF)
    candidates = fields.Integer(required=True)
    firms = fields.List(fields.Nested(CentralFirmSchema), required=True)


KINDS = ("circles", "chains", "stars")


class PatternQuerySchema(PageQuerySchema):
    kind = fields.String(load_default="circles", validate=validate.OneOf(KINDS))
    firm_id = fields.String(load_default=None, validate=validate.Length(min=1, max=200),
                            metadata={"description": "only patterns this firm is part of"})


class PatternSchema(Schema):
    firm_ids = fields.List(fields.String(), required=True,
                           metadata={"description": "circle: its members, each guaranteeing a loan of the next; "
                                                    "chain: the firm heading it; star: the firm at its centre"})
    size = fields.Integer(required=True, metadata={"description": "circle: members; chain: guarantees in a row; "
                                                                  "star: firms it guarantees"})


class PatternCountsSchema(Schema):
    circles = fields.Integer(required=True)
    mutual_pairs = fields.Integer(required=True)
    chains = fields.Integer(required=True)
    stars = fields.Integer(required=True)
    truncated_components = fields.Integer(required=True, metadata={"description": "tangles whose circles were cut"})


class PatternPageSchema(Schema):
    network_as_of = fields.DateTime(required=True, metadata=AS_OF)
    kind = fields.String(required=True)
    counts = fields.Nested(PatternCountsSchema, required=True, metadata={"description": "across the network"})
    total = fields.Integer(required=True, metadata={"description": "patterns of this kind matching the query"})
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    items = fields.List(fields.Nested(PatternSchema), required=True)


@blp.route("/stress-tests")
class StressTests(MethodView):
    @blp.access("run_stress_tests")
    @blp.arguments(StressRequestSchema)
    @blp.response(200, StressResultSchema)
    @blp.problem(400, "No firm with one of these ids, or not 1 to 1000 of them")
    @blp.problem(503, NOT_READ_YET)
    def post(self, body):
        """DebtRank from firms assumed to default: the share of capital each guarantor, bank and firm
        would lose as distress spreads through guarantees and loans. A guarantor or a bank sees only
        its own loss; investigators and admins see every affected node."""
        return stress_test_for(context.principal(), context.network_view(), body["defaults"], body["top"],
                               context.settings().loss_given_default)


@blp.route("/stress-tests/too-central-to-fail")
class TooCentralToFail(MethodView):
    @blp.access("read_network_risk")
    @blp.arguments(CentralQuerySchema, location="query")
    @blp.response(200, CentralSchema)
    @blp.problem(503, NOT_READ_YET)
    def get(self, query):
        """Firms whose default alone would spread the most distress (DebtRank of each on its own)."""
        return too_central_to_fail(context.network_view(), query["candidates"], query["top"])


@blp.route("/guarantee-patterns")
class GuaranteePatterns(MethodView):
    @blp.access("read_network_risk")
    @blp.arguments(PatternQuerySchema, location="query")
    @blp.response(200, PatternPageSchema)
    @blp.problem(503, NOT_READ_YET)
    def get(self, query):
        """Guarantee circles (mutual pairs are circles of two), chains and stars among firms, for
        investigators: largest chains and stars first, circles smallest first."""
        return guarantee_patterns_page(context.network_view(), query["kind"], query["firm_id"], query["page"],
                                       query["page_size"])
