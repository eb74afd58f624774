"""Suggested mediation rooms as a GeoPackage a planner opens in QGIS: one point layer, in the store's
CRS, written to a sibling file and renamed over the target, so a reader never sees half of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.crs import METRIC_CRS, STORAGE_EPSG
from geo.export.features import polygon_collection
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


def site_bands(sites: pd.DataFrame, radius_km: float) -> dict[str, Any]:
    """A circle of `radius_km` around every site (drawn in the metric CRS, so it is round on the ground),
    as a GeoJSON FeatureCollection in EPSG:4490 with each site's rank."""
    points = suggested_sites_frame(sites).to_crs(METRIC_CRS)
    circles = points.buffer(radius_km * 1000.0, quad_segs=16).to_crs(STORAGE_EPSG)
    ranks = {CoverageCol.RANK.value: sites[CoverageCol.RANK].to_numpy()}
    frame = gpd.GeoDataFrame(ranks, geometry=circles.values, crs=STORAGE_EPSG)
    return polygon_collection(frame, [CoverageCol.RANK.value])
