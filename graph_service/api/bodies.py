"""Request bodies sent chunked (no Content-Length) are held to the same size limit as the others.

Werkzeug stops reading such a body at MAX_CONTENT_LENGTH and says nothing, so an oversized batch
used to arrive cut short and fail as invalid JSON (a 400 or 500) instead of being refused as too
large. This reads the chunked body here, up to one byte past the limit: over it is a 413.
"""

from __future__ import annotations

import io

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge


def install(app: Flask) -> None:
    app.before_request(_bound_chunked_body)


def _bound_chunked_body() -> None:
    if request.content_length is not None:
        return  # werkzeug refuses a declared length over the limit before reading a byte
    if "chunked" not in request.headers.get("Transfer-Encoding", "").lower():
        return
    limit = request.max_content_length
    body = request.environ["wsgi.input"].read(limit + 1 if limit is not None else -1)
    if limit is not None and len(body) > limit:
        raise RequestEntityTooLarge(f"the request body is over the limit of {limit:,} bytes")
    request.environ["wsgi.input"] = io.BytesIO(body)
    request.environ["CONTENT_LENGTH"] = str(len(body))
