"""Open311 in geo: clients and their keys, POSTed requests through the intake, the public listing and the
spec's documents, on the hand-drawn store."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fixtures.ingest.crafted_store import JT, SW, build_store

from geo.errors import GeoInputError
from geo.intake.ingest import load_intake_context
from geo.intake.profiles import load_profile
from geo.intake.quarantine import read_imports, read_quarantine
from geo.intake.readers import read_raw_table
from geo.intake.service_codes import load_service_table
from geo.open311.clients import add_client, client_of_key, read_clients, revoke_client
from geo.open311.documents import ERRORS, REQUESTS, error_list, render
from geo.open311.listing import RequestFilter, parse_filter, select_requests, service_requests
from geo.open311.submit import RequestRejected, Submission, submit_request, submit_requests
from geo.schema import PERSONAL_FIELDS
from geo.store import Store

NOW = pd.Timestamp("2024-06-01 12:00")
SERVICES = load_service_table()
PROFILE = load_profile("open311")


@pytest.fixture
def store(new_location: Callable[[], Path | str]) -> Store:
    """The hand-drawn store on each backend: client keys, idempotent POSTs and their one transaction are
    the store's to keep."""
    return build_store(new_location())


def _post(store: Store, **params: str) -> object:
    return submit_request(store, load_intake_context(store), PROFILE, SERVICES, params, client_id="app",
                          now=NOW)


def test_a_client_key_works_until_revoked_and_the_store_keeps_only_its_hash(store: Store) -> None:
    new = add_client(store, "grid-app", name="网格员App")
    clients = read_clients(store)
    assert clients["client_id"].tolist() == ["grid-app"]
    assert new.api_key not in clients.to_string() and len(clients["key_sha256"].iloc[0]) == 64
    assert client_of_key(clients, new.api_key) == "grid-app"
    assert client_of_key(clients, new.api_key + "x") is None
    revoke_client(store, "grid-app")
    assert client_of_key(read_clients(store), new.api_key) is None
    with pytest.raises(GeoInputError, match="already revoked"):
        revoke_client(store, "grid-app")
    with pytest.raises(GeoInputError, match="already exists"):
        add_client(store, "grid-app")
    with pytest.raises(GeoInputError, match="client id 'Grid App'"):
        add_client(store, "Grid App")


def test_a_posted_request_becomes_a_case_in_its_grid_once(store: Store) -> None:
    params = {"service_code": "land", "lat": "39.735", "long": "98.505", "client_request_id": "r1",
              "description": "地界纠纷", "first_name": "王", "last_name": "五", "phone": "13900000001"}
    first = _post(store, **params)
    again = _post(store, **params)
    assert (first.service_request_id, first.created, again.created) == ("open311:app.r1", True, False)
    incidents = pd.DataFrame(store.read("incidents"))
    assert len(incidents) == 1
    row = incidents.iloc[0]
    assert row[["grid_code", "category", "status", "service_name"]].tolist() == [
        SW, "land", "open", "土地纠纷"]
    assert row[["reporter_name", "reporter_phone", "description"]].tolist() == [
        "王 五", "13900000001", "地界纠纷"]
    assert row["reported_at"] == NOW


def test_a_posted_address_is_geocoded(store: Store) -> None:
    _post(store, service_code="neighbour", address_string="金塔县东关街道金园村三组5号",
          client_request_id="a")
    row = pd.DataFrame(store.read("incidents")).iloc[0]
    assert (row["grid_code"], row["flags"]) == (JT, "geocoded")


def test_a_request_the_checks_reject_is_quarantined_once_with_why(store: Store) -> None:
    params = {"service_code": "land", "lat": "37.76", "long": "-122.46", "client_request_id": "far"}
    for _ in range(2):
        with pytest.raises(RequestRejected, match="outside the city's extent"):
            _post(store, **params)
    assert read_quarantine(store)["reason"].tolist() == ["outside_city"]
    assert "incidents" not in store.layers()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"lat": "39.735", "long": "98.505"}, "service_code is required"),
        ({"service_code": "006", "lat": "39.735", "long": "98.505"}, "'006' is not a service here"),
        ({"service_code": "land"}, "a location is required"),
        ({"service_code": "land", "lat": "39.735", "long": "98.505", "client_request_id": "a b"},
         "client_request_id 'a b'"),
        ({"service_code": "land", "lat": "39.735", "long": "98.505", "description": "x" * 5000},
         "description has 5000 characters"),
    ],
)
def test_requests_the_spec_forbids_are_refused_before_the_intake(
    store: Store, params: dict[str, str], message: str,
) -> None:
    with pytest.raises(RequestRejected, match=message):
        _post(store, **params)
    assert "quarantine" not in store.layers() and "incidents" not in store.layers()


def _listed(store: Store, **params: str) -> list[dict[str, object]]:
    incidents = pd.DataFrame(store.read("incidents"))
    chosen = select_requests(incidents, parse_filter(params, SERVICES), now=NOW)
    return service_requests(chosen, SERVICES)


def test_the_listing_has_no_personal_field_and_generalised_positions(store: Store) -> None:
    _post(store, service_code="land", lat="39.7351", long="98.5057", client_request_id="r1",
          description="地界纠纷", first_name="王", phone="13900000001", address_string="河渠社区")
    (request,) = _listed(store)
    assert not set(request) & PERSONAL_FIELDS and "address_id" not in request
    assert (request["lat"], request["long"]) == (39.74, 98.51)
    assert "13900000001" not in json.dumps(request, ensure_ascii=False)
    assert request["requested_datetime"] == "2024-06-01T12:00:00+08:00"
    assert (request["service_code"], request["status"]) == ("land", "open")


def test_the_spec_filters_and_the_area_extension_select_requests(store: Store) -> None:
    _post(store, service_code="land", lat="39.735", long="98.505", client_request_id="sw")
    _post(store, service_code="traffic", lat="39.735", long="98.53", client_request_id="jt")
    def ids(**params: str) -> list[object]:
        return [r["service_request_id"] for r in _listed(store, **params)]
    assert ids() == ["open311:app.sw", "open311:app.jt"]
    assert ids(service_code="traffic") == ["open311:app.jt"]
    assert ids(area="620921") == ["open311:app.jt"]
    assert ids(area=SW) == ["open311:app.sw"]
    assert ids(status="closed") == []
    assert ids(start_date="2024-06-01T04:00:01Z") == []  # 12:00 in Beijing is 04:00 UTC
    assert len(ids(start_date="2024-06-01T04:00:00Z", end_date="2024-06-01T12:00:00+08:00")) == 2


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "pending"}, "status pending: allowed are open, closed"),
        ({"service_code": "006"}, "service_code 006: allowed are"),
        ({"start_date": "2024-06-01"}, "start_date '2024-06-01': expected a W3C datetime with a zone"),
        ({"area": "12"}, "area: area code '12' has no level"),
        ({"page": "2"}, "unknown parameter"),
    ],
)
def test_a_bad_filter_names_the_parameter(params: dict[str, str], message: str) -> None:
    with pytest.raises(GeoInputError, match=message):
        parse_filter(params, SERVICES)


def test_the_xml_listing_reads_back_through_the_file_intake(store: Store, tmp_path: Path) -> None:
    _post(store, service_code="land", lat="39.735", long="98.505", client_request_id="r1")
    listed = _listed(store)
    path = tmp_path / "requests.xml"
    path.write_text(render(listed, "xml", root=REQUESTS[0], element=REQUESTS[1]), encoding="utf-8")
    frame = read_raw_table(path).frame
    assert frame.loc[0, "service_request_id"] == "open311:app.r1"
    assert frame.loc[0, "status"] == "open" and frame.loc[0, "lat"] == "39.74"
    assert list(frame.columns) == list(listed[0])


def test_the_error_document_has_the_specs_code_and_description() -> None:
    xml = render(error_list(403, "api_key is not valid"), "xml", root=ERRORS[0], element=ERRORS[1])
    assert xml.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    error = ElementTree.fromstring(xml.split("\n", 1)[1]).find("error")
    assert error is not None
    assert (error.findtext("code"), error.findtext("description")) == ("403", "api_key is not valid")
    assert json.loads(render(error_list(404, "x"), "json", root="errors", element="error")) == [
        {"code": 404, "description": "x"}]


def test_an_empty_filter_is_the_default_span() -> None:
    assert parse_filter({}, SERVICES) == RequestFilter()


def test_requests_posted_together_are_answered_in_order_from_one_transaction(store: Store) -> None:
    case = {"service_code": "land", "lat": "39.735", "long": "98.505", "client_request_id": "r1"}
    far = {"service_code": "land", "lat": "37.76", "long": "-122.46", "client_request_id": "far"}
    answers = submit_requests(store, load_intake_context(store), PROFILE, SERVICES, [
        ("app", case), ("app", {**case, "service_code": "006"}), ("app", case), ("app", far),
        ("other-app", case)], now=NOW)
    made, bad_code, repeat, outside, other = answers
    assert isinstance(made, Submission)
    assert (made.service_request_id, made.created) == ("open311:app.r1", True)
    assert isinstance(bad_code, RequestRejected) and "'006' is not a service" in bad_code.detail
    assert isinstance(repeat, Submission) and (repeat.service_request_id, repeat.created) == (
        "open311:app.r1", False)
    assert isinstance(outside, RequestRejected) and "outside the city's extent" in outside.detail
    assert isinstance(other, Submission) and other.service_request_id == "open311:other-app.r1"
    assert len(read_imports(store)) == 1
    assert sorted(pd.DataFrame(store.read("incidents"))["source_id"]) == ["app.r1", "other-app.r1"]
