"""Schemathesis against the API's own OpenAPI description, through the WSGI application, with
published demo years in the database: no answer is a server error and every answer conforms to
the schema (status code, content type, headers, body), logged in as a viewer and as an
administrator, for valid (positive) and invalid (negative) requests.

Schemathesis' own pytest plugin (``from_fixture``) does not run under pytest 9, so the test
drives the strategies with Hypothesis itself. Bounded: 15 positive and 15 negative cases per
operation, derandomised (a few seconds per database)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from cimon.web.api.schema import openapi

pytestmark = pytest.mark.django_db

EXAMPLES = 15


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes the database connection after each request (Django's test
    client switches that off; Schemathesis calls the application directly): keep the test's
    connection, and its transaction, open as the test client would."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _cookie(user: Any) -> dict[str, str]:
    c = Client()
    c.force_login(user)
    return {"sessionid": c.cookies["sessionid"].value}


def test_api_conforms_to_its_schema(published: dict[str, Any]) -> None:
    from cimon.web.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    assert schema.raw_schema == openapi()  # what is served is the module's description
    headers = [_cookie(published["users"][r]) for r in ("viewer", "admin")]
    seen: dict[str, set[int]] = {}
    operations = [r.ok() for r in schema.get_all_operations()]
    # every data operation is exercised (Schemathesis leaves out the schema's own URL)
    assert {o.path for o in operations} >= {p for p in openapi()["paths"] if "/years" in p}
    for op in operations:
        has_year = "{year}" in op.path
        passes = [(GenerationMode.POSITIVE, None), (GenerationMode.NEGATIVE, None)]
        if has_year:  # random years are rarely published: fuzz the rest on a published one
            real = {"year": 2025, **({"code": "640422"} if "{code}" in op.path else {})}
            passes.append((GenerationMode.POSITIVE, real))
        for mode, fixed in passes:
            if mode is GenerationMode.NEGATIVE and not op.definition.raw.get("parameters"):
                continue  # nothing to make invalid

            @given(case=op.as_strategy(generation_mode=mode, path_parameters=fixed))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            def check(case: Any) -> None:
                for h in headers:
                    response = case.call_and_validate(cookies=h)
                    assert response.status_code < 500
                    seen.setdefault(case.operation.label, set()).add(response.status_code)

            check()
    # the published year was reached, and invalid input was refused, not crashed on
    assert 200 in seen["GET /api/v1/years/{year}/results"]
    assert 200 in seen["GET /api/v1/years/{year}/counties/{code}"]
    assert 400 in seen["GET /api/v1/years/{year}/results"]


def test_known_year_conforms(published: dict[str, Any]) -> None:
    """Generated years rarely hit a published one: validate the real answers explicitly."""
    from cimon.web.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = _cookie(published["users"]["admin"])
    for path, params in (
        ("/api/v1/years", {}),
        ("/api/v1/years/{year}/results", {"year": 2025}),
        ("/api/v1/years/{year}/results", {"year": 2025}),
        ("/api/v1/years/{year}/counties/{code}", {"year": 2025, "code": "640422"}),
        ("/api/v1/years/{year}/incentives", {"year": 2025}),
        ("/api/v1/years/{year}/incentives", {"year": 2024}),
        ("/api/v1/years/{year}/cities", {"year": 2025}),
    ):
        op = schema.find_operation_by_path("GET", path)
        assert op is not None
        for query in ({}, {"version": 1}):
            case = schema.make_case(operation=op, path_parameters=params, query=query)
            # our real session cookie, not a generated one: the "ignored auth" check does not apply
            response = case.call_and_validate(
                cookies=headers, excluded_checks=[schemathesis.checks.ignored_auth]
            )
            assert response.status_code == 200, (path, params, query)
