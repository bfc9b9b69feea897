"""GET /browser/guide.html and /browser/style.grass: what Neo4j Browser loads on connect (no API key;
they hold no tenant data). Browser fetches them cross-origin, the guide with no-cache headers that
make the web browser ask first (a CORS preflight), so every answer here allows any origin and the
headers asked for."""

from flask import Response, request
from flask.views import MethodView

from graph_service.api import context
from graph_service.api.blueprint import ApiBlueprint

blp = ApiBlueprint("browser", __name__, url_prefix="/browser", description="Neo4j Browser guide and style")


def _text(body: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.after_request
def _allow_browser(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Allow-Methods"] = "GET, OPTIONS"
    asked = request.headers.get("Access-Control-Request-Headers")
    if asked:
        response.headers["Access-Control-Allow-Headers"] = asked
    return response


@blp.route("/guide.html")
class Guide(MethodView):
    @blp.doc(security=[])
    @blp.response(200, content_type="text/html", description="The guide: one slide per saved investigation")
    def get(self):
        """The investigators' guide for Neo4j Browser (`:play` this URL)."""
        from graph_service.services.browser_guide import example_parameter, investigations, render_guide

        settings = context.settings()
        cypher_dir, api_url = settings.cypher_dir, f"http://{settings.api_browser_host}:{settings.api_port}"
        return _text(render_guide(investigations(cypher_dir), example_parameter(cypher_dir), api_url), "text/html")


@blp.route("/style.grass")
class Style(MethodView):
    @blp.doc(security=[])
    @blp.response(200, content_type="text/plain", description="GRASS: colours, sizes and captions")
    def get(self):
        """The graph style for Neo4j Browser (`:style` this URL)."""
        from graph_service.services.browser_guide import style_text

        return _text(style_text(), "text/plain")
