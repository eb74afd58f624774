"""The timing rules of a route, applied to one team's stops in a given order.

Time runs on a working clock: minute m is minute m % H of working day m // H, with H the workday's
minutes, so a ride that does not end by evening goes on the next morning. A stop is served from its
earliest possible start: not before the team arrives, within its window's days, with the whole service
inside one working day and no more than the team's visits that day; a stop that cannot be served so is
left out with a reason. The team must be back at its base by the end of its last day out. The solver,
the brute force of the tests and the nearest-neighbour baseline all time their routes here.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
from numpy.typing import NDArray

from geo.routes.stops import Stop
from geo.routes.teams import Team, Workday

#: Serving a stop is worth this much extra travel per point of priority (geo.routes.stops.Stop.priority):
#: the planner leaves out a stop only when reaching it costs more than that.
PENALTY_M_PER_POINT: Final = 10_000


class Reason(StrEnum):
    """Why a stop is not served."""

    TIME_WINDOW = "time_window"  # the camp is there only part of the period and no team reaches it then
    CAPACITY = "capacity"  # the teams' days, hours or visits a day are used up
    NO_TEAM = "no_team"  # no team serves this kind of stop in its county


@dataclass(frozen=True)
class RouteProblem:
    """Teams and stops with their travel matrices. Node v < len(teams) is team v's base; node
    len(teams) + k is stop k."""

    teams: tuple[Team, ...]
    workday: Workday
    stops: tuple[Stop, ...]
    days: int
    metres: tuple[NDArray[np.int64], ...]  # per team, along the way in its mode
    minutes: tuple[NDArray[np.int64], ...]  # per team, travel time in working minutes

    def node(self, stop: int) -> int:
        return len(self.teams) + stop

    def team_days(self, team: int) -> int:
        return min(self.days, self.teams[team].days_out)

    def horizon(self, team: int) -> int:
        return self.team_days(team) * self.workday.minutes

    def allowed(self, team: int, stop: int) -> bool:
        t, s = self.teams[team], self.stops[stop]
        return s.kind in t.serves and s.county_code in t.counties

    def penalty(self, stop: int) -> int:
        return round(PENALTY_M_PER_POINT * self.stops[stop].priority)

    def reason_left_out(self, stop: int) -> Reason:
        s = self.stops[stop]
        if not any(self.allowed(v, stop) for v in range(len(self.teams))):
            return Reason.NO_TEAM
        return Reason.TIME_WINDOW if s.first_day > 0 or s.last_day < self.days - 1 else Reason.CAPACITY


@dataclass(frozen=True)
class TimedStop:
    stop: int
    start: int  # working-clock minute the service starts
    leg_m: int  # from the previous stop or the base


@dataclass(frozen=True)
class TimedRoute:
    team: int
    served: tuple[TimedStop, ...]
    left_out: tuple[tuple[int, Reason], ...]
    return_leg_m: int
    back_at: int  # working-clock minute the team is back at its base

    @property
    def distance_m(self) -> int:
        return sum(s.leg_m for s in self.served) + self.return_leg_m


def _earliest_start(
    problem: RouteProblem, team: int, stop: int, arrive: int, per_day: Counter[int]
) -> int | None:
    s, h = problem.stops[stop], problem.workday.minutes
    last_day = min(s.last_day, problem.team_days(team) - 1)
    start = max(arrive, s.first_day * h)
    while start // h <= last_day:
        day = start // h
        if start - day * h > h - s.service_minutes or per_day[day] >= problem.teams[team].visits_per_day:
            start = (day + 1) * h
            continue
        return start
    return None


def _simulate(problem: RouteProblem, team: int, order: list[int]) -> TimedRoute:
    metres, minutes = problem.metres[team], problem.minutes[team]
    clock, here, per_day = 0, team, Counter[int]()
    served: list[TimedStop] = []
    left_out: list[tuple[int, Reason]] = []
    for stop in order:
        node = problem.node(stop)
        start = _earliest_start(problem, team, stop, clock + int(minutes[here, node]), per_day)
        if start is None or not problem.allowed(team, stop):
            left_out.append((stop, problem.reason_left_out(stop)))
            continue
        served.append(TimedStop(stop, start, int(metres[here, node])))
        per_day[start // problem.workday.minutes] += 1
        clock, here = start + problem.stops[stop].service_minutes, node
    return TimedRoute(team, tuple(served), tuple(left_out), int(metres[here, team]),
                      clock + int(minutes[here, team]))


def time_route(problem: RouteProblem, team: int, order: list[int]) -> TimedRoute:
    """Team `team` serving `order` (stop indices) by the rules above; stops dropped from the end while
    the team would not be back at its base in time."""
    route = _simulate(problem, team, order)
    late: list[tuple[int, Reason]] = []
    while route.back_at > problem.horizon(team) and route.served:
        last = route.served[-1].stop
        late.insert(0, (last, Reason.CAPACITY))
        order = [s for s in order if s != last]
        route = _simulate(problem, team, order)
    if route.back_at > problem.horizon(team):  # the base alone: nothing to drop
        route = TimedRoute(team, (), route.left_out, 0, 0)
    return TimedRoute(team, route.served, (*route.left_out, *late), route.return_leg_m, route.back_at)


def plan_cost(problem: RouteProblem, routes: list[TimedRoute]) -> int:
    """Metres travelled plus the penalty of every stop no route serves: what the planner minimises."""
    served = {s.stop for route in routes for s in route.served}
    travelled = sum(route.distance_m for route in routes)
    return travelled + sum(problem.penalty(k) for k in range(len(problem.stops)) if k not in served)
