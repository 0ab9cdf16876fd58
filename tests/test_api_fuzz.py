"""The API fuzzed from its own OpenAPI document (schemathesis): every operation, with generated
parameters and bodies, as a ministry administrator and as a CTI staff member — no server error,
and every answer's status and body as the document declares them. Bounded and reproducible:
a few derandomised examples per operation."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from pilotage.core.tests.factories import api_token

EXAMPLES = 8
CHECKS = (not_a_server_error, status_code_conformance, response_schema_conformance)


@pytest.fixture
def api_schema(db):
    # Called through WSGI in this thread, inside the test's transaction; as Django's test client
    # does, keep the end of each request from closing that connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(cast):
    return [api_token(cast.admin), api_token(cast.cti_a_staff)]


def test_no_operation_fails_or_answers_off_its_document(api_schema, tokens):
    failures = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def fuzz(case):
            for token in tokens:
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                case.validate_response(response, checks=CHECKS)

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried; all reported
            failures[operation.label] = str(exc)[:2000]
    assert len(operations) > 40
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
