"""A nearest-neighbour plan to measure the solver against: each team in turn rides to the nearest stop it
may serve that still fits the timing rules (geo.routes.schedule), until none fits."""

from __future__ import annotations

from geo.routes.schedule import RouteProblem, TimedRoute, time_route


def nearest_neighbour_routes(problem: RouteProblem) -> list[TimedRoute]:
    taken: set[int] = set()
    routes = []
    for v in range(len(problem.teams)):
        order: list[int] = []
        here = v
        while True:
            open_stops = [k for k in range(len(problem.stops)) if k not in taken and problem.allowed(v, k)]
            by_distance = sorted(open_stops, key=lambda k: int(problem.metres[v][here, problem.node(k)]))
            for k in by_distance:
                if len(time_route(problem, v, [*order, k]).served) == len(order) + 1:
                    order.append(k)
                    taken.add(k)
                    here = problem.node(k)
                    break
            else:
                break
        routes.append(time_route(problem, v, order))
    return routes
