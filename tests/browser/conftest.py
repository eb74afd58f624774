"""Browser harness: a small area store, the dashboard served on 127.0.0.1, and headless Debian Chromium.

Every page opened through the `page` fixture is watched: a request to any host but this machine is
aborted and recorded, console errors and uncaught page errors are recorded, and the test fails at
teardown if any of them happened. Playwright drives the system Chromium; it never downloads a browser.

Every store here has an account of each role (fixtures/accounts.py). The first time a `page` goes to a
server it signs in there through the sign-in form as the admin, unless the test signed in as someone
else first (`sign_in_page`) or asked for an anonymous page (`page.anonymous = True`).
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import flask
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from fixtures.accounts import ACCOUNTS, PASSWORD, add_accounts
from fixtures.demo_copy import demo_store_in
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright
from werkzeug.serving import make_server

from dashboard.app import create_app, stop_background_work
from dashboard.settings import Settings
from geo.api import CITY_CODE, Col, Layer, Level, open_store, read_counties
from geo.crs import METRIC_CRS, STORAGE_EPSG

ROOT: Final = Path(__file__).resolve().parents[2]
SCREENSHOT_DIR: Final = ROOT / "artifacts" / "screenshots"
CHROMIUM: Final = Path("/usr/bin/chromium")
CHROMIUM_ARGS: Final = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
VIEWPORT: Final = {"width": 1920, "height": 1080}
LOCAL_HOSTS: Final = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES: Final = frozenset({"data", "blob", "about"})

# ---------------------------------------------------------------- the store the pages are tested on

FIXTURE_VERSION: Final = "fixture-2024"
TOWNSHIPS_PER_COUNTY: Final = 3
VILLAGES_PER_TOWNSHIP: Final = 2
GRIDS_PER_VILLAGE: Final = 3


def _seeds(area: shapely.Geometry, count: int, rng: np.random.Generator) -> list[shapely.Point]:
    west, south, east, north = area.bounds
    found: list[shapely.Point] = []
    while len(found) < count:
        x, y = rng.uniform(west, east, 64), rng.uniform(south, north, 64)
        inside = shapely.contains_xy(area, x, y)
        found += list(shapely.points(np.column_stack([x[inside], y[inside]])))
    return found[:count]


def _voronoi_split(area: shapely.Geometry, count: int, rng: np.random.Generator) -> list[shapely.Geometry]:
    """`count` pieces of `area`, one Voronoi cell around each seed, in seed order."""
    seeds = _seeds(area, count, rng)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=area))
    return [shapely.intersection(next(c for c in cells if c.contains(seed)), area) for seed in seeds]


def _exact_coverage(pieces: list[shapely.Geometry]) -> list[shapely.Geometry]:
    """Re-node independently clipped pieces: polygonize all their edges together, give every face to the
    piece that contains it (faces in nobody, like the Jiayuguan enclave, are dropped) and union the faces
    per piece, so neighbours share identical vertices."""
    linework = shapely.get_parts(shapely.union_all(shapely.boundary(pieces)))
    faces = shapely.get_parts(shapely.polygonize(linework))
    inside = shapely.point_on_surface(faces)
    face_index, piece_index = shapely.STRtree(pieces).query(inside, predicate="within")
    owned: dict[int, list[shapely.Geometry]] = {}
    for face, piece in zip(face_index, piece_index, strict=True):
        owned.setdefault(int(piece), []).append(faces[face])
    return [shapely.coverage_union_all(owned[i]) for i in range(len(pieces))]


def build_area_store(path: Path) -> Path:
    """A small store with the `areas` layer of the store contract: the real seven counties, their union as
    the city, and per county 3 townships of 2 villages of 3 grids each, cut as Voronoi cells of seeded
    points. Grids are made an exact coverage and every upper generated level is the union of its grids.

    This is the one place that makes the browser tests' data; it can be swapped for the demo store.
    """
    rng = np.random.default_rng(20240101)
    counties = read_counties().sort_values(Col.CODE).reset_index(drop=True)
    rows: list[dict[str, Any]] = [
        {Col.CODE: CITY_CODE, Col.NAME: "酒泉市", Col.LEVEL: Level.CITY, Col.PARENT_CODE: None,
         Col.GEOMETRY: shapely.coverage_union_all(counties.geometry.values)}
    ]
    grid_rows: list[dict[str, Any]] = []
    for county in counties.itertuples():
        rows.append({Col.CODE: county.code, Col.NAME: county.name, Col.LEVEL: Level.COUNTY,
                     Col.PARENT_CODE: CITY_CODE, Col.GEOMETRY: county.geometry})
        for t, township in enumerate(_voronoi_split(county.geometry, TOWNSHIPS_PER_COUNTY, rng), start=1):
            township_code, township_name = f"{county.code}{t:03d}", f"{county.name[:2]}{t}号镇"
            rows.append({Col.CODE: township_code, Col.NAME: township_name, Col.LEVEL: Level.TOWNSHIP,
                         Col.PARENT_CODE: county.code})
            for v, village in enumerate(_voronoi_split(township, VILLAGES_PER_TOWNSHIP, rng), start=1):
                village_code, village_name = f"{township_code}{v:03d}", f"{township_name}{v}村"
                rows.append({Col.CODE: village_code, Col.NAME: village_name, Col.LEVEL: Level.VILLAGE,
                             Col.PARENT_CODE: township_code})
                for g, grid in enumerate(_voronoi_split(village, GRIDS_PER_VILLAGE, rng), start=1):
                    grid_rows.append({
                        Col.CODE: f"{village_code}{g:03d}", Col.NAME: f"{village_name}第{g}网格",
                        Col.LEVEL: Level.GRID, Col.PARENT_CODE: village_code, Col.GEOMETRY: grid,
                    })
    grids = _exact_coverage([row[Col.GEOMETRY] for row in grid_rows])
    for row, geometry in zip(grid_rows, grids, strict=True):
        row[Col.GEOMETRY] = geometry
    for row in rows:  # generated upper levels: the exact union of their grids
        if row[Col.LEVEL] in (Level.TOWNSHIP, Level.VILLAGE):
            mine = [g for g, r in zip(grids, grid_rows, strict=True) if r[Col.CODE].startswith(row[Col.CODE])]
            row[Col.GEOMETRY] = shapely.coverage_union_all(mine)
    frame = gpd.GeoDataFrame(rows + grid_rows, geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    frame[Col.LEVEL] = frame[Col.LEVEL].astype(str)
    frame[Col.KIND] = np.where(frame[Col.CODE].str.startswith(("620923", "620924")), "pastoral", "rural")
    frame[Col.HOUSEHOLDS] = rng.integers(50, 400, len(frame))
    frame[Col.POPULATION] = (frame[Col.HOUSEHOLDS] * 2.9).round().astype(int)
    frame[Col.AREA_KM2] = frame.to_crs(METRIC_CRS).area / 1e6
    frame[Col.VERSION_ID] = FIXTURE_VERSION
    frame[Col.VALID_FROM] = "2024-01-01"
    frame[Col.VALID_TO] = pd.Series([None] * len(frame), dtype="string")
    open_store(path).write({Layer.AREAS.value: frame})
    add_accounts(path, city=CITY_CODE, county=str(counties[Col.CODE].iloc[0]))
    return path


@pytest.fixture(scope="session")
def area_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_area_store(tmp_path_factory.mktemp("store") / "areas.gpkg")


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full demo store with the test accounts: the run's one build (fixtures/demo_copy.py, about 15 s)
    copied, or PINGAN_TEST_DEMO_STORE's prebuilt one."""
    return demo_store_in(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="session")
def areas(demo_store: Path) -> Any:
    """The demo store's areas (every version), by code."""
    return open_store(demo_store).read_areas().set_index(Col.CODE)


@pytest.fixture(scope="session")
def area_counts(area_store: Path) -> dict[str, int]:
    """How many current areas the store holds per level: what the map must draw."""
    levels = open_store(area_store).read_areas()[Col.LEVEL]
    return {str(level): int(count) for level, count in levels.value_counts().items()}


@pytest.fixture(scope="session")
def settings(area_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # An empty environment, so a developer's PINGAN_* variables (a tile URL, say) cannot leak in.
    return Settings.from_env({}, store=area_store, cache_dir=tmp_path_factory.mktemp("cache"))


# ---------------------------------------------------------------- serving


@contextlib.contextmanager
def _wsgi_servers() -> Iterator[Callable[[Any], str]]:
    """Start WSGI apps on free 127.0.0.1 ports in background threads; yields a starter returning base URLs
    and stops every server it started on exit."""
    running: list[tuple[Any, threading.Thread]] = []

    def start(wsgi_app: Any) -> str:
        server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, name=f"wsgi-{server.server_port}", daemon=True)
        thread.start()
        running.append((server, thread))
        return f"http://127.0.0.1:{server.server_port}"

    try:
        yield start
    finally:
        for server, thread in running:
            server.shutdown()
            server.server_close()
            thread.join(timeout=10)
            # An app's background preparation would go on competing with the next test's for the CPU.
            wsgi_app = server.app
            while not isinstance(wsgi_app, flask.Flask) and hasattr(wsgi_app, "app"):
                wsgi_app = wsgi_app.app  # through wrappers such as a test's slow-geometry middleware
            if isinstance(wsgi_app, flask.Flask):
                stop_background_work(wsgi_app)


@pytest.fixture
def serve_wsgi() -> Iterator[Callable[[Any], str]]:
    """Servers that live as long as the test."""
    with _wsgi_servers() as start:
        yield start


@pytest.fixture
def dashboard_url(serve_wsgi: Callable[[Any], str], settings: Settings) -> str:
    return serve_wsgi(create_app(settings).server)


# ---------------------------------------------------------------- the browser


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.is_file():
        reason = (f"BROWSER TESTS NOT RUN: {CHROMIUM} is missing; install Debian's chromium "
                  "(apt-get install -y chromium) or run scripts/ensure-system-packages.sh")
        if os.environ.get("PINGAN_REQUIRE_SYSTEM") == "1":
            pytest.fail(reason + " (PINGAN_REQUIRE_SYSTEM=1)")
        pytest.skip(reason)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class PageWatch:
    """What a page did: every URL it asked for, and the problems that fail a test."""

    requests: list[str] = field(default_factory=list)
    outside_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"request to another host (aborted): {url}" for url in self.outside_requests]
                + [f"console error: {text}" for text in self.console_errors]
                + [f"page error: {text}" for text in self.page_errors])


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or parts.hostname in LOCAL_HOSTS


# Runs before any page script: remembers every Leaflet map created, so tests can count what is drawn.
_LEAFLET_PROBE: Final = """
(() => {
  const maps = [];
  let leaflet;
  Object.defineProperty(window, "__leafletMaps", {value: maps});
  Object.defineProperty(window, "L", {
    configurable: true,
    get() { return leaflet; },
    set(value) {
      leaflet = value;
      if (value && value.Map && !value.Map.__probed) {
        value.Map.__probed = true;
        value.Map.addInitHook(function () { maps.push(this); });
      }
    },
  });
})();
"""


@pytest.fixture
def page_watch() -> PageWatch:
    return PageWatch()


@pytest.fixture
def page(chromium: Browser, page_watch: PageWatch, serve_wsgi: Callable[[Any], str]) -> Iterator[Page]:
    """A 1920x1080 page that may only talk to this machine; fails the test on console or page errors.
    It closes before the test's servers stop (it asks for them first): a wall still polling a server
    that is gone would log a connection reset."""
    context = chromium.new_context(viewport=VIEWPORT, device_scale_factor=1, service_workers="block")

    def route(route: Route) -> None:
        url = route.request.url
        page_watch.requests.append(url)
        if _is_local(url):
            route.continue_()
        else:
            page_watch.outside_requests.append(url)
            route.abort()

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url", "")
            page_watch.console_errors.append(f"{message.text} ({where})" if where else message.text)

    context.route("**/*", route)
    context.add_init_script(_LEAFLET_PROBE)
    opened = context.new_page()
    opened.on("console", console)
    opened.on("pageerror", lambda error: page_watch.page_errors.append(str(error)))
    _sign_in_on_first_visit(opened)
    yield opened
    context.close()
    problems = page_watch.problems()
    if problems:
        pytest.fail(f"{len(problems)} problem(s) in the browser:\n  " + "\n  ".join(problems))


def sign_in_page(page: Page, base_url: str, who: str = "admin") -> None:
    """Sign the page's browser context in to the server at `base_url` through its sign-in form, as the
    account `who` of fixtures/accounts.py (the session cookie lands in the context, as a person's would)."""
    request = page.context.request
    request.get(f"{base_url}/login")
    token = next(c["value"] for c in page.context.cookies(base_url) if c["name"] == "_csrf_token")
    answer = request.post(f"{base_url}/login", max_redirects=0, form={
        "user": ACCOUNTS[who].user_id, "password": PASSWORD, "_csrf_token": token})
    assert answer.status == 302, answer.text()[:300]
    if hasattr(page, "signed_in_to"):
        page.signed_in_to.add(_origin(base_url))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _sign_in_on_first_visit(page: Page) -> None:
    """Make `page.goto` sign in as the admin on a server this page has not signed in to yet."""
    page.signed_in_to = set()  # type: ignore[attr-defined]
    page.anonymous = False  # type: ignore[attr-defined]
    goto = page.goto

    def goto_signed_in(url: str, **options: Any) -> Any:
        origin = _origin(url)
        if url.startswith("http") and not page.anonymous and origin not in page.signed_in_to:
            sign_in_page(page, origin)
        return goto(url, **options)

    page.goto = goto_signed_in  # type: ignore[method-assign]


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """Save the page as artifacts/screenshots/<name>.png and return the path."""

    def take(name: str) -> Path:
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOT_DIR / f"{name}.png"
        page.screenshot(path=str(path))
        return path

    return take


# Features per `level` property that are on a map and have an outline in view (Leaflet clips paths to the
# view into `_parts`; a canvas or SVG renderer then draws exactly those).
_DRAWN_COUNTS: Final = """function () {
  const counts = {};
  for (const map of window.__leafletMaps || []) {
    map.eachLayer((layer) => {
      if (layer.feature && layer._renderer && layer._parts && layer._parts.length > 0) {
        const level = layer.feature.properties.level;
        counts[level] = (counts[level] || 0) + 1;
      }
    });
  }
  return counts;
}"""


class LeafletProbe:
    """Reads the Leaflet maps of a page through the probe installed before the page's scripts ran."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def drawn_features(self) -> dict[str, int]:
        """Features per `level` property that are on the map and have a drawn outline in view."""
        counts: dict[str, int] = self.page.evaluate(f"() => ({_DRAWN_COUNTS})()")
        return counts

    def wait_for_features(self, expected: dict[str, int], timeout_ms: float = 20_000) -> None:
        self.page.wait_for_function(
            f"""(expected) => {{
              const counts = ({_DRAWN_COUNTS})();
              return Object.entries(expected).every(([level, n]) => counts[level] === n);
            }}""",
            arg=expected,
            timeout=timeout_ms,
        )

    def screen_point(self, lon: float, lat: float) -> tuple[float, float]:
        """Page coordinates (CSS pixels) of a position on the first map."""
        x, y = self.page.evaluate(
            """([lon, lat]) => {
              const map = window.__leafletMaps[0];
              const point = map.latLngToContainerPoint([lat, lon]);
              const box = map.getContainer().getBoundingClientRect();
              return [box.left + point.x, box.top + point.y];
            }""",
            [lon, lat],
        )
        return float(x), float(y)

    def painted_share(self, pane_class: str) -> float:
        """Share of a pane's canvas pixels that are not transparent: 0 means nothing was painted."""
        share: float = self.page.evaluate(
            """(paneClass) => {
              const canvas = document.querySelector(`.${paneClass} canvas`);
              if (!canvas || !canvas.width) { return 0; }
              const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
              let painted = 0;
              for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) { painted += 1; } }
              return painted / (data.length / 4);
            }""",
            pane_class,
        )
        return share


@pytest.fixture
def leaflet(page: Page) -> LeafletProbe:
    return LeafletProbe(page)


# ---------------------------------------------------------------- one server per module, and offline pages


@pytest.fixture(scope="module")
def serve_module() -> Iterator[Callable[[Any], str]]:
    """Like `serve_wsgi`, but the servers live as long as the test module, so its tests share one app."""
    with _wsgi_servers() as start:
        yield start


@pytest.fixture(scope="module")
def demo_app_url(
    serve_module: Callable[[Any], str], demo_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The dashboard on a copy of the demo store, served as long as the test module runs."""
    settings = Settings.from_env({}, store=demo_store, cache_dir=tmp_path_factory.mktemp("demo-cache"))
    return serve_module(create_app(settings).server)


@pytest.fixture
def offline_page(chromium: Browser) -> Iterator[tuple[Page, PageWatch]]:
    """A 1920x1080 page with the network cut: only file:, data: and blob: URLs load; every other request
    is aborted and recorded. Console and page errors are recorded too; the test decides what to assert."""
    watch = PageWatch()
    context = chromium.new_context(viewport=VIEWPORT, device_scale_factor=1, service_workers="block")

    def route(route: Route) -> None:
        url = route.request.url
        watch.requests.append(url)
        if urlsplit(url).scheme in {"file", "data", "blob"}:
            route.continue_()
        else:
            watch.outside_requests.append(url)
            route.abort()

    context.route("**/*", route)
    opened = context.new_page()
    opened.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda error: watch.page_errors.append(str(error)))
    yield opened, watch
    context.close()
