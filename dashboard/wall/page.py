"""The command-centre wall at /wall: a dark, read-only picture of the city that rotates through its views,
refreshes itself in place and, when the data stops answering, keeps the last frame marked stale."""

from __future__ import annotations

import logging
from typing import Final

from dash import html

from dashboard.access.rights import Need
from dashboard.data import AreaOverview, Providers, StoreError
from dashboard.wall import layout as wall_layout
from dashboard.wall import views
from dashboard.wall.callbacks import register_callbacks
from dashboard.wall.heat import TRANSPARENT_DATA_URL
from dashboard.wall.state import ROUTE, parse_query
from geo.api import Right

__all__ = ["ASSETS", "NEED", "ROUTE", "layout", "register_callbacks"]

#: Who may open the page: aggregates of the whole city: a kiosk, or a person of the whole city.
NEED = Need(Right.WALL, city_wide=True)
#: Files of dashboard/assets/ only this page loads (dashboard/page_assets.py):
#: the wall's look, clock, rotation and style functions.
ASSETS: Final = ("wall.css", "wall.js")

#: China's extent, for a page drawn before the store could ever be read (no city is built in); the first
#: good frame moves the map to the city.
_FALLBACK_BOUNDS: Final = ((18.0, 73.0), (54.0, 135.0))

logger = logging.getLogger(__name__)


def _views_of(overview: AreaOverview | None, lang: str, *, with_routes: bool) -> tuple[views.WallView, ...]:
    if overview is None:
        return views.wall_views("", [], lang)
    counties = [
        (code, name) for code, name in overview.names.items()
        if len(code) == len(overview.city_code) and code != overview.city_code
    ]
    return views.wall_views(overview.city_code, counties, lang, with_routes=with_routes)


def layout(providers: Providers, *, search: str | None, pathname: str) -> html.Div:
    """The wall's page: the shell the callbacks fill, in the language of `?lang=` (default zh-CN).

    Opened while the store is away, the shell comes without the map's layers, and the page reloads itself
    once data answers again.
    """
    lang = parse_query(search).lang
    try:
        shown: AreaOverview | None = providers.maps.overview(views.MAP_LEVELS)
    except StoreError:
        logger.warning("wall page opened while the store is unavailable: drawn without the map's layers")
        shown = None
    return wall_layout.page(
        views=_views_of(shown, lang, with_routes=shown is not None and providers.routes.available()),
        lang=lang,
        city_name=shown.city_name if shown is not None else "",
        file_urls={} if shown is None else {
            layer.level: providers.mapdata_url(layer.file_name) for layer in shown.layers
        },
        bounds=shown.bounds if shown is not None else _FALLBACK_BOUNDS,
        heat_url=TRANSPARENT_DATA_URL,
        timing=wall_layout.wall_timing(providers.settings),
    )
