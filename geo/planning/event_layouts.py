"""Temporary event-security layouts (the seed's "temporary" grid mode): a named event with start and end
dates, and temporary grids each with its police station, the grid it lies in and the unit responsible.
A layout is checked as a whole (every problem listed, nothing saved when there is one), kept in its own
layer beside the normal grids, and in force only between its dates.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from numpy.typing import NDArray

from geo.boundaries.coverage_checks import coverage_faults
from geo.crs import STORAGE_EPSG
from geo.errors import GeoInputError
from geo.schema import Col, EventCol, Layer, Level
from geo.store import Store

COLUMNS = (EventCol.EVENT_ID, EventCol.EVENT_NAME, EventCol.STARTS_ON, EventCol.ENDS_ON, EventCol.TEMP_CODE,
           EventCol.POLICE_STATION, Col.GRID_CODE, EventCol.RESPONSIBLE_UNIT, Col.GEOMETRY)
_NEEDED = (EventCol.TEMP_CODE, EventCol.POLICE_STATION, EventCol.RESPONSIBLE_UNIT)


class EventLayoutError(GeoInputError):
    """A layout with problems; `problems` holds every one."""

    def __init__(self, name: str, problems: list[str]) -> None:
        shown = "; ".join(problems)
        super().__init__(f"event layout {name!r} not saved, {len(problems)} problem(s): {shown}")
        self.problems = problems


def event_layout(
    features: gpd.GeoDataFrame, grids: gpd.GeoDataFrame, *, name: str, starts: date, ends: date
) -> gpd.GeoDataFrame:
    """The temporary grids of `features` (temp_code, police_station, responsible_unit, polygons) as rows of
    the event_layouts layer, each with the current grid it lies in most; EventLayoutError lists every
    problem (a missing field, an invalid or overlapping polygon, a grid outside every current grid)."""
    problems = [] if name.strip() else ["the event needs a name"]
    if ends < starts:
        problems.append(f"it ends ({ends}) before it starts ({starts})")
    if features.crs is None:
        raise EventLayoutError(name, [*problems, "the layer declares no CRS"])
    shown = features.to_crs(STORAGE_EPSG).reset_index(drop=True)
    for column in _NEEDED:
        if column not in shown:
            problems.append(f"no {column} column")
            shown[column] = ""
    for number, row in enumerate(shown.itertuples(index=False), 1):
        missing = [c for c in _NEEDED if pd.isna(getattr(row, c)) or not str(getattr(row, c)).strip()]
        if missing:
            problems.append(f"feature {number}: no {', '.join(missing)}")
    codes = shown[EventCol.TEMP_CODE].astype(str)
    repeated = sorted(set(codes[codes.duplicated()]))
    problems += [f"{code}: temp_code appears more than once" for code in repeated]
    problems += [f"{code}: {what}" for code, what, _ in coverage_faults(codes, shown.geometry.to_numpy())]
    inside = _grid_of(shown.geometry.to_numpy(), grids)
    problems += [f"{code}: lies outside every current grid" for code, grid in zip(codes, inside, strict=True)
                 if not grid]
    if problems:
        raise EventLayoutError(name, problems)
    rows = shown.assign(**{EventCol.EVENT_ID: f"{starts.isoformat()}-{name.strip()}",
                           EventCol.EVENT_NAME: name.strip(), EventCol.STARTS_ON: starts.isoformat(),
                           EventCol.ENDS_ON: ends.isoformat(), Col.GRID_CODE: inside})
    return gpd.GeoDataFrame(rows[list(COLUMNS)], geometry=Col.GEOMETRY, crs=STORAGE_EPSG)


def _grid_of(shapes: NDArray[np.object_], grids: gpd.GeoDataFrame) -> list[str]:
    """The code of the grid holding most of each shape ("" when none holds any of it)."""
    tree = shapely.STRtree(grids.geometry.values)
    found = []
    for shape in shapes:
        near = tree.query(shape, predicate="intersects")
        shares = shapely.area(shapely.intersection(grids.geometry.values[near], shape))
        held = len(near) and shares.max() > 0
        found.append(str(grids[Col.CODE].iloc[near[shares.argmax()]]) if held else "")
    return found


def read_event_file(path: str | Path) -> gpd.GeoDataFrame:
    """A GeoPackage, GeoJSON or Shapefile layer of temporary grids, as drawn in QGIS."""
    try:
        return gpd.read_file(path)
    except Exception as error:  # pyogrio's errors name the file and what it could not read
        raise GeoInputError(f"{path}: cannot be read as a layer of temporary grids ({error})") from error


def save_event_layout(store: Store, layout: gpd.GeoDataFrame) -> int:
    """Add `layout` to the event_layouts layer in one write; refused when an event of that id exists."""
    with store.writing():
        kept = read_event_layouts(store)
        event_id = str(layout[EventCol.EVENT_ID].iloc[0])
        if (kept[EventCol.EVENT_ID] == event_id).any():
            raise GeoInputError(f"event {event_id}: already saved; give the event another name or start")
        frame = gpd.GeoDataFrame(pd.concat([kept, layout], ignore_index=True), geometry=Col.GEOMETRY,
                                 crs=STORAGE_EPSG)
        store.write({Layer.EVENT_LAYOUTS.value: frame}, mode="replace")
    return len(layout)


def read_event_layouts(store: Store) -> gpd.GeoDataFrame:
    if Layer.EVENT_LAYOUTS.value not in store.layers():
        return gpd.GeoDataFrame(columns=list(COLUMNS), geometry=Col.GEOMETRY, crs=STORAGE_EPSG)
    return store.read(Layer.EVENT_LAYOUTS)


def event_layouts_in_force(store: Store, day: date) -> gpd.GeoDataFrame:
    """The temporary grids of every event in force on `day` (from its first to its last day)."""
    kept = read_event_layouts(store)
    on = day.isoformat()
    mine = (kept[EventCol.STARTS_ON].astype(str) <= on) & (kept[EventCol.ENDS_ON].astype(str) >= on)
    return kept[mine].reset_index(drop=True)


def current_grids(store: Store) -> gpd.GeoDataFrame:
    """The grids in force now, which the temporary grids are placed in."""
    areas = store.read_areas(levels=[Level.GRID.value])
    return gpd.GeoDataFrame(areas, geometry=Col.GEOMETRY, crs=STORAGE_EPSG).reset_index(drop=True)
