"""Area geometry prepared for the browser: one small GeoJSON per boundary version and level.

Each level is simplified as one coverage with `shapely.coverage_simplify`, so two neighbours keep the
same simplified edge; simplifying polygon by polygon would move each side of a shared edge differently
and open slivers. Coordinates are then rounded to 5 decimals (about 1 m), identically on both sides of
every shared edge, so the result is still a valid coverage (where rounding to 5 decimals would make two
areas cross, the level keeps 6 or 7 decimals instead).

The tolerance of a level is one screen pixel at the deepest zoom where that level is drawn, expressed in
degrees of latitude at 40°N (a Web Mercator pixel there is 156543 m × cos 40° / 2**zoom):

============  ===========  ==========  ===============
level         drawn up to  1 px (m)    tolerance (deg)
============  ===========  ==========  ===============
city          zoom 9       234         0.0021
county        zoom 10      117         0.00105
township      zoom 11      59          0.00053
village       zoom 12      29          0.00026
grid          zoom 13      15          0.00013
micro_grid    zoom 15      3.7         0.000033
============  ===========  ==========  ===============

The tolerance is the square root of the smallest triangle area Visvalingam-Whyatt keeps, not a distance
bound, so the error was measured: the Hausdorff distance between stored and simplified polygons is at most
1.0 px for Jiuquan's real counties at zoom 10 (14,104 -> 6,470 vertices) and 0.5-0.8 px for the city
outline and generated townships and grids at their zooms, within the 1.5 px budget. A degree of longitude
is shorter than a degree of latitude, so east-west errors are smaller still.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping

from geo.errors import InvalidCoverageError, StoreError
from geo.files import write_text_atomically
from geo.schema import Col, Layer, Level, as_level
from geo.store import Store

_METRES_PER_PX_AT_ZOOM0: Final = 156_543.03 * math.cos(math.radians(40.0))
_METRES_PER_DEGREE_LAT: Final = 111_000.0

#: Deepest zoom at which each level is drawn; its tolerance is one pixel there.
DRAWN_UP_TO_ZOOM: Final[dict[Level, int]] = {
    Level.CITY: 9,
    Level.COUNTY: 10,
    Level.TOWNSHIP: 11,
    Level.VILLAGE: 12,
    Level.GRID: 13,
    Level.MICRO_GRID: 15,
}

#: Simplification tolerance in degrees per level (see the module docstring).
TOLERANCE_DEG: Final[dict[Level, float]] = {
    level: _METRES_PER_PX_AT_ZOOM0 / 2**zoom / _METRES_PER_DEGREE_LAT
    for level, zoom in DRAWN_UP_TO_ZOOM.items()
}

COORDINATE_DECIMALS: Final = 5  # about 1.1 m north-south, 0.85 m east-west at 40°N
#: Areas with vertices closer than a metre (slivers, tiny grids) can cross their neighbours once rounded
#: to 5 decimals; such a level keeps one or two more decimals rather than stop the map.
MAX_COORDINATE_DECIMALS: Final = 7

#: Bumped whenever simplification or rounding changes, so cached files from the old scheme are not reused.
_SCHEME: Final = "s1"
_PROPERTIES: Final = (Col.CODE, Col.NAME, Col.LEVEL, Col.PARENT_CODE)
_SAFE_TAG: Final = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def _read_level(store: Store, level: Level, version_id: str | None) -> pd.DataFrame:
    """Rows of one level: of `version_id`, or the current ones (no valid_to) when it is None."""
    frame = store.read_areas(levels=[level], version_id=version_id)
    if len(frame):
        return frame
    every_version = store.read_areas(levels=[level], current=False)
    versions = ", ".join(sorted(map(str, every_version[Col.VERSION_ID].unique()))) or "none"
    wanted = f"version {version_id!r}" if version_id else "a current version (valid_to empty)"
    raise StoreError(
        f"{store!r} layer {Layer.AREAS.value!r}: no {level} areas of {wanted}; {level} versions: {versions}"
    )


def _simplified(geometries: np.ndarray, level: Level, codes: list[str]) -> np.ndarray:
    simple = shapely.coverage_simplify(geometries, TOLERANCE_DEG[level])
    for decimals in range(COORDINATE_DECIMALS, MAX_COORDINATE_DECIMALS + 1):
        rounded = shapely.transform(simple, lambda xy, d=decimals: np.round(xy, d))
        if shapely.coverage_is_valid(rounded) and bool(shapely.is_valid(rounded).all()):
            return rounded
    edges = shapely.coverage_invalid_edges(rounded)
    broken = [code for code, edge in zip(codes, edges, strict=True) if not shapely.is_empty(edge)]
    broken += [code for code, ok in zip(codes, shapely.is_valid(rounded), strict=True) if not ok]
    raise InvalidCoverageError(
        f"{Layer.AREAS}/{level}",
        [f"area {code} does not fit its neighbours after simplification" for code in sorted(set(broken))]
        or ["the stored level is not a valid coverage"],
    )


def _feature_collection(frame: pd.DataFrame, geometries: np.ndarray) -> dict[str, Any]:
    features = []
    for record, geometry in zip(frame[list(_PROPERTIES)].to_dict("records"), geometries, strict=True):
        properties = {str(key): (None if pd.isna(value) else str(value)) for key, value in record.items()}
        features.append({"type": "Feature", "properties": properties, "geometry": mapping(geometry)})
    return {"type": "FeatureCollection", "features": features}


def _collection_from_frame(frame: pd.DataFrame, level: Level) -> dict[str, Any]:
    frame = frame.sort_values(Col.CODE, kind="stable").reset_index(drop=True)
    codes = [str(code) for code in frame[Col.CODE]]
    geometries = _simplified(np.asarray(frame.geometry.values), level, codes)
    return _feature_collection(frame, geometries)


def area_geojson(store: Store, level: Level | str, *, version_id: str | None = None) -> dict[str, Any]:
    """The areas of one level as a GeoJSON FeatureCollection for the browser.

    Parameters
    ----------
    store
        Store holding the ``areas`` layer.
    level
        One of `geo.schema.Level`.
    version_id
        Boundary version to draw; by default the current areas (those without ``valid_to``).

    Returns
    -------
    A FeatureCollection sorted by code whose properties are code, name, level and parent_code only,
    simplified for the zoom where the level is drawn (see the module docstring).
    """
    checked = as_level(level)
    return _collection_from_frame(_read_level(store, checked, version_id), checked)


def _version_tag(version_ids: list[str]) -> str:
    """A file-name-safe tag for the boundary version(s) a level's rows come from."""
    if len(version_ids) == 1 and _SAFE_TAG.match(version_ids[0]):
        return version_ids[0]
    return "v" + hashlib.sha256("\n".join(version_ids).encode("utf-8")).hexdigest()[:16]


def area_geojson_file(
    store: Store, level: Level | str, cache_dir: str | os.PathLike[str], *, version_id: str | None = None
) -> Path:
    """`area_geojson` written once per (boundary version, level) into `cache_dir`; returns the file's path.

    The file name carries the version, so a new boundary version gets a new file (and a new URL that a
    browser may cache forever), while the same version reuses the file instead of simplifying again.
    """
    checked = as_level(level)
    frame = _read_level(store, checked, version_id)
    tag = _version_tag(sorted(str(v) for v in frame[Col.VERSION_ID].unique()))
    directory = Path(cache_dir)
    path = directory / f"areas-{checked}-{tag}-{_SCHEME}.geojson"
    if path.is_file():
        return path
    directory.mkdir(parents=True, exist_ok=True)
    collection = _collection_from_frame(frame, checked)
    write_text_atomically(path, json.dumps(collection, ensure_ascii=False, separators=(",", ":")))
    return path
