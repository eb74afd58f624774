"""What the wall shows for one view of one digest, as plain components and dicts: KPI tiles, the trend
figure, the latest incidents, the map's layer styles and legend. Pure functions, tested without a browser.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from dash import html

from dashboard.data.wall import RED_LEVELS, Bounds, Kpis, LatestGroup, Trend, WallDigest

CITY_VIEW: Final = "city"
HEAT_VIEW: Final = "heat"
COVERAGE_VIEW: Final = "coverage"

#: Warning colours on the dark wall: brighter than print colours so they read from the back of the room.
WARNING_COLOURS: Final = {"red": "#ef4444", "yellow": "#f5b82e", "blue": "#2f7de1"}
#: Coverage classes, fewest to most organisations per resident.
COVERAGE_COLOURS: Final = ("#123a52", "#15607a", "#1b8f98", "#3fc1a5", "#a7efc0")
FONT_FAMILY: Final = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'

# Leaflet path options of the map layers.
_OFF: Final = {"stroke": False, "fill": False}
_OUTLINE: Final = {"stroke": True, "color": "#4f86c6", "weight": 0.8, "opacity": 0.65, "fill": False}
_FAINT: Final = {"stroke": True, "color": "#2b4a6f", "weight": 0.5, "opacity": 0.5, "fill": False}
_FILLED: Final = {
    "stroke": True, "color": "#07111f", "weight": 0.7, "opacity": 0.9, "fill": True, "fillOpacity": 0.82,
}
_COUNTY: Final = {"stroke": True, "color": "#7dd3fc", "weight": 2.0, "opacity": 0.9, "fill": False}
_COUNTY_FOCUS: Final = {"stroke": True, "color": "#e0f2fe", "weight": 3.6, "opacity": 1.0, "fill": False}
_COUNTY_DIM: Final = {"stroke": True, "color": "#3b6a93", "weight": 1.4, "opacity": 0.7, "fill": False}
_FLY_SECONDS: Final = 1.2


class ViewKind(StrEnum):
    CITY = "city"
    COUNTY = "county"
    HEAT = "heat"
    COVERAGE = "coverage"


@dataclass(frozen=True)
class WallView:
    key: str  # what `?view=` takes: city, a county code, heat or coverage
    kind: ViewKind
    scope: str  # area code whose figures the tiles show
    title: str


def wall_views(
    city_code: str, counties: Sequence[tuple[str, str]], text: Mapping[str, str]
) -> tuple[WallView, ...]:
    """The rotation: the city, each county in code order, the heat map, mediation coverage."""
    return (
        WallView(CITY_VIEW, ViewKind.CITY, city_code, text["wall.view.city"]),
        *(WallView(code, ViewKind.COUNTY, code, name) for code, name in sorted(counties)),
        WallView(HEAT_VIEW, ViewKind.HEAT, city_code, text["wall.view.heat"]),
        WallView(COVERAGE_VIEW, ViewKind.COVERAGE, city_code, text["wall.view.coverage"]),
    )


def choose_view(views: Sequence[WallView], key: str | None) -> WallView:
    """The view named `key`, or the first one for a missing or unknown key."""
    return next((view for view in views if view.key == key), views[0])


# ---------------------------------------------------------------- header, tiles, list, trend


def month_label(month: str, text: Mapping[str, str]) -> str:
    year, number = month.split("-")
    return text["wall.month"].format(year=year, month=int(number))


def _change(kpis: Kpis, text: Mapping[str, str]) -> str:
    if not kpis.incidents_previous:
        return ""
    change = (kpis.incidents - kpis.incidents_previous) / kpis.incidents_previous
    if round(change * 100, 1) == 0:
        return text["wall.kpi.flat"]
    return text["wall.kpi.change"].format(change=f"{change:+.1%}")


@dataclass(frozen=True)
class KpiTile:
    key: str
    label: str  # catalogue key
    tone: str  # CSS class of the tile's colour, "" for the plain one


#: The five tiles, top to bottom. They are drawn once; a refresh rewrites only their values and notes, so
#: an update changes text in place and the tiles never go away.
KPI_TILES: Final = (
    KpiTile("incidents", "wall.kpi.incidents", ""),
    KpiTile("closure", "wall.kpi.closure", ""),
    KpiTile("red", "wall.kpi.red", "tone-red"),
    KpiTile("overdue", "wall.kpi.overdue", "tone-amber"),
    KpiTile("mediation", "wall.kpi.mediation", ""),
)


def kpi_figures(kpis: Kpis, text: Mapping[str, str]) -> dict[str, tuple[str, Any]]:
    """Value and note of each tile: incidents this month, closure rate, red grids (with the red count of
    each level above them), overdue cases and mediations in progress."""
    closure = "—" if kpis.closure_rate is None else f"{kpis.closure_rate:.1%}"
    red_by_level = [
        html.Span([text[f"level.{level.value}"], html.B(f"{kpis.red_areas.get(level.value, 0):,}")],
                  className="wall-kpi-level")
        for level in RED_LEVELS
        if level.value != "grid"
    ]
    closed_of = text["wall.kpi.closed_of"].format(closed=f"{kpis.closed:,}", incidents=f"{kpis.incidents:,}")
    return {
        "incidents": (f"{kpis.incidents:,}", _change(kpis, text)),
        "closure": (closure, closed_of),
        "red": (f"{kpis.red_areas.get('grid', 0):,}", red_by_level),
        "overdue": (f"{kpis.overdue:,}", text["wall.kpi.overdue_note"]),
        "mediation": (f"{kpis.in_mediation:,}", text["wall.kpi.mediation_note"]),
    }


def latest_list(groups: Sequence[LatestGroup], text: Mapping[str, str]) -> list[html.Li]:
    """One row per group: time, county and township, category, and a count when more than one."""
    return [
        html.Li(
            className="wall-latest-row",
            children=[
                html.Span(group.time, className="wall-latest-time"),
                html.Span(f"{group.county} {group.township}".strip(), className="wall-latest-place"),
                html.Span(text.get(f"category.{group.category}", group.category),
                          className=f"wall-latest-category category-{group.category}"),
                html.Span(f"×{group.count}" if group.count > 1 else "", className="wall-latest-count"),
            ],
        )
        for group in groups
    ]


def tick_step(peak: float, ticks: int = 5) -> int:
    """The smallest round step (1, 2 or 5 times a power of ten, at least 1) with at most `ticks` steps up to
    `peak`: counts read as whole numbers."""
    raw = max(peak, 1) / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return max(1, int(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)))


def trend_figure(trend: Trend, text: Mapping[str, str], *, screen_height: int) -> dict[str, Any]:
    """Bars of monthly incidents and a line of red grids; fonts in proportion to the screen's height."""
    font = max(11, round(screen_height * 0.0135))
    months = list(trend.months)
    latest = len(months) - 1
    return {
        "data": [
            {
                "type": "bar", "x": months, "y": list(trend.incidents), "name": text["wall.trend.incidents"],
                "marker": {"color": ["#38bdf8" if i == latest else "#1e6fa8" for i in range(len(months))]},
                "hoverinfo": "skip",
            },
            {
                "type": "scatter", "mode": "lines+markers", "x": months, "y": list(trend.red_grids),
                "yaxis": "y2", "name": text["wall.trend.red_grids"], "hoverinfo": "skip",
                "line": {"color": WARNING_COLOURS["red"], "width": max(2, font // 6)},
                "marker": {"size": max(4, font // 3), "color": WARNING_COLOURS["red"]},
            },
        ],
        "layout": {
            "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
            "font": {"color": "#9fbbdc", "size": font, "family": FONT_FAMILY},
            "margin": {"l": round(font * 3.2), "r": round(font * 2.6), "t": round(font * 2.2),
                       "b": round(font * 2)},
            "showlegend": True,
            "legend": {"orientation": "h", "x": 0, "y": 1.02, "yanchor": "bottom", "font": {"size": font}},
            "xaxis": {"type": "category", "tickvals": months[::6] + ([months[-1]] if latest % 6 else []),
                      "showgrid": False, "linecolor": "#2b4a6f", "tickcolor": "#2b4a6f", "fixedrange": True},
            "yaxis": {"gridcolor": "rgba(125,160,200,0.15)", "zeroline": False, "rangemode": "tozero",
                      "fixedrange": True, "tickformat": ",d", "tick0": 0,
                      "dtick": tick_step(max(trend.incidents, default=0))},
            "yaxis2": {"overlaying": "y", "side": "right", "showgrid": False, "zeroline": False,
                       "rangemode": "tozero", "fixedrange": True, "tickformat": ",d", "tick0": 0,
                       "dtick": tick_step(max(trend.red_grids, default=0)), "color": WARNING_COLOURS["red"]},
            "bargap": 0.25,
            "hovermode": False,
            "uirevision": "wall",
        },
    }


# ---------------------------------------------------------------- the map


@dataclass(frozen=True)
class MapState:
    """`hideout` of each area layer (read by pinganWall.areaStyle in dashboard/assets/wall.js), the view to
    fly to and the heat overlay's opacity."""

    counties: dict[str, Any]
    townships: dict[str, Any]
    grids: dict[str, Any]
    viewport: dict[str, Any]
    heat_opacity: float


def _hideout(
    base: Mapping[str, Any],
    *,
    classes: Mapping[str, object] | None = None,
    palette: Mapping[str, str] | Sequence[str] | None = None,
    focus: str = "",
    outside: Mapping[str, Any] | None = None,
    filled: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    hideout: dict[str, Any] = {"base": dict(base), "focus": focus}
    if classes is not None:
        hideout["classes"] = {code: str(value) for code, value in classes.items()}
        hideout["palette"] = dict(palette) if isinstance(palette, Mapping) else {
            str(i): colour for i, colour in enumerate(palette or ())
        }
        hideout["filled"] = dict(filled or _FILLED)
    if outside is not None:
        hideout["outside"] = dict(outside)
    return hideout


def _viewport(bounds: Bounds) -> dict[str, Any]:
    (south, west), (north, east) = bounds
    return {"bounds": [[south, west], [north, east]], "transition": "flyToBounds",
            "options": {"duration": _FLY_SECONDS, "paddingTopLeft": [12, 12], "paddingBottomRight": [12, 12]}}


def map_state(digest: WallDigest, view: WallView) -> MapState:
    """Layer styles for `view`: townships coloured by warning level for the city, a county's grids for a
    county, outlines under the heat map, townships by organisations per resident for coverage."""
    counties = _hideout(_COUNTY)
    if view.kind is ViewKind.COUNTY:
        box = next((c for c in digest.counties if c.code == view.scope), digest.city)
        grids = {code: colour for code, colour in digest.colours.get("grid", {}).items()
                 if code.startswith(view.scope)}
        return MapState(
            counties=_hideout(_COUNTY_FOCUS, focus=view.scope, outside=_COUNTY_DIM),
            townships=_hideout(_OUTLINE, focus=view.scope, outside=_OFF),
            grids=_hideout(_OFF, classes=grids, palette=WARNING_COLOURS, focus=view.scope, outside=_OFF,
                           filled={**_FILLED, "weight": 0.5}),
            viewport=_viewport(box.bounds),
            heat_opacity=0.0,
        )
    city = _viewport(digest.city.bounds)
    if view.kind is ViewKind.HEAT:
        return MapState(counties, _hideout(_FAINT), _hideout(_OFF), city, heat_opacity=0.95)
    if view.kind is ViewKind.COVERAGE:
        classes = digest.coverage.classes if digest.coverage is not None else {}
        township = _hideout(_OUTLINE, classes=classes, palette=COVERAGE_COLOURS)
        return MapState(counties, township, _hideout(_OFF), city, heat_opacity=0.0)
    township = _hideout(_OUTLINE, classes=digest.colours.get("township", {}), palette=WARNING_COLOURS)
    return MapState(counties, township, _hideout(_OFF), city, heat_opacity=0.0)


def _swatch(colour: str, label: str, count: str = "") -> html.Li:
    return html.Li([html.Span(className="wall-swatch", style={"backgroundColor": colour}),
                    html.Span(label), html.B(count)])


def legend(digest: WallDigest, view: WallView, text: Mapping[str, str]) -> list[Any]:
    """The key to the colours of `view`, with the number of areas of each colour."""
    if view.kind is ViewKind.HEAT:
        count = digest.heat.incidents if digest.heat is not None else 0
        return [
            html.Div(text["wall.legend.heat"], className="wall-legend-title"),
            html.Div([html.Span(text["wall.legend.heat_low"]), html.Span(className="wall-heat-ramp"),
                      html.Span(text["wall.legend.heat_high"])], className="wall-heat-scale"),
            html.Div(text["wall.legend.heat_count"].format(count=f"{count:,}"), className="wall-legend-note"),
        ]
    if view.kind is ViewKind.COVERAGE:
        if digest.coverage is None:
            return [html.Div(text["wall.legend.coverage"], className="wall-legend-title"),
                    html.Div(text["wall.legend.no_data"], className="wall-legend-note")]
        cover = digest.coverage
        edges = [0.0, *cover.breaks]
        labels = [f"{low:g}–{high:g}" for low, high in itertools.pairwise(edges)] + [f"≥ {edges[-1]:g}"]
        counts = [sum(1 for k in cover.classes.values() if k == i) for i in range(len(labels))]
        return [
            html.Div(text["wall.legend.coverage"], className="wall-legend-title"),
            html.Ul([_swatch(COVERAGE_COLOURS[i], label, str(counts[i])) for i, label in enumerate(labels)]),
            html.Div(text["wall.legend.coverage_totals"].format(centres=f"{cover.centres:,}",
                                                                organisations=f"{cover.organisations:,}"),
                     className="wall-legend-note"),
        ]
    if view.kind is ViewKind.COUNTY:
        levels = [v for c, v in digest.colours.get("grid", {}).items() if c.startswith(view.scope)]
        title = text["wall.legend.grids"]
    else:
        levels = list(digest.colours.get("township", {}).values())
        title = text["wall.legend.townships"]
    return [
        html.Div(title, className="wall-legend-title"),
        html.Ul([_swatch(colour, text[f"wall.warning.{level}"], str(levels.count(level)))
                 for level, colour in WARNING_COLOURS.items()]),
    ]


def _view_data(view: WallView) -> dict[str, Any]:
    return {"data-view": view.key}


def rotation_strip(views: Sequence[WallView], current: WallView) -> list[html.Li]:
    """Every view's title in rotation order, the one on screen marked."""
    return [
        html.Li(view.title, className="current" if view.key == current.key else "", **_view_data(view))
        for view in views
    ]
