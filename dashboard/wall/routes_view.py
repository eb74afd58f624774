"""The wall's routes view: the week's service-team routes as aggregates, one coloured line per team and a
legend of each team's stops, households and kilometres. No camp, household or person is named."""

from __future__ import annotations

from typing import Any, Final

from dash import html

from dashboard.data.route_plans import WeekRoutes
from dashboard.i18n import text
from dashboard.wall.views import swatch

#: Line colours of the teams, in the order the plan lists them (bright on the wall's dark map).
TEAM_COLOURS: Final = ("#fbbf24", "#34d399", "#f472b6", "#60a5fa", "#a78bfa", "#fb923c", "#22d3ee")
EMPTY: Final[dict[str, Any]] = {"type": "FeatureCollection", "features": []}


def _colour(index: int) -> str:
    return TEAM_COLOURS[index % len(TEAM_COLOURS)]


def route_lines(week: WeekRoutes | None) -> dict[str, Any]:
    """The week's lines, each with its team's colour (read by pinganWall.routeStyle)."""
    if week is None:
        return EMPTY
    features = week.lines["features"]
    return {"type": "FeatureCollection", "features": [
        {**feature, "properties": {**feature["properties"], "colour": _colour(i)}}
        for i, feature in enumerate(features)]}


def routes_legend(week: WeekRoutes | None, lang: str) -> list[Any]:
    if week is None or not week.lines["features"]:
        return [html.Div(text(lang, "wall.view.routes"), className="wall-legend-title"),
                html.Div(text(lang, "wall.legend.no_data"), className="wall-legend-note")]
    teams = [
        swatch(_colour(i), feature["properties"]["name"], text(
            lang, "wall.legend.route_team", stops=feature["properties"]["stops"],
            households=f"{feature['properties']['households']:,}", km=f"{feature['properties']['km']:,.0f}"))
        for i, feature in enumerate(week.lines["features"])
    ]
    notes = [html.Div(text(lang, "wall.legend.routes_unserved", count=week.unserved),
                      className="wall-legend-note")] if week.unserved else []
    return [html.Div(text(lang, "wall.legend.routes", start=week.start.isoformat()),
                     className="wall-legend-title"), html.Ul(teams, className="wall-route-teams"), *notes]
