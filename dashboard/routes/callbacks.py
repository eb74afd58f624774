"""Callbacks of the routes page, registered on the app: the controls set the URL's query and redraw the
route, the camps, the summary and the schedule; the button sends the team's plan as GPX."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, no_update

from dashboard.access.trail import record
from dashboard.data import Providers
from dashboard.i18n import text
from dashboard.routes import layout, views
from dashboard.routes.ids import Ids
from dashboard.routes.state import RouteState, parse_state, state_query
from geo.api import AuditAction

#: Where the map looks when there is nothing to plan: the two pastoral counties.
_PASTORAL_BOUNDS = [[38.2, 92.3], [42.8, 98.4]]


def current_state(search: str | None, providers: Providers) -> RouteState:
    teams = [team.team_id for team in providers.routes.roster.teams]
    return parse_state(search, teams=teams, default_start=providers.routes.default_start())


def team_options(providers: Providers) -> list[tuple[str, str]]:
    return [(team.team_id, team.name) for team in providers.routes.roster.teams]


def body_of(state: RouteState, providers: Providers) -> dict[str, Any]:
    """The parts of the page that follow the state: map layers, bounds, summary and schedule."""
    lang = state.lang
    if not providers.routes.available():
        note = [text(lang, "routes.no_data")]
        return {"bounds": _PASTORAL_BOUNDS, "camps": [], "route": [], "summary": note, "schedule": []}
    data = providers.routes.period(state.start, state.days)
    route = providers.routes.route(state.start, state.days, state.team)
    path = views.route_path(route)
    return {
        "bounds": views.bounds_of(path) or _PASTORAL_BOUNDS,
        "camps": layout.camp_layers(data.camps, lang),
        "route": layout.route_layers(route, lang),
        "summary": layout.summary_block(views.summary_view(data.plan, state.team, lang)),
        "schedule": layout.schedule_table(views.schedule_days(data.plan, state.team, lang), lang),
    }


def register_callbacks(app: dash.Dash, providers: Providers) -> None:
    @app.callback(
        Output(Ids.URL, "search"),
        Output(Ids.CAMPS, "children"),
        Output(Ids.ROUTE, "children"),
        Output(Ids.SUMMARY, "children"),
        Output(Ids.SCHEDULE, "children"),
        Output(Ids.MAP, "viewport"),
        Input(Ids.START, "value"),
        Input(Ids.DAYS, "value"),
        Input(Ids.TEAM, "value"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def redraw(start: str | None, days: int | None, team: str | None, search: str | None) -> tuple[Any, ...]:
        before = current_state(search, providers)
        asked = {"from": start or "", "days": str(days or ""), "team": team or "", "lang": before.lang}
        state = current_state("?" + urlencode(asked), providers)  # unknown values fall back to defaults
        body = body_of(state, providers)
        search_out = state_query(state) if state != before else no_update
        viewport = {"bounds": body["bounds"], "transition": "fitBounds"}
        return search_out, body["camps"], body["route"], body["summary"], body["schedule"], viewport

    @app.callback(
        Output(Ids.GPX_DOWNLOAD, "data"),
        Input(Ids.GPX_BUTTON, "n_clicks"),
        State(Ids.URL, "search"),
        prevent_initial_call=True,
    )
    def download(clicks: int | None, search: str | None) -> Any:
        state = current_state(search, providers)
        if not clicks or not providers.routes.available():
            return no_update
        content = providers.routes.gpx(state.start, state.days, state.team)
        name = f"{state.team}-{state.start.isoformat()}-{state.days}d.gpx"
        record(providers.accounts, AuditAction.EXPORT, name)
        return {"content": content, "filename": name, "type": "application/gpx+xml"}
