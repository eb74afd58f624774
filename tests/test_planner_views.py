"""The planner page's pure functions: selection, the drawn shape, the editable ring, problem and impact
rows, before/after colours, and the state in the URL."""

from __future__ import annotations

import pandas as pd

from dashboard.components.warning_map import palette
from dashboard.planner import views
from dashboard.planner.state import PlannerState, parse_state, state_query
from geo.api import Impact, Problem, ProblemKind


def test_a_click_toggles_a_grid_and_each_tool_keeps_as_many_as_it_needs() -> None:
    assert views.toggled([], "a", "split") == ["a"]
    assert views.toggled(["a"], "b", "split") == ["b"]
    assert views.toggled(["a"], "b", "redraw") == ["a", "b"]
    assert views.toggled(["a", "b"], "c", "redraw") == ["b", "c"]
    assert views.toggled(["a", "b"], "c", "merge") == ["a", "b", "c"]
    assert views.toggled(["a", "b"], "a", "merge") == ["b"]
    assert views.toggled(["a"], None, "merge") == ["a"]


LINE = {"type": "LineString", "coordinates": [[98.5, 39.7], [98.6, 39.8]]}
BLOCK = {"type": "Polygon", "coordinates": [[[98.5, 39.7], [98.6, 39.7], [98.6, 39.8], [98.5, 39.7]]]}


def test_the_drawn_shape_is_the_last_one_of_the_kind_the_tool_needs() -> None:
    drawn = {"features": [{"type": "Feature", "geometry": LINE}, {"type": "Feature", "geometry": BLOCK}]}
    assert views.drawn_shape(drawn, "split") == LINE
    assert views.drawn_shape(drawn, "redraw") == LINE
    assert views.drawn_shape(drawn, "move") == BLOCK
    assert views.drawn_shape({"features": [{"type": "Feature", "geometry": LINE}]}, "vertex") is None
    assert views.drawn_shape(None, "split") is None


def test_the_editable_ring_is_the_largest_part_in_leaflet_order_without_the_closing_point() -> None:
    small = [[[0, 0], [1, 0], [1, 1], [0, 0]]]
    large = [[[10, 20], [12, 20], [12, 22], [10, 22], [10, 20]]]
    grids = {"features": [{"type": "Feature", "properties": {"code": "g"},
                           "geometry": {"type": "MultiPolygon", "coordinates": [small, large]}}]}
    assert views.editable_ring(grids, "g") == [[20, 10], [20, 12], [22, 12], [22, 10]]
    assert views.editable_ring(grids, "other") == []


def test_problem_rows_say_the_kind_and_whether_it_stops_a_save() -> None:
    problems = [Problem("g1", ProblemKind.GAP, "gap of 90 m2"),
                Problem("g2", ProblemKind.NO_WORKER, "no grid worker assigned", blocking=False)]
    rows = views.problem_rows(problems, "en")
    assert [(r["code"], r["kind"], r["blocking"], r["severity"]) for r in rows] == [
        ("g1", "gap", "blocks save", "blocking"), ("g2", "no grid worker", "warning", "warning")]
    assert views.problem_rows(problems, "zh-CN")[0]["kind"] == "缝隙"


def _impact() -> Impact:
    grids = pd.DataFrame({"code": ["g1", "g3"], "change": ["removed", "added"], "households_before": [400, 0],
                          "households_after": [0, 410], "workers_after": [0, 2]})
    warnings = pd.DataFrame({"month": ["2026-09", "2026-10", "2026-10"], "code": ["g1", "g1", "g3"],
                             "warning_level_before": ["red", "yellow", None],
                             "warning_level_after": [None, None, "blue"]})
    moved = pd.DataFrame({"grid_before": ["g1"] * 3, "grid_after": ["g3"] * 3})
    return Impact(grids=grids, incidents=moved, addresses=moved.head(2), workers=moved.head(1),
                  warnings=warnings)


def test_impact_rows_and_summary_show_what_changes_and_this_months_levels() -> None:
    rows = views.impact_rows(_impact(), "en")
    assert rows == [
        {"code": "g1", "change": "removed", "households": "400 → 0", "workers": 0, "warning": "Yellow → —"},
        {"code": "g3", "change": "added", "households": "0 → 410", "workers": 2, "warning": "— → Blue"},
    ]
    summary = views.impact_summary(_impact(), "en")
    assert summary.startswith("2 grid(s) change; 3 incident(s), 2 address(es) and 1 grid worker(s)")
    assert "3 grid-month(s)" in summary


def test_before_and_after_colours_follow_the_latest_month() -> None:
    colours = palette("light")
    assert views.level_colours(_impact(), after=False) == {"g1": colours["yellow"], "g3": colours["none"]}
    assert views.level_colours(_impact(), after=True) == {"g1": colours["none"], "g3": colours["blue"]}


def test_the_url_names_the_area_and_an_unknown_one_falls_back() -> None:
    parents = ["620981003", "620981003001"]
    state = parse_state("?parent=620981003001&lang=en", parents=parents)
    assert state == PlannerState("620981003001", "en")
    assert parse_state(state_query(state), parents=parents) == state
    assert parse_state("?parent=999", parents=parents).parent == "620981003"


def test_grid_colours_are_the_stored_levels_with_the_touched_grids_recomputed() -> None:
    colours = palette("light")
    shown = views.grid_colours({"g1": "red", "g2": "blue"}, _impact(), after=True)
    assert shown == {"g1": colours["none"], "g2": colours["blue"], "g3": colours["blue"]}
