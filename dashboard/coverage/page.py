"""The coverage page at /coverage: the share of households beyond every mediation band (or mediators per
10,000 residents) per area, a specialty filter, suggested new rooms with the households each brings within
reach, and exports of the table (CSV) and the sites (GeoPackage)."""

from __future__ import annotations

from typing import Final

import dash
from dash import html

from dashboard.access.rights import Need
from dashboard.coverage import callbacks
from dashboard.coverage import layout as coverage_layout
from dashboard.coverage.state import ROUTE, parse_query
from dashboard.data import Level, Providers
from dashboard.i18n import text
from geo.api import Right

__all__ = ["ASSETS", "NEED", "ROUTE", "layout", "register_callbacks"]

#: Who may open the page: a city-wide analysis (rooms are suggested for the whole city).
NEED = Need(Right.MAPS, city_wide=True)
#: Files of dashboard/assets/ only this page loads (dashboard/page_assets.py):
#: the page's layout and its map's style functions.
ASSETS: Final = ("coverage.css", "coverage_map.js")


def layout(providers: Providers, *, search: str | None, pathname: str) -> html.Div:
    state = parse_query(search)
    title = f"{text(state.lang, 'app.name')} · {text(state.lang, 'app.coverage')}"
    if not providers.coverage.available():
        return coverage_layout.unavailable(state.lang, title)
    bounds = providers.maps.overview([Level.COUNTY]).bounds
    view = callbacks.render(state, providers)
    return coverage_layout.page(state, view, title=title, bounds=bounds, tile_url=providers.settings.tile_url,
                                pathname=pathname)


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    callbacks.register_callbacks(app, providers)
