"""The routes page at `/routes`: the service teams' planned trips to the herders' camps on the map, with
pastures, camps coloured by the days since their last visit, the day-by-day schedule and a GPX download."""

from __future__ import annotations

import dash
from dash import html

from dashboard.access.rights import Need
from dashboard.data import Providers
from dashboard.routes import callbacks
from dashboard.routes import layout as routes_layout
from dashboard.routes.state import ROUTE
from geo.api import Right

__all__ = ["NEED", "ROUTE", "layout", "register_callbacks"]

#: Who may open the page: the teams travel across counties.
NEED = Need(Right.MAPS, city_wide=True)


def layout(providers: Providers, *, search: str | None, pathname: str) -> html.Div:
    state = callbacks.current_state(search, providers)
    return routes_layout.page(state, teams=callbacks.team_options(providers),
                              body=callbacks.body_of(state, providers), pastures=providers.routes.pastures())


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    callbacks.register_callbacks(app, providers)
