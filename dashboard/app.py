"""`create_app(settings)`: the Dash app, its page router and the route that serves map geometry.

Pages are feature packages (dashboard/leaders/, dashboard/wall/, see dashboard/README.md) whose `page`
module has `ROUTE`, `layout(providers, *, search, pathname)` and `register_callbacks(app, providers)`;
`PAGES` lists them by route (the path without Dash's prefix and slashes, as `strip_relative_path` gives it).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Final

import dash
import flask
from dash import html
from flask_compress import Compress

from dashboard import access, http_guard, page_assets, precompressed, shell, store_banner
from dashboard.access.menu import account_menu
from dashboard.access.rights import ANY_VIEWER, CallbackRights, Need
from dashboard.access.scope import ViewerProviders
from dashboard.access.sessions import current_viewer
from dashboard.admin import page as admin
from dashboard.coverage import page as coverage
from dashboard.data import Providers
from dashboard.data.accounts import Viewer, ViewerKind
from dashboard.data.intake import MAX_UPLOAD_BYTES
from dashboard.i18n import DEFAULT_LANGUAGE, text
from dashboard.intake import page as intake
from dashboard.leaders import page as leaders
from dashboard.open311 import routes as open311
from dashboard.planner import page as planner
from dashboard.routes import page as routes_page
from dashboard.settings import Settings
from dashboard.wall import page as wall
from geo.api import Right

ASSETS_DIR: Final = Path(__file__).resolve().parent / "assets"
#: URL under which cached geometry files are served. Their names carry the boundary version (or the
#: store's state), so a browser may keep them for good.
MAPDATA_ROUTE: Final = "/mapdata"
#: Seconds between looks for a new store state to prepare (a file stat, so looking often is free).
PREPARE_EVERY_S: Final = 5.0
_IMMUTABLE_SECONDS: Final = 365 * 24 * 3600
logger = logging.getLogger(__name__)
_PROVIDERS_KEY: Final = "pingan.providers"  # where the app's providers hang on its Flask server
_RIGHTS_KEY: Final = "pingan.callback_rights"  # and what each of its callbacks needs
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
    intake.ROUTE: intake,
    admin.ROUTE: admin,
}


def _serve_mapdata(app: dash.Dash, cache_dir: Path) -> None:
    directory = cache_dir.resolve()  # Flask would read a relative directory against the package, not the cwd

    def send(file_name: str) -> flask.Response:
        response = flask.send_from_directory(directory, file_name, max_age=_IMMUTABLE_SECONDS)
        response.headers["Cache-Control"] = f"public, max-age={_IMMUTABLE_SECONDS}, immutable"
        return response

    prefixed = app.get_relative_path(MAPDATA_ROUTE)
    app.server.add_url_rule(f"{prefixed}/<path:file_name>", endpoint="mapdata", view_func=send)


def _cache_headers(app: dash.Dash) -> None:
    """Dash links each asset as `?m=<mtime>`, so a changed file gets a new URL: a browser may keep each
    one instead of revalidating it on every load. The layout is never kept: one URL answers with the page
    of the asking document (shell.py), cut to the viewer's scope."""
    assets = str(app.get_relative_path("/assets/"))
    layout = str(app.get_relative_path("/_dash-layout"))

    @app.server.after_request
    def cache_control(response: flask.Response) -> flask.Response:
        request = flask.request
        if response.status_code == 200 and request.path.startswith(assets) and "m" in request.args:
            response.headers["Cache-Control"] = f"public, max-age={_IMMUTABLE_SECONDS}, immutable"
        elif request.path == layout:
            response.headers["Cache-Control"] = "no-store"
        return response


#: The account menu's name of each page (i18n key nav.<name>).
_NAV_KEYS: Final = {leaders.ROUTE: "leaders", wall.ROUTE: "wall", coverage.ROUTE: "coverage",
                    routes_page.ROUTE: "routes", planner.ROUTE: "planner", intake.ROUTE: "intake",
                    admin.ROUTE: "admin"}
#: Where a viewer lands after signing in: the first of these pages they may open.
_HOME_ORDER: Final = (leaders.ROUTE, intake.ROUTE, admin.ROUTE, wall.ROUTE)


#: The largest callback body: an incident file of MAX_UPLOAD_BYTES sent base64-encoded by dcc.Upload.
UPLOAD_BODY_BYTES: Final = MAX_UPLOAD_BYTES * 4 // 3 + 1024 * 1024


def _body_limit() -> int:
    """Clerks upload incident files; every other request stays within http_guard's limit."""
    viewer = current_viewer()
    return UPLOAD_BODY_BYTES if viewer is not None and viewer.may(Right.INTAKE) else http_guard.MAX_BODY_BYTES


def page_need(stripped: str) -> Need | None:
    """What the page at a stripped path needs; None when no page is there."""
    page = PAGES.get(stripped)
    return None if page is None else page.NEED


def home_of(app: dash.Dash) -> Callable[[Viewer], str]:
    def home(viewer: Viewer) -> str:
        if viewer.kind is ViewerKind.KIOSK:
            return str(app.get_relative_path(f"/{wall.ROUTE}"))
        route = next((r for r in (*_HOME_ORDER, *PAGES) if PAGES[r].NEED.met_by(viewer)), leaders.ROUTE)
        return str(app.get_relative_path(f"/{route}"))

    return home


def _page_drawer(app: dash.Dash, providers: ViewerProviders) -> shell.DrawPage:
    def draw_page(pathname: str | None, search: str | None) -> html.Div:
        page = PAGES.get(app.strip_relative_path(pathname or "/") or "")
        if page is None:
            return html.Div(text(DEFAULT_LANGUAGE, "app.not_found", path=pathname), className="not-found")
        viewer = current_viewer()
        if viewer is None or not page.NEED.met_by(viewer):  # the guard stops this before; a callback can ask
            return html.Div(text(DEFAULT_LANGUAGE, "access.forbidden"), className="not-found")
        component: html.Div = page.layout(providers, search=search, pathname=pathname or "/")
        if page is wall:  # a kiosk's screen shows the wall and nothing else
            return component
        lang = store_banner.lang_of(search)
        links = [(str(app.get_relative_path(f"/{route}")), text(lang, f"nav.{_NAV_KEYS[route]}"))
                 for route, other in PAGES.items() if other.NEED.met_by(viewer)]
        menu = account_menu(viewer, lang, links, prefix=str(app.get_relative_path("/")))
        return html.Div([menu, component], className="with-account")

    return draw_page


def create_app(settings: Settings) -> dash.Dash:
    """The dashboard for the store in `settings`. Reading the store here fails fast on a missing one and
    prepares the first view's geometry, the warning scores and the first clicks' answers before the first
    visitor."""
    app = dash.Dash(
        __name__,
        assets_folder=str(ASSETS_DIR),
        assets_ignore=page_assets.ignore_pattern(PAGES.values()),  # linked by their pages alone
        update_title=None,  # type: ignore[arg-type]  # None is documented: keep the title while updating
        serve_locally=True,
        suppress_callback_exceptions=True,
        on_error=store_banner.keep_page_on_store_error,
    )
    providers = Providers.from_settings(
        settings, mapdata_url=lambda name: str(app.get_relative_path(f"{MAPDATA_ROUTE}/{name}"))
    )
    tree = providers.files.tree()
    map_files = providers.files.prepare()
    providers.indicators.data()
    try:  # the wall's first frame, which a kiosk asks for the moment it starts
        providers.wall.with_reach()
    except Exception:  # the wall's own refresh meets it again and shows its frame as stale
        logger.warning("the wall's figures could not be prepared at start", exc_info=True)
    # The first clicks' answers too, before serving: prepared behind start-up, they were often still
    # taking the one core Python code has while the first visitor's page loaded (up to 0.5 s later paint).
    try:
        providers.indicators.prepare()
    except Exception:  # a request computes what it asks for and meets the error itself
        logger.warning("the first clicks' answers could not be prepared at start", exc_info=True)
    # The wall's figures and the answers of each later store state, once the store has settled after a
    # change; while cases keep arriving, a wall's refresh makes its digest of the state it finds.
    providers.indicators.start_preparing(
        every_s=PREPARE_EVERY_S, when_quiet=(providers.wall.digest, providers.wall.with_reach)
    )
    app.server.extensions[_PROVIDERS_KEY] = providers
    # The tables just read and the answers just prepared live as long as the process or the store state:
    # move them out of the collector's way, or a full collection (about a million objects) stalls a
    # callback for 100 ms now and then.
    gc.freeze()
    city_name = tree.node(tree.city_code).name if tree.city_code in tree else ""
    app.title = leaders.page_title(city_name, DEFAULT_LANGUAGE)
    app.server.config.update(
        COMPRESS_MIMETYPES=_COMPRESSED_TYPES, COMPRESS_ALGORITHM=["br", "gzip"], COMPRESS_MIN_SIZE=1024
    )
    Compress(app.server)
    _serve_mapdata(app, settings.cache_dir)
    # Pages get providers cut to the scope of the viewer of each request (access/scope.py).
    viewers = ViewerProviders(providers)
    draw_page = _page_drawer(app, viewers)
    app.layout = shell.first_layout(draw_page)
    rights = CallbackRights()
    rights.declare(app, ANY_VIEWER, lambda: shell.register_router(app, viewers, draw_page))
    for page in PAGES.values():
        rights.declare(app, page.NEED, lambda page=page: page.register_callbacks(app, viewers))
    app.server.extensions[_RIGHTS_KEY] = rights
    http_guard.install(app, is_page=lambda path: path in PAGES, body_limit=_body_limit,
                       largest_body=UPLOAD_BODY_BYTES)
    access.install(app, settings, providers.accounts, rights, page_need=page_need, wall_route=wall.ROUTE,
                   home_of=home_of(app), open311_prefix=open311.PREFIX)
    _cache_headers(app)
    page_assets.install(app, PAGES, ASSETS_DIR)
    open311.install(app, providers.open311, rate_per_s=settings.open311_rate,
                    burst=max(10, int(2 * settings.open311_rate)))
    # last: it asks for a page, and Flask then takes no hooks
    _compress_static_files(app, settings.cache_dir, map_files)
    # Each page's default view is computed now (its explanations and case metrics are remembered per
    # store state), so the first visitor after a start waits no longer than the next one.
    for route, page in PAGES.items():
        page.layout(providers, search=None, pathname=f"/{route}")
    return app


def callback_rights(server: flask.Flask) -> CallbackRights:
    """What each callback of the app on `server` needs (for tests and audits of the app)."""
    rights = server.extensions[_RIGHTS_KEY]
    assert isinstance(rights, CallbackRights)
    return rights


def stop_background_work(server: flask.Flask) -> None:
    """Stop what `create_app` left running in the background for the app on `server` (the preparation
    of new store states), for a process that drops the app and goes on."""
    providers = server.extensions.get(_PROVIDERS_KEY)
    if isinstance(providers, Providers):
        providers.indicators.stop_preparing()


def _compress_static_files(app: dash.Dash, cache_dir: Path, map_files: list[str]) -> None:
    files = precompressed.CompressedFiles()
    routes = {
        precompressed.SUITES_PREFIX: precompressed.suite_file,
        "assets/": precompressed.folder_files(ASSETS_DIR),
        MAPDATA_ROUTE.strip("/") + "/": precompressed.folder_files(cache_dir.resolve()),
    }
    precompressed.install(app, files, routes)
    # Any page's HTML names every bundle; the wall's is served in wall-only mode too.
    precompressed.compress_bundles(app, files, page_path=f"/{wall.ROUTE}", assets=ASSETS_DIR)
    # The whole levels' map files, which the first view of the leaders' map fetches (about 10 ms each).
    precompressed.compress_files(files, (cache_dir.resolve() / name for name in map_files))
