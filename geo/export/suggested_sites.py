"""Suggested mediation rooms as a GeoPackage a planner opens in QGIS: one point layer, in the store's
CRS, written to a sibling file and renamed over the target, so a reader never sees half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.crs import STORAGE_EPSG
from geo.schema import CoverageCol

#: The layer name inside the exported file.
SUGGESTED_SITES_LAYER: Final = "suggested_sites"


def suggested_sites_frame(sites: pd.DataFrame) -> gpd.GeoDataFrame:
    """The ranked sites of a suggestion as points in EPSG:4490."""
    points = gpd.points_from_xy(sites[CoverageCol.LON], sites[CoverageCol.LAT], crs=STORAGE_EPSG)
    return gpd.GeoDataFrame(sites.reset_index(drop=True), geometry=points)


def suggested_sites_gpkg(sites: pd.DataFrame) -> bytes:
    """The GeoPackage file's bytes, for a download."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sites.gpkg"
        frame = suggested_sites_frame(sites)
        pyogrio.write_dataframe(frame, path, layer=SUGGESTED_SITES_LAYER, driver="GPKG")
        return path.read_bytes()


def write_suggested_sites(sites: pd.DataFrame, path: str | os.PathLike[str]) -> None:
    """Write the GeoPackage to `path`, whole or not at all."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, staged = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".gpkg", dir=target.parent)
    os.close(fd)
    try:
        Path(staged).write_bytes(suggested_sites_gpkg(sites))
        os.replace(staged, target)
    finally:
        Path(staged).unlink(missing_ok=True)
