"""The routes page as a person sees it: a team's numbered stops and way on the map, the day-by-day
schedule beside it, and the plan as GPX."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import gpxpy
import pytest
from playwright.sync_api import Page, expect

from dashboard.app import create_app
from dashboard.settings import Settings

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn
QUERY = "/routes?from=2026-06-01&days=7&team=SB-H1"


@pytest.fixture(scope="module")
def routes_url(
    demo_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[Callable[[Any], str]], str]:
    settings = Settings.from_env({}, store=demo_store, cache_dir=tmp_path_factory.mktemp("routes-cache"))
    app = create_app(settings)
    return lambda serve: serve(app.server)


def test_the_page_shows_the_route_and_its_schedule(
    page: Page, serve_wsgi: Callable[[Any], str], routes_url: Callable[[Callable[[Any], str]], str],
    tmp_path: Path,
) -> None:
    page.goto(routes_url(serve_wsgi) + QUERY)
    numbers = page.locator(".route-number")
    expect(numbers.first).to_be_visible(timeout=30_000)
    visits = page.locator(".schedule-visit")
    stops = visits.count()
    assert stops > 0
    assert numbers.count() == stops + 1  # every stop numbered, and the base
    assert [numbers.nth(n).inner_text() for n in range(1, 4)] == ["1", "2", "3"]
    assert page.locator(".schedule-day").first.inner_text().startswith("2026-06-01")
    expect(page.locator(".routes-team-name")).to_contain_text("SB-H1")
    painted = page.evaluate("document.querySelectorAll('.leaflet-overlay-pane path').length")
    assert painted > stops  # the way, its arrows and the camps are drawn
    page.screenshot(path="/tmp/routes-1920x1080.png")

    with page.expect_download() as download:
        page.locator("#routes-gpx-button").click()
    saved = tmp_path / "plan.gpx"
    download.value.save_as(saved)
    gpx = gpxpy.parse(saved.read_text(encoding="utf-8"))
    assert len(gpx.waypoints) == stops
    assert gpx.routes[0].name.startswith("SB-H1")

    page.locator("#routes-team").click()
    page.get_by_text("阿克塞马背便民服务队 (AKS-H1)").click()
    expect(page.locator(".routes-team-name")).to_contain_text("AKS-H1", timeout=20_000)
    assert "team=AKS-H1" in page.url
