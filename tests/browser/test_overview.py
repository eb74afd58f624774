"""The leaders' map as a person uses it, on the demo store: the city in three warning colours, a click down
to a grid and back up, a month change that recolours without fetching geometry, the other language, the
incident and place layers, and a briefing that opens with the network cut."""

from __future__ import annotations

import dataclasses
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import shapely
from playwright.sync_api import Page, Request, Response, expect

from bench.first_load import PAINTED_AT  # the paint probe the benchmark times
from dashboard.app import create_app
from dashboard.components.warning_map import palette
from dashboard.settings import Settings
from geo.api import Col

from .conftest import SCREENSHOT_DIR

if TYPE_CHECKING:
    from .conftest import LeafletProbe, PageWatch

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]  # one worker runs them in turn

WARNING_COLOURS = palette()  # the fills a person sees
MONTH, EARLIER = "2026-10", "2026-09"  # the demo's counties show all three colours in both
COUNTY = "620902"  # 肃州区: townships whose colours differ between the two months
MAX_MONTH_CHANGE_BYTES = 15_000


@pytest.fixture(scope="module")
def settings_demo(demo_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings.from_env({}, store=demo_store, cache_dir=tmp_path_factory.mktemp("leaders-cache"))


@pytest.fixture(scope="module")
def app_url(serve_module: Callable[[Any], str], settings_demo: Settings) -> str:
    return serve_module(create_app(settings_demo).server)


# ---------------------------------------------------------------- helpers: what the map draws, where to click

AREA_FILLS = """() => {
  const fills = {};
  for (const map of window.__leafletMaps || []) {
    map.eachLayer((layer) => {
      if (layer.feature && layer._parts && layer._parts.length && layer.options.pane === "leaders-areas") {
        fills[layer.feature.properties.code] = layer.options.fillColor;
      }
    });
  }
  return fills;
}"""


def area_fills(page: Page) -> dict[str, str]:
    """code -> fill colour of every area drawn in the coloured (clickable) layer."""
    fills: dict[str, str] = page.evaluate(AREA_FILLS)
    return fills


def wait_for_view(page: Page, code: str, children: int) -> None:
    """Until the breadcrumbs end at `code` and `children` coloured areas are drawn."""
    page.wait_for_function(
        f"""([code, n]) => document.querySelector('#leaders-crumbs .current')?.dataset.code === code
              && Object.keys(({AREA_FILLS})()).length === n""",
        arg=[code, children],
        timeout=20_000,
    )


def children_of(areas: Any, code: str) -> list[str]:
    kids = areas[areas[Col.PARENT_CODE] == code]
    return list(kids.sort_values(Col.AREA_KM2, ascending=False).index)


def click_area(page: Page, leaflet: LeafletProbe, areas: Any, codes: list[str]) -> str:
    """Click the first of `codes` whose innermost point is on the map and not under a control."""
    on_map = "([x, y]) => !!document.elementFromPoint(x, y)?.closest('.leaflet-leaders-areas-pane')"
    for code in codes:
        centre = shapely.get_point(shapely.maximum_inscribed_circle(areas.geometry[code]), 0)
        x, y = leaflet.screen_point(centre.x, centre.y)
        if page.evaluate(on_map, [x, y]):
            page.mouse.click(x, y)
            return code
    raise AssertionError(f"none of {codes[:5]} can be clicked")


def open_view(page: Page, leaflet: LeafletProbe, url: str, areas: Any, code: str) -> None:
    page.goto(url)
    wait_for_view(page, code, len(children_of(areas, code)))
    leaflet.wait_for_features(
        {areas.loc[children_of(areas, code)[0], Col.LEVEL]: len(children_of(areas, code))}
    )


# ---------------------------------------------------------------- tests


def test_the_city_opens_coloured_red_yellow_and_blue_with_legend_and_kpis(
    page: Page, app_url: str, areas: Any, leaflet: LeafletProbe, screenshot: Callable[[str], Path]
) -> None:
    open_view(page, leaflet, f"{app_url}/?month={MONTH}", areas, "620900")

    fills = area_fills(page)
    assert set(fills) == set(children_of(areas, "620900"))
    assert set(fills.values()) == {WARNING_COLOURS[c] for c in ("red", "yellow", "blue")}
    assert leaflet.painted_share("leaflet-leaders-areas-pane") > 0.05
    counts = {
        level: int(page.locator(f"#leaders-legend li[data-level={level}] .legend-count").inner_text())
        for level in ("red", "yellow", "blue")
    }
    assert counts == {level: list(fills.values()).count(WARNING_COLOURS[level]) for level in counts}
    expect(page.locator("#kpi-incidents .kpi-value")).to_have_text("859")
    expect(page.locator("#leaders-panel h2")).to_have_text("酒泉市")
    assert page.locator(".leaflet-tile").count() == 0
    screenshot("overview_city")


def test_a_click_goes_down_to_a_grid_and_the_breadcrumbs_come_back_up(
    page: Page, app_url: str, areas: Any, leaflet: LeafletProbe, screenshot: Callable[[str], Path]
) -> None:
    open_view(page, leaflet, f"{app_url}/?month={MONTH}", areas, "620900")
    path = ["620900"]
    for step in ("county", "township", "village"):
        code = click_area(page, leaflet, areas, children_of(areas, path[-1]))
        wait_for_view(page, code, len(children_of(areas, code)))
        path.append(code)
        if step == "county":
            screenshot("overview_county")
    village = path[-1]
    grid = click_area(page, leaflet, areas, children_of(areas, village))
    page.wait_for_function(
        "(code) => document.querySelector('#leaders-crumbs .current')?.dataset.code === code", arg=grid
    )

    crumbs = page.locator("#leaders-crumbs .crumb")
    expect(crumbs).to_have_count(5)
    expect(page.locator("#leaders-panel h2")).to_have_text(areas.loc[grid, Col.NAME])
    assert set(area_fills(page)) == set(children_of(areas, village))  # the grid among its village's grids
    assert f"area={grid}" in page.url
    screenshot("overview_grid")

    page.locator(f"#leaders-crumbs .crumb[data-code='{path[1]}'] a").click()
    wait_for_view(page, path[1], len(children_of(areas, path[1])))
    expect(page.locator("#leaders-panel h2")).to_have_text(areas.loc[path[1], Col.NAME])
    page.go_back()
    page.wait_for_function(
        "(code) => document.querySelector('#leaders-crumbs .current')?.dataset.code === code", arg=grid
    )


def test_hovering_an_area_names_it_with_the_areas_above_and_its_colour(
    page: Page, app_url: str, areas: Any, leaflet: LeafletProbe, screenshot: Callable[[str], Path]
) -> None:
    open_view(page, leaflet, f"{app_url}/?area={COUNTY}&month={MONTH}", areas, COUNTY)
    fills = area_fills(page)
    township = next(code for code in children_of(areas, COUNTY) if fills[code] == WARNING_COLOURS["red"])
    centre = shapely.get_point(shapely.maximum_inscribed_circle(areas.geometry[township]), 0)

    page.mouse.move(*leaflet.screen_point(centre.x, centre.y))

    tooltip = page.locator(".leaflet-tooltip.area-tooltip")
    expect(tooltip.locator("strong")).to_have_text(areas.loc[township, Col.NAME])
    expect(tooltip.locator(".area-tooltip-trail")).to_have_text("肃州区")
    expect(tooltip.locator(".area-tooltip-level")).to_have_text("红色")
    screenshot("overview_hover")


def test_a_link_reopens_the_same_view(page: Page, app_url: str, areas: Any, leaflet: LeafletProbe) -> None:
    township = children_of(areas, COUNTY)[0]
    open_view(
        page, leaflet, f"{app_url}/?area={township}&month={EARLIER}&layers=warning,centres", areas, township
    )

    expect(page.locator("#leaders-month-text")).to_have_text(EARLIER)
    expect(page.locator("#leaders-layers input[value=centres]")).to_be_checked()
    expect(page.locator(".place-marker.place-centre").first).to_be_visible()


def test_a_month_change_recolours_the_map_without_fetching_geometry(
    page: Page,
    app_url: str,
    areas: Any,
    leaflet: LeafletProbe,
    screenshot: Callable[[str], Path],
    record_property: Callable[[str, object], None],
) -> None:
    open_view(page, leaflet, f"{app_url}/?area={COUNTY}&month={MONTH}", areas, COUNTY)
    before = area_fills(page)
    asked: list[Request] = []  # requests issued after the change (files of the first load may still arrive)
    seen: list[tuple[str, int]] = []

    def record(response: Response) -> None:
        if response.request in asked and "/_dash-update-component" in response.url:
            request_bytes = len(response.request.post_data_buffer or b"")
            seen.append((response.url, len(response.body()) + request_bytes))

    page.on("request", lambda request: asked.append(request))
    page.on("response", record)
    page.locator("#leaders-month [role=slider]").first.focus()
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        f"""(before) => document.querySelector('#leaders-month-text')?.textContent === '{EARLIER}'
                        && JSON.stringify(({AREA_FILLS})()) !== before""",
        arg=json.dumps(before, separators=(",", ":")),
    )
    page.wait_for_load_state("networkidle")

    after = area_fills(page)
    assert set(after) == set(before) and after != before
    assert not [request.url for request in asked if "/mapdata/" in request.url]
    total = sum(size for _, size in seen)
    record_property("month_change_bytes", total)
    print(f"month change: {len(seen)} callback round trips, {total:,} bytes up and down")
    assert 0 < total <= MAX_MONTH_CHANGE_BYTES
    assert f"month={EARLIER}" in page.url
    screenshot("overview_month_changed")


def test_play_steps_through_the_months(page: Page, app_url: str, areas: Any, leaflet: LeafletProbe) -> None:
    open_view(page, leaflet, f"{app_url}/?month=2025-06", areas, "620900")

    page.locator("#leaders-play").click()
    page.wait_for_function(
        "() => document.querySelector('#leaders-month-text')?.textContent === '2025-07'", timeout=10_000
    )
    page.locator("#leaders-play").click()
    expect(page.locator("#leaders-play")).to_have_text("▶ 播放")


def test_the_page_switches_to_english_and_keeps_the_view(
    page: Page, app_url: str, areas: Any, leaflet: LeafletProbe, screenshot: Callable[[str], Path]
) -> None:
    open_view(page, leaflet, f"{app_url}/?area={COUNTY}&month={MONTH}", areas, COUNTY)
    expect(page.locator("#leaders-export")).to_have_text("导出简报")

    page.locator("#leaders-language").click()
    wait_for_view(page, COUNTY, len(children_of(areas, COUNTY)))

    assert "lang=en" in page.url and f"area={COUNTY}" in page.url
    expect(page.locator("#leaders-export")).to_have_text("Export briefing")
    expect(page.locator("#kpi-incidents .kpi-label")).to_have_text("Incidents this month")
    expect(page.locator(".side-panel h3").first).to_have_text("What makes the score")
    expect(page.locator("#leaders-legend li[data-level=red] .legend-label")).to_have_text("Red")
    screenshot("overview_english")


def test_incident_and_place_layers_turn_on_and_filter(
    page: Page, app_url: str, areas: Any, leaflet: LeafletProbe, screenshot: Callable[[str], Path]
) -> None:
    open_view(page, leaflet, f"{app_url}/?area={COUNTY}&month={MONTH}", areas, COUNTY)

    for layer in ("heat", "points", "centres", "orgs"):
        page.locator(f"#leaders-layers input[value={layer}]").click()
    expect(page.locator(".place-marker.place-centre").first).to_be_visible()
    expect(page.locator(".place-marker.place-org").first).to_be_visible(timeout=15_000)
    expect(page.locator(".marker-cluster, .incident-dot").first).to_be_visible()
    page.wait_for_function("() => !!document.querySelector('.leaflet-leaders-heat-pane canvas')")
    assert leaflet.painted_share("leaflet-leaders-heat-pane") > 0.001
    expect(page.locator("#leaders-heat-legend .legend-title")).to_have_text("每格事件数")
    every = page.locator("#leaders-points-note").inner_text()

    page.locator("#leaders-categories").click()
    page.locator(".dash-dropdown-content").get_by_role("option", name="土地纠纷").click()
    page.keyboard.press("Escape")
    expect(page.locator("#leaders-points-note")).not_to_have_text(every)
    assert "cat=land" in page.url and "layers=warning,heat,points,centres,orgs" in page.url
    screenshot("overview_layers")


def test_search_finds_an_area_and_opens_it(
    page: Page, app_url: str, areas: Any, leaflet: LeafletProbe
) -> None:
    open_view(page, leaflet, f"{app_url}/?month={MONTH}", areas, "620900")

    page.locator("#leaders-search").click()
    page.locator(".dash-dropdown-content input").fill("瓜州")
    page.locator(".dash-dropdown-content").get_by_role("option", name="瓜州县 · 县区 · 620922").click()

    wait_for_view(page, "620922", len(children_of(areas, "620922")))


def test_the_briefing_downloads_and_renders_with_the_network_cut(
    page: Page,
    app_url: str,
    areas: Any,
    leaflet: LeafletProbe,
    tmp_path: Path,
    offline_page: tuple[Page, PageWatch],
) -> None:
    open_view(page, leaflet, f"{app_url}/?area={COUNTY}&month={MONTH}", areas, COUNTY)

    with page.expect_download() as download:
        page.locator("#leaders-export").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert download.value.suggested_filename == f"briefing-{COUNTY}-{MONTH}.zip"
    assert {"briefing.html", "areas.csv", "kpis.csv", "top_incidents.csv"} <= set(archive.namelist())
    archive.extractall(tmp_path)

    offline, watch = offline_page
    offline.goto((tmp_path / "briefing.html").as_uri())
    offline.wait_for_selector(".leaflet-overlay-pane canvas, .leaflet-overlay-pane svg path")
    expect(offline.locator(".briefing-title h1")).to_have_text(f"肃州区 平安预警 · {MONTH}")
    expect(offline.locator(".briefing-legend li")).to_have_count(4)
    drawn = offline.evaluate("""() => { let n = 0;
        document.querySelectorAll('.leaflet-container').forEach(() => {});
        for (const key in window) { const v = window[key];
          if (v && v instanceof L.Map) { v.eachLayer(l => { if (l.feature) n += 1; }); } }
        return n; }""")
    assert drawn == len(children_of(areas, COUNTY)) + 1  # the townships and the county's outline
    assert watch.outside_requests == [] and watch.page_errors == [] and watch.console_errors == []
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    offline.screenshot(path=str(SCREENSHOT_DIR / "briefing_offline.png"))


def test_a_tile_url_in_the_settings_adds_background_tiles_from_that_server(
    page: Page,
    page_watch: PageWatch,
    serve_wsgi: Callable[[Any], str],
    settings_demo: Settings,
    areas: Any,
    leaflet: LeafletProbe,
) -> None:
    png = one_pixel_png()

    def tiles(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "image/png"), ("Content-Length", str(len(png)))])
        return [png]

    tile_base = serve_wsgi(tiles)
    with_tiles = dataclasses.replace(settings_demo, tile_url=tile_base + "/tiles/{z}/{x}/{y}.png")
    open_view(page, leaflet, serve_wsgi(create_app(with_tiles).server) + f"/?month={MONTH}", areas, "620900")

    expect(page.locator(".leaflet-tile-loaded").first).to_be_visible()
    assert any(url.startswith(tile_base + "/tiles/") for url in page_watch.requests)


def test_the_page_asks_only_its_own_server(
    page: Page, page_watch: PageWatch, app_url: str, areas: Any, leaflet: LeafletProbe
) -> None:
    open_view(page, leaflet, f"{app_url}/", areas, "620900")

    assert page_watch.requests and all(url.startswith(app_url) for url in page_watch.requests)
    geometry = [url for url in page_watch.requests if "/mapdata/" in url]
    response = page.request.get(geometry[0])
    assert response.ok and "immutable" in response.headers["cache-control"]




def test_the_map_paints_before_the_chart_bundle_is_asked_for(
    page: Page, app_url: str, screenshot: Callable[[str], Path]
) -> None:
    """plotly.js (4.8 MB, parsed on the main thread) is asked for only after the first polygons are on
    screen; the trend chart still arrives, and the bundles came compressed."""
    encodings: dict[str, str | None] = {}
    page.on(
        "response",
        lambda r: encodings.update({r.url: r.headers.get("content-encoding")})
        if "/_dash-component-suites/" in r.url else None,
    )
    page.goto(f"{app_url}/")
    painted_ms = page.wait_for_function(PAINTED_AT, polling="raf", timeout=20_000).json_value()
    expect(page.locator("#leaders-trend-slot .js-plotly-plot .main-svg").first).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")

    started = page.evaluate(
        "() => performance.getEntriesByType('resource').map((e) => [e.name, e.startTime])"
    )
    plotly = [start for name, start in started if "plotly.min.js" in name]
    assert len(plotly) == 1, "the chart bundle is fetched once"
    assert plotly[0] > painted_ms, f"plotly asked at {plotly[0]:.0f} ms, map painted at {painted_ms:.0f} ms"
    assert page.locator("#leaders-trend .scatterlayer .trace").count() >= 1
    assert encodings and set(encodings.values()) == {"br"}, encodings
    screenshot("overview_after_first_paint")


def test_the_harness_blocks_and_reports_requests_to_other_hosts(
    page: Page, page_watch: PageWatch, serve_wsgi: Callable[[Any], str]
) -> None:
    html = b'<html><body><img src="https://tiles.example.com/1/2/3.png"><p>local page</p></body></html>'

    def one_page(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/html"), ("Content-Length", str(len(html)))])
        return [html]

    page.anonymous = True  # type: ignore[attr-defined]  # no dashboard there to sign in to
    page.goto(serve_wsgi(one_page) + "/")
    page.wait_for_load_state("load")

    assert page_watch.outside_requests == ["https://tiles.example.com/1/2/3.png"]
    assert any("ERR_FAILED" in text for text in page_watch.console_errors)
    assert len(page_watch.problems()) >= 2
    # Seen and asserted here; cleared so that this one test does not fail at teardown.
    page_watch.outside_requests.clear()
    page_watch.console_errors.clear()


def one_pixel_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1x1, 8-bit RGB
    pixel = zlib.compress(b"\x00\xc8\xd6\xe0")  # filter byte + one pale blue-grey pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


def test_the_first_load_colours_the_map_every_time(
    chromium: Any, app_url: str, areas: Any
) -> None:
    """Twenty cold loads of `/`, each in a new browser context (no cache): the city's counties are drawn
    in the warning palette every time, never in the "none" colour of an area whose level did not arrive
    (dash-leaflet skips a `hideout` sent while it fetches the layer's url; area_map.js applies it)."""
    from .conftest import _LEAFLET_PROBE, VIEWPORT, _is_local, sign_in_page

    counties = set(children_of(areas, "620900"))
    scored = {WARNING_COLOURS[c] for c in ("red", "yellow", "blue")}
    problems: list[str] = []
    signing = chromium.new_context()
    sign_in_page(signing.new_page(), app_url)
    session = signing.storage_state()  # the cookies only: each load below has a cold cache
    signing.close()
    for attempt in range(20):
        context = chromium.new_context(viewport=VIEWPORT, service_workers="block", storage_state=session)
        context.route(
            "**/*",
            lambda route: route.continue_() if _is_local(route.request.url) else (
                problems.append(f"request to another host: {route.request.url}"), route.abort()
            ),
        )
        context.add_init_script(_LEAFLET_PROBE)
        cold = context.new_page()
        cold.on("console", lambda m: m.type == "error" and problems.append(f"console error: {m.text}"))
        cold.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        cold.goto(f"{app_url}/")
        wait_for_view(cold, "620900", len(counties))
        cold.wait_for_timeout(300)  # a hideout that came late has been applied by now
        fills = area_fills(cold)
        context.close()
        assert set(fills) == counties, f"load {attempt}"
        assert set(fills.values()) <= scored, f"load {attempt}: fills {sorted(set(fills.values()))}"
    assert not problems, problems
