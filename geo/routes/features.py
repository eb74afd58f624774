"""A plan and its stops as GeoJSON for maps: the team's way as a line, its stops numbered in order, and
the camps coloured by the days since their last visit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from geo.export.features import MAP_DECIMALS
from geo.routes.plan import TeamPlan
from geo.routes.stops import Stop

#: Upper bounds (days) of the "days since the last visit" classes a map colours; beyond the last, and
#: never visited, are the last two classes.
VISIT_AGE_CLASSES: Final = (30, 60)


def visit_age_class(stop: Stop) -> str:
    """'recent' (under 30 days), 'due' (30-59), 'overdue' (60 and more) or 'never'."""
    if stop.days_since_visit is None:
        return "never"
    if stop.days_since_visit < VISIT_AGE_CLASSES[0]:
        return "recent"
    return "due" if stop.days_since_visit < VISIT_AGE_CLASSES[1] else "overdue"


def _point(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    position = [round(lon, MAP_DECIMALS), round(lat, MAP_DECIMALS)]
    geometry = {"type": "Point", "coordinates": position}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def route_geojson(team: TeamPlan) -> dict[str, Any]:
    """The team's way (base, stops in order, base) as one LineString, and its stops as numbered points
    with the arrival time, households and open cases."""
    path = [(team.base_lon, team.base_lat), *((v.stop.lon, v.stop.lat) for v in team.visits),
            (team.base_lon, team.base_lat)]
    summary = {"team_id": team.team.team_id, "km": round(team.distance_m / 1000, 1)}
    line = {"type": "Feature", "properties": summary,
            "geometry": {"type": "LineString",
                         "coordinates": [[round(x, MAP_DECIMALS), round(y, MAP_DECIMALS)] for x, y in path]}}
    stops = [_point(v.stop.lon, v.stop.lat, {
        "order": v.order, "stop_id": v.stop.stop_id, "name": v.stop.name, "kind": v.stop.kind.value,
        "arrival": v.arrival.strftime("%Y-%m-%d %H:%M"), "households": v.stop.households,
        "open_cases": v.stop.open_cases}) for v in team.visits]
    base = _point(team.base_lon, team.base_lat, {"order": 0, "name": team.team.name, "kind": "base"})
    return {"type": "FeatureCollection", "features": [line, base, *stops]}


def stops_geojson(stops: Sequence[Stop]) -> dict[str, Any]:
    """Stops as points with their kind, households, days since the last visit and its class."""
    return {"type": "FeatureCollection", "features": [
        _point(s.lon, s.lat, {"stop_id": s.stop_id, "name": s.name, "kind": s.kind.value,
                              "households": s.households, "days_since_visit": s.days_since_visit,
                              "visit_age": visit_age_class(s)})
        for s in stops]}
