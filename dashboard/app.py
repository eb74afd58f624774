"""`create_app(settings)`: the Dash app, its page router and the route that serves map geometry."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Final

import dash
import flask
from dash import Input, Output, dcc, html

from dashboard.data import AreaMaps
from dashboard.pages import overview
from dashboard.settings import Settings

ASSETS_DIR: Final = Path(__file__).resolve().parent / "assets"
#: URL under which cached geometry files are served. Their names carry the boundary version, so a
#: browser may keep them for good.
MAPDATA_ROUTE: Final = "/mapdata"
_IMMUTABLE_SECONDS: Final = 365 * 24 * 3600


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


def _register_router(app: dash.Dash, pages: dict[str, Callable[[], html.Div]]) -> None:
    @app.callback(Output(Ids.PAGE, "children"), Input(Ids.URL, "pathname"))
    def show_page(pathname: str | None) -> html.Div:
        page = pages.get(app.strip_relative_path(pathname or "/") or "")
        if page is None:
            return html.Div(f"页面不存在 Page not found: {pathname}", className="not-found")
        return page()


def create_app(settings: Settings) -> dash.Dash:
    """The dashboard for the store in `settings`; reading it here fails fast on a missing store and
    prepares the geometry files before the first visitor."""
    maps = AreaMaps(settings)
    first_view = maps.overview(overview.LEVELS)
    app = dash.Dash(
        __name__,
        assets_folder=str(ASSETS_DIR),
        title=overview.page_title(first_view.city_name),
        update_title=None,  # type: ignore[arg-type]  # None is documented: keep the title while updating
        serve_locally=True,
        suppress_callback_exceptions=True,
    )
    app.layout = html.Div([dcc.Location(id=Ids.URL), html.Div(id=Ids.PAGE, className="page")])

    def file_url(file_name: str) -> str:
        return str(app.get_relative_path(f"{MAPDATA_ROUTE}/{file_name}"))

    def overview_page() -> html.Div:
        return overview.layout(maps.overview(overview.LEVELS), tile_url=settings.tile_url, file_url=file_url)

    _serve_mapdata(app, settings.cache_dir)
    # Routes are keyed by the path without Dash's prefix and slashes, as `strip_relative_path` gives it.
    _register_router(app, {"": overview_page})
    return app
