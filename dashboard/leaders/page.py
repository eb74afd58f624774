"""The leaders' map at `/`: the city coloured by warning level, with drill-down down to a grid, the "why
this colour" panel, incident layers and the briefing export."""

from __future__ import annotations

from typing import Final

import dash
from dash import html

from dashboard.access.rights import Need
from dashboard.access.sessions import sees_personal_fields
from dashboard.data import Providers
from dashboard.i18n import text
from dashboard.leaders import callbacks, views
from dashboard.leaders import layout as leaders_layout
from dashboard.leaders.state import ROUTE, MapLayer, slider_months
from geo.api import Right

__all__ = ["ASSETS", "NEED", "ROUTE", "layout", "page_title", "register_callbacks"]

#: Who may open the page: the maps right; the areas below the viewer's scope.
NEED = Need(Right.MAPS)
#: Files of dashboard/assets/ only this page loads (dashboard/page_assets.py):
#: the map's style functions and the drawing of the KPI strip and panel.
ASSETS: Final = ("area_map.js", "leaders_panel.js")


def page_title(city_name: str, lang: str) -> str:
    name = f"{text(lang, 'app.name')} · {text(lang, 'app.leaders')}"
    return f"{name} — {city_name}" if city_name else name


def layout(providers: Providers, *, search: str | None, pathname: str) -> html.Div:
    """The page for the view the query string asks for, drawn complete on the server so the first paint
    needs no further callback; only the trend chart follows once the map is on screen."""
    state = callbacks.current_state(search, providers)
    tree = providers.files.tree()
    view = views.map_view(state, providers)
    return leaders_layout.page(
        state,
        view=view,
        tiles=views.kpi_view(state, providers),
        panel=views.panel_view(state, providers, personal_fields=sees_personal_fields()),
        heat=views.heat_view(state, providers) if state.shows(MapLayer.HEAT) else None,
        points=views.points_view(state, providers) if state.shows(MapLayer.POINTS) else None,
        months=slider_months(providers.indicators.months()),
        title=page_title(tree.node(tree.city_code).name if tree.city_code in tree else "", state.lang),
        tile_url=providers.settings.tile_url,
        pathname=pathname,
    )


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    callbacks.register_callbacks(app, providers)
