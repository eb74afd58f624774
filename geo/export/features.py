"""GeoJSON feature collections for maps, built from frames and arrays with coordinates rounded for the
browser, and positions generalised so that a map never hands out a doorplate.

Incident points carry a complainant's location: anyone without the detail right sees them snapped to the
centre of a square cell of `GENERALISE_CELL_M` metres in the city's equal-area CRS, which keeps the
pattern a leader reads from clusters and drops the house a person lives in.
"""

from __future__ import annotations

import itertools
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
    """The frame's polygons and multipolygons (a missing or empty one as null) with `properties` as
    columns (NaN as null), coordinates rounded to `decimals`.

    Written from shapely's ragged arrays: thousands of polygons (H3 cells over a province) take a few
    milliseconds, where GeoJSON text parsed back into Python took hundreds."""
    geometries = np.asarray(frame.geometry.values, dtype=object)
    types = shapely.get_type_id(geometries)
    wrong = sorted(set(types.tolist()) - _POLYGON_TYPES)
    if wrong:
        raise GeoInputError(f"polygon_collection takes polygons and multipolygons, not geometry type(s) "
                            f"{', '.join(shapely.GeometryType(t).name for t in wrong)}")
    shapes = _polygon_coordinates(geometries, decimals)
    single = (types == shapely.GeometryType.POLYGON).tolist()
    columns = {name: frame[name].astype(object).where(frame[name].notna(), None).tolist()
               for name in properties}
    features = [
        {
            "type": "Feature",
            "properties": {name: values[i] for name, values in columns.items()},
            "geometry": None if not parts else (
                {"type": "Polygon", "coordinates": parts[0]} if single[i]
                else {"type": "MultiPolygon", "coordinates": parts}),
        }
        for i, parts in enumerate(shapes)
    ]
    return {"type": "FeatureCollection", "features": features}


_POLYGON_TYPES: Final = {-1, int(shapely.GeometryType.POLYGON), int(shapely.GeometryType.MULTIPOLYGON)}


def _polygon_coordinates(geometries: NDArray[np.object_], decimals: int) -> list[list[list[Any]]]:
    """Per geometry its parts, each a list of rings of rounded [x, y] pairs (no parts: missing or empty)."""
    if not shapely.is_geometry(geometries).any():
        return [[] for _ in geometries]
    kind, coords, offsets = shapely.to_ragged_array(geometries)
    xy = np.round(coords, decimals).tolist()
    ring_points, part_rings = offsets[0], offsets[1]
    if kind == shapely.GeometryType.POLYGON:  # part i is geometry i; an empty one has no rings
        has_rings = np.diff(part_rings) > 0
        geometry_parts = [(i, i + 1 if has_rings[i] else i) for i in range(len(geometries))]
    else:
        geometry_parts = list(itertools.pairwise(offsets[2]))
    return [[[xy[ring_points[r]:ring_points[r + 1]] for r in range(part_rings[p], part_rings[p + 1])]
             for p in range(first, last)] for first, last in geometry_parts]
