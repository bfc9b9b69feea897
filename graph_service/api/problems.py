"""Errors as RFC 9457 problem details (application/problem+json), mapped in this one place."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from flask import Response, g, json, request
from flask_smorest import Api
from flask_smorest.spec import prepare_response
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException

from graph_service.core.errors import (
    BatchInProgress,
    Forbidden,
    GraphModelError,
    IdempotencyConflict,
    InputFileError,
    InvalidInput,
    MappingError,
    NotFound,
    StoreUnavailable,
    TrustNetError,
)

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE_BASE = "https://trustnet.dev/problems/"
# The domain errors a request can cause, and their status (a subclass answers as its nearest listed
# class). Any other TrustNetError is the server's fault: a 500 that names no internals, logged in full.
STATUS_OF: dict[type[TrustNetError], int] = {
    GraphModelError: 400,  # an unknown node label or relationship type, e.g. in an ingestion path
    MappingError: 400,
    InputFileError: 400,
    InvalidInput: 400,  # e.g. a stress test's defaults naming no firm
    Forbidden: 403,
    NotFound: 404,  # also another tenant's object
    BatchInProgress: 409,
    IdempotencyConflict: 422,
    StoreUnavailable: 503,  # Neo4j down, no trained model, network still being read; Retry-After if known
}
log = logging.getLogger("trustnet.api")


def status_of(error: TrustNetError) -> int | None:
    """The status STATUS_OF gives the error's class or its nearest listed base; None if unlisted."""
    return next((STATUS_OF[kind] for kind in type(error).__mro__ if kind in STATUS_OF), None)


def problem_body(status: int, detail: str, instance: str, errors: list[dict[str, Any]] | None = None) -> dict:
    """The RFC 9457 document; also written by the HTTP worker for requests that never reach Flask."""
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + phrase.lower().replace(" ", "-"),
        "title": phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors:
        body["errors"] = errors
    return body


def problem(status: int, detail: str, errors: list[dict[str, Any]] | None = None) -> Response:
    return Response(json.dumps(problem_body(status, detail, request.path, errors)), status=status,
                    mimetype=PROBLEM_JSON)


def _invalid(errors: list[dict[str, Any]]) -> str:
    return "The request is not valid: " + "; ".join(f"{e['field']}: {e['message']}" for e in errors)


def _location(field: str) -> str | None:
    """Where in the request a field named by a domain error came from."""
    body = request.get_json(silent=True)
    if isinstance(body, dict) and field in body:
        return "json"
    return "query" if field in request.args else None


def _field_errors(messages: dict[str, Any]) -> list[dict[str, Any]]:
    """webargs' {location: {field: [message]}} as [{location, field, message}]."""
    out = []
    for location, by_field in messages.items():
        if not isinstance(by_field, dict):  # the body itself could not be read: not JSON, not UTF-8, too deep
            by_field = {"(body)": by_field}
        for field, field_messages in (by_field or {}).items():
            for message in field_messages if isinstance(field_messages, list) else [field_messages]:
                out.append({"location": location, "field": field, "message": str(message)})
    return out


class FieldErrorSchema(Schema):
    location = fields.String(metadata={"example": "json"})
    field = fields.String(required=True, metadata={"example": "firm_ids"})
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"example": PROBLEM_TYPE_BASE + "not-found"})
    title = fields.String(required=True, metadata={"example": "Not Found"})
    status = fields.Integer(required=True, metadata={"example": 404})
    detail = fields.String(required=True, metadata={"example": "no firm with id 'F404'"})
    instance = fields.String(required=True, metadata={"example": "/v1/firms/F404/score"})
    errors = fields.List(fields.Nested(FieldErrorSchema), metadata={"description": "one per invalid field"})


class ProblemApi(Api):
    """flask-smorest's Api, with every error answered, and documented, as problem+json."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = ProblemSchema
            prepare_response(response, self.spec, PROBLEM_JSON if status >= 400 else self.DEFAULT_RESPONSE_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Any other error (problem+json)", "schema": ProblemSchema}
        prepare_response(response, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)

    def _register_error_handlers(self) -> None:
        super()._register_error_handlers()
        self._app.register_error_handler(TrustNetError, self.handle_domain_error)

    def handle_http_exception(self, error: HTTPException) -> Response:
        data = getattr(error, "data", None) or {}
        errors = _field_errors(data["messages"]) if "messages" in data else None
        detail = data.get("message") or error.description or HTTPStatus(error.code).phrase
        if errors:
            detail = _invalid(errors)
        response = problem(error.code or 500, detail, errors)
        # Keep what the exception says beyond the body, such as Allow on a 405.
        for name, value in error.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        return response

    def handle_domain_error(self, error: TrustNetError) -> Response:
        status = status_of(error)
        if status is None:
            log.error("%s answering %s %s", type(error).__name__, request.method, request.path, exc_info=error)
            return problem(500, f"the server failed to answer; the error is logged under request id "
                                f"{g.get('request_id', '-')}")
        if isinstance(error, InvalidInput):
            location = _location(error.field)
            errors = [{**({"location": location} if location else {}), "field": error.field, "message": message}
                      for message in error.messages]
            response = problem(status, _invalid(errors), errors)
        else:
            response = problem(status, str(error))
        retry_after = getattr(error, "retry_after_s", None)
        if retry_after is not None:
            response.headers["Retry-After"] = str(retry_after)
        return response
