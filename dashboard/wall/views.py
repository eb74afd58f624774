"""What the wall shows for one view of one digest, as plain components and dicts: KPI tiles, the trend
figure, the latest incidents, the map's layer styles and legend. Pure functions of the digest and the
language, tested without a browser; the tiles, trend and warning colours are dashboard/components/ in
their dark theme.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from dash import html

from dashboard.components.kpi import Tile
from dashboard.components.trend import incident_trend_figure
from dashboard.components.warning_map import palette
from dashboard.data.wall import RED_LEVELS, Bounds, Kpis, LatestGroup, ScopeDigest, Trend, WallDigest
from dashboard.i18n import text

#: Levels whose geometry the wall's map draws, coarse to fine.
MAP_LEVELS: Final = ("county", "township", "grid")
CITY_VIEW: Final = "city"
HEAT_VIEW: Final = "heat"
COVERAGE_VIEW: Final = "coverage"
ROUTES_VIEW: Final = "routes"

#: Warning colours of township and grid fills; areas without a score keep the layer's base style.
WARNING_COLOURS: Final = palette("dark", scored_only=True)
#: Coverage classes, fewest to most organisations per resident.
COVERAGE_COLOURS: Final = ("#123a52", "#15607a", "#1b8f98", "#3fc1a5", "#a7efc0")

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
    ROUTES = "routes"


@dataclass(frozen=True)
class WallView:
    key: str  # what `?view=` takes: city, a county code, heat or coverage
    kind: ViewKind
    scope: str  # area code whose figures the tiles show
    title: str


def wall_views(
    city_code: str, counties: Sequence[tuple[str, str]], lang: str, *, with_routes: bool = False
) -> tuple[WallView, ...]:
    """The rotation: the city, each county in code order, the heat map, mediation coverage, and the
    week's service-team routes where the store has herders to plan for."""
    routes = (WallView(ROUTES_VIEW, ViewKind.ROUTES, city_code, text(lang, "wall.view.routes")),)
    return (
        WallView(CITY_VIEW, ViewKind.CITY, city_code, text(lang, "wall.view.city")),
        *(WallView(code, ViewKind.COUNTY, code, name) for code, name in sorted(counties)),
        WallView(HEAT_VIEW, ViewKind.HEAT, city_code, text(lang, "wall.view.heat")),
        WallView(COVERAGE_VIEW, ViewKind.COVERAGE, city_code, text(lang, "wall.view.coverage")),
        *(routes if with_routes else ()),
    )


def choose_view(views: Sequence[WallView], key: str | None) -> WallView:
    """The view named `key`, or the first one for a missing or unknown key."""
    return next((view for view in views if view.key == key), views[0])


# ---------------------------------------------------------------- header, tiles, list, trend


def month_label(month: str, lang: str) -> str:
    year, number = month.split("-")
    return text(lang, "wall.month", year=year, month=int(number))


def _change(kpis: Kpis, lang: str) -> str:
    if not kpis.incidents_previous:
        return ""
    change = (kpis.incidents - kpis.incidents_previous) / kpis.incidents_previous
    if round(change * 100, 1) == 0:
        return text(lang, "wall.kpi.flat")
    return text(lang, "wall.kpi.change", change=f"{change:+.1%}")


#: The six tiles, top to bottom, as (key, tone); the label is the string `wall.kpi.<key>`. They are drawn
#: once; a refresh rewrites only their values and notes, so an update changes text in place and the tiles
#: never go away.
KPI_TILES: Final = (("today", ""), ("incidents", ""), ("closure", ""), ("red", "red"), ("overdue", "amber"),
                    ("mediation", ""))
KPI_KEYS: Final = tuple(key for key, _ in KPI_TILES)


def kpi_tiles(lang: str) -> list[Tile]:
    """The tiles as drawn before the first refresh: labels and tones, no figures yet."""
    return [Tile(key, text(lang, f"wall.kpi.{key}"), tone=tone) for key, tone in KPI_TILES]


def reported_on(scope: ScopeDigest, day: str) -> tuple[int, int]:
    """Cases of the scope reported on `day` (the city's date, YYYY-MM-DD) and on the day before."""
    before = (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()
    return scope.by_day.get(day, 0), scope.by_day.get(before, 0)


def kpi_figures(kpis: Kpis, lang: str, *, today: int = 0, yesterday: int = 0) -> dict[str, tuple[str, Any]]:
    """Value and note of each tile: cases reported today (yesterday's beside them), incidents this month,
    closure rate, red grids (with the red count of each level above them), overdue cases and mediations
    in progress."""
    closure = "—" if kpis.closure_rate is None else f"{kpis.closure_rate:.1%}"
    red_by_level = [
        html.Span([text(lang, f"level.{level.value}"), html.B(f"{kpis.red_areas.get(level.value, 0):,}")],
                  className="wall-kpi-level")
        for level in RED_LEVELS
        if level.value != "grid"
    ]
    closed_of = text(lang, "wall.kpi.closed_of", closed=f"{kpis.closed:,}", incidents=f"{kpis.incidents:,}")
    return {
        "today": (f"{today:,}", text(lang, "wall.kpi.today_note", count=f"{yesterday:,}")),
        "incidents": (f"{kpis.incidents:,}", _change(kpis, lang)),
        "closure": (closure, closed_of),
        "red": (f"{kpis.red_areas.get('grid', 0):,}", red_by_level),
        "overdue": (f"{kpis.overdue:,}", text(lang, "wall.kpi.overdue_note")),
        "mediation": (f"{kpis.in_mediation:,}", text(lang, "wall.kpi.mediation_note")),
    }


def latest_list(groups: Sequence[LatestGroup], lang: str) -> list[html.Li]:
    """One row per group: time, county and township, category, and a count when more than one."""
    return [
        html.Li(
            className="wall-latest-row",
            children=[
                html.Span(group.time, className="wall-latest-time"),
                html.Span(f"{group.county} {group.township}".strip(), className="wall-latest-place"),
                html.Span(text(lang, f"category.{group.category}", default=group.category),
                          className=f"wall-latest-category category-{group.category}"),
                html.Span(f"×{group.count}" if group.count > 1 else "", className="wall-latest-count"),
            ],
        )
        for group in groups
    ]


def trend_figure(trend: Trend, lang: str, *, screen_height: int) -> dict[str, Any]:
    """Monthly incidents and red grids of a scope, sized for the screen."""
    return incident_trend_figure(
        trend.months, trend.incidents, trend.red_grids, incidents_label=text(lang, "wall.trend.incidents"),
        red_label=text(lang, "wall.trend.red_grids"), screen_height=screen_height,
    )


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


def map_state(digest: WallDigest, view: WallView, *, routes_bounds: Bounds | None = None) -> MapState:
    """Layer styles for `view`: townships coloured by warning level for the city, a county's grids for a
    county, outlines under the heat map, townships by organisations per resident for coverage, outlines
    under the week's routes (the map fitted to `routes_bounds`)."""
    counties = _hideout(_COUNTY)
    if view.kind is ViewKind.ROUTES:
        box = _viewport(routes_bounds or digest.city.bounds)
        return MapState(counties, _hideout(_FAINT), _hideout(_OFF), box, heat_opacity=0.0)
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


def swatch(colour: str, label: str, count: str = "") -> html.Li:
    return html.Li([html.Span(className="wall-swatch", style={"backgroundColor": colour}),
                    html.Span(label), html.B(count)])


def legend(digest: WallDigest, view: WallView, lang: str) -> list[Any]:
    """The key to the colours of `view`, with the number of areas of each colour."""
    if view.kind is ViewKind.HEAT:
        count = digest.heat.incidents if digest.heat is not None else 0
        return [
            html.Div(text(lang, "wall.legend.heat"), className="wall-legend-title"),
            html.Div([html.Span(text(lang, "wall.legend.heat_low")), html.Span(className="wall-heat-ramp"),
                      html.Span(text(lang, "wall.legend.heat_high"))], className="wall-heat-scale"),
            html.Div(text(lang, "wall.legend.heat_count", count=f"{count:,}"), className="wall-legend-note"),
        ]
    if view.kind is ViewKind.COVERAGE:
        if digest.coverage is None:
            return [html.Div(text(lang, "wall.legend.coverage"), className="wall-legend-title"),
                    html.Div(text(lang, "wall.legend.no_data"), className="wall-legend-note")]
        cover = digest.coverage
        edges = [0.0, *cover.breaks]
        labels = [f"{low:g}–{high:g}" for low, high in itertools.pairwise(edges)] + [f"≥ {edges[-1]:g}"]
        counts = [sum(1 for k in cover.classes.values() if k == i) for i in range(len(labels))]
        return [
            html.Div(text(lang, "wall.legend.coverage"), className="wall-legend-title"),
            html.Ul([swatch(COVERAGE_COLOURS[i], label, str(counts[i])) for i, label in enumerate(labels)]),
            html.Div(text(lang, "wall.legend.coverage_totals", centres=f"{cover.centres:,}",
                          organisations=f"{cover.organisations:,}"), className="wall-legend-note"),
            *_reach_note(digest, lang),
        ]
    if view.kind is ViewKind.COUNTY:
        levels = [v for c, v in digest.colours.get("grid", {}).items() if c.startswith(view.scope)]
        title = text(lang, "wall.legend.grids")
    else:
        levels = list(digest.colours.get("township", {}).values())
        title = text(lang, "wall.legend.townships")
    return [
        html.Div(title, className="wall-legend-title"),
        html.Ul([swatch(colour, text(lang, f"wall.warning.{level}"), str(levels.count(level)))
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


def _reach_note(digest: WallDigest, lang: str) -> list[Any]:
    """The city's share of households beyond every mediation band and its mediators per 10,000."""
    reach = digest.reach
    if reach is None:
        return []
    return [html.Div(text(lang, "wall.legend.coverage_reach", share=f"{reach.uncovered_share:.1%}",
                          mediators=f"{reach.mediators:,}", per_10k=f"{reach.mediators_per_10k:.1f}"),
                     className="wall-legend-note")]
