"""Assigning points to grids: the index path and the sjoin reference path give the same answers."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, box

from geo.crs import from_metric, to_metric
from geo.errors import GeoInputError
from geo.intake.join import JoinResult, assign_grids, assign_grids_sjoin, build_grid_index

# 2 x 2 squares of 0.01 degrees (about 850 m x 1.1 km) in Suzhou district. Row order is not code order:
# the lowest code (…001) is the south-east square, row 1.
W, S, STEP = 98.50, 39.70, 0.01
MID_X, MID_Y, E, N = W + STEP, S + STEP, W + 2 * STEP, S + 2 * STEP
CODES = ["620902001001003", "620902001001001", "620902001001004", "620902001001002"]
SW, SE, NW, NE = 0, 1, 2, 3


def squares(crs: object = 4490) -> gpd.GeoDataFrame:
    cells = [
        box(W, S, MID_X, MID_Y),
        box(MID_X, S, E, MID_Y),
        box(W, MID_Y, MID_X, N),
        box(MID_X, MID_Y, E, N),
    ]
    return gpd.GeoDataFrame({"code": CODES}, geometry=cells, crs=crs)


def both_paths(grids: gpd.GeoDataFrame, lon: list[float], lat: list[float], **options: float) -> JoinResult:
    """Run both paths, assert they agree exactly, return the index path's answer."""
    fast = assign_grids(lon, lat, build_grid_index(grids), **options)
    reference = assign_grids_sjoin(lon, lat, grids, **options)
    np.testing.assert_array_equal(fast.grid_idx, reference.grid_idx)
    np.testing.assert_array_equal(fast.codes, reference.codes)
    np.testing.assert_array_equal(fast.outside, reference.outside)
    np.testing.assert_array_equal(fast.near_edge, reference.near_edge)
    return fast


HAND_PLACED = {  # name: (lon, lat, expected row)
    "inside south-west": (W + 0.005, S + 0.005, SW),
    "inside north-east": (E - 0.002, N - 0.003, NE),
    "shared edge SW|SE goes to SE (…001)": (MID_X, S + 0.005, SE),
    "shared edge SW|NW goes to SW (…003)": (W + 0.005, MID_Y, SW),
    "shared edge NW|NE goes to NE (…002)": (MID_X, N - 0.005, NE),
    "shared edge SE|NE goes to SE (…001)": (E - 0.005, MID_Y, SE),
    "four-way vertex goes to SE (…001)": (MID_X, MID_Y, SE),
    "outer west edge": (W, S + 0.005, SW),
    "outer north-east corner": (E, N, NE),
    "shared vertex on the south edge": (MID_X, S, SE),
    "outside": (98.60, 39.80, -1),
    "NaN": (math.nan, math.nan, -1),
    "NaN latitude only": (W + 0.005, math.nan, -1),
}


@pytest.mark.parametrize("name", list(HAND_PLACED))
def test_hand_placed_points_get_the_expected_grid(name: str) -> None:
    lon, lat, row = HAND_PLACED[name]
    result = both_paths(squares(), [lon], [lat])
    assert result.grid_idx[0] == row
    assert result.codes[0] == (CODES[row] if row >= 0 else "")
    assert result.outside[0] == (row < 0)


def test_all_hand_placed_points_at_once_and_wgs84_grids() -> None:
    lon, lat, rows = zip(*HAND_PLACED.values(), strict=True)
    result = both_paths(squares(crs=4326), list(lon), list(lat))
    assert result.grid_idx.tolist() == list(rows)
    assert result.grid_idx.dtype.kind == "i" and result.outside.dtype == bool


def test_overlapping_grids_and_multipolygons_follow_the_lowest_code() -> None:
    # Not a coverage: a big square overlapping the SE square, and SW + NE as one MultiPolygon.
    grids = gpd.GeoDataFrame(
        {"code": ["b2", "a9", "c1"]},
        geometry=[
            box(MID_X, S, E, MID_Y),
            box(MID_X - 0.002, S - 0.002, E + 0.002, MID_Y + 0.002),
            MultiPolygon([box(W, S, MID_X, MID_Y), box(MID_X, MID_Y, E, N)]),
        ],
        crs=4490,
    )
    lon = [MID_X + 0.005, MID_X - 0.001, W + 0.005, E - 0.005, MID_X, E + 0.001]
    lat = [S + 0.005, S + 0.005, S + 0.005, N - 0.005, MID_Y, S - 0.001]
    result = both_paths(grids, lon, lat)
    assert result.codes.tolist() == ["a9", "a9", "c1", "c1", "a9", "a9"]


def _offset_from_shared_edge(metres: float) -> tuple[float, float]:
    """A point `metres` east of the middle of the SW|SE shared edge, measured in the metric CRS."""
    (x1, x2), (y1, y2) = to_metric([MID_X, MID_X], [S, MID_Y])
    length = math.hypot(x2 - x1, y2 - y1)
    normal = ((y2 - y1) / length, -(x2 - x1) / length)  # east of a south-to-north edge
    lon, lat = from_metric((x1 + x2) / 2 + metres * normal[0], (y1 + y2) / 2 + metres * normal[1])
    return float(lon), float(lat)


def test_near_edge_flags_points_within_the_tolerance() -> None:
    five, twenty = _offset_from_shared_edge(5.0), _offset_from_shared_edge(20.0)
    five_west = _offset_from_shared_edge(-5.0)
    outside_west = (W - 5.0 / 85_000, S + 0.005)  # about 5 m west of the outer edge
    points = [five, twenty, five_west, outside_west, (W + 0.005, S + 0.005), (MID_X, S + 0.005)]
    lon, lat = [p[0] for p in points], [p[1] for p in points]
    result = both_paths(squares(), lon, lat)
    assert result.near_edge.tolist() == [True, False, True, True, False, True]
    assert result.grid_idx.tolist() == [SE, SE, SW, -1, SW, SE]
    assert both_paths(squares(), lon, lat, edge_tolerance_m=25.0).near_edge.tolist()[:2] == [True, True]
    assert not both_paths(squares(), lon, lat, edge_tolerance_m=2.0).near_edge[:3].any()


def test_index_cache_round_trip(tmp_path: Path) -> None:
    grids = squares()
    built = build_grid_index(grids, cache_dir=tmp_path)
    assert not built.loaded_from_cache
    assert [p.name for p in tmp_path.iterdir()] == [f"grid_index_{built.key}.npz"]
    loaded = build_grid_index(grids, cache_dir=tmp_path)
    assert loaded.loaded_from_cache and loaded.key == built.key
    lon, lat, _ = zip(*HAND_PLACED.values(), strict=True)
    a, b = assign_grids(lon, lat, built), assign_grids(lon, lat, loaded)
    assert a.codes.tolist() == b.codes.tolist() and a.near_edge.tolist() == b.near_edge.tolist()
    moved = grids.assign(code=[*CODES[:3], "620902001001009"])
    assert build_grid_index(moved, cache_dir=tmp_path).key != built.key
    assert len(list(tmp_path.iterdir())) == 2


@pytest.mark.parametrize(
    ("grids", "match"),
    [
        (squares().rename(columns={"code": "grid_code"}), "no code column 'code'"),
        (squares().assign(code=[CODES[0]] * 4), "duplicate grid codes.*620902001001003"),
        (squares().set_geometry([Point(W, S), *squares().geometry[1:]]), "620902001001003 is Point"),
        (squares().set_crs(None, allow_override=True), "CRS None: allowed are EPSG:4490"),
        (squares().to_crs(3857), "allowed are EPSG:4490 .* and EPSG:4326"),
        (squares().iloc[:0], "grids are empty"),
    ],
)
def test_bad_grids_are_refused(grids: gpd.GeoDataFrame, match: str) -> None:
    with pytest.raises(GeoInputError, match=match):
        build_grid_index(grids)
    with pytest.raises(GeoInputError, match=match):
        assign_grids_sjoin([W], [S], grids)


def test_bad_points_and_options_are_refused() -> None:
    index = build_grid_index(squares())
    with pytest.raises(GeoInputError, match="lon has 2 values and lat has 1"):
        assign_grids([W, E], [S], index)
    with pytest.raises(GeoInputError, match="lon has 1 values and lat has 0"):
        assign_grids_sjoin([W], [], squares())
    with pytest.raises(GeoInputError, match="edge_tolerance_m=-1"):
        assign_grids([W], [S], index, edge_tolerance_m=-1)
    with pytest.raises(GeoInputError, match="cell_size_m=0"):
        build_grid_index(squares(), cell_size_m=0)


def test_no_points_gives_empty_arrays() -> None:
    result = assign_grids([], [], build_grid_index(squares()))
    assert result.grid_idx.shape == result.codes.shape == result.near_edge.shape == (0,)


def _random_coverage(seed: int, n_cells: int) -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
    """Voronoi cells of random points, clipped to a small box, with shuffled codes."""
    rng = np.random.default_rng(seed)
    frame = box(W, S, W + 0.02, S + 0.015)
    seeds = np.column_stack([rng.uniform(W, W + 0.02, n_cells), rng.uniform(S, S + 0.015, n_cells)])
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=frame))
    cells = shapely.intersection(cells, frame)
    cells = cells[~shapely.is_empty(cells)]
    codes = [f"6209020010{k:05d}" for k in rng.permutation(len(cells))]
    return gpd.GeoDataFrame({"code": codes}, geometry=cells, crs=4490), frame


def _snapped_points(grids: gpd.GeoDataFrame, frame: shapely.Geometry, seed: int, n: int) -> np.ndarray:
    """Random points, many exactly on vertices, on edges and on the frame's straight sides."""
    rng = np.random.default_rng(seed)
    vertices = shapely.get_coordinates(grids.geometry.values)
    edges = shapely.boundary(grids.geometry.values)
    on_edges = shapely.get_coordinates(
        shapely.line_interpolate_point(edges[rng.integers(0, len(edges), n)], rng.random(n), normalized=True)
    )
    west, south, east, north = frame.bounds
    on_sides = np.column_stack([np.full(n, west), rng.uniform(south, north, n)])
    scattered = np.column_stack(
        [rng.uniform(west - 0.001, east + 0.001, n), rng.uniform(south - 0.001, north + 0.001, n)]
    )
    return np.concatenate([vertices[rng.integers(0, len(vertices), n)], on_edges, on_sides, scattered])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**31 - 1), n_cells=st.integers(2, 12), cell_size=st.sampled_from([None, 20.0, 200.0])
)
def test_index_and_sjoin_agree_on_random_coverages(seed: int, n_cells: int, cell_size: float | None) -> None:
    grids, frame = _random_coverage(seed, n_cells)
    xy = _snapped_points(grids, frame, seed + 1, 200)
    fast = assign_grids(xy[:, 0], xy[:, 1], build_grid_index(grids, cell_size_m=cell_size))
    reference = assign_grids_sjoin(xy[:, 0], xy[:, 1], grids)
    np.testing.assert_array_equal(fast.grid_idx, reference.grid_idx)
    np.testing.assert_array_equal(fast.codes, reference.codes)
    np.testing.assert_array_equal(fast.near_edge, reference.near_edge)
    on_vertex = fast.grid_idx[:200]
    assert (on_vertex >= 0).all()  # every vertex of a grid is covered by some grid
