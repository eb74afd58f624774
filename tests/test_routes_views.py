"""What the routes page arranges from a plan: the day-by-day rows, the summary, the numbered way and the
camp colours."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.routes import views
from geo import api

START = dt.date(2026, 6, 1)
BASE = (95.0, 39.5)


def _plan() -> api.Plan:
    team = api.Team("T1", "马背队", "B", api.TravelMode.VEHICLE, frozenset({api.StopKind.CAMP}), ("620923",),
                    2, 2, 25.0)
    stops = [api.Stop(f"c{n}", api.StopKind.CAMP, f"camp {n}", 95 + 0.01 * n, 39.5, "620923", 4 + n, 0, 0, 1,
                      api.camp_service_minutes(4 + n), None) for n in range(1, 5)]
    problem = api.route_problem([team], [BASE], stops, days=2, workday=api.Workday(8, 9))
    return api.plan_of(problem, api.solve_routes(problem, time_limit_s=1), START, [BASE])


def test_the_schedule_lists_each_day_with_its_visits_in_order() -> None:
    plan = _plan()
    days = views.schedule_days(plan, "T1", "en")
    assert [d.date for d in days] == ["2026-06-01", "2026-06-02"]
    assert [d.stops for d in days] == [2, 2]  # two visits a day
    orders = [v["order"] for d in days for v in d.visits]
    assert orders == [1, 2, 3, 4]
    assert sum(d.households for d in days) == 5 + 6 + 7 + 8
    assert days[0].visits[0]["kind"] == "Herder camp"
    assert sum(d.km for d in days) == pytest.approx(plan.team("T1").distance_m / 1000, abs=0.15)


def test_the_summary_counts_the_teams_stops_and_the_reasons_left_out() -> None:
    summary = views.summary_view(_plan(), "T1", "en")
    assert summary["team"] == "马背队 (T1) · vehicle"
    assert summary["totals"].startswith("4 stops · 26 households")
    assert summary["unserved"] == "Not planned: none"


def test_the_way_runs_from_the_base_through_the_numbered_stops_and_back() -> None:
    plan = _plan()
    route = api.route_geojson(plan.team("T1"))
    path = views.route_path(route)
    assert path[0] == path[-1] == [BASE[1], BASE[0]]
    assert len(path) == 6
    numbered = views.numbered_stops(route, "zh-CN")
    assert [n["label"] for n in numbered] == ["驻地", "1", "2", "3", "4"]
    assert views.bounds_of(path) == [[39.5, 95.0], [39.5, max(p[1] for p in path)]]


def test_camps_are_coloured_by_the_days_since_their_last_visit() -> None:
    def camp(since: int | None) -> api.Stop:
        return api.Stop("c", api.StopKind.CAMP, "camp", 95, 39.5, "620923", 3, 0, 0, 0, 45, since)

    markers = views.camp_markers(api.stops_geojson([camp(None), camp(5), camp(45), camp(90)]), "en")
    classes = ("never", "recent", "due", "overdue")
    assert [m["colour"] for m in markers] == [views.VISIT_COLOURS[k] for k in classes]
    assert markers[2]["tooltip"] == "camp · 3 households · visited 45 days ago"
