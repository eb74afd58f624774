"""Components of the routes page, built from the plain data of views.py."""

from __future__ import annotations

from typing import Any

import dash_leaflet as dl
from dash import dcc, html

from dashboard.i18n import other_language, text
from dashboard.routes import views
from dashboard.routes.ids import Ids
from dashboard.routes.state import DAY_CHOICES, RouteState, state_query


def route_layers(route: dict[str, Any], lang: str) -> list[Any]:
    """The way as a line with arrows along it, and the stops as numbered markers."""
    path = views.route_path(route)
    arrow = {"offset": "6%", "repeat": "12%", "arrowHead": {"pixelSize": 11, "polygon": True,
             "pathOptions": {"color": views.ROUTE_COLOUR, "fillOpacity": 1, "weight": 0, "stroke": False}}}
    layers: list[Any] = [
        dl.Polyline(positions=path, color=views.ROUTE_COLOUR, weight=3, opacity=0.85),
        dl.PolylineDecorator(positions=path, patterns=[arrow]),
    ]
    for stop in views.numbered_stops(route, lang):
        layers.append(dl.CircleMarker(
            center=[stop["lat"], stop["lon"]], radius=11 if stop["base"] else 9,
            color="#ffffff", weight=2, fillColor="#212529" if stop["base"] else views.ROUTE_COLOUR,
            fillOpacity=1,
            children=[dl.Tooltip(stop["label"], permanent=True, direction="center", className="route-number"),
                      dl.Popup(stop["detail"])],
        ))
    return layers


def camp_layers(camps: dict[str, Any], lang: str) -> list[Any]:
    return [dl.CircleMarker(center=[m["lat"], m["lon"]], radius=5, color=m["colour"], weight=1,
                            fillColor=m["colour"], fillOpacity=0.8, children=dl.Tooltip(m["tooltip"]))
            for m in views.camp_markers(camps, lang)]


def pasture_layers(pastures: dict[str, Any] | None) -> list[Any]:
    if pastures is None:
        return []
    layers = []
    for season, style in views.PASTURE_STYLES.items():
        features = [f for f in pastures["features"] if f["properties"]["season"] == season]
        layers.append(dl.GeoJSON(data={"type": "FeatureCollection", "features": features}, style=style,
                                 interactive=False))
    return layers


def schedule_table(days: list[views.DayRows], lang: str) -> html.Table:
    head = html.Tr([html.Th(text(lang, f"routes.col.{key}"))
                    for key in ("order", "arrival", "stop", "kind", "households", "leg_km")])
    rows: list[Any] = []
    for day in days:
        rows.append(html.Tr(html.Td(text(lang, "routes.day_row", date=day.date, stops=day.stops,
                                         households=day.households, km=f"{day.km:.1f}"), colSpan=6),
                            className="schedule-day"))
        rows += [html.Tr([html.Td(v["order"]), html.Td(v["arrival"]), html.Td(v["stop"]),
                          html.Td(v["kind"]), html.Td(v["households"]), html.Td(f"{v['leg_km']:.1f}")],
                         className="schedule-visit")
                 for v in day.visits]
    return html.Table([html.Thead(head), html.Tbody(rows)], className="schedule-table")


def summary_block(summary: dict[str, str]) -> list[Any]:
    return [html.Div(summary["team"], className="routes-team-name"), html.Div(summary["totals"]),
            html.Div(summary["unserved"], className="routes-unserved")]


def legend(lang: str) -> html.Div:
    dot = {"borderRadius": "50%"}
    items = [html.Li([html.Span(className="legend-swatch", style={"background": colour, **dot}),
                      html.Span(text(lang, f"routes.visit.{key}"), className="legend-label")])
             for key, colour in views.VISIT_COLOURS.items()]
    seasons = [html.Li([html.Span(className="legend-swatch", style={"background": style["fillColor"]}),
                        html.Span(text(lang, f"routes.pasture.{season}"), className="legend-label")])
               for season, style in views.PASTURE_STYLES.items()]
    title = html.Div(text(lang, "routes.legend"), className="legend-title")
    return html.Div([title, html.Ul(items + seasons)], className="map-legend routes-legend")


def controls(state: RouteState, teams: list[tuple[str, str]]) -> html.Div:
    lang = state.lang
    return html.Div([
        html.Label([text(lang, "routes.from"), dcc.Input(
            id=Ids.START, type="date", value=state.start.isoformat(), debounce=True,
            className="routes-date")]),
        html.Label([text(lang, "routes.days"), dcc.Dropdown(
            id=Ids.DAYS, options=[{"label": text(lang, "routes.days_option", days=n), "value": n}
                                  for n in DAY_CHOICES],
            value=state.days, clearable=False, className="routes-days")]),
        html.Label([text(lang, "routes.team"), dcc.Dropdown(
            id=Ids.TEAM, options=[{"label": f"{name} ({team_id})", "value": team_id}
                                  for team_id, name in teams],
            value=state.team, clearable=False, className="routes-team")]),
        html.Button(text(lang, "routes.download"), id=Ids.GPX_BUTTON, className="export-button"),
        dcc.Download(id=Ids.GPX_DOWNLOAD),
        dcc.Link(text(lang, "lang.switch"), href=state_query(state.but(lang=other_language(lang))),
                 className="language-link"),
    ], className="header-tools routes-controls")


def page(state: RouteState, *, teams: list[tuple[str, str]], body: dict[str, Any],
         pastures: dict[str, Any] | None) -> html.Div:
    """The whole page; `body` holds the parts the callbacks redraw (callbacks.body_of)."""
    lang = state.lang
    header = html.Header([html.H1(f"{text(lang, 'app.name')} · {text(lang, 'routes.title')}"),
                          controls(state, teams)], className="app-header")
    route_map = dl.Map(id=Ids.MAP, className="area-map routes-map", bounds=body["bounds"],
                       boundsOptions={"padding": [30, 30]}, trackViewport=False, children=[
                           *pasture_layers(pastures),
                           dl.LayerGroup(id=Ids.CAMPS, children=body["camps"]),
                           dl.LayerGroup(id=Ids.ROUTE, children=body["route"]),
                       ])
    side = [html.Div(body["summary"], id=Ids.SUMMARY, className="routes-summary"),
            html.H2(text(lang, "routes.schedule")),
            html.Div(body["schedule"], id=Ids.SCHEDULE, className="routes-schedule")]
    return html.Div([
        dcc.Location(id=Ids.URL, refresh=False),
        header,
        html.Main([html.Div([route_map, legend(lang)], className="map-frame routes-map-frame"),
                   html.Aside(side, className="routes-side")], className="routes-main"),
    ], className="routes")
