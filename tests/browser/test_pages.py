"""Every page opens in the browser drawn from its first layout answer, with no router callback before it
shows, having fetched the shared assets and its own but no other page's, and without console errors (the
`page` fixture fails on any)."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from dashboard.app import PAGES

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn

#: The element each page draws around everything else (its layout's outermost class).
ROOT_CLASS = {"": "leaders", "wall": "wall", "coverage": "coverage", "routes": "routes", "planner": "planner",
              "intake": "intake", "admin": "admin"}
SHARED = {"app.css", "session.js"}


def _draws_the_page(request: Request) -> bool:
    if "/_dash-update-component" not in request.url:
        return False
    return "app-page.children" in json.loads(request.post_data or "{}").get("output", "")


@pytest.mark.parametrize("route", list(PAGES))
def test_a_page_shows_without_a_router_round_trip_and_fetches_no_other_page_s_assets(
    page: Page, demo_app_url: str, route: str
) -> None:
    asked: list[Request] = []
    page.on("request", lambda request: asked.append(request))
    page.goto(f"{demo_app_url}/{route}")
    expect(page.locator(f"#app-page .{ROOT_CLASS[route]}").first).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")

    assets = {urlsplit(r.url).path.rsplit("/", 1)[-1] for r in asked if "/assets/" in r.url}
    assert assets == SHARED | set(getattr(PAGES[route], "ASSETS", ()))
    assert not [r.url for r in asked if _draws_the_page(r)]


def test_a_layout_asked_without_a_referrer_is_drawn_by_the_router(page: Page, demo_app_url: str) -> None:
    """A browser that sends no Referer still gets its page: the router callback draws it."""
    asked: list[Request] = []
    page.on("request", lambda request: asked.append(request))
    page.route("**/_dash-layout", lambda route: route.fulfill(response=route.fetch(
        headers={k: v for k, v in route.request.headers.items() if k.lower() != "referer"})))
    page.goto(f"{demo_app_url}/coverage")
    expect(page.locator("#app-page .coverage").first).to_be_visible(timeout=20_000)
    assert len([r for r in asked if _draws_the_page(r)]) == 1
