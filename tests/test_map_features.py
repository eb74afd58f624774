"""Map features built in geo: generalised incident positions, point and polygon collections."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo.api import (
    GENERALISE_CELL_M,
    GeoInputError,
    generalise_positions,
    point_collection,
    polygon_collection,
)
from geo.crs import geodesic_distance_m, to_metric


def test_generalised_positions_sit_on_cell_centres_within_half_a_diagonal() -> None:
    rng = np.random.default_rng(7)
    lon, lat = 98.5 + rng.uniform(-0.05, 0.05, 500), 39.74 + rng.uniform(-0.05, 0.05, 500)
    glon, glat = generalise_positions(lon, lat)
    moved = geodesic_distance_m(lon, lat, glon, glat)
    assert moved.max() <= GENERALISE_CELL_M * np.sqrt(2) / 2 + 0.01
    assert moved.mean() > 10  # the doorplate is gone, not only rounded
    x, y = to_metric(glon, glat)
    assert np.allclose((x / GENERALISE_CELL_M) % 1, 0.5, atol=1e-6)
    assert np.allclose((y / GENERALISE_CELL_M) % 1, 0.5, atol=1e-6)


def test_two_doors_in_one_cell_become_one_position_and_nan_stays_nan() -> None:
    x, y = to_metric([98.5], [39.74])
    base_x = (np.floor(x[0] / 100) * 100) + 10
    from geo.crs import from_metric

    lon, lat = from_metric([base_x, base_x + 60], [np.floor(y[0] / 100) * 100 + 20] * 2)
    glon, glat = generalise_positions(np.append(lon, np.nan), np.append(lat, np.nan))
    assert glon[0] == glon[1] and glat[0] == glat[1]
    assert np.isnan(glon[2]) and np.isnan(glat[2])


@pytest.mark.parametrize("cell", [0, -5.0, float("nan")])
def test_a_cell_that_is_not_positive_is_refused(cell: float) -> None:
    with pytest.raises(GeoInputError, match="expected a positive number of metres"):
        generalise_positions([98.5], [39.7], cell_m=cell)


def test_point_collection_keeps_properties_in_order_and_skips_unlocated_points() -> None:
    lon, lat = [98.123456, np.nan, 98.2], [39.7, 39.8, 39.9]
    collection = point_collection(lon, lat, {"c": ["land", "x", "labour"]})
    assert [f["properties"]["c"] for f in collection["features"]] == ["land", "labour"]
    assert collection["features"][0]["geometry"] == {"type": "Point", "coordinates": [98.12346, 39.7]}


def test_point_collection_refuses_properties_of_another_length() -> None:
    with pytest.raises(GeoInputError, match="property 'c' has 1 values for 2 points"):
        point_collection([98.1, 98.2], [39.7, 39.8], {"c": ["land"]})


def test_polygon_collection_rounds_coordinates_and_keeps_only_named_properties() -> None:
    frame = gpd.GeoDataFrame(
        {"count": [3], "secret": ["x"]}, geometry=[shapely.box(98.1234567, 39.1, 98.2, 39.2)], crs=4490
    )
    collection = polygon_collection(frame, ["count"])
    (feature,) = collection["features"]
    assert feature["properties"] == {"count": 3}
    coordinates = np.array(feature["geometry"]["coordinates"][0])
    assert np.allclose(coordinates, np.round(coordinates, 5))
