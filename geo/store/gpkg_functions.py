"""The SQL functions a GeoPackage's R-tree triggers call (ST_IsEmpty, ST_MinX, ...), for a plain sqlite3
connection: GDAL registers them in its own connections, and every insert into a spatial table fires them.

They read the GeoPackage geometry header (GeoPackage 1.4, clause 2.1.3): "GP", version, flags, srs id,
an optional envelope, then the geometry as ISO WKB.
"""

from __future__ import annotations

import functools
import math
import sqlite3
import struct
from collections.abc import Callable

import shapely

_HEADER = 8
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_EMPTY_FLAG = 0x10
_NO_BOUNDS = (math.nan, math.nan, math.nan, math.nan)


@functools.lru_cache(maxsize=4)
def _bounds(blob: bytes) -> tuple[float, float, float, float]:
    """(min x, max x, min y, max y) of a GeoPackage geometry blob; the four calls of one trigger share
    one parse through the cache."""
    if len(blob) < _HEADER or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    if flags & _EMPTY_FLAG:
        return _NO_BOUNDS
    order = "<" if flags & 1 else ">"
    envelope = (flags >> 1) & 0b111
    if envelope not in _ENVELOPE_BYTES:
        raise ValueError(f"GeoPackage envelope code {envelope} is not defined")
    if envelope:
        min_x, max_x, min_y, max_y = struct.unpack_from(f"{order}4d", blob, _HEADER)
        return (min_x, max_x, min_y, max_y)
    geometry = shapely.from_wkb(blob[_HEADER + _ENVELOPE_BYTES[envelope]:])
    if geometry.is_empty:
        return _NO_BOUNDS
    x_min, y_min, x_max, y_max = geometry.bounds
    return (x_min, x_max, y_min, y_max)


def _is_empty(blob: bytes | None) -> int | None:
    if blob is None:
        return None
    return int(math.isnan(_bounds(bytes(blob))[0]))


def _bound(position: int) -> Callable[[bytes | None], float | None]:
    def bound(blob: bytes | None) -> float | None:
        if blob is None:
            return None
        value = _bounds(bytes(blob))[position]
        return None if math.isnan(value) else value
    return bound


def register_geometry_functions(connection: sqlite3.Connection) -> None:
    """Give `connection` the functions the R-tree triggers of GDAL-made GeoPackages call."""
    connection.create_function("ST_IsEmpty", 1, _is_empty, deterministic=True)
    for position, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        connection.create_function(name, 1, _bound(position), deterministic=True)
