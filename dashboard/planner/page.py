"""The planners' workbench at /planner: pick a township or village, see its grids (code, name, households,
population, grid workers, this year's incidents) on a map and in a table, edit them (split by a drawn line,
merge neighbours, redraw a shared edge, move a block, free vertex edit), see every problem on the map and in
a list after each edit, preview the impact, save a dated version with author and reason, and browse the
history (diff, roll back by saving an earlier layout again)."""

from __future__ import annotations

from typing import Final

import dash
from dash import html

from dashboard.access.rights import Need
from dashboard.data import Providers
from dashboard.planner import callbacks
from dashboard.planner import layout as planner_layout
from dashboard.planner.state import ROUTE
from geo.api import Right

__all__ = ["ASSETS", "NEED", "ROUTE", "layout", "register_callbacks"]

#: Who may open the page: boundary versions of the areas below the viewer's scope.
NEED = Need(Right.BOUNDARIES)
#: Files of dashboard/assets/ only this page loads (dashboard/page_assets.py):
#: the workbench's layout and its map's style functions.
ASSETS: Final = ("planner.css", "planner_map.js")


def layout(providers: Providers, *, search: str | None, pathname: str) -> html.Div:
    state = callbacks.current_state(search, providers)
    if not providers.planner.available() or not state.parent:
        return planner_layout.unavailable(state.lang)
    body = callbacks.body_of(state, providers, None, callbacks.Action(trigger="open"))
    return planner_layout.page(state, parents=providers.planner.parents(), body=body,
                               tile_url=providers.settings.tile_url, pathname=pathname)


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    callbacks.register_callbacks(app, providers)
