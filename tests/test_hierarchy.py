"""The committed demo hierarchy: seed counts, valid nested coverages, realistic sizes, reproducible files."""

from __future__ import annotations

from pathlib import Path

import pytest
import shapely

from geo.api import Level, read_hierarchy, validate_hierarchy, write_hierarchy
from geo.boundaries.coverage_checks import metric_area
from geo.boundaries.hierarchy_files import hierarchy_file
from geo.demo import generate_hierarchy


@pytest.fixture(scope="module")
def hierarchy():
    return read_hierarchy()


def _level(frame, level: Level):
    return frame[frame["level"] == level.value]


def test_counts_match_the_seed(hierarchy):
    counts = hierarchy["level"].value_counts()
    assert counts["city"] == 1
    assert counts["county"] == 7
    assert counts["township"] == 77
    assert counts["village"] == 510
    assert counts["grid"] == 1424
    assert counts["micro_grid"] > 0
    villages = _level(hierarchy, Level.VILLAGE)
    assert (villages["kind"] == "urban").sum() == 51


def test_every_level_is_a_valid_coverage_nested_in_its_parent(hierarchy):
    assert validate_hierarchy(hierarchy) == []


def test_validation_reports_an_overlap_with_its_code(hierarchy):
    grids = _level(hierarchy, Level.GRID).copy()
    first = grids.index[0]
    grids.loc[first, "geometry"] = shapely.buffer(grids.loc[first, "geometry"], 0.001)
    broken = hierarchy.copy()
    broken.loc[grids.index, "geometry"] = grids["geometry"]
    problems = validate_hierarchy(broken)
    assert any(grids.loc[first, "code"] in p for p in problems)


def test_counties_are_the_real_boundaries(hierarchy):
    from geo.api import read_counties

    real = read_counties().set_index("code")
    for row in _level(hierarchy, Level.COUNTY).itertuples():
        difference = shapely.symmetric_difference(row.geometry, real.loc[row.code, "geometry"])
        assert metric_area(difference) < 5.0, row.code
    subei = _level(hierarchy, Level.COUNTY).set_index("code").loc["620923", "geometry"]
    assert subei.geom_type == "MultiPolygon"


def test_urban_grids_are_small_and_hold_200_to_600_households(hierarchy):
    grids = _level(hierarchy, Level.GRID)
    urban = grids[grids["kind"] == "urban"]
    assert urban["households"].between(200, 600).all()
    assert urban["area_km2"].median() < 1.0
    pastoral = grids[grids["kind"] == "pastoral"]
    assert set(pastoral["code"].str[:6]) == {"620923", "620924"}
    assert pastoral["area_km2"].max() > 1000


def test_population_adds_up_to_about_1_05_million(hierarchy):
    city = _level(hierarchy, Level.CITY).iloc[0]
    assert 1_000_000 <= city["population"] <= 1_100_000
    grids = _level(hierarchy, Level.GRID)
    assert grids["population"].sum() == city["population"]
    assert grids["households"].sum() == city["households"]


def test_boundaries_carry_a_version_and_effective_dates(hierarchy):
    assert hierarchy["version_id"].notna().all()
    assert hierarchy["valid_from"].str.fullmatch(r"\d{4}-\d{2}-\d{2}").all()
    assert hierarchy["valid_to"].isna().all()


def test_generation_is_deterministic_and_matches_the_committed_files(tmp_path: Path):
    written = write_hierarchy(generate_hierarchy(), tmp_path)
    for path in written:
        committed = hierarchy_file(Level(path.stem.removeprefix("demo_")))
        assert path.read_bytes() == committed.read_bytes(), path.name


def test_another_seed_gives_other_grids():
    other = generate_hierarchy(seed=1)
    default = read_hierarchy()
    assert not _level(other, Level.GRID)["geometry"].reset_index(drop=True).geom_equals(
        _level(default, Level.GRID)["geometry"].reset_index(drop=True)
    ).all()
