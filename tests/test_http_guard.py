"""Hostile or malformed requests get a 4xx and one log line, never a 500 with a traceback."""

from __future__ import annotations

import json
import logging

import pytest
from fixtures.overview.store import overview_client

from dashboard.http_guard import MAX_BODY_BYTES, MAX_JSON_DEPTH, json_depth

UPDATE = "/_dash-update-component"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory):
    return overview_client(tmp_path_factory.mktemp("guard"), "leader")  # a leader sends no uploads


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"[1, 2]", "body is a JSON list: expected an object"),
        (b"{}", "body lacks output, outputs, inputs"),
        (b'{"output": "nope.children", "outputs": {}, "inputs": []}', "no callback has the output"),
        (b"[" * 100_000 + b"]" * 100_000, f"at most {MAX_JSON_DEPTH}"),
        (b"{not json", "body is not JSON"),
    ],
)
def test_malformed_callback_bodies_answer_400_with_the_reason(
    client, caplog, body: bytes, reason: str
) -> None:
    with caplog.at_level(logging.WARNING):
        response = client.post(UPDATE, data=body, content_type="application/json")
    assert response.status_code == 400
    assert reason in response.get_json()["error"]
    assert not any(record.exc_info for record in caplog.records), "no traceback is logged"
    assert sum("400" in record.getMessage() for record in caplog.records) == 1


def test_a_body_over_the_limit_answers_413_before_it_is_read(client) -> None:
    response = client.post(UPDATE, data=b" " * (MAX_BODY_BYTES + 1), content_type="application/json")
    assert response.status_code == 413


@pytest.mark.parametrize(
    "path", ["/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/../../etc/passwd"]
)
def test_odd_component_suite_paths_answer_404(client, caplog, path: str) -> None:
    with caplog.at_level(logging.WARNING):
        response = client.get(path)
    assert response.status_code == 404
    assert not any(record.exc_info for record in caplog.records)


def test_an_unknown_page_answers_404_and_real_pages_200(client) -> None:
    assert client.get("/no-such-page").status_code == 404
    assert client.get("/").status_code == 200
    assert client.get("/wall").status_code == 200


def test_a_well_formed_callback_still_answers(client) -> None:
    page = client.get("/_dash-layout").get_json()
    assert page is not None
    dependencies = client.get("/_dash-dependencies").get_json()
    assert dependencies, "the app registers callbacks"


def test_json_depth_skips_brackets_inside_strings() -> None:
    assert json_depth(json.dumps({"a": ["[[[[", {"b": "{{{"}]}).encode()) == 3
    assert json_depth(b"12") == 0
