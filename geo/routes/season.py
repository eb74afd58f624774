"""A plan straight from a store: the teams' bases from the centres layer, the camps on their pastures in
the period, court sittings for the pastoral grids' open disputes, and the last visits from the tracks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from geo.errors import GeoInputError
from geo.routes.distance import DistanceMatrix, geodesic_matrix
from geo.routes.plan import Plan, plan_of
from geo.routes.planning import route_problem, solve_routes
from geo.routes.stops import Stop, camps, court_stops
from geo.routes.teams import StopKind, TeamRoster, load_teams
from geo.routes.tracks import household_last_visits, read_tracks, track_day
from geo.schema import Col, Layer, OpsCol, TrackCol
from geo.store import Store


@dataclass(frozen=True)
class SeasonInputs:
    roster: TeamRoster
    bases: list[tuple[float, float]]
    stops: list[Stop]


def _bases(store: Store, roster: TeamRoster) -> list[tuple[float, float]]:
    wanted = [team.base for team in roster.teams]
    centres = store.read(Layer.CENTRES.value, equals={OpsCol.CENTRE_ID.value: wanted})
    at = {row[OpsCol.CENTRE_ID]: (row.geometry.x, row.geometry.y) for _, row in centres.iterrows()}
    missing = [f"{t.team_id} ({t.base})" for t in roster.teams if t.base not in at]
    if missing:
        raise GeoInputError(f"team base not in the store's centres: {', '.join(missing)}")
    return [at[team.base] for team in roster.teams]


def season_inputs(
    store: Store, *, start: dt.date, days: int, team_ids: tuple[str, ...] = (),
    roster: TeamRoster | None = None,
) -> SeasonInputs:
    """Teams, their bases and the stops they may serve in the `days` from `start`."""
    if days <= 0:
        raise GeoInputError(f"days must be above 0, got {days}")
    chosen = (roster or load_teams()).select(team_ids)
    counties = sorted({code for team in chosen.teams for code in team.counties})
    households = store.read(Layer.HERDER_HOUSEHOLDS.value, equals={Col.COUNTY_CODE.value: counties})
    pastures = store.read(Layer.PASTURES.value, equals={Col.COUNTY_CODE.value: counties})
    tracks = read_tracks(store)
    if len(tracks):
        tracks = tracks[tracks[TrackCol.TEAM_ID].isin([t.team_id for t in (roster or load_teams()).teams])]
        tracks = tracks[(track_day(tracks) < start).to_numpy()]
    visits = household_last_visits(households, tracks, before=start)
    found = camps(households, pastures, start, days, visits)
    if any(StopKind.COURT in team.serves for team in chosen.teams):
        incidents = store.read(Layer.INCIDENTS.value, equals={Col.COUNTY_CODE.value: counties})
        grids = store.read_areas(levels=["grid"])
        found += court_stops(incidents, grids, start, days)  # sittings are logged by the court, not by tracks
    servable = [s for s in found
                if any(s.kind in t.serves and s.county_code in t.counties for t in chosen.teams)]
    return SeasonInputs(chosen, _bases(store, chosen), servable)


def plan_from_inputs(
    inputs: SeasonInputs, *, start: dt.date, days: int, time_limit_s: float = 5.0,
    distance: DistanceMatrix = geodesic_matrix,
) -> Plan:
    """The plan for inputs read by `season_inputs` (for a caller that shows the stops too)."""
    problem = route_problem(inputs.roster.teams, inputs.bases, inputs.stops, days=days,
                            workday=inputs.roster.workday, distance=distance)
    return plan_of(problem, solve_routes(problem, time_limit_s=time_limit_s), start, inputs.bases)


def plan_season(
    store: Store, *, start: dt.date, days: int, team_ids: tuple[str, ...] = (),
    roster: TeamRoster | None = None, time_limit_s: float = 5.0, distance: DistanceMatrix = geodesic_matrix,
) -> Plan:
    """The teams' plan for the `days` from `start` (all teams of the roster when `team_ids` is empty)."""
    inputs = season_inputs(store, start=start, days=days, team_ids=team_ids, roster=roster)
    return plan_from_inputs(inputs, start=start, days=days, time_limit_s=time_limit_s, distance=distance)
