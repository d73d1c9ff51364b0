"""Property-based fuzzing of the published API documents with schemathesis: every operation of
the /api OpenAPI (and of /ogc's, when it is self-contained) gets schema-valid and schema-invalid
requests; none may answer a 5xx. Bounded: a fixed number of examples per operation, derandomized
so a run is repeatable."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
from conftest import SyntheticRows
from editing import api_keys
from flask import Flask
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from gisserver.layers import LAYER_IDS
from gisserver.web import auth

EXAMPLES = 25


def _fuzz(
    schema: Any,
    mode: GenerationMode,
    examples: int = EXAMPLES,
    *,
    headers: dict[str, str] | None = None,
    accept: Callable[[Any], bool] = lambda operation: True,
    adjust: Callable[[Any], None] = lambda case: None,
) -> tuple[list[Any], Counter[Any]]:
    """Every (accepted) operation of ``schema``; ``adjust`` may change a case before it goes."""
    failures: list[Any] = []
    statuses: Counter[Any] = Counter()
    for result in schema.get_all_operations():
        operation = result.ok()
        if not accept(operation):
            continue

        @given(operation.as_strategy(generation_mode=mode))
        @hypothesis_settings(
            max_examples=examples,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            adjust(case)
            response = case.call(headers=headers)
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
    # GET /api/events is a Server-Sent Events stream that never ends by itself: the WSGI test
    # client reads a whole body, so a request that opens it would hang the test. Only that one
    # operation is left out (tests/test_events.py reads it over real HTTP, event by event).
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app).exclude(
        operation_id="events-stream"
    )
    failures, statuses = _fuzz(schema, mode)
    assert failures == [], failures[:5]
    # every operation was exercised (the ones that need a key answer 401 here: no 5xx is the
    # point). Three have no schema-invalid request to send: two take no input, and any text is
    # a valid XML body of /api/cap as far as a schema can say
    only_valid = {
        ("POST", "/api/events/token"),
        ("GET", "/api/alerts.atom"),
        ("POST", "/api/cap"),
    }
    expected = only_valid if mode is GenerationMode.POSITIVE else set()
    assert {(m, p) for m, p, _ in statuses} >= expected | {
        ("GET", "/api/nearest"),
        ("POST", "/api/risk-areas"),
        ("GET", "/api/risk-areas"),
        ("POST", "/api/affected-population"),
        ("GET", "/api/situation"),
        ("GET", "/api/audit"),
        ("GET", "/api/changes"),
        ("GET", "/api/alerts"),
        ("GET", "/api/alerts/{id}"),
        ("POST", "/api/alerts/{id}/ack"),
        ("POST", "/api/alerts/{id}/resolve"),
        ("GET", "/api/alerts/{id}.cap"),
    }
    assert not any(p == "/api/events" for _, p, _ in statuses)


def test_ogc_api_never_answers_a_server_error(app: Flask):
    """The OGC OpenAPI is self-contained (tests/test_ogc_openapi.py), so a fuzzer can read it
    offline: every operation it lists, schema-valid and schema-invalid requests alike."""
    schema = schemathesis.openapi.from_wsgi("/ogc/openapi?f=json", app)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        failures, statuses = _fuzz(schema, mode, examples=10)
        assert failures == [], failures[:5]
    assert len({(m, p) for m, p, _ in statuses}) > 20  # every collection, tiles, processes


@pytest.fixture()
def admin_key(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(auth, "LIMITER", auth.FailureLimiter())
    with api_keys(database_url) as keys:
        yield keys["admin"].secret


def test_ogc_writes_never_answer_a_server_error(app: Flask, rows: SyntheticRows, admin_key: str):
    """The feature writes with a key that may do everything: the fuzzed bodies, headers and
    parameters reach the checks and the database (PUT and PATCH on a feature that exists);
    whatever they hold is answered 2xx or 4xx, never 5xx."""
    targets = {
        "hazard_zones": rows.zone((-71.12, 42.36, -71.10, 42.38)),
        "shelters": rows.shelter(-71.11, 42.37, capacity=50),
        "stockpiles": rows.stockpile(-71.11, 42.37),
        "cameras": rows.camera(-71.11, 42.37),
        "incidents": rows.incident((-71.11, 42.37)),
        "units": rows.unit(-71.11, 42.37),
    }

    def writes(operation: Any) -> bool:
        return operation.method.upper() in ("POST", "PUT", "PATCH") and "/items" in operation.path

    def on_a_feature(case: Any) -> None:
        if "featureId" in (case.path_parameters or {}):
            case.path_parameters["featureId"] = str(targets[case.path.split("/")[2]])

    schema = schemathesis.openapi.from_wsgi("/ogc/openapi?f=json", app)
    statuses: Counter[Any] = Counter()
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        failures, seen = _fuzz(
            schema,
            mode,
            examples=10,
            headers={"Authorization": f"Bearer {admin_key}"},
            accept=writes,
            adjust=on_a_feature,
        )
        assert failures == [], failures[:5]
        statuses += seen
    assert len({(m, p) for m, p, _ in statuses}) == 3 * len(
        LAYER_IDS
    )  # POST, PUT, PATCH of each layer
    answered = Counter(status for _, _, status in statuses)
    assert answered[201] and answered[200] and answered[422], answered
