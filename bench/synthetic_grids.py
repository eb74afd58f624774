"""Synthetic grids for benchmarks: N Voronoi cells of seeded random points, clipped to Jiuquan's outline.

Like the real grids, they are small and many around the seven county seats (oasis towns) and large in
the desert and pastures: 60 % of the seed points are drawn around the seats, 40 % uniformly over the
city. The same `n` and `seed` give the same grids, row order and codes on every run.
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import shapely

from geo.boundaries.counties import COUNTIES, city_outline, read_counties
from geo.crs import STORAGE_EPSG
from geo.schema import CITY_CODE, Col

_SEAT_SHARE: Final = 0.6
_SEAT_SPREAD_DEG: Final = 0.08  # one standard deviation of latitude around a seat, about 9 km
_COORD_DECIMALS: Final = 7  # about 1 cm, like stored boundaries


def _seed_points(outline: shapely.Geometry, n: int, rng: np.random.Generator) -> np.ndarray:
    """n distinct points strictly inside the outline."""
    shapely.prepare(outline)
    west, south, east, north = outline.bounds
    seats = np.array([(c.seat_lon, c.seat_lat) for c in COUNTIES])
    accepted: list[np.ndarray] = []
    count = 0
    while count < n:
        batch = 2 * (n - count) + 64
        near_seat = rng.random(batch) < _SEAT_SHARE
        seat = seats[rng.integers(0, len(seats), batch)]
        spread = rng.normal(0.0, _SEAT_SPREAD_DEG, (batch, 2)) * np.array([1.3, 1.0])
        uniform = np.column_stack([rng.uniform(west, east, batch), rng.uniform(south, north, batch)])
        xy = np.round(np.where(near_seat[:, None], seat + spread, uniform), _COORD_DECIMALS)
        xy = xy[shapely.contains_xy(outline, xy[:, 0], xy[:, 1])]
        accepted.append(xy)
        count += len(xy)
    xy = np.unique(np.concatenate(accepted), axis=0)  # sorted, so shuffle before cutting to n
    return xy[rng.permutation(len(xy))[:n]]


def synthetic_grids(n: int, *, seed: int = 0) -> gpd.GeoDataFrame:
    """n grids with 15-digit codes (shuffled, so the lowest code is not the first row) as a valid coverage."""
    rng = np.random.default_rng(seed)
    outline = city_outline(read_counties())
    xy = _seed_points(outline, n, rng)
    cells = shapely.voronoi_polygons(shapely.multipoints(xy), extend_to=outline, ordered=True)
    cells = shapely.get_parts(cells)
    grids = shapely.set_precision(shapely.intersection(cells, outline), 10.0**-_COORD_DECIMALS)
    codes = [f"{CITY_CODE}{number:09d}" for number in rng.permutation(n) + 1]
    frame = gpd.GeoDataFrame(
        {Col.CODE: codes, "seed_lon": xy[:, 0], "seed_lat": xy[:, 1]}, geometry=grids, crs=STORAGE_EPSG
    )
    return frame
