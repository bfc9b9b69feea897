"""GET /health: the API runs and Neo4j answers."""

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from graph_service.api import context

blp = Blueprint("health", __name__, url_prefix="/", description="Liveness of the API and its Neo4j")


class Neo4jInfoSchema(Schema):
    version = fields.String(required=True)
    edition = fields.String(required=True)


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
    neo4j = fields.Nested(Neo4jInfoSchema, required=True)


@blp.route("/health")
class Health(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, description="Neo4j is unreachable (problem+json)")
    def get(self):
        """Check that Neo4j answers."""
        info = context.store().server_info()
        return {"status": "ok", "neo4j": {"version": info.version, "edition": info.edition}}
