"""GET /v1/guarantors/<id>/exposure: what a guarantor stands to lose, its own only."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint
from graph_service.errors import NotFound

blp = ApiBlueprint("guarantors", __name__, url_prefix="/v1/guarantors", description="Guarantee exposure")


class ExposureQuerySchema(Schema):
    label = fields.String(load_default="Guarantor", validate=validate.OneOf(["Guarantor", "Firm"]),
                          metadata={"description": "a guarantee company (default) or a firm that guarantees"})


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


class ExposureSchema(Schema):
    guarantor_id = fields.String(required=True)
    guarantor_label = fields.String(required=True)
    name = fields.String(allow_none=True)
    lgd = fields.Float(required=True)
    totals = fields.Nested(TotalsSchema, required=True)
    guarantees = fields.List(fields.Nested(GuaranteeSchema), required=True)


@blp.route("/<path:guarantor_id>/exposure")
class Exposure(MethodView):
    @blp.access("read_exposure")
    @blp.arguments(ExposureQuerySchema, location="query")
    @blp.response(200, ExposureSchema)
    @blp.problem(404, "No such guarantor, or not one this key may see")
    def get(self, query, guarantor_id):
        """A guarantor's direct guarantees: loans, borrowers' PDs, expected loss and totals.
        A guarantor sees only its own; a bank only the loans it granted."""
        from graph_service.services.exposure import guarantor_exposure

        who, label = context.principal(), query["label"]
        if who.role == "guarantor" and not who.acts_for(label, guarantor_id):
            raise NotFound(f"no {label} with id {guarantor_id!r}")  # another's answers as a missing one
        bank_id = who.acts_for_id if who.role == "bank" else None
        exposure = guarantor_exposure(context.store(), label, guarantor_id, bank_id,
                                      context.settings().loss_given_default)
        if exposure is None:
            raise NotFound(f"no {label} with id {guarantor_id!r}")
        return exposure
