"""Pure functions of the routes page: the plan and GeoJSON from the provider in, plain data out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from dashboard.i18n import text
from geo.api import Plan

#: Camp colours by the days since the last visit (geo.api.visit_age_class).
VISIT_COLOURS: Final = {"recent": "#2f9e44", "due": "#f59f00", "overdue": "#e03131", "never": "#7048e8"}
ROUTE_COLOUR: Final = "#1c7ed6"
PASTURE_STYLES: Final = {
    "summer": {"color": "#74b816", "weight": 1, "fillColor": "#a9e34b", "fillOpacity": 0.25},
    "winter": {"color": "#a17c4b", "weight": 1, "fillColor": "#e9d8a6", "fillOpacity": 0.35},
}


@dataclass(frozen=True)
class DayRows:
    date: str
    stops: int
    households: int
    km: float
    visits: list[dict[str, Any]]


def schedule_days(plan: Plan, team_id: str, lang: str) -> list[DayRows]:
    """The team's days in order, each with its summary and its visits (order, arrival, stop, kind,
    households, km of the leg)."""
    schedule = plan.schedule()
    mine = schedule[schedule["team_id"] == team_id]
    summary = plan.days_summary()
    days = []
    for row in summary[summary["team_id"] == team_id].itertuples():
        visits = mine[mine["date"] == row.date]
        days.append(DayRows(str(row.date), int(row.stops), int(row.households), float(row.km), [
            {"order": int(v.order), "arrival": v.arrival, "stop": v.stop,
             "kind": text(lang, f"routes.kind.{v.kind}"), "households": int(v.households),
             "leg_km": float(v.leg_km)}
            for v in visits.itertuples()
        ]))
    return days


def summary_view(plan: Plan, team_id: str, lang: str) -> dict[str, str]:
    team = plan.team(team_id)
    reasons: dict[str, int] = {}
    for unserved in plan.unserved:
        if unserved.stop.county_code in team.team.counties and unserved.stop.kind in team.team.serves:
            reasons[unserved.reason.value] = reasons.get(unserved.reason.value, 0) + 1
    left = "; ".join(f"{text(lang, f'routes.reason.{r}')} {n}" for r, n in sorted(reasons.items()))
    mode = text(lang, f"routes.mode.{team.team.mode.value}")
    households = sum(v.stop.households for v in team.visits)
    return {
        "team": f"{team.team.name} ({team.team.team_id}) · {mode}",
        "totals": text(lang, "routes.totals", stops=len(team.visits), households=households,
                       km=f"{team.distance_m / 1000:.1f}", back=f"{team.back_at:%Y-%m-%d %H:%M}"),
        "unserved": text(lang, "routes.unserved", reasons=left or text(lang, "routes.none")),
    }


def route_path(route: dict[str, Any]) -> list[list[float]]:
    """The route line's positions as Leaflet's [lat, lon]."""
    line = route["features"][0]["geometry"]["coordinates"]
    return [[lat, lon] for lon, lat in line]


def numbered_stops(route: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The base and each stop with its number and a tooltip line."""
    shown = []
    for feature in route["features"][1:]:
        lon, lat = feature["geometry"]["coordinates"]
        p = feature["properties"]
        label = text(lang, "routes.base") if p["kind"] == "base" else str(p["order"])
        detail = p["name"] if p["kind"] == "base" else text(
            lang, "routes.stop_tooltip", order=p["order"], name=p["name"], arrival=p["arrival"],
            households=p["households"])
        shown.append({"lat": lat, "lon": lon, "label": label, "detail": detail, "base": p["kind"] == "base"})
    return shown


def camp_markers(camps: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    markers = []
    for feature in camps["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        p = feature["properties"]
        since = p["days_since_visit"]
        seen = (text(lang, "routes.never_visited") if since is None
                else text(lang, "routes.days_since", days=since))
        households = f"{p['households']} {text(lang, 'routes.households')}"
        markers.append({"lat": lat, "lon": lon, "colour": VISIT_COLOURS[p["visit_age"]],
                        "tooltip": f"{p['name']} · {households} · {seen}"})
    return markers


def bounds_of(positions: list[list[float]]) -> list[list[float]] | None:
    if not positions:
        return None
    lats, lons = [p[0] for p in positions], [p[1] for p in positions]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]
