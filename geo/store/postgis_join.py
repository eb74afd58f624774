"""The grid join run inside PostGIS: each point to the current grid that covers it (`ST_Covers`, so a
point on a shared edge is in both), the lowest code winning, as `geo.intake.join` decides in Python."""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from geo.crs import STORAGE_EPSG
from geo.schema import Col, Layer, Level
from geo.store.postgis import PostGISStore

#: Points sent per query: keeps each statement's arrays to a few MB.
_BATCH: Final = 200_000

_QUERY: Final = f"""
SELECT min(a.{Col.CODE.value})
FROM unnest(%s::float8[], %s::float8[]) WITH ORDINALITY AS p(lon, lat, i)
LEFT JOIN {Layer.AREAS.value} a
  ON a.{Col.LEVEL.value} = %s AND a.{Col.VALID_TO.value} IS NULL
 AND ST_Covers(a.geometry, ST_SetSRID(ST_MakePoint(p.lon, p.lat), {STORAGE_EPSG}))
GROUP BY p.i ORDER BY p.i
"""


def grid_codes_in_database(store: PostGISStore, lon: ArrayLike, lat: ArrayLike) -> NDArray[np.object_]:
    """The current grid code of each lon/lat point (EPSG:4490 degrees), "" where no grid covers it or the
    position is missing; the GiST index on the areas picks the candidates."""
    x = np.asarray(lon, dtype=float).ravel()
    y = np.asarray(lat, dtype=float).ravel()
    codes = np.empty(len(x), dtype=object)
    store.read_check(Layer.AREAS.value)
    with store.reading() as cursor:
        for start in range(0, len(x), _BATCH):
            part = slice(start, start + _BATCH)
            cursor.execute(_QUERY, ([None if np.isnan(v) else float(v) for v in x[part]],
                                    [None if np.isnan(v) else float(v) for v in y[part]], Level.GRID.value))
            codes[part] = [code or "" for (code,) in cursor.fetchall()]
    return codes
