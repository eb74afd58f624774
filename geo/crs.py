"""Coordinate systems: WGS84, CGCS2000, GCJ-02, BD-09 and the metric CRS used for areas and distances.

GCJ-02 (used by Amap and WeChat) and BD-09 (Baidu) are not EPSG systems but published obfuscations of
WGS84. Their forward formulas are closed-form; the inverses have no closed form, so they are solved by
fixed-point iteration until the forward image matches to 1e-9 degrees (about 0.1 mm).

CGCS2000 (EPSG:4490) and WGS84 (EPSG:4326) agree to a few centimetres, far below any geocoding
accuracy, so they are treated as the same datum; both are accepted as names.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Final, TypeVar

import numpy as np
import pyproj
import shapely
from numpy.typing import ArrayLike, NDArray

from geo.errors import GeoInputError, UnknownCRSError

FloatArray = NDArray[np.float64]
GeometryT = TypeVar("GeometryT", shapely.Geometry, NDArray[np.object_])

#: Storage CRS of every layer in a store.
STORAGE_EPSG: Final = 4490

#: Albers equal-area conic fitted to Jiuquan (standard parallels bracket the city, 38.3-42.8 N), on the
#: CGCS2000 ellipsoid. Areas are exact; distance scale error stays under 0.3 % across the city, which is
#: fine for heat-map bandwidths and grid sizes. Use `geodesic_distance_m` where metres must be exact.
METRIC_CRS: Final = pyproj.CRS.from_proj4(
    "+proj=aea +lat_0=40 +lon_0=96.5 +lat_1=39 +lat_2=42 +ellps=GRS80 +units=m +no_defs +type=crs"
)

_GCJ_A: Final = 6378245.0  # semi-major axis of the Krasovsky ellipsoid the obfuscation uses
_GCJ_EE: Final = 0.00669342162296594323
_BD_K: Final = np.pi * 3000.0 / 180.0
_INVERSE_TOLERANCE_DEG: Final = 1e-9
_INVERSE_MAX_STEPS: Final = 40

# GCJ-02 is only applied inside mainland China's bounding box; outside it, coordinates pass unchanged.
_CHINA_BBOX: Final = (72.004, 0.8293, 137.8347, 55.8271)


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)


def _in_china(lon: FloatArray, lat: FloatArray) -> NDArray[np.bool_]:
    west, south, east, north = _CHINA_BBOX
    return (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)


def _gcj_shift(lon: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Offset in degrees that GCJ-02 adds to a WGS84 position."""
    x = lon - 105.0
    y = lat - 35.0
    pi = np.pi
    periodic_x = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    d_lat = (
        -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
        + periodic_x
        + (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    )
    d_lon = (
        300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
        + periodic_x
        + (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    )
    rad_lat = lat / 180.0 * pi
    magic = 1.0 - _GCJ_EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = d_lat * 180.0 / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * sqrt_magic) * pi)
    d_lon = d_lon * 180.0 / (_GCJ_A / sqrt_magic * np.cos(rad_lat) * pi)
    inside = _in_china(lon, lat)
    return np.where(inside, d_lon, 0.0), np.where(inside, d_lat, 0.0)


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    lon_a, lat_a = _as_arrays(lon, lat)
    d_lon, d_lat = _gcj_shift(lon_a, lat_a)
    return lon_a + d_lon, lat_a + d_lat


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x, y = _as_arrays(lon, lat)
    radius = np.hypot(x, y) + 0.00002 * np.sin(y * _BD_K)
    angle = np.arctan2(y, x) + 0.000003 * np.cos(x * _BD_K)
    return radius * np.cos(angle) + 0.0065, radius * np.sin(angle) + 0.006


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


Forward = Callable[[FloatArray, FloatArray], tuple[FloatArray, FloatArray]]


def _invert(forward: Forward, lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Solve forward(x) = target by fixed-point iteration; the forward map is identity plus a small,
    slowly varying offset, so x <- x - (forward(x) - target) converges in a few steps."""
    target_lon, target_lat = _as_arrays(lon, lat)
    x_lon, x_lat = target_lon.copy(), target_lat.copy()
    for _ in range(_INVERSE_MAX_STEPS):
        f_lon, f_lat = forward(x_lon, x_lat)
        err_lon, err_lat = f_lon - target_lon, f_lat - target_lat
        x_lon, x_lat = x_lon - err_lon, x_lat - err_lat
        worst = np.nanmax(np.abs(np.concatenate([np.ravel(err_lon), np.ravel(err_lat)])), initial=0.0)
        if worst < _INVERSE_TOLERANCE_DEG:
            break
    return x_lon, x_lat


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return _invert(wgs84_to_gcj02, lon, lat)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return _invert(gcj02_to_bd09, lon, lat)


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return _invert(wgs84_to_bd09, lon, lat)


def _identity(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    return _as_arrays(lon, lat)


# name -> (to WGS84, from WGS84)
_CONVERTERS: Final[dict[str, tuple[Forward, Forward]]] = {
    "wgs84": (_identity, _identity),
    "cgcs2000": (_identity, _identity),
    "gcj02": (gcj02_to_wgs84, wgs84_to_gcj02),
    "bd09": (bd09_to_wgs84, wgs84_to_bd09),
}
_ALIASES: Final = {"epsg:4326": "wgs84", "epsg:4490": "cgcs2000", "gcj-02": "gcj02", "bd-09": "bd09"}

#: Names accepted wherever an input declares its CRS.
CRS_NAMES: Final = tuple(_CONVERTERS)


def normalise_crs_name(name: object) -> str:
    """The canonical name for a declared CRS; raises UnknownCRSError listing the allowed names."""
    key = str(name).strip().lower()
    key = _ALIASES.get(key, key)
    if key not in _CONVERTERS:
        raise UnknownCRSError(name, (*CRS_NAMES, *_ALIASES))
    return key


def to_wgs84(lon: ArrayLike, lat: ArrayLike, crs: str) -> tuple[FloatArray, FloatArray]:
    """Convert positions declared in `crs` (see CRS_NAMES) to WGS84/CGCS2000 degrees."""
    return _CONVERTERS[normalise_crs_name(crs)][0](*_as_arrays(lon, lat))


def from_wgs84(lon: ArrayLike, lat: ArrayLike, crs: str) -> tuple[FloatArray, FloatArray]:
    """Convert WGS84/CGCS2000 degrees to `crs` (see CRS_NAMES)."""
    return _CONVERTERS[normalise_crs_name(crs)][1](*_as_arrays(lon, lat))


_TO_METRIC: Final = pyproj.Transformer.from_crs(STORAGE_EPSG, METRIC_CRS, always_xy=True)
_FROM_METRIC: Final = pyproj.Transformer.from_crs(METRIC_CRS, STORAGE_EPSG, always_xy=True)
_GEOD: Final = pyproj.Geod(ellps="GRS80")


def to_metric(lon: ArrayLike, lat: ArrayLike) -> tuple[FloatArray, FloatArray]:
    x, y = _TO_METRIC.transform(*_as_arrays(lon, lat))
    return np.asarray(x), np.asarray(y)


def from_metric(x: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    lon, lat = _FROM_METRIC.transform(*_as_arrays(x, y))
    return np.asarray(lon), np.asarray(lat)


def to_metric_geometry(geometry: GeometryT) -> GeometryT:
    """A shapely geometry, or an array of them, in the metric CRS (for areas and distances in metres)."""
    return shapely.transform(geometry, lambda xy: np.column_stack(to_metric(xy[:, 0], xy[:, 1])))


def geodesic_distance_m(
    lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike
) -> FloatArray:
    """Exact ellipsoidal distance in metres."""
    _, _, dist = _GEOD.inv(*_as_arrays(lon1, lat1), *_as_arrays(lon2, lat2))
    return np.asarray(dist)


def gauss_kruger_epsg(lon: float) -> int:
    """EPSG code of the CGCS2000 3-degree Gauss-Kruger zone (with zone prefix) containing `lon`.

    A longitude on a zone edge (an odd multiple of 1.5) belongs to the zone east of it.
    """
    # floor(x + 0.5), not round(): round() is half-to-even, which would send 97.5E west but 100.5E east.
    zone = math.floor(lon / 3.0 + 0.5) if math.isfinite(lon) else 0
    if not 25 <= zone <= 45:
        raise GeoInputError(
            f"longitude {lon} has no CGCS2000 3-degree zone: allowed 73.5 <= longitude < 136.5 (zones 25-45)"
        )
    return 4488 + zone
