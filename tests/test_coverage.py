"""Mediator coverage: distances against a brute-force computation, figures against what the store holds,
herders at the right pasture for the month, and clear errors for bad bands, levels and specialties."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from fixtures.demo_copy import demo_store_in

from geo.analysis.coverage import CoverageInputs, household_coverage, mediator_coverage
from geo.analysis.coverage_config import coverage_config_from_mapping, load_coverage_config
from geo.analysis.households import herders_in_month
from geo.analysis.mediation_points import mediation_points
from geo.demo.figures import figure
from geo.errors import GeoInputError
from geo.schema import CENTRE_KIND, Col, CoverageCol, Layer, Level, OpsCol, OrgType, km_to
from geo.store import open_store

MONTH = "2026-07"
GEOD = pyproj.Geod(ellps="GRS80")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_store_in(tmp_path_factory.mktemp("coverage"))


@pytest.fixture(scope="module")
def inputs(store: Path) -> CoverageInputs:
    return CoverageInputs.from_store(open_store(store))


@pytest.fixture(scope="module")
def report(inputs: CoverageInputs) -> pd.DataFrame:
    return mediator_coverage(inputs, month=MONTH)


def _brute_nearest_km(lon: np.ndarray, lat: np.ndarray, sites: pd.DataFrame) -> np.ndarray:
    """Geodesic distance from every point to every site, the smallest per point."""
    site_lon, site_lat = sites[CoverageCol.LON].to_numpy(), sites[CoverageCol.LAT].to_numpy()
    grid_lon, grid_site_lon = np.meshgrid(lon, site_lon, indexing="ij")
    grid_lat, grid_site_lat = np.meshgrid(lat, site_lat, indexing="ij")
    _, _, metres = GEOD.inv(grid_lon.ravel(), grid_lat.ravel(), grid_site_lon.ravel(), grid_site_lat.ravel())
    return np.asarray(metres).reshape(grid_lon.shape).min(axis=1) / 1000.0


@pytest.mark.parametrize("level", [Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY])
def test_distances_and_band_shares_match_a_brute_force_computation(
    inputs: CoverageInputs, level: Level
) -> None:
    points = household_coverage(inputs, month=MONTH)
    sample = points.sample(600, random_state=7)
    sites = mediation_points(inputs.centres, inputs.organisations)
    brute = _brute_nearest_km(sample[CoverageCol.LON].to_numpy(), sample[CoverageCol.LAT].to_numpy(),
                              sites[sites[Col.LEVEL] == level.value])
    found = sample[f"{level.value}_km"].to_numpy()
    assert np.allclose(found, brute, rtol=0.003, atol=0.001)
    config = load_coverage_config()
    band = np.where(sample[CoverageCol.PASTORAL], config.pastoral_km[level], config.bands_km[level])
    weights = sample[Col.HOUSEHOLDS].to_numpy()
    expected_share = weights[brute <= band].sum() / weights.sum()
    column = {Level.VILLAGE: CoverageCol.WITHIN_VILLAGE, Level.TOWNSHIP: CoverageCol.WITHIN_TOWNSHIP,
              Level.COUNTY: CoverageCol.WITHIN_COUNTY}[level]
    share = weights[sample[column].to_numpy(dtype=bool)].sum() / weights.sum()
    assert share == pytest.approx(expected_share, abs=0.005)


def test_the_distance_to_each_kind_of_mediation_matches_a_brute_force_computation(
    inputs: CoverageInputs,
) -> None:
    points = household_coverage(inputs, month=MONTH, by_kind=True)
    sample = points.sample(300, random_state=11)
    sites = mediation_points(inputs.centres, inputs.organisations)
    kinds = set(sites[CoverageCol.POINT_KIND])
    assert {CENTRE_KIND, OrgType.VILLAGE_COMMITTEE.value, OrgType.PERSONAL_STUDIO.value} <= kinds
    for kind in kinds:
        brute = _brute_nearest_km(sample[CoverageCol.LON].to_numpy(), sample[CoverageCol.LAT].to_numpy(),
                                  sites[sites[CoverageCol.POINT_KIND] == kind])
        assert np.allclose(sample[km_to(kind)].to_numpy(), brute, rtol=0.003, atol=0.001), kind
    # A studio is rarer than a village committee: its households are farther from one, on the whole.
    assert sample[km_to(OrgType.PERSONAL_STUDIO)].median() > sample[km_to(OrgType.VILLAGE_COMMITTEE)].median()


def test_the_report_gives_each_areas_mean_distance_to_each_kind_weighted_by_households(
    inputs: CoverageInputs,
) -> None:
    report = mediator_coverage(inputs, month=MONTH, level=Level.COUNTY, by_kind=True)
    points = household_coverage(inputs, month=MONTH, by_kind=True)
    county = report.iloc[0]
    mine = points[points[Col.VILLAGE_CODE].astype(str).str.startswith(str(county[Col.CODE]))]
    weights = mine[Col.HOUSEHOLDS].to_numpy(dtype=float)
    column = km_to(CENTRE_KIND)
    expected = float((mine[column] * weights).sum() / weights.sum())
    assert county[column] == pytest.approx(expected, abs=0.01)
    assert column not in mediator_coverage(inputs, month=MONTH, level=Level.COUNTY).columns


def test_households_people_and_mediators_reconcile_with_the_store(
    store: Path, inputs: CoverageInputs, report: pd.DataFrame
) -> None:
    held = open_store(store)
    areas = held.read_areas(levels=[Level.CITY.value])
    city = report[report[Col.LEVEL] == Level.CITY.value].iloc[0]
    assert city[Col.HOUSEHOLDS] == pytest.approx(float(areas[Col.HOUSEHOLDS].iloc[0]))
    assert city[CoverageCol.PEOPLE] == pytest.approx(float(areas[Col.POPULATION].iloc[0]))
    assert city[CoverageCol.MEDIATORS] == held.count(Layer.MEDIATORS)
    points = household_coverage(inputs, month=MONTH)
    herders = held.read(Layer.HERDER_HOUSEHOLDS)
    assert len(points) == held.count(Layer.ADDRESSES) + herders[OpsCol.HERDER_ID].nunique()
    sites = mediation_points(inputs.centres, inputs.organisations)
    assert len(sites) == held.count(Layer.CENTRES) + held.count(Layer.MEDIATION_ORGS)
    for level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
        rows = report[report[Col.LEVEL] == level.value]
        assert len(rows) == len(held.read_areas(levels=[level.value]))
        assert rows[Col.HOUSEHOLDS].sum() == pytest.approx(city[Col.HOUSEHOLDS])
        assert rows[CoverageCol.CASES_12M].sum() == city[CoverageCol.CASES_12M]


def test_the_mediation_figures_reconcile_with_the_seed(inputs: CoverageInputs, report: pd.DataFrame) -> None:
    """513 centres, 832 organisations resident in them, 6,911 certified mediators plus 282 experts."""
    sites = mediation_points(inputs.centres, inputs.organisations)
    centre_levels = inputs.centres[Col.LEVEL].value_counts()
    assert len(inputs.centres) == figure("centres").expected
    assert centre_levels["village"] == figure("centres_village").expected
    assert int(inputs.organisations[OpsCol.RESIDENT_IN_CENTRE].sum()) == figure("resident_orgs").expected
    village_points = figure("centres_village").expected + figure("village_committees").expected
    assert (sites[Col.LEVEL] == "village").sum() == village_points
    city = report[report[Col.LEVEL] == Level.CITY.value].iloc[0]
    experts = int(inputs.mediators[OpsCol.EXPERT].sum())
    assert experts == figure("experts").expected
    assert city[CoverageCol.MEDIATORS] - experts == figure("mediators").expected


def test_uncovered_share_and_caseload_follow_from_the_counts(report: pd.DataFrame) -> None:
    counties = report[report[Col.LEVEL] == Level.COUNTY.value]
    expected = 1 - counties[CoverageCol.HOUSEHOLDS_COVERED] / counties[Col.HOUSEHOLDS]
    assert np.allclose(counties[CoverageCol.UNCOVERED_SHARE], expected)
    assert np.allclose(counties[CoverageCol.CASELOAD_PER_MEDIATOR],
                       counties[CoverageCol.CASES_12M] / counties[CoverageCol.MEDIATORS])
    assert ((counties[CoverageCol.UNCOVERED_SHARE] >= 0) & (counties[CoverageCol.UNCOVERED_SHARE] <= 1)).all()
    gaps = report[report[CoverageCol.GAP_CASES] > 0]
    assert (gaps[CoverageCol.SPECIALTY_GAPS] != "").all()


def test_a_wider_band_covers_at_least_as_many_households(inputs: CoverageInputs) -> None:
    narrow = coverage_config_from_mapping({"covered_by": ["village"], "specialty_km": 15,
                                           "bands": {"village": 2, "township": 15, "county": 60},
                                           "pastoral": {"village": 5, "township": 40, "county": 60,
                                                        "specialty_km": 60}})
    wide = load_coverage_config()
    first = mediator_coverage(inputs, month=MONTH, level="city", config=narrow)
    second = mediator_coverage(inputs, month=MONTH, level="city", config=wide)
    assert first[CoverageCol.HOUSEHOLDS_COVERED].iloc[0] < second[CoverageCol.HOUSEHOLDS_COVERED].iloc[0]


def test_a_specialty_filter_counts_households_near_such_a_mediator(inputs: CoverageInputs) -> None:
    rows = mediator_coverage(inputs, month=MONTH, level="county", specialty="land")
    assert np.allclose(rows[CoverageCol.WITHIN_SPECIALTY], rows[CoverageCol.HOUSEHOLDS_COVERED])
    assert (rows[CoverageCol.WITHIN_SPECIALTY] <= rows[Col.HOUSEHOLDS] + 1e-6).all()


# ---------------------------------------------------------------- herders move with the seasons


def _herder_rows() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        OpsCol.HERDER_ID.value: ["H1", "H1"],
        OpsCol.SEASON.value: ["summer", "winter"],
        OpsCol.MOVE_IN_MONTH.value: [5, 10],
        OpsCol.MOVE_OUT_MONTH.value: [10, 5],
    }, geometry=[shapely.Point(95.3, 39.5), shapely.Point(95.4, 39.6)], crs=4490)


@pytest.mark.parametrize(("month", "season"), [(1, "winter"), (4, "winter"), (5, "summer"), (9, "summer"),
                                               (10, "winter"), (12, "winter")])
def test_a_herder_household_is_at_one_pasture_each_month(month: int, season: str) -> None:
    chosen = herders_in_month(_herder_rows(), month)
    assert list(chosen[OpsCol.SEASON]) == [season]


def test_herders_sit_at_their_summer_pasture_in_july_and_their_winter_one_in_january(
    inputs: CoverageInputs,
) -> None:
    assert inputs.herders is not None
    july = household_coverage(inputs, month="2026-07")
    january = household_coverage(inputs, month="2026-01")
    summer = inputs.herders[inputs.herders[OpsCol.SEASON] == "summer"]
    winter = inputs.herders[inputs.herders[OpsCol.SEASON] == "winter"]
    first_herder = len(inputs.addresses)
    assert set(july[CoverageCol.LON].iloc[first_herder:].round(6)) == set(summer.geometry.x.round(6))
    assert set(january[CoverageCol.LON].iloc[first_herder:].round(6)) == set(winter.geometry.x.round(6))


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("band", [0, -5, "far", True])
def test_a_band_that_is_not_above_zero_is_refused_naming_it(band: object) -> None:
    with pytest.raises(GeoInputError, match=r"bands\.village = .*: a band is a number of kilometres above 0"):
        coverage_config_from_mapping({"covered_by": ["village"], "specialty_km": 15,
                                      "bands": {"village": band, "township": 15, "county": 60},
                                      "pastoral": {"village": 20, "township": 40, "county": 60,
                                                   "specialty_km": 60}})


def test_an_unknown_specialty_is_refused_listing_the_allowed_ones(inputs: CoverageInputs) -> None:
    with pytest.raises(GeoInputError, match=r"unknown specialty 'astrology': allowed are neighbour, .*land"):
        mediator_coverage(inputs, month=MONTH, specialty="astrology")


@pytest.mark.parametrize(("level", "message"), [
    ("planet", r"unknown level 'planet': allowed are city"),
    ("grid", r"coverage has no grid rows: allowed levels are city"),
])
def test_an_unknown_or_unsupported_level_is_refused(inputs: CoverageInputs, level: str, message: str) -> None:
    with pytest.raises(GeoInputError, match=message):
        mediator_coverage(inputs, month=MONTH, level=level)


def test_a_malformed_month_is_refused(inputs: CoverageInputs) -> None:
    with pytest.raises(GeoInputError, match=r"month '2026-13' is not a month"):
        mediator_coverage(inputs, month="2026-13")
