"""`pingan demo province`: a synthetic province whose grids cover it exactly, with incidents that lie in the
grid they carry, and the batch join and warning index over its archive equal to those of one process."""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.analysis.warning_index import warning_scores_all_months
from geo.batch.archive import archive_parts, read_archive, write_archive
from geo.batch.join import batch_join
from geo.batch.warning_index import batch_warning_scores
from geo.demo.province import ProvinceLayout, province_areas, province_incidents
from geo.intake.join import assign_grids, build_grid_index
from geo.intake.join_index import DEFAULT_EDGE_HALO_M
from geo.store import GeoPackageStore
from pingan_cli.main import main


def test_the_default_province_has_about_thirty_thousand_grids_in_whole_counties() -> None:
    layout = ProvinceLayout.of_size(30_000)
    assert 30_000 <= layout.columns * layout.rows < 33_000


def test_grids_tile_their_counties_and_counties_their_cities_without_gap_or_overlap() -> None:
    areas = province_areas(2_000)
    grids, counties, cities = (areas[areas["level"] == lv] for lv in ("grid", "county", "city"))
    assert len(grids) == 2_560 and len(counties) == 8 and len(cities) == 1
    assert grids["code"].is_unique and grids["code"].str.len().eq(15).all()
    assert set(grids["parent_code"]) == set(counties["code"]) and set(counties["parent_code"]) == {"620100"}
    for county in counties.itertuples():
        mine = grids[grids["parent_code"] == county.code]
        assert shapely.area(mine.geometry.to_numpy()).sum() == pytest.approx(county.geometry.area, rel=1e-9)
        assert mine["households"].sum() == county.households
    assert shapely.area(counties.geometry.to_numpy()).sum() == pytest.approx(
        shapely.area(cities.geometry.to_numpy()).sum(), rel=1e-9)


def test_incidents_lie_in_the_grid_they_carry_and_the_same_seed_gives_the_same_rows() -> None:
    areas = province_areas(2_000)
    incidents = province_incidents(areas, per_year=3_000, years=(2023, 2024), seed=4)
    assert len(incidents) == 6_000 and incidents["source_id"].is_unique
    assert set(incidents["reported_at"].dt.year) == {2023, 2024}
    index = build_grid_index(areas[areas["level"] == "grid"])
    codes = assign_grids(incidents["lon"].to_numpy(float), incidents["lat"].to_numpy(float), index,
                         edge_tolerance_m=DEFAULT_EDGE_HALO_M).codes
    assert (codes == incidents["grid_code"].to_numpy(dtype=str)).all()
    again = province_incidents(areas, per_year=3_000, years=(2023, 2024), seed=4)
    pd.testing.assert_frame_equal(pd.DataFrame(incidents.drop(columns="geometry")),
                                  pd.DataFrame(again.drop(columns="geometry")))


def test_province_command_writes_a_store_and_an_archive_that_batch_joins_like_one_process(
    tmp_path: Path,
) -> None:
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["demo", "province", "--out", str(tmp_path), "--grids", "2000",
                     "--incidents-per-year", "20000"]) == 0
    assert "2,560 grids" in out.getvalue() and "20,000 incidents in 12 monthly partitions" in out.getvalue()
    assert len(archive_parts(tmp_path / "archive")) == 12
    grids = GeoPackageStore(tmp_path / "province.gpkg").read_areas(levels=["grid"])
    joined = batch_join(tmp_path / "archive", grids, workers=2)
    incidents = read_archive(tmp_path / "archive")
    assert np.array_equal(joined["incident_id"].to_numpy(), incidents["incident_id"].to_numpy(dtype=str))
    assert np.array_equal(joined["grid_code"].to_numpy(), incidents["grid_code"].to_numpy(dtype=str))


def test_batch_index_over_a_province_archive_equals_the_index_in_one_process(tmp_path: Path) -> None:
    areas = province_areas(2_000)
    write_archive(province_incidents(areas, per_year=20_000, seed=2), tmp_path)
    batch = batch_warning_scores(tmp_path, areas, workers=2)
    one = warning_scores_all_months(read_archive(tmp_path), areas)
    pd.testing.assert_frame_equal(batch, one, check_exact=True)
    assert set(batch["level"]) == {"city", "county", "grid"} and batch["month"].nunique() == 12
