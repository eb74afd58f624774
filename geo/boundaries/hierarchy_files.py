"""The area hierarchy as files: one GeoJSON per level in data/boundaries/, read back as one frame."""

from __future__ import annotations

from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd

from geo.boundaries.counties import BOUNDARY_DIR
from geo.crs import STORAGE_EPSG
from geo.files import read_geojson, write_geojson
from geo.schema import AREA_ATTRIBUTES, Col, Level

HIERARCHY_COLUMNS: Final = (
    *AREA_ATTRIBUTES, Col.VERSION_ID, Col.VALID_FROM, Col.VALID_TO, Col.GEOMETRY,
)


def hierarchy_file(level: Level, directory: Path = BOUNDARY_DIR) -> Path:
    return directory / f"demo_{level.value}.geojson"



def write_hierarchy(frame: gpd.GeoDataFrame, directory: Path = BOUNDARY_DIR) -> list[Path]:
    """One GeoJSON file per generated level (the counties file is the imported source)."""
    written = []
    for level in (Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE, Level.GRID, Level.MICRO_GRID):
        path = hierarchy_file(level, directory)
        write_geojson(frame[frame[Col.LEVEL] == level.value].reset_index(drop=True), path)
        written.append(path)
    return written


def read_hierarchy(directory: Path = BOUNDARY_DIR) -> gpd.GeoDataFrame:
    """All levels, city first, as one frame in EPSG:4490."""
    hint = "run `pingan boundaries generate` to regenerate the demo hierarchy"
    frames = [read_geojson(hierarchy_file(level, directory), regenerate_hint=hint) for level in Level]
    frame = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_EPSG)
    for column in (Col.VALID_FROM, Col.VALID_TO):
        dates = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d")
        frame[column] = dates.astype(object).where(dates.notna(), None)
    return frame[list(HIERARCHY_COLUMNS)]
