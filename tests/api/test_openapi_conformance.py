"""schemathesis against the OpenAPI document the app serves: generated requests to every operation
(a bounded number each) get no server error, and every answer matches its documented schema and
content type. Runs last in this package: the generated ingestion batches add nodes to the world."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
EXAMPLES_PER_OPERATION = 30
CALLS: Counter = Counter()


@pytest.fixture
def api_schema(api_world):
    schema = schemathesis.openapi.from_wsgi("/openapi.json", api_world.app)
    # Valid requests only (negative mode would also strip the API key and test the 401 instead).
    schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, database=None, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_documented_contract(case, api_world):
    case.call_and_validate(headers=api_world.headers("admin"), checks=CHECKS)
    CALLS[case.operation.label] += 1


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION // 3, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_and_for_a_bank_and_a_partner_too(case, api_world):
    """Their paths differ (a bank's filtered loans, a partner's row checks, 403s)."""
    for role in ("bank", "partner_bank"):
        case.call_and_validate(headers=api_world.headers(role), checks=CHECKS)
        CALLS[case.operation.label] += 1
