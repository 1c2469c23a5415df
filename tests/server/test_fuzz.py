"""schemathesis against the service's own OpenAPI schema, over HTTP: no 500s, every answer documented.

Half of the cases carry a valid kiosk token and the right versions, so the fuzzer reaches the push and pull
logic instead of stopping at authentication; the other half check that missing or bad tokens get a 4xx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance

from kiosk.domain import schema
from kiosk.protocol.tables import PROTOCOL_VERSION
from kiosk.server import auth
from tests.sync.conftest import District
from tests.sync.harness import ServerProcess


@pytest.fixture(autouse=True)
def _no_rate_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fuzzer sends hundreds of sign-ins and enrollments a minute: it tests the handlers, not the limiter
    (tests/server/test_hostile.py tests that)."""
    monkeypatch.setenv("KIOSK_RATE_LIMIT_SCALE", "0")


@pytest.fixture
def enrolled(district: District, server: ServerProcess) -> Iterator[tuple[str, str]]:
    code, _, _ = auth.create_enrollment_code(district.db, district.campus)
    resp = httpx.post(server.url + "/v1/enroll", json={"protocol": PROTOCOL_VERSION, "code": code, "name": "fuzz",
                                                      "schema_rev": schema.head_revision()})
    yield server.url, resp.json()["token"]


def test_no_request_crashes_the_service(enrolled: tuple[str, str]) -> None:
    url, token = enrolled
    api = schemathesis.openapi.from_url(url + "/openapi.json")
    seen: dict[str, set[int]] = {}
    for result in api.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/v1/"):
            continue  # the status and survey pages have their own tests

        @given(case=operation.as_strategy(), authorized=st.booleans())
        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case: Any, authorized: bool) -> None:
            headers = {}
            if authorized:
                headers["Authorization"] = f"Bearer {token}"
                if isinstance(case.body, dict):
                    case.body["protocol"] = PROTOCOL_VERSION
                    case.body["schema_rev"] = schema.head_revision()
            response = case.call(base_url=url, headers=headers, timeout=20)
            assert response.status_code < 500, response.text[:500]
            # the schema cannot say which tables or cursors exist, so a schema-valid body may get a 422 reason
            case.validate_response(response, excluded_checks=[positive_data_acceptance])
            if case.path in ("/v1/push", "/v1/pull") and not authorized:
                assert response.status_code in (400, 401, 422)  # 400: a NUL or lone surrogate in the body
            seen.setdefault(case.path, set()).add(response.status_code)

        fuzz()
    assert {"/v1/push", "/v1/pull", "/v1/sync", "/v1/enroll", "/v1/info"} <= set(seen)
    assert 200 in seen["/v1/pull"] and 401 in seen["/v1/push"]  # the fuzzer got past authentication, and not


def test_oversized_and_malformed_batches_get_a_4xx_with_a_reason(enrolled: tuple[str, str]) -> None:
    url, token = enrolled
    headers = {"Authorization": f"Bearer {token}"}
    base = {"protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision()}
    op = {"op_id": "00000000-0000-7000-8000-000000000001", "table": "devices",
          "row_id": "00000000-0000-7000-8000-000000000002", "kind": "update", "set": {"notes": "x"},
          "hlc": "0000000000001:00000:" + "a" * 32}
    too_many = httpx.post(url + "/v1/push", json={**base, "ops": [op] * 2001}, headers=headers, timeout=30)
    assert too_many.status_code == 422 and "2000" in too_many.text
    huge = httpx.post(url + "/v1/push", content=b"{" + b" " * (17 * 1024 * 1024) + b"}", headers={
        **headers, "content-type": "application/json"}, timeout=30)
    assert huge.status_code == 413 and "larger than" in huge.json()["detail"]
    garbage = httpx.post(url + "/v1/push", content=b"{not json", headers={**headers,
                                                                         "content-type": "application/json"})
    assert garbage.status_code == 422
    bad_value = httpx.post(url + "/v1/push", json={**base, "ops": [{**op, "set": {"purchase_cost_cents": "lots"}}]},
                           headers=headers)
    assert bad_value.status_code == 422 and "must be an integer" in bad_value.json()["problems"][0]["reason"]
    bad_cursor = httpx.post(url + "/v1/pull", json={**base, "cursor": "bm9wZQ=="}, headers=headers)
    assert bad_cursor.status_code == 422 and "cursor" in bad_cursor.json()["detail"]
    bad_round = httpx.post(url + "/v1/sync", json={**base, "cursor": "bm9wZQ=="}, headers=headers)
    assert bad_round.status_code == 422 and "cursor" in bad_round.json()["detail"]
    too_many_round = httpx.post(url + "/v1/sync", json={**base, "ops": [op] * 2001}, headers=headers, timeout=30)
    assert too_many_round.status_code == 422 and "2000" in too_many_round.text

    def chunked() -> Iterator[bytes]:
        yield b'{"protocol": ' + str(PROTOCOL_VERSION).encode() + b'}'

    no_length = httpx.post(url + "/v1/sync", content=chunked(), headers={**headers,
                                                                          "content-type": "application/json"})
    assert no_length.status_code == 411 and "Content-Length" in no_length.json()["detail"]


POISON = st.sampled_from(["\x00", "\ud800", "\udfff", "a\udbff", "\u0000tail"])


def _string_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(value, str):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _string_paths(v, (*path, k))]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _string_paths(v, (*path, i))]
    return []


def _poisoned(body: Any, path: tuple[Any, ...], bad: str) -> Any:
    if not path:
        return body + bad if isinstance(body, str) else bad
    head, *rest = path
    copy = dict(body) if isinstance(body, dict) else list(body)
    copy[head] = _poisoned(body[head], tuple(rest), bad)
    return copy


def test_lone_surrogates_and_nuls_anywhere_in_a_body_get_a_400(enrolled: tuple[str, str]) -> None:
    """schemathesis's schema-valid bodies with a lone surrogate or a NUL put into one string of each (a custom
    strategy on top of the operation's own): always a 400 with its reason, never a 500 (before: 500)."""
    url, token = enrolled
    api = schemathesis.openapi.from_url(url + "/openapi.json")
    refused: list[str] = []

    def fuzzer(operation: Any) -> Any:
        @given(case=operation.as_strategy(), bad=POISON, data=st.data())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case: Any, bad: str, data: st.DataObject) -> None:
            body = case.body if isinstance(case.body, dict) else {}
            body = {**body, "protocol": PROTOCOL_VERSION, "schema_rev": schema.head_revision()}
            leaves = _string_paths(body)
            where = data.draw(st.sampled_from(leaves)) if leaves else ("extra",)
            raw = json.dumps(_poisoned(body, where, bad)).encode()  # ensure_ascii: surrogates travel as escapes
            resp = httpx.post(url + operation.path, content=raw, timeout=20, headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            assert resp.status_code == 400, (operation.path, raw[:300], resp.status_code, resp.text[:300])
            refused.append(operation.path)

        return fuzz

    for result in api.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == "POST" and operation.path.startswith("/v1/"):
            fuzzer(operation)()
    assert {"/v1/push", "/v1/pull", "/v1/sync", "/v1/enroll", "/v1/signin"} <= set(refused)
