"""Property-based fuzzing of the published API documents with schemathesis: every operation of
the /api OpenAPI (and of /ogc's, when it is self-contained) gets schema-valid and schema-invalid
requests; none may answer a 5xx. Bounded: a fixed number of examples per operation, derandomized
so a run is repeatable."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

EXAMPLES = 25


def _fuzz(
    schema: Any, mode: GenerationMode, examples: int = EXAMPLES
) -> tuple[list[Any], Counter[Any]]:
    failures: list[Any] = []
    statuses: Counter[Any] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            response = case.call()
            statuses[(case.method, case.path, response.status_code)] += 1
            if response.status_code >= 500:
                failures.append(
                    (
                        case.method,
                        case.path,
                        case.query,
                        case.body,
                        response.status_code,
                        response.text[:300],
                    )
                )

        try:
            run()
        except Unsatisfiable:
            # an operation without inputs has no schema-invalid request to send
            if mode is not GenerationMode.NEGATIVE:
                raise
    return failures, statuses


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_never_answers_a_server_error(app: Flask, mode: GenerationMode):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    failures, statuses = _fuzz(schema, mode)
    assert failures == [], failures[:5]
    # every operation was exercised
    assert {(m, p) for m, p, _ in statuses} >= {
        ("GET", "/api/nearest"),
        ("POST", "/api/risk-areas"),
        ("GET", "/api/risk-areas"),
        ("POST", "/api/affected-population"),
        ("GET", "/api/situation"),
    }


def test_ogc_api_never_answers_a_server_error(app: Flask):
    """The OGC OpenAPI is self-contained (tests/test_ogc_openapi.py), so a fuzzer can read it
    offline: every operation it lists, schema-valid and schema-invalid requests alike."""
    schema = schemathesis.openapi.from_wsgi("/ogc/openapi?f=json", app)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        failures, statuses = _fuzz(schema, mode, examples=10)
        assert failures == [], failures[:5]
    assert len({(m, p) for m, p, _ in statuses}) > 20  # every collection, tiles, processes
