"""The wall's shell, which callbacks fill in. The shell holds no data, so it can be served even while the
store is away; nothing in it takes input, so nothing on the wall can change data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import dash_leaflet as dl
from dash import dcc, html

from dashboard.components.kpi import kpi_tile
from dashboard.components.trend import empty_figure
from dashboard.data.wall import Bounds
from dashboard.i18n import text
from dashboard.settings import Settings
from dashboard.wall.ids import Ids, kpi_note_id, kpi_value_id, layer_id, pane_name
from dashboard.wall.routes_view import EMPTY as EMPTY_ROUTES
from dashboard.wall.views import MAP_LEVELS, WallView, kpi_tiles

# Finer levels lie lower, so county outlines stay on top of township and grid fills.
_PANE_Z: Final = {"grid": 410, "township": 420, "county": 440}
_ROUTES_Z: Final = 450  # above every outline
_INITIAL_STYLE: Final = {
    "base": {"stroke": True, "color": "#2b4a6f", "weight": 0.6, "opacity": 0.6, "fill": False},
}
_STALE_AFTER_INTERVALS: Final = 2.5
_MIN_STALE_AFTER_MS: Final = 3_000


@dataclass(frozen=True)
class WallTiming:
    refresh_ms: int
    rotate_ms: int
    stale_after_ms: int  # no good answer for this long and the page says it is stale


def wall_timing(settings: Settings) -> WallTiming:
    refresh_ms = round(settings.wall_refresh_seconds * 1000)
    return WallTiming(
        refresh_ms=refresh_ms,
        rotate_ms=round(settings.wall_rotate_seconds * 1000),
        stale_after_ms=max(_MIN_STALE_AFTER_MS, round(refresh_ms * _STALE_AFTER_INTERVALS)),
    )


def _data(**values: str) -> dict[str, Any]:
    """HTML data-* attributes (`stale_after_ms` is data-stale-after-ms), read by dashboard/assets/wall.js."""
    return {"data-" + name.replace("_", "-"): value for name, value in values.items()}


def _tiles(lang: str) -> list[html.Div]:
    return [
        kpi_tile(tile, id_prefix="wall-kpi", theme="dark", value_id=kpi_value_id(tile.key),
                 detail_id=kpi_note_id(tile.key))
        for tile in kpi_tiles(lang)
    ]


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
        trackViewport=False,  # as on the leaders' map: tracking reads a `center` this map never gets
        # A wall is looked at, not handled: every way of moving the map is off.
        zoomControl=False, attributionControl=False, dragging=False, scrollWheelZoom=False,
        doubleClickZoom=False, boxZoom=False, keyboard=False, touchZoom=False,
        children=[
            dl.ImageOverlay(id=Ids.HEAT, url=heat_url, bounds=[[south, west], [north, east]], opacity=0.0,
                            interactive=False),
            *(_area_layer(level, file_urls.get(level)) for level in MAP_LEVELS),
            dl.Pane(name="wall-routes", style={"zIndex": _ROUTES_Z, "pointerEvents": "none"},
                    children=dl.GeoJSON(id=Ids.ROUTES, data=EMPTY_ROUTES, interactive=False,
                                        style={"variable": "pinganWall.routeStyle"})),
        ],
    )


def _panel(title: str, body: Any, class_name: str) -> html.Section:
    return html.Section(className=f"wall-panel {class_name}", children=[html.H2(title), body])


def _header(city_name: str, lang: str) -> html.Header:
    """The city and the wall's name, the view's title and month, the clock (kept by wall.js) and the time
    of the newest data."""
    brand = [html.Span(city_name, className="wall-city"), html.Span(text(lang, "wall.title"))]
    return html.Header(
        className="wall-header",
        children=[
            html.H1(brand, className="wall-brand"),
            html.Div([html.Div(id=Ids.VIEW_TITLE, className="wall-view-title"),
                      html.Div(id=Ids.MONTH, className="wall-month")], className="wall-heading"),
            html.Div([html.Div(id=Ids.CLOCK, className="wall-clock"),
                      html.Div(id=Ids.DATE, className="wall-date"),
                      html.Div(id=Ids.AS_OF, className="wall-as-of")], className="wall-time"),
        ],
    )


def _side(lang: str) -> html.Div:
    """The trend and the latest incidents, right of the map."""
    trend = dcc.Graph(
        id=Ids.TREND, className="wall-trend", responsive=True, mathjax=False, figure=empty_figure("dark"),
        config={"staticPlot": True, "displayModeBar": False, "responsive": True},
    )
    latest = html.Ol(id=Ids.LATEST, className="wall-latest")
    return html.Div(
        className="wall-side",
        children=[_panel(text(lang, "wall.panel.trend"), trend, "wall-trend-panel"),
                  _panel(text(lang, "wall.panel.latest"), latest, "wall-latest-panel")],
    )


def _stale_banner(lang: str) -> html.Div:
    """Shown by wall.js when no good answer came for `stale_after_ms`."""
    return html.Div(
        id=Ids.STALE,
        className="wall-stale",
        role="alert",
        children=[html.Strong(text(lang, "wall.stale")),
                  html.Span(id=Ids.STALE_SINCE, **_data(template=text(lang, "wall.stale_since")))],
    )


def _timers_and_stores(views: Sequence[WallView], lang: str, timing: WallTiming) -> list[Any]:
    return [
        dcc.Interval(id=Ids.REFRESH, interval=timing.refresh_ms),
        dcc.Interval(id=Ids.ROTATE, interval=timing.rotate_ms),
        dcc.Store(id=Ids.VIEW),
        dcc.Store(id=Ids.VIEWS, data=[{"key": view.key, "title": view.title} for view in views]),
        dcc.Store(id=Ids.STATUS),
        dcc.Store(id=Ids.STATUS_SEEN),
        dcc.Store(id=Ids.HIDEOUTS_SEEN),
        dcc.Store(id=Ids.SCREEN),
        dcc.Store(id=Ids.LANGUAGE, data=lang),
    ]


def page(
    *,
    views: Sequence[WallView],
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
        **_data(stale_after_ms=str(timing.stale_after_ms), weekdays=text(lang, "wall.weekday"),
                degraded="0" if file_urls else "1"),
        children=[
            _header(city_name, lang),
            html.Section(id=Ids.KPIS, className="wall-kpis", children=_tiles(lang)),
            html.Section(
                className="wall-map-panel",
                children=[_map(file_urls, bounds, heat_url),
                          html.Div(id=Ids.LEGEND, className="wall-legend")],
            ),
            _side(lang),
            html.Footer(
                className="wall-footer",
                children=[html.Ol(id=Ids.ROTATION, className="wall-rotation"),
                          html.Div(text(lang, "wall.paused"), className="wall-paused-badge")],
            ),
            _stale_banner(lang),
            *_timers_and_stores(views, lang, timing),
        ],
    )
