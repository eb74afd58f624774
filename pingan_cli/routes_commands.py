"""`pingan routes plan|import-gpx|coverage`: horseback service teams and itinerant courts that follow
herders between pastures. Plan their trips to the camps, import the GPS tracks of trips made, and see how
far they reached. Teams come from --teams (default: the demo's geo/config/route_teams.toml)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tqdm import tqdm

from geo import api
from pingan_cli.options import Commands, add_command, add_group, add_store, iso_date


def register(commands: Commands) -> None:
    actions = add_group(commands, "routes", description=__doc__,
                        help="service-team routes: plan trips, import GPX tracks, coverage of the herders")
    _register_plan(actions)
    _register_import(actions)
    _register_coverage(actions)


def _add_teams(parser: argparse.ArgumentParser) -> None:
    add_store(parser)
    parser.add_argument("--teams", type=Path, metavar="FILE.toml",
                        help="the teams and workday (default: geo/config/route_teams.toml)")


def _register_plan(actions: Commands) -> None:
    parser = add_command(actions, "plan", _run_plan, help="plan the teams' trips and write them as GPX")
    _add_teams(parser)
    parser.add_argument("--team", action="append", default=[], metavar="T",
                        help="a team id (repeatable; default: every team)")
    parser.add_argument("--from", dest="start", type=iso_date, required=True, metavar="DATE",
                        help="first day, YYYY-MM-DD")
    parser.add_argument("--days", type=int, required=True, metavar="N", help="days to plan (1-62)")
    parser.add_argument("--out", type=Path, required=True, metavar="PLAN.gpx", help="the GPX to write")
    parser.add_argument("--schedule", type=Path, metavar="FILE.csv", help="also write the visits as CSV")
    parser.add_argument("--time-limit", type=float, default=10.0, metavar="S",
                        help="seconds the solver may search (default: %(default)s)")


def _run_plan(args: argparse.Namespace) -> int:
    """Plan routes for the camps on their pastures in the days from --from (and court sittings for
    open disputes in pastoral grids) with OR-Tools; write a GPX with a route and waypoints per team and
    print each team's days. Stops left out are listed with the reason."""
    if args.days <= 0:
        raise api.GeoInputError(f"--days must be above 0, got {args.days}")
    roster = api.load_teams(args.teams)
    for team_id in args.team:
        roster.team(team_id)
    with tqdm(total=2, desc="routes plan", unit="step", disable=None, file=sys.stderr) as bar:
        bar.set_postfix_str(f"solving up to {args.time_limit:g} s")
        plan = api.plan_season(api.open_store(args.store), start=args.start, days=args.days,
                               team_ids=tuple(args.team), roster=roster, time_limit_s=args.time_limit)
        bar.update()
        bar.set_postfix_str("writing")
        api.write_text_atomically(args.out, api.plan_gpx(plan))
        if args.schedule:
            api.write_csv(plan.schedule(), args.schedule)
        bar.update()
    for team in plan.teams:
        print(f"{team.team.team_id} {team.team.name}: {len(team.visits)} stops, "
              f"{sum(v.stop.households for v in team.visits)} households, {team.distance_m / 1000:.1f} km, "
              f"back {team.back_at:%Y-%m-%d %H:%M}")
    reasons = {}
    for unserved in plan.unserved:
        reasons[unserved.reason.value] = reasons.get(unserved.reason.value, 0) + 1
    shown = ", ".join(f"{n} {reason}" for reason, n in sorted(reasons.items())) or "none"
    print(f"total {plan.distance_m / 1000:.1f} km, {plan.households_served} households served; "
          f"left out: {shown}")
    print(f"wrote {args.out}")
    return 0


def _register_import(actions: Commands) -> None:
    parser = add_command(actions, "import-gpx", _run_import,
                         help="add a GPX track of a trip made to the store")
    parser.add_argument("file", type=Path, metavar="FILE.gpx", help="the track")
    _add_teams(parser)
    parser.add_argument("--team", required=True, metavar="T", help="the team that made the trip")
    parser.add_argument("--plan", type=Path, metavar="PLAN.gpx", help="a plan from `pingan routes plan`")
    parser.add_argument("--radius", type=float, default=api.VISIT_RADIUS_M, metavar="M",
                        help="metres within which a stop counts as visited (default: %(default)s)")


def _run_import(args: argparse.Namespace) -> int:
    """Read the track of a team's trip (GPX 1.0/1.1, WGS84, every point with a time) and add it to
    the store's team_tracks layer, one row per day, in one transaction. With --plan, say which planned
    stops it passed within --radius and compare distances."""
    team = api.load_teams(args.teams).team(args.team)
    store = api.open_store(args.store)
    imported = api.import_track(store, args.file, team)
    state = "imported" if imported.written else "already imported, nothing written"
    print(f"{args.file.name}: {state}; team {team.team_id}, {imported.points} points over {imported.days} "
          f"day(s), {imported.distance_m / 1000:.1f} km, {imported.started_at:%Y-%m-%d %H:%M}Z to "
          f"{imported.ended_at:%Y-%m-%d %H:%M}Z")
    if args.plan:
        planned = [p for p in api.read_planned(args.plan) if p.name.split(" ")[0] == team.team_id]
        if not planned:
            raise api.GeoInputError(f"{args.plan}: no planned stops for team {team.team_id}")
        result = api.compare_with_plan(planned, api.read_track(args.file), radius_m=args.radius,
                                       planned_route=api.read_plan_route(args.plan, team.team_id))
        visited = f"{len(result.visited)} of {len(result.planned)}"
        print(f"planned stops visited within {args.radius:g} m: {visited}; "
              f"planned {result.planned_distance_m / 1000:.1f} km (straight legs), "
              f"actual {result.actual_distance_m / 1000:.1f} km")
        for missed in result.missed:
            print(f"  missed: {missed.name}")
    return 0


def _register_coverage(actions: Commands) -> None:
    parser = add_command(actions, "coverage", _run_coverage,
                         help="households visited in a month, per village, from the imported tracks")
    _add_teams(parser)
    parser.add_argument("--month", required=True, metavar="YYYY-MM", help="the month, for example 2026-06")
    parser.add_argument("--unvisited-days", type=int, default=60, metavar="N",
                        help="count households not visited for N days (default: %(default)s)")
    parser.add_argument("--radius", type=float, default=api.VISIT_RADIUS_M, metavar="M",
                        help="metres within which a household counts as visited (default: %(default)s)")
    parser.add_argument("--out", type=Path, metavar="FILE.csv", help="write the village table as CSV")


def _run_coverage(args: argparse.Namespace) -> int:
    """Per village: herder households on their pastures in --month, visited that month (a track
    within --radius) and not visited for --unvisited-days up to the month's end; per team: days out and km
    that month."""
    api.parse_month(args.month)
    store = api.open_store(args.store)
    households = store.read(api.Layer.HERDER_HOUSEHOLDS.value)
    villages, teams = api.route_coverage(households, api.read_tracks(store), args.month,
                                         unvisited_days=args.unvisited_days, radius_m=args.radius)
    names = store.read_areas(levels=["village"]).set_index(api.Col.CODE.value)[api.Col.NAME.value]
    villages.insert(1, "name", villages[api.Col.VILLAGE_CODE.value].map(names).fillna(""))
    if args.out:
        api.write_csv(villages, args.out)
    print(villages.to_string(index=False))
    total, seen = int(villages["households"].sum()), int(villages["visited"].sum())
    stale = int(villages["unvisited"].sum())
    print(f"{args.month}: {seen} of {total} households visited; {stale} not visited for "
          f"{args.unvisited_days} days or more")
    print(teams.to_string(index=False) if len(teams) else "no team tracks in this month")
    return 0
