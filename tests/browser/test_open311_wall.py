"""A case POSTed to /open311/v2/requests.json reaches the command-centre wall at its next refresh, with no
restart and no reload: the wall's incidents tile and its "today" tile both count it."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from geo.api import Col, Layer, add_client, open_store

from .test_wall import _MARK_PAGE, _SAME_PAGE, copy_store, kpi_values, open_wall, serve_wall

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn


def _post(url: str, fields: dict[str, str]) -> tuple[int, list[dict[str, object]]]:
    body = urllib.parse.urlencode(fields).encode("utf-8")
    with urllib.request.urlopen(urllib.request.Request(url, data=body, method="POST"), timeout=120) as answer:
        return answer.status, json.loads(answer.read())


def test_a_posted_case_shows_up_on_the_wall_in_place(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, tmp_path: Path,
    screenshot: Callable[[str], Path],
) -> None:
    store = copy_store(demo_store, tmp_path / "store")
    key = add_client(open_store(store), "grid-app").api_key
    newest = open_store(store).read(Layer.INCIDENTS).nlargest(1, Col.REPORTED_AT).iloc[0]
    # A refresh every 5 s: on a loaded machine the frame that follows a change takes over a second to
    # draw, and a 1 s interval would supersede each answer before it arrives.
    wall_url = serve_wall(serve_wsgi, store, tmp_path / "cache", wall_rotate_seconds=600,
                          wall_refresh_seconds=5)
    requests_url = wall_url.removesuffix("/wall") + "/open311/v2/requests.json"
    # Cases reported from the field carry no time: the server stamps them now. The first makes this
    # month the wall's (the demo's cases end earlier), so the second counts in both of its tiles.
    place = {"api_key": key, "service_code": "neighbour", "lat": f"{newest['lat']:.6f}",
             "long": f"{newest['lon']:.6f}", "description": "楼上噪音"}
    assert _post(requests_url, {**place, "client_request_id": "field-0"})[0] == 201
    open_wall(page, wall_url + "?view=city")
    before = {key: int(value.replace(",", "")) for key, value in kpi_values(page).items()
              if key in ("incidents", "today")}
    assert before["today"] >= 1
    page.evaluate(_MARK_PAGE)

    status, answer = _post(requests_url, {**place, "client_request_id": "field-1"})
    assert (status, answer[0]["service_request_id"]) == (201, "open311:grid-app.field-1")

    def tile(key: str) -> Any:
        return page.locator(f".wall-kpi[data-kpi={key}] .wall-kpi-value")

    expect(tile("incidents")).to_have_text(f"{before['incidents'] + 1:,}", timeout=150_000)
    expect(tile("today")).to_have_text(f"{before['today'] + 1:,}", timeout=30_000)
    assert page.evaluate(_SAME_PAGE), "the page reloaded or redrew its tiles from scratch"
    screenshot("wall_today_1920x1080")
