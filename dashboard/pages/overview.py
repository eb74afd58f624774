"""The first page: the city's counties, townships and grids on one full-height map."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, Final

import dash_leaflet as dl
from dash import html

from dashboard.data import AreaLayer, AreaOverview, Level

#: Levels drawn on this page, coarse to fine.
LEVELS: Final = (Level.COUNTY, Level.TOWNSHIP, Level.GRID)

PRODUCT_TITLE: Final = "平安网格 Pingan Grid"


class Ids(StrEnum):
    MAP = "overview-map"
    LEGEND = "overview-legend"


# Leaflet path options per level: counties bold, townships medium, grids thin over a light fill.
LEVEL_STYLES: Final[dict[str, dict[str, Any]]] = {
    Level.COUNTY: {"color": "#14304f", "weight": 3.2, "opacity": 1.0, "fill": False},
    Level.TOWNSHIP: {"color": "#2f6496", "weight": 1.6, "opacity": 0.95, "fill": False},
    Level.GRID: {
        "color": "#6f93bb", "weight": 0.6, "opacity": 0.9, "fillColor": "#dbe6f2", "fillOpacity": 0.6,
    },
}
_GRID_HOVER: Final = {"color": "#c2410c", "weight": 2.5, "fillColor": "#fed7aa", "fillOpacity": 0.7}
LEVEL_LABELS: Final[dict[str, str]] = {
    Level.COUNTY: "县区 County", Level.TOWNSHIP: "乡镇街道 Township", Level.GRID: "网格 Grid",
}

# Finer levels sit lower: the bold county lines are drawn over the thin grid lines. Only the finest
# level takes the mouse; the panes above it let pointer events through.
_PANE_Z_BASE: Final = 410


def _js(name: str) -> dict[str, str]:
    """A function from dashboard/assets/area_map.js, as dash-leaflet resolves it on `window`."""
    return {"variable": f"pinganMap.{name}"}


def pane_name(level: str) -> str:
    """Leaflet pane of a level; Leaflet gives its element the class `leaflet-<name>-pane`."""
    return f"areas-{level}"


def page_title(city_name: str) -> str:
    return f"{PRODUCT_TITLE} — {city_name}" if city_name else PRODUCT_TITLE


def _area_pane(
    layer: AreaLayer, depth: int, *, interactive: bool, url: str, names: dict[str, str]
) -> dl.Pane:
    hideout: dict[str, Any] = {"style": LEVEL_STYLES[layer.level]}
    extra: dict[str, Any] = {}
    if interactive:
        hideout.update(hover=_GRID_HOVER, names=names)
        extra = {"hoverStyle": _js("hoverStyle"), "onEachFeature": _js("bindAreaTooltip")}
    return dl.Pane(
        name=pane_name(layer.level),
        style={"zIndex": _PANE_Z_BASE + 10 * depth, "pointerEvents": "auto" if interactive else "none"},
        children=dl.GeoJSON(
            id=f"overview-{layer.level}",
            url=url,
            style=_js("areaStyle"),
            hideout=hideout,
            interactive=interactive,
            bubblingMouseEvents=True,
            **extra,
        ),
    )


def _legend(layers: tuple[AreaLayer, ...]) -> html.Div:
    rows = []
    for layer in layers:
        style = LEVEL_STYLES[layer.level]
        swatch = html.Span(
            className="legend-swatch",
            style={
                "borderTop": f"{max(style['weight'], 1):g}px solid {style['color']}",
                "backgroundColor": style.get("fillColor", "transparent"),
            },
        )
        label = html.Span(LEVEL_LABELS.get(layer.level, layer.level), className="legend-label")
        count = html.Span(f"{layer.count:,}", className="legend-count")
        data_attributes: dict[str, Any] = {"data-level": layer.level}
        rows.append(html.Li([swatch, label, count], **data_attributes))
    return html.Div(id=Ids.LEGEND, className="map-legend", children=html.Ul(rows))


def layout(view: AreaOverview, *, tile_url: str | None, file_url: Callable[[str], str]) -> html.Div:
    """The page, given the overview data, an optional tile URL and the URL of a cached geometry file."""
    layers = view.layers
    panes = [
        _area_pane(
            layer,
            depth=len(layers) - 1 - index,
            interactive=index == len(layers) - 1,
            url=file_url(layer.file_name),
            names=view.names,
        )
        for index, layer in enumerate(layers)
    ]
    tiles = [dl.TileLayer(url=tile_url, attribution="")] if tile_url else []
    (south, west), (north, east) = view.bounds
    return html.Div(
        className="overview",
        children=[
            html.Header(html.H1(page_title(view.city_name)), className="app-header"),
            html.Div(
                className="map-frame",
                children=[
                    dl.Map(
                        id=Ids.MAP,
                        className="area-map",
                        bounds=[[south, west], [north, east]],
                        boundsOptions={"padding": [16, 16]},
                        zoomSnap=0.25,
                        preferCanvas=True,
                        # dash-leaflet 1.1.3 reads the `center` prop when it tracks the viewport and throws
                        # when only `bounds` is given; nothing listens to the viewport on this page yet.
                        trackViewport=False,
                        children=[*tiles, *panes],
                    ),
                    _legend(layers),
                ],
            ),
        ],
    )
