"""Where in its grid each demo dispute happened.

Most sit at a doorplate of the grid with the GPS noise of their channel; traffic and field disputes,
and part of the app and mini-program reports, lie anywhere in the grid, half of them around a local
cluster. Hotline callers always name a doorplate (or, where the grid has none, their village).
"""

from __future__ import annotations

from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.demo.addresses import sample_points
from geo.demo.incident_draws import CATEGORIES
from geo.schema import Col, IncidentCategory, IncidentSource

_JITTER_M: Final = {IncidentSource.APP: 8.0, IncidentSource.HOTLINE: 25.0, IncidentSource.MINIPROGRAM: 15.0}
_FREE_SHARE: Final = {IncidentSource.APP: 0.25, IncidentSource.HOTLINE: 0.0, IncidentSource.MINIPROGRAM: 0.35}
_METRES_PER_DEGREE: Final = 111_320.0


def _grid_address_index(
    addresses: gpd.GeoDataFrame, grid_codes: NDArray[np.str_]
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]:
    """Address rows sorted by grid, and the start and count of each grid's run."""
    order = np.argsort(addresses[Col.GRID_CODE].to_numpy(dtype=str), kind="stable")
    sorted_codes = addresses[Col.GRID_CODE].to_numpy(dtype=str)[order]
    start = np.searchsorted(sorted_codes, grid_codes, side="left")
    stop = np.searchsorted(sorted_codes, grid_codes, side="right")
    return order, start, stop - start


def dispute_positions(
    rng: np.random.Generator, disputes: pd.DataFrame, grids: gpd.GeoDataFrame, addresses: gpd.GeoDataFrame
) -> pd.DataFrame:
    """True position of each dispute, and the doorplate it is tied to (-1 when none)."""
    polygons = grids.geometry.to_numpy()
    order, start, count = _grid_address_index(addresses, grids[Col.CODE].to_numpy(dtype=str))
    grid = disputes["grid"].to_numpy()
    channel = disputes["channel"].to_numpy()
    free_share = np.array([_FREE_SHARE[IncidentSource(c)] for c in channel])
    outdoor = np.isin(disputes["category"].to_numpy(), [CATEGORIES.index(IncidentCategory.TRAFFIC)])
    field = disputes["category"].to_numpy() == CATEGORIES.index(IncidentCategory.LAND)
    free_share = np.where(outdoor, 0.9, np.where(field, np.maximum(free_share, 0.5), free_share))
    free_share = np.where(channel == IncidentSource.HOTLINE.value, 0.0, free_share)
    free = (rng.random(len(grid)) < free_share) | (count[grid] == 0)
    address = np.full(len(grid), -1)
    tied = np.flatnonzero(~free)
    address[tied] = order[start[grid[tied]] + np.floor(rng.random(len(tied)) * count[grid[tied]]).astype(int)]
    x, y = np.full(len(grid), np.nan), np.full(len(grid), np.nan)
    ax = addresses.geometry.x.to_numpy()[address[tied]]
    ay = addresses.geometry.y.to_numpy()[address[tied]]
    metres = np.array([_JITTER_M[IncidentSource(c)] for c in channel[tied]])
    jx = ax + rng.normal(0, 1, len(tied)) * metres / (_METRES_PER_DEGREE * np.cos(np.radians(ay)))
    jy = ay + rng.normal(0, 1, len(tied)) * metres / _METRES_PER_DEGREE
    keep = shapely.contains_xy(polygons[grid[tied]], jx, jy)
    x[tied], y[tied] = np.where(keep, jx, ax), np.where(keep, jy, ay)
    # Free positions: half cluster around a spot of their grid, half anywhere in it.
    spot_x, spot_y = sample_points(polygons, rng)
    size = np.sqrt(shapely.area(shapely.envelope(polygons)))
    loose = np.flatnonzero(free)
    clustered = loose[rng.random(len(loose)) < 0.5]
    uniform = np.setdiff1d(loose, clustered)
    g = grid[clustered]
    x[clustered], y[clustered] = sample_points(
        polygons[g], rng, near=(spot_x[g], spot_y[g]), spread=0.2 * size[g]
    )
    x[uniform], y[uniform] = sample_points(polygons[grid[uniform]], rng)
    return pd.DataFrame({"x": x, "y": y, "address": address})
