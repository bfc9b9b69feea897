"""GET /v1/guarantors/<id>/exposure: what a guarantor stands to lose, its own only."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint
from graph_service.services.exposure import exposure_for

blp = ApiBlueprint("guarantors", __name__, url_prefix="/v1/guarantors", description="Guarantee exposure")


MAX_DEPTH = 6


class ExposureQuerySchema(Schema):
    label = fields.String(load_default="Guarantor", validate=validate.OneOf(["Guarantor", "Firm"]),
                          metadata={"description": "a guarantee company (default) or a firm that guarantees"})
    depth = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_DEPTH),
                           metadata={"description": "hops of guarantees to follow: 1 direct only; more adds the "
                                                    "chains behind them and the circles through the guarantor"})


class GuaranteeSchema(Schema):
    loan_id = fields.String(required=True)
    status = fields.String(allow_none=True)
    amount = fields.Float(allow_none=True)
    outstanding = fields.Float(allow_none=True)
    issued = fields.Date(allow_none=True)
    guaranteed = fields.Float(allow_none=True)
    bank_id = fields.String(allow_none=True)
    borrower_id = fields.String(allow_none=True)
    borrower_name = fields.String(allow_none=True)
    borrower_pd = fields.Float(allow_none=True, metadata={"description": "the borrower's latest network PD"})
    borrower_grade = fields.String(allow_none=True)
    borrower_sector = fields.String(allow_none=True)
    borrower_region = fields.String(allow_none=True)
    live = fields.Boolean(required=True, metadata={"description": "current or overdue"})
    exposure_at_default = fields.Float(required=True)
    expected_loss = fields.Float(allow_none=True, metadata={"description": "PD x LGD x EAD; null without a PD"})


class TotalsSchema(Schema):
    loans = fields.Integer(required=True)
    guaranteed = fields.Float(required=True)
    exposure_at_default = fields.Float(required=True)
    expected_loss = fields.Float(required=True)
    borrowers_without_pd = fields.Integer(required=True)
    indirect_exposure_at_default = fields.Float(required=True, metadata={"description": "sum over `chains`"})


class ChainSchema(Schema):
    depth = fields.Integer(required=True)
    path = fields.List(fields.String(), required=True, metadata={"description": "guarantor, then each borrower"})
    loans = fields.List(fields.String(), required=True)
    loan_id = fields.String(required=True)
    borrower_id = fields.String(required=True)
    borrower_pd = fields.Float(allow_none=True)
    exposure_at_default = fields.Float(required=True, metadata={"description": "of the last guarantee"})


class CircleSchema(Schema):
    members = fields.List(fields.String(), required=True)
    loans = fields.List(fields.String(), required=True, metadata={"description": "member i guarantees loan i"})
    exposure_at_default = fields.List(fields.Float(), required=True)


class ShareSchema(Schema):
    name = fields.String(required=True)
    exposure_at_default = fields.Float(required=True)
    share = fields.Float(required=True)


class ConcentrationSchema(Schema):
    sector = fields.List(fields.Nested(ShareSchema), required=True)
    region = fields.List(fields.Nested(ShareSchema), required=True)


class ExposureSchema(Schema):
    guarantor_id = fields.String(required=True)
    guarantor_label = fields.String(required=True)
    name = fields.String(allow_none=True)
    lgd = fields.Float(required=True)
    depth = fields.Integer(required=True)
    totals = fields.Nested(TotalsSchema, required=True)
    guarantees = fields.List(fields.Nested(GuaranteeSchema), required=True)
    concentration = fields.Nested(ConcentrationSchema, required=True, metadata={"description": "of live direct EAD"})
    chains = fields.List(fields.Nested(ChainSchema), required=True)
    chains_truncated = fields.Boolean(required=True)
    circles = fields.List(fields.Nested(CircleSchema), required=True,
                          metadata={"description": "guarantee circles through a firm that guarantees"})


@blp.route("/<path:guarantor_id>/exposure")
class Exposure(MethodView):
    @blp.access("read_exposure")
    @blp.arguments(ExposureQuerySchema, location="query")
    @blp.response(200, ExposureSchema)
    @blp.problem(404, "No such guarantor, or not one this key may see")
    def get(self, query, guarantor_id):
        """A guarantor's guarantees: loans, borrowers' PDs, expected loss, totals and concentration; with
        depth > 1 the chains behind them and the circles through it. A guarantor sees only its own;
        a bank only the loans it granted, at every hop."""
        return exposure_for(context.principal(), context.store(), query["label"], guarantor_id,
                            context.settings().loss_given_default, query["depth"])
