"""GET /health (the API runs and Neo4j answers) and GET /ready (it can also serve scores)."""

from flask.views import MethodView
from marshmallow import Schema, fields

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint

blp = ApiBlueprint("health", __name__, url_prefix="/", description="Liveness and readiness (no API key)")


class Neo4jInfoSchema(Schema):
    version = fields.String(required=True)
    edition = fields.String(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
    neo4j = fields.Nested(Neo4jInfoSchema, required=True)


class ReadySchema(Schema):
    status = fields.String(required=True, metadata={"example": "ready"})
    model_version = fields.String(required=True)


@blp.route("/health")
class Health(MethodView):
    @blp.doc(security=[])
    @blp.response(200, HealthSchema)
    @blp.problem(503, "Neo4j is unreachable")
    def get(self):
        """Check that Neo4j answers."""
        info = context.store().server_info()
        return {"status": "ok", "neo4j": {"version": info.version, "edition": info.edition}}


@blp.route("/ready")
class Ready(MethodView):
    @blp.doc(security=[])
    @blp.response(200, ReadySchema)
    @blp.problem(503, "Neo4j is unreachable or no model is trained")
    def get(self):
        """Check that scores can be served: Neo4j answers and a trained model is loaded."""
        context.store().server_info()
        return {"status": "ready", "model_version": context.trained_model().version}
