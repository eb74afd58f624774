"""What a page's first requests answer: its HTML links the shared assets and the page's own, never another
page's, and the layout arrives with the page of the asking document drawn in it (dashboard/shell.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.overview.store import overview_client

from dashboard.app import PAGES
from dashboard.page_assets import NOT_DASH, own_assets

SHARED = {"app.css", "session.js"}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return overview_client(tmp_path_factory.mktemp("shell"), "admin")  # the admin may open every page


@pytest.mark.parametrize("route", list(PAGES))
def test_a_page_links_the_shared_assets_and_its_own_only(client: Any, route: str) -> None:
    page = client.get(f"/{route}")
    assert page.status_code == 200
    linked = set(re.findall(r'/assets/([\w.-]+)\?m=', page.get_data(as_text=True)))
    assert linked == SHARED | set(getattr(PAGES[route], "ASSETS", ()))


def test_every_asset_is_shared_or_some_page_s_own_and_still_served(client: Any) -> None:
    folder = Path(__file__).resolve().parents[1] / "dashboard" / "assets"
    files = {p.name for p in folder.iterdir() if p.suffix in (".js", ".css")}
    assert set(own_assets(PAGES.values())) <= files  # a page names no file that is not there
    assert files - set(own_assets(PAGES.values())) == SHARED
    for name in [*NOT_DASH, *own_assets(PAGES.values())]:
        assert client.get(f"/assets/{name}").status_code == 200


def _layout(client: Any, **headers: str) -> dict[str, Any]:
    answer = client.get("/_dash-layout", headers=headers)
    assert answer.status_code == 200
    return json.loads(answer.get_data(as_text=True))


def _shell_parts(layout: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    children = layout["props"]["children"]
    location = next(c for c in children if c["props"].get("id") == "app-url")
    slot = next(c for c in children if c["props"].get("id") == "app-page")
    return location["props"], slot["props"].get("children")


def test_the_layout_carries_the_page_the_browser_opened(client: Any) -> None:
    location, page = _shell_parts(_layout(client, Referer="http://localhost/coverage?lang=en"))
    assert (location["pathname"], location["search"]) == ("/coverage", "?lang=en")
    assert '"className": "coverage"' in json.dumps(page)


def test_no_browser_keeps_a_layout_for_another_page(client: Any) -> None:
    answer = client.get("/_dash-layout", headers={"Referer": "http://localhost/"})
    assert answer.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("referrer", [None, "http://elsewhere.example/coverage"])
def test_without_a_referrer_of_this_server_the_router_draws_the_page(
    client: Any, referrer: str | None
) -> None:
    location, page = _shell_parts(_layout(client, **({"Referer": referrer} if referrer else {})))
    assert "pathname" not in location  # the browser sets it, and that runs the router
    assert page is None
