"""`create_app(settings)`: the Dash app, its page router and the route that serves map geometry.

Pages are feature packages (dashboard/leaders/, dashboard/wall/, see dashboard/README.md) whose `page`
module has `ROUTE`, `layout(providers, *, search, pathname)` and `register_callbacks(app, providers)`;
`PAGES` lists them by route (the path without Dash's prefix and slashes, as `strip_relative_path` gives it).
"""

from __future__ import annotations

import gc
import logging
from enum import StrEnum
from pathlib import Path
from types import ModuleType
from typing import Final

import dash
import flask
from dash import Input, Output, State, dcc, html
from flask_compress import Compress

from dashboard import http_guard, precompressed, store_banner
from dashboard.coverage import page as coverage
from dashboard.data import Providers
from dashboard.i18n import DEFAULT_LANGUAGE, text
from dashboard.leaders import page as leaders
from dashboard.open311 import routes as open311
from dashboard.planner import page as planner
from dashboard.routes import page as routes_page
from dashboard.settings import Settings
from dashboard.wall import page as wall

ASSETS_DIR: Final = Path(__file__).resolve().parent / "assets"
#: URL under which cached geometry files are served. Their names carry the boundary version (or the
#: store's state), so a browser may keep them for good.
MAPDATA_ROUTE: Final = "/mapdata"
#: Seconds between looks for a new store state to prepare (a file stat, so looking often is free).
PREPARE_EVERY_S: Final = 5.0
_IMMUTABLE_SECONDS: Final = 365 * 24 * 3600
logger = logging.getLogger(__name__)
_PROVIDERS_KEY: Final = "pingan.providers"  # where the app's providers hang on its Flask server
#: Dynamic responses compressed per request (brotli, else gzip): the page and the layout and callback
#: JSON. Bundles, assets and map files are compressed once per file (precompressed.py).
_COMPRESSED_TYPES: Final = ["text/html", "application/json"]

#: route -> the page module of a feature package
PAGES: Final[dict[str, ModuleType]] = {
    leaders.ROUTE: leaders,
    wall.ROUTE: wall,  # with settings.wall_only every other page redirects to the wall
    coverage.ROUTE: coverage,
    routes_page.ROUTE: routes_page,
    planner.ROUTE: planner,
}


class Ids(StrEnum):
    URL = "app-url"
    PAGE = "app-page"


def _serve_mapdata(app: dash.Dash, cache_dir: Path) -> None:
    directory = cache_dir.resolve()  # Flask would read a relative directory against the package, not the cwd

    def send(file_name: str) -> flask.Response:
        response = flask.send_from_directory(directory, file_name, max_age=_IMMUTABLE_SECONDS)
        response.headers["Cache-Control"] = f"public, max-age={_IMMUTABLE_SECONDS}, immutable"
        return response

    prefixed = app.get_relative_path(MAPDATA_ROUTE)
    app.server.add_url_rule(f"{prefixed}/<path:file_name>", endpoint="mapdata", view_func=send)


def _cache_versioned_assets(app: dash.Dash) -> None:
    """Dash links each asset as `?m=<mtime>`, so a changed file gets a new URL: a browser may keep each
    one instead of revalidating it on every load."""
    assets = str(app.get_relative_path("/assets/"))

    @app.server.after_request
    def keep_versioned(response: flask.Response) -> flask.Response:
        request = flask.request
        if response.status_code == 200 and request.path.startswith(assets) and "m" in request.args:
            response.headers["Cache-Control"] = f"public, max-age={_IMMUTABLE_SECONDS}, immutable"
        return response


def _register_router(app: dash.Dash, providers: Providers) -> None:
    def draw_page(pathname: str | None, search: str | None) -> html.Div:
        page = PAGES.get(app.strip_relative_path(pathname or "/") or "")
        if page is None:
            return html.Div(text(DEFAULT_LANGUAGE, "app.not_found", path=pathname), className="not-found")
        component: html.Div = page.layout(providers, search=search, pathname=pathname or "/")
        return component

    @app.callback(Output(Ids.PAGE, "children"), Input(Ids.URL, "pathname"), State(Ids.URL, "search"))
    def show_page(pathname: str | None, search: str | None) -> html.Div:
        return draw_page(pathname, search)

    store_banner.register_callbacks(
        app, providers, page_output=Output(Ids.PAGE, "children", allow_duplicate=True), url_id=Ids.URL,
        draw_page=draw_page,
    )


def create_app(settings: Settings) -> dash.Dash:
    """The dashboard for the store in `settings`. Reading the store here fails fast on a missing one and
    prepares the first view's geometry and the warning scores before the first visitor."""
    app = dash.Dash(
        __name__,
        assets_folder=str(ASSETS_DIR),
        update_title=None,  # type: ignore[arg-type]  # None is documented: keep the title while updating
        serve_locally=True,
        suppress_callback_exceptions=True,
        on_error=store_banner.keep_page_on_store_error,
    )
    providers = Providers.from_settings(
        settings, mapdata_url=lambda name: str(app.get_relative_path(f"{MAPDATA_ROUTE}/{name}"))
    )
    tree = providers.files.tree()
    providers.files.prepare()
    providers.indicators.data()
    try:  # the wall's first frame, which a kiosk asks for the moment it starts
        providers.wall.with_reach()
    except Exception:  # the wall's own refresh meets it again and shows its frame as stale
        logger.warning("the wall's figures could not be prepared at start", exc_info=True)
    # The wall's figures and the first clicks' answers, behind start-up and once the store has settled
    # after a change; while cases keep arriving, a wall's refresh makes its digest of the state it finds.
    providers.indicators.start_preparing(
        every_s=PREPARE_EVERY_S, when_quiet=(providers.wall.digest, providers.wall.with_reach)
    )
    app.server.extensions[_PROVIDERS_KEY] = providers
    # The tables just read live as long as the process: move them out of the collector's way, or a full
    # collection (about a million objects) stalls a callback for 100 ms now and then.
    gc.freeze()
    city_name = tree.node(tree.city_code).name if tree.city_code in tree else ""
    app.title = leaders.page_title(city_name, DEFAULT_LANGUAGE)
    app.layout = html.Div(
        [dcc.Location(id=Ids.URL, refresh="callback-nav"), *store_banner.banner(),
         html.Div(id=Ids.PAGE, className="page")]
    )
    app.server.config.update(
        COMPRESS_MIMETYPES=_COMPRESSED_TYPES, COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_MIN_SIZE=1024
    )
    Compress(app.server)
    _serve_mapdata(app, settings.cache_dir)
    _register_router(app, providers)
    http_guard.install(app, is_page=lambda path: path in PAGES)
    for page in PAGES.values():
        page.register_callbacks(app, providers)
    _cache_versioned_assets(app)
    open311.install(app, providers.open311, rate_per_s=settings.open311_rate,
                    burst=max(10, int(2 * settings.open311_rate)))
    _compress_static_files(app, settings.cache_dir)  # last: it asks for a page, and Flask then takes no hooks
    # Each page's default view is computed now (its explanations and case metrics are remembered per
    # store state), so the first visitor after a start waits no longer than the next one.
    for route, page in PAGES.items():
        page.layout(providers, search=None, pathname=f"/{route}")
    return app


def stop_background_work(server: flask.Flask) -> None:
    """Stop what `create_app` left running in the background for the app on `server` (the preparation
    of new store states), for a process that drops the app and goes on."""
    providers = server.extensions.get(_PROVIDERS_KEY)
    if isinstance(providers, Providers):
        providers.indicators.stop_preparing()


def _compress_static_files(app: dash.Dash, cache_dir: Path) -> None:
    files = precompressed.CompressedFiles()
    routes = {
        precompressed.SUITES_PREFIX: precompressed.suite_file,
        "assets/": precompressed.folder_files(ASSETS_DIR),
        MAPDATA_ROUTE.strip("/") + "/": precompressed.folder_files(cache_dir.resolve()),
    }
    precompressed.install(app, files, routes)
    # Any page's HTML names every bundle; the wall's is served in wall-only mode too.
    precompressed.compress_bundles(app, files, page_path=f"/{wall.ROUTE}", assets=ASSETS_DIR)
