"""The command-centre wall as the people in the room see it, on the full demo store: legible figures on a
1920x1080 and a 3840x2160 screen and on a spliced wall, every view in turn, a pause key, data that changes
in place, a stale banner while the store is away or the server is down, and nothing about any person in
anything the page receives. Short intervals come from the settings, so each test takes seconds.
"""

from __future__ import annotations

import importlib
import json
import re
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

import pandas as pd
import pytest
from dash.fingerprint import check_fingerprint
from playwright.sync_api import Page, Response, expect
from werkzeug.serving import make_server

from dashboard.app import ASSETS_DIR, create_app
from dashboard.components.warning_map import palette
from dashboard.settings import Settings
from dashboard.wall.views import COVERAGE_COLOURS
from geo.api import PERSONAL_FIELDS, Col, Layer, create_wall_token, open_store

from .conftest import sign_in_page

if TYPE_CHECKING:
    from .conftest import PageWatch

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn

WARNING_COLOURS = palette("dark", scored_only=True)  # the fills a person sees
KPI_KEYS: Final = ("today", "incidents", "closure", "red", "overdue", "mediation")
TOWNSHIPS: Final = 77
COUNTY_TITLES: Final = (
    "肃州区", "金塔县", "瓜州县", "肃北蒙古族自治县", "阿克塞哈萨克族自治县", "玉门市", "敦煌市",
)
ROTATION_TITLES: Final = ("全市总览", *COUNTY_TITLES, "事件热力", "调解覆盖", "服务队本周路线")

# ---------------------------------------------------------------- helpers

# Runs before the page's scripts (after the harness's Leaflet probe): marks each map moving or still.
_TRACK_MOVES: Final = """
(() => {
  const hook = setInterval(() => {
    if (window.L && window.L.Map && !window.L.Map.__wallMoves) {
      window.L.Map.__wallMoves = true;
      window.L.Map.addInitHook(function () {
        this.__moving = false;
        this.on("movestart zoomstart", () => { this.__moving = true; });
        this.on("moveend", () => { this.__moving = false; });
      });
      clearInterval(hook);
    }
  }, 1);
})();
"""


@pytest.fixture(scope="session")
def wall_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One geometry cache for every wall test: its files are named by boundary version."""
    return tmp_path_factory.mktemp("wall-cache")


def copy_store(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copyfile(source, folder / "wall.gpkg"))


def wall_settings(store: Path, cache: Path, **overrides: Any) -> Settings:
    return Settings.from_env({}, store=store, cache_dir=cache, **overrides)


def serve_wall(serve_wsgi: Callable[[Any], str], store: Path, cache: Path, **overrides: Any) -> str:
    """Serve the dashboard on `store` with the wall settings `overrides`; returns the wall's URL."""
    return serve_wsgi(create_app(wall_settings(store, cache, **overrides)).server) + "/wall"


def open_wall(page: Page, url: str, *, timeout_ms: float = 30_000) -> None:
    """Go to the wall and wait until the tiles show figures and every township is on the map."""
    page.context.add_init_script(_TRACK_MOVES)
    page.goto(url)
    wait_for_wall(page, timeout_ms=timeout_ms)


def wait_for_wall(page: Page, *, timeout_ms: float = 30_000) -> None:
    wait_for_figures(page, timeout_ms=timeout_ms)
    page.wait_for_function(
        """(n) => (window.__leafletMaps || []).some((map) => {
            let townships = 0;
            map.eachLayer((layer) => {
              if (layer.feature && layer.feature.properties.level === "township") { townships += 1; }
            });
            return townships === n;
        })""",
        arg=TOWNSHIPS,
        timeout=timeout_ms,
    )


def wait_for_figures(page: Page, *, timeout_ms: float = 30_000) -> None:
    page.wait_for_function(
        """(n) => { const values = [...document.querySelectorAll('#wall-kpis .wall-kpi-value')];
                    return values.length === n && values.every((value) => value.textContent.length > 0); }""",
        arg=len(KPI_KEYS),
        timeout=timeout_ms,
    )


def kpi_values(page: Page) -> dict[str, str]:
    return {key: page.locator(f".wall-kpi[data-kpi={key}] .wall-kpi-value").inner_text() for key in KPI_KEYS}


def view_title(page: Page) -> str:
    return page.locator("#wall-view-title").inner_text()


def wait_until_still(
    page: Page, bounds: tuple[float, float, float, float], *, timeout_ms: float = 15_000
) -> None:
    """Wait until the map has stopped moving with `bounds` (west, south, east, north) fitted in view."""
    page.wait_for_function(
        """([west, south, east, north]) => {
            const map = (window.__leafletMaps || [])[0];
            if (!map || map.__moving) { return false; }
            const b = map.getBounds();
            const inside = b.getWest() <= west + 1e-6 && b.getSouth() <= south + 1e-6
              && b.getEast() >= east - 1e-6 && b.getNorth() >= north - 1e-6;
            const share = Math.max((east - west) / (b.getEast() - b.getWest()),
                                   (north - south) / (b.getNorth() - b.getSouth()));
            return inside && share > 0.8;
        }""",
        arg=list(bounds),
        timeout=timeout_ms,
    )


def fill_colours(page: Page, level: str, prefix: str = "") -> dict[str, int]:
    """Features of `level` whose code starts with `prefix`, per fill colour ("none" when unfilled)."""
    counts: dict[str, int] = page.evaluate(
        """([level, prefix]) => {
            const counts = {};
            for (const map of window.__leafletMaps || []) {
              map.eachLayer((layer) => {
                const props = layer.feature && layer.feature.properties;
                if (!props || props.level !== level || !String(props.code).startsWith(prefix)) { return; }
                const colour = layer.options.fill ? layer.options.fillColor : "none";
                counts[colour] = (counts[colour] || 0) + 1;
              });
            }
            return counts;
        }""",
        [level, prefix],
    )
    return counts


def area_bounds(store: Path, code: str) -> tuple[float, float, float, float]:
    areas = open_store(store).read(Layer.AREAS, equals={Col.CODE: code}, unset=[Col.VALID_TO])
    west, south, east, north = (float(v) for v in areas.geometry.total_bounds)
    return west, south, east, north


def newest_month_figures(store: Path) -> dict[str, Any]:
    """What the city's tiles and clock line must say, counted straight from the store's incidents."""
    incidents = pd.DataFrame(open_store(store).read(Layer.INCIDENTS))
    month = incidents[Col.REPORTED_AT].dt.to_period("M")
    newest = incidents[month == month.max()]
    latest = max(incidents[Col.REPORTED_AT].max(), incidents[Col.CLOSED_AT].max())
    return {
        "incidents": len(newest),
        "closed": int((newest[Col.STATUS] == "closed").sum()),
        "in_mediation": int((incidents[Col.STATUS] == "in_progress").sum()),
        "as_of": latest.strftime("%Y-%m-%d %H:%M"),
    }


def no_overflow(page: Page) -> bool:
    fits: bool = page.evaluate("""() => {
        const root = document.documentElement;
        const parts = [...document.querySelectorAll('#wall > *')].filter((e) => e.offsetParent !== null);
        const inside = (e) => {
          const b = e.getBoundingClientRect();
          return b.right <= window.innerWidth + 1 && b.bottom <= window.innerHeight + 1;
        };
        return root.scrollWidth <= window.innerWidth && root.scrollHeight <= window.innerHeight
          && parts.every(inside);
    }""")
    return fits


def kpi_heights(page: Page) -> list[float]:
    boxes = [page.locator(f".wall-kpi[data-kpi={key}] .wall-kpi-value").bounding_box() for key in KPI_KEYS]
    return [box["height"] for box in boxes if box is not None]


# ---------------------------------------------------------------- what the room sees


def test_the_wall_fills_1920_4k_and_spliced_screens_with_numbers_read_from_the_back_of_the_room(
    page: Page, page_watch: PageWatch, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path,
    screenshot: Callable[[str], Path],
) -> None:
    url = serve_wall(serve_wsgi, demo_store, wall_cache, wall_rotate_seconds=600)
    city = area_bounds(demo_store, "620900")
    expected = newest_month_figures(demo_store)

    open_wall(page, url + "?view=city")
    wait_until_still(page, city)

    shown = kpi_values(page)
    assert shown["incidents"] == f"{expected['incidents']:,}"
    assert shown["closure"] == f"{expected['closed'] / expected['incidents']:.1%}"
    assert shown["mediation"] == f"{expected['in_mediation']:,}"
    assert page.locator("#wall-as-of").inner_text() == f"数据截至 {expected['as_of']}"
    assert re.fullmatch(r"\d{2}:\d{2}:\d{2}", page.locator("#wall-clock").inner_text())
    assert view_title(page) == "全市总览"
    townships = fill_colours(page, "township")
    assert set(townships) == set(WARNING_COLOURS.values()) and sum(townships.values()) == TOWNSHIPS
    assert page.locator("#wall-latest li").count() == 10
    assert no_overflow(page)
    screenshot("wall_city_1920x1080")

    page.set_viewport_size({"width": 3840, "height": 2160})
    wait_until_still(page, city)  # the map refits to the larger screen
    assert all(height >= 0.04 * 2160 for height in kpi_heights(page)), kpi_heights(page)
    assert no_overflow(page)
    screenshot("wall_city_3840x2160")

    page.set_viewport_size({"width": 5760, "height": 1080})
    wait_until_still(page, city)
    assert all(height >= 0.04 * 1080 for height in kpi_heights(page)), kpi_heights(page)
    assert no_overflow(page)
    screenshot("wall_city_5760x1080")

    # Read-only: nothing to type into or press, a map that does not move under a hand, and none of the
    # editing code (Leaflet.draw, dash-leaflet's EditControl chunk) loaded.
    controls = "input, button, select, textarea, a[href], [contenteditable]"
    assert page.locator("#wall").locator(controls).count() == 0
    assert page.evaluate("""() => { const map = window.__leafletMaps[0];
        return [map.dragging.enabled(), map.scrollWheelZoom.enabled(), map.doubleClickZoom.enabled(),
                map.boxZoom.enabled(), map.keyboard.enabled(), Boolean(map.zoomControl)]; }""") == [False] * 6
    assert page.evaluate("() => typeof L.Draw === 'undefined' && typeof L.Control.Draw === 'undefined'")
    assert not [url for url in page_watch.requests if "EditControl" in url or "draw" in url.lower()]


def test_the_wall_rotates_through_every_view_and_the_space_bar_pauses_it(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path,
    screenshot: Callable[[str], Path],
) -> None:
    # 3 s a view: a view's title comes with the server's answer for it, and one later than the rotation
    # step would skip the view on a loaded machine.
    url = serve_wall(serve_wsgi, demo_store, wall_cache, wall_rotate_seconds=3)
    open_wall(page, url)
    expect(page.locator("#wall-view-title")).to_have_text(ROTATION_TITLES[0], timeout=20_000)

    seen: list[str] = []
    deadline = time.monotonic() + 60
    while len(seen) < len(ROTATION_TITLES) + 1 and time.monotonic() < deadline:
        title = view_title(page)
        if title and (not seen or seen[-1] != title):
            seen.append(title)
        page.wait_for_timeout(100)
    # Every view once, in rotation order, back to where it was seen first (the first may flip past
    # before the watch starts on a slow machine).
    start = ROTATION_TITLES.index(seen[0]) if seen and seen[0] in ROTATION_TITLES else 0
    cycle = [*ROTATION_TITLES[start:], *ROTATION_TITLES[:start]]
    assert seen == [*cycle, cycle[0]]
    expect(page.locator("#wall-rotation li.current")).to_have_count(1)

    page.keyboard.press("Space")
    expect(page.locator(".wall-paused-badge")).to_be_visible()
    paused_on = view_title(page)
    page.wait_for_timeout(7_000)  # more than two rotations' worth
    assert view_title(page) == paused_on
    screenshot("wall_paused_1920x1080")

    page.keyboard.press("Space")
    expect(page.locator(".wall-paused-badge")).to_be_hidden()
    expect(page.locator("#wall-view-title")).not_to_have_text(paused_on, timeout=10_000)


def test_a_view_pinned_in_the_url_stays_and_shows_its_own_map(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path,
    screenshot: Callable[[str], Path],
) -> None:
    url = serve_wall(serve_wsgi, demo_store, wall_cache, wall_rotate_seconds=0.6)
    grids_of = open_store(demo_store).read_areas(levels=["grid"])
    suzhou_grids = int(grids_of[Col.CODE].str.startswith("620902").sum())

    open_wall(page, url + "?view=620902")
    wait_until_still(page, area_bounds(demo_store, "620902"))
    page.wait_for_timeout(1_500)  # two rotations' worth: still here
    assert view_title(page) == "肃州区"
    colours = fill_colours(page, "grid", "620902")
    assert sum(n for colour, n in colours.items() if colour in WARNING_COLOURS.values()) == suzhou_grids
    jinta_grids = int(grids_of[Col.CODE].str.startswith("620921").sum())
    assert fill_colours(page, "grid", "620921") == {"none": jinta_grids}
    screenshot("wall_county_620902_1920x1080")

    open_wall(page, url + "?view=heat")
    wait_until_still(page, area_bounds(demo_store, "620900"))
    assert view_title(page) == "事件热力"
    heat = page.locator("img.leaflet-image-layer")
    expect(heat).to_have_attribute("src", re.compile(r"/walldata/heat-[0-9a-f]+-[0-9a-f]+\.png$"))
    page.wait_for_function("() => document.querySelector('img.leaflet-image-layer').naturalWidth > 100")
    assert float(heat.evaluate("img => getComputedStyle(img).opacity")) > 0.5
    screenshot("wall_heat_1920x1080")

    open_wall(page, url + "?view=coverage")
    wait_until_still(page, area_bounds(demo_store, "620900"))
    assert view_title(page) == "调解覆盖"
    townships = fill_colours(page, "township")
    assert set(townships) <= set(COVERAGE_COLOURS) and sum(townships.values()) == TOWNSHIPS
    assert len(townships) == len(COVERAGE_COLOURS)
    screenshot("wall_coverage_1920x1080")

    open_wall(page, url + "?pause=1")
    expect(page.locator(".wall-paused-badge")).to_be_visible()
    page.wait_for_timeout(1_500)
    assert view_title(page) == "全市总览"


def test_the_routes_view_draws_each_service_team_of_the_week_in_its_own_colour(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path,
    screenshot: Callable[[str], Path],
) -> None:
    url = serve_wall(serve_wsgi, demo_store, wall_cache, wall_rotate_seconds=600)
    open_wall(page, url + "?view=routes")
    expect(page.locator(".wall-route-teams li").first).to_be_visible(timeout=30_000)
    assert view_title(page) == "服务队本周路线"
    teams = page.locator(".wall-route-teams li")
    page.wait_for_function(
        """(n) => (window.__leafletMaps || []).some((map) => {
            let lines = 0;
            map.eachLayer((layer) => {
              if (layer.feature && layer.options.pane === "wall-routes") { lines += 1; }
            });
            return lines === n;
        })""",
        arg=teams.count(),
        timeout=15_000,
    )
    colours = page.evaluate("""() => {
        const colours = [];
        for (const map of window.__leafletMaps) {
          map.eachLayer((layer) => {
            if (layer.feature && layer.options.pane === "wall-routes") { colours.push(layer.options.color); }
          });
        }
        return colours;
    }""")
    assert teams.count() >= 2 and len(set(colours)) == teams.count()
    expect(teams.first).to_contain_text(re.compile(r"\d+ 站 · [\d,]+ 户 · [\d,]+ 公里"))
    screenshot("wall_routes_1920x1080")


class SlowGeometry:
    """A WSGI app that answers geometry requests late, so that the first frame reaches the page while the
    map's layers are still loading."""

    def __init__(self, app: Any, delay_s: float) -> None:
        self.app, self.delay_s = app, delay_s

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("PATH_INFO", "").startswith("/mapdata/"):
            time.sleep(self.delay_s)
        return self.app(environ, start_response)


def test_colours_that_arrive_while_the_geometry_is_still_loading_are_applied(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path,
) -> None:
    app = create_app(wall_settings(demo_store, wall_cache, wall_rotate_seconds=600))
    url = serve_wsgi(SlowGeometry(app.server, delay_s=2.0)) + "/wall?view=620982"

    open_wall(page, url)
    wait_until_still(page, area_bounds(demo_store, "620982"))
    page.wait_for_function(  # the grid layer's delayed geometry has arrived (on a loaded machine, later)
        """() => (window.__leafletMaps || []).some((map) => {
            let grids = 0;
            map.eachLayer((layer) => { if (layer.feature?.properties?.level === "grid") { grids += 1; } });
            return grids >= 2;
        })""", timeout=20_000)

    # The frame came back within milliseconds, the geometry two seconds later: the county's grids must
    # still wear its colours (dash-leaflet alone would keep the style the layers were made with).
    assert set(fill_colours(page, "township", "620982")) == {"none"}  # a county view outlines townships
    grids = fill_colours(page, "grid", "620982")
    assert set(grids) <= set(WARNING_COLOURS.values()) and len(grids) >= 2, grids


def test_a_style_that_arrives_after_the_geometry_restyles_the_drawn_areas(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path,
) -> None:
    open_wall(page, serve_wall(serve_wsgi, demo_store, wall_cache, wall_rotate_seconds=600) + "?view=620982")
    wait_until_still(page, area_bounds(demo_store, "620982"))
    grids = fill_colours(page, "grid", "620982")
    assert len(grids) >= 2, grids

    # A newer style that dash-leaflet did not apply itself (it skips hideouts while its url loads): the
    # page must still paint every grid of the county with it.
    red = WARNING_COLOURS["red"]
    page.evaluate(
        """([prefix, colour]) => {
            const codes = {};
            for (const map of window.__leafletMaps) {
              map.eachLayer((layer) => {
                const props = layer.feature && layer.feature.properties;
                if (props && props.level === "grid" && String(props.code).startsWith(prefix)) {
                  codes[props.code] = "red";
                }
              });
            }
            const hideout = {stamp: Date.now() + 60000, focus: prefix, classes: codes, palette: {red: colour},
                             filled: {fill: true, fillOpacity: 0.8, stroke: true, weight: 0.5}};
            window.dash_clientside.pinganWall.noteHideouts(null, null, hideout);
        }""",
        ["620982", red],
    )
    assert fill_colours(page, "grid", "620982") == {red: sum(grids.values())}


# ---------------------------------------------------------------- refresh and stale data


_MARK_PAGE: Final = """() => {
    window.__wallPageMark = true;
    document.querySelector('.wall-kpi[data-kpi=incidents] .wall-kpi-value').__wallMark = true;
    window.__wallEmptied = 0;
    const watch = new MutationObserver(() => {
      for (const id of ['wall-kpis', 'wall-latest']) {
        if (document.getElementById(id).children.length === 0) { window.__wallEmptied += 1; }
      }
    });
    watch.observe(document.getElementById('wall'), {childList: true, subtree: true});
}"""
_SAME_PAGE: Final = """() => window.__wallPageMark === true
    && document.querySelector('.wall-kpi[data-kpi=incidents] .wall-kpi-value').__wallMark === true
    && performance.getEntriesByType('navigation').length === 1"""


def _append_incidents(store: Path, count: int, **values: str) -> None:
    """Copies of the newest incidents, reported a few minutes before the month's end, with `values` set."""
    incidents = open_store(store).read(Layer.INCIDENTS)
    extra = incidents.nlargest(count, Col.REPORTED_AT).copy()
    for column, value in values.items():
        extra[column] = value
    extra[Col.REPORTED_AT] = extra[Col.REPORTED_AT].max().normalize() + pd.Timedelta(hours=23, minutes=55)
    extra[Col.CLOSED_AT] = pd.NaT
    extra[Col.STATUS] = "open"
    extra["incident_id"] = [f"WALLTEST{i}" for i in range(count)]
    extra[Col.SOURCE_ID] = [f"WALLTEST{i}" for i in range(count)]
    open_store(store).write({Layer.INCIDENTS.value: extra}, mode="append")


def _city_wall_marked(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path, tmp_path: Path,
) -> tuple[Path, dict[str, str]]:
    """A wall on a copy of the demo store, held on the city view and refreshing every second, its page
    marked (_MARK_PAGE) to tell an in-place update from a reload; the copy and the figures shown."""
    store = copy_store(demo_store, tmp_path / "store")
    url = serve_wall(serve_wsgi, store, wall_cache, wall_rotate_seconds=600, wall_refresh_seconds=1)
    open_wall(page, url + "?view=city")
    shown = kpi_values(page)
    page.evaluate(_MARK_PAGE)
    return store, shown


def test_new_data_shows_up_in_place_without_a_reload_or_an_empty_frame(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path, tmp_path: Path,
) -> None:
    store, before = _city_wall_marked(page, serve_wsgi, demo_store, wall_cache, tmp_path)

    _append_incidents(store, 3)

    incidents = f"{int(before['incidents'].replace(',', '')) + 3:,}"
    value = page.locator(".wall-kpi[data-kpi=incidents] .wall-kpi-value")
    expect(value).to_have_text(incidents, timeout=45_000)
    expect(page.locator("#wall-latest li").first.locator(".wall-latest-time")).to_have_text(
        re.compile(r"\d{2}-\d{2} 23:55"))
    assert page.evaluate(_SAME_PAGE), "the page reloaded or redrew its tiles from scratch"
    assert page.evaluate("() => window.__wallEmptied") == 0, "tiles or list went blank during the update"
    assert page.evaluate("() => window.__leafletMaps.length") == 1


def _stale_since(page: Page) -> str:
    """HH:MM of the last good answer, by the page's own clock."""
    since: str = page.evaluate("""() => { const t = new Date(window.pinganWall.state.lastGoodAt);
        return String(t.getHours()).padStart(2, '0') + ':' + String(t.getMinutes()).padStart(2, '0'); }""")
    return since


def test_with_the_store_away_the_last_frame_stays_marked_stale_and_recovers_by_itself(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path, tmp_path: Path,
    screenshot: Callable[[str], Path],
) -> None:
    store, shown = _city_wall_marked(page, serve_wsgi, demo_store, wall_cache, tmp_path)
    banner = page.locator("#wall-stale")
    expect(banner).to_be_hidden()

    away = store.rename(store.with_name("away.gpkg"))
    try:
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_contain_text(f"自 {_stale_since(page)} 起未更新")
        assert kpi_values(page) == shown, "the last frame must stay on screen"
        assert sum(fill_colours(page, "township").values()) == TOWNSHIPS
        screenshot("wall_stale_1920x1080")
    finally:
        away.rename(store)

    expect(banner).to_be_hidden(timeout=10_000)
    assert kpi_values(page) == shown
    assert page.evaluate(_SAME_PAGE), "recovery must not reload the page"


def test_a_wall_opened_while_the_store_is_away_says_so_and_draws_itself_whole_once_it_is_back(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path, tmp_path: Path,
) -> None:
    store = copy_store(demo_store, tmp_path / "store")
    url = serve_wall(serve_wsgi, store, wall_cache, wall_rotate_seconds=600, wall_refresh_seconds=1)
    sign_in_page(page, url.removesuffix("/wall"))  # a session of before: nobody signs in while it is away
    away = store.rename(store.with_name("away.gpkg"))
    try:
        page.context.add_init_script(_TRACK_MOVES)
        page.goto(url + "?view=city")
        expect(page.locator("#wall-stale")).to_be_visible(timeout=10_000)
        assert page.locator("#wall").get_attribute("data-degraded") == "1"
    finally:
        away.rename(store)

    expect(page.locator("#wall")).to_have_attribute("data-degraded", "0", timeout=20_000)  # reloaded whole
    wait_for_wall(page)
    expect(page.locator("#wall-stale")).to_be_hidden()
    assert sum(fill_colours(page, "township").values()) == TOWNSHIPS
    page.goto("about:blank")  # its refresh every second must not meet the server shutting down


#: What Chromium and Dash print while the server is down, and nothing else is allowed.
_SERVER_DOWN_ERRORS: Final = (
    re.compile(r"^Failed to load resource: net::ERR_CONNECTION_REFUSED"),
    re.compile(r"^Error: Callback failed: the server did not respond\."),
)


def test_with_the_server_down_the_last_frame_stays_marked_stale_and_recovers_when_it_returns(
    page: Page, page_watch: PageWatch, demo_store: Path, wall_cache: Path, screenshot: Callable[[str], Path],
) -> None:
    app = create_app(wall_settings(demo_store, wall_cache, wall_rotate_seconds=600, wall_refresh_seconds=1))
    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    open_wall(page, f"http://127.0.0.1:{port}/wall?view=city")
    shown = kpi_values(page)
    banner = page.locator("#wall-stale")

    server.shutdown()
    server.server_close()
    expect(banner).to_be_visible(timeout=15_000)
    assert kpi_values(page) == shown
    screenshot("wall_server_down_1920x1080")

    server = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        expect(banner).to_be_hidden(timeout=15_000)
        assert kpi_values(page) == shown
    finally:
        server.shutdown()
        server.server_close()

    # The outage itself is logged by the browser and by Dash: exactly those messages are allowed here.
    unexpected = [e for e in page_watch.console_errors if not any(p.search(e) for p in _SERVER_DOWN_ERRORS)]
    assert not unexpected, unexpected
    assert page_watch.console_errors, "the outage should have been seen by the page"
    page_watch.console_errors.clear()


# ---------------------------------------------------------------- privacy


def personal_values(store: Path) -> set[str]:
    """Every value of a personal field (geo.schema.PERSONAL_FIELDS) in any layer of the store, two
    characters or longer. The audit log is left out: its `address` is the client's network address
    ("127.0.0.1", "local"), no complainant's."""
    handle = open_store(store)
    values: set[str] = set()
    for layer in set(handle.layers()) - {Layer.AUDIT.value}:
        frame = handle.read(layer)
        for column in PERSONAL_FIELDS & set(frame.columns):
            values |= {str(v).strip() for v in frame[column].dropna() if len(str(v).strip()) >= 2}
    return values


def place_names(store: Path) -> str:
    return "\n".join(open_store(store).read(Layer.AREAS)[Col.NAME].astype(str))


class PersonalScan:
    """Finds personal values in text quickly: digit strings (phones) by looking up the digit runs of the
    text, the rest by substring search, skipped when the text lacks one of the value's characters."""

    def __init__(self, values: set[str]) -> None:
        self.digits = {v for v in values if v.isdigit()}
        self.lengths = sorted({len(v) for v in self.digits})
        self.others = [(v, frozenset(v)) for v in values if not v.isdigit()]

    def found_in(self, text: str) -> list[str]:
        found = set()
        for run in re.findall(r"\d+", text):
            for length in self.lengths:
                found |= {run[i:i + length] for i in range(len(run) - length + 1)} & self.digits
        characters = set(text)
        found |= {value for value, chars in self.others if chars <= characters and value in text}
        return sorted(found)


def _readable(body: bytes) -> str:
    text = body.decode("utf-8", errors="replace")
    try:  # JSON may write non-ASCII as \u escapes: read it back too
        return text + json.dumps(json.loads(text), ensure_ascii=False)
    except ValueError:
        return text


def shipped_file(url: str) -> Path | None:
    """The file on disk that a URL of Dash's component suites or of the app's assets serves."""
    path = urlsplit(url).path
    if path.startswith("/_dash-component-suites/"):
        namespace, _, relative = path.removeprefix("/_dash-component-suites/").partition("/")
        original, _ = check_fingerprint(relative)
        module = importlib.import_module(namespace).__file__
        return Path(str(module)).parent / original
    if path.startswith("/assets/"):
        return ASSETS_DIR / path.removeprefix("/assets/")
    return None


#: Personal values of the newest incidents, appended for the privacy test: nobody else has them, and the
#: newest incidents are the ones the wall lists.
CANARIES: Final = {
    "reporter_name": "欧阳测试甲", "reporter_phone": "19900001111", "address": "测试路壹号院",
    "description": "测试用的纠纷描述不应出现在大屏",
}


def test_nothing_the_wall_receives_holds_a_name_phone_address_or_description(
    page: Page, serve_wsgi: Callable[[Any], str], demo_store: Path, wall_cache: Path, tmp_path: Path,
) -> None:
    store = copy_store(demo_store, tmp_path / "store")
    _append_incidents(store, 3, **CANARIES)
    values = personal_values(store)
    places = place_names(store)
    # A few people share a name with a village ("金德" and 金德村): a place name on the map is no leak.
    also_places = {v for v in values if v in places}
    assert len(also_places) < 20, sorted(also_places)
    scan = PersonalScan(values - also_places)
    assert set(CANARIES.values()) <= values - also_places
    assert len(scan.digits) > 10_000 and len(scan.others) > 40_000  # names, addresses and descriptions
    url = serve_wall(serve_wsgi, store, wall_cache, wall_rotate_seconds=0.5, wall_refresh_seconds=0.5)
    key = create_wall_token(open_store(store), "scan").key
    responses: list[Response] = []
    page.on("response", lambda response: responses.append(response))

    page.anonymous = True  # type: ignore[attr-defined]  # a kiosk: signed in by its token's URL alone
    open_wall(page, f"{url}?token={key}")
    titles = set()
    deadline = time.monotonic() + 60
    while len(titles) < len(ROTATION_TITLES) and time.monotonic() < deadline:  # every view at least once
        titles.add(view_title(page))
        page.wait_for_timeout(50)
    assert titles == set(ROTATION_TITLES)
    expect(page.locator("#wall-latest li").first.locator(".wall-latest-time")).to_have_text(
        re.compile(r"\d{2}-\d{2} 23:55"))  # the canaries' incidents are on the list, as aggregates
    page.wait_for_timeout(1_000)

    bodies = {r.url + (r.request.post_data or ""): (r.url, r.body()) for r in responses if r.status == 200}
    # Library bundles and assets are the files shipped on disk, byte for byte: they carry nothing of the
    # store. Everything else (page, layout, callbacks, geometry, heat image) is searched in full.
    shipped = {key: path for key, (url, _) in bodies.items() if (path := shipped_file(url)) is not None}
    assert all(bodies[key][1] == path.read_bytes() for key, path in shipped.items())
    searched = {key: body for key, (_, body) in bodies.items() if key not in shipped}
    callbacks = [r for r in responses if "_dash-update-component" in r.url]
    assert any("/walldata/heat-" in key for key in searched) and any("/mapdata/" in key for key in searched)
    assert len(callbacks) > 10
    leaks = {key[:120]: found for key, body in searched.items() if (found := scan.found_in(_readable(body)))}
    assert not leaks, leaks
    # The wall's callbacks write the wall's components and nothing else.
    written = {output["id"] for r in callbacks for output in _outputs(r.request.post_data_json or {})}
    assert written and all(o.startswith(("wall-", "app-page")) for o in written), written


def _outputs(request: dict[str, Any]) -> list[dict[str, Any]]:
    outputs = request.get("outputs", [])
    return outputs if isinstance(outputs, list) else [outputs]


def test_the_privacy_scan_finds_what_it_looks_for() -> None:
    scan = PersonalScan({"13800000001", "欧阳小明", "幸福路12号"})

    assert scan.found_in('{"a": "x13800000001y", "b": "是欧阳小明吗"}') == ["13800000001", "欧阳小明"]
    assert scan.found_in(_readable(b'{"a": "\\u5e78\\u798f\\u8def12\\u53f7"}')) == ["幸福路12号"]
    assert scan.found_in("1380000000 欧阳小 幸福路") == []
