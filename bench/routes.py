"""Benchmark of route planning: a season's trip for 肃北 and 阿克塞 (every herder camp on its pasture in
the period, every team of geo/config/route_teams.toml, 14 days) planned in at most 30 s, against a
nearest-neighbour baseline in the same run.

    python -m bench.routes --store var/pingan-demo.gpkg [--from 2026-05-25] [--days 14] [--time-limit 20]

The baseline sends each team in turn to the nearest stop it may serve that still fits the same timing
rules (geo.routes.baseline). Both plans are timed by geo.routes.schedule, so both keep every window, the
workday and the visits a day; the bench checks that of the solver's plan. It prints distance, households
served and the cost the solver minimises (metres plus the penalties of the stops left out), with the
solver-to-baseline ratios. Exit 1 when planning takes longer than the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from dataclasses import replace
from typing import Final

from geo.routes.baseline import nearest_neighbour_routes
from geo.routes.plan import Plan, plan_of
from geo.routes.planning import route_problem, solve_routes
from geo.routes.schedule import RouteProblem
from geo.routes.season import season_inputs
from geo.routes.teams import load_teams
from geo.store import open_store

TARGET_S: Final = 30.0


def _check(plan: Plan) -> None:
    for team in plan.teams:
        per_day: dict[dt.date, int] = {}
        for visit in team.visits:
            day = (visit.arrival.date() - plan.start).days
            assert visit.stop.first_day <= day <= visit.stop.last_day, visit
            per_day[visit.arrival.date()] = per_day.get(visit.arrival.date(), 0) + 1
        assert all(n <= team.team.visits_per_day for n in per_day.values()), team.team.team_id


def _same_stops(problem: RouteProblem, baseline: Plan, start: dt.date, bases: list[tuple[float, float]],
                limit_s: float) -> Plan:
    """The solver on the baseline's served stops only, each given open cases enough that leaving it out
    costs more than any detour: the distance of the same work, like for like."""
    served = {v.stop.stop_id for t in baseline.teams for v in t.visits}
    stops = [replace(s, open_cases=1000) for s in problem.stops if s.stop_id in served]
    sub = route_problem(problem.teams, bases, stops, days=problem.days, workday=problem.workday)
    return plan_of(sub, solve_routes(sub, time_limit_s=limit_s), start, bases)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", required=True)
    parser.add_argument("--from", dest="start", type=dt.date.fromisoformat, default=dt.date(2026, 5, 25))
    parser.add_argument("--days", type=int, default=14)
    parser.add_argument("--time-limit", type=float, default=20.0, help="solver seconds (default: 20)")
    args = parser.parse_args(argv)
    roster = load_teams()
    began = time.perf_counter()
    inputs = season_inputs(open_store(args.store), start=args.start, days=args.days, roster=roster)
    problem = route_problem(inputs.roster.teams, inputs.bases, inputs.stops, days=args.days,
                            workday=inputs.roster.workday)
    prepared = time.perf_counter()
    plan = plan_of(problem, solve_routes(problem, time_limit_s=args.time_limit), args.start, inputs.bases)
    planned = time.perf_counter()
    baseline = plan_of(problem, nearest_neighbour_routes(problem), args.start, inputs.bases)
    baseline_s = time.perf_counter() - planned
    _check(plan)
    camps = sum(s.kind == "camp" for s in inputs.stops)
    print(f"{args.start} +{args.days} days: {len(roster.teams)} teams, {camps} camps, "
          f"{len(inputs.stops) - camps} court sittings, {sum(s.households for s in inputs.stops)} households")
    print(f"planning {planned - began:.1f} s (inputs and matrix {prepared - began:.1f} s, solver "
          f"{planned - prepared:.1f} s; target {TARGET_S:.0f} s); baseline {baseline_s:.1f} s")
    print(f"{'':22}{'km':>10}{'households':>12}{'km/household':>14}{'cost (km)':>12}")
    for name, p in (("OR-Tools", plan), ("nearest neighbour", baseline)):
        print(f"{name:22}{p.distance_m / 1000:10.1f}{p.households_served:12d}"
              f"{p.distance_m / 1000 / max(p.households_served, 1):14.2f}{p.cost / 1000:12.1f}")
    per_household = [p.distance_m / max(p.households_served, 1) for p in (plan, baseline)]
    print(f"ratio solver/baseline: distance {plan.distance_m / baseline.distance_m:.3f}, households "
          f"{plan.households_served / max(baseline.households_served, 1):.3f}, km per household "
          f"{per_household[0] / per_household[1]:.3f}, cost {plan.cost / baseline.cost:.3f}")
    same = _same_stops(problem, baseline, args.start, inputs.bases, args.time_limit / 4)
    print(f"same stops as the baseline ({sum(len(t.visits) for t in baseline.teams)}): solver "
          f"{same.distance_m / 1000:.1f} km, serves {sum(len(t.visits) for t in same.teams)}; distance ratio "
          f"{same.distance_m / baseline.distance_m:.3f}")
    return 0 if planned - began <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
