"""The routing model: several teams, several days, time windows, and stops left out at a price.

OR-Tools' vehicle routing solver, one vehicle per team from its base and back. The time dimension runs on
the working clock of geo.routes.schedule (travel pauses overnight); a stop's window is its days, less the
end of each day where its service would run past the evening. Visits are capped at visits a day times
days out per team; the day-by-day cap and every time are then applied by geo.routes.schedule, which is
what the plan reports. Each stop may be left out for a penalty that grows with its priority, so the
solver drops the stops least worth their detour.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from geo.errors import GeoInputError
from geo.routes.distance import DistanceMatrix, TravelMode, geodesic_matrix
from geo.routes.schedule import RouteProblem, TimedRoute, time_route
from geo.routes.stops import Stop
from geo.routes.teams import Team, Workday

MAX_DAYS = 62


def route_problem(
    teams: Sequence[Team],
    bases: Sequence[tuple[float, float]],
    stops: Sequence[Stop],
    *,
    days: int,
    workday: Workday,
    distance: DistanceMatrix = geodesic_matrix,
) -> RouteProblem:
    """Teams (with their bases' lon/lat) and stops, with every team's travel matrices from `distance`."""
    if not 0 < days <= MAX_DAYS:
        raise GeoInputError(f"days must be between 1 and {MAX_DAYS}, got {days}")
    if not teams:
        raise GeoInputError("no teams to plan for")
    lon = np.array([b[0] for b in bases] + [s.lon for s in stops], dtype=np.float64)
    lat = np.array([b[1] for b in bases] + [s.lat for s in stops], dtype=np.float64)
    by_mode: dict[TravelMode, np.ndarray] = {mode: np.rint(distance(lon, lat, mode)).astype(np.int64)
                                             for mode in {t.mode for t in teams}}
    metres = tuple(by_mode[t.mode] for t in teams)
    minutes = tuple(np.ceil(by_mode[t.mode] / t.metres_per_minute).astype(np.int64) for t in teams)
    return RouteProblem(tuple(teams), workday, tuple(stops), days, metres, minutes)


def _candidates(problem: RouteProblem) -> list[int]:
    """Stops some team may serve on a day it is out, with a service that fits in a working day."""
    return [k for k, s in enumerate(problem.stops)
            if s.service_minutes <= problem.workday.minutes
            and any(problem.allowed(v, k) and s.first_day < problem.team_days(v)
                    for v in range(len(problem.teams)))]


def solve_routes(problem: RouteProblem, *, time_limit_s: float = 5.0) -> list[TimedRoute]:
    """The best routes the solver finds within `time_limit_s`, timed by geo.routes.schedule."""
    teams, cand = len(problem.teams), _candidates(problem)
    nodes = list(range(teams)) + [problem.node(k) for k in cand]
    h = problem.workday.minutes
    service = [0] * teams + [problem.stops[k].service_minutes for k in cand]
    manager = pywrapcp.RoutingIndexManager(len(nodes), teams, list(range(teams)), list(range(teams)))
    routing = pywrapcp.RoutingModel(manager)
    cost_cbs, time_cbs = [], []
    for v in range(teams):
        metres = problem.metres[v][np.ix_(nodes, nodes)]
        timed = problem.minutes[v][np.ix_(nodes, nodes)] + np.array(service, dtype=np.int64)[:, None]
        cost_cbs.append(routing.RegisterTransitMatrix(metres.tolist()))
        time_cbs.append(routing.RegisterTransitMatrix(timed.tolist()))
        routing.SetArcCostEvaluatorOfVehicle(cost_cbs[-1], v)
    longest = max(problem.horizon(v) for v in range(teams))
    routing.AddDimensionWithVehicleTransits(time_cbs, longest, longest, True, "time")
    time = routing.GetDimensionOrDie("time")
    visits = routing.RegisterUnaryTransitVector([0] * teams + [1] * len(cand))
    routing.AddDimensionWithVehicleCapacity(
        visits, 0, [t.visits_per_day * problem.team_days(v) for v, t in enumerate(problem.teams)], True,
        "visits",
    )
    for v in range(teams):
        time.CumulVar(routing.End(v)).SetMax(problem.horizon(v))
    for j, k in enumerate(cand):
        stop, index = problem.stops[k], manager.NodeToIndex(teams + j)
        last_day = min(stop.last_day, max(problem.team_days(v) for v in range(teams)) - 1)
        cumul = time.CumulVar(index)
        cumul.SetRange(stop.first_day * h, last_day * h + h - stop.service_minutes)
        for day in range(stop.first_day, last_day):
            if h - stop.service_minutes + 1 <= h - 1:
                cumul.RemoveInterval(day * h + h - stop.service_minutes + 1, (day + 1) * h - 1)
        barred = [v for v in range(teams) if not problem.allowed(v, k)]
        if barred:
            routing.VehicleVar(index).RemoveValues(barred)
        routing.AddDisjunction([index], problem.penalty(k))
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000)))
    solution = routing.SolveWithParameters(params)
    orders: list[list[int]] = [[] for _ in range(teams)]
    if solution is not None:
        for v in range(teams):
            index = solution.Value(routing.NextVar(routing.Start(v)))
            while not routing.IsEnd(index):
                orders[v].append(cand[manager.IndexToNode(index) - teams])
                index = solution.Value(routing.NextVar(index))
    return [time_route(problem, v, orders[v]) for v in range(teams)]
