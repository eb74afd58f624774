"""Personal fields never leave the server unmasked for a role without the right: everything a leader, a
county's leader and a planner receive while using their pages (page, layout, callbacks, map files) is
searched for every name, phone, address and description in the store. The wall's own scan, as a kiosk,
is in test_wall.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, Response, expect

from dashboard.app import create_app
from dashboard.settings import Settings
from geo.api import open_store

from .conftest import VIEWPORT, sign_in_page
from .test_wall import (
    CANARIES,
    PersonalScan,
    _append_incidents,
    _readable,
    copy_store,
    personal_values,
    place_names,
    shipped_file,
)

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn

COUNTY = "620902"
#: What each account opens: its pages, with every layer of the leaders' map on.
VISITS = {
    "leader": ["/?layers=warning,heat,points,centres,orgs", f"/?area={COUNTY}&layers=warning,points",
               "/coverage", "/routes", "/wall"],
    "county_leader": [f"/?area={COUNTY}&layers=warning,heat,points,centres,orgs"],
    "planner": ["/?layers=warning,points", "/planner"],
}


def test_a_role_without_the_right_receives_no_personal_value_unmasked(
    chromium: Browser, serve_wsgi: Callable[[Any], str], demo_store: Path, tmp_path: Path,
) -> None:
    store = copy_store(demo_store, tmp_path / "store")
    _append_incidents(store, 3, **CANARIES)  # the newest incidents: on the panel's list of top incidents
    values = personal_values(store)
    # Place names, and the names of mediation rooms and personal studios ("何嘉调解工作室", named after
    # their mediator, as the seed's 76 personal studios are): public names, no leak when shown.
    public = place_names(store) + "\n" + "\n".join(
        name for layer in ("mediation_orgs", "centres") for name in open_store(store).read(layer)["name"])
    scan = PersonalScan({v for v in values if v not in public})
    url = serve_wsgi(create_app(Settings.from_env({}, store=store, cache_dir=tmp_path / "cache")).server)
    for who, paths in VISITS.items():
        context = chromium.new_context(viewport=VIEWPORT, service_workers="block")
        page = context.new_page()
        sign_in_page(page, url, who)
        searched = _received(page, url, paths)
        context.close()
        assert any("_dash-update-component" in key for key in searched), who
        leaks = {key[:120]: found for key, body in searched.items()
                 if (found := scan.found_in(_readable(body)))}
        assert not leaks, (who, leaks)
        masked = [key for key, body in searched.items() if '"said":"***"' in _readable(body).replace(" ", "")]
        assert masked, f"{who}: the panel's incidents came with their details, masked"


def _received(page: Page, url: str, paths: list[str]) -> dict[str, bytes]:
    """Every response body (but the files shipped as they are) of visiting `paths` in turn."""
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))
    searched: dict[str, bytes] = {}
    for path in paths:
        page.goto(url + path)
        page.wait_for_load_state("networkidle")
        if path.startswith("/?"):
            expect(page.locator("#leaders-panel")).not_to_be_empty(timeout=20_000)
            page.wait_for_timeout(1_000)  # the trend chart and the layers follow the map
        # A body can be read only until the page navigates away. Keyed by the visit too: every page's
        # layout comes from the same URL.
        searched |= {f"{path} {r.url}{r.request.post_data or ''}": r.body() for r in responses
                     if r.status == 200 and shipped_file(r.url) is None}
        responses.clear()
    return searched
