"""Route planning on hand-made camps: the solver against a brute force, the timing rules, the reasons."""

from __future__ import annotations

import datetime as dt
import itertools

import geopandas as gpd
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from geo import api

START = dt.date(2026, 6, 1)
WORKDAY = api.Workday(start_hour=8, hours=9)
BASE = (95.0, 39.5)


def _team(team_id: str = "T1", *, days_out: int = 2, visits_per_day: int = 10,
          mode: api.TravelMode = api.TravelMode.VEHICLE) -> api.Team:
    return api.Team(team_id, f"team {team_id}", "B", mode, frozenset({api.StopKind.CAMP}), ("620923",),
                    days_out, visits_per_day, 25.0 if mode is api.TravelMode.VEHICLE else 3.5)


def _camp(n: int, lon: float, lat: float, first: int, last: int, households: int = 8) -> api.Stop:
    return api.Stop(f"c{n}", api.StopKind.CAMP, f"camp {n}", lon, lat, "620923", households, 0, first, last,
                    api.camp_service_minutes(households), None)


#: Six camps a few km apart around the base; three are there only on one of the two days.
SIX_CAMPS = [
    _camp(1, 95.05, 39.52, 0, 0), _camp(2, 95.10, 39.50, 1, 1), _camp(3, 95.02, 39.45, 0, 1),
    _camp(4, 95.12, 39.58, 1, 1), _camp(5, 95.06, 39.60, 0, 0), _camp(6, 94.96, 39.55, 0, 1),
]


def _brute_force(problem: api.RouteProblem) -> int:
    """The least cost over every ordered subset of the stops, timed by the same rules."""
    best = None
    for size in range(len(problem.stops) + 1):
        for order in itertools.permutations(range(len(problem.stops)), size):
            route = api.time_route(problem, 0, list(order))
            if len(route.served) == size:
                cost = api.plan_cost(problem, [route])
                best = cost if best is None else min(best, cost)
    assert best is not None
    return best


def test_the_solver_finds_the_brute_force_optimum_on_six_camps_with_time_windows() -> None:
    problem = api.route_problem([_team()], [BASE], SIX_CAMPS, days=2, workday=WORKDAY)
    routes = api.solve_routes(problem, time_limit_s=2)
    assert api.plan_cost(problem, routes) == _brute_force(problem)
    plan = api.plan_of(problem, routes, START, [BASE])
    day_of = {v.stop.stop_id: v.arrival.date() for v in plan.teams[0].visits}
    assert day_of["c2"] == day_of["c4"] == START + dt.timedelta(days=1)  # only there on the second day
    assert day_of["c1"] == day_of["c5"] == START


def test_the_windows_change_the_optimum_on_six_camps() -> None:
    """Without the windows the best tour is shorter: the windows are binding in the test above."""
    open_camps = [_camp(int(s.stop_id[1:]), s.lon, s.lat, 0, 1) for s in SIX_CAMPS]
    windowed = api.route_problem([_team()], [BASE], SIX_CAMPS, days=2, workday=WORKDAY)
    unbound = api.route_problem([_team()], [BASE], open_camps, days=2, workday=WORKDAY)
    assert _brute_force(unbound) < _brute_force(windowed)


def test_a_camp_there_after_the_team_is_home_is_left_out_for_its_time_window() -> None:
    late = _camp(7, 95.03, 39.51, 3, 4)
    problem = api.route_problem([_team(days_out=2)], [BASE], [*SIX_CAMPS[:2], late], days=5, workday=WORKDAY)
    plan = api.plan_of(problem, api.solve_routes(problem, time_limit_s=1), START, [BASE])
    assert [(u.stop.stop_id, u.reason) for u in plan.unserved] == [("c7", api.UnservedReason.TIME_WINDOW)]


def test_visits_beyond_the_days_capacity_are_left_out_for_capacity() -> None:
    near = [_camp(n, 95.0 + 0.01 * n, 39.5, 0, 0) for n in range(1, 5)]
    problem = api.route_problem([_team(days_out=1, visits_per_day=2)], [BASE], near, days=1, workday=WORKDAY)
    plan = api.plan_of(problem, api.solve_routes(problem, time_limit_s=1), START, [BASE])
    assert len(plan.teams[0].visits) == 2
    assert {u.reason for u in plan.unserved} == {api.UnservedReason.CAPACITY}


def test_days_and_teams_are_checked() -> None:
    with pytest.raises(api.GeoInputError, match="days must be between 1 and 62, got 0"):
        api.route_problem([_team()], [BASE], SIX_CAMPS, days=0, workday=WORKDAY)
    with pytest.raises(api.GeoInputError, match="unknown team 'NOPE': known teams are SB-H1"):
        api.load_teams().team("NOPE")


def test_the_distance_is_the_ellipsoid_times_the_modes_detour() -> None:
    lon, lat = [95.0, 95.0], [39.0, 40.0]
    metres = api.geodesic_matrix(np.array(lon), np.array(lat), api.TravelMode.HORSEBACK)
    assert metres[0, 1] == pytest.approx(111_050 * api.DETOUR_FACTOR[api.TravelMode.HORSEBACK], rel=2e-3)
    assert metres[0, 0] == 0


def test_camps_are_households_sharing_a_pasture_and_move_months_present_between_them() -> None:
    households = gpd.GeoDataFrame(
        {"herder_id": ["H1", "H2", "H3"], "pasture_id": ["P1", "P1", "P1"], "move_in_month": [6, 6, 5],
         "move_out_month": [9, 9, 9], "county_code": ["620923"] * 3},
        geometry=[Point(95.0, 39.5), Point(95.02, 39.5), Point(95.1, 39.6)], crs="EPSG:4490",
    )
    pastures = gpd.GeoDataFrame({"pasture_id": ["P1"], "name": ["夏季牧场"]}, geometry=[Point(95, 39.5)])
    found = {s.stop_id: s for s in api.camps(households, pastures, dt.date(2026, 5, 28), 7,
                                             {"H1": dt.date(2026, 5, 8)})}
    assert set(found) == {"P1-0609", "P1-0509"}
    june = found["P1-0609"]
    assert (june.first_day, june.last_day, june.households) == (4, 6, 2)  # from 1 June
    assert june.lon == pytest.approx(95.01)
    assert june.days_since_visit == 20
    assert found["P1-0509"].days_since_visit is None
    winter = api.present_in_month(np.array([10]), np.array([5]), 1)  # a stay across the new year
    assert bool(winter[0])



@st.composite
def _instances(draw: st.DrawFn) -> api.RouteProblem:
    days = draw(st.integers(1, 3))
    teams = [_team(f"T{n}", days_out=draw(st.integers(1, days)), visits_per_day=draw(st.integers(1, 3)),
                   mode=draw(st.sampled_from(list(api.TravelMode)))) for n in range(draw(st.integers(1, 2)))]
    stops = []
    for n in range(draw(st.integers(1, 7))):
        first = draw(st.integers(0, days - 1))
        stops.append(_camp(n, 95 + draw(st.floats(-0.15, 0.15)), 39.5 + draw(st.floats(-0.15, 0.15)), first,
                           draw(st.integers(first, days - 1)), draw(st.integers(1, 20))))
    return api.route_problem(teams, [BASE] * len(teams), stops, days=days, workday=WORKDAY)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_instances())
def test_no_plan_breaks_a_time_window_the_workday_or_the_visits_a_day(problem: api.RouteProblem) -> None:
    routes = api.solve_routes(problem, time_limit_s=0.2)
    plan = api.plan_of(problem, routes, START, [BASE] * len(problem.teams))
    seen = [v.stop.stop_id for t in plan.teams for v in t.visits] + [u.stop.stop_id for u in plan.unserved]
    assert sorted(seen) == sorted(s.stop_id for s in problem.stops)
    opens, closes = dt.time(WORKDAY.start_hour), dt.time(WORKDAY.start_hour + WORKDAY.hours)
    for t in plan.teams:
        per_day: dict[dt.date, int] = {}
        for v in t.visits:
            day = (v.arrival.date() - START).days
            assert v.stop.first_day <= day <= v.stop.last_day, (v.stop, v.arrival)
            assert opens <= v.arrival.time() and v.departure.time() <= closes
            assert v.departure.date() == v.arrival.date()
            per_day[v.arrival.date()] = per_day.get(v.arrival.date(), 0) + 1
        assert all(n <= t.team.visits_per_day for n in per_day.values())
        assert (t.back_at.date() - START).days < t.team.days_out or t.back_at.time() == opens
