"""Components of the leaders' map, built from the plain data of views.py."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Final

import dash_leaflet as dl
from dash import dcc, html

from dashboard.components.kpi import Tile
from dashboard.components.trend import GRAPH_CONFIG
from dashboard.components.warning_map import js, warning_legend
from dashboard.data.leaders import CATEGORIES, SOURCES
from dashboard.i18n import other_language, text
from dashboard.leaders.ids import Ids
from dashboard.leaders.state import MapLayer, ViewState, state_query
from dashboard.leaders.views import Crumb, MapView

#: Month slider step while playing, in milliseconds.
PLAY_INTERVAL_MS: Final = 1500
#: Heat colours from few to many incidents per hexagon.
HEAT_COLOURS: Final = ("#ffd166", "#ffa94d", "#f76b3c", "#d6303f", "#8c0e3a")
# Panes bottom to top: coloured areas (the one layer that takes clicks), heat, thin inner outlines, the
# bold outline of the area in view and its siblings. Markers sit in Leaflet's marker pane above them all.
PANES: Final = {"areas": 410, "heat": 420, "detail": 430, "context": 440}
_AREA_STYLE: Final = {"color": "#ffffff", "weight": 1.2, "opacity": 1.0, "fillOpacity": 0.72}


def _pane(name: str, child: Any, *, interactive: bool = False) -> dl.Pane:
    style = {"zIndex": PANES[name], "pointerEvents": "auto" if interactive else "none"}
    return dl.Pane(name=f"leaders-{name}", style=style, children=child)


def area_layer(view: MapView) -> dl.GeoJSON:
    return dl.GeoJSON(
        id=Ids.AREAS,
        url=view.areas_url,
        pane="leaders-areas",
        style=js("warningStyle"),
        hoverStyle=js("warningHover"),
        onEachFeature=js("bindWarningTooltip"),
        hideout=view.hideout,
        bubblingMouseEvents=True,
    )


def outline_layers(view: MapView) -> tuple[list[Any], list[Any]]:
    """Children of the detail and context layer groups: thin inner outlines, bold sibling outlines."""
    detail = [
        dl.GeoJSON(url=view.detail_url, pane="leaders-detail", style=js("detailStyle"), interactive=False)
    ]
    context = [
        dl.GeoJSON(
            url=view.context_url,
            pane="leaders-context",
            style=js("contextStyle"),
            hideout=view.context_hideout,
            interactive=False,
        )
    ]
    return (detail if view.detail_url else []), (context if view.context_url else [])


def place_layer(url: str | None, layer: MapLayer, lang: str) -> list[Any]:
    if url is None:
        return []
    prefix, kind = ("centre", "centre") if layer is MapLayer.CENTRES else ("org", "org")
    keys = (
        ("city", "county", "township", "village")
        if kind == "centre"
        else (
            "township_committee",
            "village_committee",
            "industry_committee",
            "personal_studio",
            "featured_studio",
            "legal_service",
            "counselling_room",
        )
    )
    labels = {key: text(lang, f"{prefix}.{key}") for key in keys}
    return [dl.GeoJSON(url=url, pointToLayer=js("placeMarker"), hideout={"kind": kind, "labels": labels})]


def heat_layer(heat: dict[str, Any] | None) -> list[Any]:
    if heat is None:
        return []
    hideout = {"max": heat["max"], "colours": list(HEAT_COLOURS)}
    return [
        dl.GeoJSON(
            data=heat["data"], pane="leaders-heat", style=js("heatStyle"), hideout=hideout, interactive=False
        )
    ]


def heat_legend(heat: dict[str, Any] | None, lang: str) -> list[Any]:
    if heat is None:
        return []
    gradient = f"linear-gradient(to right, {', '.join(HEAT_COLOURS)})"
    return [
        html.Div(text(lang, "heat.legend"), className="legend-title"),
        html.Div(className="heat-scale", style={"background": gradient}),
        html.Div([html.Span("1"), html.Span(f"{heat['max']:,}")], className="heat-scale-labels"),
    ]


def points_layer(points: dict[str, Any] | None, lang: str) -> list[Any]:
    if points is None:
        return []
    labels = {key: text(lang, f"category.{key}") for key in CATEGORIES}
    return [
        dl.GeoJSON(
            data=points["data"],
            cluster=True,
            zoomToBoundsOnClick=True,
            pointToLayer=js("incidentMarker"),
            superClusterOptions={"radius": 56, "maxZoom": 15},
            hideout={"labels": labels},
        )
    ]


def render_crumbs(crumbs: Sequence[Crumb]) -> list[Any]:
    children: list[Any] = []
    for index, crumb in enumerate(crumbs):
        if index:
            children.append(html.Span("›", className="crumb-sep"))
        label = [
            html.Span(crumb.level, className="crumb-level"),
            html.Span(crumb.name, className="crumb-name"),
        ]
        inner = label if crumb.current else dcc.Link(label, href=crumb.query, className="crumb-link")
        children.append(
            html.Span(
                inner, className="crumb current" if crumb.current else "crumb", **{"data-code": crumb.code}
            )
        )
    return children


def _month_marks(months: Sequence[str]) -> dict[int, str]:
    return {i: m for i, m in enumerate(months) if i % 6 == 0 or i == len(months) - 1}


def _month_slider_props(months: Sequence[str]) -> dict[str, Any]:
    """What the month slider and the incident-period slider share: one step per month, a mark every six,
    and a value sent only when the handle is let go."""
    return {"min": 0, "max": max(len(months) - 1, 0), "step": 1, "marks": _month_marks(months),
            "updatemode": "mouseup", "allow_direct_input": False}


def _filter_dropdown(
    id_: Ids, chosen: Sequence[str], keys: Sequence[str], prefix: str, lang: str
) -> dcc.Dropdown:
    """A multi-choice filter over `keys` (labels `<prefix>.<key>`); nothing chosen means all."""
    return dcc.Dropdown(
        id=id_,
        multi=True,
        value=list(chosen),
        placeholder=text(lang, "filter.all"),
        options=[{"label": text(lang, f"{prefix}.{key}"), "value": key} for key in keys],
    )


def _layers_box(state: ViewState, months: Sequence[str], points_note: str) -> html.Details:
    lang = state.lang
    index = {m: i for i, m in enumerate(months)}
    first, last = state.incident_months()
    period = [index.get(first, len(months) - 1), index.get(last, len(months) - 1)]
    return html.Details(
        className="layers-box",
        open=True,
        children=[
            html.Summary(text(lang, "layers.title")),
            dcc.Checklist(
                id=Ids.LAYERS,
                options=[
                    {"label": text(lang, f"layer.{layer.value}"), "value": layer.value} for layer in MapLayer
                ],
                value=list(state.layers),
                className="layer-list",
            ),
            html.Label(text(lang, "filter.category")),
            _filter_dropdown(Ids.CATEGORIES, state.categories, CATEGORIES, "category", lang),
            html.Label(text(lang, "filter.source")),
            _filter_dropdown(Ids.SOURCES, state.sources, SOURCES, "source", lang),
            html.Label(text(lang, "filter.period")),
            dcc.RangeSlider(id=Ids.PERIOD, value=period, allowCross=False, **_month_slider_props(months)),
            dcc.Checklist(
                id=Ids.FOLLOW,
                options=[{"label": text(lang, "filter.follow"), "value": "follow"}],
                value=[] if state.period else ["follow"],
                className="follow",
            ),
            html.Div(points_note, id=Ids.POINTS_NOTE, className="points-note"),
        ],
    )


def _header(state: ViewState, title: str) -> html.Header:
    """The title, the area search, the briefing export and the language switch."""
    lang = state.lang
    return html.Header(
        className="app-header",
        children=[
            html.H1(title),
            html.Div(
                className="header-tools",
                children=[
                    dcc.Dropdown(
                        id=Ids.SEARCH,
                        options=[],
                        placeholder=text(lang, "search.placeholder"),
                        searchable=True,
                        clearable=True,
                        className="area-search",
                    ),
                    html.Button(text(lang, "export.button"), id=Ids.EXPORT, className="export-button"),
                    html.A(
                        text(lang, "lang.switch"),
                        id=Ids.LANGUAGE,
                        className="language-link",
                        href=state_query(state.but(lang=other_language(lang))),
                    ),
                ],
            ),
        ],
    )


def _area_map(
    view: MapView, *, heat: dict[str, Any] | None, points: dict[str, Any] | None, tile_url: str | None,
    lang: str,
) -> dl.Map:
    """The map with its panes (see PANES) and the incident and place layers."""
    detail, context = outline_layers(view)
    tiles_layer = [dl.TileLayer(url=tile_url, attribution="")] if tile_url else []
    return dl.Map(
        id=Ids.MAP,
        className="area-map",
        bounds=view.bounds,
        boundsOptions={"padding": [24, 24]},
        zoomSnap=0.25,
        preferCanvas=True,
        trackViewport=False,
        children=[
            *tiles_layer,
            _pane("areas", area_layer(view), interactive=True),
            _pane("heat", dl.LayerGroup(id=Ids.HEAT, children=heat_layer(heat))),
            _pane("detail", dl.LayerGroup(id=Ids.DETAIL, children=detail)),
            _pane("context", dl.LayerGroup(id=Ids.CONTEXT, children=context)),
            dl.LayerGroup(id=Ids.POINTS, children=points_layer(points, lang)),
            dl.LayerGroup(
                id=Ids.CENTRES,
                children=place_layer(view.places[MapLayer.CENTRES.value], MapLayer.CENTRES, lang),
            ),
            dl.LayerGroup(
                id=Ids.ORGS, children=place_layer(view.places[MapLayer.ORGS.value], MapLayer.ORGS, lang)
            ),
        ],
    )


def _map_legends(state: ViewState, view: MapView, heat: dict[str, Any] | None) -> html.Div:
    lang = state.lang
    return html.Div(
        className="map-legends",
        children=[
            html.Div(heat_legend(heat, lang), id=Ids.HEAT_LEGEND, className="map-legend heat-legend"),
            html.Div(
                warning_legend(view.legend, lang=lang, show=state.shows(MapLayer.WARNING), basis=view.basis),
                id=Ids.LEGEND,
                className="map-legend",
            ),
        ],
    )


def _month_bar(state: ViewState, months: Sequence[str]) -> html.Div:
    """The play button, the chosen month and the month slider under the map."""
    month_index = months.index(state.month) if state.month in months else len(months) - 1
    return html.Div(
        className="month-bar",
        children=[
            html.Button(text(state.lang, "month.play"), id=Ids.PLAY, className="play-button"),
            html.Span(state.month, id=Ids.MONTH_TEXT, className="month-text"),
            html.Div(
                dcc.Slider(id=Ids.MONTH, value=month_index, included=False, **_month_slider_props(months)),
                className="month-slider",
            ),
        ],
    )


def trend_graph(figure: dict[str, Any]) -> dcc.Graph:
    """The trend chart, mounted into the panel's slot only after the map's first paint: a dcc.Graph
    loads plotly.js (4.8 MB, parsed on the browser's main thread), which would hold the map back."""
    return dcc.Graph(
        id=Ids.TREND, figure=figure, config=GRAPH_CONFIG, className="trend-graph", style={"height": "190px"}
    )


def _side_panel(lang: str) -> html.Aside:
    """The "why this colour" panel: its head and cases are drawn in the browser, the trend arrives later
    into its slot (same height, so nothing moves when it does)."""
    return html.Aside(
        className="side-panel",
        children=[
            html.Div(text(lang, "panel.why"), className="panel-kicker"),
            html.Div(id=Ids.PANEL),
            html.H3(text(lang, "panel.trend")),
            html.Div(id=Ids.TREND_SLOT, className="trend-graph"),
            html.Div(id=Ids.CASES),
        ],
    )


def page(
    state: ViewState,
    *,
    view: MapView,
    tiles: Sequence[Tile],
    panel: dict[str, Any],
    heat: dict[str, Any] | None,
    points: dict[str, Any] | None,
    months: Sequence[str],
    title: str,
    tile_url: str | None,
    pathname: str,
) -> html.Div:
    """The whole page for one view; later changes arrive through the callbacks."""
    lang = state.lang
    map_frame = html.Div(
        className="map-frame",
        children=[
            _area_map(view, heat=heat, points=points, tile_url=tile_url, lang=lang),
            html.Nav(render_crumbs(view.crumbs), id=Ids.CRUMBS, className="crumbs"),
            _map_legends(state, view, heat),
            _layers_box(state, months, points["note"] if points else ""),
        ],
    )
    return html.Div(
        className="leaders",
        lang=lang,
        children=[
            dcc.Location(id=Ids.URL, refresh="callback-nav", pathname=pathname, search=state_query(state)),
            dcc.Store(id=Ids.VIEW_KEY, data=view_key(view)),
            dcc.Store(id=Ids.AREAS_STYLED),
            dcc.Store(id=Ids.TREND_KEY),
            dcc.Store(id=Ids.MAP_PAINTED),
            dcc.Download(id=Ids.DOWNLOAD),
            dcc.Interval(id=Ids.TICK, interval=PLAY_INTERVAL_MS, disabled=True),
            _header(state, title),
            dcc.Store(id=Ids.KPI_DATA, data=tiles_data(tiles)),
            dcc.Store(id=Ids.PANEL_DATA, data=panel),
            html.Div(id=Ids.KPIS, className="kpi-strip"),
            html.Div(
                className="leaders-main",
                children=[
                    html.Div(className="map-column", children=[map_frame, _month_bar(state, months)]),
                    _side_panel(lang),
                ],
            ),
        ],
    )


def tiles_data(tiles: Sequence[Tile]) -> list[dict[str, str]]:
    """KPI tiles as plain data for the browser (dashboard/assets/leaders_panel.js draws them)."""
    return [dataclasses.asdict(tile) for tile in tiles]


def view_key(view: MapView) -> dict[str, str]:
    """What, when unchanged, lets a callback leave geometry and places alone: the area in view, and it
    with the place layers that are on."""
    places = ",".join(f"{k}={'on' if v else 'off'}" for k, v in sorted(view.places.items()))
    return {"focus": view.focus, "places": f"{view.focus}|{places}"}


def trend_key(state: ViewState) -> str:
    """What, when unchanged, lets the trend chart keep its data and move only the month marker."""
    return f"{state.area}|{state.lang}"
