"""Network credit scores: one firm's (GET) and a batch (POST), each served score audited."""

from __future__ import annotations

import json

from flask import Response
from flask.views import MethodView
from marshmallow import Schema, fields, validate

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint
from graph_service.core.errors import NotFound

blp = ApiBlueprint("scores", __name__, url_prefix="/v1",
                   description='Network credit scores (the score contract: README.md, "Network credit scores"; '
                               "scoring/contract.py)")
MAX_BATCH = 100


class ReasonSchema(Schema):
    code = fields.String(required=True, metadata={"example": "TRADES_WITH_OUT"})
    text = fields.String(required=True, metadata={
        "description": "a sentence for the applicant: the firm's value, a typical firm's, the points",
        "example": "the default rate of those it trades with is 16.7%, against 0.0% for a typical firm: -41 points"})
    contribution = fields.Float(required=True, metadata={"description": "change in raw model risk; > 0 raises the risk"})
    group = fields.String(required=True, metadata={"description": "the feature group replaced by its typical value"})
    points = fields.Integer(required=True, metadata={
        "description": "the score minus the score with this group at its typical value; < 0 lowers the score",
        "example": -41})
    value = fields.Float(required=True, allow_none=True, metadata={
        "description": "the firm's value of the group's main feature, in the sentence's units (a share as a "
                       "fraction); null for a category or a value the firm lacks"})
    typical = fields.Float(required=True, allow_none=True, metadata={
        "description": "a typical firm's value of that feature (the model's reference), in the same units; "
                       "null where there is none"})


class EvidenceSchema(Schema):
    reason = fields.String(required=True, metadata={"description": "the reason code it supports"})
    relationship = fields.String(required=True)
    direction = fields.String(required=True, validate=validate.OneOf(["out", "in"]))
    label = fields.String(required=True)
    id = fields.String(required=True)
    weight = fields.Float(allow_none=True)
    known = fields.String(required=True, metadata={"description": "defaulted, good or unknown"})


class ScoreSchema(Schema):
    firm_id = fields.String(required=True, metadata={"example": "F00001"})
    pd = fields.Float(required=True, metadata={"description": "12-month probability of default, calibrated"})
    score = fields.Integer(required=True, metadata={"description": "points to double the odds scale"})
    grade = fields.String(required=True, metadata={"description": "master-scale grade"})
    reasons = fields.List(fields.Nested(ReasonSchema), required=True)
    evidence = fields.List(fields.Nested(EvidenceSchema), required=True)
    model_version = fields.String(required=True)
    as_of = fields.String(required=True)
    scored_at = fields.String(required=True)
    score_id = fields.String(required=True)
    has_credit_history = fields.Boolean(required=True)
    scored_neighbours = fields.Integer(required=True)
    neighbours = fields.Integer(required=True)
    served = fields.String(required=True, validate=validate.OneOf(["stored", "on-demand", "stale"]),
                           metadata={"description": "stored: current batch or earlier score; on-demand: computed "
                                                    "now; stale: the firm's stored score, from before its latest "
                                                    "change (this request's on-demand budget, "
                                                    "TRUSTNET_ON_DEMAND_PER_REQUEST, was spent; ask again)"})


class BatchRequestSchema(Schema):
    firm_ids = fields.List(fields.String(validate=validate.Length(min=1, max=200)), required=True,
                           validate=validate.Length(min=1, max=MAX_BATCH))


class BatchResponseSchema(Schema):
    scores = fields.List(fields.Nested(ScoreSchema), required=True)
    missing = fields.List(fields.String(), required=True, metadata={"description": "ids with no such firm"})


def serve_scores(firm_ids: list[str]) -> tuple[dict[str, dict], list[str]]:
    """The caller's scores of these firms through the serving service, each served score audited
    (the API's routes and the console's pages alike)."""
    from graph_service.services.scoring import score_scale
    from graph_service.services.serving import record_served, scores_for

    settings = context.settings()
    served, missing = scores_for(context.principal(), context.store(), context.trained_model(), firm_ids,
                                 score_scale(settings), settings.on_demand_fanout_1, settings.on_demand_fanout_2,
                                 settings.on_demand_per_request)
    if served:
        record_served(context.audit_trail(), context.principal(), context.request_id(), list(served.values()))
    return served, missing


@blp.route("/firms/<path:firm_id>/score")
class FirmScore(MethodView):
    @blp.access("read_scores")
    @blp.response(200, ScoreSchema)
    @blp.problem(404, "No such firm")
    @blp.problem(503, "No trained model, or Neo4j unreachable")
    def get(self, firm_id):
        """A firm's network credit score: the stored one if current, otherwise computed now."""
        served, _ = serve_scores([firm_id])
        if firm_id not in served:
            raise NotFound(f"no firm with id {firm_id!r}")
        return _json(_ordered(served[firm_id]))


@blp.route("/scores")
class BatchScores(MethodView):
    @blp.access("read_scores")
    @blp.arguments(BatchRequestSchema)
    @blp.response(200, BatchResponseSchema)
    @blp.problem(400, f"Not a list of 1 to {MAX_BATCH} firm ids")
    @blp.problem(503, "No trained model, or Neo4j unreachable")
    def post(self, body):
        """Scores of up to 100 firms; ids without a firm are listed under `missing`."""
        firm_ids = list(dict.fromkeys(body["firm_ids"]))
        served, missing = serve_scores(firm_ids)
        return _json({"scores": [_ordered(served[i]) for i in firm_ids if i in served], "missing": missing})


SCORE_FIELDS = tuple(ScoreSchema().fields)


def _ordered(score: dict) -> dict:
    return {name: score.get(name) for name in SCORE_FIELDS}


def _json(body: dict) -> Response:
    """Scores are plain JSON types already, in the documented shape (tests/api checks it against
    the OpenAPI document): encoded directly, as marshmallow's dump was a tenth of a score read's cost."""
    return Response(json.dumps(body), mimetype="application/json")
