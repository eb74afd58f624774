"""Points on shared edges and vertices land in the grid with the lowest code, on every intake path:
store imports through geopandas.sjoin or through a grid index, and the store-free point file join."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fixtures.ingest.crafted_store import JT, NE, NW, SE, SW, build_store, crafted_addresses, crafted_areas

from geo.errors import GeoInputError
from geo.intake.ingest import IntakeContext, ingest_file, join_points_file

NOW = pd.Timestamp("2024-06-01 12:00")

#: (id, lon, lat, grid, near an edge)
CASES = [
    ("vertex_of_four", 98.51, 39.74, SW, True),
    ("west_east_edge_south", 98.51, 39.735, SW, True),
    ("west_east_edge_north", 98.51, 39.745, NW, True),
    ("south_north_edge_west", 98.505, 39.74, SW, True),
    ("south_north_edge_east", 98.515, 39.74, SE, True),
    ("county_border", 98.52, 39.745, NE, True),  # 620902002001002 < 620921001001001
    ("vertex_of_three", 98.52, 39.74, SE, True),
    ("outer_edge", 98.50, 39.735, SW, True),
    ("inside", 98.505, 39.735, SW, False),
    ("inside_east", 98.53, 39.74, JT, False),
]


def _points_csv(path: Path) -> Path:
    rows = [f"{name},2024-05-01 09:00:00,邻里纠纷,{lon!r},{lat!r}" for name, lon, lat, _, _ in CASES]
    path.write_text("event_id,reported_at,category,lon,lat\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def _expected() -> dict[str, str]:
    return {name: grid for name, _, _, grid, _ in CASES}


@pytest.mark.parametrize("with_index", [False, True], ids=["sjoin", "grid_index"])
def test_store_imports_assign_shared_edges_to_the_lowest_code(tmp_path: Path, with_index: bool) -> None:
    store = build_store(tmp_path / "store.gpkg")
    context = IntakeContext.from_frames(crafted_areas(), crafted_addresses(),
                                        index_cache_dir=tmp_path / "cache" if with_index else None)
    assert (context.grid_index is not None) is with_index
    ingest_file(_points_csv(tmp_path / "app.csv"), store, source="app", context=context, now=NOW)
    incidents = pd.DataFrame(store.read("incidents")).set_index("source_id")
    assert incidents["grid_code"].to_dict() == _expected()
    near = {name for name, *_, edge in CASES if edge}
    assert set(incidents.index[incidents["flags"] == "near_edge"]) == near


@pytest.mark.parametrize("use_index", [False, True], ids=["sjoin", "grid_index"])
def test_the_point_file_join_gives_the_same_answers(tmp_path: Path, use_index: bool) -> None:
    grids = crafted_areas()
    grids = grids[grids["level"] == "grid"]
    grids_path = tmp_path / "grids.gpkg"
    grids.to_file(grids_path, driver="GPKG")
    points = _points_csv(tmp_path / "points.csv")
    out = join_points_file(points, grids_path, id_column="event_id", use_index=use_index)
    assert dict(zip(out["event_id"], out["grid_code"], strict=True)) == _expected()
    assert out.loc[out["event_id"] == "inside", "flags"].item() == ""
    assert out.loc[out["event_id"] == "vertex_of_four", "flags"].item() == "near_edge"


def test_the_point_file_join_keeps_unusable_and_outside_points(tmp_path: Path) -> None:
    grids = crafted_areas()
    grids_path = tmp_path / "grids.geojson"
    grids[grids["level"] == "grid"].to_file(grids_path, driver="GeoJSON")
    points = tmp_path / "points.csv"
    points.write_text("lng,lat\n98.505,39.735\nabc,39.7\n98.7,39.74\n", encoding="utf-8")
    out = join_points_file(points, grids_path)
    assert out.to_dict(orient="list") == {
        "id": ["1", "2", "3"], "grid_code": [SW, "", ""], "flags": ["", "bad_coordinate", "outside"]}


def test_the_point_file_join_converts_declared_gcj02_points(tmp_path: Path) -> None:
    grids_path = tmp_path / "grids.gpkg"
    crafted_areas().query("level == 'grid'").to_file(grids_path, driver="GPKG")
    points = tmp_path / "points.csv"
    points.write_text("id,lon,lat\nM1,98.51028126472099,39.73577704614367\n", encoding="utf-8")
    assert join_points_file(points, grids_path)["grid_code"].item() == SE
    assert join_points_file(points, grids_path, points_crs="gcj02")["grid_code"].item() == SW


def test_a_missing_id_column_is_named(tmp_path: Path) -> None:
    grids_path = tmp_path / "grids.gpkg"
    crafted_areas().query("level == 'grid'").to_file(grids_path, driver="GPKG")
    points = _points_csv(tmp_path / "points.csv")
    with pytest.raises(GeoInputError, match="no id column 'case_no': the columns are event_id"):
        join_points_file(points, grids_path, id_column="case_no")
