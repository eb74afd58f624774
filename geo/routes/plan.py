"""A plan as people read it: per team and day, the ordered stops with arrival times, distance and
households served, and the stops left out with the reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from geo.routes.schedule import Reason, RouteProblem, TimedRoute, plan_cost
from geo.routes.stops import Stop
from geo.routes.teams import Team


@dataclass(frozen=True)
class Visit:
    order: int  # 1 for the team's first stop of the trip
    stop: Stop
    arrival: dt.datetime  # local time
    departure: dt.datetime
    leg_m: int  # from the previous stop or the base


@dataclass(frozen=True)
class TeamPlan:
    team: Team
    base_lon: float
    base_lat: float
    visits: tuple[Visit, ...]
    return_leg_m: int
    back_at: dt.datetime

    @property
    def distance_m(self) -> int:
        return sum(v.leg_m for v in self.visits) + self.return_leg_m


@dataclass(frozen=True)
class Unserved:
    """A stop that no team reaches in the planned days, and why."""

    stop: Stop
    reason: Reason


@dataclass(frozen=True)
class Plan:
    start: dt.date
    days: int
    teams: tuple[TeamPlan, ...]
    unserved: tuple[Unserved, ...]
    cost: int  # metres plus the penalties of the stops left out (geo.routes.schedule.plan_cost)

    @property
    def distance_m(self) -> int:
        return sum(t.distance_m for t in self.teams)

    @property
    def households_served(self) -> int:
        return sum(v.stop.households for t in self.teams for v in t.visits)

    def team(self, team_id: str) -> TeamPlan:
        return next(t for t in self.teams if t.team.team_id == team_id)

    def schedule(self) -> pd.DataFrame:
        """One row per visit, in order: team, date, order, arrival, departure, stop, kind, households,
        open cases, leg_km."""
        rows = [
            {"team_id": t.team.team_id, "date": v.arrival.date().isoformat(), "order": v.order,
             "arrival": v.arrival.strftime("%H:%M"), "departure": v.departure.strftime("%H:%M"),
             "stop_id": v.stop.stop_id, "stop": v.stop.name, "kind": v.stop.kind.value,
             "households": v.stop.households, "open_cases": v.stop.open_cases,
             "leg_km": round(v.leg_m / 1000, 1)}
            for t in self.teams for v in t.visits
        ]
        return pd.DataFrame(rows, columns=["team_id", "date", "order", "arrival", "departure", "stop_id",
                                           "stop", "kind", "households", "open_cases", "leg_km"])

    def days_summary(self) -> pd.DataFrame:
        """Per team and day: stops, households served and km travelled (a leg counts on its arrival day;
        the way home on the day the team is back)."""
        rows = []
        for t in self.teams:
            for n in range((t.back_at.date() - self.start).days + 1 if t.visits else 0):
                day = self.start + dt.timedelta(days=n)
                today = [v for v in t.visits if v.arrival.date() == day]
                home = t.return_leg_m if t.back_at.date() == day else 0
                rows.append({"team_id": t.team.team_id, "date": day.isoformat(), "stops": len(today),
                             "households": sum(v.stop.households for v in today),
                             "km": round((sum(v.leg_m for v in today) + home) / 1000, 1)})
        return pd.DataFrame(rows, columns=["team_id", "date", "stops", "households", "km"])


def _clock(problem: RouteProblem, start: dt.date, minute: int) -> dt.datetime:
    h = problem.workday.minutes
    day, into = divmod(minute, h)
    return dt.datetime.combine(start + dt.timedelta(days=day), dt.time(problem.workday.start_hour)) + \
        dt.timedelta(minutes=into)


def plan_of(
    problem: RouteProblem, routes: list[TimedRoute], start: dt.date, bases: list[tuple[float, float]]
) -> Plan:
    """The timed routes of `problem` as a plan from `start`."""
    team_plans = []
    for route in routes:
        visits = tuple(
            Visit(n + 1, problem.stops[s.stop], _clock(problem, start, s.start),
                  _clock(problem, start, s.start + problem.stops[s.stop].service_minutes), s.leg_m)
            for n, s in enumerate(route.served)
        )
        base = bases[route.team]
        team_plans.append(TeamPlan(problem.teams[route.team], base[0], base[1], visits, route.return_leg_m,
                                   _clock(problem, start, route.back_at)))
    served = {s.stop for route in routes for s in route.served}
    reasons = {stop: reason for route in routes for stop, reason in route.left_out}
    unserved = tuple(Unserved(problem.stops[k], reasons.get(k, problem.reason_left_out(k)))
                     for k in range(len(problem.stops)) if k not in served)
    return Plan(start, problem.days, tuple(team_plans), unserved, plan_cost(problem, routes))
