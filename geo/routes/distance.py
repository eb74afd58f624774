"""Travel distances between stops. There is no road network offline, so the default is the ellipsoidal
distance times a detour factor per travel mode.

The terrain rule behind the factors: in the Qilian and Altun foothills horses follow valleys and passes,
so a ride is about a quarter longer than the straight line (1.25); vehicles keep to the herders' dirt
tracks, which wind around ridges and gullies (1.45). Both are planning figures to be replaced by measured
ones. A road or track network (for example an OSM extract through OSMnx) replaces this module by passing
its own `DistanceMatrix` to the planner.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Final

import numpy as np
import pyproj
from numpy.typing import NDArray


class TravelMode(StrEnum):
    HORSEBACK = "horseback"
    VEHICLE = "vehicle"


#: Route length over straight-line (ellipsoidal) length, per mode (see the module's terrain rule).
DETOUR_FACTOR: Final[dict[TravelMode, float]] = {TravelMode.HORSEBACK: 1.25, TravelMode.VEHICLE: 1.45}

#: (lon, lat, mode) -> metres along the way from point i to point j, an (n, n) array.
DistanceMatrix = Callable[[NDArray[np.float64], NDArray[np.float64], TravelMode], NDArray[np.float64]]

_GEOD: Final = pyproj.Geod(ellps="GRS80")  # the CGCS2000 ellipsoid


def geodesic_matrix(
    lon: NDArray[np.float64], lat: NDArray[np.float64], mode: TravelMode
) -> NDArray[np.float64]:
    """Ellipsoidal distance between every pair of points, times the mode's detour factor, in metres."""
    lon, lat = np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
    n = len(lon)
    rows, cols = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    _, _, metres = _GEOD.inv(lon[rows.ravel()], lat[rows.ravel()], lon[cols.ravel()], lat[cols.ravel()])
    return np.asarray(metres, dtype=np.float64).reshape(n, n) * DETOUR_FACTOR[mode]


def path_length_m(lon: NDArray[np.float64], lat: NDArray[np.float64]) -> float:
    """Length of a path on the ellipsoid (no detour: a GPS track is the way actually taken)."""
    if len(lon) < 2:
        return 0.0
    return float(_GEOD.line_length(np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)))

