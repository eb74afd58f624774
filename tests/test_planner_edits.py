"""Edits of a candidate layout and the checks a planner sees, on the hand-drawn 2x2 village."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from fixtures.planner_store import NE, NW, OTHER, SE, SW, VILLAGE, planner_areas, planner_workers
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from geo.api import (
    Candidate,
    EditError,
    GeoInputError,
    GridPolicy,
    ProblemKind,
    candidate_from_areas,
    check_candidate,
    load_grid_policy,
    merge_grids,
    move_block,
    move_worker,
    redraw_edge,
    split_grid,
    validate_hierarchy,
)

WIDE = GridPolicy(min_grid_area_m2=2000.0, households={"urban": (100, 1000)})


@pytest.fixture
def village() -> Candidate:
    return candidate_from_areas(planner_areas(), planner_workers(), VILLAGE)


def _kinds(candidate: Candidate, policy: GridPolicy = WIDE) -> set[ProblemKind]:
    return {p.kind for p in check_candidate(candidate, policy=policy) if p.blocking}


def _with_geometry(candidate: Candidate, code: str, geometry: shapely.Geometry) -> Candidate:
    grids = candidate.grids.copy()
    grids.loc[grids["code"] == code, "geometry"] = gpd.GeoSeries([geometry], crs=4490).values
    return candidate.with_grids(grids, candidate.workers, {code})


def _areas_m2(candidate: Candidate) -> float:
    return float(shapely.area(shapely.coverage_union_all(candidate.grids.geometry.values)))


def test_the_hand_drawn_village_has_no_problem(village: Candidate) -> None:
    assert check_candidate(village, policy=WIDE) == []


DIAGONAL = LineString([(98.50, 39.73), (98.51, 39.74)])  # SW corner to corner, from an outline vertex


def test_a_split_gives_both_parts_new_codes_by_the_code_rule_and_keeps_a_coverage(village: Candidate) -> None:
    split = split_grid(village, SW, DIAGONAL)
    new = sorted(set(split.grids["code"]) - set(village.grids["code"]))
    assert new == [f"{VILLAGE}005", f"{VILLAGE}006"]  # the segments after the highest one, 004
    assert SW not in set(split.grids["code"])
    assert _kinds(split) == set()
    assert _areas_m2(split) == pytest.approx(_areas_m2(village))
    parts = split.grids[split.grids["code"].isin(new)]
    assert parts["households"].sum() == 400 and set(parts["households"]) == {200}
    assert {len(split.workers[split.workers["grid_code"] == code]) for code in new} == {1}


def test_split_vertices_land_in_the_neighbours_too(village: Candidate) -> None:
    """The line cuts SW's north-east corner off across the edges it shares with NW and SE: both must get
    the new vertex, or the edges would no longer match. Households follow the parts' areas."""
    split = split_grid(village, SW, LineString([(98.504, 39.745), (98.514, 39.732)]))
    for code, (x, y) in ((SE, (98.51, 39.7372)), (NW, (98.507846, 39.74))):
        vertices = shapely.get_coordinates(split.grids.loc[split.grids["code"] == code, "geometry"].iloc[0])
        assert min(abs(vertices[:, 0] - x) + abs(vertices[:, 1] - y)) < 1e-6, code
    assert _kinds(split, GridPolicy(min_grid_area_m2=2000.0, households={})) == set()
    parts = split.grids[~split.grids["code"].isin(village.grids["code"])].sort_values("households")
    assert parts["households"].tolist() == [12, 388]  # the corner is 3 % of SW


def test_a_line_meeting_the_parent_outline_between_vertices_is_refused(village: Candidate) -> None:
    with pytest.raises(EditError, match=r"meets the parent's outline at 98\.505000, 39\.730000"):
        split_grid(village, SW, LineString([(98.505, 39.72), (98.505, 39.745)]))


def test_a_split_never_reuses_a_retired_code(village: Candidate) -> None:
    retired = replace(village, retired=frozenset({f"{VILLAGE}009"}))
    split = split_grid(retired, SW, DIAGONAL)
    assert sorted(set(split.grids["code"]) - set(village.grids["code"])) == [f"{VILLAGE}010", f"{VILLAGE}011"]


def test_a_line_that_does_not_cross_the_grid_is_refused(village: Candidate) -> None:
    with pytest.raises(EditError, match="does not cross the grid from edge to edge"):
        split_grid(village, SW, LineString([(98.503, 39.735), (98.507, 39.735)]))


def test_merging_neighbours_gives_one_grid_with_their_households(village: Candidate) -> None:
    merged = merge_grids(village, [SW, SE])
    (new,) = set(merged.grids["code"]) - set(village.grids["code"])
    assert new == f"{VILLAGE}005"
    assert merged.grids.loc[merged.grids["code"] == new, "households"].iloc[0] == 800
    assert len(merged.workers[merged.workers["grid_code"] == new]) == 4
    assert _kinds(merged) == set()


def test_merging_grids_that_only_touch_at_a_vertex_is_refused(village: Candidate) -> None:
    with pytest.raises(EditError, match="share no edge"):
        merge_grids(village, [SW, NE])


def test_merging_grids_of_another_village_is_refused() -> None:
    township = candidate_from_areas(planner_areas(), planner_workers(), "620902001")
    with pytest.raises(EditError, match="different villages"):
        merge_grids(township, [SE, OTHER])


def test_redrawing_a_shared_edge_moves_it_for_both_grids(village: Candidate) -> None:
    """From the outline vertex under the old edge to a point on the edge SE shares with NE."""
    redrawn = redraw_edge(village, SW, SE, LineString([(98.51, 39.73), (98.515, 39.745)]))
    sw = redrawn.grids.loc[redrawn.grids["code"] == SW, "geometry"].iloc[0]
    se = redrawn.grids.loc[redrawn.grids["code"] == SE, "geometry"].iloc[0]
    triangle = 0.5 * (0.01 / 3) * 0.01  # between the old edge x = 98.51 and the new one, up to y = 39.74
    assert sw.area == pytest.approx(1e-4 + triangle) and se.area == pytest.approx(1e-4 - triangle)
    assert _kinds(redrawn) == set()
    assert set(redrawn.grids["code"]) == set(village.grids["code"])


def test_moving_a_block_to_a_neighbour(village: Candidate) -> None:
    block = box(98.508, 39.732, 98.51, 39.734)  # against the edge SW shares with SE
    moved = move_block(village, block, SE)
    sw = moved.grids.loc[moved.grids["code"] == SW, "geometry"].iloc[0]
    se = moved.grids.loc[moved.grids["code"] == SE, "geometry"].iloc[0]
    assert shapely.covers(se, block) and not shapely.intersects(shapely.buffer(sw, -1e-9), block)
    assert _kinds(moved) == set()


def test_a_block_that_does_not_reach_the_neighbour_is_refused(village: Candidate) -> None:
    with pytest.raises(EditError, match="does not share an edge"):
        move_block(village, box(98.502, 39.732, 98.504, 39.734), SE)


def test_a_worker_moved_to_a_grid_without_one_clears_the_problem(village: Candidate) -> None:
    split = split_grid(replace(village, workers=village.workers.iloc[1:]), SW, DIAGONAL)
    assert ProblemKind.NO_WORKER in _kinds(split)
    empty = next(code for code, count in split.workers_per_grid().items() if count == 0)
    assert _kinds(move_worker(split, "W011", empty)) == set()


# ---------------------------------------------------------------- hand-drawn invalid candidates


def test_a_gap_is_refused(village: Candidate) -> None:
    assert ProblemKind.GAP in _kinds(
        _with_geometry(village, SW, MultiPolygon([box(98.50, 39.73, 98.509, 39.74)]))
    )


def test_an_overlap_is_refused(village: Candidate) -> None:
    assert ProblemKind.EDGE in _kinds(
        _with_geometry(village, SW, MultiPolygon([box(98.50, 39.73, 98.512, 39.74)]))
    )


def test_a_sliver_is_refused(village: Candidate) -> None:
    sliver = merge_grids(village, [SW, SE])  # then carve a 10 m x 100 m grid off NW's corner
    grids = sliver.grids.copy()
    nw = grids["code"] == NW
    thin = box(98.50, 39.749, 98.5001, 39.75)
    grids.loc[nw, "geometry"] = gpd.GeoSeries(
        [shapely.difference(grids.loc[nw, "geometry"].iloc[0], thin)], crs=4490
    ).values
    extra = grids[nw].assign(code=f"{VILLAGE}009", geometry=[MultiPolygon([thin])])
    candidate = sliver.with_grids(
        gpd.GeoDataFrame(
            [*grids.to_dict("records"), *extra.to_dict("records")], geometry="geometry", crs=4490
        ),
        sliver.workers,
        {f"{VILLAGE}009"},
    )
    problems = [p for p in check_candidate(candidate, policy=WIDE) if p.kind is ProblemKind.SLIVER]
    assert [p.code for p in problems] == [f"{VILLAGE}009"]


def test_a_bowtie_is_refused(village: Candidate) -> None:
    bowtie = Polygon([(98.50, 39.73), (98.51, 39.74), (98.51, 39.73), (98.50, 39.74)])
    problems = check_candidate(_with_geometry(village, SW, MultiPolygon([bowtie])), policy=WIDE)
    assert [p.code for p in problems if p.kind is ProblemKind.INVALID_POLYGON] == [SW]
    assert "Self-intersection" in str(problems[0])


def test_an_edge_crossing_the_parent_is_refused(village: Candidate) -> None:
    out = _with_geometry(village, NW, MultiPolygon([box(98.50, 39.74, 98.51, 39.76)]))
    problems = [p for p in check_candidate(out, policy=WIDE) if p.kind is ProblemKind.OUTSIDE_PARENT]
    assert [p.code for p in problems] == [NW]


def test_households_outside_the_policy_stop_only_grids_the_edit_made(village: Candidate) -> None:
    policy = GridPolicy(min_grid_area_m2=2000.0, households={"urban": (300, 500)})
    merged = merge_grids(village, [SW, SE])  # 800 households
    problems = [p for p in check_candidate(merged, policy=policy) if p.kind is ProblemKind.HOUSEHOLDS]
    assert [(p.code, p.blocking) for p in problems] == [(f"{VILLAGE}005", True)]
    strict = GridPolicy(min_grid_area_m2=2000.0, households={"urban": (450, 500)})
    untouched = check_candidate(village, policy=strict)
    assert {p.blocking for p in untouched} == {False} and len(untouched) == 4


def test_the_built_in_policy_is_300_to_500_urban_households() -> None:
    assert load_grid_policy().household_range("urban") == (300, 500)


def test_a_bad_policy_file_names_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "policy.toml"
    bad.write_text(
        "min_grid_area_m2 = -1\n[households.urban]\nmin = 500\nmax = 300\n[households.city]\n"
        "min = 1\nmax = 2\n",
        encoding="utf-8",
    )
    with pytest.raises(GeoInputError, match=r"min_grid_area_m2.*households\.urban.*households\.city"):
        load_grid_policy(bad)


def test_every_valid_edit_leaves_the_hierarchy_valid(village: Candidate) -> None:
    split = split_grid(village, NE, LineString([(98.51, 39.74), (98.52, 39.75)]))
    areas = planner_areas()
    grids = split.grids.assign(version_id="x", valid_from="2025-01-01", valid_to=None)
    others = areas[~areas["code"].isin(village.grids["code"])]
    combined = gpd.GeoDataFrame(
        [*others.to_dict("records"), *grids.to_dict("records")], geometry="geometry", crs=4490
    )
    assert validate_hierarchy(combined) == []
    assert NW in set(split.grids["code"])
