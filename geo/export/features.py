"""GeoJSON feature collections for maps, built from frames and arrays with coordinates rounded for the
browser, and positions generalised so that a map never hands out a doorplate.

Incident points carry a complainant's location: anyone without the detail right sees them snapped to the
centre of a square cell of `GENERALISE_CELL_M` metres in the city's equal-area CRS, which keeps the
pattern a leader reads from clusters and drops the house a person lives in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.crs import from_metric, to_metric
from geo.errors import GeoInputError

#: Edge of the cell that incident positions are snapped to for maps without the detail right.
GENERALISE_CELL_M: Final = 100.0
#: 5 decimals of a degree: about 1 m, well under a pixel at the zoom levels the maps use.
MAP_DECIMALS: Final = 5

FloatArray = NDArray[np.float64]


def generalise_positions(
    lon: ArrayLike, lat: ArrayLike, *, cell_m: float = GENERALISE_CELL_M
) -> tuple[FloatArray, FloatArray]:
    """Each position moved to the centre of its `cell_m` square in the metric CRS (NaN stays NaN)."""
    if not cell_m > 0:
        raise GeoInputError(f"generalisation cell {cell_m!r} m: expected a positive number of metres")
    x, y = to_metric(lon, lat)
    snapped_x = (np.floor(x / cell_m) + 0.5) * cell_m
    snapped_y = (np.floor(y / cell_m) + 0.5) * cell_m
    return from_metric(snapped_x, snapped_y)


def point_collection(
    lon: ArrayLike, lat: ArrayLike, properties: Mapping[str, Sequence[Any]], *, decimals: int = MAP_DECIMALS
) -> dict[str, Any]:
    """Points with the given property columns; positions that are not finite are left out."""
    xs = np.round(np.asarray(lon, dtype=float), decimals)
    ys = np.round(np.asarray(lat, dtype=float), decimals)
    columns = {name: list(values) for name, values in properties.items()}
    for name, values in columns.items():
        if len(values) != len(xs):
            raise GeoInputError(f"property {name!r} has {len(values)} values for {len(xs)} points")
    features = [
        {
            "type": "Feature",
            "properties": {name: values[i] for name, values in columns.items()},
            "geometry": {"type": "Point", "coordinates": [float(xs[i]), float(ys[i])]},
        }
        for i in np.flatnonzero(np.isfinite(xs) & np.isfinite(ys))
    ]
    return {"type": "FeatureCollection", "features": features}


def polygon_collection(
    frame: gpd.GeoDataFrame, properties: Sequence[str], *, decimals: int = MAP_DECIMALS
) -> dict[str, Any]:
    """The frame's polygons with `properties` as columns, coordinates rounded to `decimals`."""
    rounded = shapely.set_precision(np.asarray(frame.geometry.values), 10.0**-decimals)
    shown = gpd.GeoDataFrame(frame[list(properties)].copy(), geometry=rounded, crs=frame.crs)
    collection: dict[str, Any] = json.loads(shown.to_json(drop_id=True, na="null"))
    return collection
