"""Distance from many points to the nearest of a set of sites: a KD-tree in the metric CRS finds the
nearest site, then the distance to it is measured on the ellipsoid, so band edges are exact to the metre."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree

from geo.crs import geodesic_distance_m, to_metric

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def metric_points(lon: FloatArray, lat: FloatArray) -> FloatArray:
    """Points in the metric CRS as an n x 2 array."""
    return np.column_stack(to_metric(lon, lat))


def nearest_sites(
    lon: FloatArray,
    lat: FloatArray,
    site_lon: FloatArray,
    site_lat: FloatArray,
    *,
    metric: FloatArray | None = None,
) -> tuple[IntArray, FloatArray]:
    """Index of each point's nearest site and the geodesic distance to it in km (-1 and inf with no sites).

    The metric CRS's scale error (< 0.3 % across the city) can only swap two sites whose distances differ
    by less than that; the distance reported is the ellipsoidal one to the site found. `metric` holds the
    points already projected (n x 2), for callers that query several site sets.
    """
    if not len(site_lon):
        return np.full(len(lon), -1, dtype=np.int64), np.full(len(lon), np.inf)
    tree = cKDTree(np.column_stack(to_metric(site_lon, site_lat)))
    _, index = tree.query(np.column_stack(to_metric(lon, lat)) if metric is None else metric, k=1)
    index = np.asarray(index, dtype=np.int64)
    metres = geodesic_distance_m(lon, lat, site_lon[index], site_lat[index])
    return index, np.asarray(metres, dtype=float) / 1000.0
