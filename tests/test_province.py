"""`pingan demo province`: a synthetic province whose levels tile one another exactly, with incidents that
lie in the grid they carry, and the batch join, warning index and coverage report over its archive equal
to those of one process."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from geo.analysis.warning_index import warning_scores_all_months
from geo.batch.archive import archive_parts, read_archive, write_archive
from geo.batch.join import batch_join
from geo.batch.warning_index import batch_warning_scores
from geo.boundaries.coverage_checks import validate_hierarchy
from geo.demo.province import ProvinceLayout, province_areas, province_incidents
from geo.intake.join import assign_grids, build_grid_index
from geo.intake.join_index import DEFAULT_EDGE_HALO_M
from geo.store import GeoPackageStore
from pingan_cli.main import main


def test_the_default_province_has_about_thirty_thousand_grids_in_whole_counties() -> None:
    layout = ProvinceLayout.of_size(30_000)
    assert 30_000 <= layout.columns * layout.rows < 33_000


def test_every_level_tiles_the_one_above_without_gap_or_overlap() -> None:
    areas = province_areas(2_000)
    assert validate_hierarchy(areas) == []  # valid polygons, each level a coverage nested in its parent
    count = areas["level"].value_counts().to_dict()
    assert count == {"city": 1, "county": 8, "township": 32, "village": 640, "grid": 2_560}
    grids, villages = areas[areas["level"] == "grid"], areas[areas["level"] == "village"]
    assert grids["code"].is_unique and grids["code"].str.len().eq(15).all()
    assert set(grids["parent_code"]) == set(villages["code"])
    for level in ("city", "county", "township", "village"):
        assert areas.loc[areas["level"] == level, "households"].sum() == grids["households"].sum()
    assert set(areas["kind"]) == {"urban", "rural", "pastoral"}


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


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder `pingan demo province` wrote: province.gpkg and archive/."""
    folder = tmp_path_factory.mktemp("province")
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["demo", "province", "--out", str(folder), "--grids", "2000",
                     "--incidents-per-year", "20000"]) == 0
    assert "2,560 grids" in out.getvalue() and "20,000 incidents in 12 monthly partitions" in out.getvalue()
    yield folder


def test_province_command_writes_a_store_and_an_archive_that_batch_joins_like_one_process(
    province: Path,
) -> None:
    assert len(archive_parts(province / "archive")) == 12
    grids = GeoPackageStore(province / "province.gpkg").read_areas(levels=["grid"])
    joined = batch_join(province / "archive", grids, workers=2)
    incidents = read_archive(province / "archive")
    assert np.array_equal(joined["incident_id"].to_numpy(), incidents["incident_id"].to_numpy(dtype=str))
    assert np.array_equal(joined["grid_code"].to_numpy(), incidents["grid_code"].to_numpy(dtype=str))


def test_batch_coverage_over_the_archive_equals_the_coverage_report_of_a_store_holding_it(
    province: Path, tmp_path: Path
) -> None:
    archive, bare, store = province / "archive", province / "province.gpkg", tmp_path / "with-incidents.gpkg"
    shutil.copyfile(bare, store)
    with redirect_stdout(io.StringIO()):
        assert main(["archive", "import", str(archive), "--store", str(store)]) == 0
        assert main(["coverage", "report", "--store", str(store), "--out", str(tmp_path / "one.csv")]) == 0
        assert main(["batch", "coverage", "--archive", str(archive), "--store", str(bare), "--workers", "2",
                     "--out", str(tmp_path / "batch.csv")]) == 0
    assert (tmp_path / "batch.csv").read_bytes() == (tmp_path / "one.csv").read_bytes()
    report = pd.read_csv(tmp_path / "batch.csv", encoding="utf-8-sig", dtype={"code": str})
    city = report[report["level"] == "city"].iloc[0]
    assert city["cases_12m"] == 20_000 and 0 < city["gap_cases"] < 20_000
    assert 0 < city["uncovered_share"] < 1 and city["mediators"] > 0


def test_batch_index_over_a_province_archive_equals_the_index_in_one_process(tmp_path: Path) -> None:
    areas = province_areas(2_000)
    write_archive(province_incidents(areas, per_year=20_000, seed=2), tmp_path)
    batch = batch_warning_scores(tmp_path, areas, workers=2)
    one = warning_scores_all_months(read_archive(tmp_path), areas)
    pd.testing.assert_frame_equal(batch, one, check_exact=True)
    assert set(batch["level"]) == {"city", "county", "township", "village", "grid"}
    assert batch["month"].nunique() == 12
