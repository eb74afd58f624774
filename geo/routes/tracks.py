"""Trips made: GPX tracks into the store, the visits they show, and how they compare with a plan.

A track is stored one row per team and local day, so a visit's date is the day the team passed by. A
household (or a planned stop) counts as visited when a track of that day passes within the radius of
its position on the pasture it was on that month.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from geo.crs import STORAGE_EPSG, to_metric
from geo.errors import SourceFileError
from geo.routes.distance import path_length_m
from geo.routes.gpx import LOCAL_TZ, PlannedPoint, TrackSegment, read_track
from geo.routes.stops import present_in_month
from geo.routes.teams import Team
from geo.schema import TEAM_TRACK_COLUMNS, Col, Layer, OpsCol, TrackCol
from geo.store import Store

#: A household or stop within this many metres of a track counts as visited: a camp's tents and pens
#: spread over a few kilometres, and herders come over to a team that stops nearby.
VISIT_RADIUS_M: Final = 3000
#: Margin around the team's counties inside which a track must lie (a GPS fix may stray over a border).
_COUNTY_MARGIN_DEG: Final = 0.1


@dataclass(frozen=True)
class ImportedTrack:
    file: Path
    team_id: str
    days: int  # rows: one per local day of the track
    written: int  # 0 when this file was already imported for this team
    points: int
    distance_m: float
    started_at: dt.datetime
    ended_at: dt.datetime


def _local_days(segment: TrackSegment) -> np.ndarray:
    return (segment.time + np.timedelta64(8, "h")).astype("datetime64[D]")


def _day_rows(segments: list[TrackSegment], team: Team, path: Path, sha: str) -> gpd.GeoDataFrame:
    rows = []
    days = sorted({d for s in segments for d in _local_days(s)})
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for day in days:
        parts = []
        for s in segments:
            keep = _local_days(s) == day
            if keep.any():
                parts.append((s.lon[keep], s.lat[keep], s.time[keep]))
        times = np.concatenate([p[2] for p in parts])
        lines = [shapely.LineString(np.column_stack([x, y])) if len(x) > 1
                 else shapely.LineString(np.column_stack([[x[0], x[0]], [y[0], y[0]]])) for x, y, _ in parts]
        rows.append({
            TrackCol.TRACK_ID: f"{team.team_id}-{sha[:16]}-{day}",
            TrackCol.TEAM_ID: team.team_id,
            TrackCol.STARTED_AT: f"{times.min()}Z",
            TrackCol.ENDED_AT: f"{times.max()}Z",
            TrackCol.POINTS: len(times),
            TrackCol.DISTANCE_M: round(sum(path_length_m(x, y) for x, y, _ in parts), 1),
            TrackCol.FILE_NAME: path.name,
            TrackCol.FILE_SHA256: sha,
            TrackCol.IMPORTED_AT: now,
            Col.GEOMETRY: shapely.MultiLineString(lines),
        })
    frame = gpd.GeoDataFrame(rows, columns=[c.value for c in TEAM_TRACK_COLUMNS], geometry=Col.GEOMETRY.value,
                             crs=f"EPSG:{STORAGE_EPSG}")
    return frame


def _check_inside(store: Store, team: Team, segments: list[TrackSegment], path: Path) -> None:
    counties = store.read_areas(levels=["county"])
    mine = counties[counties[Col.CODE].isin(team.counties)]
    if mine.empty:
        return
    west, south, east, north = mine.total_bounds
    m = _COUNTY_MARGIN_DEG
    for s in segments:
        outside = (s.lon < west - m) | (s.lon > east + m) | (s.lat < south - m) | (s.lat > north + m)
        out = np.flatnonzero(outside)
        if len(out):
            i = int(out[0])
            where = ", ".join(team.counties)
            raise SourceFileError(path, f"track point at lon {s.lon[i]:.5f}, lat {s.lat[i]:.5f} lies "
                                        f"outside team {team.team_id}'s counties ({where}): a track of "
                                        "another team, or coordinates in another CRS")


def import_track(store: Store, path: Path, team: Team) -> ImportedTrack:
    """Read a GPX track of `team`'s trip and add it to the store's team tracks in one transaction: every
    day of it, or nothing. The same file for the same team is imported once."""
    segments = read_track(path)
    _check_inside(store, team, segments, path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    frame = _day_rows(segments, team, path, sha)
    written = store.write({Layer.TEAM_TRACKS.value: frame}, mode="append")[Layer.TEAM_TRACKS.value]
    times = np.concatenate([s.time for s in segments])
    return ImportedTrack(path, team.team_id, len(frame), written, len(times),
                         float(frame[TrackCol.DISTANCE_M].sum()),
                         times.min().astype(dt.datetime).replace(tzinfo=dt.UTC),
                         times.max().astype(dt.datetime).replace(tzinfo=dt.UTC))


def read_tracks(store: Store) -> gpd.GeoDataFrame:
    """The store's team tracks (none yet: an empty frame with the layer's columns)."""
    if Layer.TEAM_TRACKS.value in store.layers():
        return store.read(Layer.TEAM_TRACKS.value)
    return gpd.GeoDataFrame(columns=[c.value for c in TEAM_TRACK_COLUMNS], geometry=Col.GEOMETRY.value,
                            crs=f"EPSG:{STORAGE_EPSG}")


def track_day(tracks: pd.DataFrame) -> pd.Series:
    """Each track row's local date."""
    started = pd.to_datetime(tracks[TrackCol.STARTED_AT], utc=True)
    return started.dt.tz_convert(LOCAL_TZ).dt.date


def _vertices(geometries: gpd.GeoSeries) -> np.ndarray:
    coords = shapely.get_coordinates(np.asarray(geometries.values))
    return np.column_stack(to_metric(coords[:, 0], coords[:, 1])) if len(coords) else np.empty((0, 2))


def near_track(lon: np.ndarray, lat: np.ndarray, geometries: gpd.GeoSeries, radius_m: float) -> np.ndarray:
    """Whether each point lies within `radius_m` of a vertex of the tracks (tracks are logged every few
    seconds to a minute, far denser than the radius)."""
    vertices = _vertices(geometries)
    if not len(vertices) or not len(lon):
        return np.zeros(len(lon), dtype=bool)
    distance, _ = cKDTree(vertices).query(np.column_stack(to_metric(lon, lat)), distance_upper_bound=radius_m)
    return np.asarray(np.isfinite(distance))


def household_last_visits(
    households: gpd.GeoDataFrame, tracks: gpd.GeoDataFrame, *, radius_m: float = VISIT_RADIUS_M,
    before: dt.date | None = None,
) -> dict[str, dt.date]:
    """Herder id -> the last day a track passed within `radius_m` of the household where it was then
    (days before `before` only, when given)."""
    last: dict[str, dt.date] = {}
    if tracks.empty:
        return last
    days = track_day(tracks)
    for day in sorted(set(days)):
        if before is not None and day >= before:
            continue
        rows = households[present_in_month(households[OpsCol.MOVE_IN_MONTH].to_numpy(),
                                           households[OpsCol.MOVE_OUT_MONTH].to_numpy(), day.month)]
        hit = near_track(rows.geometry.x.to_numpy(), rows.geometry.y.to_numpy(),
                         tracks.geometry[(days == day).to_numpy()], radius_m)
        for herder in rows[OpsCol.HERDER_ID].to_numpy()[hit]:
            last[str(herder)] = day
    return last


@dataclass(frozen=True)
class PlanComparison:
    planned: tuple[PlannedPoint, ...]
    visited: tuple[PlannedPoint, ...]
    missed: tuple[PlannedPoint, ...]
    planned_distance_m: float  # along the plan's route points, without the detour factor
    actual_distance_m: float


def compare_with_plan(
    planned: list[PlannedPoint], segments: list[TrackSegment], *, radius_m: float = VISIT_RADIUS_M,
    planned_route: tuple[np.ndarray, np.ndarray] | None = None,
) -> PlanComparison:
    """Which planned stops a track passed within `radius_m` of, and planned against actual distance."""
    lon = np.array([p.lon for p in planned])
    lat = np.array([p.lat for p in planned])
    lines = gpd.GeoSeries([shapely.LineString(np.column_stack([s.lon, s.lat])) if len(s.lon) > 1
                           else shapely.Point(s.lon[0], s.lat[0]) for s in segments])
    hit = near_track(lon, lat, lines, radius_m)
    route_lon, route_lat = planned_route if planned_route is not None else (lon, lat)
    return PlanComparison(
        tuple(planned), tuple(p for p, h in zip(planned, hit, strict=True) if h),
        tuple(p for p, h in zip(planned, hit, strict=True) if not h),
        path_length_m(route_lon, route_lat), sum(path_length_m(s.lon, s.lat) for s in segments),
    )

