"""Swagger UI's scripts and styles for /docs, served from the swagger-ui-bundle package (PyPI), so
the page works without internet: nothing is fetched from another host."""

from __future__ import annotations

import swagger_ui_bundle
from flask import Blueprint, Response, send_from_directory

ASSETS_URL = "/docs/assets/"  # under /docs, which needs no key (see access.py)

blp = Blueprint("docs_assets", __name__)


@blp.route(ASSETS_URL + "<path:filename>")
def swagger_ui_asset(filename: str) -> Response:
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86_400)
