"""The blueprint every route uses: arguments that fail validation answer 400, and `access` declares
which roles may call a method (documented in OpenAPI with the 401/403/429 answers it can give)."""

from __future__ import annotations

import json
from functools import wraps

from flask_smorest import Blueprint
from webargs.flaskparser import FlaskParser

from graph_service.api import context
from graph_service.api.problems import PROBLEM_JSON, ProblemSchema
from graph_service.core.errors import Forbidden
from graph_service.services.api_keys import ACTIONS

class _Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400  # banks' integrations expect 400 for a bad request, not 422

    def _raw_load_json(self, req):
        try:
            return super()._raw_load_json(req)
        except RecursionError:  # nesting deeper than Python's parser goes: a bad body, not a server fault
            raise json.JSONDecodeError("nested too deeply", "(body)", 0) from None  # a non-empty doc: not "missing"
        except json.JSONDecodeError:
            raise
        except ValueError:  # an integer of over 4,300 digits (Python's limit on converting them)
            raise json.JSONDecodeError("a number too long", "(body)", 0) from None


class ApiBlueprint(Blueprint):
    ARGUMENTS_PARSER = _Parser()

    def access(self, action: str):
        """Only the roles of ACTIONS[action] get past this (403 for the others)."""
        roles = ACTIONS[action]

        def decorator(view):
            @wraps(view)
            def checked(*args, **kwargs):
                principal = context.principal()
                if principal.role not in roles:
                    raise Forbidden(f"a {principal.role} key cannot {action.replace('_', ' ')}")
                return view(*args, **kwargs)

            documented = self.problem(401, "No valid API key")(checked)
            documented = self.problem(403, f"Roles allowed: {', '.join(roles)}")(documented)
            return self.problem(429, "Rate limit of the key exceeded; see Retry-After")(documented)

        return decorator

    def problem(self, status: int, description: str):
        """Document an error answer (problem+json)."""
        return self.alt_response(status, schema=ProblemSchema, description=description, content_type=PROBLEM_JSON)
