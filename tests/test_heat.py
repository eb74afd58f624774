"""Heat: the kernel density surface against the exact Gaussian formula, and H3 hexagon counts."""

from __future__ import annotations

import math

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import pytest
import shapely

from geo.analysis.heat import DEFAULT_BANDWIDTH_M, DensitySurface, hexagon_counts, incident_density
from geo.crs import to_metric
from geo.errors import GeoInputError

SEAT = (98.50, 39.74)  # 肃州 county seat


def incidents(
    points: list[tuple[float, float]], *, month: str = "2024-03", category: str = "land", source: str = "app"
) -> gpd.GeoDataFrame:
    frame = pd.DataFrame(
        {"reported_at": pd.Timestamp(f"{month}-10 09:00"), "category": category, "source": source},
        index=range(len(points)),
    )
    return gpd.GeoDataFrame(frame, geometry=[shapely.Point(p) for p in points], crs=4490)


def cell_centres(surface: DensitySurface) -> tuple[np.ndarray, np.ndarray]:
    lon_step, _, west, _, lat_step, north = surface.transform
    rows, cols = surface.values.shape
    lon, lat = np.meshgrid(
        west + (np.arange(cols) + 0.5) * lon_step, north + (np.arange(rows) + 0.5) * lat_step
    )
    return lon, lat


def exact_density(
    points: list[tuple[float, float]], lon: np.ndarray, lat: np.ndarray, bandwidth: float
) -> np.ndarray:
    """The textbook Gaussian KDE (count per km²) at each cell centre, in the metric CRS."""
    x, y = to_metric(lon.ravel(), lat.ravel())
    px, py = to_metric(*np.array(points).T)
    squared = (x[:, None] - px[None, :]) ** 2 + (y[:, None] - py[None, :]) ** 2
    per_m2 = np.exp(-squared / (2 * bandwidth**2)).sum(axis=1) / (2 * math.pi * bandwidth**2)
    return (per_m2 * 1e6).reshape(lon.shape)


def cell_areas_km2(surface: DensitySurface) -> np.ndarray:
    lon_step, _, _, _, lat_step, _ = surface.transform
    _, lat = cell_centres(surface)
    return abs(lat_step) * 110.574 * lon_step * 111.320 * np.cos(np.radians(lat))


def test_one_incident_gives_a_gaussian_of_the_default_500_m_bandwidth() -> None:
    surface = incident_density(incidents([SEAT]))
    assert surface.bandwidth_m == DEFAULT_BANDWIDTH_M == 500.0
    assert surface.crs == "EPSG:4490" and surface.incidents == 1
    lon, lat = cell_centres(surface)
    peak = np.unravel_index(np.argmax(surface.values), surface.values.shape)
    assert (lon[peak], lat[peak]) == pytest.approx(SEAT, abs=0.003)  # within a cell (250 m) of the point
    expected = exact_density([SEAT], lon, lat, 500.0)
    assert surface.values.max() == pytest.approx(expected.max(), rel=0.03)
    # Three bandwidths either side hold all but about half a percent of the kernel.
    assert (surface.values * cell_areas_km2(surface)).sum() == pytest.approx(1.0, abs=0.015)


def test_a_cluster_matches_the_exact_estimate_within_two_percent_of_its_peak() -> None:
    rng = np.random.default_rng(7)
    points = list(zip(SEAT[0] + rng.normal(0, 0.01, 150), SEAT[1] + rng.normal(0, 0.008, 150), strict=True))
    surface = incident_density(incidents(points), bandwidth_m=400)
    expected = exact_density(points, *cell_centres(surface), 400.0)
    assert np.abs(surface.values - expected).max() <= 0.02 * expected.max()


def test_doubling_the_bandwidth_quarters_the_peak() -> None:
    narrow = incident_density(incidents([SEAT]), bandwidth_m=500, bounds=(98.45, 39.70, 98.55, 39.78))
    wide = incident_density(incidents([SEAT]), bandwidth_m=1000, bounds=(98.45, 39.70, 98.55, 39.78))
    assert wide.values.max() / narrow.values.max() == pytest.approx(0.25, rel=0.05)
    assert narrow.bounds == (98.45, 39.70, 98.55, 39.78)


def test_filters_pick_months_categories_and_sources() -> None:
    frame = pd.concat(
        [
            incidents([SEAT] * 3, month="2024-03", category="land", source="app"),
            incidents([SEAT] * 2, month="2024-04", category="traffic", source="hotline"),
            incidents([(SEAT[0], SEAT[1] + 0.05)], month="2024-04", category="land", source="hotline"),
        ],
        ignore_index=True,
    )
    assert incident_density(frame).incidents == 6
    assert incident_density(frame, months="2024-03").incidents == 3
    assert incident_density(frame, months=("2024-04", "2024-05"), categories=["land"]).incidents == 1
    assert incident_density(frame, sources="hotline").incidents == 3
    three = incident_density(frame, months="2024-03", bounds=(98.45, 39.70, 98.55, 39.80)).values.max()
    five = incident_density(
        frame, categories=["land", "traffic"], sources=["app", "hotline"], bounds=(98.45, 39.70, 98.55, 39.80)
    ).values.max()
    assert five / three == pytest.approx(5 / 3, rel=0.01)  # the far incident adds nothing at the seat


def test_nothing_to_draw_gives_an_empty_or_zero_surface() -> None:
    assert incident_density(incidents([SEAT]), months="2020-01").values.shape == (0, 0)
    quiet = incident_density(incidents([SEAT]), months="2020-01", bounds=(98.4, 39.7, 98.6, 39.8))
    assert quiet.values.size > 0 and not quiet.values.any()


def test_positions_can_come_from_lon_lat_columns() -> None:
    plain = pd.DataFrame(
        {
            "reported_at": ["2024-03-10 09:00"],
            "category": ["land"],
            "source": ["app"],
            "lon": [SEAT[0]],
            "lat": [SEAT[1]],
        }
    )
    assert incident_density(plain).values.max() == pytest.approx(
        incident_density(incidents([SEAT])).values.max()
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"categories": ["fight"]}, r"unknown category fight: allowed are neighbour"),
        ({"sources": "fax"}, r"unknown source fax: allowed are app, hotline"),
        ({"months": "2024/03"}, r"is not a month"),
        ({"bandwidth_m": 0}, r"bandwidth_m = 0: it must be a positive number of metres"),
        ({"bounds": (98.6, 39.7, 98.4, 39.8)}, r"west < east"),
    ],
)
def test_bad_filters_are_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(GeoInputError, match=message):
        incident_density(incidents([SEAT]), **kwargs)


def test_hexagons_count_incidents_per_h3_cell_with_their_outline() -> None:
    far = (SEAT[0] + 0.2, SEAT[1])
    hexes = hexagon_counts(incidents([SEAT, SEAT, SEAT, far]), resolution=7)
    assert hexes.crs.to_epsg() == 4490
    assert hexes["count"].tolist() == [3, 1]
    assert hexes["h3_cell"].tolist() == [
        h3.latlng_to_cell(SEAT[1], SEAT[0], 7),
        h3.latlng_to_cell(far[1], far[0], 7),
    ]
    assert hexes.geometry.iloc[0].contains(shapely.Point(SEAT))
    assert hexes.geometry.iloc[1].contains(shapely.Point(far))
    assert hexes.to_crs(3857).geometry.iloc[0].area / 1e6 == pytest.approx(
        5.16 / math.cos(math.radians(39.74)) ** 2, rel=0.15
    )  # res 7: about 5.2 km²


def test_hexagon_filters_and_resolution_checks() -> None:
    frame = pd.concat(
        [incidents([SEAT], month="2024-03"), incidents([SEAT], month="2024-05", source="hotline")],
        ignore_index=True,
    )
    assert hexagon_counts(frame, months="2024-05")["count"].tolist() == [1]
    assert hexagon_counts(frame, sources=["app"], resolution=9)["count"].tolist() == [1]
    assert hexagon_counts(frame, months="2021-01").empty
    with pytest.raises(GeoInputError, match=r"H3 resolution 16: allowed are whole numbers 0 to 15"):
        hexagon_counts(frame, resolution=16)
