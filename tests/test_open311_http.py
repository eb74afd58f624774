"""The Open311 endpoints over HTTP (Flask's test client on a bare Dash app over the hand-drawn store):
the spec's documents, its error document for every refusal, keys, idempotent POSTs and the limits."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import dash
import flask.testing
import pandas as pd
import pytest
from fixtures.ingest.crafted_store import build_store

from dashboard.data.open311 import Open311Desk
from dashboard.open311.routes import MAX_POST_BYTES, install
from dashboard.settings import Settings
from geo.api import PERSONAL_FIELDS, add_client, read_audit, revoke_client
from geo.store import GeoPackageStore

V2 = "/open311/v2"


@pytest.fixture
def store(tmp_path: Path) -> GeoPackageStore:
    return build_store(tmp_path / "store.gpkg")


def _client(store: GeoPackageStore, tmp_path: Path, *, rate: float = 100.0,
            burst: int = 100) -> flask.testing.FlaskClient:
    app = dash.Dash(__name__)
    app.layout = dash.html.Div()
    settings = Settings.from_env({}, store=store.path, cache_dir=tmp_path / "cache")
    install(app, Open311Desk(settings), rate_per_s=rate, burst=burst)
    return app.server.test_client()


@pytest.fixture
def key(store: GeoPackageStore) -> str:
    return add_client(store, "grid-app").api_key


CASE = {"service_code": "land", "lat": "39.736", "long": "98.507", "client_request_id": "r1",
        "description": "地界纠纷", "phone": "13900000001"}


def _error(response: object) -> tuple[int, str]:
    (document,) = json.loads(response.data)  # type: ignore[attr-defined]
    return document["code"], document["description"]


def test_services_list_every_category_in_json_and_xml(store: GeoPackageStore, tmp_path: Path) -> None:
    http = _client(store, tmp_path)
    services = http.get(f"{V2}/services.json").get_json()
    assert [s["service_code"] for s in services][:2] == ["neighbour", "marriage_family"]
    assert services[0]["service_name"] == "邻里纠纷" and services[0]["service_name_en"] == "Neighbour dispute"
    xml = http.get(f"{V2}/services.xml")
    assert xml.content_type == "text/xml; charset=utf-8"
    root = ElementTree.fromstring(xml.data)
    assert root.tag == "services" and root.find("service/service_code").text == "neighbour"  # type: ignore[union-attr]


def test_a_posted_case_reads_back_without_personal_fields(store: GeoPackageStore, tmp_path: Path,
                                                           key: str) -> None:
    http = _client(store, tmp_path)
    created = http.post(f"{V2}/requests.json", data={**CASE, "api_key": key})
    assert created.status_code == 201
    assert created.get_json() == [{"service_request_id": "open311:grid-app.r1", "service_notice": "",
                                   "account_id": None}]
    again = http.post(f"{V2}/requests.json", json=CASE, headers={"X-Api-Key": key})
    assert (again.status_code, again.get_json()[0]["service_request_id"]) == (200, "open311:grid-app.r1")
    (listed,) = http.get(f"{V2}/requests.json?service_code=land&status=open").get_json()
    shown = (listed["service_code"], listed["status"], listed["lat"], listed["long"])
    assert shown == ("land", "open", 39.74, 98.51)
    assert not set(listed) & PERSONAL_FIELDS and "13900000001" not in json.dumps(listed)
    one = http.get(f"{V2}/requests/open311:grid-app.r1.xml")
    assert ElementTree.fromstring(one.data).find("request/service_code").text == "land"  # type: ignore[union-attr]


def test_a_client_with_the_detail_right_lists_in_full_and_is_logged(store: GeoPackageStore, tmp_path: Path,
                                                                     key: str) -> None:
    hotline = add_client(store, "hotline-12345", detail=True).api_key
    http = _client(store, tmp_path)
    assert http.post(f"{V2}/requests.json", data={**CASE, "api_key": key,
                                                   "address_string": "南大街58号"}).status_code == 201
    (public,) = http.get(f"{V2}/requests.json?service_code=land").get_json()
    (plain,) = http.get(f"{V2}/requests.json?service_code=land&api_key={key}").get_json()
    (full,) = http.get(f"{V2}/requests.json?service_code=land", headers={"X-Api-Key": hotline}).get_json()
    assert public == plain, "a client without the right lists what anyone may"
    assert (full["lat"], full["long"]) == (39.736, 98.507)
    assert (full["description"], full["address"]) == ("地界纠纷", "南大街58号")
    assert "13900000001" not in json.dumps(full), "a phone is no field of the listing, even in full"
    one = http.get(f"{V2}/requests/open311:grid-app.r1.json?api_key={hotline}").get_json()
    assert one[0]["description"] == "地界纠纷"
    logged = read_audit(store, action="export")
    assert list(logged["actor"]) == ["open311:hotline-12345"] * 2
    assert http.get(f"{V2}/requests.json?api_key=forged").status_code == 403


@pytest.mark.parametrize(
    ("method", "path", "fields", "status", "words"),
    [
        ("post", "requests.json", {}, 403, "api_key is required"),
        ("post", "requests.json", {"api_key": "nope"}, 403, "api_key is not valid"),
        ("post", "requests.json", {"service_code": "006"}, 400, "'006' is not a service here"),
        ("post", "requests.json", {"service_code": "land", "lat": "37.76", "long": "-122.46"}, 400,
         "outside the city's extent"),
        ("get", "requests.json?status=pending", None, 400, "status pending: allowed are open, closed"),
        ("get", "requests.json?start_date=2024-06-01", None, 400, "expected a W3C datetime with a zone"),
        ("get", "requests.csv", None, 404, "format 'csv'"),
        ("get", "requests/nothing.json", None, 404, "no service request 'nothing'"),
        ("get", "tokens/1.json", None, 404, "no Open311 resource 'tokens/1.json'"),
        ("post", "services.json", {}, 405, "services are read with GET"),
    ],
)
def test_every_refusal_is_the_specs_error_document(store: GeoPackageStore, tmp_path: Path, key: str,
                                                    method: str, path: str, fields: dict[str, str] | None,
                                                    status: int, words: str) -> None:
    http = _client(store, tmp_path)
    if fields is not None and "api_key" not in fields and fields:
        fields = {**fields, "api_key": key}
    response = getattr(http, method)(f"{V2}/{path}", data=fields)
    assert response.status_code == status
    code, description = _error(response)
    assert code == status and words in description


def test_errors_come_as_xml_for_an_xml_resource(store: GeoPackageStore, tmp_path: Path) -> None:
    response = _client(store, tmp_path).post(f"{V2}/requests.xml", data={})
    root = ElementTree.fromstring(response.data)
    assert (response.status_code, root.tag, root.findtext("error/code")) == (403, "errors", "403")


def test_a_revoked_key_is_refused(store: GeoPackageStore, tmp_path: Path, key: str) -> None:
    http = _client(store, tmp_path)
    assert http.post(f"{V2}/requests.json", data={**CASE, "api_key": key}).status_code == 201
    revoke_client(store, "grid-app")
    response = http.post(f"{V2}/requests.json", data={**CASE, "client_request_id": "r2", "api_key": key})
    assert _error(response) == (403, "api_key is not valid (unknown or revoked)")


def test_a_big_body_and_a_fast_client_are_limited(store: GeoPackageStore, tmp_path: Path, key: str) -> None:
    http = _client(store, tmp_path, rate=0.01, burst=2)  # refills a token in 100 s: not during the test
    big = http.post(f"{V2}/requests.json", data={**CASE, "api_key": key, "description": "x" * MAX_POST_BYTES})
    assert _error(big)[0] == 413
    answers = [http.post(f"{V2}/requests.json", data={**CASE, "client_request_id": f"r{n}", "api_key": key})
               for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert 60 <= int(answers[2].headers["Retry-After"]) <= 100
    assert _error(answers[2])[1].startswith("client grid-app is over its rate")


#: The fields of the spec's "GET Service Requests" response.
SPEC_FIELDS = frozenset({
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url"})


def test_a_posted_request_reads_back_as_sent_in_the_specs_fields(store: GeoPackageStore, tmp_path: Path,
                                                                 key: str) -> None:
    http = _client(store, tmp_path)
    sent = {**CASE, "requested_datetime": "2024-05-31T22:15:00Z", "media_url": "http://intranet/p/1.jpg"}
    assert http.post(f"{V2}/requests.json", data={**sent, "api_key": key}).status_code == 201
    (back,) = http.get(f"{V2}/requests/open311:grid-app.r1.json").get_json()
    assert set(back) <= SPEC_FIELDS
    assert (back["service_code"], back["status"], back["media_url"]) == ("land", "open", sent["media_url"])
    assert pd.Timestamp(back["requested_datetime"]) == pd.Timestamp(sent["requested_datetime"])
    assert back["requested_datetime"] == "2024-06-01T06:15:00+08:00"
    assert abs(back["lat"] - float(sent["lat"])) <= 0.005 and abs(back["long"] - float(sent["long"])) <= 0.005
