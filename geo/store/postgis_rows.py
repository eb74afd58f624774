"""Frames to PostgreSQL rows and back, so that a layer read from PostGIS equals the one read from the
GeoPackage it came from: the same columns, dtypes, nulls and geometry (EPSG:4490). Datetimes are
`timestamptz` (an instant), naive local times above the store as in geo.store.local_times; a
`timestamp` column is one of a store of schema 1, read as the local time it holds."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import STORAGE_EPSG
from geo.store.local_times import local_of_utc, utc_of_local

GEOMETRY: Final = "geometry"
#: PostgreSQL's type for each kind of pandas column; anything else is stored as text.
_TYPES: Final = {"b": "boolean", "i": "bigint", "u": "bigint", "f": "double precision", "M": "timestamptz"}
#: Integer widths GDAL reads back (OFTInteger is 32 bits, OFTInteger64 64).
_INTEGERS: Final = {1: "integer", 2: "integer", 4: "integer"}


def column_types(frame: pd.DataFrame) -> dict[str, str]:
    """Column -> PostgreSQL type for the frame's attributes (the geometry column is typed apart)."""
    types = {}
    for column in frame.columns:
        if column == GEOMETRY and isinstance(frame, gpd.GeoDataFrame):
            continue
        dtype = frame[column].dtype
        small = dtype.kind in "iu" and dtype.itemsize < 8 and not (dtype.kind == "u" and dtype.itemsize == 4)
        types[str(column)] = _INTEGERS[dtype.itemsize] if small else _TYPES.get(dtype.kind, "text")
    return types


def _cell(value: Any, kind: str) -> Any:
    if value is None or value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    if kind == "text":
        return str(value)
    if kind in ("timestamp", "timestamptz"):
        return pd.Timestamp(value).to_pydatetime()
    if kind in ("bigint", "integer"):
        return int(value)
    if kind == "double precision":
        return float(value)
    return bool(value)


def rows_of(frame: pd.DataFrame, types: dict[str, str]) -> Iterator[tuple[Any, ...]]:
    """The frame's rows for COPY: attributes in `types` order, then the geometry as hex EWKB."""
    columns = [(utc_of_local(frame[name]) if kind == "timestamptz" else frame[name]).to_numpy(dtype=object)
               for name, kind in types.items()]
    kinds = list(types.values())
    geometry: Sequence[Any] | None = None
    if isinstance(frame, gpd.GeoDataFrame) and GEOMETRY in frame.columns:
        with_srid = shapely.set_srid(frame.geometry.to_numpy(), STORAGE_EPSG)
        geometry = shapely.to_wkb(with_srid, hex=True, include_srid=True)
    for index in range(len(frame)):
        cells = tuple(_cell(values[index], kind) for values, kind in zip(columns, kinds, strict=True))
        yield (*cells, geometry[index]) if geometry is not None else cells


def frame_of(
    records: list[tuple[Any, ...]], names: list[str], types: dict[str, str], geometry: bool
) -> pd.DataFrame:
    """Rows read back (the geometry, when there is one, last as WKB) as the frame GDAL would give."""
    data: dict[str, Any] = {}
    for position, name in enumerate(names):
        values = [record[position] for record in records]
        kind = types[name]
        has_null = any(v is None for v in values)
        if kind == "timestamptz":
            instants = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce", utc=True)
            data[name] = local_of_utc(instants).astype("datetime64[ms]")
        elif kind == "timestamp":
            stamps = pd.to_datetime(pd.Series(values, dtype=object), errors="coerce")
            data[name] = stamps.astype("datetime64[ms]")
        elif kind == "double precision" or (kind in ("bigint", "integer") and has_null):
            data[name] = pd.Series(values, dtype="float64")
        elif kind in ("bigint", "integer"):
            data[name] = pd.Series(values, dtype="int64" if kind == "bigint" else "int32")
        elif kind == "boolean" and not has_null:
            data[name] = pd.Series(values, dtype=bool)
        elif kind == "text" and not all(v is None for v in values):
            data[name] = pd.Series(values, dtype="str")  # pandas' own string dtype, as GDAL reads give
        else:
            data[name] = pd.Series(values, dtype=object)
    frame = pd.DataFrame(data, columns=names)
    if not geometry:
        return frame
    shapes = shapely.from_wkb([record[-1] for record in records]) if records else []
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(shapes, crs=STORAGE_EPSG), crs=STORAGE_EPSG)
