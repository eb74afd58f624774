"""The wall's page: ids, and the shell that callbacks fill in. The shell holds no data, so it can be served
even while the store is away; nothing in it takes input, so nothing on the wall can change data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

import dash_leaflet as dl
from dash import dcc, html

from dashboard.data.wall import Bounds
from dashboard.pages.wall_views import FONT_FAMILY, KPI_TILES, WallView

#: Levels whose geometry the wall's map draws, coarse to fine.
MAP_LEVELS: Final = ("county", "township", "grid")
# Finer levels lie lower, so county outlines stay on top of township and grid fills.
_PANE_Z: Final = {"grid": 410, "township": 420, "county": 440}
_INITIAL_STYLE: Final = {
    "base": {"stroke": True, "color": "#2b4a6f", "weight": 0.6, "opacity": 0.6, "fill": False},
}

#: The trend before the first frame: transparent, no axes.
_EMPTY_FIGURE: Final = {
    "data": [],
    "layout": {"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
               "font": {"family": FONT_FAMILY}, "xaxis": {"visible": False}, "yaxis": {"visible": False}},
}


class Ids(StrEnum):
    ROOT = "wall"
    VIEW_TITLE = "wall-view-title"
    MONTH = "wall-month"
    CLOCK = "wall-clock"
    DATE = "wall-date"
    AS_OF = "wall-as-of"
    STALE = "wall-stale"
    STALE_SINCE = "wall-stale-since"
    KPIS = "wall-kpis"
    MAP = "wall-map"
    COUNTIES = "wall-counties"
    TOWNSHIPS = "wall-townships"
    GRIDS = "wall-grids"
    HEAT = "wall-heat"
    LEGEND = "wall-legend"
    TREND = "wall-trend"
    LATEST = "wall-latest"
    ROTATION = "wall-rotation"
    REFRESH = "wall-refresh"  # interval: ask the server for new data
    ROTATE = "wall-rotate"  # interval: next view
    VIEW = "wall-view"  # store: key of the view on screen
    VIEWS = "wall-views"  # store: the rotation, [{key, title}]
    STATUS = "wall-status"  # store: what the last refresh answered
    STATUS_SEEN = "wall-status-seen"  # store: written by nobody; the clientside status hook needs an output
    HIDEOUTS_SEEN = "wall-hideouts-seen"  # store: likewise, for the hook that keeps the newest layer styles
    SCREEN = "wall-screen"  # store: the screen's size, for figure fonts
    LANGUAGE = "wall-language"  # store: the language of the page's strings


@dataclass(frozen=True)
class WallTiming:
    refresh_ms: int
    rotate_ms: int
    stale_after_ms: int  # no good answer for this long and the page says it is stale


def _data(**values: str) -> dict[str, Any]:
    """HTML data-* attributes (`stale_after_ms` is data-stale-after-ms), read by dashboard/assets/wall.js."""
    return {"data-" + name.replace("_", "-"): value for name, value in values.items()}


def kpi_value_id(key: str) -> str:
    return f"wall-kpi-{key}-value"


def kpi_note_id(key: str) -> str:
    return f"wall-kpi-{key}-note"


def _tiles(text: Mapping[str, str]) -> list[html.Div]:
    return [
        html.Div(
            className=f"wall-kpi {tile.tone}".strip(),
            children=[
                html.Div(text[tile.label], className="wall-kpi-label"),
                html.Div(id=kpi_value_id(tile.key), className="wall-kpi-value"),
                html.Div(id=kpi_note_id(tile.key), className="wall-kpi-note"),
            ],
            **_data(kpi=tile.key),
        )
        for tile in KPI_TILES
    ]


def layer_id(level: str) -> str:
    return {"county": Ids.COUNTIES, "township": Ids.TOWNSHIPS, "grid": Ids.GRIDS}[level].value


def pane_name(level: str) -> str:
    """Leaflet gives the pane's element the class `leaflet-<name>-pane`."""
    return f"wall-{level}"


def _area_layer(level: str, url: str | None) -> dl.Pane:
    """A level's layer in a pane of its own; without a URL (the store could not be read) an empty layer,
    still there for the callbacks that style it."""
    return dl.Pane(
        name=pane_name(level),
        style={"zIndex": _PANE_Z[level], "pointerEvents": "none"},
        children=dl.GeoJSON(
            id=layer_id(level), url=url, style={"variable": "pinganWall.areaStyle"}, hideout=_INITIAL_STYLE,
            interactive=False,
        ),
    )


def _map(file_urls: Mapping[str, str], bounds: Bounds, heat_url: str) -> dl.Map:
    """The city without background tiles: the wall is dark and the command-centre network isolated."""
    (south, west), (north, east) = bounds
    return dl.Map(
        id=Ids.MAP,
        className="wall-map",
        bounds=[[south, west], [north, east]],
        boundsOptions={"padding": [12, 12]},
        zoomSnap=0.1,
        preferCanvas=True,
        trackViewport=False,  # see pages/overview.py: tracking reads a `center` this map never gets
        # A wall is looked at, not handled: every way of moving the map is off.
        zoomControl=False, attributionControl=False, dragging=False, scrollWheelZoom=False,
        doubleClickZoom=False, boxZoom=False, keyboard=False, touchZoom=False,
        children=[
            dl.ImageOverlay(id=Ids.HEAT, url=heat_url, bounds=[[south, west], [north, east]], opacity=0.0,
                            interactive=False),
            *(_area_layer(level, file_urls.get(level)) for level in MAP_LEVELS),
        ],
    )


def _panel(title: str, body: Any, class_name: str) -> html.Section:
    return html.Section(className=f"wall-panel {class_name}", children=[html.H2(title), body])


def layout(
    *,
    views: Sequence[WallView],
    text: Mapping[str, str],
    lang: str,
    city_name: str,
    file_urls: Mapping[str, str],
    bounds: Bounds,
    heat_url: str,
    timing: WallTiming,
) -> html.Div:
    """The wall for `views`; `file_urls` gives each map level's geometry file, `bounds` the city's. Without
    geometry files (the store could not be read) the page is marked degraded and reloads once data is back."""
    return html.Div(
        id=Ids.ROOT,
        className="wall",
        lang=lang,
        **_data(stale_after_ms=str(timing.stale_after_ms), weekdays=text["wall.weekday"],
                degraded="0" if file_urls else "1"),
        children=[
            html.Header(
                className="wall-header",
                children=[
                    html.H1([html.Span(city_name, className="wall-city"), html.Span(text["wall.title"])],
                            className="wall-brand"),
                    html.Div([html.Div(id=Ids.VIEW_TITLE, className="wall-view-title"),
                              html.Div(id=Ids.MONTH, className="wall-month")], className="wall-heading"),
                    html.Div([html.Div(id=Ids.CLOCK, className="wall-clock"),
                              html.Div(id=Ids.DATE, className="wall-date"),
                              html.Div(id=Ids.AS_OF, className="wall-as-of")], className="wall-time"),
                ],
            ),
            html.Section(id=Ids.KPIS, className="wall-kpis", children=_tiles(text)),
            html.Section(
                className="wall-map-panel",
                children=[
                    _map(file_urls, bounds, heat_url),
                    html.Div(id=Ids.LEGEND, className="wall-legend"),
                ],
            ),
            html.Div(
                className="wall-side",
                children=[
                    _panel(text["wall.panel.trend"], dcc.Graph(
                        id=Ids.TREND, className="wall-trend", responsive=True, mathjax=False,
                        figure=_EMPTY_FIGURE,
                        config={"staticPlot": True, "displayModeBar": False, "responsive": True},
                    ), "wall-trend-panel"),
                    _panel(text["wall.panel.latest"], html.Ol(id=Ids.LATEST, className="wall-latest"),
                           "wall-latest-panel"),
                ],
            ),
            html.Footer(
                className="wall-footer",
                children=[html.Ol(id=Ids.ROTATION, className="wall-rotation"),
                          html.Div(text["wall.paused"], className="wall-paused-badge")],
            ),
            html.Div(
                id=Ids.STALE,
                className="wall-stale",
                role="alert",
                children=[html.Strong(text["wall.stale"]),
                          html.Span(id=Ids.STALE_SINCE, **_data(template=text["wall.stale_since"]))],
            ),
            dcc.Interval(id=Ids.REFRESH, interval=timing.refresh_ms),
            dcc.Interval(id=Ids.ROTATE, interval=timing.rotate_ms),
            dcc.Store(id=Ids.VIEW),
            dcc.Store(id=Ids.VIEWS, data=[{"key": view.key, "title": view.title} for view in views]),
            dcc.Store(id=Ids.STATUS),
            dcc.Store(id=Ids.STATUS_SEEN),
            dcc.Store(id=Ids.HIDEOUTS_SEEN),
            dcc.Store(id=Ids.SCREEN),
            dcc.Store(id=Ids.LANGUAGE, data=lang),
        ],
    )
