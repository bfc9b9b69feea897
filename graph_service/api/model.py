"""GET /v1/model: the model that serves scores."""

from flask.views import MethodView
from marshmallow import Schema, fields

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint

blp = ApiBlueprint("model", __name__, url_prefix="/v1", description="The scoring model")


class ModelSchema(Schema):
    version = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "which model family was shipped"})
    trained_at = fields.String(required=True)
    train_as_of = fields.String(required=True)
    scoring_as_of = fields.String(required=True)
    snapshot_digest = fields.String(required=True)
    metrics = fields.Dict(keys=fields.String(), required=True,
                          metadata={"description": "validation and test metrics, as in `trustnet evaluate`"})


@blp.route("/model")
class CurrentModel(MethodView):
    @blp.access("read_model")
    @blp.response(200, ModelSchema)
    @blp.problem(503, "No trained model")
    def get(self):
        """Version, training dates and metrics of the model serving scores."""
        m = context.trained_model()
        return {"version": m.version, "name": m.model_name, "trained_at": m.trained_at, "train_as_of": m.train_as_of,
                "scoring_as_of": m.scoring_as_of, "snapshot_digest": m.snapshot_digest, "metrics": m.metrics}
