"""Every page, callback and file route called as every role, a county's leader, a wall kiosk and an
anonymous visitor: allowed or refused on the server, as the table below says. The table is written from
what each role is for, not read from the code's declarations, so a wrong declaration fails here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fixtures.accounts import ACCOUNTS, sign_in
from fixtures.overview.store import SUZHOU, build_overview_store

from dashboard.app import callback_rights, create_app
from dashboard.settings import Settings
from geo.api import create_wall_token, open_store

VIEWERS = ("anonymous", *ACCOUNTS, "kiosk")
#: Who may open each page (by its route); everyone else is refused.
PAGES: dict[str, set[str]] = {
    "": {"admin", "leader", "planner", "county_leader"},
    "wall": {"admin", "leader", "planner", "wall", "kiosk"},
    "coverage": {"admin", "leader", "planner"},
    "routes": {"admin", "leader", "planner"},
    "planner": {"admin", "planner"},
    "intake": {"admin", "clerk"},
    "admin": {"admin"},
}
#: The page each callback belongs to, by the prefix of its first output's id.
PREFIXES = {"leaders": "", "wall": "wall", "coverage": "coverage", "routes": "routes", "planner": "planner",
            "intake": "intake", "admin": "admin"}
SHELL = {"app", "store"}  # the router and the stale banner: any signed-in viewer


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("matrix")
    store = build_overview_store(folder / "city.gpkg")
    app = create_app(Settings.from_env({}, store=store, cache_dir=folder / "cache"))
    return {"app": app, "folder": folder, "store": store}


@pytest.fixture(scope="module")
def clients(served: dict[str, Any]) -> dict[str, Any]:
    """A test client per viewer, each signed in as a browser would be (a kiosk by its token's URL)."""
    app = served["app"]
    made = {"anonymous": app.server.test_client()}
    for who in ACCOUNTS:
        made[who] = sign_in(app.server.test_client(), who)
    key = create_wall_token(open_store(served["store"]), "matrix-kiosk").key
    made["kiosk"] = app.server.test_client()
    assert made["kiosk"].get(f"/wall?token={key}").status_code == 200
    return made


def _headers(client: Any) -> dict[str, str]:
    cookie = client.get_cookie("_csrf_token")
    return {"X-CSRFToken": cookie.value} if cookie else {}


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("route", list(PAGES))
def test_every_page_as_every_viewer(clients: dict[str, Any], route: str, viewer: str) -> None:
    response = clients[viewer].get(f"/{route}")
    if viewer == "anonymous":
        assert response.status_code == 302 and "/login?next=" in response.headers["Location"]
    elif viewer in PAGES[route]:
        assert response.status_code == 200
    elif viewer == "kiosk":
        assert response.status_code == 302 and response.headers["Location"].endswith("/wall")
    else:
        assert response.status_code == 403
        assert ACCOUNTS[viewer].user_id in response.get_data(as_text=True)


def _page_of(output: str) -> str | None:
    first = output.strip(".").split(".")[0]
    prefix = first.split("-")[0]
    return None if prefix in SHELL else PREFIXES[prefix]


def test_every_callback_is_declared_and_belongs_to_a_page(served: dict[str, Any]) -> None:
    app = served["app"]
    assert callback_rights(app.server).undeclared(app) == []
    for output in app.callback_map:
        _page_of(output)  # a KeyError names a callback of no known page


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_server_callback_as_every_viewer(served: dict[str, Any], clients: dict[str, Any],
                                               viewer: str) -> None:
    """Refused callbacks answer 401 (anonymous) or 403 before they run; allowed ones get past the check
    (their made-up inputs may then fail inside Dash, which is not what is tested here)."""
    app, client = served["app"], clients[viewer]
    outputs = [output for output, spec in app.callback_map.items() if "callback" in spec]
    assert len(outputs) >= 25
    wrong = []
    for output in outputs:
        body = {"output": output, "outputs": [], "inputs": [], "state": [], "changedPropIds": []}
        status = client.post("/_dash-update-component", json=body, headers=_headers(client)).status_code
        page = _page_of(output)
        allowed = viewer != "anonymous" and (page is None or viewer in PAGES[page])
        expected = "not 401/403" if allowed else ("401" if viewer == "anonymous" else "403")
        if (allowed and status in (401, 403)) or (not allowed and str(status) != expected):
            wrong.append(f"{output[:60]}: {status}, expected {expected}")
    assert not wrong, "\n".join(wrong)


def test_a_callback_registered_without_a_declared_need_is_refused(tmp_path: Path) -> None:
    from dash import Input, Output

    store = build_overview_store(tmp_path / "city.gpkg")
    app = create_app(Settings.from_env({}, store=store, cache_dir=tmp_path / "cache"))
    app.callback(Output("sneaky", "children"), Input("app-url", "pathname"))(lambda _: "everything")
    assert callback_rights(app.server).undeclared(app) == ["sneaky.children"]
    client = sign_in(app.server.test_client(), "admin")
    body = {"output": "sneaky.children", "outputs": {"id": "sneaky", "property": "children"},
            "inputs": [{"id": "app-url", "property": "pathname", "value": "/"}], "changedPropIds": []}
    response = client.post("/_dash-update-component", json=body, headers=_headers(client))
    assert response.status_code == 403 and "no right is declared" in response.get_json()["error"]


def test_a_callback_without_its_csrf_token_is_refused(clients: dict[str, Any]) -> None:
    body = {"output": "app-page.children", "outputs": {"id": "app-page", "property": "children"},
            "inputs": [{"id": "app-url", "property": "pathname", "value": "/"}],
            "state": [{"id": "app-url", "property": "search", "value": ""}], "changedPropIds": []}
    client = clients["admin"]
    assert client.post("/_dash-update-component", json=body).status_code == 403
    forged = {"X-CSRFToken": "forged"}
    assert client.post("/_dash-update-component", json=body, headers=forged).status_code == 403
    assert client.post("/_dash-update-component", json=body, headers=_headers(client)).status_code == 200


def _level_file(served: dict[str, Any]) -> str:
    names = sorted(p.name for p in (served["folder"] / "cache").glob("*.geojson") if "-in-" not in p.name)
    assert names, "the app prepares each level's file at start"
    return names[0]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_map_files_go_to_viewers_of_their_areas_only(served: dict[str, Any], clients: dict[str, Any],
                                                     viewer: str) -> None:
    client, whole = clients[viewer], _level_file(served)
    cases = {
        whole: {"admin", "leader", "planner", "wall", "kiosk"},  # a whole level shows every county
        whole.replace(".geojson", f"-in-{SUZHOU}.geojson"): {"admin", "leader", "planner", "wall", "kiosk",
                                                           "county_leader"},
        whole.replace(".geojson", "-in-620921.geojson"): {"admin", "leader", "planner", "wall", "kiosk"},
    }
    for name, allowed in cases.items():
        status = client.get(f"/mapdata/{name}").status_code
        if viewer == "anonymous":
            assert status == 401, name
        elif viewer in allowed:
            assert status in (200, 404), name  # a cut file exists once someone drilled down there
        else:
            assert status == 403, (name, viewer)
    wall_image = client.get("/walldata/heat-x.png").status_code
    assert wall_image == (401 if viewer == "anonymous" else 200 if viewer in PAGES["wall"] else 403)


@pytest.mark.parametrize("path", [
    "/mapdata/../session.key", "/mapdata/%2e%2e/session.key", "/mapdata/..%2fsession.key",
    "/mapdata/grid-index/anything", "/mapdata/../city.gpkg", "/assets/../../session.key",
    "/assets/%2e%2e/%2e%2e/session.key", "/_dash-component-suites/dash/../../session.key",
])
def test_no_file_route_leaves_its_folder(served: dict[str, Any], clients: dict[str, Any], path: str) -> None:
    key = (served["folder"] / "session.key").read_bytes()
    for viewer in ("anonymous", "admin"):
        response = clients[viewer].get(path)
        assert response.status_code in (400, 401, 403, 404), (viewer, path, response.status_code)
        assert key not in response.data


def test_dash_routes_need_a_viewer(clients: dict[str, Any]) -> None:
    for route in ("/_dash-layout", "/_dash-dependencies"):
        assert clients["anonymous"].get(route).status_code == 401
        assert clients["clerk"].get(route).status_code == 200
    assert clients["anonymous"].get("/login").status_code == 200
    assert clients["anonymous"].get("/assets/signin.css").status_code == 200
    assert json.loads(clients["anonymous"].get("/open311/v2/services.json").data)


def test_only_an_uploader_may_send_a_large_body_and_nobody_more_than_the_upload_limit(
        clients: dict[str, Any]) -> None:
    from dashboard.app import UPLOAD_BODY_BYTES
    from dashboard.http_guard import MAX_BODY_BYTES

    three_mb = b"{" + b" " * (3 * 2**20) + b"}"
    leader, clerk = clients["leader"], clients["clerk"]
    assert leader.post("/_dash-update-component", data=three_mb, headers=_headers(leader),
                       content_type="application/json").status_code == 413
    assert MAX_BODY_BYTES < 3 * 2**20
    answer = clerk.post("/_dash-update-component", data=three_mb, headers=_headers(clerk),
                        content_type="application/json")
    assert answer.status_code == 400  # read, then refused as no callback: the size was allowed
    too_big = b"{" + b" " * UPLOAD_BODY_BYTES + b"}"
    assert clerk.post("/_dash-update-component", data=too_big, headers=_headers(clerk),
                      content_type="application/json").status_code == 413
