"""GPX for phones: a plan out (a route and waypoints per team), trips made in (tracks).

GPX coordinates are WGS84 degrees by definition (CGCS2000 agrees to centimetres); a file whose numbers
are not degrees was written in another CRS and is refused rather than guessed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import gpxpy
import gpxpy.gpx
import numpy as np
from numpy.typing import NDArray

from geo.errors import SourceFileError
from geo.routes.plan import Plan

#: Local time of the pastoral counties (China Standard Time, no daylight saving).
LOCAL_TZ: Final = dt.timezone(dt.timedelta(hours=8), "CST")


def plan_gpx(plan: Plan, *, team_ids: tuple[str, ...] = ()) -> str:
    """The plan as GPX 1.1: per team a route base -> stops -> base, and a waypoint per stop named with its
    order and described with its arrival time."""
    gpx = gpxpy.gpx.GPX()
    gpx.creator = "Pingan Grid"
    for team in plan.teams:
        if team_ids and team.team.team_id not in team_ids:
            continue
        route = gpxpy.gpx.GPXRoute(name=f"{team.team.team_id} {team.team.name}",
                                   description=f"{plan.start.isoformat()} +{plan.days} d")
        route.points.append(gpxpy.gpx.GPXRoutePoint(team.base_lat, team.base_lon, name="base"))
        for visit in team.visits:
            stop, arrival = visit.stop, visit.arrival.replace(tzinfo=LOCAL_TZ)
            name = f"{team.team.team_id} {visit.order:02d} {stop.name}"
            lat, lon = round(stop.lat, 6), round(stop.lon, 6)
            route.points.append(gpxpy.gpx.GPXRoutePoint(lat, lon, time=arrival, name=name))
            gpx.waypoints.append(gpxpy.gpx.GPXWaypoint(
                lat, lon, time=arrival, name=name, type=stop.kind.value, symbol=stop.stop_id,
                description=f"{arrival:%Y-%m-%d %H:%M}; {stop.households} households; "
                            f"{stop.open_cases} open cases",
            ))
        route.points.append(gpxpy.gpx.GPXRoutePoint(team.base_lat, team.base_lon, name="base"))
        gpx.routes.append(route)
    return str(gpx.to_xml(version="1.1"))


@dataclass(frozen=True)
class TrackSegment:
    lon: NDArray[np.float64]
    lat: NDArray[np.float64]
    time: NDArray[np.datetime64]  # UTC


@dataclass(frozen=True)
class PlannedPoint:
    name: str
    stop_id: str
    lon: float
    lat: float


def _parse(path: Path) -> gpxpy.gpx.GPX:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceFileError(path, f"cannot read the file ({error})") from None
    if not text.strip():
        raise SourceFileError(path, "the file is empty: a GPX file with a <trk> is expected")
    try:
        return gpxpy.parse(text)
    except gpxpy.gpx.GPXException as error:
        first = str(error).splitlines()[0]
        raise SourceFileError(path, f"not a readable GPX file ({first})") from None


def _check_degrees(path: Path, lon: NDArray[np.float64], lat: NDArray[np.float64]) -> None:
    bad = np.flatnonzero((np.abs(lat) > 90) | (np.abs(lon) > 180))
    if len(bad):
        i = int(bad[0])
        raise SourceFileError(path, f"point {i + 1} is at lat {lat[i]}, lon {lon[i]}: not WGS84 degrees "
                                    "(GPX is always WGS84; the file was written in another CRS)")


def read_track(path: Path) -> list[TrackSegment]:
    """The track segments of a GPX file, every point with its time; SourceFileError naming the file for
    an unreadable or empty file, points that are not degrees or points without a time."""
    gpx = _parse(path)
    segments = []
    for track in gpx.tracks:
        for segment in track.segments:
            if not segment.points:
                continue
            lon = np.array([p.longitude for p in segment.points], dtype=np.float64)
            lat = np.array([p.latitude for p in segment.points], dtype=np.float64)
            _check_degrees(path, lon, lat)
            untimed = [n for n, p in enumerate(segment.points) if p.time is None]
            if untimed:
                raise SourceFileError(path, f"track point {untimed[0] + 1} has no <time>: a trip's track "
                                            "needs times to tell the days of its visits")
            times = np.array([p.time.astimezone(dt.UTC).replace(tzinfo=None) for p in segment.points
                              if p.time is not None], dtype="datetime64[s]")
            segments.append(TrackSegment(lon, lat, times))
    if not segments:
        raise SourceFileError(path, "holds no track points (<trk><trkseg><trkpt>); a plan's routes and "
                                    "waypoints are not a trip made")
    return segments


def read_planned(path: Path) -> list[PlannedPoint]:
    """The waypoints of a plan written by `plan_gpx`."""
    gpx = _parse(path)
    points = [PlannedPoint(w.name or "", w.symbol or "", float(w.longitude), float(w.latitude))
              for w in gpx.waypoints]
    if not points:
        raise SourceFileError(path, "holds no waypoints: give a plan written by `pingan routes plan`")
    _check_degrees(path, np.array([p.lon for p in points]), np.array([p.lat for p in points]))
    return points


def read_plan_route(path: Path, team_id: str) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """The route points (lon, lat) of `team_id` in a plan written by `plan_gpx`; None when it has none."""
    for route in _parse(path).routes:
        if (route.name or "").split(" ")[0] == team_id:
            return (np.array([p.longitude for p in route.points], dtype=np.float64),
                    np.array([p.latitude for p in route.points], dtype=np.float64))
    return None
